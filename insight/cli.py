"""`python -m insight analyze FILE [FILE ...] --json OUT.json`: what the app shows, headless.

The JSON keys are a public contract documented in the README; `insight.report.summary` writes them from
the pipeline's results, and the HTML report reads the same results, so each model is fitted once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from insight.data import Dataset, build_dataset, load_demo
from insight.errors import InsightError
from insight.pipeline import Pipeline, store_runner


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
    from insight.report import build_html, summary

    args = _parser().parse_args(argv)
    try:
        ds = _load(args)
        pipe = Pipeline(ds, store_runner(ds.fingerprint))
        report = summary.report(pipe, k=args.k, algorithm=args.algorithm)
    except InsightError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.json_out:
        args.json_out.write_text(text, encoding="utf-8")
        print(f"wrote {args.json_out}")
    elif not args.html_out:
        print(text)
    if args.html_out:
        args.html_out.write_text(build_html(pipe), encoding="utf-8")
        print(f"wrote {args.html_out}")
    return 0
