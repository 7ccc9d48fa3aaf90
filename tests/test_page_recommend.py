"""AppTest of the Recommendations page: the demo shop, and a ratings file uploaded on the Data page."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insight.store import default_store
from tests.apptest import app
from tests.conftest import plain


def _frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


@pytest.mark.demo_results
def test_demo_customer_items_models_and_download() -> None:
    at = app("app_pages/recommend.py").run()
    assert not at.exception and not at.error
    assert at.radio(key="rec_source").options == ["Customers' ratings", "Purchases"]

    at.radio(key="rec_source").set_value("Purchases").run()
    assert not at.exception
    assert at.selectbox(key="rec_model").value == "Item-item (BM25)"  # the comparison's pick on purchases
    assert "ALS" in at.selectbox(key="rec_model").options and "SVD" not in at.selectbox(key="rec_model").options
    at.selectbox(key="rec_customer").set_value("C00002").run()
    offers = next(f for f in _frames(at) if "Why" in f.columns)
    assert len(offers) == 10 and offers["#"].tolist() == list(range(1, 11))
    assert offers["Why"].str.startswith(("Similar to", "Liked by")).all()
    assert "Score" in offers.columns  # purchase models rank items; they predict no stars
    history = _frames(at)[0]
    assert not set(history["Item"]) & set(offers["Item"])  # nothing they already bought

    at.selectbox(key="rec_item").set_value("SKU-101").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Suggested model: Item-item (BM25)" in text
    comparison = next(f for f in _frames(at) if "Hit rate" in f.columns).set_index("Model")
    assert float(comparison.loc["Item-item (BM25)", "Hit rate"]) > float(comparison.loc["Popularity", "Hit rate"])
    assert (comparison["RMSE (rating error)"] == "–").all()  # no error of made-up stars
    assert at.get("download_button")

    fits = default_store().computed["recommend.fit"]
    at.selectbox(key="rec_customer").set_value("C00003").run()  # another customer: no refit
    assert default_store().computed["recommend.fit"] == fits


def _ratings_csv(seed: int = 0) -> bytes:
    """80 users rate 15 of 40 movies; users of group g (user % 4) like movies of group g."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(80):
        for i in rng.choice(40, 15, replace=False):
            stars = rng.choice([4, 5]) if i % 4 == c % 4 else rng.choice([1, 2, 3])
            rows.append((f"U{c:03d}", f"M{i:02d}", int(stars), 1_700_000_000 + int(rng.integers(0, 10**7))))
    frame = pd.DataFrame(rows, columns=["user_id", "movie_id", "rating", "timestamp"])
    return frame.to_csv(index=False).encode()


def test_uploaded_ratings_file() -> None:
    at = app("app_pages/data.py").run()
    at.file_uploader(key="data_upload").upload("my_ratings.csv", _ratings_csv(), "text/csv").run()
    assert not at.exception
    at.switch_page("app_pages/recommend.py").run()
    assert not at.exception and not at.error
    assert not at.radio  # only one source: the ratings file
    assert "Customers' own ratings, scale 1 to 5." in [plain(c.value) for c in at.caption]
    at.selectbox(key="rec_customer").set_value("U005").run()
    offers = next(f for f in _frames(at) if "Why" in f.columns)
    assert len(offers) == 10
    liked_group = offers.head(5)["Item"].str[1:].astype(int) % 4
    assert (liked_group == 1).mean() >= 0.6  # U005 is in group 1
