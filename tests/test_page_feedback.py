"""AppTest of the Feedback page: the demo shop, and review files uploaded through the Data page."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insight.store import default_store
from tests.apptest import app
from tests.conftest import SHARED_DATA, plain


def _upload(name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at = app("app_pages/data.py").run()
    at.file_uploader(key="data_upload").set_value([(name, data, mime)]).run()
    assert not at.exception, at.exception
    return at.switch_page("app_pages/feedback.py").run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.demo_results
def test_demo_feedback_page() -> None:
    at = app("app_pages/feedback.py").run()
    assert not at.exception, at.exception
    assert not at.error
    metrics = _metrics(at)
    assert metrics["Texts scored"] == "3,000"
    assert sum(int(metrics[k].rstrip("%")) for k in ("Positive", "Neutral", "Negative")) in (99, 100, 101)
    quotes = [t.value for t in at.text]
    assert len(quotes) == 6 and all(" — C0" in q for q in quotes)
    frames = [d.value for d in at.dataframe]
    ratings = next(f for f in frames if "Average feeling per sentence" in f.columns)
    assert ratings["Stars"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    per_customer = next(f for f in frames if list(f.columns) == ["Customer", "Average feeling", "Texts"])
    assert per_customer["Average feeling"].is_monotonic_increasing  # unhappiest first
    assert len(at.get("download_button")) == 3
    assert "Spearman" in " ".join(m.value for m in at.markdown)

    runs = default_store().computed["sentiment"]
    at.slider(key="fb_quotes").set_value(5).run()
    at.selectbox(key="fb_group").set_value("Country").run()
    assert not at.exception
    assert len(at.text) == 10
    by_country = next(d.value for d in at.dataframe if "Share unhappy" in d.value.columns)
    assert by_country["Customers"].sum() == len(per_customer)
    assert default_store().computed["sentiment"] == runs  # widgets do not rescore

    ids = per_customer["Customer"]
    at.selectbox(key="fb_group").set_value("Segments (suggested)").run()
    suggested = next(d.value for d in at.dataframe if "Share unhappy" in d.value.columns)
    assert len(suggested) == 4 and suggested["Customers"].sum() == len(per_customer)
    at.session_state["segments"] = pd.DataFrame(
        {"customer_id": ids, "segment": np.where(ids.str[-1].isin(list("02468")), "Even", "Odd")}
    )
    at.run()
    at.selectbox(key="fb_group").set_value("Segments (as chosen on the Segments page)").run()
    by_segment = next(d.value for d in at.dataframe if "Share unhappy" in d.value.columns)
    assert sorted(by_segment["Segment"]) == ["Even", "Odd"] and by_segment["Customers"].sum() == len(ids)


def _reviews() -> bytes:
    rng = np.random.default_rng(1)
    good = ["Lovely candles, fast shipping!", "Great scent, I love it.", "Beautiful packaging, thank you."]
    bad = ["Terrible, the wax was cracked.", "Awful smell, returning it.", "Horrible quality, the wick broke."]
    rows = []
    for i in range(60):
        stars = int(rng.integers(1, 6))
        text = rng.choice(good if stars >= 4 else bad)
        rows.append((f"R{i}", f"K{i % 25:03d}", f"2025-{1 + i % 6:02d}-{1 + i % 27:02d}", stars, text))
    rows += [
        ("R90", "K001", "2025-03-03", 1, "Produit arrivé cassé, très déçu"),
        ("R91", "K002", "2025-03-04", 2, "El pedido llegó tarde y roto, muy mal"),
        ("R92", "K003", "2025-03-05", 3, ""),
        ("R93", "K004", "2025-03-06", 1, '<script>alert("x")</script> **awful** <b>service</b>'),
    ]
    frame = pd.DataFrame(rows, columns=["review_id", "customer", "review_date", "stars", "review"])
    return frame.to_csv(index=False).encode()


def test_uploaded_review_file() -> None:
    at = _upload("reviews.csv", _reviews())
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert _metrics(at)["Texts scored"] == "63"
    warnings = " ".join(w.value for w in at.warning)
    assert "1 feedback row was skipped: no text (1 missing)" in warnings
    assert "2 of the texts are in a language no model here reads (1 in French, 1 in Spanish)" in warnings
    markup = " ".join(m.value for m in [*at.markdown, *at.caption, *at.info, *at.warning])
    assert "<script>" not in markup and "<b>" not in markup  # uploaded text is never rendered as markup
    texts = next(d.value for d in at.dataframe if "Feeling" in d.value.columns and "Text" in d.value.columns)
    assert texts["Text"].str.contains("<script>", regex=False).any()  # shown verbatim in a table
    quotes = [t.value for t in at.text]
    assert len(quotes) == len(set(quotes)) == 6 and all("— K0" in q for q in quotes)


def test_dataset_without_feedback_says_what_to_upload() -> None:
    orders = pd.DataFrame(
        {
            "order_id": [f"O{i}" for i in range(40)],
            "customer_id": [f"C{i % 10}" for i in range(40)],
            "order_date": pd.date_range("2025-01-01", periods=40, freq="3D").strftime("%Y-%m-%d"),
            "amount": np.linspace(10, 50, 40).round(2),
        }
    )
    at = _upload("orders.csv", orders.to_csv(index=False).encode())
    assert not at.exception
    assert "no feedback" in at.info[0].value and not at.metric


@pytest.mark.shared_data
def test_uploaded_labelled_sentences_show_label_accuracy() -> None:
    path = SHARED_DATA / "sentiment_labelled_sentences" / "yelp_labelled.txt"
    at = _upload(path.name, path.read_bytes(), "text/plain")
    assert not at.exception and not at.error
    said = plain(" ".join(m.value for m in at.markdown))
    accuracy = float(said.split("The model puts ")[1].split("%")[0])
    assert accuracy == pytest.approx(81.0, abs=1.0)
    assert {m.label: m.value for m in at.metric}["Positive"].endswith("(people: 50%)")  # yelp: 500 of 1,000
