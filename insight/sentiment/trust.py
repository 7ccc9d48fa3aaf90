"""How far to trust the sentiment scores (agreement with the upload's own star ratings or labels) and the
trend over time at a grain that suits the span of the feedback.

Kept apart from the scoring: it only reads the agreement figures the analysis already computed."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from insight.formats import Figure
from insight.i18n import N_, Message
from insight.labels import FEELINGS
from insight.verdict import RELIABLE, ROUGH, UNRELIABLE, Verdict

STARS_RELIABLE = 0.50  # Spearman correlation of scores with stars from which the scores are reliable
STARS_ROUGH = 0.30  # below this the scores barely follow the stars: unreliable
MIN_RATED = 30  # fewer rated texts than this: at most rough
LABEL_AUC_RELIABLE = 0.75  # ROC AUC of the score against a two-valued label
LABEL_AUC_ROUGH = 0.60
LABEL_GAIN_RELIABLE = 0.15  # accuracy at least 15 points above always guessing the commoner label
LABEL_GAIN_ROUGH = 0.05
CHANCE_Z = 2.0  # and, on few texts, at least two standard errors above what chance alone gives
MOSTLY_FOREIGN = 0.5  # half the texts or more in a language the scorer does not read, and nothing to check it on


def sentiment_verdict(analysis: Any) -> Verdict:
    """The verdict on a `FeedbackAnalysis`: star ratings first, else a label column, else unchecked (rough)."""
    agreement = analysis.agreement
    if agreement:
        rho = float(agreement[analysis.measure])
        rated = int(analysis.valid["rating"].notna().sum()) if "rating" in analysis.valid else 0
        baseline = Message(N_("the customers' own star ratings (Spearman 0 = scores unrelated to stars)"))
        figures = Message(N_("Spearman {rho:.2f} on {n} rated texts"), rho=rho, n=Figure(rated, "count"))
        if rho < max(STARS_ROUGH, CHANCE_Z / np.sqrt(max(rated - 3, 1))):
            barely = N_("The sentiment scores barely follow the customers' own stars ({figures}): do not rely on them.")
            return Verdict(UNRELIABLE, Message(barely, figures=figures), baseline)
        if rho < STARS_RELIABLE or rated < MIN_RATED:
            roughly = N_("The sentiment scores roughly follow the customers' own stars ({figures}).")
            return Verdict(ROUGH, Message(roughly, figures=figures), baseline)
        agree = N_("The sentiment scores agree with the customers' own stars ({figures}).")
        return Verdict(RELIABLE, Message(agree, figures=figures), baseline)
    labels = analysis.label_agreement()
    if labels:
        majority = float(labels.get("majority", 0.5))
        auc = labels.get("roc_auc")
        accuracy = float(labels["accuracy"])
        classes = [
            Message(N_("{label} {share}"), label=Message(FEELINGS.get(c, c)), share=Figure(share, "share"))
            for c, share in labels.get("per_class", {}).items()
        ]
        if auc is not None:
            baseline = Message(N_("the people's own labels (ROC AUC 0.5 = a coin)"))
            figures = Message(
                N_("ROC AUC {auc:.2f}, {share} agreement on {n} labelled texts"),
                auc=auc,
                share=Figure(accuracy, "share"),
                n=Figure(int(labels.get("texts", 0)), "count"),
            )
            level = RELIABLE if auc >= LABEL_AUC_RELIABLE else ROUGH if auc >= LABEL_AUC_ROUGH else UNRELIABLE
        else:
            guess = N_("the people's own labels (always guessing the commonest one: {share} right)")
            baseline = Message(guess, share=Figure(majority, "share"))
            figures = Message(
                N_("{share} agreement vs {majority} by always guessing the commonest label"),
                share=Figure(accuracy, "share"),
                majority=Figure(majority, "share"),
            )
            gain, texts = accuracy - majority, max(int(labels.get("texts", 0)), 1)
            floor = max(LABEL_GAIN_ROUGH, CHANCE_Z * np.sqrt(majority * (1 - majority) / texts))
            level = RELIABLE if gain >= max(LABEL_GAIN_RELIABLE, floor) else ROUGH if gain >= floor else UNRELIABLE
        words = {
            RELIABLE: N_(
                "The sentiment scores agree with the labels people gave the texts ({figures}; agreement per class: "
                "{classes})."
            ),
            ROUGH: N_(
                "The sentiment scores agree only roughly with the labels people gave the texts ({figures}; "
                "agreement per class: {classes})."
            ),
            UNRELIABLE: N_(
                "The sentiment scores do not agree with the labels people gave the texts; do not rely on them "
                "({figures}; agreement per class: {classes})."
            ),
        }
        return Verdict(level, Message(words[level], figures=figures, classes=classes), baseline)
    baseline = Message(N_("none in this upload (no star ratings or labels)"))
    scored = max(len(analysis.valid), 1)
    if analysis.non_english / scored >= MOSTLY_FOREIGN:
        reason = Message(
            N_(
                "{share} of the texts are not in English, which the scorer reads only in English, and there are no "
                "star ratings or labels to check it on: do not rely on these scores."
            ),
            share=Figure(analysis.non_english / scored, "share"),
        )
        return Verdict(UNRELIABLE, reason, baseline)
    reason = N_(
        "There are no star ratings or labels to check the scores against; the scorer is usually right on short "
        "English reviews, but read these figures as rough."
    )
    return Verdict(ROUGH, Message(reason), baseline)


DAILY_BELOW_DAYS = 14  # feedback spanning under two weeks: one point per day
WEEKLY_BELOW_DAYS = 62  # under about two months: one point per week; otherwise per month


def sentiment_trend(scored: pd.DataFrame) -> pd.DataFrame:
    """Mean compound, texts and share negative per day, week or month, whichever suits the span of the dates.

    Columns `period` (its first day), `texts`, `mean_compound`, `share_negative`; `attrs["unit"]` names the grain.
    """
    columns = ["period", "texts", "mean_compound", "share_negative"]
    empty = pd.DataFrame(columns=columns)
    empty.attrs["unit"] = "month"
    if "timestamp" not in scored.columns:
        return empty
    valid = scored[scored["skipped"].isna()].dropna(subset=["timestamp"])
    if valid.empty:
        return empty
    when = pd.to_datetime(valid["timestamp"])
    span = (when.max() - when.min()).days
    unit, freq = (
        ("day", "D") if span < DAILY_BELOW_DAYS else ("week", "W") if span < WEEKLY_BELOW_DAYS else ("month", "M")
    )
    period = when.dt.to_period(freq).dt.start_time
    grouped = valid.assign(period=period, negative=valid["label"] == "negative").groupby("period")
    out = grouped.agg(
        texts=("compound", "size"), mean_compound=("compound", "mean"), share_negative=("negative", "mean")
    ).reset_index()
    out.attrs["unit"] = unit
    return out
