"""Reading exports: formats, encodings, delimiters, money and dates, damaged files, messy CSVs (Hypothesis)."""

from __future__ import annotations

import csv
import gzip
import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insight.data.dialect import sniff_delimiter
from insight.data.export import neutralise_formulas, to_safe_csv
from insight.data.read import read_table
from insight.data.types import parse_dates, parse_numbers, parse_types
from insight.errors import InsightError, ReadError
from tests.conftest import SHARED_DATA

ROWS = [["C1", "Müller", "12.50"], ["C2", "Zoë", "3.00"], ["C3", "Bob", "40.25"]]


def _text(delimiter: str, header=("customer_id", "name", "amount"), rows=ROWS) -> str:
    return "\n".join(delimiter.join(r) for r in [list(header), *rows]) + "\n"


def _expected() -> dict[str, list[str]]:
    return {"customer_id": ["C1", "C2", "C3"], "name": ["Müller", "Zoë", "Bob"], "amount": ["12.50", "3.00", "40.25"]}


# --- formats ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "delimiter", "reported"),
    [
        ("orders.csv", ",", ","),
        ("orders.tsv", "\t", "\t"),
        ("orders.csv", ";", ";"),
        ("orders.txt", "|", "|"),
        ("orders.txt", "   ", "whitespace"),
    ],
)
def test_reads_delimited_text(name, delimiter, reported):
    df, report = read_table(name, _text(delimiter).encode())
    assert df.to_dict("list") == _expected()
    assert report.delimiter == reported
    assert report.header


def test_reads_whitespace_aligned_columns_of_uneven_width():
    data = b"id     date        qty   amt\n00001  19970101    1     11.77\n00002  19970112    12    9.00\n"
    df, report = read_table("CDNOW.txt", data)
    assert list(df.columns) == ["id", "date", "qty", "amt"]
    assert df["id"].tolist() == ["00001", "00002"]
    assert df["qty"].tolist() == ["1", "12"]
    assert report.delimiter == "whitespace"


def test_reads_the_largest_excel_sheet_and_notes_the_others():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Orders"
    ws.append(["customer_id", "date", "amount"])
    ws.append(["C1", "2024-01-05", 12.5])
    ws.append(["C2", "2024-02-05", 3])
    returns = wb.create_sheet("Returns")
    returns.append(["customer_id", "amount"])
    returns.append(["C1", -2.5])
    buf = io.BytesIO()
    wb.save(buf)
    df, report = read_table("orders.xlsx", buf.getvalue())
    assert df["customer_id"].tolist() == ["C1", "C2"]
    assert parse_numbers(df["amount"]).tolist() == [12.5, 3.0]
    assert report.format == "xlsx"
    assert report.sheet == "Orders"
    assert any("read sheet 'Orders'" in n and "'Returns' left out" in n for n in report.notes)


def test_reads_parquet_and_turns_typed_columns_back_to_text():
    frame = pd.DataFrame(
        {
            "customer_id": ["C1", "C2"],
            "amount": [1.5, 2.0],
            "date": pd.to_datetime(["2024-01-01", "2024-02-03"]),
            "note": ["x", None],
        }
    )
    buf = io.BytesIO()
    frame.to_parquet(buf)
    df, _ = read_table("orders.parquet", buf.getvalue())
    assert df.to_dict("list") == {
        "customer_id": ["C1", "C2"],
        "amount": ["1.5", "2.0"],
        "date": ["2024-01-01 00:00:00", "2024-02-03 00:00:00"],
        "note": ["x", ""],
    }


@pytest.mark.parametrize("name", ["events.jsonl", "events.json"])
def test_reads_json_lines_and_json_arrays(name):
    rows = [{"user": "u1", "stars": 5, "text": "great"}, {"user": "u2", "stars": 2, "text": "late"}]
    frame = pd.DataFrame(rows)
    lines = name.endswith(".jsonl")
    data = frame.to_json(orient="records", lines=lines).encode()
    df, _ = read_table(name, data)
    assert df.to_dict("list") == {"user": ["u1", "u2"], "stars": ["5", "2"], "text": ["great", "late"]}


def test_reads_gzip_compressed_csv():
    df, report = read_table("orders.csv.gz", gzip.compress(_text(",").encode()))
    assert df.to_dict("list") == _expected()
    assert report.file == "orders.csv"


