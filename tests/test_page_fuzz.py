"""Every page with awkward files: short rows, duplicate and colliding column names, all-empty columns and one-row
files. No page shows a traceback, nor needs its error boundary: each says what it can and what it cannot do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insight.data.export import to_safe_csv
from insight.labels import friendly_columns
from tests.apptest import app, settle
from ui import PAGES


def _orders(rows: int = 300, last: str | None = None, header: str | None = None, extra: str = "") -> bytes:
    rng = np.random.default_rng(7)
    lines = [header or f"order_id,customer_id,order_date,sku,item_name,category,amount{extra and ',' + extra}"]
    for i in range(rows):
        item = int(rng.integers(15))
        cells = f"O{i},C{int(rng.integers(40)):03d},2024-{1 + i % 12:02d}-{1 + i % 27:02d},SKU{item},Item {item}"
        lines.append(f"{cells},Cat {item % 3},{10 + item}.5{',' if extra else ''}")
    if last is not None:
        lines.append(last)
    return ("\n".join(lines) + "\n").encode()


FILES = {
    "short last order line": [("orders.csv", _orders(last="O999,C001,2024-12-30,SKU99"))],
    "colliding names": [
        (
            "customers.csv",
            b"customer_id,Total_Spend,Total Spend,age\n"
            + b"".join(f"C{i:03d},{i * 3}.5,{i * 2},{20 + i % 40}\n".encode() for i in range(60)),
        )
    ],
    "duplicate names": [
        (
            "orders.csv",
            b"customer_id,amount,amount,order_date,review,review\n"
            + b"".join(
                f"C{i % 30:03d},{i}.5,{i * 2},2024-{1 + i % 12:02d}-03,great value {i},slow delivery\n".encode()
                for i in range(120)
            ),
        )
    ],
    "all-empty columns": [("orders.csv", _orders(extra="notes"))],
    "one row": [("orders.csv", b"order_id,customer_id,order_date,amount,review\nO1,C1,2024-05-01,12.5,lovely\n")],
}


def _visit(at: AppTest, page: str) -> None:
    at.switch_page(page)
    settle(at, timeout=240)
    assert not at.exception, (page, [e.value for e in at.exception])
    said = [e.value for e in (*at.error, *at.warning, *at.info, *at.success)]
    assert not [s for s in said if "Something went wrong" in s], (page, said)  # the boundary was not needed
    assert at.markdown or at.dataframe or said, page  # the page said something


@pytest.mark.parametrize("case", list(FILES))
def test_every_page_handles_awkward_files(case: str) -> None:
    at = app("app_pages/data.py").run()
    at.file_uploader(key="data_upload").set_value([(n, d, "text/csv") for n, d in FILES[case]]).run()
    assert not at.exception, [e.value for e in at.exception]
    working_on = next(m.value for m in at.markdown if m.value.startswith("Working on")).replace("\\", "")
    assert FILES[case][0][0] in working_on  # the file was read: the pages below show it, not the demo
    for page in PAGES:
        _visit(at, page)


def test_colliding_names_get_headers_of_their_own_and_export() -> None:
    df = pd.DataFrame([[1, 2, 3, "=cmd"]], columns=["Total_Spend", "Total Spend", "total spend", "note"])
    shown = friendly_columns(df)
    assert shown.columns.is_unique and len(shown.columns) == 4
    assert shown.columns[0] == "Total spend (Total_Spend)" and shown.columns[1] == "Total spend (Total Spend)"
    duplicate = pd.DataFrame([["=1+1", "ok"]], columns=["Note", "Note"])
    assert to_safe_csv(duplicate).decode("utf-8-sig").splitlines() == ["Note,Note", "'=1+1,ok"]


@pytest.mark.page_failure
def test_a_page_that_fails_shows_an_error_id_not_a_traceback(caplog: pytest.LogCaptureFixture) -> None:
    script = """
import streamlit as st
from ui_errors import error_boundary
with error_boundary():
    st.write("before")
    raise TypeError("secret server path /srv/app/insight/x.py")
"""
    at = AppTest.from_string(script).run()
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert "Something went wrong (error id " in message and "/srv" not in message and "TypeError" not in message
    error_id = message.split("error id ")[1].split(")")[0]
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info and "secret server path" in str(logged[0].exc_info[1])
