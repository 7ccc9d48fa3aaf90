"""What the converted modules say in Chinese: personas written when read (one fit, both languages), chart titles
and axes, the feedback notes, and which model scored which texts with how well it did."""

from __future__ import annotations

import pandas as pd
import pytest

from insight import charts, sentiment
from insight import segment as sg
from insight.i18n import use_language
from insight.labels import NICE_NAMES
from insight.sentiment import cards, chinese
from insight.sentiment.scoring import VADER_MODEL
from tests.test_segment import RFM_ROLES, _blobs, _rfm
from tests.test_zh_themes import NEGATIVE, POSITIVE


def test_personas_are_written_in_the_readers_language_from_one_fit() -> None:
    frame, truth = _rfm()
    seg = sg.analyse(frame, RFM_ROLES, k=4)
    english = set(seg.names.values())
    assert english == {
        "Big spenders, recently active",
        "One-time bargain buyers",
        "Former regulars drifting away",
        "Loyal regulars",
    }
    with use_language("zh"):
        assert set(seg.names.values()) == {
            "近期活跃的高消费客户",
            "只买过一次的低消费客户",
            "正在流失的老主顾",
            "忠实老主顾",
        }
        loyal = next(p for p in seg.personas if p.pattern == "Loyal regulars")
        assert loyal.description.startswith(f"{loyal.size} 位客户（占 ")
        assert "订单数" in loyal.description and "（全体 " in loyal.description and loyal.description.endswith("。")
        assert seg.labels_frame()["segment"].isin(seg.names.values()).all()
    assert set(seg.names.values()) == english  # the same fitted object, read in English again


def test_generic_names_join_their_traits_the_chinese_way() -> None:
    frame, _truth = _blobs([(0, 0), (6, 0), (0, 6), (3, 3)], n=50)
    frame = frame.rename(columns={"x": "Income (k$)", "y": "score"})
    seg = sg.analyse(frame, {"numeric": ["Income (k$)", "score"], "categorical": [], "pii": []}, k=4)
    with use_language("zh"):
        names = set(seg.names.values())
    assert names == {"Income较高、score较低", "Score较高、income较低", "Income较低、score较低", "普通客户"}


def test_the_customer_tables_columns_read_in_the_language() -> None:
    from insight.labels import column_label, nice_name

    assert nice_name("recency_days") == NICE_NAMES["recency_days"] == "days since last order"
    with use_language("zh"):
        assert nice_name("recency_days") == "距上次下单天数" and column_label("clv_12m") == "未来 12 个月价值"
        assert nice_name("Income (k$)") == "income"  # an uploaded column's own words stay as they are


def test_chart_titles_and_axes_follow_the_language() -> None:
    themes = pd.DataFrame(
        {"side": ["negative"], "term": ["隔音"], "z": [2.0], "negative_texts": [6], "positive_texts": [0]}
        | {"related": [""], "example": ["隔音很差"], "language": ["zh"]}
    )
    with use_language("zh"):
        spec = charts.themes_bar(themes, "negative").to_dict()
        shares = charts.sentiment_shares_bar(
            pd.DataFrame({"label": ["positive", "neutral", "negative"], "texts": [5, 1, 4], "share": [0.5, 0.1, 0.4]})
        ).to_dict()
    assert spec["title"] == "不满意的客户在说什么" and spec["encoding"]["x"]["title"] == "出现频率高出多少（z 值）"
    assert [t["title"] for t in spec["encoding"]["tooltip"]][-1] == "例句"
    assert shares["encoding"]["y"]["sort"] == ["正面", "中性", "负面"]
    assert charts.themes_bar(themes, "negative").to_dict()["title"] == "What unhappy customers talk about"


def test_the_feedback_names_each_model_with_its_measured_accuracy() -> None:
    frame = pd.DataFrame({"text": NEGATIVE + POSITIVE + ["Great stay, lovely staff.", "Доставка ужасная"]})
    result = sentiment.analyze(frame)
    assert result.models == {chinese.MODEL_NAME: 23, VADER_MODEL: 2}
    note = result.models_note()
    assert "23 texts were scored by the Chinese review model" in note and "2 texts were scored by VADER" in note
    assert "87%" in note and "ROC AUC 0.95" in note and "81%" in note and "ROC AUC 0.89" in note
    with use_language("zh"):
        note = result.models_note()
        unreadable = result.unreadable_note()
        reason = result.measure_reason
    assert "23 条文本由中文评论模型评分" in note and "平均判对率为 87%" in note and "VADER" in note
    assert "俄语 1 条" in unreadable and reason.startswith("没有星级评分")


@pytest.mark.parametrize("model", [VADER_MODEL, chinese.MODEL_NAME])
def test_every_model_that_scores_has_a_card(model: str) -> None:
    card = cards.CARDS[model]
    assert card.model == model and 0.5 < card.accuracy < 1 and 0.5 < card.roc_auc < 1 and card.texts > 1000


@pytest.mark.slow  # about 10 s: 3,000 English sentences, and the Chinese reviews held out of the training corpus
@pytest.mark.shared_data
def test_the_cards_state_what_the_benchmark_measures() -> None:
    """bench/sentiment_models.py measures each model on labelled public reviews; the cards say the same."""
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("sentiment_models", ROOT / "bench" / "sentiment_models.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    for model, measure in ((VADER_MODEL, bench.measure_vader), (chinese.MODEL_NAME, bench.measure_chinese)):
        measured, card = measure(), cards.CARDS[model]
        assert measured["texts"] == card.texts
        assert measured["accuracy"] == pytest.approx(card.accuracy, abs=0.001)
        assert measured["roc_auc"] == pytest.approx(card.roc_auc, abs=0.001)
