"""AppTest of the Segments page: the k slider, no refit on a k already seen, renames, algorithms, an upload."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from insight.store import default_store
from tests.apptest import app
from tests.conftest import SHARED_DATA, plain


@pytest.fixture
def segments_page() -> AppTest:
    at = app("app_pages/segments.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def _personas(at: AppTest) -> list[str]:
    """The bold names of the segment descriptions on the 'Who they are' tab."""
    return [plain(m.value.split("**")[1]) for m in at.markdown if m.value.startswith("**") and "**: " in m.value]


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.demo_results
def test_slider_changes_segments_and_a_k_seen_before_refits_nothing(segments_page: AppTest) -> None:
    at = segments_page
    suggested = at.slider(key="seg_k").value
    assert len(_personas(at)) == suggested and _metric(at, "Segments") == str(suggested)
    assert any(plain(c.value).startswith(f"Suggested: {suggested} groups:") for c in at.caption)

    at.slider(key="seg_k").set_value(3).run()
    assert not at.exception
    assert len(_personas(at)) == 3 and _metric(at, "Segments") == "3"
    labels = at.session_state["segments"]
    assert list(labels.columns) == ["customer_id", "segment"] and len(labels) == 2000
    assert labels["segment"].nunique() == 3 and set(labels["segment"]) == set(_personas(at))

    at.slider(key="seg_k").set_value(5).run()
    assert len(_personas(at)) == 5
    fits, sweeps = default_store().computed["segment.fit"], default_store().computed["segment.sweep"]
    at.slider(key="seg_k").set_value(3).run()
    assert not at.exception and len(_personas(at)) == 3
    assert default_store().computed["segment.fit"] == fits  # k = 3 was seen: nothing refitted
    assert default_store().computed["segment.sweep"] == sweeps
    assert at.get("download_button")


@pytest.mark.demo_results
def test_renamed_segment_sticks_across_slider_moves(segments_page: AppTest) -> None:
    at = segments_page
    at.slider(key="seg_k").set_value(4).run()
    first = _personas(at)[0]
    box = next(t for t in at.text_input if t.label.startswith("Segment 1:"))
    box.set_value("Our VIPs").run()
    assert not at.exception
    assert _personas(at)[0] == "Our VIPs" and first not in _personas(at)
    assert "Our VIPs" in set(at.session_state["segments"]["segment"])
    at.slider(key="seg_k").set_value(6).run()
    assert "Our VIPs" not in _personas(at)
    at.slider(key="seg_k").set_value(4).run()
    assert _personas(at)[0] == "Our VIPs"


@pytest.mark.demo_results
@pytest.mark.parametrize("algorithm", ["agglomerative", "gmm", "dbscan"])
def test_other_algorithms(segments_page: AppTest, algorithm: str) -> None:
    at = segments_page
    at.selectbox(key="seg_algorithm").set_value(algorithm).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    if algorithm == "dbscan":
        assert at.slider(key="seg_eps").value > 0
        assert _personas(at)  # DBSCAN's own groups (and "Fit no group" when there is noise)
    else:
        assert len(_personas(at)) == at.slider(key="seg_k").value
    if algorithm == "agglomerative":
        at.selectbox(key="seg_linkage").set_value("average").run()
        assert not at.exception


@pytest.mark.shared_data
def test_uploaded_mall_customers_give_the_five_known_groups() -> None:
    at = app("app_pages/data.py").run()
    data = (SHARED_DATA / "mall_customers.csv").read_bytes()
    at.file_uploader(key="data_upload").set_value([("mall_customers.csv", data, "text/csv")]).run()
    assert not at.exception
    at.switch_page("app_pages/segments.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.multiselect(key="seg_features").set_value(["Annual Income (k$)", "Spending Score (1-100)"]).run()
    assert at.slider(key="seg_k").value == 5
    names = _personas(at)
    assert len(names) == 5 and "High spending score, high annual income" in names
    assert len(at.session_state["segments"]) == 200
