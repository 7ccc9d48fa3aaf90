"""Hostile uploads are refused before the work they would cause: decompression bombs (gzip, and the zip inside
.xlsx/.ods) stop at the size limit while inflating, a header of 50,000 names and a 50 MB line are refused before
any parsing. Bounds are checked by size (bytes inflated, fields parsed, peak memory of a child process), never
by wall time."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import zipfile
import zlib

import pandas as pd
import pytest

from insight.data import read as read_module
from insight.data.dialect import MAX_COLUMNS
from insight.data.read import MAX_BYTES, inflate_gzip, read_table, unique_names
from insight.errors import ReadError
from tests.conftest import ROOT

MB = 1024 * 1024


def gzip_bomb(inflated: int) -> bytes:
    """An orders CSV that unpacks to `inflated` bytes: gzip members of one repetitive megabyte, concatenated."""
    rows = "".join(f"C{i:05d},2024-{1 + i % 12:02d}-{1 + i % 28:02d},{i % 200}.50\n" for i in range(600))
    chunk = (rows * (MB // len(rows) + 1))[:MB].encode()
    member = gzip.compress(chunk, compresslevel=9)
    head = gzip.compress(b"customer_id,order_date,amount\n")
    return head + member * (inflated // MB + 1)


def zip_bomb(inflated: int, declared: int | None = None) -> bytes:
    """A workbook-shaped zip whose sheet unpacks to `inflated` bytes; `declared` overwrites the size its
    headers claim (a bomb that lies about its size)."""
    buf = io.BytesIO()
    row = b"<row><c><v>1</v></c></row>" * 4096
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(inflated // len(row) + 1):
                sheet.write(row)
    data = bytearray(buf.getvalue())
    if declared is not None:  # patch the sizes in the local header and the central directory
        real = (inflated // len(row) + 1) * len(row)
        for old in (real.to_bytes(8, "little"), min(real, 0xFFFFFFFF).to_bytes(4, "little")):
            new = declared.to_bytes(len(old), "little")
            data = bytearray(bytes(data).replace(old, new))
    return bytes(data)


class _Counting:
    """Wraps zlib.decompressobj so a test can count every byte inflated."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.inflated = 0
        real = zlib.decompressobj

        counter = self

        class Inflater:
            def __init__(self, *args, **kwargs):
                self._inner = real(*args, **kwargs)

            def decompress(self, data, max_length=0):
                out = self._inner.decompress(data, max_length)
                counter.inflated += len(out)
                return out

            def flush(self, *args):
                out = self._inner.flush(*args)
                counter.inflated += len(out)
                return out

            def __getattr__(self, name):
                return getattr(self._inner, name)

        monkeypatch.setattr(zlib, "decompressobj", Inflater)


def test_gzip_bomb_is_refused_once_the_limit_is_inflated(monkeypatch):
    bomb = gzip_bomb(40 * MB)
    assert len(bomb) < MB  # 40 times smaller than what it unpacks to
    count = _Counting(monkeypatch)
    with pytest.raises(ReadError, match=r"unpacks to more than 5.0 MB"):
        read_table("orders.csv.gz", bomb, max_bytes=5 * MB)
    assert 5 * MB < count.inflated <= 5 * MB + read_module._CHUNK  # stopped at the limit, not 40 MB later


def test_gzip_under_the_limit_reads_every_member():
    data = gzip.compress(b"customer_id,amount\nC1,1\n") + gzip.compress(b"C2,2\n")
    assert inflate_gzip("x.csv.gz", data) == b"customer_id,amount\nC1,1\nC2,2\n"
    df, report = read_table("x.csv.gz", data)
    assert df["customer_id"].tolist() == ["C1", "C2"] and report.file == "x.csv"


def test_workbook_bomb_is_refused_by_its_declared_size_before_inflating(monkeypatch):
    bomb = zip_bomb(12 * MB)
    count = _Counting(monkeypatch)
    with pytest.raises(ReadError, match="unpacks to more than 5.0 MB"):
        read_table("orders.xlsx", bomb, max_bytes=5 * MB)
    assert count.inflated == 0


