"""One set of answers: what the store hands out cannot be changed, the choices reach every surface, and the same
rule counts orders everywhere."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from insight.data.dataset import build_dataset
from insight.errors import InsightError
from insight.pipeline import Choices, MemoRunner, Pipeline


def _orders_with_a_refund() -> bytes:
    return (
        pd.DataFrame(
            {
                "InvoiceNo": ["536365", "536366", "536367", "C536368"],
                "CustomerID": ["a", "b", "a", "a"],
                "InvoiceDate": ["2024-01-02", "2024-02-03", "2024-03-04", "2024-03-05"],
                "Quantity": [2, 1, 3, -1],
                "UnitPrice": [5.0, 6.0, 7.0, 7.0],
            }
        )
        .to_csv(index=False)
        .encode()
    )


def test_a_refund_invoice_is_no_order_on_any_surface() -> None:
    from insight.report import summary

    pipe = Pipeline(build_dataset([("orders.csv", _orders_with_a_refund())]))
    assert pipe.headline()["orders"] == 3
    assert pipe.orders_overview()["orders"] == 3
    assert sum(month["orders"] for month in pipe.orders_overview()["monthly"]) == 3
    assert summary.report(pipe)["overview"]["orders"] == 3


def test_the_cached_headline_cannot_be_changed_and_the_answers_leave_it_alone() -> None:
    runner = MemoRunner()
    pipe = Pipeline(build_dataset([("orders.csv", _orders_with_a_refund())]), runner)
    before = dict(pipe.headline())
    with pytest.raises(TypeError):
        pipe.headline()["orders"] = 99  # type: ignore[index]
    answers = pipe.answers()
    assert dict(pipe.headline()) == before and "churn_rate" not in pipe.headline()
    with pytest.raises(TypeError):
        answers.headline["churn_rate"] = 0.5  # type: ignore[index]
    with pytest.raises(TypeError):
        answers.notes["segments"] = "changed"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        answers.segmentation = None  # type: ignore[misc]
    assert runner.computed["overview.headline"] == 1


def test_choices_are_checked_with_a_way_forward() -> None:
    with pytest.raises(InsightError, match="2 or more"):
        Choices(k=1)
    with pytest.raises(InsightError, match="between 0 and 1"):
        Choices(threshold=1.5)


@pytest.mark.demo_results
def test_k_and_algorithm_reach_the_json_and_the_report_from_one_fit(demo_pipeline) -> None:
    from insight.report import summary
    from insight.report.sections import sections

    answers = demo_pipeline.answers(Choices(k=5))
    assert answers.segmentation.n_segments == 5 and answers.suggested_k is not None
    assert summary.report(demo_pipeline, answers)["segments"]["k"] == 5
    report = sections(answers, [], demo_pipeline.ds.currency)
    segments = next(s for s in report if s.title == "Segments")
    assert segments.figures["Segments"] == "5"
