"""Read the files a founder exports: CSV/TSV/semicolon/whitespace text, Excel, Parquet, JSON lines, gzip.

Bytes in, a DataFrame of text columns plus a `ReadReport` of what was
guessed (encoding, delimiter, header) out. Every problem a user can cause
becomes a `ReadError` whose message says what is wrong and what to do.
Type conversion (numbers, money, dates) happens in `insight.data.types`.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib

import pandas as pd

from insight.data.dialect import ReadReport, decode, read_text
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


def _human_size(n: int) -> str:
    return f"{n / 1024**2:,.1f} MB" if n >= 1024**2 else f"{n / 1024:,.1f} KB"


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
            df = read_text(text, report)
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
