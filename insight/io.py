"""Read the files a founder exports: CSV/TSV/semicolon/whitespace text, Excel, Parquet, JSON lines, gzip.

Bytes in, a DataFrame of text columns plus a `ReadReport` of what was
guessed (encoding, delimiter, header) out. Every problem a user can cause
becomes a `ReadError` whose message says what is wrong and what to do.
Type conversion (numbers, money, dates) happens in `parse_types` so the
quality report can count what did not convert.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import warnings
import zlib
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from insight.errors import ReadError

MAX_BYTES = 200 * 1024 * 1024
BINARY_SUFFIXES = (
    ".pdf",
    ".doc",
    ".docx",
    ".ppt",
    ".pptx",
    ".zip",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".numbers",
    ".sav",
)
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


def _human_size(n: int) -> str:
    return f"{n / 1024**2:,.1f} MB" if n >= 1024**2 else f"{n / 1024:,.1f} KB"


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


def _read_text(text: str, report: ReadReport) -> pd.DataFrame:
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


def _strip_gzip(name: str, data: bytes) -> tuple[str, bytes]:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ReadError(f"{name} looks gzip-compressed but is damaged ({exc}). Compress it again.") from exc
        if name.lower().endswith(".gz"):
            name = name[:-3]
    return name, data


def read_table(name: str, data: bytes, max_bytes: int = MAX_BYTES) -> tuple[pd.DataFrame, ReadReport]:
    """Read one uploaded file into a frame of text columns, with what was guessed."""
    if len(data) > max_bytes:
        raise ReadError(
            f"{name} is {_human_size(len(data))}, over the {_human_size(max_bytes)} limit. "
            "Export a shorter date range or fewer columns, or compress it as .csv.gz."
        )
    if not data.strip():
        raise ReadError(f"{name} is empty. Export the file again with its rows, then upload it.")
    name, data = _strip_gzip(name, data)
    lower = name.lower()
    suffix = "." + lower.rsplit(".", 1)[-1] if "." in lower else ""
    report = ReadReport(file=name, format=suffix.lstrip(".") or "text")
    if data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        df = _read_excel(name, data, report)
    elif data[:4] == b"PAR1" or suffix == ".parquet":
        df = _read_parquet(name, data)
    elif data[:4] == b"\xd0\xcf\x11\xe0" or suffix == ".xls":
        raise ReadError(f"{name} is an old Excel 97-2003 file. Open it in Excel and save as .xlsx or CSV.")
    elif suffix in (".json", ".jsonl", ".ndjson"):
        df = _read_json(name, data)
    elif b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs
        raise ReadError(
            f"{name} is not a text table (it holds binary data). Upload a CSV, TSV, Excel (.xlsx), "
            "Parquet or JSON-lines export."
        )
    elif suffix in BINARY_SUFFIXES:
        raise ReadError(
            f"{name}: files of type '{suffix}' are not supported. Upload CSV, TSV, Excel (.xlsx), "
            "Parquet or JSON lines."
        )
    else:
        text, report.encoding = decode(data, name)
        try:
            df = _read_text(text, report)
        except (pd.errors.ParserError, csv.Error) as exc:
            raise ReadError(
                f"{name} could not be split into rows and columns ({exc}). Open it in a spreadsheet, "
                "check the quotes and separators, and export it again as CSV."
            ) from exc
    df.columns = _unique_names(df.columns)
    if len(df.columns) == 0 or len(df) == 0:
        raise ReadError(f"{name} has a header but no data rows. Export it again including the rows, then upload it.")
    return df, report


def _unique_names(columns) -> list[str]:
    out: list[str] = []
    for i, col in enumerate(columns):
        base = re.sub(r"^Unnamed: \d+$", "", str(col).strip()) or f"column_{i + 1}"  # pandas' name for a blank
        name, k = base, 2
        while name in out:
            name, k = f"{base}_{k}", k + 1
        out.append(name)
    return out


def _read_excel(name: str, data: bytes, report: ReadReport) -> pd.DataFrame:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, engine="openpyxl")
    except Exception as exc:
        raise ReadError(
            f"{name} could not be opened as an Excel workbook ({exc}). Save it again as .xlsx or CSV."
        ) from exc
    filled = [(sheet, df) for sheet, df in sheets.items() if not df.dropna(how="all").empty]
    if not filled:
        raise ReadError(f"{name} has no filled sheet. Put the table on the first sheet and upload again.")
    sheet, df = filled[0]
    if len(filled) > 1:
        report.notes.append(f"read sheet '{sheet}'; {len(filled) - 1} other sheet(s) ignored — upload them as CSV")
    return df.fillna("").astype(str)


def _read_parquet(name: str, data: bytes) -> pd.DataFrame:
    try:
        df = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:
        raise ReadError(f"{name} could not be read as Parquet ({exc}). Export it again or as CSV.") from exc
    return _as_text(df)


def _read_json(name: str, data: bytes) -> pd.DataFrame:
    text, _ = decode(data, name)
    try:
        df = pd.read_json(io.StringIO(text), lines=not text.lstrip().startswith("["))
    except ValueError as exc:
        raise ReadError(
            f"{name} is not valid JSON lines (one JSON object per line): {exc}. Export it as CSV instead."
        ) from exc
    return _as_text(df)


def _as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Typed columns back to text, so every format goes through the same type parsing."""
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
        else:
            out[col] = s.astype(object).where(s.notna(), "").astype(str)
    return out


