"""The catalogue: the active language per context, plurals, and the checks that keep the catalogue whole — every
string the sources mark is translated, placeholders match, the glossary's words are used, the conventions hold."""

from __future__ import annotations

import ast
import re
import threading
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from insight import i18n
from insight.glossary import glossary
from insight.i18n import _, ngettext, pgettext, use_language
from tests.conftest import ROOT

PO = i18n.catalogue_path("zh")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# what babel.cfg gives pybabel (the same files; tests and benchmarks hold no reader's text)
SOURCES = ("insight/**.py", "app_pages/**.py", "ui/**.py", "*.py")


def _catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="zh_CN")


def _marked() -> set[tuple[str | None, str | tuple[str, ...]]]:
    """(context, msgid) of every string the sources mark, extracted as `pybabel extract -F babel.cfg` does."""
    method_map = [(pattern, "python") for pattern in SOURCES]
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(str(ROOT), method_map=method_map):
        found.add((context, message if isinstance(message, str) else tuple(message)))
    return found


def test_the_active_language_belongs_to_its_context() -> None:
    assert i18n.language() == "en" and _("Loyal regulars") == "Loyal regulars"
    with use_language("zh"):
        assert i18n.language() == "zh" and i18n.locale() == "zh_CN"
        assert _("Loyal regulars") == "忠实老主顾"
        seen = []
        other = threading.Thread(target=lambda: seen.append(_("Loyal regulars")))
        other.start()
        other.join()
        assert seen == ["Loyal regulars"]  # another thread (another session's run) keeps its own language
    assert _("Loyal regulars") == "Loyal regulars"


def test_work_done_later_elsewhere_keeps_the_language_it_was_made_in() -> None:
    """A deferred download runs in Streamlit's server thread, where no session's language is set."""
    with use_language("zh"):
        later = i18n.keep_language(lambda: _("Loyal regulars"))
    seen = []
    other = threading.Thread(target=lambda: seen.append(later()))
    other.start()
    other.join()
    assert seen == ["忠实老主顾"] and _("Loyal regulars") == "Loyal regulars"


def test_plurals_follow_each_language() -> None:
    assert ngettext("{n} customer", "{n} customers", 1).format(n=1) == "1 customer"
    assert ngettext("{n} customer", "{n} customers", 2).format(n=2) == "2 customers"
    with use_language("zh"):
        assert [ngettext("{n} customer", "{n} customers", n).format(n=n) for n in (1, 2)] == ["1 位客户", "2 位客户"]
        assert pgettext("list separator", ", ") == "、" and i18n.join(["甲", "乙"]) == "甲、乙"


def test_an_unknown_language_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="en, zh"):
        i18n.set_language("fr")


def test_every_marked_string_has_a_chinese_translation() -> None:
    catalogue = _catalogue()
    missing = []
    for context, msgid in _marked():
        entry = catalogue.get(msgid, context=context)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else (entry and entry.string,)
        if entry is None or entry.fuzzy or not all(strings):
            missing.append((context, msgid))
    assert not missing, f"run the workflow in docs/i18n.md and translate: {missing}"


def test_translations_keep_every_placeholder() -> None:
    for entry in _catalogue():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(_PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert set(_PLACEHOLDER.findall(text)) == wanted, (entry.id, text)


def test_the_catalogue_holds_nothing_the_sources_no_longer_mark() -> None:
    marked = _marked()
    stale = [(e.context, e.id) for e in _catalogue() if e.id and (e.context, e.id) not in marked]
    assert not stale, f"pybabel update (docs/i18n.md) moves these to the obsolete entries: {stale}"


def test_messages_use_the_glossary_words() -> None:
    with use_language("zh"):
        terms = glossary()
    assert terms["customer segment"] == "客户分群" and terms["churn risk"] == "流失风险"
    wrong = []
    for entry in _catalogue():
        if not entry.id or entry.context == "glossary":
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for term, words in terms.items():
            used = re.search(rf"\b{re.escape(term)}s?\b", ids[0], re.IGNORECASE)
            if used and not any(w in s for s in strings for w in words.split("/")):
                wrong.append((entry.id, term, words))
    assert not wrong, wrong


def _python_files() -> list[Path]:
    return [p for pattern in ("insight/**/*.py", "app_pages/*.py", "ui/*.py", "*.py") for p in ROOT.glob(pattern)]


MARKERS = {"_", "ngettext", "pgettext", "N_"}


def test_marked_strings_are_literals_with_named_placeholders() -> None:
    """`_("{n} texts").format(n=...)`: an f-string, `%` or `+` inside `_()` cannot be found by the extractor."""
    bad = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS:
                for arg in node.args:
                    if isinstance(arg, ast.JoinedStr | ast.BinOp):
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                    numbered = isinstance(arg, ast.Constant) and re.search(r"\{\d*\}", str(arg.value))
                    if numbered:
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno} (name the placeholder)")
    assert not bad, bad


