"""`python -m insight analyze FILE [FILE ...] --json OUT.json`: what the app shows, headless; and
`python -m insight audiences FILE [FILE ...] --format klaviyo --out DIR`: one import file per audience.

The JSON keys are a public contract documented in the README; `insight.report.summary` writes them from
the pipeline's results, and the HTML report reads the same results, so each model is fitted once. The CLI runs
on the owner's own files, so the audience files carry the clear emails and names the platforms match by. On a
terminal each section's progress goes to stderr as it runs: its name, then its seconds, with an estimate of the
time left (`insight.progress`); `--quiet`, or output that is not a terminal, prints none of it.
"""

from __future__ import annotations

import argparse
import contextvars
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

import pandas as pd

from insight.data import Dataset, Roles
from insight.data.dataset import DEMO_NAME, build_dataset_with_lookup, demo_files, draft_tables
from insight.data.editor import check_kind, edit_roles
from insight.errors import InsightError
from insight.formats import count
from insight.i18n import LANGUAGES, N_, _, ngettext, set_language
from insight.language_choice import files_language
from insight.pipeline import AUDIENCE_FORMATS, Choices, Pipeline, Runner, store_runner
from insight.progress import StepClock, about

T = TypeVar("T")
SECTIONS = {
    "overview": "months",
    "segment": "segments",
    "predict.spend": "value",
    "predict.clv": "value",
    "predict.next_order": "next orders",
    "predict": "churn",
    "sentiment": "feedback",
    "recommend": "offers",
}
"""The section a pipeline step belongs to, by the longest prefix of its name (`insight.progress.WEIGHTS`)."""
LABELS = {
    "loading": N_("Reading the files"),
    "months": N_("Monthly figures"),
    "segments": N_("Segments"),
    "churn": N_("Churn models"),
    "value": N_("Value and lifetime value"),
    "next orders": N_("Next orders"),
    "feedback": N_("Feedback"),
    "offers": N_("Recommendations"),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m insight", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    analyze = sub.add_parser("analyze", help=_("analyze customer export files and write JSON / HTML"))
    _data_arguments(analyze)
    analyze.add_argument("--json", type=Path, dest="json_out", help=_("write the results as JSON here"))
    analyze.add_argument("--html", type=Path, dest="html_out", help=_("write a self-contained HTML report here"))
    analyze.add_argument("--k", type=int, default=None, help=_("number of customer segments (default: suggested)"))
    analyze.add_argument(
        "--algorithm", default="kmeans", help=_("segmentation algorithm (kmeans, agglomerative, dbscan, gmm)")
    )
    audiences = sub.add_parser("audiences", help=_("write one import file per audience (segment, likely to leave ...)"))
    _data_arguments(audiences)
    audiences.add_argument(
        "--format", default="csv", choices=AUDIENCE_FORMATS, help=_("the tool to import into (default: csv)")
    )
    audiences.add_argument("--out", type=Path, required=True, help=_("folder to write the files into"))
    return parser


def _data_arguments(command: argparse.ArgumentParser) -> None:
    """The files (or --demo) and the role and kind corrections, as every command reads them."""
    command.add_argument("files", nargs="*", type=Path, help=_("CSV, TSV, Excel, Parquet or JSON-lines files"))
    command.add_argument("--demo", action="store_true", help=_("use the built-in demo shop"))
    command.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="FILE:COLUMN=ROLE",
        help=_("correct a guessed role (repeatable); an empty ROLE means no role, e.g. --role orders.csv:Email="),
    )
    command.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        help=_(
            "language of the report and messages (default: zh for Chinese headers or mostly Chinese texts, else en)"
        ),
    )
    command.add_argument(
        "--kind", action="append", default=[], metavar="FILE=KIND", help=_("correct a guessed table kind (repeatable)")
    )
    command.add_argument("--quiet", action="store_true", help=_("no progress lines on stderr"))


