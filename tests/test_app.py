"""AppTest: the app opens on the demo with no exception on any page; real uploads reach the customer table."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insight.labels import NICE_NAMES, safe_md
from tests.apptest import app, settle
from ui import PAGES

# The analyses' own names for things: a founder should never read them (snake_case words are caught as well).
INTERNAL = {name for name in NICE_NAMES if "_" in name} | {"monetary", "neg", "neu", "pos"}
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _chart_labels(spec: dict | list) -> list[str]:
    """Every title in a Vega-Lite spec, and the field name of every encoding that has none (Vega-Lite then shows
    the field name itself)."""
    found: list[str] = []
    if isinstance(spec, list):
        for part in spec:
            found += _chart_labels(part)
    elif isinstance(spec, dict):
        if isinstance(spec.get("title"), str):
            found.append(spec["title"])
        if "field" in spec and "title" not in spec and spec.get("type") in ("quantitative", "nominal", "ordinal"):
            found.append(spec["field"])
        for key, value in spec.items():
            if key not in ("data", "datasets"):
                found += _chart_labels(value)
    return found


def _labels(at: AppTest) -> list[str]:
    """What a founder reads as a name: headings of tables, metrics, widgets and their options, tabs, charts."""
    out = [m.label for m in at.metric] + [t.label for t in at.tabs] + [e.label for e in at.expander]
    for kind in ("selectbox", "multiselect", "radio"):
        for widget in at.get(kind):
            out += [widget.label, *map(str, widget.options)]
    for kind in ("slider", "number_input", "text_input", "checkbox", "toggle", "button", "download_button"):
        out += [w.label for w in at.get(kind)]
    for frame in at.dataframe:
        out += [str(c) for c in frame.value.columns] + [str(n) for n in frame.value.index.names if n]
    for chart in at.get("vega_lite_chart"):
        out += _chart_labels(json.loads(chart.proto.spec))
    return out


@pytest.mark.demo_results
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_runs_on_the_demo_and_speaks_in_words(page: str) -> None:
    at = settle(app(page))
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    sidebar = " ".join(m.value for m in at.sidebar.markdown)
    assert "Demo shop" in sidebar and "2,000 customers" in sidebar
    labels = _labels(at)
    assert len(labels) > 5
    named = [label for label in labels if SNAKE.search(label) or set(re.findall(r"[A-Za-z_0-9]+", label)) & INTERNAL]
    assert named == [], f"internal names on {page}: {named}"
    prose = " ".join(e.value for kind in ("markdown", "caption", "info", "warning") for e in at.get(kind))
    assert not set(re.findall(r"[A-Za-z_0-9]+", prose.replace("\\_", "_"))) & INTERNAL


def test_the_label_check_sees_an_internal_name() -> None:
    spec = {"encoding": {"x": {"field": "recency_days", "type": "quantitative"}, "y": {"field": "n", "title": "N"}}}
    assert _chart_labels(spec) == ["recency_days", "N"]
    assert SNAKE.search("clv_12m") and not SNAKE.search("Value, next 12 months")


def _upload(files: list[tuple[str, bytes, str]]) -> AppTest:
    at = app("app_pages/data.py").run()
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
    assert roles.set_index("Column").loc["Email", "Role"] == "customer id"
    kinds = [s.value for s in at.selectbox if s.label == "This file holds"]
    assert kinds == ["transactions", "transactions"]  # not the demo's "customers", left in the widget before

    at.button(key="data_apply_roles").click().run()  # the editor's mapping, as shown, rebuilds the same data
    assert not at.exception and not at.error, [e.value for e in at.error]
    again = at.session_state["dataset"]
    assert again.fingerprint != ds.fingerprint  # rebuilt from the editor's roles
    assert _customer_count(at) == 55 and again.customers["customer_id"].str.startswith("anon-").all()
    assert again.customers["monetary"].sum() == pytest.approx(spend)
