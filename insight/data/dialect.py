"""Text tables: find the delimiter, the header and the rows of decoded text.

`read_text` turns decoded text into a frame of text columns and records in a `ReadReport` what it guessed,
so the Data page can say how a file was read. A file it cannot split right is refused with the reason,
never read into a silently wrong shape.
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
from insight.formats import Figure
from insight.i18n import N_

DELIMITERS = (",", ";", "\t", "|")
MAX_COLUMNS = 2_000  # wider than any export we know; 50,000 header names took minutes before this check
MAX_LINE_CHARS = 2_000_000  # one line; a long review (hundreds of thousands of characters) still fits
_SAMPLE_LINES = 400
_SAMPLE_CHARS = 4_000_000  # the sniffing sample stops here too, so a few very long lines stay cheap
# Python's csv module refuses fields over 131,072 characters; a long review is a real cell, not an error.
csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_CHARS))
# The refusals (message keys, written in the reader's language when shown)
TOO_WIDE = N_(
    "{name} has {width:,} columns; the limit is {max_columns:,}. Export only the columns you need (customer, date, "
    "amount, product, …) and upload it again."
)
TOO_LONG_LINE = N_(
    "{file} has a line of {longest:,} characters; the limit is {max_line_chars:,}. This is not a table export (or "
    "its line breaks are missing): export it again as CSV with one row per line."
)
TOO_LONG_CELL = N_(
    "{name} has a quoted cell of more than {limit} characters spanning many lines, so it was not read (its lines "
    "would have become rows of junk). Check the quotes around that text in a spreadsheet, or shorten it, and export "
    "the file again as CSV."
)
MIXED_SEPARATORS = N_(
    "{file} mixes separators ({value}) and {value2:,} line(s) fit neither. Open it in a spreadsheet and export it "
    "again with one separator."
)


@dataclass
class ReadReport:
    """What the reader guessed and any lines it could not use."""

    file: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    header: bool = True
    sheet: str | None = None
    skipped_lines: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def too_wide(name: str, width: int) -> ReadError:
    """The refusal for a table with more columns than any analysis can use."""
    return ReadError(TOO_WIDE, name=name, width=width, max_columns=MAX_COLUMNS)


def check_lines(name: str, lines: list[str]) -> None:
    """Refuse a text whose longest line passes `MAX_LINE_CHARS` (every text format: CSV, TSV, JSON lines)."""
    longest = max(map(len, lines), default=0)
    if longest > MAX_LINE_CHARS:
        raise ReadError(TOO_LONG_LINE, file=name, longest=longest, max_line_chars=MAX_LINE_CHARS)


def _too_long_cell(name: str) -> ReadError:
    return ReadError(TOO_LONG_CELL, name=name, limit=Figure(MAX_LINE_CHARS, "count"))


def _records(lines: list[str], delimiter: str, quoting: int) -> list[tuple[int, int]]:
    """(fields, physical lines spanned) per record: a quoted cell may span lines."""
    reader = csv.reader(lines, delimiter=delimiter, quoting=quoting)
    out = []
    last = 0
    for row in reader:
        out.append((len(row), reader.line_num - last))
        last = reader.line_num
    return out


def _consistency(records: list[tuple[int, int]]) -> tuple[float, int, int]:
    """Share of lines (from the commonest count's first use on, so titles above are ignored) in records of
    the commonest field count, those lines, and that count."""
    lines_per_count: Counter[int] = Counter()
    for count, span in records:
        lines_per_count[count] += span
    mode, hits = max(lines_per_count.items(), key=lambda kv: (kv[1], kv[0]))  # ties: the wider table
    first = next(i for i, record in enumerate(records) if record[0] == mode)
    return hits / sum(record[1] for record in records[first:]), hits, mode


def sniff_delimiter(lines: list[str]) -> tuple[str | None, int]:
    """The delimiter whose field count is most consistent across the sample, and that count.

    Quote-aware splitting wins ties, so a quoted cell holding a line break is one cell.
    Returns `(None, n)` for whitespace-aligned columns and `(None, 1)` for a single column.
    """
    best: tuple[float, int, int, int, str | None] = (0.0, 0, 0, 1, None)
    for delimiter in DELIMITERS:
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
            try:
                records = _records(lines, delimiter, quoting)
            except csv.Error:
                continue
            if not records:
                continue
            score, hits, mode = _consistency(records)
            key = (round(score, 3), hits, quoting == csv.QUOTE_MINIMAL, mode, delimiter)
            if mode >= 2 and key[:4] > best[:4]:
                best = key
    if best[4] is not None and best[0] >= 0.6:
        return best[4], best[3]
    score, _hits, mode = _consistency([(len(line.split()), 1) for line in lines])
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


def _well_quoted(name: str, body: str, delimiter: str, n_fields: int) -> bool:
    """True when every record parses cleanly with quotes honoured (cells may then span lines); a quoted cell
    past the line limit is refused, as a line would be."""
    try:
        records = csv.reader(io.StringIO(body), delimiter=delimiter, strict=True)
        return all(len(row) == n_fields for row in records if row)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _too_long_cell(name) from exc
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


def _sample(all_lines: list[str]) -> list[str]:
    lines, size = [], 0
    for line in all_lines:
        if not line.strip():
            continue
        lines.append(line)
        size += len(line)
        if len(lines) >= _SAMPLE_LINES + 20 or (size > _SAMPLE_CHARS and len(lines) >= 3):
            break
    return lines


def _fields(line: str, delimiter: str) -> int:
    return len(next(csv.reader([line], delimiter=delimiter), []))


def _second_separator(lines: list[str], delimiter: str | None, n_fields: int) -> tuple[int, list[str], int] | None:
    """(n, [first, second], lines fitting neither) when some lines split into n fields by one delimiter and
    others only by another: a file pasted together from two exports. None when one delimiter explains it, or
    when quoted cells span lines (then lines are not rows)."""
    if any(line.count('"') % 2 for line in lines):
        return None
    if delimiter is not None:
        choices = [(n_fields, delimiter)] if n_fields >= 2 else []
    else:
        widths = sorted({_fields(line, d) for line in lines[:50] for d in DELIMITERS} - {0, 1})
        choices = [(n, d) for n in widths for d in DELIMITERS]
    for n, first in choices:
        fit = [_fields(line, first) == n for line in lines]
        off = [line for line, ok in zip(lines, fit, strict=True) if not ok]
        if not off or not any(fit):
            continue
        for second in DELIMITERS:
            if second == first:
                continue
            by_second = sum(_fields(line, second) == n for line in off)
            if by_second and (delimiter is not None or by_second == len(off)):
                return n, [first, second], len(off) - by_second
    return None


def _read_mixed(lines: list[str], n: int, delimiters: list[str], _unfit: int, report: ReadReport) -> pd.DataFrame:
    rows = []
    for line in lines:
        for d in delimiters:
            row = next(csv.reader([line], delimiter=d), [])
            if len(row) == n:
                rows.append(row)
                break
    split = rows[0], rows[1:]
    header = _has_header(*split)
    report.delimiter = " and ".join(repr(d) for d in delimiters)
    report.header = header
    report.notes.append(f"lines use two different separators ({report.delimiter}); each line was split by its own")
    names = rows[0] if header else [f"column_{j + 1}" for j in range(n)]
    return pd.DataFrame(rows[1:] if header else rows, columns=names, dtype=object)


def _unwrap(df: pd.DataFrame, report: ReadReport) -> pd.DataFrame | None:
    """A CSV whose every line is one quoted field holding a whole CSV line (exported twice): the inner table."""
    values = [str(df.columns[0]), *df.iloc[:, 0].astype(str).tolist()]
    inner = "\n".join(values)
    lines = _sample(inner.split("\n"))
    delimiter, n_fields = sniff_delimiter(lines)
    if delimiter is None or n_fields < 2:
        return None
    if delimiter not in values[0] or sum(delimiter in v for v in values[:500]) < 0.9 * min(len(values), 500):
        return None
    report.notes.append("every line was one quoted field holding a whole row (exported twice); read the rows inside")
    return read_text(inner, report)


def _drop_repeated_headers(df: pd.DataFrame, report: ReadReport) -> pd.DataFrame:
    """Rows that repeat the header (exports pasted together, page breaks of a report) are not data."""
    if df.shape[1] < 2:
        return df
    first = df.columns[0]
    suspects = df.index[df[first].astype(str).str.strip().eq(str(first).strip())]
    if suspects.empty:
        return df
    rows = df.loc[suspects]
    same = sum(rows[c].astype(str).str.strip().eq(str(c).strip()) for c in df.columns)
    repeated = df.index.isin(suspects[same >= 0.9 * df.shape[1]])
    if repeated.any():
        report.notes.append(f"{int(repeated.sum()):,} repeated header line(s) removed")
        return df[~repeated].reset_index(drop=True)
    return df


def read_text(text: str, report: ReadReport) -> pd.DataFrame:
    """The table in decoded text: delimiter, header and rows found, checked against the limits."""
    all_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    check_lines(report.file, all_lines)
    lines = _sample(all_lines)
    if not lines:
        raise ReadError(N_("{file} is empty. Export the file again with its rows, then upload it."), file=report.file)
    delimiter, n_fields = sniff_delimiter(lines[:_SAMPLE_LINES])
    if n_fields > MAX_COLUMNS:
        raise too_wide(report.file, n_fields)
    if len(lines) >= 3 and _second_separator(lines[:_SAMPLE_LINES], delimiter, n_fields) is not None:
        every = [line for line in all_lines if line.strip()]
        mixed = _second_separator(every, delimiter, n_fields)
        if mixed is not None and mixed[2] == 0:
            return _drop_repeated_headers(_read_mixed(every, *mixed, report), report)
        if mixed is not None:
            pair = " and ".join(repr(d) for d in mixed[1])
            raise ReadError(MIXED_SEPARATORS, file=report.file, value=pair, value2=mixed[2])
    df = _read_body(all_lines, lines, delimiter, n_fields, report)
    if df.shape[1] == 1 and len(df) >= 2:
        inner = _unwrap(df, report)
        if inner is not None:
            return inner
    return _drop_repeated_headers(df, report)


def _read_body(
    all_lines: list[str], lines: list[str], delimiter: str | None, n_fields: int, report: ReadReport
) -> pd.DataFrame:
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
    if df is not None and delimiter is not None and _well_quoted(report.file, body, delimiter, n_fields):
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
