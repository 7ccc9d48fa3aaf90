"""AppTest: uploads through the Data page: a decompression bomb and a 50,000-column header are refused with a
message (memory bounded, measured by size), .xls/.ods and Chinese headers load, a failed upload's own tables
stay in the role editor, unrelated customer lists get a choice, and customer pages say what would unlock them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tracemalloc

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insight.data.read import MAX_BYTES
from tests.apptest import settle
from tests.conftest import ROOT, plain
from tests.test_shapes import _customer_list, _orders_without_customers, _pharmacy

MB = 1024 * 1024


def _data_page() -> AppTest:
    """The app opened on the Data page: the Overview's fits are not started (they ran in threads during the
    upload tests, one of which measures memory with tracemalloc: a BLAS call segfaulted under it, twice in CI)."""
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=300)
    return at.switch_page("app_pages/data.py").run()


def _upload(at: AppTest, files: list[tuple[str, bytes, str]]) -> AppTest:
    at.file_uploader(key="data_upload").set_value(files).run()
    assert not at.exception, at.exception
    return at


def _working_on(at: AppTest) -> str:
    """The 'Working on' line without its markdown escapes."""
    return next(m.value for m in at.markdown if m.value.startswith("Working on")).replace("\\", "")


def _customers(at: AppTest) -> int:
    text = next(m.value for m in at.markdown if m.value.endswith("columns.") and "customers**" in m.value)
    return int(text.split("**")[1].split()[0].replace(",", ""))


_BOMB_UPLOAD = """
import json, resource, sys
sys.path.insert(0, sys.argv[1])
from streamlit.testing.v1 import AppTest
from insight.data.read import MAX_BYTES
from tests.conftest import plain
from tests.test_hostile import gzip_bomb
at = AppTest.from_file(sys.argv[1] + "/main.py", default_timeout=300)
at.switch_page("app_pages/data.py").run()
bomb = gzip_bomb(MAX_BYTES + 10 * 1024 * 1024)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
at.file_uploader(key="data_upload").set_value([("orders.csv.gz", bomb, "application/gzip")]).run()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
errors = [plain(e.value) for e in at.error]
print(json.dumps({"growth": peak - base, "errors": errors, "exception": bool(at.exception)}))
"""


@pytest.mark.slow
def test_gzip_bomb_upload_is_refused_with_bounded_memory(tmp_path):
    """In a child process, so its peak memory is the upload's own (before: 5 GiB for this file in the CLI)."""
    done = subprocess.run(
        [sys.executable, "-c", _BOMB_UPLOAD, str(ROOT)], capture_output=True, text=True, timeout=600, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not result["exception"]
    assert any("unpacks to more than 200.0 MB" in e for e in result["errors"])
    assert result["growth"] < 2.2 * MAX_BYTES  # the inflated bytes once, then refused


def test_wide_header_upload_is_refused_before_parsing():
    at = _data_page()
    wide = (",".join(["c"] * 50_000) + "\n" + ",".join(["1"] * 50_000) + "\n").encode()
    tracemalloc.start()
    try:
        _upload(at, [("wide.csv", wide, "text/csv")])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert any("50,000 columns; the limit is 2,000" in e.value for e in at.error)
    assert peak < 100 * MB


@pytest.mark.shared_data
def test_old_excel_with_chinese_headers_loads(shared_data):
    data = (shared_data / "exports" / "zh_taobao_orders_mingribooks.xls").read_bytes()
    at = _upload(_data_page(), [("zh_taobao_orders_mingribooks.xls", data, "application/vnd.ms-excel")])
    assert not at.error, [e.value for e in at.error]
    assert _working_on(at) == "Working on **zh_taobao_orders_mingribooks.xls**."
    assert _customers(at) == 674  # 704 buyers, 30 of whose only order was closed (交易关闭) unpaid
    roles = at.dataframe[0].value.set_index("Column")["Role"]
    assert (
        roles["买家会员名"] == "customer id"
        and roles["订单创建时间"] == "date and time"
        and roles["收货人姓名"] == "personal data"
    )


def test_ods_and_chinese_header_files_load(tmp_path):
    orders = pd.DataFrame(
        {
            "customer_id": [f"00{i % 30:03d}" for i in range(120)],
            "order_date": [f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}" for i in range(120)],
            "amount": [10.5 + i for i in range(120)],
        }
    )
    path = tmp_path / "orders.ods"
    orders.to_excel(path, engine="odf", index=False)
    ods = "application/vnd.oasis.opendocument.spreadsheet"
    at = _upload(_data_page(), [("orders.ods", path.read_bytes(), ods), ("药店.csv", _pharmacy(), "text/csv")])
    assert not at.error, [e.value for e in at.error]
    assert _customers(at) == 30 + 40
    ds = at.session_state["dataset"]
    assert ds.customers["customer_id"].str.startswith("00").all()  # the ods keeps its codes as text
    assert {t.name: t.kind for t in ds.tables} == {"orders.ods": "transactions", "药店.csv": "transactions"}


def test_a_failed_upload_keeps_its_own_tables_in_the_role_editor():
    orders = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [1.0, 2.0, 3.0], "when": ["2024-01-01"] * 3})
    at = _upload(_data_page(), [("mine.csv", orders.to_csv(index=False).encode(), "text/csv")])
    at.session_state["data_kinds"] = {"mine.csv": "ratings"}  # as if applied in the editor: needs item and rating
    at.session_state["dataset"] = None
    at.run()
    assert not at.exception
    assert any("needs a 'item_id' column" in plain(e.value) for e in at.error)
    understood = [plain(e.label) for e in at.expander if " — " in e.label]  # "file — kind, rows" of the role editor
    assert understood == ["mine.csv — ratings, 3 rows"]  # the upload being fixed, not the demo's tables
    assert at.dataframe[0].value["Column"].tolist() == ["customer_id", "amount", "when"]


