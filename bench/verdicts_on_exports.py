"""Print, per section, the verdict on each file of ../shared/data/exports that reaches it.

    python bench/verdicts_on_exports.py [FILE ...]

Each file is uploaded on its own, as a founder would, with the roles the app guesses. A file the reader
cannot load, or a section the data cannot support, is listed with the reason. The e-commerce churn
workbook is also run from its data sheet ('E Comm', read with pandas), since the reader may pick the
data dictionary sheet instead.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insight.data.dataset import build_dataset  # noqa: E402
from insight.errors import InsightError  # noqa: E402
from insight.pipeline import HORIZON_DAYS, Pipeline  # noqa: E402
from insight.verdict import Verdict, Withheld  # noqa: E402

EXPORTS = ROOT.parent / "shared" / "data" / "exports"
SECTIONS = ("segments", "churn", "spend", "clv", "sentiment", "recommendations")


def _applies(pipe: Pipeline, section: str) -> bool:
    ds = pipe.ds
    if section == "segments":
        return bool(pipe.segment_defaults()["features"])
    if section == "churn":
        return pipe.churn_source() is not None
    if section == "spend":
        try:
            pipe.default_spend_target()
        except InsightError:
            return False
        return True
    if section == "clv":
        return pipe._has_clv_columns()
    if section == "sentiment":
        return ds.table("feedback") is not None
    return bool(pipe.rec_sources())


def _verdict(pipe: Pipeline, section: str) -> Callable[[], Verdict]:
    return {
        "segments": lambda: pipe.segment_verdict(),
        "churn": lambda: pipe.churn_verdict(HORIZON_DAYS),
        "spend": lambda: pipe.spend_verdict(HORIZON_DAYS),
        "clv": lambda: pipe.lifetime_verdict(HORIZON_DAYS),
        "sentiment": pipe.feedback_verdict,
        "recommendations": lambda: pipe.rec_verdict(),
    }[section]


def rows_for(name: str, data: bytes) -> list[tuple[str, str, str, str]]:
    """(file, section, trust or 'skipped', reason) for every section this file reaches."""
    try:
        pipe = Pipeline(build_dataset([(name, data)]))
    except InsightError as exc:
        return [(name, "(loading)", "not loaded", str(exc))]
    except Exception as exc:  # a reader bug on this branch: report it, go on with the next file
        return [(name, "(loading)", "reader crashed", f"{type(exc).__name__}: {exc}")]
    kinds = ", ".join(f"{t.kind}" for t in pipe.ds.tables)
    out = [(name, "(loading)", "loaded", f"as {kinds}; {len(pipe.ds.customers):,} customers")]
    for section in SECTIONS:
        try:
            if not _applies(pipe, section):
                continue
            verdict = _verdict(pipe, section)()
            out.append((name, section, verdict.trust, verdict.reason))
        except Withheld as exc:
            out.append((name, section, exc.verdict.trust, exc.verdict.reason))
        except InsightError as exc:
            out.append((name, section, "skipped", str(exc)))
        except Exception as exc:  # report a crash in the table rather than stopping the survey
            out.append((name, section, "crashed", f"{type(exc).__name__}: {exc}"))
    return out


def main(names: list[str]) -> None:
    files = [EXPORTS / n for n in names] if names else sorted(p for p in EXPORTS.iterdir() if p.name != "expected.json")
    print("| file | section | verdict | why |\n|---|---|---|---|", flush=True)
    for path in files:
        start = time.perf_counter()
        rows = rows_for(path.name, path.read_bytes())
        if path.name == "ecommerce_customer_churn.xlsx":
            sheet = pd.read_excel(path, sheet_name="E Comm").to_csv(index=False).encode()
            rows += rows_for("ecommerce_customer_churn.xlsx ['E Comm' via pandas]", sheet)
        for file, section, trust, why in rows:
            print(f"| {file} | {section} | {trust} | {why.replace('|', '/')} |", flush=True)
        print(f"<!-- {path.name}: {time.perf_counter() - start:.0f} s -->", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