def test_workbook_bomb_lying_about_its_size_is_stopped_while_inflating(monkeypatch):
    bomb = zip_bomb(12 * MB, declared=1000)
    count = _Counting(monkeypatch)
    with pytest.raises(ReadError) as info:
        read_table("orders.ods", bomb, max_bytes=5 * MB)
    assert "could not be opened as a workbook" in str(info.value) or "unpacks to more than" in str(info.value)
    assert count.inflated <= 5 * MB + read_module._CHUNK


def test_wide_header_is_refused_before_pandas_parses_it(monkeypatch):
    data = (",".join(["c"] * 50_000) + "\n" + ",".join(["1"] * 50_000) + "\n").encode()
    monkeypatch.setattr(pd, "read_csv", lambda *a, **k: pytest.fail("the table must not be parsed"))
    with pytest.raises(ReadError, match=f"50,000 columns; the limit is {MAX_COLUMNS:,}"):
        read_table("wide.csv", data)


def test_a_table_at_the_column_limit_is_read():
    data = (",".join(["c"] * MAX_COLUMNS) + "\n" + ",".join(["1"] * MAX_COLUMNS) + "\n").encode()
    df, _ = read_table("wide.csv", data)
    assert df.shape == (1, MAX_COLUMNS) and df.columns.is_unique


def test_repeated_names_are_numbered_without_clashes():
    names = ["c"] * 100_000 + ["c_3", "c_2", "a", "a", ""]
    out = unique_names(names)
    assert len(set(out)) == len(out) == len(names)
    assert out[:3] == ["c", "c_2", "c_3"] and out[-5:-1] == ["c_3_2", "c_2_2", "a", "a_2"]
    assert out[-1] == "column_100005"


def test_a_line_longer_than_the_limit_is_refused_before_parsing(monkeypatch):
    data = b"a,b\n1," + b"lorem ipsum " * 250_000 + b"\n"
    monkeypatch.setattr(pd, "read_csv", lambda *a, **k: pytest.fail("the table must not be parsed"))
    with pytest.raises(ReadError, match="has a line of 3,000,002 characters"):
        read_table("long.csv", data)


def test_a_one_megabyte_cell_is_read_as_one_cell():
    data = b"customer,review\nC1," + b"great tea " * 100_000 + b"\nC2,ok\n"
    df, report = read_table("long.csv", data)
    assert list(df.columns) == ["customer", "review"] and len(df) == 2 and report.delimiter == ","
    assert len(df["review"].iloc[0]) == 1_000_000


_CHILD = """
import json, os, resource, sys
sys.path.insert(0, sys.argv[1])
import insight.cli  # everything the CLI needs, loaded before the baseline is taken
import pandas, sklearn
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
soft = int(open("/proc/self/statm").read().split()[0]) * os.sysconf("SC_PAGE_SIZE") + 3 * 1024**3
resource.setrlimit(resource.RLIMIT_AS, (soft, soft))  # a regression fails here, not on the machine
code = insight.cli.main(["analyze", sys.argv[2], "--json", sys.argv[3]])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"code": code, "growth": peak - base}))
"""


def _cli(path, tmp_path) -> tuple[dict, str]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), str(path), str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


@pytest.mark.slow
def test_cli_refuses_a_gzip_bomb_within_the_limit_of_memory(tmp_path):
    path = tmp_path / "orders.csv.gz"
    path.write_bytes(gzip_bomb(MAX_BYTES + 10 * MB))
    result, stderr = _cli(path, tmp_path)
    assert result["code"] == 2 and "unpacks to more than 200.0 MB" in stderr
    assert result["growth"] < 2.2 * MAX_BYTES  # the inflated bytes once, plus slack (before: 5 GiB)
    assert not (tmp_path / "out.json").exists()


@pytest.mark.slow
def test_cli_refuses_a_wide_header_without_parsing_it(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["c"] * 50_000) + "\n" + ",".join(["1"] * 50_000) + "\n")
    result, stderr = _cli(path, tmp_path)
    assert result["code"] == 2 and "50,000 columns; the limit is 2,000" in stderr
    assert result["growth"] < 100 * MB  # before: 626 MiB and 591 s