def _split(flag: str, value: str, sep: str) -> tuple[str, str]:
    head, found, tail = value.rpartition(sep) if sep == "=" else value.partition(sep)
    if not found or not head:
        shape = "FILE:COLUMN=ROLE" if flag == "--role" else "FILE=KIND"
        raise InsightError(N_("{flag} {value} is not of the form {shape}."), flag=flag, value=repr(value), shape=shape)
    return head, tail


def _corrections(
    args: argparse.Namespace, files: list[tuple[str, bytes]]
) -> tuple[dict[str, Roles] | None, dict[str, str] | None]:
    """The roles and kinds the --role and --kind flags give, applied to the guesses by the role editor's rules."""
    if not args.role and not args.kind:
        return None, None
    tables = {t.name: t for t in draft_tables(files)}
    uploaded = {name: name for name in tables} | {f: t for f, _data in files for t in tables if f.startswith(t)}

    def table_of(flag: str, name: str):
        if name not in uploaded:
            raise InsightError(
                N_("{flag} names '{name}', which is not among the files: {files}."),
                flag=flag,
                name=name,
                files=", ".join(tables),
            )
        return tables[uploaded[name]]

    edits: dict[str, dict[str, str]] = {}
    for value in args.role:
        target, role = _split("--role", value, "=")
        file_name, column = _split("--role", target, ":")
        edits.setdefault(table_of("--role", file_name).name, {})[column] = role.strip()
    roles = {name: edit_roles(tables[name], changes) for name, changes in edits.items()}
    kinds = {}
    for value in args.kind:
        file_name, kind = _split("--kind", value, "=")
        kinds[table_of("--kind", file_name).name] = check_kind(kind.strip())
    return roles or None, kinds or None


def _load(args: argparse.Namespace) -> tuple[Dataset, pd.DataFrame | None]:
    """The dataset, and the owner's clear personal data by customer (the CLI runs on the owner's files)."""
    if args.demo:
        return build_dataset_with_lookup(demo_files(), name=DEMO_NAME)
    if not args.files:
        raise InsightError(N_("Give one or more files to analyze, or --demo for the built-in demo shop."))
    files = []
    for path in args.files:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise InsightError(
                N_("Cannot open {path}: {reason}. Check the path and try again."), path=str(path), reason=exc.strerror
            ) from exc
    roles, kinds = _corrections(args, files)
    return build_dataset_with_lookup(files, roles=roles, kinds=kinds)


def _audiences(pipe: Pipeline, lookup: pd.DataFrame | None, fmt: str, out: Path) -> None:
    """Write each audience's file into `out`; say what each holds, what to do, and what was left out and why."""
    formats, gap = pipe.audience_formats(lookup, shared=False)
    if fmt not in formats:
        print(_("note: {note}").format(note=gap), file=sys.stderr)
        fmt = "csv"
    result = pipe.audiences()
    try:
        out.mkdir(parents=True, exist_ok=True)
        for audience in result.items:
            written = pipe.audience_file(audience, fmt, lookup)
            (out / written.name).write_bytes(written.data)
            wrote = ngettext(
                "wrote {path} ({n} customer): {name}", "wrote {path} ({n} customers): {name}", written.rows
            )
            print(wrote.format(path=out / written.name, n=count(written.rows), name=audience.name))
            if audience.action:
                print(f"  {audience.action}")
            if written.note:
                print("  " + _("note: {note}").format(note=written.note))
    except OSError as exc:
        raise InsightError(
            N_("Cannot write into {folder}: {reason}. Choose another --out folder."),
            folder=str(out),
            reason=exc.strerror,
        ) from exc
    for note in result.notes:
        print(_("note: {note}").format(note=note), file=sys.stderr)


