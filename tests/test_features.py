"""The customer table: behaviour worked out by hand, the as_of cutoff, RFM scores and groups, joins."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.data.customers import (
    BEHAVIOUR_COLUMNS,
    RFM_GROUPS,
    add_rfm,
    behaviour_features,
    customer_table,
    rfm_group,
    rfm_scores,
    too_few,
)
from insight.data.dataset import build_dataset


def _log() -> pd.DataFrame:
    """A tiny standard transactions frame; the expected features are worked out in the tests."""
    rows = [
        ("a", "2024-01-01", "O1", "X", 1, 10.0),
        ("a", "2024-01-01", "O1", "Y", 2, 20.0),
        ("a", "2024-01-11", "O2", "X", 1, 15.0),
        ("a", "2024-01-21", "C2", "Y", -1, -20.0),  # a return of one Y
        ("a", "2024-01-31", "O4", "Z", 1, 25.0),
        ("b", "2024-01-16", "O5", "X", 4, 40.0),
        ("c", "2023-12-02", "O6", "W", 1, 12.0),
    ]
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "timestamp": pd.to_datetime([r[1] for r in rows]),
            "order_id": [r[2] for r in rows],
            "item_id": [r[3] for r in rows],
            "quantity": [float(r[4]) for r in rows],
            "amount": [r[5] for r in rows],
        }
    )


EXPECTED = {
    # recency, frequency, monetary, AOV, tenure, rate/30d, days between orders, return share, distinct items
    "a": (0.0, 3, 50.0, 70 / 3, 30.0, 3.0, 15.0, 20 / 70, 3),
    "b": (15.0, 1, 40.0, 40.0, 15.0, 1.0, np.nan, 0.0, 1),
    "c": (60.0, 1, 12.0, 12.0, 60.0, 0.5, np.nan, 0.0, 1),
}
_COLS = [
    "recency_days",
    "frequency",
    "monetary",
    "avg_order_value",
    "tenure_days",
    "purchase_rate_30d",
    "days_between_orders",
    "return_share",
    "distinct_items",
]


def test_behaviour_features_match_hand_computed_values():
    out = behaviour_features(_log())
    assert list(out.columns) == ["customer_id", *BEHAVIOUR_COLUMNS]
    assert out["customer_id"].tolist() == ["a", "b", "c"]
    got = out.set_index("customer_id")[_COLS]
    want = pd.DataFrame.from_dict(EXPECTED, orient="index", columns=_COLS)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_names=False)
    a = out.set_index("customer_id").loc["a"]
    assert (a["first_purchase"], a["last_purchase"]) == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-31"))


def test_without_order_ids_one_day_is_one_order():
    log = _log().drop(columns="order_id")
    log.loc[len(log)] = ["b", pd.Timestamp("2024-01-16 18:00"), "Y", 1.0, 5.0]  # same day as O5
    out = behaviour_features(log).set_index("customer_id")
    assert out.loc["b", "frequency"] == 1
    assert out.loc["b", "monetary"] == 45.0
    assert out.loc["b", "distinct_items"] == 2
    assert out.loc["a", "frequency"] == 3


def test_as_of_uses_only_events_up_to_it():
    cutoff = pd.Timestamp("2024-01-15")
    out = behaviour_features(_log(), as_of=cutoff).set_index("customer_id")
    assert out.index.tolist() == ["a", "c"]  # b's first order is after the cutoff
    a = out.loc["a"]
    assert (a["frequency"], a["monetary"], a["recency_days"], a["tenure_days"]) == (2, 45.0, 4.0, 14.0)
    assert a["days_between_orders"] == 10.0
    assert out.loc["c", "recency_days"] == 44.0


def test_moving_later_events_does_not_change_features_before_the_cutoff():
    cutoff = pd.Timestamp("2024-01-15")
    log = _log()
    before = behaviour_features(log, as_of=cutoff)
    rng = np.random.default_rng(0)
    later = log["timestamp"] > cutoff
    moved = log.copy()
    moved.loc[later, "timestamp"] += pd.to_timedelta(rng.integers(1, 400, later.sum()), unit="D")
    moved.loc[later, "amount"] *= 7
    moved.loc[later, "customer_id"] = "c"  # even the customer of later events changes
    extra = moved[later].assign(timestamp=pd.Timestamp("2025-06-01"))
    pd.testing.assert_frame_equal(behaviour_features(pd.concat([moved, extra]), as_of=cutoff), before)
    pd.testing.assert_frame_equal(behaviour_features(log[~later], as_of=cutoff), before)


def test_rows_without_customer_or_time_are_not_counted():
    log = _log()
    log.loc[len(log)] = [None, pd.Timestamp("2024-01-05"), "O9", "X", 1.0, 99.0]
    log.loc[len(log)] = ["a", pd.NaT, "O10", "X", 1.0, 99.0]
    out = behaviour_features(log).set_index("customer_id")
    assert out.index.tolist() == ["a", "b", "c"]
    assert out.loc["a", "monetary"] == 50.0


def test_only_returns_means_no_purchases():
    log = pd.DataFrame(
        {
            "customer_id": ["a", "z"],
            "timestamp": pd.to_datetime(["2024-01-01", "2024-01-05"]),
            "amount": [30.0, -10.0],
        }
    )
    out = behaviour_features(log).set_index("customer_id")
    assert out.loc["z", "frequency"] == 0
    assert out.loc["z", "monetary"] == -10.0
    assert np.isnan(out.loc["z", "avg_order_value"])


# --- RFM ---------------------------------------------------------------------------------------------------


def test_rfm_scores_are_quintiles_from_1_to_5():
    rng = np.random.default_rng(1)
    customers = pd.DataFrame(
        {
            "recency_days": rng.uniform(0, 365, 50),
            "frequency": rng.permutation(50) + 1,
            "monetary": rng.lognormal(4, 1, 50),
        }
    )
    scores = rfm_scores(customers)
    for col in ("r_score", "f_score", "m_score"):
        assert scores[col].value_counts().sort_index().to_dict() == {1: 10, 2: 10, 3: 10, 4: 10, 5: 10}
    order = customers["recency_days"].argsort().to_numpy()
    assert scores["r_score"].to_numpy()[order].tolist() == sorted(scores["r_score"], reverse=True)
    order = customers["monetary"].argsort().to_numpy()
    assert scores["m_score"].to_numpy()[order].tolist() == sorted(scores["m_score"])


def test_equal_behaviour_gets_equal_scores_and_group():
    customers = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(12)],
            "recency_days": [30.0] * 10 + [1.0, 200.0],
            "frequency": [1] * 10 + [9, 1],
            "monetary": [20.0] * 10 + [500.0, 5.0],
        }
    )
    out = add_rfm(customers)
    same = out.iloc[:10]
    assert len(same[["r_score", "f_score", "m_score", "rfm_group"]].drop_duplicates()) == 1
    assert out.loc[10, ["r_score", "f_score", "m_score"]].tolist() == [5, 5, 5]
    assert out.loc[11, ["r_score", "m_score"]].tolist() == [1, 1]
    assert out.loc[11, "f_score"] == same["f_score"].iloc[0]  # one order, like the ten


# one customer per group: (recency, frequency, monetary) chosen so that with ten buyers each
# quintile holds two of them, giving the (R, F, M) scores in the comment
_GROUP_CASES = {
    "Champions": (1, 8, 50),  # 5 5 5
    "Loyal": (30, 6, 40),  # 3 4 4
    "Active": (10, 4, 30),  # 4 3 3
    "New": (2, 1, 10),  # 5 1 1, one order
    "Promising": (11, 2, 20),  # 4 2 2
    "Needs attention": (31, 5, 31),  # 3 3 3
    "Previously loyal": (300, 9, 51),  # 1 5 5
    "At risk": (100, 7, 41),  # 2 4 4
    "Almost lost": (101, 3, 21),  # 2 2 2
    "Dormant": (301, 1, 11),  # 1 1 1
}


def test_every_rfm_group_is_reachable():
    names = list(_GROUP_CASES)
    customers = pd.DataFrame(
        {
            "customer_id": names + ["prospect"],
            "recency_days": [_GROUP_CASES[n][0] for n in names] + [np.nan],
            "frequency": [_GROUP_CASES[n][1] for n in names] + [0],
            "monetary": [float(_GROUP_CASES[n][2]) for n in names] + [0.0],
        }
    )
    out = add_rfm(customers).set_index("customer_id")
    assert out["rfm_group"].astype(str).to_dict() == {**{n: n for n in names}, "prospect": "Prospects"}
    assert set(out["rfm_group"].cat.categories) == set(RFM_GROUPS)
    assert out.loc["Loyal", ["r_score", "f_score", "m_score"]].tolist() == [3, 4, 4]
    assert pd.isna(out.loc["prospect", "r_score"])


@pytest.mark.parametrize(
    ("scores", "frequency", "group"),
    [
        ((5, 4, 4), 3, "Champions"),
        ((3, 4, 3), 4, "Loyal"),  # FM = round(3.5) = 4
        ((4, 3, 2), 2, "Active"),  # FM = round(2.5) = 3
        ((4, 1, 2), 1, "New"),
        ((5, 2, 1), 2, "Promising"),
        ((3, 1, 1), 1, "Needs attention"),
        ((2, 5, 5), 9, "Previously loyal"),
        ((1, 3, 3), 4, "At risk"),
        ((2, 1, 2), 1, "Almost lost"),
        ((1, 2, 2), 2, "Dormant"),
        ((np.nan, np.nan, np.nan), 0, "Prospects"),
    ],
)
def test_rfm_group_rules(scores, frequency, group):
    assert rfm_group(*scores, frequency) == group


# --- the customer table -----------------------------------------------------------------------------------


def _orders_csv(n_customers: int, no_id_share: float, seed: int = 0) -> tuple[bytes, int]:
    rng = np.random.default_rng(seed)
    n = n_customers * 6
    ids = np.array([f"CU{i:03d}" for i in rng.integers(0, n_customers, n)], dtype=object)
    ids[:n_customers] = [f"CU{i:03d}" for i in range(n_customers)]  # everyone buys at least once
    missing = rng.random(n) < no_id_share
    missing[:n_customers] = False
    ids[missing] = ""
    orders = pd.DataFrame(
        {
            "order_id": [f"{10000 + i}" for i in range(n)],
            "customer_id": ids,
            "order_date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "quantity": rng.integers(1, 4, n),
            "unit_price": np.round(rng.uniform(3, 60, n), 2),
        }
    )
    return orders.to_csv(index=False).encode(), int(missing.sum())


def test_customer_table_with_50_customers():
    data, _ = _orders_csv(50, 0.0)
    ds = build_dataset([("orders.csv", data)])
    customers = ds.customers
    assert len(customers) == 50
    assert customers["customer_id"].is_unique
    assert (customers["frequency"] >= 1).all()
    assert customers["frequency"].sum() == 300
    assert customers[["r_score", "f_score", "m_score"]].stack().between(1, 5).all()
    assert customers["rfm_group"].notna().all()
    assert too_few(customers) == {}


def test_a_quarter_of_rows_without_customer_id_are_logged_not_lost():
    data, n_missing = _orders_csv(50, 0.25, seed=3)
    ds = build_dataset([("orders.csv", data)])
    table = ds.table("transactions")
    assert n_missing > 40
    assert len(table.frame) == table.rows_raw  # kept for totals
    assert ds.quality[0].rows_without_customer_id == n_missing
    entry = next(e for e in ds.cleaning_log if e["step"] == "rows without customer id")
    assert entry["detail"].startswith(f"{n_missing} rows")
    assert len(ds.customers) == 50
    linked = table.standard()["customer_id"].notna()
    assert ds.customers["frequency"].sum() == linked.sum()  # one order per line, only linked lines count
    total = table.standard()["amount"].sum()
    assert ds.customers["monetary"].sum() + table.standard().loc[~linked, "amount"].sum() == pytest.approx(total)


def test_customers_without_orders_are_prospects():
    orders, _ = _orders_csv(20, 0.0)
    profile = pd.DataFrame(
        {
            "customer_id": [f"CU{i:03d}" for i in range(23)],  # three have never ordered
            "country": ["DE", "FR", "NL"] * 7 + ["DE", "FR"],
            "age": np.arange(23) + 20,
        }
    )
    ds = build_dataset([("orders.csv", orders), ("customers.csv", profile.to_csv(index=False).encode())])
    table = ds.customers.set_index("customer_id")
    assert len(table) == 23
    new = table.loc[["CU020", "CU021", "CU022"]]
    assert new["rfm_group"].astype(str).tolist() == ["Prospects"] * 3
    assert new["frequency"].tolist() == [0, 0, 0]
    assert new["monetary"].tolist() == [0.0, 0.0, 0.0]
    assert new["country"].tolist() == ["NL", "DE", "FR"]  # their profile columns are joined
    assert (table.drop(new.index)["rfm_group"] != "Prospects").all()


def test_customer_table_joins_attributes_without_transactions():
    attrs = pd.DataFrame({"customer_id": ["b", "a", "a"], "age": [30, 40, 41]})
    out = customer_table([], [(attrs, ["age"])])
    assert out.to_dict("list") == {"customer_id": ["a", "b"], "age": [41, 30]}  # the last row per id
    assert "rfm_group" not in out


def test_too_few_says_which_analyses_need_more_customers():
    messages = too_few(pd.DataFrame({"customer_id": [str(i) for i in range(30)]}))
    assert set(messages) == {"churn model", "lifetime value"}
    assert messages["churn model"] == "Churn model need at least 50 customers; this data has 30."
