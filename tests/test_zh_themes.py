"""Chinese themes: words segmented by jieba's dictionary (rjieba), nouns and activities of two or more characters,
no stop words or words of feeling, a quote for each; mixed files get themes per language; real review files
give real words."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest

from insight import sentiment
from insight.sentiment import zh_words
from insight.sentiment.themes import quote, themes
from tests.conftest import ROOT, SHARED_DATA

NEGATIVE = [
    "隔音太差了，晚上隔壁说话听得一清二楚，一夜没睡好，很失望。",
    "空调坏了，房间又闷又热，前台说修也没人来，差评。",
    "隔音很差，走廊的声音全都听得到，不会再来了。",
    "空调噪音大，隔音也不好，睡不着觉，垃圾酒店。",
    "前台态度冷淡，入住等了一个小时，空调还不制冷，非常失望。",
    "房间隔音差，楼上一直有声音，太吵了，不推荐。",
    "空调有异味，床单也不干净，差评。",
    "隔音效果很差，半夜被吵醒好几次，体验糟糕。",
    "空调遥控器坏了，打电话给前台没人理，太差了。",
    "前台办理入住太慢，空调也不好用，失望。",
    "隔音真的差，隔壁电视声吵得没法睡，不会再住。",
]
POSITIVE = [
    "位置很好，离地铁站很近，出门就是商场，很满意。",
    "早餐品种丰富，味道不错，服务员也很热情，好评。",
    "地铁站就在门口，位置方便，下次还来。",
    "早餐很丰盛，位置也好，走路就到景点，推荐。",
    "位置优越，交通方便，地铁两分钟，非常满意。",
    "早餐种类多，咖啡好喝，房间干净，好评。",
    "离地铁近，位置安静，性价比高，不错。",
    "早餐好吃，位置便利，周边吃饭很方便，满意。",
    "位置绝佳，步行到地铁五分钟，早餐也不错，推荐入住。",
    "早餐丰富，位置好，下次出差还住这里，好评。",
    "地铁方便，早餐可口，整体很满意。",
    "位置很好找，早餐品种多，服务周到，不错。",
]
FEELINGS = {"不错", "好评", "差评", "满意", "失望", "推荐", "垃圾", "太差", "干净", "方便", "糟糕"}


def _terms(found: pd.DataFrame, side: str) -> list[str]:
    return found.loc[found["side"] == side, "term"].tolist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("早餐种类太少，服务员态度不好", ["早餐", "种类", "早餐种类", "服务员", "态度", "服务员态度"]),
        ("房间很干净，性价比高，好评！", ["房间", "性价比"]),  # feelings (干净, 好评) are no themes
        ("价格便宜，卫生间太小", ["卫生间"]),  # 价格便宜 'price cheap' and 太小 'too small' say how it felt
        ("安装很专业，wifi信号差", ["安装", "wifi", "信号", "wifi信号"]),
        ("我觉得没有问题，不会再买了", []),  # the verbs of any review, negations and filler
    ],
)
def test_chinese_terms_are_words_and_phrases_of_what_people_talk_about(text: str, expected: list[str]) -> None:
    assert zh_words.terms(text) == expected


def test_themes_of_hand_made_hotel_reviews() -> None:
    result = sentiment.analyze(pd.DataFrame({"text": NEGATIVE + POSITIVE}))
    found = result.themes
    assert set(found["language"]) == {"zh"}
    assert _terms(found, "negative")[:3] == ["空调", "隔音", "前台"]
    assert _terms(found, "positive")[:3] == ["位置", "早餐", "地铁"]
    assert not set(found["term"]) & FEELINGS
    assert all(len(term) >= 2 for term in found["term"])
    for row in found.itertuples():
        assert row.term in row.example and row.example in NEGATIVE + POSITIVE
        assert (row.example in NEGATIVE) == (row.side == "negative")


def test_mixed_files_get_themes_per_language() -> None:
    english_negative = [f"The delivery was late again, order {i} arrived broken." for i in range(6)]
    english_positive = [f"Lovely flavour, the tea {i} tastes wonderful." for i in range(6)]
    frame = pd.DataFrame({"text": NEGATIVE + POSITIVE + english_negative + english_positive})
    found = sentiment.analyze(frame).themes
    by_language = {  # the words of each language's themes and of the terms folded into them
        lang: {w for text in (*group["term"], *group["related"]) for w in text.replace(",", " ").split()}
        for lang, group in found.groupby("language")
    }
    assert {"空调", "隔音", "位置", "早餐"} <= by_language["zh"]
    assert {"delivery", "flavour"} <= by_language["en"]
    assert not by_language["en"] & by_language["zh"]
    negative_z = found.loc[found["side"] == "negative", "z"]
    assert negative_z.is_monotonic_decreasing and found["side"].tolist().index("positive") == len(negative_z)


def test_too_few_texts_of_a_side_give_no_themes() -> None:
    frame = pd.DataFrame({"text": NEGATIVE[:2] + POSITIVE, "label": ["negative"] * 2 + ["positive"] * 12})
    assert themes(frame, language="zh").empty


def test_a_long_quote_is_cut_around_its_term() -> None:
    text = "开头" * 100 + "隔音很差" + "结尾" * 100
    cut = quote(text, "隔音")
    assert "隔音很差" in cut and cut.startswith("…") and cut.endswith("…") and len(cut) == 162


def test_segmentation_downloads_and_writes_nothing(tmp_path) -> None:
    """rjieba's dictionary is compiled into its wheel: a fresh process segments with no network and writes no
    cache (jieba itself writes one to the temporary folder)."""
    code = (
        "import socket\n"
        "socket.socket = None\n"
        "from insight.sentiment import zh_words\n"
        "assert zh_words.terms('物流很快，包装完好') == ['物流', '包装']\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.iterdir())


def _read(name: str) -> pd.DataFrame:
    from insight.data import build_dataset

    path = SHARED_DATA / "exports" / name
    return build_dataset([(path.name, path.read_bytes())]).table("feedback").standard()


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "negative", "positive"),
    [
        ("zh_jd_washer_comments_gbk.csv", {"声音", "脱水", "退货", "维修"}, {"服务", "质量", "物流", "送货"}),
        ("zh_taobao_earphone_comments.xlsx", {"杂音", "音量", "声音", "电流"}, {"音质", "物流", "性价比", "外观"}),
    ],
)
def test_real_review_exports_give_real_words(name: str, negative: set[str], positive: set[str]) -> None:
    found = sentiment.analyze(_read(name)).themes
    found = found[found["language"] == "zh"]
    assert len(negative & set(_terms(found, "negative")[:10])) >= 3
    assert len(positive & set(_terms(found, "positive")[:10])) >= 3
    assert not set(found["term"]) & zh_words.FEELING
    assert all(re.fullmatch(r"[^\W\d_]{2,}( [^\W\d_]{2,})?", term) for term in found["term"])  # words, no codes


@pytest.mark.shared_data
def test_hotel_reviews_give_real_words(shared_data) -> None:
    """On the hotel reviews' own labels (the themes, without scoring 7,765 texts first)."""
    data = pd.read_csv(shared_data / "chnsenticorp_htl_all.csv").dropna()
    frame = pd.DataFrame({"text": data["review"], "label": data["label"].map({0: "negative", 1: "positive"})})
    found = themes(frame, language="zh")
    assert {"空调", "床单", "前台"} <= set(_terms(found, "negative")[:15])
    assert {"环境", "交通", "地理位置", "早餐"} <= set(_terms(found, "positive")[:15])
    assert not set(found["term"]) & FEELINGS
