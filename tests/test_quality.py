"""Quality report and cleaning: every problem counted, every change logged with the real count."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.data.cleaning import CleaningOptions, clean, iqr_bounds
from insight.data.dataset import build_dataset
from insight.data.quality import quality_report
from insight.errors import InsightError

TX_ROLES = {"customer_id": "customer_id", "order_id": "invoice", "quantity": "quantity", "amount": "amount"}
TX_ROLES = {**TX_ROLES, "numeric": [], "categorical": [], "pii": []}


def _customers() -> tuple[pd.DataFrame, dict]:
    """Eleven customers: one copy of a row, one repeated id, gaps, a constant column, one big spender."""
    df = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "j", "j"],
            "spend": [10.0, 10, 10, 10, 11, 12, 9, 8, 13, 100, 100, 14],
            "age": [20.0, np.nan, 30, 40, np.nan, 50, 60, 70, 80, 90, 90, 25],
            "segment": ["x", "y", None, "x", "x", "y", "x", None, "x", "y", "y", "x"],
            "country": ["DE"] * 12,
        }
    )
    roles = {"customer_id": "id", "numeric": ["spend", "age"], "categorical": ["segment"], "pii": []}
    return df, roles


def _orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "invoice": ["1001", "1002", "C1003", "1004", "CA-2016-7", "1006", "1006", "C1008"],
            "customer_id": ["a", "b", "a", None, "c", "d", "d", "b"],
            "quantity": [2.0, 1, -1, 1, 3, 1, 1, 1],
            "amount": [20.0, 10, -10, 5, 30, 8, 8, 10],
        }
    )


# --- the report ------------------------------------------------------------------------------------------


def test_quality_report_counts_each_problem_of_a_customer_table():
    df, roles = _customers()
    report = quality_report("customers.csv", df, roles, "customers", {"age": 2})
    assert report.rows == 12
    assert report.duplicate_rows == 1  # the second "j" row with 100 / 90 / y
    assert report.duplicate_ids == 2  # "j" appears three times
    assert report.missing == {"age": 2, "segment": 2}
    assert report.constant_columns == ["country"]
    assert report.type_problems == {"age": 2}
    assert report.outliers_iqr == {"spend": 2}  # the two 100s are above Q3 + 1.5 IQR = 18.125
    assert report.outliers_z == {}  # ... but only about 2 standard deviations above the mean
    assert report.rows_without_customer_id == 0
    assert report.negative_quantity_rows == 0  # only transactions have returns
    assert report.summary()["missing"] == {"age": 2, "segment": 2}


def test_iqr_and_z_score_outliers_differ_as_they_should():
    # 30 ordinary values and one far away: both rules flag it; a moderate value only IQR flags
    values = [10.0 + (i % 5) for i in range(30)] + [25.0, 400.0]
    df = pd.DataFrame({"id": [str(i) for i in range(32)], "spend": values})
    roles = {"customer_id": "id", "numeric": ["spend"]}
    report = quality_report("c.csv", df, roles, "customers", {})
    lo, hi = iqr_bounds(pd.Series(values))
    assert (lo, hi) == (7.625, 16.625)  # Q1 = 11, Q3 = 13.25
    assert report.outliers_iqr == {"spend": 2}
    assert report.outliers_z == {"spend": 1}


def test_returns_negative_quantities_and_c_invoices_and_missing_ids():
    report = quality_report("orders.csv", _orders(), TX_ROLES, "transactions", {})
    # C1003 (negative) and C1008 (C-invoice with a positive quantity); "CA-2016-7" is a Superstore order id
    assert report.negative_quantity_rows == 2
    assert report.rows_without_customer_id == 1
    assert report.duplicate_rows == 1
    assert report.duplicate_ids == 0  # repeated ids are normal in transactions


def test_numbers_stored_as_text_are_counted_and_logged():
    csv = "customer_id,amount\n" + "".join(f'c{i},"${i},234.50"\n' for i in range(1, 19))
    csv += "c19,twelve\nc20,n/a\nc21,eleven\n"
    ds = build_dataset([("customers.csv", csv.encode())])
    assert ds.quality[0].type_problems == {"amount": 2}  # "n/a" says "no value": missing, not unreadable
    assert ds.quality[0].missing == {"amount": 3}
    entry = next(e for e in ds.cleaning_log if e["step"] == "unreadable values set to missing")
    assert (entry["column"], entry["values_changed"]) == ("amount", 2)
    assert "'twelve'" in entry["detail"] and "'eleven'" in entry["detail"]
    amounts = ds.tables[0].frame["amount"]
    assert amounts.iloc[0] == 1234.5 and amounts.iloc[17] == 18234.5


# --- cleaning options ------------------------------------------------------------------------------------


def test_cleaning_options_are_validated():
    with pytest.raises(InsightError, match="outliers"):
        CleaningOptions(outliers="clip")  # type: ignore[arg-type]


def test_options_saved_by_an_older_version_open_without_their_retired_choices():
    saved = {"drop_duplicates": False, "impute": "mean", "outliers": "cap", "returns": "drop"}
    assert CleaningOptions.from_dict(saved) == CleaningOptions(drop_duplicates=False, outliers="cap", returns="drop")


def test_duplicates_dropped_and_repeated_ids_keep_the_last_row():
    df, roles = _customers()
    out, log = clean("customers.csv", df, roles, "customers", CleaningOptions())
    steps = {e["step"]: e for e in log}
    assert steps["drop duplicate rows"]["rows_removed"] == 1
    assert steps["keep the last row per customer id"]["rows_removed"] == 1
    assert len(out) == len(df) - 2
    assert out.loc[out["id"] == "j", "spend"].item() == 14.0  # the last "j" row wins
    assert len(out) + sum(e["rows_removed"] for e in log) == len(df)


def test_missing_values_stay_missing():
    """No value is invented: the two missing ages and segments of b, c, e, h are still missing after cleaning."""
    df, roles = _customers()
    out, log = clean("c.csv", df, roles, "customers", CleaningOptions())
    by_id = out.set_index("id")
    assert by_id.loc[["b", "e"], "age"].isna().all() and by_id.loc[["c", "h"], "segment"].isna().all()
    assert out["age"].isna().sum() == 2 and out["segment"].isna().sum() == 2
    assert not [e for e in log if e["values_changed"]]


@pytest.mark.parametrize("option", ["keep", "cap", "remove"])
def test_outlier_options(option):
    df, roles = _customers()
    df = df.drop_duplicates().drop_duplicates("id", keep="last")  # a..j once: spend 10 10 10 10 11 12 9 8 13 14
    df.loc[df["id"] == "j", "spend"] = 100.0
    out, log = clean("c.csv", df, roles, "customers", CleaningOptions(outliers=option))
    lo, hi = iqr_bounds(df["spend"])
    changed = [e for e in log if "outliers" in e["step"]]
    if option == "keep":
        assert out["spend"].tolist() == df["spend"].tolist() and not changed
    elif option == "cap":
        assert out["spend"].max() == pytest.approx(hi)
        assert len(out) == len(df)
        assert [(e["column"], e["values_changed"], e["rows_removed"]) for e in changed] == [("spend", 1, 0)]
    else:
        assert "j" not in out["id"].tolist() and len(out) == len(df) - 1
        assert [(e["column"], e["values_changed"], e["rows_removed"]) for e in changed] == [("spend", 0, 1)]
    assert lo < 8.0  # nothing is low enough to be touched


@pytest.mark.parametrize("option", ["cap", "remove"])
def test_outlier_handling_never_turns_returns_into_purchases(option):
    amount = [20.0, 22, 25, 18, 30, 21, 24, 19, 23, 26, -25.0, 400.0]
    df = pd.DataFrame({"invoice": [str(i) for i in range(12)], "customer_id": list("aabbccddeeaf"), "amount": amount})
    df["quantity"] = np.where(df["amount"] < 0, -1.0, 1.0)
    out, log = clean("t.csv", df, TX_ROLES, "transactions", CleaningOptions(outliers=option))
    assert -25.0 in out["amount"].tolist()  # the refund stays a refund
    assert out["amount"].max() < 400.0
    touched = sum(e["values_changed"] + e["rows_removed"] for e in log if "outliers" in e["step"])
    assert touched == 1


@pytest.mark.parametrize("option", ["net", "drop"])
def test_returns_option(option):
    df = _orders().drop_duplicates()
    out, log = clean("orders.csv", df, TX_ROLES, "transactions", CleaningOptions(returns=option))
    entry = next(e for e in log if "returns" in e["step"])
    if option == "net":
        assert len(out) == len(df)
        assert entry["rows_removed"] == 0 and "2 return rows" in entry["detail"]
    else:
        assert sorted(set(df["invoice"]) - set(out["invoice"])) == ["C1003", "C1008"]
        assert entry["rows_removed"] == 2
    no_id = next(e for e in log if e["step"] == "rows without customer id")
    assert no_id["detail"].startswith("1 rows")


# --- the whole pipeline on bad input ------------------------------------------------------------------------

_BAD_ORDERS = """invoice,customer_id,date,sku,quantity,amount
1001,A,2024-01-05,S1,2,"$1,234.50"
1002,B,05/02/2024,S2,1,$20.00
1002,B,05/02/2024,S2,1,$20.00
C1003,A,2024-02-10,S1,-1,-$617.25
1004,,2024-03-01,S3,1,$5.00
1005,C,25/03/2024,S2,3,$60.00
1006,A,"Apr 1, 2024",S3,1,$5.00
1007,B,2024-04-02,S1,1,
"""


def _rows_accounted(ds) -> None:
    for table in ds.tables:
        removed = sum(e["rows_removed"] for e in ds.cleaning_log if e["table"] == table.name)
        assert table.rows_raw == len(table.frame) + removed, table.name


def test_bad_orders_end_to_end():
    ds = build_dataset([("orders.csv", _BAD_ORDERS.encode())])
    table = ds.tables[0]
    std = table.standard()
    assert table.kind == "transactions"
    assert std["amount"].tolist()[:3] == [1234.5, 20.0, -617.25]  # "$1,234.50" became a number
    assert std["timestamp"].tolist()[:6] == [
        pd.Timestamp(d) for d in ("2024-01-05", "2024-02-05", "2024-02-10", "2024-03-01", "2024-03-25", "2024-04-01")
    ]  # 05/02 is 5 February: 25/03 shows the file writes days first
    quality = ds.quality[0]
    assert quality.negative_quantity_rows == 1
    assert quality.duplicate_rows == 1
    assert quality.rows_without_customer_id == 1
    assert quality.missing == {"customer_id": 1, "amount": 1}
    dup = next(e for e in ds.cleaning_log if e["step"] == "drop duplicate rows")
    assert dup["rows_removed"] == 1
    customers = ds.customers.set_index("customer_id")
    assert customers.loc["A", "monetary"] == pytest.approx(1234.5 - 617.25 + 5.0)  # the return is netted
    assert customers.loc["B", "monetary"] == pytest.approx(20.0)  # the copy is not counted twice
    assert customers.loc["A", "frequency"] == 2
    _rows_accounted(ds)


@pytest.mark.parametrize(
    "options",
    [
        CleaningOptions(),
        CleaningOptions(returns="drop", outliers="remove"),
        CleaningOptions(drop_duplicates=False, outliers="cap"),
    ],
)
def test_nothing_is_dropped_without_a_log_entry(options):
    rng = np.random.default_rng(4)
    n = 120
    orders = pd.DataFrame(
        {
            "invoice": [f"{'C' if q < 0 else ''}{5000 + i}" for i, q in enumerate(rng.integers(-1, 6, n))],
            "customer_id": rng.choice(["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", ""], n),
            "date": pd.date_range("2024-01-01", periods=n, freq="D").strftime("%d/%m/%Y"),
            "quantity": rng.integers(-1, 6, n),
            "unit_price": np.round(rng.lognormal(2, 1, n), 2),
        }
    )
    orders["quantity"] = np.where(orders["invoice"].str.startswith("C"), -1, orders["quantity"].clip(1))
    orders = pd.concat([orders, orders.iloc[:7]])
    customers = pd.DataFrame(
        {
            "customer_id": ["c1", "c2", "c3", "c9", "c9"],
            "age": [30, None, 41, 50, 51],
            "region": ["N", "S", "N", "S", "S"],
        }
    )
    ds = build_dataset(
        [
            ("orders.csv", orders.to_csv(index=False).encode()),
            ("customers.csv", customers.to_csv(index=False).encode()),
        ],
        cleaning=options,
    )
    assert {t.name: t.kind for t in ds.tables} == {"orders.csv": "transactions", "customers.csv": "customers"}
    _rows_accounted(ds)
    if options.drop_duplicates:
        dup = next(e for e in ds.cleaning_log if e["step"] == "drop duplicate rows")
        assert dup["rows_removed"] == 7
    assert set(ds.customers["customer_id"]) == {f"c{i}" for i in range(1, 10)}


def test_failed_and_cancelled_payments_are_left_out_and_counted():
    """A Stripe-style export: failed charges never became revenue."""
    rows = ["id,Customer ID,Created (UTC),Amount,Status"]
    statuses = ["Paid", "Paid", "Failed", "Paid", "canceled"]
    rows += [f"ch_{i},cus_{i % 9},2024-0{1 + i % 9}-10 10:00,{10 + i}.00,{statuses[i % 5]}" for i in range(100)]
    ds = build_dataset([("payments.csv", ("\n".join(rows) + "\n").encode())])
    step = [e for e in ds.cleaning_log if e["step"] == "leave out unpaid or cancelled orders"]
    assert len(step) == 1 and step[0]["rows_removed"] == 40
    assert step[0]["detail"].endswith("(Status: Failed, canceled)")
    paid = sum(10 + i for i in range(100) if statuses[i % 5] == "Paid")
    assert ds.customers["monetary"].sum() == pytest.approx(paid)


def test_a_status_without_failures_removes_nothing():
    df = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [1.0, 2.0, 3.0], "order_status": ["delivered"] * 3})
    roles = {"customer_id": "customer_id", "amount": "amount", "categorical": ["order_status"]}
    out, log = clean("orders.csv", df, roles, "transactions", CleaningOptions())
    assert len(out) == 3 and not [e for e in log if e["step"] == "leave out unpaid or cancelled orders"]
