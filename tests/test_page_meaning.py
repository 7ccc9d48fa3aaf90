"""The words follow the outcome (AppTest on every page): a campaign list whose outcome is the latest campaign's
`Response` shows no word of churn or leaving anywhere, and its value is the customers' spend, never their income."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from insight.data.dataset import build_dataset
from insight.pipeline import Pipeline
from insight.report import summary
from tests.apptest import app, settle
from tests.conftest import plain
from tests.test_revenue import _taobao

LEAVING_WORDS = re.compile(r"churn|\bleav(e|es|ing|ers?)\b|\bwho left\b|\bgone\b", re.I)
PAGES = ("overview", "data", "segments", "predict", "feedback", "recommend")


def campaign_list(n: int = 700) -> bytes:
    """A shop's customer list after five campaigns: income, spend per category, the past campaigns' replies, a
    complaint flag and the latest campaign's `Response`, which follows spend, recency and past replies."""
    rng = np.random.default_rng(11)
    past = {f"AcceptedCmp{k}": (rng.random(n) < 0.08).astype(int) for k in range(1, 6)}
    income = rng.normal(52000, 15000, n).clip(8000).round()
    web = rng.integers(0, 27, n)
    wines = (income / 90 * rng.uniform(0.6, 1.4, n) + 12 * web).round()  # who earns and buys online spends more
    meat = (income / 200 * rng.uniform(0.5, 1.5, n)).round()
    recency = rng.integers(0, 99, n)
    logit = -2.0 + 1.6 * sum(past.values()) + 0.0015 * wines - 0.025 * recency
    frame = pd.DataFrame(
        {
            "ID": rng.permutation(np.arange(5000, 5000 + n)),
            "Year_Birth": rng.integers(1950, 2000, n),
            "Education": rng.choice(["Graduation", "PhD", "Master", "Basic"], n),
            "Marital_Status": rng.choice(["Married", "Single", "Together"], n),
            "Income": income,
            "Recency": recency,
            "MntWines": wines,
            "MntFruits": rng.gamma(1.5, 20, n).round(),
            "MntMeatProducts": meat,
            "NumWebPurchases": web,
            **past,
            "Complain": (rng.random(n) < 0.01).astype(int),
            "Response": (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int),
        }
    )
    return frame.to_csv(index=False, sep="\t").encode()


def page_text(at: AppTest) -> str:
    """Every string the page shows: element texts and labels, chart specs, table headers and text cells."""
    out: list[str] = []

    def walk(node: object) -> None:
        for child in getattr(node, "children", {}).values():
            walk(child)
        value = getattr(node, "value", None)
        if isinstance(value, pd.DataFrame):
            out.extend(map(str, value.columns))
            out.extend(str(v) for v in value.select_dtypes(exclude="number").stack())
        elif getattr(node, "proto", None) is not None and not getattr(node, "children", None):
            out.extend(_strings(node.proto))

    walk(at._tree)
    return plain(" ".join(out))


def _strings(message: Message) -> list[str]:
    """Every text field of a protobuf message (labels, bodies, options, chart specs), nested ones included."""
    out: list[str] = []
    for _, value in message.ListFields():
        values = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
        for v in values:
            if isinstance(v, Message):
                out.extend(_strings(v))
            elif isinstance(v, str):
                out.append(v)
    return out


def test_a_campaign_list_speaks_of_replies_on_every_page_and_values_spend() -> None:
    at = app("app_pages/data.py").run()
    at.file_uploader(key="data_upload").upload("marketing_campaign.csv", campaign_list(), "text/csv").run()
    assert not at.exception
    seen = {}
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py")
        settle(at)
        assert not at.exception, page
        seen[page] = page_text(at)
        assert not LEAVING_WORDS.search(seen[page]), (page, LEAVING_WORDS.search(seen[page]))
    assert "Value & campaign replies" in seen["predict"] and "Who may say yes to the next campaign" in seen["overview"]
    assert "said yes in 'Response'" in seen["overview"]
    assert "look likely to say yes; offer them the next campaign first" in seen["predict"]
    assert "Predicting **Total spend**" in seen["predict"] or "Predicting Total spend" in seen["predict"]
    assert "Income" not in re.findall(r"worth about [^(]+\(([^)]+)\)", seen["predict"])

    ds = build_dataset([("marketing_campaign.csv", campaign_list())], pii_key=b"k")
    out = summary.report(Pipeline(ds))
    assert out["churn"]["outcome"] == "Response" and out["spend"]["target"] == "total spend"
    assert not LEAVING_WORDS.search(out["churn"]["verdict"]["reason"])
    assert ds.outcome.say("page") == "Value & campaign replies"  # the navigation's title for the Value page