class Progress:
    """One line per section on `out` (a terminal): the section's name while it runs, with the time left, then its
    seconds. Each pipeline step that computes (a cached one is instant) starts the section it belongs to."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.clock = StepClock(["loading"])

    def expect(self, pipe: Pipeline) -> None:
        """The sections this dataset will run, in the order the report asks for them."""
        ds = pipe.ds
        sections = ["months"] if pipe.transactions() is not None else []
        if not pipe.customer_gap():
            sections += ["segments", "churn", "value"] + (["next orders"] if sections else [])
        sections += ["feedback"] if ds.table("feedback") is not None else []
        sections += ["offers"] if pipe.rec_sources() else []
        self.clock.steps += [s for s in sections if s not in self.clock.steps]

    def start(self, section: str) -> None:
        """Finish the running section's line and begin `section`'s."""
        running = self.clock.running_
        if not self.clock.start(section):
            return
        if running is not None:
            self._done(running)
        left = about(self.clock.left())
        place = f"[{self.clock.position()}] " if len(self.clock.steps) > 1 else ""
        self._write(f"  {place}{_(LABELS.get(section, section))}…" + (f" ({left})" if left else ""))

    def finish(self) -> None:
        """End the last section's line and say how long it all took."""
        running = self.clock.running_
        self.clock.finish()
        if running is not None:
            self._done(running)
        self.out.write("  " + _("done in {seconds} s").format(seconds=f"{self.clock.elapsed():.1f}") + "\n")
        self.out.flush()

    def runner(self, run: Runner) -> Runner:
        """`run`, telling this progress which section a step that computes belongs to."""

        def timed(step: str, params: dict[str, Any] | None, compute: Callable[[], T]) -> T:
            def counted() -> T:
                prefix = max((p for p in SECTIONS if step == p or step.startswith(f"{p}.")), key=len, default=None)
                if prefix is not None:
                    self.start(SECTIONS[prefix])
                return compute()

            return run(step, params, counted)

        return timed

    def _done(self, section: str) -> None:
        self._write(f"  {_(LABELS.get(section, section))}: {self.clock.measured_[section]:.1f} s\n")

    def _write(self, text: str) -> None:
        self.out.write(f"\r\033[K{text}")  # over the running line
        self.out.flush()


def _language_flag(argv: list[str]) -> str | None:
    """The language `--lang` names, read before the parser is built so its help is in that language."""
    for i, arg in enumerate(argv):
        value = (
            arg.split("=", 1)[1]
            if arg.startswith("--lang=")
            else argv[i + 1]
            if arg == "--lang" and i + 1 < len(argv)
            else None
        )
        if value in LANGUAGES:
            return value
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code. Runs in a context of its own, so its language stays there."""
    return contextvars.copy_context().run(_main, argv)


def _main(argv: list[str] | None) -> int:
    from insight.report import build_html, summary

    chosen = _language_flag(sys.argv[1:] if argv is None else argv)
    if chosen:
        set_language(chosen)  # the help and the messages before the files are read
    args = _parser().parse_args(argv)
    progress = Progress(sys.stderr) if not args.quiet and sys.stderr.isatty() else None
    try:
        if progress:
            progress.start("loading")
        ds, lookup = _load(args)
        set_language(args.lang or files_language(t.frame for t in ds.tables))
        run = store_runner(ds.fingerprint)
        pipe = Pipeline(ds, progress.runner(run) if progress else run)
        if progress:
            progress.expect(pipe)
        if args.command == "audiences":
            if progress:
                pipe.audiences()  # the work, with its progress lines, before the files are listed on stdout
                progress.finish()
            _audiences(pipe, lookup, args.format, args.out)
            return 0
        answers = pipe.answers(Choices(k=args.k, algorithm=args.algorithm))  # one set of answers for JSON and HTML
        report = summary.report(pipe, answers)
    except InsightError as exc:
        if progress:
            progress.out.write("\n")
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 2
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.json_out:
        args.json_out.write_text(text, encoding="utf-8")
    if args.html_out:
        args.html_out.write_text(build_html(pipe, answers), encoding="utf-8")
    if progress:
        progress.finish()
    if args.json_out:
        print(_("wrote {path}").format(path=args.json_out))
    elif not args.html_out:
        print(text)
    if args.html_out:
        print(_("wrote {path}").format(path=args.html_out))
    return 0
