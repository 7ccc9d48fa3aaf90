"""Whether the churn model treats groups of people alike: recall and flag rate per group, with warnings."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from insight.outcome_words import LEAVE, Outcome

FAIRNESS_GAP = 0.10
MIN_GROUP = 20
_GROUP_WORDS = {"gender", "sex", "genre", "age", "senior", "seniorcitizen", "agegroup", "agebracket"}


def group_columns(frame: pd.DataFrame) -> list[str]:
    """Attribute columns that describe people (gender, sex, age, senior ...), by their name."""
    out = []
    for col in frame.columns:
        tokens = {t.lower() for t in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", str(col))}
        tokens.add(re.sub(r"[^a-z]", "", str(col).lower()))
        if tokens & _GROUP_WORDS:
            out.append(col)
    return out


def _groups(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values) and values.nunique() > 6:
        bins = [-np.inf, 25, 35, 45, 55, 65, np.inf]
        labels = ["under 25", "25-34", "35-44", "45-54", "55-64", "65+"]
        groups = pd.cut(values, bins=bins, labels=labels, right=False).cat.add_categories("unknown")
        return groups.fillna("unknown")
    return values.astype("string").fillna("unknown")


def _differs(p1: float, n1: float, p2: float, n2: float) -> bool:
    """Gap above FAIRNESS_GAP and significant at 1% by a pooled two-proportion z-test."""
    if abs(p2 - p1) <= FAIRNESS_GAP or min(n1, n2) == 0:
        return False
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return bool(se == 0 or abs(p2 - p1) / se > 2.576)


def fairness(
    attributes: pd.DataFrame, y: pd.Series, proba: np.ndarray, threshold: float, outcome: Outcome | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Recall and flag rate per group of each people-describing column, and warnings for big gaps.

    A warning is raised when, among groups of at least MIN_GROUP customers, the highest and lowest
    recall or flag rate differ by more than FAIRNESS_GAP (10 percentage points) and by more than
    chance would explain (two-proportion z-test, p < 0.01).
    """
    flagged = pd.Series(proba >= threshold, index=y.index)
    rows, warnings = [], []
    for col in group_columns(attributes):
        groups = _groups(attributes[col].reindex(y.index))
        for group, idx in groups.groupby(groups, observed=True).groups.items():
            yy, ff = y.loc[idx], flagged.loc[idx]
            churners = int(yy.sum())
            rows.append(
                {
                    "attribute": col,
                    "group": str(group),
                    "customers": len(idx),
                    "churners": churners,
                    "churn_rate": float(yy.mean()),
                    "flag_rate": float(ff.mean()),
                    "recall": float(ff[yy == 1].mean()) if churners else np.nan,
                }
            )
    table = pd.DataFrame(
        rows, columns=["attribute", "group", "customers", "churners", "churn_rate", "flag_rate", "recall"]
    )
    outcome = outcome or Outcome(LEAVE)
    checks = (("recall", "churners", "fairness_recall"), ("flag_rate", "customers", "fairness_flags"))
    for col, part in table.groupby("attribute", sort=False):
        big = part[part["customers"] >= MIN_GROUP]
        for metric, size, key in checks:
            vals = big[[metric, size]].dropna()
            if len(vals) < 2:
                continue
            lo, hi = vals[metric].idxmin(), vals[metric].idxmax()
            if _differs(vals.loc[lo, metric], vals.loc[lo, size], vals.loc[hi, metric], vals.loc[hi, size]):
                warnings.append(
                    outcome.message(
                        key,
                        attribute=col,
                        low=big.loc[lo, "group"],
                        low_share=f"{vals.loc[lo, metric]:.0%}",
                        high=big.loc[hi, "group"],
                        high_share=f"{vals.loc[hi, metric]:.0%}",
                        low_rate=f"{big.loc[lo, 'churn_rate']:.0%}",
                        high_rate=f"{big.loc[hi, 'churn_rate']:.0%}",
                    )
                )
    return table, warnings
