"""BG/NBD and Gamma-Gamma: hand-worked summaries, published values, parameter recovery, CDNOW."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.errors import NotEnoughData, SchemaError
from insight.predict.clv import (
    ONE_TIME_NOTE,
    BetaGeoModel,
    GammaGammaModel,
    discounted_value,
    lifetime_value,
    rft_summary,
)


def _tx(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "timestamp": pd.to_datetime([r[1] for r in rows], format="ISO8601"),
            "amount": [r[2] for r in rows],
        }
    )


def _published() -> BetaGeoModel:
    model = BetaGeoModel()
    model.r_, model.alpha_, model.a_, model.b_ = 0.243, 4.414, 0.793, 2.426
    return model


def test_rft_summary_counts_days_not_lines_and_ignores_returns():
    tx = _tx(
        [
            ("a", "2024-01-01 09:00", 10.0),
            ("a", "2024-01-01 17:00", 5.0),  # same day: one purchase of 15
            ("a", "2024-01-15", 20.0),
            ("a", "2024-01-29", 30.0),
            ("a", "2024-02-05", -8.0),  # a return: not a purchase
            ("b", "2024-01-22", 12.0),
        ]
    )
    s = rft_summary(tx, observation_end="2024-02-26").set_index("customer_id")
    assert s.loc["a", "frequency"] == 2
    assert s.loc["a", "recency"] == pytest.approx(4.0)  # 28 days / 7
    assert s.loc["a", "T"] == pytest.approx(8.0)  # 56 days / 7
    assert s.loc["a", "monetary_value"] == pytest.approx(25.0)  # mean of repeat days 20 and 30
    assert s.loc["b", "frequency"] == 0 and s.loc["b", "monetary_value"] == 0
    assert s.loc["b", "T"] == pytest.approx(5.0)


def test_rft_summary_drops_events_after_observation_end():
    tx = _tx([("a", "2024-01-01", 10.0), ("a", "2024-03-01", 10.0)])
    s = rft_summary(tx, observation_end="2024-02-01", time_unit_days=1.0)
    assert s["frequency"].tolist() == [0.0] and s["T"].tolist() == [31.0]


def test_rft_summary_names_a_missing_column():
    with pytest.raises(SchemaError, match="amount"):
        rft_summary(pd.DataFrame({"customer_id": ["a"], "timestamp": pd.to_datetime(["2024-01-01"])}))


def test_conditional_expectation_matches_the_published_worked_example():
    # Fader, Hardie & Lee (2005): x=2, t_x=30.43, T=38.86 -> 1.226 purchases in the next 39 weeks.
    assert _published().expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=0.001)


@pytest.mark.parametrize(
    ("frequency", "recency", "expected"),
    [(0, 0.0, 1.0), (2, 38.86, None), (2, 10.0, None)],
)
def test_p_alive_is_one_without_repeats_and_falls_with_the_gap(frequency, recency, expected):
    model = _published()
    p = float(model.p_alive(frequency, recency, 38.86))
    if expected is not None:
        assert p == expected
    else:
        assert 0 < p <= 1
    assert model.p_alive(2, 10.0, 38.86) < model.p_alive(2, 38.86, 38.86)


def _simulate(r, alpha, a, b, n, T, seed):
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    x, t_x = np.zeros(n), np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / lam[i])
            if t > T:
                break
            x[i] += 1
            t_x[i] = t
            if rng.random() < p[i]:
                break
    return x, t_x, np.full(n, T)


def test_bgnbd_recovers_the_parameters_it_was_simulated_from():
    x, t_x, T = _simulate(0.8, 6.0, 0.6, 2.5, 4000, 52.0, seed=1)
    model = BetaGeoModel().fit(x, t_x, T)
    assert model.r_ == pytest.approx(0.8, rel=0.2)
    assert model.alpha_ == pytest.approx(6.0, rel=0.25)
    assert model.a_ / (model.a_ + model.b_) == pytest.approx(0.6 / 3.1, rel=0.25)  # mean drop-out probability


def test_gamma_gamma_recovers_the_mean_spend():
    rng = np.random.default_rng(3)
    p, q, v = 6.0, 4.0, 15.0
    nu = rng.gamma(q, 1 / v, 3000)
    x = rng.integers(1, 8, 3000)
    m = np.array([rng.gamma(p, 1 / nu_i, k).mean() for nu_i, k in zip(nu, x, strict=True)])
    model = GammaGammaModel().fit(x, m)
    assert model.p_ * model.v_ / (model.q_ - 1) == pytest.approx(p * v / (q - 1), rel=0.1)
    spend = model.expected_spend(np.array([0, 5]), np.array([0.0, 40.0]))
    assert spend[0] == pytest.approx(model.p_ * model.v_ / (model.q_ - 1))
    assert spend[0] < spend[1] < 40.0  # shrunk from the customer's own mean towards the population mean


def test_discounted_value_without_discount_is_spend_times_purchases():
    model = _published()
    rft = pd.DataFrame({"frequency": [2.0, 0.0], "recency": [30.0, 0.0], "T": [38.0, 20.0]})
    spend = np.array([20.0, 30.0])
    got = discounted_value(model, spend, rft, months=12, monthly_discount=0.0)
    want = spend * model.expected_purchases(12 * 30 / 7, rft["frequency"], rft["recency"], rft["T"])
    np.testing.assert_allclose(got, want, rtol=1e-9)
    assert (discounted_value(model, spend, rft, months=12, monthly_discount=0.01) < got).all()


def _shop(n_customers: int, days: int, seed: int = 0, *, same_rate: bool = False) -> pd.DataFrame:
    """Orders from customers with their own purchase rate and drop-out chance (or all alike)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_customers):
        rate = 1 / 20 if same_rate else rng.gamma(1.0, 1 / 25)
        drop = 0.0 if same_rate else rng.beta(1, 4)
        t = float(rng.integers(0, days // 2))
        while t <= days:
            rows.append((f"c{i}", pd.Timestamp("2024-01-01") + pd.Timedelta(days=t), float(rng.gamma(4, 10))))
            if rng.random() < drop:
                break
            t += rng.exponential(1 / rate)
    return _tx(rows)


def test_lifetime_value_refuses_fewer_than_50_customers():
    with pytest.raises(NotEnoughData, match="at least 50"):
        lifetime_value(_shop(30, 200))


def test_lifetime_value_scores_everyone_and_warns_on_thin_data():
    result = lifetime_value(_shop(120, 150))
    table = result.table
    assert len(table) == 120
    repeat = table["frequency"] > 0
    assert table.loc[repeat, "p_alive"].between(0, 1).all()
    assert table.loc[~repeat, "p_alive"].isna().all()  # BG/NBD would call every one-time buyer 100% alive
    assert (table["expected_purchases"] > 0).all() and (table["clv_12m"] > 0).all()
    assert any("rough" in w and "120 customers" in w for w in result.warnings)
    summary = result.summary()
    assert summary["total_clv_12m"] == pytest.approx(table["clv_12m"].sum())
    assert set(summary["bgnbd"]) == {"r", "alpha", "a", "b"}
    assert not any("shrunk" in w for w in result.warnings)


def test_lifetime_value_stays_finite_when_everyone_buys_alike():
    result = lifetime_value(_shop(200, 400, same_rate=True))
    assert np.isfinite(result.table[["expected_purchases", "clv_12m"]].to_numpy()).all()
    assert any("shrunk" in w for w in result.warnings)


@pytest.mark.shared_data
def test_cdnow_sample_reproduces_the_published_fits(shared_data):
    df = pd.read_csv(
        shared_data / "cdnow" / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["customer_id", "sample_id", "date", "cds", "amount"],
        dtype={"customer_id": str, "sample_id": str, "date": str},
    )
    df["timestamp"] = pd.to_datetime(df["date"], format="%Y%m%d")
    result = lifetime_value(df, observation_end="1997-09-30")
    assert len(result.table) == 2357
    assert result.table["frequency"].sum() == 2457  # repeat purchases in the calibration period (the paper)
    bg = result.summary()["bgnbd"]
    for name, published in {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}.items():
        assert bg[name] == pytest.approx(published, rel=0.01), name
    assert result.bgnbd.log_likelihood_ == pytest.approx(-9582.4, abs=0.5)
    gg = result.summary()["gamma_gamma"]
    for name, published in {"p": 6.25, "q": 3.74, "v": 15.45}.items():
        assert gg[name] == pytest.approx(published, rel=0.01), name
    assert result.warnings == [ONE_TIME_NOTE]  # nothing rough, only why one-time buyers have no P(alive)


def test_clv_report_for_an_orders_file_and_none_without_orders():
    from insight.data.dataset import build_dataset
    from insight.pipeline import Pipeline
    from insight.report.summary import lifetime_value as clv_section

    orders = _shop(120, 400).rename(columns={"timestamp": "order_date"})
    ds = build_dataset([("orders.csv", orders.to_csv(index=False).encode())])
    report = clv_section(Pipeline(ds))
    assert report["customers"] == 120
    assert set(report) >= {"bgnbd", "gamma_gamma", "mean_p_alive", "total_clv_12m", "warnings"}
    assert 0 < report["mean_p_alive"] <= 1 and report["total_clv_12m"] > 0
    people = pd.DataFrame({"customer_id": [f"c{i}" for i in range(60)], "age": range(20, 80)})
    assert clv_section(Pipeline(build_dataset([("people.csv", people.to_csv(index=False).encode())]))) is None


def test_purchase_timing_the_model_cannot_fit_is_refused_with_the_reason():
    """Everyone buys at random times of one year at one rate: even the shrunk BG/NBD gives no finite forecast."""
    rng = np.random.default_rng(1)
    start = pd.Timestamp("2024-01-01")
    rows = [
        (f"c{rng.integers(0, 300)}", start + pd.Timedelta(minutes=int(rng.integers(0, 365 * 24 * 60))), 40.0)
        for _ in range(3000)
    ]
    with pytest.raises(NotEnoughData, match="does not fit the lifetime value model"):
        lifetime_value(_tx(rows))


def test_runaway_spend_model_falls_back_to_average_orders(monkeypatch):
    """A Shopify export where every order costs the same sent Gamma-Gamma to p=1.8e304; CLV must stay sane."""
    from insight.predict.clv import GammaGammaModel

    def runaway(self, frequency, monetary_value):
        self.p_, self.q_, self.v_ = 1.8e304, 3.5e30, 1.1e-251
        return self

    monkeypatch.setattr(GammaGammaModel, "fit", runaway)
    orders = _shop(120, 300)
    result = lifetime_value(orders)
    table = result.table
    assert result.summary()["gamma_gamma"] is None
    assert any("average order" in w for w in result.warnings)
    repeat = table["monetary_value"] > 0
    assert table.loc[repeat, "expected_spend_per_purchase"].tolist() == table.loc[repeat, "monetary_value"].tolist()
    one_time = table.loc[~repeat, "expected_spend_per_purchase"]
    assert one_time.eq(table.loc[repeat, "monetary_value"].mean()).all()
    total = result.summary()["total_clv_12m"]
    assert 0 < total < orders["amount"].sum() * 2  # a year ahead is of the order of the history, not 1e23


@pytest.mark.parametrize("trust", ["unreliable", "rough"])
def test_an_unreliable_lifetime_value_is_withheld_in_words_and_a_usable_one_is_stated(trust):
    from types import SimpleNamespace

    from insight.report import words
    from insight.verdict import Verdict

    reason = "The purchase model ran into an extreme corner: it sees nobody ever leave."
    lifetime = SimpleNamespace(
        verdict=Verdict(trust, reason, "each customer keeps buying at their past rate"),
        summary=lambda: {"total_clv_12m": 603_543.0, "mean_p_alive": 0.998},
        table=pd.DataFrame(index=range(40)),
    )
    text = words.value_sentence(lifetime, "GBP")
    if trust == "unreliable":
        assert text == f"Lifetime value withheld: {reason}" and "603" not in text
    else:
        assert text.startswith("Your 40 customers should bring about £603,543 in the next 12 months;")
