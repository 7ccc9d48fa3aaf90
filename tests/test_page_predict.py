"""Value & churn page (AppTest): whom to call first, the models in plain words, a new horizon in the background."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insight import demo, predict
from insight.data import load_demo
from insight.store import default_store
from tests.apptest import app, settle
from tests.conftest import plain
from tests.test_predict import flat_customers


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _risk_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if list(d.value.columns) == ["Customer", "Churn risk", "Why"])


def _text(at: AppTest) -> str:
    return " ".join(plain(str(e.value)) for kind in ("markdown", "info", "caption") for e in getattr(at, kind))


@pytest.mark.demo_results
def test_demo_opens_on_whom_to_call_first_and_explains_the_models() -> None:
    at = settle(app("app_pages/predict.py"))
    assert not at.exception and not at.error
    headline = plain(at.markdown[0].value)
    actions = _frame(at, "Value at risk")
    assert headline.startswith(f"### {len(actions):,} customers worth about ") and headline.endswith(
        "call these first."
    )
    assert len(actions) > 0 and actions["Value at risk"].is_monotonic_decreasing
    assert (actions["Churn risk"] >= 0.5).all() and {"Name", "Email"} <= set(actions.columns)
    assert {"Expected next order", "Usual days between orders", "Why no date"} <= set(actions.columns)
    data = predict.churn_data(load_demo())
    planted = demo.generate().truth.set_index("customer_id")["churned"].reindex(data.X.index)
    assert abs(data.churn_rate - planted.mean()) < 0.1  # the derived label tracks the planted truth
    text = _text(at)
    assert "bought before **Jul 1, 2026**" in text and f"{data.churn_rate:.0%} of {len(data.X):,} customers" in text
    assert "a coin would manage 50%" in text and "Precision: of the customers flagged" in text
    comparison = _frame(at, "ROC AUC")
    assert len(comparison) == 7 and comparison["ROC AUC"].max() > 0.9  # six models and the one rule
    assert "One rule: days since last order" in comparison["Model"].tolist()
    assert any("Reliable" in s.value and "predict who leaves well" in plain(s.value) for s in at.success)
    risk = _risk_table(at)
    assert risk["Churn risk"].is_monotonic_decreasing and risk["Why"].head(20).str.contains("no purchase for").any()

    compares, models = default_store().computed["predict.compare"], default_store().computed["predict.model"]
    at.slider(key="pred_threshold").set_value(0.9).run()
    assert not at.exception and len(_frame(at, "Value at risk")) < len(actions)
    at.selectbox(key="pred_model").set_value("Decision tree")
    settle(at)
    assert not at.exception
    assert default_store().computed["predict.compare"] == compares  # the comparison ran once
    assert default_store().computed["predict.model"] == models + 1
    assert set(_frame(at, "Flag rate")["Attribute"]) == {"age", "gender"}


@pytest.mark.demo_results
def test_a_new_horizon_keeps_the_previous_results_on_screen_until_it_is_ready() -> None:
    at = settle(app("app_pages/predict.py"))
    before = len(_frame(at, "Value at risk"))
    at.number_input(key="pred_horizon").set_value(120).run()
    assert not at.exception
    assert any("the results below are for a 90-day horizon until then" in i.value for i in at.info)
    assert len(_frame(at, "Value at risk")) == before  # still the 90-day list
    settle(at)
    assert not any("until then" in i.value for i in at.info)
    assert "nothing in the 120 days after" in _text(at)
    (measured,) = at.session_state["job_seconds"].values()  # what the page waited for was timed: the pace of
    assert measured["value_and_churn"] > 0  # the time-left estimates of the jobs after it


def test_uploaded_customer_file_with_a_churn_column() -> None:
    at = app("app_pages/data.py").run()
    data = flat_customers(600).to_csv(index=False).encode()
    at.file_uploader(key="data_upload").upload("telco.csv", data, "text/csv").run()
    assert not at.exception
    at.switch_page("app_pages/predict.py")
    settle(at)
    assert not at.exception
    # monthly charges are random here: the value model cannot beat the mean, so it and the action list say so
    errors = [plain(e.value) for e in at.error]
    assert len(errors) == 2 and errors[0].startswith("The action list withheld")
    assert "Unreliable" in errors[1] and "monthly" in errors[1]
    text = _text(at)
    assert "comes from the column **Churn**" in text and "595 customers (5 without an answer not counted)" in text
    assert all(n.key != "pred_horizon" for n in at.number_input)  # no horizon: the label is given
    assert _frame(at, "ROC AUC")["ROC AUC"].max() > 0.8
    risk = _risk_table(at)
    assert len(risk) == 300 and risk["Churn risk"].between(0, 1).all()
    assert "Lifetime value needs an orders file" in text