# --- type parsing ---------------------------------------------------------------------------------

_CURRENCY = re.compile(r"[$€£¥₹]|(?i:\b(eur|usd|gbp|chf|sek|nok|dkk|kr)\b)\.?")
_SPACE = re.compile(r"[\s\u00a0\u202f]")
_SPACED_THOUSANDS = re.compile(r"^[-+]?\d{1,3}([\s\u00a0\u202f]\d{3})+([.,]\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2}|,\d{4,})$")
_DECIMAL_POINT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)\.\d+$")
_ID_NAME = re.compile(
    r"(^|[\W_])(id|ids|code|sku|ean|upc|zip|postal|postcode|plz|phone|tel)($|[\W_])|(id|nr|no|number|nummer|num|#)$"
    r"|^(invoice|order|receipt|ticket|rechnung|bestellung|factura|facture|pedido)s?$",
    re.I,
)
_DATE_NAME = re.compile(r"date|time|datum|fecha|data|jour|day|created|updated|month|zeit|stamp|when|at$", re.I)
_MONTH = (  # month names and their abbreviations in English, German, Spanish, French; whole words only
    r"(jan(uary|uar|vier)?|feb(ruary|ruar)?|f[ée]v(rier)?|mar(ch|s)?|m[äa]rz|apr(il)?|avr(il)?|may|mai|jun[ei]?|"
    r"juin|jul[iy]?|juil(let)?|aug(ust)?|ao[uû]t|sep(t|tember|tembre)?|oct(ober|obre)?|okt(ober)?|nov(ember|embre)?|"
    r"dec(ember)?|d[ée]c(embre)?|dez(ember)?|ene(ro)?|abr(il)?|ago(sto)?|dic(iembre)?)\.?(?![a-zé])"
)
_DATE_LIKE = re.compile(rf"^\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{1,4}}|^\d{{1,2}}[ -.]+{_MONTH}[ -]|^{_MONTH}[ ,]+\d", re.I)


def _plain_numbers(values: pd.Series) -> pd.Series | None:
    """Plain numbers ("12", "-3.5", "1e3", blanks) through Arrow's cast, an order of magnitude faster than
    `pd.to_numeric` on a million strings; None as soon as one value is anything else ("$1,234.50")."""
    text = pc.utf8_trim_whitespace(pa.array(values.astype("string[pyarrow]")))
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    try:
        numbers = pc.cast(text, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=values.index, dtype=float)


def parse_numbers(values: pd.Series) -> pd.Series:
    """Text like "$1,234.50", "1.234,50 €", "(12.00)" or "15%" to floats; unparseable become NaN."""
    plain = _plain_numbers(values)
    if plain is not None:
        return plain
    s = values.astype(str).str.strip()
    negative = s.str.match(r"^\(.*\)$")
    s = s.str.strip("()").str.replace(_CURRENCY, "", regex=True).str.strip().str.rstrip("%").str.strip()
    spaced = s.str.match(_SPACED_THOUSANDS).fillna(False).astype(bool)  # "1 234,50": spaces group thousands
    s = s.where(~spaced, s.str.replace(_SPACE, "", regex=True))
    ambiguous = s.str.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+|[-+]?\d{1,3}(,\d{3})+").fillna(False).astype(bool)
    comma_value = s.str.match(_DECIMAL_COMMA).fillna(False).astype(bool) & ~ambiguous
    point_value = s.str.match(_DECIMAL_POINT).fillna(False).astype(bool) & ~ambiguous
    comma_column = comma_value.sum() > point_value.sum()
    use_comma = comma_value | (ambiguous & comma_column)
    as_comma = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    s = as_comma.where(use_comma, s.str.replace(",", "", regex=False))
    out = pd.to_numeric(s.where(s != "", None), errors="coerce").astype(float)
    return out.where(~negative, -out)


def _day_first(sample: pd.Series) -> bool:
    """True when dates are written day before month (some first part is over 12)."""
    parts = sample.str.extract(r"^(\d{1,2})[-/.](\d{1,2})[-/.]\d{2,4}")
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    return bool((first > 12).sum() > (second > 12).sum())


