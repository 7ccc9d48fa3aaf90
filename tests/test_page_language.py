"""AppTest of the language: the browser's locale chooses it, the sidebar switch changes it for the session, a
Chinese review file uploaded on a Chinese browser gets Chinese themes and names the model that scored it."""

from __future__ import annotations

import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.apptest import app
from tests.test_zh_themes import NEGATIVE, POSITIVE


def _reviews_csv() -> bytes:
    rows = [{"评论": text, "评分": 1 if text in NEGATIVE else 5} for text in NEGATIVE + POSITIVE]
    return pd.DataFrame(rows).to_csv(index=False).encode()


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_a_chinese_browser_gets_chinese_and_the_switch_changes_it() -> None:
    at = app("app_pages/data.py")
    at.context = {"locale": "zh-CN"}
    at.run()
    assert not at.exception, at.exception
    switch = at.segmented_control(key="language_switch")
    assert switch.value == "zh" and switch.options == ["English", "简体中文"]
    at.file_uploader(key="data_upload").set_value([("点评.csv", _reviews_csv(), "text/csv")]).run()
    at.switch_page("app_pages/feedback.py").run()
    assert not at.exception and not at.error
    assert "哪个模型给哪些文本评分" in _captions(at)
    assert "23 条文本由中文评论模型评分" in _captions(at)
    assert not any("Themes need" in i.value or "话题" in i.value for i in at.info)  # Chinese texts get themes
    titles = [json.loads(chart.proto.spec).get("title") for chart in at.get("vega_lite_chart")]
    assert {"不满意的客户在说什么", "满意的客户在说什么", "各类文本占比"} <= set(titles)

    at.segmented_control(key="language_switch").set_value("en").run()
    assert "23 texts were scored by the Chinese review model" in _captions(at)
    at.run()  # the choice stays for the session, whatever the browser says
    assert at.session_state["language"] == "en" and "Which model scored which texts" in _captions(at)


def test_a_browser_in_another_language_gets_english() -> None:
    at = app("app_pages/data.py")
    at.context = {"locale": "de-DE"}
    at.run()
    assert not at.exception
    assert at.segmented_control(key="language_switch").value == "en" and "language" not in at.session_state
