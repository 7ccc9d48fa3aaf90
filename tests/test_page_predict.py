"""AppTest of the Value & churn page: the demo shop (derived label) and an uploaded file with a Churn column."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from insight import demo, predict
from insight.data.dataset import load_demo
from insight.store import default_store
from tests.conftest import ROOT
from tests.test_predict import flat_customers


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _frame(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_demo_derived_label_threshold_and_action_list(app: AppTest) -> None:
    at = app.switch_page("app_pages/predict.py").run()
    assert not at.exception and not at.error
    info = " ".join(i.value for i in at.info)
    data = predict.churn_data(load_demo())
    planted = demo.generate().truth.set_index("customer_id")["churned"].reindex(data.X.index)
    expected = data.churn_rate
    assert abs(expected - planted.mean()) < 0.1  # the derived label tracks the planted truth
    assert "Churn label derived from the orders" in info and "01 Jul 2026" in info
    assert f"churn rate **{expected:.0%}**" in info
    comparison = _frame(at, "ROC AUC")
    assert len(comparison) == 7 and comparison["ROC AUC"].max() > 0.9  # six models and the one rule
    assert "One rule: days since last order" in comparison.index
    assert any("Reliable" in s.value and "predict who leaves well" in s.value for s in at.success)
    assert at.selectbox(key="pred_model").value == comparison["ROC AUC"].idxmax()
    risk = _frame(at, "churn_risk")
    assert risk["churn_risk"].is_monotonic_decreasing
    assert risk["reasons"].head(20).str.contains("no purchase for").any()
    actions = _frame(at, "value_at_risk")
    assert len(actions) > 0 and actions["value_at_risk"].is_monotonic_decreasing
    assert set(actions["tier"]) <= {"high value", "potential"} and (actions["churn_risk"] >= 0.5).all()
    assert at.get("download_button")

    compares, models = default_store().computed["predict.compare"], default_store().computed["predict.model"]
    flagged = int(_metric(at, "Customers flagged today").replace(",", ""))
    at.slider(key="pred_threshold").set_value(0.9).run()
    assert not at.exception
    assert int(_metric(at, "Customers flagged today").replace(",", "")) < flagged
    assert len(_frame(at, "value_at_risk")) <= len(actions)
    at.selectbox(key="pred_model").set_value("Decision tree").run()
    assert not at.exception
    assert default_store().computed["predict.compare"] == compares  # the comparison ran once
    assert default_store().computed["predict.model"] == models + 1
    fairness = _frame(at, "flag_rate")
    assert set(fairness["attribute"]) == {"age", "gender"}


def test_uploaded_customer_file_with_a_churn_column(app: AppTest) -> None:
    at = app.switch_page("app_pages/data.py").run()
    data = flat_customers(600).to_csv(index=False).encode()
    at.file_uploader(key="data_upload").upload("telco.csv", data, "text/csv").run()
    assert not at.exception
    at.switch_page("app_pages/predict.py").run()
    assert not at.exception
    # monthly charges are random here: the value model cannot beat the mean, so it and the action list say so
    errors = [e.value for e in at.error]
    assert len(errors) == 2 and "Unreliable" in errors[0] and "monthly" in errors[0]
    assert errors[1].startswith("The action list withheld")
    info = " ".join(i.value for i in at.info)
    assert "Churn label from the column 'Churn'" in info and "595 customers (5 without a label left out)" in info
    assert all(n.key != "pred_horizon" for n in at.number_input)  # no horizon: the label is given
    comparison = _frame(at, "ROC AUC")
    assert comparison["ROC AUC"].max() > 0.8
    assert at.selectbox(key="pred_model").value == comparison["ROC AUC"].idxmax()
    risk = _frame(at, "churn_risk")
    assert len(risk) == 300 and risk["churn_risk"].between(0, 1).all()
    assert "Lifetime value needs an orders file" in " ".join(i.value for i in at.info)
