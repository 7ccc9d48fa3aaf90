"""Chinese feedback: the offline Chinese model on VADER's -1..+1 scale, read-only and download-free, the
language of other texts named, and each model's share of the texts said."""

from __future__ import annotations

import builtins

import numpy as np
import pandas as pd
import pytest

from insight import sentiment
from insight.sentiment import chinese
from insight.sentiment.language import language_name, language_of
from insight.sentiment.scoring import VADER_MODEL


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("这家酒店很好，服务热情", "zh"),
        ("這間酒店好正，服務一流", "zh"),
        ("这个phone的battery很好", "zh"),
        ("とても美味しかったです", "ja"),
        ("정말 좋아요", "ko"),
        ("Доставка ужасная, товар сломан", "ru"),
        ("Muy bueno, lo recomiendo", "es"),
        ("Très bon service, je recommande", "fr"),
        ("I loved the dumplings at 鼎泰丰", "en"),
        ("ok", None),
    ],
)
def test_language_is_told_by_script_then_by_function_words(text, code):
    assert language_of(text) == code


def test_chinese_scores_sit_on_vaders_scale_with_the_right_sign():
    texts = ["房间干净，服务很好，下次还会再来", "太差了，房间又脏又吵，再也不来了", "這間酒店好正，服務一流", "", None]
    scores = chinese.score_chinese(texts)
    assert scores[0] > 0.5 and scores[1] < -0.5 and scores[2] > 0.05
    assert np.isnan(scores[3]) and np.isnan(scores[4])
    assert np.all(np.abs(scores[:3]) <= 1)


def test_mixed_feedback_is_scored_by_the_model_that_reads_each_language():
    frame = pd.DataFrame(
        {
            "text": [
                "房间干净，服务很好。早餐也不错！",
                "太差了，房间又脏又吵",
                "Great stay, lovely staff.",
                "Доставка ужасная, товар сломан",
                "配送が遅いです",
            ]
        }
    )
    result = sentiment.analyze(frame)
    scored = result.scored
    assert scored["model"].tolist() == [chinese.MODEL_NAME] * 2 + [VADER_MODEL] * 3
    assert scored.loc[0, "sentences"] == 2 and scored.loc[0, "compound"] > 0 and scored.loc[1, "compound"] < 0
    assert result.models == {chinese.MODEL_NAME: 2, VADER_MODEL: 3}
    assert result.non_english == 2 and result.unreadable == {"Russian": 1, "Japanese": 1}
    assert "1 in Russian" in result.unreadable_note() and "1 in Japanese" in result.unreadable_note()
    assert language_name("pt") == "Portuguese" and language_name(None) == "an unidentified language"


def test_the_model_is_read_from_the_package_and_nothing_is_written_or_downloaded(monkeypatch, tmp_path):
    """A read-only install works: the weights are opened for reading only, no socket is opened."""
    import socket

    chinese._model.cache_clear()
    opened = []
    real_open = builtins.open

    def watch(file, mode="r", *args, **kwargs):
        opened.append((str(file), mode))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watch)
    monkeypatch.setattr(socket, "socket", lambda *a, **k: pytest.fail("no network at run time"))
    monkeypatch.chdir(tmp_path)
    assert chinese.score_chinese(["服务很好"])[0] > 0
    assert (str(chinese.MODEL_PATH), "rb") in opened
    assert all(not any(m in mode for m in "wax+") for _, mode in opened)
    assert not list(tmp_path.iterdir())


@pytest.mark.shared_data
def test_chinese_model_auc_on_labelled_hotel_reviews(shared_data):
    from sklearn.metrics import roc_auc_score

    data = pd.read_csv(shared_data / "chnsenticorp_htl_all.csv")
    scores = chinese.score_chinese(data["review"].tolist())
    ok = ~np.isnan(scores)
    assert ok.sum() == 7765
    assert roc_auc_score(data.loc[ok, "label"], scores[ok]) >= 0.80
