"""Read the files a founder exports: CSV/TSV/semicolon/whitespace text, Excel (.xlsx, .xls, .ods), Parquet,
JSON lines, gzip.

Bytes in, a DataFrame of text columns plus a `ReadReport` of what was guessed (encoding, delimiter, header,
sheet) out. Limits are checked before the work they guard: compressed files are inflated in a stream that
stops at the size limit, and the width of a table is checked before it is parsed. Every problem a user can
cause becomes a `ReadError` whose message says what is wrong and what to do. Type conversion (numbers,
money, dates) happens in `insight.data.types`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib

import pandas as pd

from insight.data.charset import _utf16_without_bom, decode, strip_nul
from insight.data.containers import Extent, check_parquet, check_workbook
from insight.data.dialect import MAX_COLUMNS, ReadReport, check_lines, read_text, too_wide
from insight.errors import ReadError
from insight.i18n import N_

MAX_BYTES = 200 * 1024 * 1024  # per file, before and after decompression
_CHUNK = 1024 * 1024  # inflate this much at a time, so the limit is checked as the bytes come out
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
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# Sheets that describe the data instead of holding it (a data dictionary, notes, a cover page)
_NOT_DATA_SHEET = re.compile(
    r"dict|readme|read me|notes?$|^info|about|legend|meta|codebook|description|definition|glossary|说明|字典|目录|注释",
    re.I,
)
_DICTIONARY_HEADER = re.compile(
    r"^(variable|field|column|attribute|description|discerption|meaning|字段|说明|含义)", re.I
)


def _human_size(n: int) -> str:
    return f"{n / 1024**2:,.1f} MB" if n >= 1024**2 else f"{n / 1024:,.1f} KB"


def _too_big(name: str, limit: int, inflated: bool) -> ReadError:
    if inflated:
        return ReadError(
            N_(
                "{name} unpacks to more than {human_size}, the limit for one file; reading stopped there. "
                "Export a shorter date range or fewer columns and upload it again."
            ),
            name=name,
            human_size=_human_size(limit),
        )
    return ReadError(
        N_(
            "{name} is over the {human_size} limit for one file. Export a shorter date range or fewer "
            "columns, then upload it again."
        ),
        name=name,
        human_size=_human_size(limit),
    )


def inflate_gzip(name: str, data: bytes, limit: int = MAX_BYTES) -> bytes:
    """The content of a gzip file (every member), refused as soon as it passes `limit` bytes.

    The output is produced `_CHUNK` bytes at a time, so a small file that unpacks to gigabytes (a
    decompression bomb) costs at most `limit` bytes of memory before it is refused.
    """
    out = bytearray()
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            pending = rest
            while pending:
                out += inflater.decompress(pending, _CHUNK)
                if len(out) > limit:
                    raise _too_big(name, limit, inflated=True)
                pending = inflater.unconsumed_tail
            while not inflater.eof:  # output held back inside the inflater
                piece = inflater.decompress(b"", _CHUNK)
                if not piece:
                    break
                out += piece
                if len(out) > limit:
                    raise _too_big(name, limit, inflated=True)
            if not inflater.eof:
                raise ReadError(
                    N_("{name} looks gzip-compressed but is damaged (it ends too early). Compress it again."), name=name
                )
            rest = inflater.unused_data.lstrip(b"\x00")  # concatenated members; trailing padding is allowed
    except zlib.error as exc:
        raise ReadError(
            N_("{name} looks gzip-compressed but is damaged ({exc}). Compress it again."), name=name, exc=exc
        ) from exc
    return bytes(out)


def check_zip(name: str, data: bytes, limit: int = MAX_BYTES) -> None:
    """Refuse a zip container (.xlsx, .ods) whose parts unpack to more than `limit` bytes in all.

    The declared sizes are checked first; then every part is inflated in a stream and counted, so a
    header that lies about the size cannot get a bomb past the check.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
        if sum(p.file_size for p in parts) > limit:
            raise _too_big(name, limit, inflated=True)
        total = 0
        for part in parts:
            with archive.open(part) as stream:
                while piece := stream.read(_CHUNK):
                    total += len(piece)
                    if total > limit:
                        raise _too_big(name, limit, inflated=True)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise ReadError(
            N_(
                "{name} could not be opened as a workbook ({exc}). Open it in your spreadsheet program, "
                "save it again as .xlsx (or CSV) and upload that."
            ),
            name=name,
            exc=exc,
        ) from exc


