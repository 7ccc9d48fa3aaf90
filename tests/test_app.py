"""AppTest: the app opens on the demo with no exception on any page; real uploads reach the customer table."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insight.labels import safe_md
from tests.conftest import ROOT

PAGES = [
    "app_pages/overview.py",
    "app_pages/data.py",
    "app_pages/segments.py",
    "app_pages/predict.py",
    "app_pages/feedback.py",
    "app_pages/recommend.py",
]


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)


@pytest.fixture(scope="module")
def demo_app() -> AppTest:
    return _app().run()


def test_app_opens_on_the_demo_shop(demo_app: AppTest) -> None:
    assert not demo_app.exception
    sidebar = " ".join(m.value for m in demo_app.sidebar.markdown)
    assert "Demo shop" in sidebar and "2,000 customers" in sidebar


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_demo(demo_app: AppTest, page: str) -> None:
    demo_app.switch_page(page).run()
    assert not demo_app.exception, demo_app.exception
    assert not demo_app.error, [e.value for e in demo_app.error]


def _upload(files: list[tuple[str, bytes, str]]) -> AppTest:
    at = _app().run()
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="data_upload").set_value(files).run()
    assert not at.exception, at.exception
    return at


def _customer_count(at: AppTest) -> int:
    text = next(m.value for m in at.markdown if m.value.endswith("columns.") and "customers**" in m.value)
    return int(text.split("**")[1].split()[0].replace(",", ""))


def _orders(n_customers: int = 60) -> pd.DataFrame:
    rows = []
    for c in range(n_customers):
        for k in range(1 + c % 4):
            rows.append(
                {
                    "order_id": f"O{c}-{k}",
                    "customer_id": f"K{c:03d}",
                    "order_date": f"2025-{1 + k:02d}-{1 + c % 27:02d}",
                    "amount": 10.5 + c + k,
                }
            )
    return pd.DataFrame(rows)


def test_upload_csv_reaches_customer_table() -> None:
    data = _orders().to_csv(index=False).encode()
    at = _upload([("orders.csv", data, "text/csv")])
    assert not at.error, [e.value for e in at.error]
    assert _customer_count(at) == 60
    assert any(m.value == f"Working on **{safe_md('orders.csv')}**." for m in at.markdown)
    assert any(safe_md("orders.csv") in m.value and "60 customers" in m.value for m in at.sidebar.markdown)


def test_upload_semicolon_csv_with_european_amounts() -> None:
    df = _orders()
    text = "Kundennummer;Datum;Betrag\n" + "\n".join(
        f"{r.customer_id};{r.order_date[8:10]}.{r.order_date[5:7]}.{r.order_date[:4]};{r.amount * 100:,.2f} €".replace(
            ",", "X"
        )
        .replace(".", ",")
        .replace("X", ".")
        for r in df.itertuples()
    )
    at = _upload([("bestellungen.csv", text.encode("cp1252"), "text/csv")])
    assert not at.error, [e.value for e in at.error]
    assert _customer_count(at) == 60
    ds = at.session_state["dataset"]
    assert ds.table("transactions").roles["amount"] == "Betrag"
    expected = (df["amount"] * 100).round(2).sum()
    assert ds.customers["monetary"].sum() == pytest.approx(expected, rel=1e-9)


def test_upload_xlsx_reaches_customer_table() -> None:
    buf = io.BytesIO()
    _orders(75).to_excel(buf, index=False)
    at = _upload([("orders.xlsx", buf.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")])
    assert not at.error, [e.value for e in at.error]
    assert _customer_count(at) == 75


def test_bad_upload_shows_a_message_not_a_traceback() -> None:
    at = _upload([("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "text/csv")])
    assert not at.exception
    assert any("not a text table" in e.value for e in at.error)
    assert any("showing the demo shop" in w.value for w in at.warning)


def test_upload_of_split_orders_and_lines_known_by_email() -> None:
    """Two files as a shop exports them: orders (customer known only by email) and order lines keyed by order."""
    orders = pd.DataFrame(
        {
            "Order": [f"#{1000 + i}" for i in range(150)],
            "Email": [f"buyer{i % 55}@example.com" for i in range(150)],
            "Created at": [f"2025-{1 + i % 12:02d}-{1 + i % 27:02d} 09:30" for i in range(150)],
        }
    )
    lines = pd.DataFrame(
        {
            "Order": [f"#{1000 + i // 2}" for i in range(300)],
            "Lineitem sku": [f"SKU-{i % 17}" for i in range(300)],
            "Lineitem quantity": [1 + i % 3 for i in range(300)],
            "Lineitem price": [4.5 + i % 7 for i in range(300)],
        }
    )
    at = _upload(
        [
            ("orders_export.csv", orders.to_csv(index=False).encode(), "text/csv"),
            ("order_lines.csv", lines.to_csv(index=False).encode(), "text/csv"),
        ]
    )
    assert not at.error, [e.value for e in at.error]
    assert _customer_count(at) == 55
    ds = at.session_state["dataset"]
    assert ds.customers["customer_id"].str.startswith("anon-").all()
    spend = (lines["Lineitem quantity"] * lines["Lineitem price"]).sum()
    assert ds.customers["monetary"].sum() == pytest.approx(spend)
    log = pd.DataFrame(ds.cleaning_log)
    joined = log[log["step"] == "joined to its orders"]
    assert joined["detail"].tolist() == [
        "customer id and order date taken from orders_export.csv by order id (300 of 300 rows matched)"
    ]
    shown = " ".join(str(v) for df in at.dataframe for v in df.value.astype(str).to_numpy().ravel())
    assert "@example.com" not in shown  # the emails never reach the page
    roles = at.dataframe[0].value
    assert roles.set_index("column").loc["Email", "role"] == "customer_id"
    kinds = [s.value for s in at.selectbox if s.label == "This file holds"]
    assert kinds == ["transactions", "transactions"]  # not the demo's "customers", left in the widget before

    at.button(key="data_apply_roles").click().run()  # the editor's mapping, as shown, rebuilds the same data
    assert not at.exception and not at.error, [e.value for e in at.error]
    again = at.session_state["dataset"]
    assert again.fingerprint != ds.fingerprint  # rebuilt from the editor's roles
    assert _customer_count(at) == 55 and again.customers["customer_id"].str.startswith("anon-").all()
    assert again.customers["monetary"].sum() == pytest.approx(spend)
