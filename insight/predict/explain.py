"""Why a customer is at risk, how a decision threshold trades precision for recall, and whom to call first.

Reasons are counterfactual: for each feature, how much lower would this customer's churn risk be if
that one value were typical (the median of customers who stayed, or their most common category)?
The features that lower it most are the reasons, put into words with the customer's own numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import (
    confusion_matrix,
    precision_recall_curve,
    roc_curve,
)

from insight.labels import fmt_number, nice_name, plural, ratio_words
from insight.predict.label import ChurnData


def describe_reason(feature: str, value: Any, typical: Any, row: pd.Series) -> str:
    """One reason in plain words, e.g. 'no purchase for 140 days, 3.1× their usual gap' (ratios past 10 in
    words), with the column in words and numbers rounded as a person reads them."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return f"{nice_name(feature)} unknown"
    if isinstance(value, str) or not isinstance(value, (int, float, np.number)):
        return f"{nice_name(feature)} is {value}"
    v, t = float(value), float(typical)
    if feature == "recency_days":
        gap = row.get("days_between_orders")
        own = gap is not None and not pd.isna(gap) and gap > 0
        base = f"no purchase for {plural(v, 'day')}"
        if own:
            return f"{base}, {ratio_words(v / gap)}"
        return f"{base} (typical {t:.0f})"
    if feature == "days_between_orders":
        return f"{v:.0f} days between orders (typical {t:.0f})"
    if feature == "return_share":
        return f"returned {v:.0%} of what they bought (typical {t:.0%})"
    if feature == "frequency":
        return f"{'only ' if v < t else ''}{plural(v, 'order')} (typical {t:.0f})"
    if feature in ("monetary", "avg_order_value"):
        if v < 0:  # returns worth more than the purchases in these dates: no negative spend is shown
            return f"returned more than they bought (typical {'spend' if feature == 'monetary' else 'order'} {t:,.0f})"
        label = "spent" if feature == "monetary" else "average order of"
        return f"{label} {v:,.0f} (typical {t:,.0f})"
    if feature == "tenure_days":
        return f"customer for {plural(v, 'day')} (typical {t:.0f})"
    if feature == "purchase_rate_30d":
        return f"{v:.2f} orders a month (typical {t:.2f})"
    if {v, t} <= {0.0, 1.0}:  # a yes/no column (HasCrCard, AcceptedCmp3): yes or no, not 1 or 0
        return f"{nice_name(feature)}: {'yes' if v else 'no'} (typically {'yes' if t else 'no'})"
    direction = "higher" if v > t else "lower"
    return f"{nice_name(feature)} {fmt_number(v)}, {direction} than the typical {fmt_number(t)}"


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
    """Precision / recall of flagging customers with out-of-fold risk >= threshold, and today's flag count (the
    confusion table holds keys, no / yes and say_no / say_yes, which the chart writes in the outcome's words)."""
    pred = (proba >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, pred, labels=[0, 1]).ravel()
    confusion = pd.DataFrame(
        {
            "actual": ["no", "no", "yes", "yes"],
            "predicted": ["say_no", "say_yes", "say_no", "say_yes"],
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