def read_table(name: str, data: bytes, max_bytes: int = MAX_BYTES) -> tuple[pd.DataFrame, ReadReport]:
    """Read one uploaded file into a frame of text columns, with what was guessed."""
    if len(data) > max_bytes:
        raise _too_big(name, max_bytes, inflated=False)
    if not data.strip():
        raise ReadError(N_("{name} is empty. Export the file again with its rows, then upload it."), name=name)
    if data[:2] == b"\x1f\x8b":
        data = inflate_gzip(name, data, max_bytes)
        name = name[:-3] if name.lower().endswith(".gz") else name
        if not data.strip():
            raise ReadError(
                N_("{name} is empty inside its compression. Export the file again, then upload it."), name=name
            )
    lower = name.lower()
    suffix = "." + lower.rsplit(".", 1)[-1] if "." in lower else ""
    report = ReadReport(file=name, format=suffix.lstrip(".") or "text")
    if data[:4] == b"PK\x03\x04" or data[:4] == b"\xd0\xcf\x11\xe0" or suffix in EXCEL_SUFFIXES:
        extents = {}
        if data[:4] == b"PK\x03\x04":
            check_zip(name, data, max_bytes)
            extents = check_workbook(name, data)
        df = _read_excel(name, data, report, extents)
    elif data[:4] == b"PAR1" or suffix == ".parquet":
        check_parquet(name, data)
        df = _read_parquet(name, data)
    elif suffix in (".json", ".jsonl", ".ndjson"):
        df = _read_json(name, data)
    elif b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not _utf16_without_bom(data):
        raise ReadError(
            N_(
                "{name} is not a text table (it holds binary data). Upload a CSV, TSV, Excel (.xlsx, .xls, "
                ".ods), Parquet or JSON-lines export."
            ),
            name=name,
        )
    elif suffix in BINARY_SUFFIXES:
        raise ReadError(
            N_(
                "{name}: files of type '{suffix}' are not supported. Upload CSV, TSV, Excel (.xlsx, .xls, "
                ".ods), Parquet or JSON lines."
            ),
            name=name,
            suffix=suffix,
        )
    else:
        text, report.encoding = decode(data, name)
        if report.encoding not in ("utf-8", "utf-8-sig"):
            report.notes.append(f"read as {report.encoding} text (not UTF-8)")
        text, nuls = strip_nul(text, name)
        if nuls:
            report.notes.append(f"{nuls:,} NUL character(s) removed (damaged bytes in the export)")
        try:
            df = read_text(text, report)
        except (pd.errors.ParserError, csv.Error) as exc:
            raise ReadError(
                N_(
                    "{name} could not be split into rows and columns ({exc}). Open it in a spreadsheet, check "
                    "the quotes and separators, and export it again as CSV."
                ),
                name=name,
                exc=exc,
            ) from exc
    if len(df.columns) > MAX_COLUMNS:
        raise too_wide(name, len(df.columns))
    df.columns = unique_names(df.columns, report)
    if len(df.columns) == 0 or len(df) == 0:
        raise ReadError(
            N_("{name} has a header but no data rows. Export it again including the rows, then upload it."), name=name
        )
    return df, report


def unique_names(columns, report: ReadReport | None = None) -> list[str]:
    """Column names trimmed, blanks named `column_N`, repeats numbered `_2`, `_3` … (linear in the columns)."""
    out: list[str] = []
    used: set[str] = set()
    next_number: dict[str, int] = {}
    renamed = []
    for i, col in enumerate(columns):
        raw = str(col)
        base = re.sub(r"^Unnamed: \d+$", "", raw.strip()) or f"column_{i + 1}"  # pandas' name for a blank
        name = base
        if name in used:
            k = next_number.get(base, 2)
            while f"{base}_{k}" in used:
                k += 1
            next_number[base] = k + 1
            name = f"{base}_{k}"
            renamed.append(f"'{raw}' → '{name}'")
        used.add(name)
        out.append(name)
    if renamed and report is not None:
        shown = ", ".join(renamed[:5]) + (f" and {len(renamed) - 5} more" if len(renamed) > 5 else "")
        report.notes.append(f"repeated column names renamed: {shown}")
    return out


def _cell_text(df: pd.DataFrame) -> pd.DataFrame:
    return df.fillna("").astype(str).apply(lambda s: s.str.strip())


def _header_row(grid: pd.DataFrame) -> int:
    """The first row as wide as the table (titles and blank rows above a table are skipped)."""
    filled = (grid != "").sum(axis=1)
    width = int(filled.max())
    for i, n in enumerate(filled.head(20)):
        if n >= max(1, 0.8 * width):
            return i
    return 0


