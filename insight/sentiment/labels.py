"""The people's labels as the check of the scores: each labelled text's side (positive, neutral or negative) as
the people gave it, their shares beside the model's, agreement per class and the table of who said what.

A two-valued label (0/1, yes/no, positive/negative) is compared with "positive when the score is at least
0.05"; three or more classes (positive / neutral / negative, 好评 / 中评 / 差评, emotions) with the model's own
three labels. A class with no side ("I can't tell") is left out of the comparison.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from insight.data.outcome import sentiment_side
from insight.sentiment.vader import POSITIVE_AT

SIDES = ("positive", "neutral", "negative")


def people_sides(scored: pd.DataFrame) -> pd.Series:
    """The side of each scored text the people labelled (index of `scored`); empty without a label column."""
    if "label_value" not in scored:
        return pd.Series(dtype=object)
    values = scored.loc[scored["skipped"].isna(), "label_value"].dropna()
    numbers = pd.to_numeric(values, errors="coerce")
    if len(values) and numbers.notna().all() and set(numbers.unique()) <= {0.0, 1.0}:
        return numbers.map({1.0: "positive", 0.0: "negative"})  # a two-valued label: 1 is the positive one
    return values.map(sentiment_side).dropna()


def _model_sides(scored: pd.DataFrame, sides: pd.Series) -> pd.Series:
    """The model's side for the labelled texts: positive or negative for a two-class label, else its own label."""
    if set(sides) <= {"positive", "negative"}:
        compound = scored.loc[sides.index, "compound"]
        return pd.Series(np.where(compound >= POSITIVE_AT, "positive", "negative"), index=sides.index)
    return scored.loc[sides.index, "label"]


def label_agreement(scored: pd.DataFrame) -> dict[str, Any] | None:
    """How far the scores agree with the people's labels: `accuracy`, `per_class` (share of each class's texts
    the model put in that class), `roc_auc` (two classes only, else None), `texts` (labelled texts with a side),
    `majority` (share of the commonest class: always guessing it); None without two sides among the labels."""
    from sklearn.metrics import roc_auc_score

    sides = people_sides(scored)
    if sides.nunique() < 2:
        return None
    hit = _model_sides(scored, sides) == sides
    two = set(sides) <= {"positive", "negative"}
    auc = float(roc_auc_score(sides == "positive", scored.loc[sides.index, "compound"])) if two else None
    return {
        "accuracy": float(hit.mean()),
        "roc_auc": auc,
        "texts": len(sides),
        "per_class": {c: float(hit[sides == c].mean()) for c in SIDES if (sides == c).any()},
        "majority": float(sides.value_counts(normalize=True).iloc[0]),
    }


def people_shares(scored: pd.DataFrame) -> pd.DataFrame | None:
    """Texts and share per side as the people labelled them, beside the model's share of the same texts
    (`label, texts, share, model`); None without labels."""
    sides = people_sides(scored)
    if sides.nunique() < 2:
        return None
    counts = sides.value_counts().reindex(SIDES, fill_value=0)
    model = scored.loc[sides.index, "label"].value_counts(normalize=True).reindex(SIDES, fill_value=0)
    return pd.DataFrame(
        {
            "label": list(SIDES),
            "texts": counts.to_numpy(),
            "share": counts.to_numpy() / max(1, counts.sum()),
            "model": model.to_numpy(),
        }
    )


def label_confusion(scored: pd.DataFrame) -> pd.DataFrame | None:
    """Texts per (what the people said, what the model says), people's sides as rows; None without labels."""
    sides = people_sides(scored)
    if sides.nunique() < 2:
        return None
    model = _model_sides(scored, sides)
    table = pd.crosstab(sides.rename("people"), model.rename("model"))
    present = [s for s in SIDES if s in set(sides) | set(model)]
    return table.reindex(index=[s for s in SIDES if s in set(sides)], columns=present, fill_value=0)
