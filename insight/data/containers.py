"""What a workbook or a Parquet file declares about its size, checked before any reader allocates.

A 2 KB .xlsx with one cell at XFD1048576 makes a reader allocate the whole rectangle from A1 (a 512 GB
table); an .ods repeats one cell ten million times with one attribute; a Parquet file of a constant column
holds 100 million rows in under a megabyte. None of them needs inflating, so the byte limits never see them.
Here each sheet's extent (the last row and column holding a value, and what the sheet's header declares) and
a Parquet file's rows, columns and uncompressed size are read from the container, streaming, and a file past
the budget is refused with the reason. The extents also say which sheet is the largest, so only that one is read.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from insight.errors import ReadError
from insight.formats import count
from insight.i18n import _

MAX_CELLS = 50_000_000  # rows x columns of one file, as declared (every sheet together)
MAX_ROWS = 10_000_000  # about what 200 MB of text can hold: a longer table is not an export of that size
SPARSE_FROM, SPARSE_RATIO = 5_000_000, 100  # a sheet this large with 1 value per 100 cells is mostly one stray cell
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a Parquet file's columns once decompressed (the limit for text)
_CHUNK = 1024 * 1024
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(/?)>")
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,9})"')
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


@dataclass(frozen=True)
class Extent:
    """A sheet's rows x columns up to its last value (the rectangle a reader allocates), and its cells that hold
    a value."""

    rows: int
    columns: int
    values: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _too_many(name: str, what: str) -> ReadError:
    return ReadError(
        _(
            "{name} {what}; the limit is {cells} cells ({rows} rows) per file, so it was not read. Export only the "
            "rows and columns of your table (a shorter date range, fewer columns), or save it as CSV, and upload it "
            "again."
        ).format(name=name, what=what, cells=count(MAX_CELLS), rows=count(MAX_ROWS))
    )


def _damaged(name: str, exc: Exception) -> ReadError:
    return ReadError(
        _(
            "{name} could not be opened as a workbook ({problem}). Open it in your spreadsheet program, save it "
            "again as .xlsx (or CSV) and upload that."
        ).format(name=name, problem=exc)
    )


def _scan_xlsx_sheet(archive: zipfile.ZipFile, part: str) -> Extent:
    """The last row and column holding a value in a worksheet part, and how many cells hold one, streaming.

    Only cells with content count: a styled empty cell (`<c r="Z9" s="1"/>`) and the declared dimension are
    not read into the table, so they cost nothing and are no reason to refuse a file."""
    rows = columns = values = 0
    tail = b""
    with archive.open(part) as stream:
        while True:
            piece = stream.read(_CHUNK)
            text = tail + piece
            last = text.rfind(b"<")
            cut = last if piece and last > len(text) - 4096 else len(text)  # a tag may straddle two chunks
            for match in _CELL.finditer(text, 0, cut):
                ref = _REF.search(match.group(1))
                if ref and not match.group(2):
                    values += 1
                    rows = max(rows, int(ref.group(2)))
                    columns = max(columns, _column_number(ref.group(1).decode()))
            tail = text[cut:]
            if not piece:
                return Extent(rows, columns, values)


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its worksheet part, from the workbook and its relationships."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels_name = "xl/_rels/workbook.xml.rels"
    rels = ElementTree.fromstring(archive.read(rels_name)) if rels_name in archive.namelist() else None
    targets = {}
    for rel in rels.iter(f"{_RELS}Relationship") if rels is not None else []:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = path
    out = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(_DOC_REL))
        if part:
            out[sheet.get("name", "")] = part
    return out


def xlsx_extents(archive: zipfile.ZipFile) -> dict[str, Extent]:
    """Each sheet's extent by name; a worksheet part the workbook does not name still counts, under its path."""
    try:
        parts = _xlsx_sheet_parts(archive)
    except (KeyError, ElementTree.ParseError):
        parts = {}
    named = set(parts.values())
    others = [p for p in archive.namelist() if p.startswith("xl/worksheets/") and p.endswith(".xml")]
    parts.update({p: p for p in others if p not in named})
    present = set(archive.namelist())
    return {sheet: _scan_xlsx_sheet(archive, part) for sheet, part in parts.items() if part in present}


def _repeat(element: ElementTree.Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(f"{_TABLE}{attribute}", "1")))
    except ValueError:
        return 1


