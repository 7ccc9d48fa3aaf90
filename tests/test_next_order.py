"""When each customer orders next: the rhythm by hand, the backtest against the shop's typical gap, the demo's
planted rhythms, a shop whose customers order at random, and the real order logs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight import demo
from insight.data import build_dataset
from insight.pipeline import MemoRunner, Pipeline
from insight.predict import next_order as no
from insight.report import summary

START = pd.Timestamp("2024-01-01")


def _log(rows: list[tuple[str, int]], **extra: list) -> pd.DataFrame:
    """A standard transactions frame from (customer, day number) pairs."""
    frame = pd.DataFrame(rows, columns=["customer_id", "day"])
    frame["timestamp"] = START + pd.to_timedelta(frame.pop("day"), unit="D") + pd.Timedelta(hours=10)
    return frame.assign(**extra)


def _shop(seed: int = 0, n: int = 300, days: int = 540, rhythms: tuple[int, ...] = (10, 45)) -> pd.DataFrame:
    """Customers who order every 10 or every 45 days (give or take 10%), from a random first day; a quarter
    order once. With `rhythms=()` everyone orders at random at one rate (no rhythm to find)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        start = int(rng.integers(0, days // 2))
        if rng.random() < 0.25:
            rows.append((f"c{i}", start))
            continue
        if rhythms:
            gap = rhythms[i % len(rhythms)]
            gaps = rng.normal(gap, 0.1 * gap, days // gap + 2).clip(1)
        else:
            gaps = rng.exponential(25, days)
        for t in start + np.cumsum(np.r_[0, gaps]):
            if t < days:
                rows.append((f"c{i}", int(t)))
    return _log(rows)


def test_purchase_days_count_one_order_a_day_and_no_returns() -> None:
    tx = _log([("a", 0), ("a", 0), ("a", 5), ("b", 3)], amount=[10.0, 5.0, -10.0, 8.0])
    days = no.purchase_days(tx)
    assert days.groupby("customer_id").size().to_dict() == {"a": 1, "b": 1}  # the return on day 5 is no order


def test_rhythm_is_the_mean_gap_and_the_days_since_the_last_order() -> None:
    days = no.purchase_days(_log([("a", 0), ("a", 10), ("a", 30), ("b", 20)]))
    table = no.rhythm(days, START + pd.Timedelta(days=40))
    assert table.loc["a", "orders"] == 3 and table.loc["a", "usual_gap_days"] == 15.0
    assert table.loc["a", "days_since_last"] == 10 and table.loc["b", "days_since_last"] == 20
    assert pd.isna(table.loc["b", "usual_gap_days"])  # one order: no gap


def test_regularity_is_high_for_clockwork_and_about_one_for_random_gaps() -> None:
    clockwork = no.purchase_days(_log([(f"c{i}", 7 * k) for i in range(5) for k in range(8)]))
    assert no.regularity(clockwork) == no.SHAPE_RANGE[1]
    random_days = no.purchase_days(_shop(rhythms=()))
    assert 0.7 < no.regularity(random_days) < 1.5  # exponential gaps: shape 1


def test_own_rhythm_dates_the_planted_rhythms_and_beats_the_typical_gap() -> None:
    result = no.next_order(_shop())
    test = result.backtest
    assert result.method == no.RHYTHM and result.verdict.trust == "reliable"
    assert test["rhythm"]["when_error_days"] < 0.6 * test["baseline"]["when_error_days"]
    assert test["rhythm"]["who_accuracy"] >= test["baseline"]["who_accuracy"]
    table = result.table.set_index("customer_id")
    active = table[table["next_order"].notna()]
    fast = active.index.str[1:].astype(int) % 2 == 0  # even customers order every 10 days, odd every 45
    assert active.loc[fast, "usual_gap_days"].median() == pytest.approx(10, rel=0.1)
    assert active.loc[~fast, "usual_gap_days"].median() == pytest.approx(45, rel=0.1)
    assert (active.loc[fast, "days_to_next"] <= 12).all()  # within a gap of the last day of the log


def test_one_order_customers_and_lapsed_customers_get_no_date_with_the_reason() -> None:
    rows = [(f"r{i}", d) for i in range(60) for d in range(0, 400, 10)] + [(f"o{i}", 390) for i in range(20)]
    rows += [(f"l{i}", d) for i in range(10) for d in range(0, 100, 10)]  # every 10 days, then silent for 300
    table = no.next_order(_log(rows)).table.set_index("customer_id")
    assert (table.loc[table.index.str.startswith("o"), "no_date_because"] == no.ONE_ORDER).all()
    lapsed = table.loc["l0"]
    assert pd.isna(lapsed["next_order"]) and lapsed["no_date_because"].startswith("lapsed: no order for 300 days")
    regular = table.loc["r0"]
    assert regular["days_to_next"] == 10 and regular["no_date_because"] is None


def test_random_timing_is_no_better_than_the_typical_gap_and_shows_no_dates() -> None:
    result = no.next_order(_shop(rhythms=()))
    assert result.verdict.trust == "unreliable" and "no dates are shown" in result.verdict.reason
    assert result.verdict.baseline == str(no.BASELINE_TEXT)
    out = result.summary()
    assert out["customers"] is None and out["median_days"] is None  # withheld, but the backtest is there
    assert out["backtest"]["baseline"]["when_error_days"] > 0


def test_orders_at_random_over_a_long_window_are_at_most_rough() -> None:
    """Knowing the waits are random beats "due now" for overdue customers, but no date comes close."""
    result = no.next_order(_log([(c, d) for c, d in zip(*_random_log(), strict=True)]))
    mine, base = result.backtest["rhythm"], result.backtest["baseline"]
    assert mine["when_error_days"] < base["when_error_days"]
    assert mine["when_error_days"] > no.PRECISE_GAPS * result.backtest["typical_gap_days"]
    assert result.verdict.trust == "rough" and "little rhythm" in result.verdict.reason


def _random_log(n: int = 200, seed: int = 0) -> tuple[list[str], list[int]]:
    """A year of 4n orders, each to a customer drawn at random: everyone buys at one rate, at random times."""
    rng = np.random.default_rng(seed)
    return [f"c{i}" for i in rng.integers(0, n, 4 * n)], rng.integers(0, 365, 4 * n).tolist()


def test_a_history_too_short_to_check_shows_no_dates_and_says_why() -> None:
    result = no.next_order(_log([(f"c{i}", d) for i in range(40) for d in (0, 5, 10)]))
    assert result.verdict.trust == "unreliable" and "could not be checked" in result.verdict.reason
    assert set(result.backtest) == {"skipped"}


def test_without_repeat_buyers_there_is_nothing_to_date() -> None:
    with pytest.raises(no.NotEnoughData, match="ordered only once"):
        no.next_order(_log([(f"c{i}", i) for i in range(30)]))


def test_the_demo_planted_rhythms_come_out_reliable(demo_pipeline: Pipeline) -> None:
    pipe = demo_pipeline
    result = pipe.next_order()
    assert result.verdict.trust == "reliable" and result.method == no.RHYTHM
    test = result.backtest
    assert test["rhythm"]["when_error_days"] <= 0.8 * test["baseline"]["when_error_days"]
    truth = demo.generate().truth.set_index("customer_id")["segment"]
    table = pipe.next_orders().set_index("customer_id")
    gaps = table["usual_gap_days"].groupby(truth.reindex(table.index)).median()
    assert gaps["Big spenders"] == pytest.approx(24, rel=0.15)  # planted: every 24 days
    assert gaps["Regulars"] == pytest.approx(50, rel=0.15)  # planted: every 50 days
    dated = table["next_order"].notna()
    assert not dated[truth.reindex(table.index).eq("Drifting away")].any()  # they stopped: lapsed
    out = summary.report.__globals__["jsonable"](result.summary())
    assert set(out) >= {"customers", "median_days", "backtest", "verdict"}
    assert out["customers"] == int(dated.sum()) and out["verdict"]["trust"] == "reliable"


@pytest.mark.shared_data
def test_the_real_order_logs_get_a_verdict_with_backtest_figures(shared_data) -> None:
    cdnow = build_dataset([("cdnow_master.csv", (shared_data / "cdnow" / "cdnow_master.csv").read_bytes())])
    result = Pipeline(cdnow, MemoRunner()).next_order()
    test = result.backtest
    assert test["holdout_days"] == 165 and test["customers"] > 10_000 and test["ordered"] > 4_000
    assert test["regularity"] < 1.5  # CDNOW's customers buy at random intervals
    assert result.verdict.trust in ("rough", "unreliable")
    assert f"{test['baseline']['when_error_days']:.0f} for the shop's typical gap" in result.verdict.reason
    exports = shared_data / "exports"
    files = [(n, (exports / n).read_bytes()) for n in ("oracle_oe_orders_export.csv", "oracle_oe_customers_export.csv")]
    oracle = Pipeline(build_dataset(files), MemoRunner()).next_order()
    assert oracle.verdict.trust == "unreliable" and "too few to check" in oracle.verdict.reason