def test_unrelated_customer_lists_offer_a_choice():
    at = _upload(
        _data_page(),
        [
            ("bank_churn.csv", _customer_list("15", 300, "Exited"), "text/csv"),
            ("telco.csv", _customer_list("77", 200, "Churn"), "text/csv"),
        ],
    )
    assert _customers(at) == 300
    choice = next(s for s in at.selectbox if s.label.startswith("These customer lists share almost no customers"))
    choice.select(1).run()
    assert not at.exception
    assert _customers(at) == 200 and at.session_state["dataset"].customer_roles["label"] == "Churn"


def test_customer_pages_say_which_file_would_unlock_them():
    at = _upload(_data_page(), [("orders_export.csv", _orders_without_customers(), "text/csv")])
    assert not at.error, [e.value for e in at.error]
    for page in ("app_pages/segments.py", "app_pages/predict.py", "app_pages/recommend.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
        infos = [plain(i.value) for i in at.info]
        assert any("orders_export.csv holds orders" in i and "customer id" in i for i in infos)
    settle(at.switch_page("app_pages/overview.py"))  # months and revenue: yes; customers per month: unknown
    assert not at.exception, at.exception
    infos = [plain(i.value) for i in at.info]
    assert any("no customer column" in i for i in infos)
    # the Segments and churn cards give the same reason as their pages, not a wrong one ("feedback alone")
    assert sum("orders_export.csv holds orders" in i for i in infos) >= 2, infos
    assert not any("feedback or ratings alone" in i for i in infos)


def test_role_editor_rows_from_an_xlsx_upload_show_why_columns_have_no_role():
    frame = pd.DataFrame(
        {"customer_id": [f"C{i % 9}" for i in range(40)], "amount": [1.5 + i for i in range(40)], "Currency": "EUR"}
    )
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at = _upload(_data_page(), [("orders.xlsx", buf.getvalue(), xlsx)])
    rows = at.dataframe[0].value.set_index("Column")
    assert rows.loc["Currency", "Role"] == ""
    assert rows.loc["Currency", "No role because"] == "the same value in every row"
