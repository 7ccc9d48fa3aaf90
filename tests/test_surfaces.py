"""One answer everywhere: the demo and two real exports rendered through the Overview (AppTest), the HTML report and
the CLI's JSON give the same figures wherever they show the same thing (orders, customers, revenue, segments, likely
leavers, offers coverage, lifetime value)."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from insight.data.dataset import build_dataset, load_demo
from insight.labels import money, plural
from insight.pipeline import Pipeline, store_runner
from tests.apptest import app, settle
from tests.conftest import SHARED_DATA

EXPORTS = SHARED_DATA / "exports"
FILES = ("shopify_orders_export_au.csv", "etsy_sold_order_items_2020.csv")
CASES = [pytest.param("demo", marks=pytest.mark.demo_results), *FILES]


def _dataset(case: str):
    if case == "demo":
        return load_demo()
    path = EXPORTS / case
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared exports are not part of the project)")
    return build_dataset([(case, path.read_bytes())])


def _figure(html: str, label: str) -> str | None:
    """The value the report gives a figure, as printed."""
    found = re.search(rf'<div class="figure">{re.escape(html_lib.escape(label))}<b>([^<]*)</b>', html)
    return html_lib.unescape(found.group(1)) if found else None


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_the_overview_the_report_and_the_json_agree(case: str) -> None:
    from insight.report import build_html, summary

    ds = _dataset(case)
    at = app()
    at.session_state["dataset"] = ds
    settle(at)
    assert not at.exception
    cards = {m.label: m.value for m in at.metric}
    text = "\n".join([m.value for m in at.markdown] + [i.value for i in at.info]).replace("\\", "")  # unescaped
    pipe = Pipeline(ds, store_runner(ds.fingerprint))  # the store the app used: nothing is fitted again
    answers = pipe.answers()
    report = build_html(pipe, answers)
    js = summary.report(pipe, answers)
    head = answers.headline

    shown = 1
    assert js["customers"]["count"] == len(ds.customers) and head["customers"] == (len(ds.customers) or None)
    if len(ds.customers):
        assert cards["Customers"] == _figure(report, "Customers") == f"{len(ds.customers):,}"
    else:
        assert "Customers" not in cards and _figure(report, "Customers") is None
    if head["orders"] is not None:
        assert js["overview"]["orders"] == head["orders"]
        assert cards["Orders"] == _figure(report, "Orders") == f"{head['orders']:,.0f}"
        shown += 1
    if head["revenue"] is not None:
        assert js["overview"]["revenue"] == pytest.approx(head["revenue"])
        assert cards["Revenue"] == _figure(report, "Revenue") == money(head["revenue"], ds.currency)
        shown += 1
    if answers.segmentation is not None:
        k = answers.segmentation.n_segments
        assert js["segments"]["k"] == k and _figure(report, "Segments") == str(k)
        assert f"{plural(k, 'group')} of customers who behave alike" in text
        shown += 1
    if answers.likely_leavers is not None:
        n = answers.likely_leavers
        assert js["churn"]["likely_leavers"] == n
        assert _figure(report, ds.outcome.say("audience_tag").capitalize()) == f"{n:,}"
        assert ds.outcome.say("likely", people=plural(n, "customer")) in text
        shown += 1
    if answers.offers_coverage is not None:
        n = answers.offers_coverage
        assert js["recommendations"]["users_covered"] == n
        assert _figure(report, "Customers with offers") == f"{n:,}"
        assert f"Offers for {plural(n, 'customer')}" in text
        shown += 1
    lifetime = answers.lifetime_shown
    if lifetime is not None and lifetime.summary().get("total_clv_12m") is not None:
        worth = money(lifetime.summary()["total_clv_12m"], ds.currency)
        assert js["clv"]["total_clv_12m"] == pytest.approx(lifetime.summary()["total_clv_12m"])
        assert _figure(report, "Value over the next 12 months") == worth and f"about {worth}" in text
        shown += 1
    elif answers.lifetime is not None:  # withheld: stated nowhere as a figure
        assert "skipped" in js["clv"] and _figure(report, "Value over the next 12 months") is None
        assert "withheld" in text
    assert shown >= (7 if case == "demo" else 3)  # the figures compared