# --- encodings and delimiters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("latin-1", "cp1252")],
)
def test_decodes_utf8_bom_and_windows_encodings(encoding, reported):
    price = "12,50 €" if encoding != "latin-1" else "12,50 £"
    data = f"Kunde;Stadt;Betrag\nMüller;Köln;{price}\nDupré;Zürich;3,00\n".encode(encoding)
    df, report = read_table("kunden.csv", data)
    assert list(df.columns) == ["Kunde", "Stadt", "Betrag"]  # no BOM glued to the first name
    assert df["Kunde"].tolist() == ["Müller", "Dupré"]
    assert df["Betrag"].tolist() == [price, "3,00"]
    assert report.encoding == reported
    assert parse_numbers(df["Betrag"]).tolist() == [12.5, 3.0]


def test_sniffs_delimiter_despite_other_delimiters_inside_quoted_cells():
    lines = ["id;comment;amount", '1;"late, damaged, sad";3,50', '2;"ok | fine";4,00', '3;"a, b, c, d";1,00']
    assert sniff_delimiter(lines) == (";", 3)
    df, _ = read_table("x.csv", "\n".join(lines).encode())
    assert df["comment"].tolist() == ["late, damaged, sad", "ok | fine", "a, b, c, d"]


def test_single_column_file_is_one_column():
    df, _ = read_table("emails.txt", b"email\na@example.com\nb@example.com\n")
    assert df.to_dict("list") == {"email": ["a@example.com", "b@example.com"]}


def test_headerless_file_gets_numbered_columns():
    data = b"00001 00001 19970101 1 11.77\n00001 00001 19970118 2 17.76\n00002 00002 19970112 1 12.00\n"
    df, report = read_table("CDNOW_sample.txt", data)
    assert not report.header
    assert list(df.columns) == [f"column_{i}" for i in range(1, 6)]
    assert len(df) == 3
    assert df["column_3"].tolist() == ["19970101", "19970118", "19970112"]
    assert any("no header" in n for n in report.notes)


def test_skips_title_lines_above_the_header():
    data = (
        b"Sales report, Bean & Leaf\nExported 2024-06-01\n\ncustomer_id,date,amount\nC1,2024-01-05,3\nC2,2024-01-06,4\n"
    )
    df, report = read_table("report.csv", data)
    assert df.to_dict("list") == {
        "customer_id": ["C1", "C2"],
        "date": ["2024-01-05", "2024-01-06"],
        "amount": ["3", "4"],
    }
    assert any("skipped 2 line(s)" in n for n in report.notes)


def test_unbalanced_quotes_keep_every_line_even_the_first():
    # like imdb_labelled.txt: a sentence opens a quote it never closes
    lines = ['"The best film of the year  \t1', "Boring.  \t0", 'He said "wow" twice  \t1', "Fine\t1"]
    df, report = read_table("reviews.txt", "\n".join(lines).encode())
    assert len(df) == 4
    assert df["column_1"].iloc[0] == '"The best film of the year  '
    assert df["column_2"].tolist() == ["1", "0", "1", "1"]
    assert any("quote" in n for n in report.notes)


def test_quoted_cells_spanning_lines_stay_one_row():
    data = b'id,comment,stars\n1,"line one\nline two, still the comment",5\n2,ok,3\n3,"""quoted"" word",4\n'
    df, _ = read_table("feedback.csv", data)
    assert df["comment"].tolist() == ["line one\nline two, still the comment", "ok", '"quoted" word']
    assert df["stars"].tolist() == ["5", "3", "4"]


def test_rows_with_too_many_fields_are_left_out_and_reported():
    data = b"a,b\n1,2\n3,4,5,6\n7,8\n" + b"".join(f"{i},{i}\n".encode() for i in range(20))
    df, report = read_table("x.csv", data)
    assert len(df) == 22
    assert report.skipped_lines == [4]  # the field count of the bad line
    assert df["a"].tolist()[:2] == ["1", "7"]
    assert df["b"].tolist()[:2] == ["2", "8"]
    assert any("1 line(s) had the wrong number of fields" in n for n in report.notes)


def test_extra_field_in_the_first_row_does_not_shift_columns():
    df, report = read_table("x.csv", b"a,b\n1,2,3\n4,5\n6,7\n")
    assert df.to_dict("list") == {"a": ["1", "4", "6"], "b": ["2", "5", "7"]}
    assert any("more fields than the header" in n for n in report.notes)


