"""The first page's path stays light: opening the app and drawing the Overview's headline figures loads none of
scikit-learn, Surprise, nltk, scipy, statsmodels or Altair (seconds of imports); they load in the background jobs that
run the analyses. Each check runs in a fresh interpreter, so what other tests imported cannot hide a regression.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("sklearn", "surprise", "nltk", "scipy", "statsmodels", "altair")


def _heavy_modules_after(code: str, tmp_path) -> list[str]:
    """The heavy packages in sys.modules after running `code` in a new interpreter from the worktree root."""
    report = f"import json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    probe = f"{code}\n{report}"
    env = {"PATH": "/usr/bin:/bin", "INSIGHT_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_app_and_the_overview_imports_load_no_heavy_library(tmp_path) -> None:
    code = "import ui\nimport insight.pipeline, insight.data, insight.report.words, insight.charts, insight.labels"
    assert _heavy_modules_after(code, tmp_path) == []


def test_a_heavy_library_does_load_when_an_analysis_is_asked_for(tmp_path) -> None:
    """The probe can fail: asking the lazy package for a model class loads scikit-learn."""
    assert "sklearn" in _heavy_modules_after("import insight.predict as p\np.CHURN_MODELS", tmp_path)


def test_checking_whether_the_overviews_analyses_are_ready_loads_no_heavy_library(tmp_path) -> None:
    """`ui.computed` asks each Overview card's analysis through a runner that only looks in the store; on a cold
    start that must not import what the fits need (the figures would wait for it)."""
    code = """
from insight.data import load_demo
from insight.pipeline import Pipeline
from insight.pipeline.runner import NotReady, peek_runner
from insight.store import default_store
ds = load_demo()
pipe = Pipeline(ds, peek_runner(default_store(), ds.fingerprint))
Pipeline(ds).headline()
asked = 0
for ask in (pipe.monthly, pipe.segmentation, pipe.churn_risk, pipe.lifetime_value, pipe.feedback, pipe.recommendations):
    try:
        ask()
    except NotReady:
        asked += 1
assert asked == 6, asked
"""
    assert _heavy_modules_after(code, tmp_path) == []


def test_a_lazy_package_still_answers_every_name_and_refuses_unknown_ones() -> None:
    import insight.charts
    import insight.predict
    import insight.recommend
    import insight.report
    import insight.segment
    import insight.sentiment

    packages = (insight.segment, insight.predict, insight.recommend, insight.sentiment, insight.charts, insight.report)
    for package in packages:
        for name in package.__all__:
            assert getattr(package, name) is not None, f"{package.__name__}.{name}"
        with pytest.raises(AttributeError):
            package.no_such_name  # noqa: B018
    assert insight.predict.clv.__name__ == "insight.predict.clv"  # a submodule by its name