def ods_extents(archive: zipfile.ZipFile) -> dict[str, Extent]:
    """Each sheet's extent by name: repeated rows and cells counted up to the last one holding a value (a
    reader expands those; trailing empty repeats, as spreadsheet programs write them, cost nothing)."""
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    out: dict[str, Extent] = {}
    sheet, row, column, rows, columns, row_last, row_values, values = "", 0, 0, 0, 0, 0, 0, 0
    stack: list[ElementTree.Element] = []
    with archive.open("content.xml") as stream:
        while piece := stream.read(_CHUNK):
            parser.feed(piece)
            for event, element in parser.read_events():
                tag = element.tag
                if event == "start":
                    stack.append(element)
                    if tag == f"{_TABLE}table":
                        sheet, row, rows, columns, values = element.get(f"{_TABLE}name", f"S{len(out) + 1}"), 0, 0, 0, 0
                    elif tag == f"{_TABLE}table-row":
                        column, row_last, row_values = 0, 0, 0
                    continue
                stack.pop()
                if tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                    repeat = _repeat(element, "number-columns-repeated")
                    column += repeat
                    if element.get(f"{_OFFICE}value-type") or len(element) or (element.text or "").strip():
                        row_last, row_values = column, row_values + repeat
                elif tag == f"{_TABLE}table-row":
                    repeat = _repeat(element, "number-rows-repeated")
                    row += repeat
                    values += row_values * repeat
                    if row_last:
                        rows, columns = row, max(columns, row_last)
                elif tag == f"{_TABLE}table":
                    out[sheet] = Extent(rows, columns, values)
                if stack and tag in (f"{_TABLE}table-cell", f"{_TABLE}table-row", f"{_TABLE}covered-table-cell"):
                    stack[-1].remove(element)  # keep memory flat however long the sheet
    return out


def check_workbook(name: str, data: bytes) -> dict[str, Extent]:
    """Each sheet's extent of an .xlsx/.xlsm/.ods (empty for other zips), refused past the cell budget for any
    sheet or all together. Call after the zip's byte limits are checked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            extents = xlsx_extents(archive)
        elif "content.xml" in names:
            extents = ods_extents(archive)
        else:
            return {}
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ElementTree.ParseError) as exc:
        raise _damaged(name, exc) from exc
    for sheet, extent in extents.items():
        where = _("{name} (sheet '{sheet}')").format(name=name, sheet=sheet)
        what = _("reaches row {row} and column {column}: {cells} cells to allocate").format(
            row=count(extent.rows), column=count(extent.columns), cells=count(extent.cells)
        )
        if extent.cells > MAX_CELLS:
            raise _too_many(where, what)
        if extent.cells > SPARSE_FROM and extent.cells > SPARSE_RATIO * extent.values:
            raise ReadError(
                _(
                    "{where} {what}, for {values} values: a value far outside the table (a stray entry, often "
                    "forgotten) makes it that large. Delete the rows and columns after your table, save, and upload "
                    "it again."
                ).format(where=where, what=what, values=count(extent.values))
            )
    total = sum(e.cells for e in extents.values())
    if total > MAX_CELLS:
        what = _("has {sheets} sheets of {cells} cells in all").format(sheets=count(len(extents)), cells=count(total))
        raise _too_many(name, what)
    return extents


def check_parquet(name: str, data: bytes) -> None:
    """Refuse a Parquet file whose metadata declares more rows, cells or decompressed bytes than the budget."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(io.BytesIO(data)).metadata
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for damaged files
        raise ReadError(
            _("{name} could not be read as Parquet ({problem}). Export it again or as CSV.").format(
                name=name, problem=exc
            )
        ) from exc
    rows, columns = meta.num_rows, meta.num_columns
    if rows > MAX_ROWS or rows * columns > MAX_CELLS:
        raise _too_many(
            name, _("declares {rows} rows × {columns} columns").format(rows=count(rows), columns=count(columns))
        )
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if size > MAX_UNCOMPRESSED:
        raise ReadError(
            _(
                "{name} unpacks to {size} MB, over the {limit} MB limit for one file, so it was not read. Export a "
                "shorter date range or fewer columns and upload it again."
            ).format(name=name, size=count(size / 1024**2), limit=MAX_UNCOMPRESSED // 1024**2)
        )
