"""`python -m insight analyze FILE [FILE ...] --json OUT.json`: what the app shows, headless.

The JSON keys are a public contract documented in the README. Each
capability adds its own key through its module's `summary(dataset, ...)`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from insight.dataset import Dataset, build_dataset, load_demo
from insight.errors import InsightError


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, np.bool_):
        return bool(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def foundation_summary(ds: Dataset) -> dict[str, Any]:
    """The keys `tables`, `quality`, `cleaning_log` and `customers`."""
    return {
        "tables": [{"file": t.name, "kind": t.kind, "rows": t.rows_raw, "roles": t.roles} for t in ds.tables],
        "quality": [q.summary() for q in ds.quality],
        "cleaning_log": ds.cleaning_log,
        "customers": {"count": len(ds.customers), "columns": list(ds.customers.columns)},
    }


def _section(compute: Callable[[], Any]) -> Any:
    """One section's result, or `{"skipped": why}` when the data cannot support it (the rest still runs)."""
    try:
        return compute()
    except InsightError as exc:
        return {"skipped": str(exc)}


def build_report(ds: Dataset, args: argparse.Namespace) -> dict[str, Any]:
    """Everything `analyze` writes, section by section; sections the data cannot support are skipped."""
    from insight import clv, predict, recommend, segment, sentiment  # heavy imports only when analyzing

    report = foundation_summary(ds)
    report["segments"] = _section(lambda: segment.summary(ds, k=args.k, algorithm=args.algorithm))
    report["churn"] = _section(lambda: predict.churn_report(ds))
    report["spend"] = _section(lambda: predict.spend_report(ds))
    report["clv"] = _section(lambda: clv.clv_report(ds))
    if ds.table("feedback") is not None:
        report["sentiment"] = _section(lambda: sentiment.summary(ds))
    if recommend.sources(ds):
        report["recommendations"] = _section(lambda: recommend.summary(ds))
    return report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m insight", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    analyze = sub.add_parser("analyze", help="analyze customer export files and write JSON / HTML")
    analyze.add_argument("files", nargs="*", type=Path, help="CSV, TSV, Excel, Parquet or JSON-lines files")
    analyze.add_argument("--demo", action="store_true", help="analyze the built-in demo shop")
    analyze.add_argument("--json", type=Path, dest="json_out", help="write the results as JSON here")
    analyze.add_argument("--html", type=Path, dest="html_out", help="write a self-contained HTML report here")
    analyze.add_argument("--k", type=int, default=None, help="number of customer segments (default: suggested)")
    analyze.add_argument(
        "--algorithm", default="kmeans", help="segmentation algorithm (kmeans, agglomerative, dbscan, gmm)"
    )
    return parser


def _load(args: argparse.Namespace) -> Dataset:
    if args.demo:
        return load_demo()
    if not args.files:
        raise InsightError("Give one or more files to analyze, or --demo for the built-in demo shop.")
    files = []
    for path in args.files:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise InsightError(f"Cannot open {path}: {exc.strerror}. Check the path and try again.") from exc
    return build_dataset(files)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        ds = _load(args)
        report = build_report(ds, args)
    except InsightError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(_jsonable(report), indent=2, ensure_ascii=False)
    if args.json_out:
        args.json_out.write_text(text, encoding="utf-8")
        print(f"wrote {args.json_out}")
    elif not args.html_out:
        print(text)
    if args.html_out:
        from insight.report import build_html

        args.html_out.write_text(build_html(ds), encoding="utf-8")
        print(f"wrote {args.html_out}")
    return 0