def test_modules_that_translate_never_rebind_the_underscore() -> None:
    """`for _, row in ...` in a module that imported `_` would make every later `_("...")` call fail."""
    bad = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = any(
            isinstance(n, ast.ImportFrom) and n.module == "insight.i18n" and any(a.name == "_" for a in n.names)
            for n in ast.walk(tree)
        )
        if imports:
            bad += [
                f"{path.relative_to(ROOT)}:{n.lineno}"
                for n in ast.walk(tree)
                if isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
            ]
    assert not bad, bad


# Modules whose every sentence a person reads is in the catalogue; phase 2 of issue 23 adds the others here.
CONVERTED = (
    "insight/charts/*.py",
    "insight/segment/naming.py",
    "insight/sentiment/cards.py",
    "ui_language.py",
    # phase 2
    "app_pages/*.py",
    "ui/*.py",
    "ui_audiences.py",
    "insight/errors.py",
    "insight/verdict.py",
    "insight/findings.py",
    "insight/outcome_words.py",
    "insight/report/words.py",
    "insight/pipeline/core.py",
    "insight/pipeline/figures.py",
    "insight/pipeline/segmenting.py",
    "insight/pipeline/models.py",
    "insight/pipeline/feedback_offers.py",
    "insight/predict/label.py",
    "insight/predict/fairness.py",
    "insight/recommend/content.py",
    "insight/recommend/evaluate.py",
    "insight/recommend/interactions.py",
    "insight/recommend/lists.py",
    "insight/recommend/trust.py",
    "insight/segment/cluster.py",
    "insight/segment/k_sweep.py",
    "insight/sentiment/trust.py",
)
_SENTENCE = re.compile(r"[A-Za-z]{3,} [A-Za-z]{2,}")
_PROGRAMMER_ERRORS = {"ValueError", "TypeError", "KeyError"}  # for the developer who called it wrong: English


def _unmarked_sentences(path: Path) -> list[str]:
    """String literals with two words or more that are not marked, not docstrings, not a marked message used as a
    key (CLAIMS[pattern]) and not a programmer's error."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    marked: set[str] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            skip.add(id(body[0].value))  # a docstring
        called = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if called and node.func.id in MARKERS:
            skip.update(id(n) for n in ast.walk(node))
            marked.update(a.value for a in node.args if isinstance(a, ast.Constant))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "compile":
            skip.update(id(n) for n in ast.walk(node))  # a regular expression
        raised = isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
        if raised and getattr(node.exc.func, "id", None) in _PROGRAMMER_ERRORS:
            skip.update(id(n) for n in ast.walk(node))
    return [
        f"{path.relative_to(ROOT)}:{n.lineno}: {n.value!r}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and id(n) not in skip
        and n.value not in marked
        and _SENTENCE.search(n.value)
    ]


def test_converted_modules_leave_no_sentence_unmarked() -> None:
    found = [line for pattern in CONVERTED for path in sorted(ROOT.glob(pattern)) for line in _unmarked_sentences(path)]
    assert not found, found


def test_results_made_in_a_worker_are_written_in_the_readers_language() -> None:
    """Errors, verdicts and findings hold message keys and figures: pickled (as a worker sends them back) and read
    in each session's language, with the figures formatted there."""
    import pickle

    from insight.errors import NotEnoughData
    from insight.i18n import N_, Message
    from insight.segment.describe import segment_verdict
    from insight.verdict import Withheld

    error = pickle.loads(
        pickle.dumps(
            NotEnoughData(N_("Segments need at least {need} customers; this data has {n}. Upload more."), need=10, n=3)
        )
    )
    assert str(error) == "Segments need at least 10 customers; this data has 3. Upload more."
    withheld = pickle.loads(pickle.dumps(Withheld(segment_verdict(0.51, 4, 0.3), Message(N_("Segments")))))
    assert str(withheld).startswith("Segments withheld: Customers fall into distinct groups (silhouette 0.51, ")
    with use_language("zh"):
        assert str(error) == "客户分群至少需要 10 位客户；这份数据只有 3 位。请上传更多。"
        assert withheld.verdict.reason == "客户分成了界限清楚的群体（轮廓系数 0.51，无群体的人群为 0.30）。"
        assert str(withheld).startswith("客户分群暂不显示：客户分成了界限清楚的群体")
