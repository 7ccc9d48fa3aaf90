"""Why a customer is at risk, how a decision threshold trades precision for recall, whether the churn
model treats groups alike, and whom to call first.

Reasons are counterfactual: for each feature, how much lower would this customer's churn risk be if
that one value were typical (the median of customers who stayed, or their most common category)?
The features that lower it most are the reasons, put into words with the customer's own numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_curve, roc_curve

from insight.predict import ChurnData

FAIRNESS_GAP = 0.10
MIN_GROUP = 20
_GROUP_WORDS = {"gender", "sex", "genre", "age", "senior", "seniorcitizen", "agegroup", "agebracket"}


def _words(column: str) -> str:
    return column.replace("_", " ")


def describe_reason(feature: str, value: Any, typical: Any, row: pd.Series) -> str:
    """One reason in plain words, e.g. 'no purchase for 140 days, 3.1x their usual gap'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return f"{_words(feature)} unknown"
    if isinstance(value, str) or not isinstance(value, (int, float, np.number)):
        return f"{_words(feature)} is {value}"
    v, t = float(value), float(typical)
    if feature == "recency_days":
        gap = row.get("days_between_orders")
        own = gap is not None and not pd.isna(gap) and gap > 0
        base = f"no purchase for {v:.0f} days"
        if own:
            return f"{base}, {v / gap:.1f}x their usual gap"
        return f"{base} (typical {t:.0f})"
    if feature == "days_between_orders":
        return f"{v:.0f} days between orders (typical {t:.0f})"
    if feature == "return_share":
        return f"returned {v:.0%} of what they bought (typical {t:.0%})"
    if feature == "frequency":
        return f"{'only ' if v < t else ''}{v:.0f} orders (typical {t:.0f})"
    if feature in ("monetary", "avg_order_value"):
        label = "spent" if feature == "monetary" else "average order of"
        return f"{label} {v:,.0f} (typical {t:,.0f})"
    if feature == "tenure_days":
        return f"customer for {v:.0f} days (typical {t:.0f})"
    if feature == "purchase_rate_30d":
        return f"{v:.2f} orders a month (typical {t:.2f})"
    direction = "higher" if v > t else "lower"
    return f"{_words(feature)} {v:,.4g}, {direction} than the typical {t:,.4g}"


def churn_reasons(
    pipeline: Any, data: ChurnData, X: pd.DataFrame, *, top: int = 3, min_effect: float = 0.02
) -> pd.DataFrame:
    """Per customer: risk, the `top` features that push their risk up most (effect >= `min_effect`) and
    those reasons in words. Reference values are the medians / modes of training customers who stayed."""
    stayed = data.X[data.y == 0]
    base = pipeline.predict_proba(X)[:, 1]
    effects = {}
    typical = {}
    for col in data.features:
        if col in data.numeric:
            typical[col] = float(stayed[col].median()) if stayed[col].notna().any() else np.nan
        else:
            mode = stayed[col].mode()
            typical[col] = mode.iloc[0] if len(mode) else None
        if typical[col] is None or (isinstance(typical[col], float) and np.isnan(typical[col])):
            continue
        what_if = X.copy()
        what_if[col] = typical[col]
        effects[col] = base - pipeline.predict_proba(what_if)[:, 1]
    effect = pd.DataFrame(effects, index=X.index)
    order = np.argsort(-effect.to_numpy(), axis=1)[:, :top]
    cols = effect.columns.to_numpy()
    reasons, features = [], []
    for i, (_, row) in enumerate(X.iterrows()):
        picked = [cols[j] for j in order[i] if effect.iat[i, j] >= min_effect]
        features.append(picked)
        reasons.append("; ".join(describe_reason(c, row[c], typical[c], row) for c in picked))
    return pd.DataFrame({"churn_risk": base, "reason_features": features, "reasons": reasons}, index=X.index)


@dataclass
class ThresholdView:
    """What a decision threshold means: precision and recall on the labelled customers, how many are flagged."""

    threshold: float
    precision: float
    recall: float
    flagged_labelled: int
    flagged_now: int
    confusion: pd.DataFrame


def threshold_view(y: np.ndarray, proba: np.ndarray, risk_now: pd.Series, threshold: float) -> ThresholdView:
    """Precision / recall of flagging customers with out-of-fold risk >= threshold, and today's flag count."""
    pred = (proba >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, pred, labels=[0, 1]).ravel()
    confusion = pd.DataFrame(
        {
            "actual": ["stayed", "stayed", "churned", "churned"],
            "predicted": ["stay", "churn", "stay", "churn"],
            "customers": [int(tn), int(fp), int(fn), int(tp)],
        }
    )
    return ThresholdView(
        threshold=threshold,
        precision=float(tp / (tp + fp)) if tp + fp else 0.0,
        recall=float(tp / (tp + fn)) if tp + fn else 0.0,
        flagged_labelled=int(tp + fp),
        flagged_now=int((risk_now >= threshold).sum()),
        confusion=confusion,
    )


def curves(y: np.ndarray, oof: dict[str, np.ndarray]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ROC and precision-recall curve points per model (long frames for charts)."""
    roc, pr = [], []
    for name, proba in oof.items():
        fpr, tpr, _ = roc_curve(y, proba)
        roc.append(pd.DataFrame({"model": name, "false_positive_rate": fpr, "true_positive_rate": tpr}))
        prec, rec, _ = precision_recall_curve(y, proba)
        pr.append(pd.DataFrame({"model": name, "recall": rec, "precision": prec}))
    return pd.concat(roc, ignore_index=True), pd.concat(pr, ignore_index=True)


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
    attributes: pd.DataFrame, y: pd.Series, proba: np.ndarray, threshold: float
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
    for col, part in table.groupby("attribute", sort=False):
        big = part[part["customers"] >= MIN_GROUP]
        for metric, size, words in (("recall", "churners", "finds churners"), ("flag_rate", "customers", "flags")):
            vals = big[[metric, size]].dropna()
            if len(vals) < 2:
                continue
            lo, hi = vals[metric].idxmin(), vals[metric].idxmax()
            if _differs(vals.loc[lo, metric], vals.loc[lo, size], vals.loc[hi, metric], vals.loc[hi, size]):
                context = (
                    f", while they actually churn at {big.loc[lo, 'churn_rate']:.0%} and "
                    f"{big.loc[hi, 'churn_rate']:.0%}"
                    if metric == "flag_rate"
                    else ""
                )
                warnings.append(
                    f"By {col}: the model {words} at very different rates ({big.loc[lo, 'group']}: "
                    f"{vals.loc[lo, metric]:.0%}, {big.loc[hi, 'group']}: {vals.loc[hi, metric]:.0%}){context}. "
                    "Check whether that is fair before acting on the list."
                )
    return table, warnings


def action_list(
    risk: pd.Series,
    value: pd.Series,
    tiers: pd.Series,
    reasons: pd.Series,
    threshold: float,
    extra: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Customers in the high value or potential tier with churn risk >= threshold, by value at risk."""
    df = pd.DataFrame({"churn_risk": risk, "predicted_value": value, "tier": tiers, "reasons": reasons})
    df["value_at_risk"] = df["churn_risk"] * df["predicted_value"]
    if extra is not None:
        df = df.join(extra)
    keep = (df["churn_risk"] >= threshold) & df["tier"].isin(["high value", "potential"])
    out = df[keep].sort_values("value_at_risk", ascending=False, kind="stable")
    return out.rename_axis("customer_id").reset_index()
