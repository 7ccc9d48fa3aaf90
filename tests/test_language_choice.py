"""Which language the app and the CLI answer in: the browser's, the sidebar switch's, the uploaded files'."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from insight.cli import main
from insight.i18n import language
from insight.language_choice import browser_language, files_language, session_language
from tests.conftest import SHARED_DATA
from tests.test_zh_themes import NEGATIVE, POSITIVE


@pytest.mark.parametrize(
    ("tag", "lang"),
    [
        ("zh-CN", "zh"),
        ("zh", "zh"),
        ("zh-Hans-CN", "zh"),
        ("zh_TW", "zh"),
        ("en-GB", "en"),
        ("de-DE", None),
        (None, None),
    ],
)
def test_the_browsers_language_tag(tag: str | None, lang: str | None) -> None:
    assert browser_language(tag) == lang


def test_the_switch_overrides_the_browser_for_the_session() -> None:
    assert session_language(None, "zh") == "zh"
    assert session_language("en", "zh") == "en"
    assert session_language(None, None) == "en"  # a browser in a language the app has not: English
    assert session_language("fr", None) == "en"


@pytest.mark.parametrize(
    ("frame", "lang"),
    [
        (pd.DataFrame({"买家会员名": ["a1"], "订单创建时间": ["2018-01-01"], "买家实际支付金额": [12.5]}), "zh"),
        (pd.DataFrame({"id": ["1", "2"], "contents": ["外形外观很漂亮，音质超好", "物流很快，包装好"]}), "zh"),
        (pd.DataFrame({"order_id": ["1"], "customer": ["anon-93cf8770ce17"], "amount": [3.0]}), "en"),
        (pd.DataFrame({"text": ["Great tea, lovely flavour", "物流很快"], "stars": [5, 4]}), "zh"),  # half Chinese
        (pd.DataFrame({"text": ["Great tea, lovely flavour", "Slow delivery", "物流很快"]}), "en"),
        (pd.DataFrame({"コメント": ["とても美味しかったです"]}), "en"),  # Japanese is not Chinese
    ],
)
def test_the_files_language(frame: pd.DataFrame, lang: str) -> None:
    assert files_language([frame]) == lang


@pytest.mark.shared_data
def test_the_chinese_exports_are_read_as_chinese_and_others_as_english() -> None:
    from insight.data.read import read_table

    expected = json.loads((SHARED_DATA / "exports" / "expected.json").read_text(encoding="utf-8"))
    others = ("ja_tabelog_reviews_cp932.csv", "ru_glamping_reviews_cp1251.csv", "de_baeckerei_umsatzdaten.csv")
    names = [e["file"] for e in expected if e["file"].startswith("zh_")] + [*others, "shopify_orders_export_au.csv"]
    wrong = []
    for name in names:
        path = SHARED_DATA / "exports" / name
        frame, _report = read_table(path.name, path.read_bytes())
        if files_language([frame]) != ("zh" if path.name.startswith("zh_") else "en"):
            wrong.append(path.name)  # German, Japanese, Russian … files are answered in English: no such catalogue
    assert not wrong


def _chinese_reviews(folder: Path) -> Path:
    rows = [
        {"评论": text, "评分": 1 if text in NEGATIVE else 5, "日期": f"2024-0{1 + i % 6}-1{i % 9}"}
        for i, text in enumerate(NEGATIVE + POSITIVE)
    ]
    path = folder / "点评.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_the_cli_answers_a_chinese_file_in_chinese_unless_told_otherwise(tmp_path: Path) -> None:
    reviews = _chinese_reviews(tmp_path)
    assert main(["analyze", str(reviews), "--html", str(tmp_path / "zh.html"), "--json", str(tmp_path / "r.json")]) == 0
    chinese = (tmp_path / "zh.html").read_text(encoding="utf-8")
    assert "中文评论模型" in chinese and "不满意的客户在说什么" in chinese and "Chinese review model" not in chinese
    assert "<html lang='zh-CN'>" in chinese
    assert language() == "en"  # the command's language stayed in its own context
    assert main(["analyze", str(reviews), "--html", str(tmp_path / "en.html"), "--lang", "en"]) == 0
    english = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert "the Chinese review model" in english and "What unhappy customers talk about" in english
    assert "中文评论模型" not in english and "<html lang='en'>" in english
    summary = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["sentiment"]
    assert summary["negative_themes"][:2] == ["空调", "隔音"]  # the JSON's keys stay English


def test_an_unknown_language_is_refused_by_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["analyze", "--demo", "--lang", "fr"])
    assert "invalid choice: 'fr'" in capsys.readouterr().err