def _table_of(grid: pd.DataFrame) -> pd.DataFrame:
    """A sheet's cells (text) as a table: blank outer rows and columns dropped, header found."""
    keep_rows = (grid != "").any(axis=1)
    keep_cols = (grid != "").any(axis=0)
    grid = grid.loc[keep_rows, keep_cols]
    if grid.empty:
        return grid
    top = _header_row(grid)
    header = grid.iloc[top].tolist()
    body = grid.iloc[top + 1 :].reset_index(drop=True)
    body.columns = header
    return body


def _looks_like_dictionary(sheet: str, table: pd.DataFrame) -> bool:
    if _NOT_DATA_SHEET.search(sheet):
        return True
    names = [str(c) for c in table.columns]
    return sum(bool(_DICTIONARY_HEADER.match(n.strip())) for n in names) >= 2 and len(names) <= 6


def _sheet_order(sheets: list[str], extents: dict[str, Extent]) -> list[str]:
    """The sheets to try, largest declared first and notes-like names last (all of them, as listed, when the
    container declared nothing: an old .xls, or sheets it names otherwise)."""
    if not set(sheets) & set(extents):
        return sheets
    with_cells = [s for s in sheets if extents.get(s, Extent(0, 0, 0)).cells]
    return sorted(with_cells, key=lambda s: (bool(_NOT_DATA_SHEET.search(s)), -extents[s].cells, sheets.index(s)))


def _read_excel(name: str, data: bytes, report: ReadReport, extents: dict[str, Extent]) -> pd.DataFrame:
    """The data sheet of a workbook, every cell as text (leading zeros and codes kept). With the sheets'
    declared extents, sheets are read largest first and reading stops at the first data table."""
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine="calamine")
        visible = [m.name for m in book.book.sheets_metadata if str(m.visible).endswith("Visible")]
        sheets = visible or list(book.sheet_names)
        for sheet in sheets:
            width = extents[sheet].columns if sheet in extents else book.book.get_sheet_by_name(sheet).width
            if width > MAX_COLUMNS:
                raise too_wide(f"{name} (sheet '{sheet}')", width)
        tables: dict[str, pd.DataFrame] = {}
        sized = bool(set(sheets) & set(extents))
        for sheet in _sheet_order(sheets, extents):
            tables[sheet] = _table_of(_cell_text(pd.read_excel(book, sheet_name=sheet, header=None, dtype=str)))
            if sized and not tables[sheet].empty and not _looks_like_dictionary(sheet, tables[sheet]):
                break
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for every kind of damage
        raise ReadError(
            N_(
                "{name} could not be opened as a workbook ({exc}). Open it in your spreadsheet program, "
                "save it again as .xlsx (or CSV) and upload that."
            ),
            name=name,
            exc=exc,
        ) from exc
    filled = {sheet: t for sheet, t in tables.items() if not t.empty}
    if not filled:
        raise ReadError(N_("{name} has no filled sheet. Put the table on a sheet and upload it again."), name=name)
    data_sheets = {s: t for s, t in filled.items() if not _looks_like_dictionary(s, t)} or filled
    sheet = max(data_sheets, key=lambda s: (data_sheets[s].shape[0] * data_sheets[s].shape[1], -list(filled).index(s)))
    report.sheet = sheet
    unread = [s for s in sheets if s not in tables and extents.get(s, Extent(0, 0, 0)).cells]
    others = [s for s in filled if s != sheet] + unread
    if others:
        shown = ", ".join(f"'{s}'" for s in others)
        report.notes.append(f"read sheet '{sheet}', the largest table; {shown} left out (upload them as CSV)")
    return filled[sheet]


def _read_parquet(name: str, data: bytes) -> pd.DataFrame:
    try:
        import pyarrow.parquet as pq

        width = len(pq.ParquetFile(io.BytesIO(data)).schema_arrow)
        if width > MAX_COLUMNS:
            raise too_wide(name, width)
        df = pd.read_parquet(io.BytesIO(data))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for damaged files
        raise ReadError(
            N_("{name} could not be read as Parquet ({exc}). Export it again or as CSV."), name=name, exc=exc
        ) from exc
    return _as_text(df)


def _read_json(name: str, data: bytes) -> pd.DataFrame:
    text, _ = decode(data, name)
    if not text.lstrip().startswith("["):
        check_lines(name, text.split("\n"))
    try:
        df = pd.read_json(io.StringIO(text), lines=not text.lstrip().startswith("["))
    except ValueError as exc:
        raise ReadError(
            N_("{name} is not valid JSON lines (one JSON object per line): {exc}. Export it as CSV instead."),
            name=name,
            exc=exc,
        ) from exc
    return _as_text(df)


def _as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Typed columns back to text, so every format goes through the same type parsing."""
    out = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
        else:
            out[col] = s.astype(object).where(s.notna(), "").astype(str)
    return pd.DataFrame(out, index=df.index)