@pytest.mark.parametrize(
    "data",
    [b"a,b,c\n1,2,3,\n4,5,6,\n", b"a;b;c\n1;2;3;\n4;5;6;\n"],
)
def test_trailing_delimiter_on_every_row_keeps_the_header(data):
    df, report = read_table("x.csv", data)
    assert df.to_dict("list") == {"a": ["1", "4"], "b": ["2", "5"], "c": ["3", "6"]}
    assert report.header
    assert report.notes == []


def test_duplicate_and_blank_column_names_become_unique():
    df, report = read_table("x.csv", b"id,amount,amount,\n1,2,3,4\n5,6,7,8\n")
    assert report.header
    assert list(df.columns) == ["id", "amount", "amount.1", "column_4"]


def test_pandas_index_column_without_a_name_keeps_the_header():
    df, report = read_table("x.csv", pd.DataFrame({"a": [1, 3], "b": [2, 4]}).to_csv().encode())
    assert report.header
    assert df.to_dict("list") == {"column_1": ["0", "1"], "a": ["1", "3"], "b": ["2", "4"]}


# --- money, numbers and dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("$1,234.50", 1234.5),
        ("1.234,50 €", 1234.5),
        ("€ 1.234,50", 1234.5),
        ("EUR 7,5", 7.5),
        ("£12", 12.0),
        ("(12.00)", -12.0),
        ("-$617.25", -617.25),
        ("15%", 15.0),
        ("1 234,50", 1234.5),
        ("12", 12.0),
        ("3.5e2", 350.0),
    ],
)
def test_parses_money_and_thousands_separators(text, value):
    assert parse_numbers(pd.Series([text])).iloc[0] == pytest.approx(value)


def test_ambiguous_thousands_follow_the_column():
    comma_column = parse_numbers(pd.Series(["1.234,50 €", "20,00 €", "1.000"]))
    point_column = parse_numbers(pd.Series(["1,234.50", "20.00", "1,000"]))
    assert comma_column.tolist() == [1234.5, 20.0, 1000.0]
    assert point_column.tolist() == [1234.5, 20.0, 1000.0]


def test_unparseable_numbers_become_missing():
    out = parse_numbers(pd.Series(["12", "twelve", "", "n/a"]))
    assert out.iloc[0] == 12.0
    assert out.iloc[1:].isna().all()


def test_mixed_date_formats_with_day_first_detection():
    out = parse_dates(pd.Series(["2024-01-05", "05/02/2024", "25/12/2024", "Jan 3, 2024", ""]))
    assert out.tolist()[:4] == [pd.Timestamp(d) for d in ("2024-01-05", "2024-02-05", "2024-12-25", "2024-01-03")]
    assert pd.isna(out.iloc[4])


def test_month_first_dates_stay_month_first():
    out = parse_dates(pd.Series(["01/13/2024", "05/02/2024", "12/31/2023"]))
    assert out.tolist() == [pd.Timestamp(d) for d in ("2024-01-13", "2024-05-02", "2023-12-31")]


@pytest.mark.parametrize(
    ("values", "first"),
    [
        (["13.01.2024", "05.02.2024"], "2024-01-13"),
        (["19970101", "19970225"], "1997-01-01"),
        (["874965758", "891350900"], "1997-09-22 22:02:38"),
    ],
)
def test_european_compact_and_unix_dates(values, first):
    assert parse_dates(pd.Series(values)).iloc[0] == pd.Timestamp(first)


def test_parse_types_types_columns_and_counts_what_did_not_fit():
    raw = pd.DataFrame(
        {
            "customer_id": [f"{i:03d}" for i in range(1, 21)],
            "zip": ["01234"] * 20,
            "price": ["$1,234.50", "$3.00", "$10"] + ["$5"] * 16 + ["oops"],
            "date": ["2024-01-05", "05/02/2024", "25/12/2024"] + ["2024-03-01"] * 15 + ["", "soon"],
            "note": list("abcdefghijklmnopqrst"),
            "blank": [""] * 20,
        }
    )
    typed, report = parse_types(raw)
    assert report.kinds == {
        "customer_id": "text",
        "zip": "text",
        "price": "number",
        "date": "datetime",
        "note": "text",
        "blank": "empty",
    }
    assert typed["customer_id"].iloc[0] == "001"  # ids keep their leading zeros
    assert typed["price"].iloc[0] == 1234.5
    assert typed["date"].iloc[1] == pd.Timestamp("2024-02-05")
    assert report.unparsed == {"price": 1, "date": 1}
    assert typed["blank"].isna().all()


