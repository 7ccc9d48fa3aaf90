"""Every finding on the overview: built data where it holds, and data where it does not."""

from __future__ import annotations

import pandas as pd
import pytest

from insight import findings as fi


def _customers(n: int = 100, **cols) -> pd.DataFrame:
    base = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)]})
    for name, values in cols.items():
        base[name] = values
    return base


def test_champions_revenue() -> None:
    groups = ["Champions"] * 10 + ["Loyal"] * 90
    holds = _customers(rfm_group=groups, monetary=[100.0] * 10 + [10.0] * 90)
    f = fi.champions_revenue(fi.Evidence(holds))
    assert f is not None and f.text == "Champions are 10% of customers and 53% of revenue."
    flat = _customers(rfm_group=groups, monetary=[10.0] * 100)
    assert fi.champions_revenue(fi.Evidence(flat)) is None


def test_revenue_concentration() -> None:
    spend = [500.0] * 10 + [5.0] * 90
    f = fi.revenue_concentration(fi.Evidence(_customers(monetary=spend)))
    assert f is not None and "top 10% of customers bring 92% of revenue" in f.text
    assert fi.revenue_concentration(fi.Evidence(_customers(monetary=[5.0] * 100))) is None


def _risk_evidence(risk_a: float, mention_a: str) -> fi.Evidence:
    segments = ["Drifting"] * 30 + ["Happy"] * 70
    risk = [risk_a] * 30 + [0.2] * 70
    customers = _customers(segment=segments, churn_risk=risk)
    texts = [mention_a] * 30 + ["late delivery once"] * 10 + ["all good"] * 60
    feedback = pd.DataFrame({"customer_id": customers["customer_id"], "text": texts})
    themes = pd.DataFrame({"side": ["negative"], "term": ["delivery"], "negative_texts": [40]})
    return fi.Evidence(customers, feedback=feedback, themes=themes)


def test_risky_segment_with_its_complaint() -> None:
    f = fi.risky_segment(_risk_evidence(0.9, "the delivery was late"))
    assert f is not None
    assert f.text == "'Drifting' (30 customers) carry 2.2× the average churn risk and mention 'delivery' 7.0× as often."
    plain = fi.risky_segment(_risk_evidence(0.9, "nice tea"))
    assert plain is not None and plain.text.endswith("average churn risk.")


def test_risky_segment_not_shown_when_risk_is_even() -> None:
    assert fi.risky_segment(_risk_evidence(0.25, "the delivery was late")) is None
    small = _customers(10, segment=["A"] * 5 + ["B"] * 5, churn_risk=[0.9] * 5 + [0.1] * 5)
    assert fi.risky_segment(fi.Evidence(small)) is None


def _monthly(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"month": pd.date_range("2025-01-01", periods=len(values), freq="MS"), "revenue": values})


def test_revenue_trend() -> None:
    up = fi.revenue_trend(fi.Evidence(_customers(), monthly=_monthly([100] * 6 + [130] * 3)))
    assert up is not None and "up 30%" in up.text
    down = fi.revenue_trend(fi.Evidence(_customers(), monthly=_monthly([100] * 6 + [80] * 3 + [5])))
    assert down is not None and "down 20%" in down.text  # the running month is left out
    assert fi.revenue_trend(fi.Evidence(_customers(), monthly=_monthly([100] * 9))) is None
    assert fi.revenue_trend(fi.Evidence(_customers(), monthly=_monthly([100] * 4))) is None


def test_low_repeat() -> None:
    f = fi.low_repeat(fi.Evidence(_customers(frequency=[1] * 80 + [3] * 20)))
    assert f is not None and f.text == "Only 20% of buyers came back for a second order."
    assert fi.low_repeat(fi.Evidence(_customers(frequency=[1] * 50 + [2] * 50))) is None


def test_returns_share() -> None:
    tx = pd.DataFrame({"amount": [100.0] * 10 + [-10.0] * 10})
    f = fi.returns_share(fi.Evidence(_customers(), transactions=tx))
    assert f is not None and f.text == "Returns take back 10% of what customers spend."
    few = pd.DataFrame({"amount": [100.0] * 10 + [-10.0]})
    assert fi.returns_share(fi.Evidence(_customers(), transactions=few)) is None


def test_top_complaint() -> None:
    themes = pd.DataFrame(
        {"side": ["negative", "positive"], "term": ["delivery", "flavour"], "negative_texts": [42, 0]}
    )
    f = fi.top_complaint(fi.Evidence(_customers(), themes=themes))
    assert f is not None and f.text == "Unhappy customers most often talk about 'delivery' (42 negative texts)."
    rare = themes.assign(negative_texts=[3, 0])
    assert fi.top_complaint(fi.Evidence(_customers(), themes=rare)) is None


def test_offer_for_at_risk() -> None:
    customers = _customers(churn_risk=[0.8] * 30 + [0.1] * 70, value=[100.0] * 20 + [50.0] * 10 + [500.0] * 70)
    offers = pd.DataFrame({"customer_id": customers["customer_id"], "item": ["Tasting Set"] * 12 + ["Mug"] * 88})
    f = fi.offer_for_at_risk(fi.Evidence(customers, offers=offers))
    assert f is not None
    assert f.text == "Top offer for your 20 most valuable at-risk customers: Tasting Set (first pick for 12 of them)."
    spread = offers.assign(item=[f"item {i}" for i in range(100)])
    assert fi.offer_for_at_risk(fi.Evidence(customers, offers=spread)) is None


@pytest.mark.parametrize("rule", fi.RULES)
def test_every_rule_is_silent_without_its_inputs(rule) -> None:
    assert rule(fi.Evidence(pd.DataFrame({"customer_id": []}))) is None


def test_findings_lists_only_what_holds() -> None:
    ev = fi.Evidence(_customers(frequency=[1] * 80 + [3] * 20, monetary=[5.0] * 100))
    assert [f.key for f in fi.findings(ev)] == ["low_repeat"]
