"""Small files that declare huge tables are refused before any reader allocates, each in the reading child
within 10 s and under 1 GB, and the next read still works; a reader that crashes costs its file a clear message.

Every hostile file is built here, in a temporary folder, and never committed."""

from __future__ import annotations

import io
import os
import pickle
import zipfile

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from insight.data import sandbox
from insight.data.containers import MAX_CELLS, Extent, check_workbook
from insight.data.read import read_table
from insight.data.sandbox import read_upload, run_isolated
from insight.errors import ReadError
from insight.memory import resident_size
from insight.store import Store

MB = 1024 * 1024
GB = 1024 * MB
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_ODS = "application/vnd.oasis.opendocument.spreadsheet"


def xlsx(far_cell: str | None, sheets: tuple[str, ...] = ("Orders",), styled: bool = False) -> bytes:
    """A workbook whose sheets hold A1:B3 (a header and two orders) and, on the first, one cell at `far_cell`
    (with `styled`, an empty styled cell there, and the dimension declared up to it)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "[Content_Types].xml",
            f'{_XML}<Types xmlns="{_PKG}/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>{overrides}</Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'{_XML}<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        listed = "".join(f'<sheet name="{s}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1))
        z.writestr(
            "xl/workbook.xml", f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{listed}</sheets></workbook>'
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels", f'{_XML}<Relationships xmlns="{_PKG}/relationships">{rels}</Relationships>'
        )
        for i, _sheet in enumerate(sheets, 1):
            values = [("customer", "amount"), (f"C{i}", "12.5"), (f"D{i}", "3")]
            rows = "".join(
                f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{a}</t></is></c>'
                f'<c r="B{r}" t="inlineStr"><is><t>{b}</t></is></c></row>'
                for r, (a, b) in enumerate(values, 1)
            )
            far = f'<c r="{far_cell}" s="1"/>' if styled else f'<c r="{far_cell}"><v>1</v></c>'
            if far_cell and i == 1:
                rows += f'<row r="{far_cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">{far}</row>'
            z.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'{_XML}<worksheet xmlns="{_MAIN}"><dimension ref="A1:{far_cell if styled else "B3"}"/>'
                f"<sheetData>{rows}</sheetData></worksheet>",
            )
    return buf.getvalue()


def ods(sheets: int, rows_repeated: int, columns_repeated: int, filled: bool = True) -> bytes:
    """An .ods of `sheets` sheets, each one row of a numbered cell repeated as told; with `filled=False`, a
    table of two rows followed by empty repeated cells, as spreadsheet programs end a sheet."""
    cell = (
        f'<table:table-cell table:number-columns-repeated="{columns_repeated}" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell>'
    )
    if not filled:
        text = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
        head = "".join(
            f"<table:table-row>{text.format(a)}{text.format(b)}</table:table-row>"
            for a, b in (("customer", "amount"), ("C1", "12.5"))
        )
        cell = f'<table:table-cell table:number-columns-repeated="{columns_repeated}"/>'
    tables = "".join(
        f'<table:table table:name="S{i}">{"" if filled else head}'
        f'<table:table-row table:number-rows-repeated="{rows_repeated}">{cell}</table:table-row></table:table>'
        for i in range(sheets)
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), _ODS)
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS}"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        z.writestr("content.xml", content)
    return buf.getvalue()


def parquet(path, rows: int) -> bytes:
    """A Parquet file of `rows` rows of one constant column, written a million rows at a time."""
    chunk = pa.table({"customer": pa.array(["C1"] * 1_000_000)})
    with pq.ParquetWriter(path, chunk.schema, compression="zstd") as writer:
        for _start in range(0, rows, 1_000_000):
            writer.write_table(chunk)
    return path.read_bytes()


def _refused_in_the_child(name: str, data: bytes, match: str) -> None:
    outcome = run_isolated(name, read_table, name, data)
    assert isinstance(outcome.error, ReadError), outcome
    assert match in str(outcome.error) and "Traceback" not in str(outcome.error)
    assert outcome.seconds < 10 and 0 < outcome.peak_rss < GB
    df, _ = read_upload("next.xlsx", xlsx(None))  # the reader still answers the next visitor
    assert df["customer"].tolist() == ["C1", "D1"]


def test_a_two_kilobyte_workbook_naming_the_last_cell_is_refused_unread():
    data = xlsx("XFD1048576")
    assert len(data) < 2_000
    _refused_in_the_child("orders.xlsx", data, "reaches row 1,048,576 and column 16,384")


def test_a_cell_at_column_2000_of_the_last_row_is_refused():
    _refused_in_the_child("orders.xlsx", xlsx("BXX1048576"), "reaches row 1,048,576 and column 2,000")


def test_a_stray_value_far_from_a_small_table_is_refused_with_the_way_out():
    _refused_in_the_child("orders.xlsx", xlsx("GR100000"), "for 7 values: a value far outside the table")


def test_styled_empty_cells_and_the_declared_dimension_cost_nothing():
    data = xlsx("XFD1048576", styled=True)
    assert check_workbook("orders.xlsx", data)["Orders"] == Extent(3, 2, 6)
    assert read_upload("orders.xlsx", data)[0]["customer"].tolist() == ["C1", "D1"]


def test_forty_sheets_of_repeated_cells_are_refused_by_their_total():
    data = ods(40, 10_000, 1_000)
    assert len(data) < 2_000
    _refused_in_the_child("orders.ods", data, "has 40 sheets of 400,000,000 cells in all")


def test_a_sheet_of_repeated_cells_is_refused_by_its_extent():
    with pytest.raises(ReadError, match="reaches row 1,048,576 and column 1,024"):
        check_workbook("orders.ods", ods(1, 1_048_576, 1_024))


def test_empty_repeated_cells_at_the_end_of_a_sheet_cost_nothing():
    data = ods(1, 1_048_574, 1_024, filled=False)
    assert check_workbook("orders.ods", data)["S0"].cells == 4
    df, _ = read_upload("orders.ods", data)
    assert df.to_dict("list") == {"customer": ["C1"], "amount": ["12.5"]}


@pytest.mark.parametrize("rows", [100_000_000, 20_000_000])
def test_a_parquet_file_of_millions_of_constant_rows_is_refused_from_its_metadata(tmp_path, rows):
    data = parquet(tmp_path / "orders.parquet", rows)
    assert len(data) < MB
    _refused_in_the_child("orders.parquet", data, f"declares {rows:,} rows × 1 columns")


def test_a_ten_megabyte_quoted_cell_spanning_lines_is_refused_not_split_into_rows():
    para = "lovely tea, would buy again " * 50 + "\n"
    cell = para * (10 * MB // len(para))
    data = f'customer,review\nC1,"{cell}"\nC2,ok\n'.encode()
    _refused_in_the_child("reviews.csv", data, "has a quoted cell of more than 2,000,000 characters")


def test_a_quoted_cell_spanning_lines_under_the_limit_is_one_cell():
    para = "lovely tea\n"
    data = f'customer,review\nC1,"{para * 90_000}"\nC2,ok\n'.encode()
    df, _ = read_table("reviews.csv", data)
    assert df["customer"].tolist() == ["C1", "C2"] and df["review"].iloc[0] == para * 90_000


def test_json_lines_obey_the_line_limit():
    data = b'{"customer": "C1"}\n{"customer": "' + b"x" * 3 * MB + b'"}\n'
    _refused_in_the_child("orders.jsonl", data, f"has a line of {3 * MB + 16:,} characters")


def test_only_the_largest_sheet_is_read_and_the_others_are_named():
    data = xlsx(None, sheets=("Notes", "Orders"))
    df, report = read_upload("orders.xlsx", data)
    assert report.sheet == "Orders" and df["customer"].tolist() == ["C2", "D2"]
    assert any("'Notes' left out" in note for note in report.notes)


def test_a_workbook_within_the_budget_reads_in_the_child():
    assert sandbox.needs_isolation("orders.xlsx", xlsx(None))
    assert not sandbox.needs_isolation("orders.csv", b"customer,amount\nC1,2\n")
    outcome = run_isolated("orders.xlsx", read_table, "orders.xlsx", xlsx("B20"))
    assert outcome.error is None and outcome.value[0]["amount"].tolist() == ["12.5", "3", "1"]
    assert MAX_CELLS == 50_000_000


def _abort(name: str, data: bytes) -> None:
    os.abort()


def _allocate(name: str, data: bytes) -> bytes:
    return b"x" * (8 * GB)


def _fail(name: str, data: bytes) -> None:
    raise ValueError("no sheet data")


def test_a_reader_failing_unexpectedly_says_so_for_that_file():
    outcome = run_isolated("orders.ods", _fail, "orders.ods", b"")
    assert str(outcome.error) == (
        "orders.ods could not be read (ValueError: no sheet data). Export it again as CSV and upload that."
    )


def test_a_reader_that_aborts_becomes_a_clear_message_for_that_file():
    outcome = run_isolated("orders.xlsx", _abort, "orders.xlsx", b"")
    assert isinstance(outcome.error, ReadError)
    assert str(outcome.error).startswith("orders.xlsx could not be read safely: reading it needed more than")
    assert read_upload("next.xlsx", xlsx(None))[0].shape == (2, 2)


def test_an_allocation_past_the_ceiling_becomes_a_clear_message(monkeypatch):
    monkeypatch.setenv(sandbox.MEMORY_ENV, "512")
    outcome = run_isolated("orders.parquet", _allocate, "orders.parquet", b"")
    assert str(outcome.error).startswith("orders.parquet could not be read safely: reading it needed more than 512 MB")
    assert outcome.peak_rss < GB


def test_a_reader_past_its_cpu_time_is_stopped(monkeypatch):
    monkeypatch.setenv(sandbox.CPU_ENV, "1")
    outcome = run_isolated("orders.xlsx", _spin, "orders.xlsx", b"")
    assert "reading it took more than 1 seconds" in str(outcome.error)
    assert outcome.seconds < 60  # one CPU second, however slowly a loaded machine hands it out: not forever


def _spin(name: str, data: bytes) -> None:
    while True:
        pd.Series(range(1000)).sum()


def test_the_store_counts_frames_of_text_by_the_memory_they_hold():
    frame = pd.DataFrame({"customer": [f"C{i:06d}" for i in range(100_000)]}, dtype=object)  # as read
    held, pickled = resident_size({"tables": [frame]}), len(pickle.dumps(frame))
    assert held > 4 * pickled  # a text cell is a Python object of ~56 bytes; pickled, its 7 characters
    store = Store(None, memory_bytes=(held + pickled) // 2)
    assert store.get_or_compute("fp", "frame", None, lambda: frame) is frame
    assert store._memory_used == 0  # over the budget once counted as held: not kept in memory
    assert resident_size(object()) == 0 and resident_size([1, "a", {"b": None}]) == 0