def parse_dates(values: pd.Series, name: str = "") -> pd.Series:
    """Dates in mixed formats (ISO, day-first, month names, YYYYMMDD, Unix seconds); unparseable become NaT."""
    s = values.astype(str).str.strip()
    s = s.where(s != "", None)
    present = s.dropna()
    if present.empty:
        return pd.to_datetime(s, errors="coerce")
    if present.str.fullmatch(r"\d{8}").all():
        return pd.to_datetime(s, format="%Y%m%d", errors="coerce")
    if present.str.fullmatch(r"\d{9,10}").all():
        return pd.to_datetime(pd.to_numeric(s, errors="coerce"), unit="s", errors="coerce")
    try:
        return pd.to_datetime(s, format="ISO8601", errors="raise")
    except (ValueError, TypeError):
        pass
    iso = s.str.match(r"^\d{4}-\d{1,2}-\d{1,2}").fillna(False).astype(bool)
    out = pd.to_datetime(s.where(iso), format="ISO8601", errors="coerce")
    dayfirst = _day_first(present[~present.str.match(r"^\d{4}-")].head(5000))
    try:  # one format throughout (12/1/2010 08:26): pandas infers it from the first value, fast
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            rest = pd.to_datetime(s.where(~iso), dayfirst=dayfirst, errors="raise")
    except (ValueError, TypeError):
        rest = pd.to_datetime(s.where(~iso), format="mixed", dayfirst=dayfirst, errors="coerce")
    return out.fillna(rest)


@dataclass
class TypeReport:
    """How each column was typed and how many values did not fit the type."""

    kinds: dict[str, str] = field(default_factory=dict)
    unparsed: dict[str, int] = field(default_factory=dict)


def _is_date_column(name: str, present: pd.Series) -> bool:
    sample = present.head(500)
    if sample.str.match(_DATE_LIKE).mean() > 0.9:
        return True
    if _DATE_NAME.search(name) or re.fullmatch(r"column_\d+", name):
        if sample.str.fullmatch(r"(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])").mean() > 0.95:
            return True
        if sample.str.fullmatch(r"1\d{9}|[89]\d{8}").mean() > 0.95:
            return True
    return False


def _zero_padded(present: pd.Series) -> bool:
    """Codes like 00042: digits of one width, some with leading zeros (numbers would lose them)."""
    sample = present.head(5000)
    return bool(
        sample.str.match(r"^0\d").mean() > 0.05
        and sample.str.fullmatch(r"\d+").all()
        and sample.str.len().nunique() == 1
    )


def _mostly_numbers(present: pd.Series, threshold: float) -> bool:
    """A quick look at the first values, so text columns (descriptions, countries) skip the full number parse."""
    return bool(parse_numbers(present.head(2000)).notna().mean() >= threshold)


def _mostly_parsed(dates: pd.Series, blank: pd.Series, threshold: float = 0.9) -> bool:
    """Whether a column that looked like dates really reads as dates (else it stays text, nothing lost)."""
    return bool(dates[~blank].notna().mean() >= threshold)


def parse_types(df: pd.DataFrame, threshold: float = 0.9) -> tuple[pd.DataFrame, TypeReport]:
    """Turn text columns into numbers or dates where at least `threshold` of the values fit.

    Identifier-like columns (names such as "customer id", "SKU"; values with leading zeros) stay text.
    """
    out = {}
    report = TypeReport()
    for col in df.columns:
        raw = df[col]
        s = raw.astype(str).str.strip()
        blank = (s == "") | s.str.lower().isin(["nan", "none"])
        present = s[~blank]
        kind = "text"
        converted: pd.Series | None = None
        if present.empty:
            kind = "empty"
        elif _is_date_column(col, present) and _mostly_parsed(dates := parse_dates(s.where(~blank, ""), col), blank):
            converted = dates
            kind = "datetime"
        elif not _ID_NAME.search(col) and not _zero_padded(present) and _mostly_numbers(present, threshold):
            numbers = parse_numbers(s.where(~blank, ""))
            failed = present[numbers[~blank].isna()]
            codes = len(failed) > 0 and failed.str.fullmatch(r"[A-Za-z]{1,3}-?\d+").all()
            if numbers[~blank].notna().mean() >= threshold and not codes:
                converted = numbers
                kind = "number"
        if converted is not None:
            report.unparsed[col] = int((converted.isna() & ~blank).sum())
            out[col] = converted
        else:
            out[col] = s.where(~blank)
        report.kinds[col] = kind
    report.unparsed = {k: v for k, v in report.unparsed.items() if v > 0}
    return pd.DataFrame(out, index=df.index), report


# --- export ---------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote (OWASP CSV injection)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            text = s.astype(object)
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
            out[col] = text.where(~risky, "'" + text.astype(str))
    return out


def to_safe_csv(df: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8 with BOM for Excel) with formula injection neutralised."""
    return neutralise_formulas(df).to_csv(index=False).encode("utf-8-sig")
