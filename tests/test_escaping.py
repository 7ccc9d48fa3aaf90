"""Uploaded text reaches every page as text: no links, images, colour, HTML or bare URLs in any markdown element,
label or the sidebar. (What the browser makes of the escapes is checked in test_browser_escaping.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import AlertBase, Block, Caption, HeadingBase, Markdown

from insight.labels import LABEL_MAX, safe_html, safe_label, safe_md
from tests.apptest import settle
from tests.conftest import INJECTIONS, ROOT, plain

LINK, IMAGE, COLOUR, HTML, BARE = INJECTIONS[:5]
# Raw forms that must never reach markdown: each turns into a link, an image, colour or markup when rendered.
HAZARDS = re.compile(r"https?://|www\.|@evil|\]\(|!\[|:red\[|:material/|(?<!\\)<(img|b|i)\b", re.IGNORECASE)


@pytest.mark.parametrize("payload", INJECTIONS)
def test_markdown_and_labels_keep_the_text_and_lose_the_markup(payload: str) -> None:
    flat = " ".join(payload.split())
    for escaped in (safe_md(payload), safe_label(payload)):
        assert not HAZARDS.search(escaped), escaped
        assert "\n" not in escaped
        assert " ".join(plain(escaped).split()) == flat  # what the reader sees is the text itself


@given(st.text())
def test_any_text_reads_back_as_itself(text: str) -> None:
    escaped = safe_md(text)
    assert not re.search(r"(?<!\\)[\[\]()<>*_`~$|!#]", escaped)  # every markdown character is escaped
    assert plain(escaped) == re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]+", " ", text.replace("\u2060", ""))


def test_labels_are_one_bounded_line_and_html_is_escaped() -> None:
    long = "a very long column name " * 20
    assert plain(safe_label(long)).endswith("…") and len(plain(safe_label(long))) == LABEL_MAX
    assert safe_html('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"


# --- the real app, fed a hostile upload -----------------------------------------------------------------------

FILE_NAME = f"{IMAGE} {LINK} :red[F] <i>f</i> www.evil.test me@evil.test.csv"
GENDER = "gender [g](http://evil.test/g)"  # a people-describing column: the fairness check names it
CONSTANT = "[c](http://evil.test/c) <img src=x>"  # a constant column: the quality lines name it
GROUP_A, GROUP_B = f"{COLOUR} http://evil.test/a", f"{IMAGE} www.evil.test"
PLANS = ["<b>gold</b> bob@evil.test", "[silver](http://evil.test/s)"]


def _hostile_customers() -> bytes:
    """Customers whose churn differs sharply between the two (hostile) gender values, so personas and the
    fairness warnings both carry them."""
    rng = np.random.default_rng(0)
    n = 200
    group = np.where(np.arange(n) % 2 == 0, GROUP_A, GROUP_B)
    churn = np.where(group == GROUP_A, rng.random(n) < 0.75, rng.random(n) < 0.1)
    usage = (rng.normal(50, 15, n) - 25 * churn).round(1)
    frame = pd.DataFrame(
        {
            "customer_id": [f"K{i:03d}" for i in range(n)],
            GENDER: group,
            "usage": usage,
            "plan": np.where(rng.random(n) < 0.5, *PLANS),
            CONSTANT: "same",
            "Churn": np.where(churn, "Yes", "No"),
        }
    )
    return frame.to_csv(index=False).encode()


def _markdown_sources(node: object) -> Iterator[tuple[str, str]]:
    """(element type, text) for everything Streamlit renders as markdown: bodies, headings, alerts, captions, and
    the labels of widgets, expanders, tabs and metrics."""
    label = getattr(node, "label", None)
    if isinstance(label, str):
        yield getattr(node, "type", "?"), label
    if isinstance(node, (Markdown, Caption, AlertBase, HeadingBase)):
        yield node.type, str(node.value)
    if isinstance(node, Block):
        for child in node.children.values():
            yield from _markdown_sources(child)


def _page_texts(at: AppTest) -> list[tuple[str, str]]:
    assert not at.exception, at.exception
    return [*_markdown_sources(at.main), *(("sidebar " + t, v) for t, v in _markdown_sources(at.sidebar))]


@pytest.mark.slow
def test_hostile_upload_renders_as_text_on_every_page() -> None:
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=300)
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="data_upload").set_value([(FILE_NAME, _hostile_customers(), "text/csv")]).run()
    seen: list[tuple[str, str]] = _page_texts(at)
    at.session_state["seg_features"] = ["usage", GENDER, "plan"]
    for page in ("segments", "predict", "overview", "feedback", "recommend"):
        seen += _page_texts(settle(at.switch_page(f"app_pages/{page}.py")))

    raw = [(kind, text) for kind, text in seen if HAZARDS.search(text)]
    assert not raw, raw
    # ... and the hostile strings did reach each kind of element, escaped (the check above is not vacuous)
    shown = {kind: " ".join(text for k, text in seen if k == kind) for kind, _ in seen}
    assert safe_label(FILE_NAME) in shown["expander"]  # the Data page's file and quality expanders
    assert safe_md(FILE_NAME) in shown["sidebar caption"]  # the sidebar's list of files
    assert safe_md(FILE_NAME) in shown["markdown"]  # "Working on ..."
    assert safe_md(CONSTANT) in shown["markdown"]  # "Constant columns: ..."
    assert safe_md(GROUP_A) in shown["markdown"]  # a persona named after a hostile category
    assert safe_md(GENDER) in shown["warning"]  # the fairness warnings
    assert safe_md(GROUP_B) in shown["warning"]
    assert safe_label(GROUP_B) in shown["text_input"]  # "Segment 1: <persona name>" in the rename box
    assert safe_md(FILE_NAME) in shown["caption"]  # the Overview's "<dataset> — the answers on one page"