def test_an_order_report_with_paid_and_total_shows_the_paid_revenue_on_the_overview() -> None:
    frame = _taobao()
    kept = frame[frame["订单状态"] == "交易成功"]
    at = app("app_pages/data.py").run()
    at.file_uploader(key="data_upload").upload("订单报表.csv", frame.to_csv(index=False).encode(), "text/csv").run()
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Revenue"] == f"{kept['买家实际支付金额'].sum():,.0f}"
    assert metrics["Refunded"] == f"{kept['退款金额'].sum():,.0f}" and metrics["Orders"] == f"{len(kept):,}"
    assert any("what was paid ('买家实际支付金额')" in plain(c.value) for c in at.caption)


def test_the_data_page_asks_which_column_is_the_outcome_and_the_words_follow_the_answer() -> None:
    rng = np.random.default_rng(2)
    n = 300
    frame = pd.DataFrame(
        {
            "ID": range(n),
            "Age": rng.integers(18, 80, n),
            "Plan": rng.choice(["basic", "pro"], n),
            "Churn": rng.choice(["yes", "no"], n),
            "Response": rng.choice(["yes", "no"], n),
        }
    )
    at = app("app_pages/data.py").run()
    at.file_uploader(key="data_upload").upload("list.csv", frame.to_csv(index=False).encode(), "text/csv").run()
    assert not at.exception
    question = next(r for r in at.radio if r.label == "Which column is the outcome you care about?")
    assert question.options == ["Churn", "Response", "None of them"]
    assert any("could each be the outcome" in plain(w.value) for w in at.warning)
    question.set_value("Response").run()
    assert not at.exception and not any(r.label.startswith("Which column") for r in at.radio)
    assert at.session_state["dataset"].customer_roles["label"] == "Response"
    assert at.session_state["dataset"].outcome.say("page") == "Value & campaign replies"


def test_a_labelled_feedback_file_shows_the_peoples_shares_beside_the_models() -> None:
    texts = {
        "negative": ["Terrible delay, the flight was cancelled and nobody helped", "Worst service, rude staff"],
        "neutral": ["Flight 123 departs at 9 from gate 4", "Is there wifi on the plane to Boston"],
        "positive": ["Great crew, lovely flight, thank you", "Amazing service and a smooth landing, love it"],
    }
    sides = ["negative"] * 6 + ["neutral"] * 2 + ["positive"] * 2  # the people: 60% negative
    frame = pd.DataFrame(
        {
            "tweet_id": [f"5{i:06d}" for i in range(200)],
            "airline_sentiment": [sides[i % 10] for i in range(200)],
            "text": [f"{texts[sides[i % 10]][i % 2]} #{i}" for i in range(200)],
        }
    )
    at = app("app_pages/data.py").run()
    at.file_uploader(key="data_upload").upload("tweets.csv", frame.to_csv(index=False).encode(), "text/csv").run()
    at.switch_page("app_pages/feedback.py")
    settle(at)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Negative"].endswith("(people: 60%)") and metrics["Positive"].endswith("(people: 20%)")
    confusion = next(d.value for d in at.dataframe if d.value.index.name == "the people said")
    assert confusion.sum().sum() == 200 and confusion.loc["negative"].sum() == 120
    assert any("always guessing the commonest label would be right 60%" in plain(m.value) for m in at.markdown)
    verdict = plain(" ".join(e.value for kind in ("success", "warning", "error") for e in getattr(at, kind)))
    assert "labels people gave the texts" in verdict and "agreement per class: positive" in verdict