def test_codes_like_sku_numbers_stay_text():
    raw = pd.DataFrame({"article": ["A-104", "B-7", "C-12"], "value": ["1", "2", "3"]})
    typed, report = parse_types(raw)
    assert report.kinds["article"] == "text"
    assert report.kinds["value"] == "number"


def test_safe_csv_neutralises_spreadsheet_formulas():
    df = pd.DataFrame({"name": ['=HYPERLINK("x")', "Ann", "@SUM(A1)"], "n": [1, 2, 3]})
    safe = neutralise_formulas(df)
    assert safe["name"].tolist() == ['\'=HYPERLINK("x")', "Ann", "'@SUM(A1)"]
    assert to_safe_csv(df).splitlines()[:2] == [b"\xef\xbb\xbfname,n", b'"\'=HYPERLINK(""x"")",1']


# --- errors a user can cause ----------------------------------------------------------------------------

_OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512


@pytest.mark.parametrize(
    ("name", "data", "max_bytes", "what", "todo"),
    [
        ("orders.csv", b"", None, "is empty", "Export the file again"),
        ("orders.csv", b"  \r\n\n ", None, "is empty", "Export the file again"),
        ("orders.csv", b"customer_id,date,amount\n", None, "no data rows", "Export it again"),
        ("orders.csv", bytes(range(256)) * 8, None, "binary data", "Upload a CSV"),
        ("report.pdf", b"%PDF-1.4 some text", None, "'.pdf' are not supported", "Upload CSV"),
        ("orders.xls", _OLD_XLS, None, "could not be opened as a workbook", "save it again as .xlsx"),
        ("orders.csv", b"a,b\n1,2\n" * 200, 1000, "over the 1.0 KB limit", "shorter date range"),
        ("orders.csv.gz", gzip.compress(b"a,b\n1,2\n" * 50, mtime=0)[:30], None, "damaged", "Compress it again"),
        ("orders.xlsx", b"PK\x03\x04 not really a workbook", None, "could not be opened", "save it again"),
        ("orders.parquet", b"PAR1 truncated", None, "could not be read as Parquet", "Export it again"),
        ("orders.jsonl", b'{"a": 1\n{"a": \n', None, "not valid JSON lines", "Export it as CSV"),
    ],
)
def test_clear_read_errors(name, data, max_bytes, what, todo):
    kwargs = {"max_bytes": max_bytes} if max_bytes else {}
    with pytest.raises(ReadError) as info:
        read_table(name, data, **kwargs)
    message = str(info.value)
    assert name.removesuffix(".gz") in message or name in message
    assert what in message
    assert todo in message


@pytest.mark.parametrize("data", [b'"', b'a\n"', b'customer\n\x1f\n"\n', b"\xef\xbb\xbf", b"\n\n\x00"])
def test_odd_tiny_files_never_crash(data):
    try:
        df, _ = read_table("odd.csv", data)
    except ReadError as exc:
        assert "odd.csv" in str(exc)
    else:
        assert len(df) >= 1 and len(df.columns) >= 1


# --- Hypothesis: messy CSVs round-trip or fail cleanly ----------------------------------------------------

_CELL_SAFE = st.text(alphabet=st.characters(codec="cp1252", exclude_categories=("Cc", "Cs")), max_size=12)
_CELL_MESSY = st.text(alphabet=st.sampled_from(list("abcxyz ÄöüßéÉ€0123456789.,;|\t\"'\n-$")), max_size=14)
_JUNK = ["Sales export", "Report generated 2024-05-01", "Shop: Bean and Leaf"]


