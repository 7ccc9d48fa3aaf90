"""Text tables: decode the bytes, find the delimiter, the header and the rows.

`read_text` turns decoded text into a frame of text columns and records in a
`ReadReport` what it guessed, so the Data page can say how a file was read.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from insight.errors import ReadError

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_LINES = 400


@dataclass
class ReadReport:
    """What the reader guessed and any lines it could not use."""

    file: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    header: bool = True
    skipped_lines: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode text bytes: UTF-8 (with or without BOM), else cp1252, else latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _split_counts(lines: list[str], delimiter: str, quoting: int) -> list[int]:
    return [len(row) for row in csv.reader(lines, delimiter=delimiter, quoting=quoting)]


def _consistency(counts: list[int]) -> tuple[float, int, int]:
    """Share of lines (from its first use on, so titles above are ignored), lines and value of the commonest count."""
    mode, hits = max(Counter(counts).items(), key=lambda kv: (kv[1], kv[0]))  # ties: the wider table
    return hits / (len(counts) - counts.index(mode)), hits, mode


def sniff_delimiter(lines: list[str]) -> tuple[str | None, int]:
    """The delimiter whose field count is most consistent across the sample, and that count.

    Returns `(None, n)` for whitespace-aligned columns and `(None, 1)` for a single column.
    """
    best: tuple[float, int, int, str | None] = (0.0, 0, 1, None)
    for delimiter in DELIMITERS:
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
            try:
                counts = _split_counts(lines, delimiter, quoting)
            except csv.Error:
                continue
            if not counts:
                continue
            score, hits, mode = _consistency(counts)
            if mode >= 2 and (score, hits, mode) > best[:3]:
                best = (score, hits, mode, delimiter)
    if best[3] is not None and best[0] >= 0.6:
        return best[3], best[2]
    score, _, mode = _consistency([len(line.split()) for line in lines])
    if mode >= 2 and score >= 0.9:
        return None, mode
    return None, 1


def _looks_numeric(value: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d.,]+(e[-+]?\d+)?", value.strip(), flags=re.I))


def _has_header(first: list[str], rest: list[list[str]]) -> bool:
    """A header row is text where the body below it holds numbers, or names unlike the body."""
    if not rest:
        return True
    if any(not cell.strip() for cell in first[1:-1]):
        return False  # a gap inside the row: data with a missing value (an index or trailing column may be unnamed)
    for j, cell in enumerate(first):
        if not cell.strip():
            continue
        body = [row[j] for row in rest if j < len(row) and row[j].strip()]
        numeric_share = sum(_looks_numeric(v) for v in body) / max(len(body), 1)
        if numeric_share > 0.9 and _looks_numeric(cell):
            return False
    return not all(_looks_numeric(cell) for cell in first if cell.strip())


def _leading_junk(lines: list[str], delimiter: str | None, n_fields: int) -> int:
    """How many lines at the top (titles, notes) come before the first line with the table's shape."""
    for i, line in enumerate(lines[:20]):
        if delimiter is None:
            widths = {len(line.split())}
        else:  # an unbalanced quote must not turn the header into a "title"
            widths = {
                len(next(csv.reader([line], delimiter=delimiter, quoting=q), []))
                for q in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE)
            }
        if n_fields in widths:
            return i
    return 0


def _trailing_delimiter(lines: list[str], delimiter: str, n_fields: int) -> bool:
    """True when the rows all end with a delimiter (an empty last field) and the header does not."""
    rows = [row for row in csv.reader(lines, delimiter=delimiter) if row]
    full = [row for row in rows if len(row) == n_fields]
    return len(full) >= 2 and all(row[-1] == "" for row in full) and any(len(row) == n_fields - 1 for row in rows[:20])


def _well_quoted(body: str, delimiter: str, n_fields: int) -> bool:
    """True when every record parses cleanly with quotes honoured (cells may then span lines)."""
    try:
        records = csv.reader(io.StringIO(body), delimiter=delimiter, strict=True)
        return all(len(row) == n_fields for row in records if row)
    except csv.Error:
        return False


