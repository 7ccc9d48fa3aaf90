"""Real exports of many platforms and languages (../shared/data/exports, answers in its expected.json): each file
gets its kind and roles, its personal data flagged, and no value the cleaning invented."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from insight.data.dataset import build_dataset
from insight.data.read import read_table
from insight.data.redact import mask_text
from insight.data.roles import SINGLE_ROLES
from insight.data.types import parse_types
from tests.conftest import SHARED_DATA

EXPORTS = SHARED_DATA / "exports"
# Alternatives the expected.json notes accept for a role.
ALTERNATIVES = {
    ("zh_taobao_orders_mingribooks.xls", "timestamp"): ["订单付款时间"],
    ("woocommerce_sample_products.csv", "item_id"): ["SKU"],
}


def _expected() -> list[dict]:
    path = EXPORTS / "expected.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def resolve(expected: str, columns: list[str]) -> str | None:
    """The column as read: blank headers become column_N, a repeat of a trimmed name gets _2."""
    if expected in columns:
        return expected
    if expected.startswith("Unnamed: "):
        name = f"column_{int(expected.split(': ')[1]) + 1}"
        return name if name in columns else None
    stripped = expected.strip()
    if stripped != expected and f"{stripped}_2" in columns:
        return f"{stripped}_2"
    return stripped if stripped in columns else None


def role_problems(expected: dict, kind: str, roles: dict, columns: list[str]) -> list[str]:
    """Every way the guessed kind and roles differ from the expected ones (empty when they agree)."""
    problems = []
    if kind != expected["kind"]:
        problems.append(f"kind {kind}, expected {expected['kind']}")
    for role, column in expected["roles"].items():
        got = roles.get(role)
        if column is None:
            if got:
                problems.append(f"{role} is '{got}', expected none")
            continue
        accepted = [resolve(c, columns) for c in [column, *ALTERNATIVES.get((expected["file"], role), [])]]
        if got not in accepted:
            problems.append(f"{role} is '{got}', expected '{column}'")
    for column in expected.get("ignore", []):
        real = resolve(column, columns)
        held = [r for r in SINGLE_ROLES if real is not None and roles.get(r) == real]
        if held:
            problems.append(f"'{column}' should take no single role, took {held}")
        if real in (roles.get("pii") or []):
            problems.append(f"'{column}' flagged as personal data")
    for column in expected.get("pii", []):
        if resolve(column, columns) not in (roles.get("pii") or []):
            problems.append(f"'{column}' not flagged as personal data")
    return problems


def invented_values(typed: pd.DataFrame, cleaned: pd.DataFrame, rows_removed: int, pii: list[str]) -> list[str]:
    """Columns where the cleaned table holds a value the file did not, or fewer missing values than it could
    (personal data is replaced by pseudonyms, and emails, phones and cards in text by masks: neither invents)."""
    problems = []
    for column in cleaned.columns:
        if column not in typed.columns or column in pii:
            continue
        before, after = typed[column], cleaned[column]
        if int(after.isna().sum()) < int(before.isna().sum()) - rows_removed:
            problems.append(f"'{column}': missing values were filled")
        written = set(before.dropna().astype(str))
        new = set(after.dropna().astype(str)) - written - {mask_text(v) for v in written}  # emails etc. masked
        if new:
            problems.append(f"'{column}': values not in the file, e.g. {sorted(new)[:3]}")
    return problems


@pytest.mark.shared_data
@pytest.mark.parametrize("expected", _expected(), ids=lambda e: e["file"])
def test_real_export_is_understood_and_nothing_is_invented(expected: dict) -> None:
    name = expected["file"]
    data = (EXPORTS / name).read_bytes()
    ds = build_dataset([(name, data)], pii_key=b"test-key")
    table = ds.tables[0]
    typed, _ = parse_types(read_table(name, data)[0])
    assert role_problems(expected, table.kind, table.roles, list(typed.columns)) == []
    removed = sum(e["rows_removed"] for e in ds.cleaning_log)
    assert invented_values(typed, table.frame, removed, table.roles.get("pii", [])) == []
    assert not [e for e in ds.cleaning_log if e["step"].startswith("fill")]


def _dataset(name: str):
    return build_dataset([(name, (EXPORTS / name).read_bytes())], pii_key=b"test-key")


def _no_money(ds) -> bool:
    """Nothing here is revenue, and there is no value to predict."""
    from insight.errors import InsightError
    from insight.pipeline import Pipeline

    pipe = Pipeline(ds)
    try:
        pipe.default_spend_target()
    except InsightError:
        return pipe.headline()["revenue"] is None
    return False


def _revenue(ds) -> tuple[float | None, float | None]:
    from insight.pipeline import Pipeline

    head = Pipeline(ds).headline()
    return head["revenue"], head["orders"]


def _people(ds, side: str) -> float:
    from insight.pipeline import Pipeline

    return float(Pipeline(ds).feedback().people_shares().set_index("label").at[side, "share"])


# What each file's notes in expected.json say beyond its roles: what revenue is, what the outcome is and what it
# is called, what must take no role, and that there is nothing to predict where there is no money.
NOTES = {
    "amazon_in_sale_report_head.csv": lambda ds: (
        _revenue(ds) == (pytest.approx(429_217.00), 652)  # cancelled lines left out: not 466,959.04 over 755 orders
        and any(
            e["step"] == "leave out unpaid or cancelled orders" and e["rows_removed"] == 108 for e in ds.cleaning_log
        )
    ),
    "zh_taobao_orders_mingribooks.xls": lambda ds: (
        _revenue(ds)[1] == 674  # 30 交易关闭 orders are no orders
        and ds.revenue_column == "买家实际支付金额"
    ),
    "bank_marketing_uci.csv": lambda ds: (
        ds.outcome.name == "y" and ds.outcome.say("page") == "Value & campaign replies" and _no_money(ds)
    ),
    "mall_customers_renamed_headers.csv": lambda ds: _no_money(ds) and ds.outcome.kind == "none",
    "mortgage_lender_reviews.xlsx": lambda ds: _no_money(ds) and len(ds.customers) == 0,
    "ulta_skincare_reviews.csv": lambda ds: _no_money(ds) and len(ds.customers) == 0,
    "zh_jd_washer_comments_gbk.csv": lambda ds: (
        _no_money(ds) and _people(ds, "negative") == pytest.approx(0.022, abs=0.005)
    ),
    "zh_taobao_earphone_comments.xlsx": lambda ds: _no_money(ds) and "label" not in ds.tables[0].roles,
    "sxsw_brand_emotions_latin1.csv": lambda ds: (  # "I can't tell" is no sentiment: 570 of 8,937 negative
        _people(ds, "negative") == pytest.approx(570 / (9093 - 156), abs=0.005) and len(ds.customers) == 0
    ),
    "gym_churn_us.csv": lambda ds: ds.outcome.name == "churn" and ds.outcome.say("page") == "Value & churn",
    "ecommerce_customer_churn.xlsx": lambda ds: ds.outcome.name == "churn",
}


@pytest.mark.shared_data
@pytest.mark.parametrize("name", sorted(NOTES))
def test_the_notes_of_each_file_are_honoured(name: str) -> None:
    assert NOTES[name](_dataset(name))