@st.composite
def messy_csv(draw) -> tuple[list[str], list[list[str]], bytes, str]:
    """A CSV as shops export them: any delimiter, encoding and quoting, titles on top, nasty cell text."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    n_cols = draw(st.integers(2, 5))
    words = st.sampled_from(["name", "Kunde", "prix", "total", "Menge"])
    header = [f"col{j}_{draw(words)}" for j in range(n_cols)]
    cell = draw(st.sampled_from([_CELL_SAFE, _CELL_MESSY]))
    rows = [[f"R{i}"] + [draw(cell) for _ in range(n_cols - 1)] for i in range(draw(st.integers(1, 20)))]
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    buf = io.StringIO()
    for line in draw(st.lists(st.sampled_from(_JUNK), max_size=2)):
        buf.write(line + "\n")
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    return header, rows, buf.getvalue().encode(encoding), encoding


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_csv())
def test_messy_csvs_round_trip(case):
    header, rows, data, encoding = case
    df, report = read_table("export.csv", data)
    assert list(df.columns) == header
    assert len(df) == len(rows)
    assert df[header[0]].tolist() == [r[0] for r in rows]
    if encoding == "cp1252" and _valid_utf8(data):
        return  # cp1252 bytes that also spell valid UTF-8 are truly ambiguous
    cells = [[c.replace("\r\n", "\n") for c in r] for r in rows]
    if encoding == "cp1252" and report.encoding != "cp1252":
        # a few symbols alone may spell another legacy code page as well: then no byte may be lost
        assert [[c.encode(report.encoding) for c in r] for r in df.to_numpy().tolist()] == [
            [c.encode("cp1252") for c in r] for r in cells
        ]
        return
    assert df.to_numpy().tolist() == cells


_BASE = 'id;Kunde;Datum;Betrag\n1;Müller;05.01.2024;1.234,50 €\n2;"Bob; Jr";13.02.2024;20,00 €\n'.encode("cp1252")


def _containers() -> dict[str, bytes]:
    frame = pd.DataFrame({"customer_id": ["A", "B"], "amount": [1.5, 2.0]})
    pq, xl = io.BytesIO(), io.BytesIO()
    frame.to_parquet(pq)
    frame.to_excel(xl, index=False)
    return {
        "x.csv": _BASE,
        "x.txt": _BASE,
        "x.csv.gz": gzip.compress(_BASE),
        "x.parquet": pq.getvalue(),
        "x.xlsx": xl.getvalue(),
        "x.jsonl": frame.to_json(orient="records", lines=True).encode(),
    }


_FILES = _containers()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(_FILES)), st.data())
def test_damaged_bytes_load_or_raise_insight_error(name, data):
    b = bytearray(_FILES[name])
    for _ in range(data.draw(st.integers(1, 5))):
        op = data.draw(st.sampled_from(["insert", "delete", "truncate", "overwrite"]))
        i = data.draw(st.integers(0, max(len(b) - 1, 0)))
        if op == "insert":
            b[i:i] = data.draw(st.binary(min_size=1, max_size=4))
        elif op == "truncate":
            b = b[:i]
        elif b and op == "delete":
            del b[i]
        elif b:
            b[i] = data.draw(st.integers(0, 255))
    try:
        df, _ = read_table(name, bytes(b))
        typed, _ = parse_types(df)
    except InsightError:
        return
    assert len(typed) == len(df) >= 1


# --- real files -------------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_real_imdb_file_keeps_all_thousand_sentences():
    df, report = read_table(
        "imdb_labelled.txt", (SHARED_DATA / "sentiment_labelled_sentences/imdb_labelled.txt").read_bytes()
    )
    assert len(df) == 1000
    assert df["column_2"].value_counts().to_dict() == {"1": 500, "0": 500}
    assert report.delimiter == "\t"


@pytest.mark.shared_data
def test_real_latin1_movie_catalogue():
    df, report = read_table("u.item", (SHARED_DATA / "ml-100k/u.item").read_bytes())
    assert df.shape == (1682, 24)
    assert report.delimiter == "|"
    assert not report.header
    assert df["column_2"].iloc[0] == "Toy Story (1995)"
    assert df["column_2"].str.contains("é").any()  # ISO-8859-1 accents decoded


@pytest.mark.shared_data
def test_real_whitespace_cdnow_log():
    df, report = read_table("CDNOW_master.txt", (SHARED_DATA / "cdnow/CDNOW_master.txt").read_bytes())
    typed, types = parse_types(df)
    assert len(df) == 69659
    assert report.delimiter == "whitespace"
    assert typed["customer_id"].iloc[0] == "00001"
    assert types.kinds["date"] == "datetime"
    assert typed["date"].min() == pd.Timestamp("1997-01-01")
    assert typed["dollar_value"].sum() == pytest.approx(2_500_315.63, abs=0.01)


def test_utf16_export_with_bom_is_read() -> None:
    """Excel's "Unicode text" export: UTF-16 LE with a BOM, tab-separated."""
    data = "\ufeffKunde\tBetrag\nMüller\t1.234,50\nB\t2,00\n".encode("utf-16-le")
    df, report = read_table("export.txt", data)
    assert report.encoding == "utf-16" and df.columns.tolist() == ["Kunde", "Betrag"]
    assert df["Kunde"].tolist() == ["Müller", "B"]