def _read_with_arrow(body: str, delimiter: str, header: bool, names: list[str] | None) -> pd.DataFrame | None:
    """Arrow's CSV reader for a well-formed table (ten times faster than pandas' on a million lines); None when
    it cannot read the text as one, and the careful reader below takes over."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = pd.read_csv(
                io.BytesIO(body.encode("utf-8")),
                sep=delimiter,
                engine="pyarrow",
                dtype=str,
                keep_default_na=False,
                header=0 if header else None,
                names=names,
            )
    except Exception:  # noqa: BLE001 - any failure means "not simple": the careful reader decides
        return None
    return df if all(isinstance(c, str) for c in df.columns) else None


def read_text(text: str, report: ReadReport) -> pd.DataFrame:
    all_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [line for line in all_lines[: _SAMPLE_LINES + 20] if line.strip()]
    if not lines:
        raise ReadError(f"{report.file} is empty. Export the file again with its rows, then upload it.")
    delimiter, n_fields = sniff_delimiter(lines[:_SAMPLE_LINES])
    trailing = delimiter is not None and n_fields > 2 and _trailing_delimiter(lines[:50], delimiter, n_fields)
    n_fields -= trailing
    junk = _leading_junk(lines, delimiter, n_fields) if n_fields > 1 else 0
    if junk:
        report.notes.append(f"skipped {junk} line(s) above the table (titles or notes)")
    body_lines = lines[junk:]
    split = (
        [line.split() for line in body_lines[:50]]
        if delimiter is None
        else list(csv.reader(body_lines[:50], delimiter=delimiter or ","))
    )
    header = _has_header(split[0], split[1:]) if n_fields > 1 else True
    report.delimiter = "whitespace" if delimiter is None and n_fields > 1 else delimiter
    report.header = header
    if not header:
        report.notes.append("the file has no header row; columns are named column_1, column_2, …")
    skip_top = 0
    seen = 0
    for i, line in enumerate(all_lines):
        if line.strip():
            if seen == junk:
                skip_top = i
                break
            seen += 1
    names = [f"column_{j + 1}" for j in range(n_fields)] if not header else None
    kwargs = dict(
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=True,
        names=names,
        header=0 if header else None,
        index_col=False,
    )
    body = "\n".join(all_lines[skip_top:])
    if n_fields == 1:
        try:
            return pd.read_csv(io.StringIO(body), sep="\x1f", engine="c", **kwargs)
        except pd.errors.ParserError:  # an unbalanced quote: read quotes as plain text
            return pd.read_csv(io.StringIO(body), sep="\x1f", engine="c", quoting=csv.QUOTE_NONE, **kwargs)
    sep = r"\s+" if delimiter is None else delimiter
    expected = sum(1 for line in all_lines[skip_top:] if line.strip()) - (1 if header else 0)
    if delimiter is not None and not trailing:
        fast = _read_with_arrow(body, delimiter, header, names)
        if fast is not None and len(fast) == expected and fast.shape[1] == n_fields:
            return fast
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            df = pd.read_csv(io.StringIO(body), sep=sep, engine="c", **kwargs)
    except (pd.errors.ParserError, csv.Error):
        df = None
    if df is not None and not trailing and any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        report.notes.append("some rows had more fields than the header; the extra fields were left out")
    if df is not None and (len(df) == expected or delimiter is None):
        return df
    if df is not None and delimiter is not None and _well_quoted(body, delimiter, n_fields):
        return df  # quoted cells spanning several lines
    if delimiter is not None:
        try:  # unbalanced quotes in text cells: fields never span lines, so read quotes as plain text
            plain = pd.read_csv(io.StringIO(body), sep=sep, engine="c", quoting=csv.QUOTE_NONE, **kwargs)
            if len(plain) == expected:
                report.notes.append("quote characters were read as plain text (they were unbalanced)")
                return plain
        except (pd.errors.ParserError, csv.Error):
            pass
    if df is not None:
        return df
    bad: list[int] = []

    def skip(fields: list[str]) -> None:
        bad.append(len(fields))
        return None

    df = pd.read_csv(io.StringIO(body), sep=sep, engine="python", on_bad_lines=skip, **kwargs)
    report.skipped_lines = bad
    report.notes.append(
        f"{len(bad)} line(s) had the wrong number of fields and were left out; "
        "check the export for stray delimiters in text cells"
    )
    return df
