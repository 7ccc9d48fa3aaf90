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

from insight.formats import Figure
from insight.i18n import N_, Message, pgettext, text
from insight.labels import NICE_NAMES, RATIO_IN_WORDS, nice_name
from insight.predict.label import ChurnData


def _days(v: float, one: str, many: str) -> Message:
    return Message(one if round(v) == 1 else many, n=Figure(v, "count"))


def describe_reason(feature: str, value: Any, typical: Any, row: pd.Series) -> Message:
    """One reason in plain words, e.g. 'no purchase for 140 days, 3.1× their usual gap' (ratios past 10 in
    words), with the column in words and numbers rounded as a person reads them: a message, written when read
    (the reasons are cached)."""
    name = Message(NICE_NAMES[feature]) if feature in NICE_NAMES else nice_name(feature)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return Message(N_("{name} unknown"), name=name)
    if isinstance(value, str) or not isinstance(value, (int, float, np.number)):
        return Message(N_("{name} is {value}"), name=name, value=str(value))
    v, t = float(value), float(typical)
    typical_n = Figure(t, "plain")
    if feature == "recency_days":
        gap = row.get("days_between_orders")
        base = _days(v, N_("no purchase for {n} day"), N_("no purchase for {n} days"))
        if gap is not None and not pd.isna(gap) and gap > 0:
            ratio = v / gap
            if not np.isfinite(ratio) or ratio >= RATIO_IN_WORDS:
                return Message(N_("{base}, far longer than usual"), base=base)
            return Message(N_("{base}, {ratio:.1f}× their usual gap"), base=base, ratio=ratio)
        return Message(N_("{base} (typical {typical})"), base=base, typical=typical_n)
    if feature == "days_between_orders":
        return Message(N_("{n} days between orders (typical {typical})"), n=Figure(v, "plain"), typical=typical_n)
    if feature == "return_share":
        returned = N_("returned {share} of what they bought (typical {typical})")
        return Message(returned, share=Figure(v, "share"), typical=Figure(t, "share"))
    if feature == "frequency":
        orders = {
            (True, True): N_("only {n} order (typical {typical})"),
            (True, False): N_("only {n} orders (typical {typical})"),
            (False, True): N_("{n} order (typical {typical})"),
            (False, False): N_("{n} orders (typical {typical})"),
        }[(v < t, round(v) == 1)]
        return Message(orders, n=Figure(v, "count"), typical=typical_n)
    if feature in ("monetary", "avg_order_value"):
        if v < 0:  # returns worth more than the purchases in these dates: no negative spend is shown
            more = (
                N_("returned more than they bought (typical spend {typical})")
                if feature == "monetary"
                else N_("returned more than they bought (typical order {typical})")
            )
            return Message(more, typical=Figure(t, "count"))
        spent = (
            N_("spent {n} (typical {typical})")
            if feature == "monetary"
            else N_("average order of {n} (typical {typical})")
        )
        return Message(spent, n=Figure(v, "count"), typical=Figure(t, "count"))
    if feature == "tenure_days":
        since = _days(v, N_("customer for {n} day"), N_("customer for {n} days"))
        return Message(N_("{base} (typical {typical})"), base=since, typical=typical_n)
    if feature == "purchase_rate_30d":
        return Message(N_("{n:.2f} orders a month (typical {typical:.2f})"), n=v, typical=t)
    if {v, t} <= {0.0, 1.0}:  # a yes/no column (HasCrCard, AcceptedCmp3): yes or no, not 1 or 0
        yes_no = {
            (True, True): N_("{name}: yes (typically yes)"),
            (True, False): N_("{name}: yes (typically no)"),
            (False, True): N_("{name}: no (typically yes)"),
            (False, False): N_("{name}: no (typically no)"),
        }
        return Message(yes_no[(bool(v), bool(t))], name=name)
    than = (
        N_("{name} {n}, higher than the typical {typical}")
        if v > t
        else N_("{name} {n}, lower than the typical {typical}")
    )
    return Message(than, name=name, n=Figure(v, "plain"), typical=typical_n)


def reasons_text(reasons: tuple[Message, ...]) -> str:
    """A customer's reasons (as `churn_reasons` keeps them) in the active language, one after another."""
    return pgettext("fact separator", "; ").join(text(r) for r in reasons)


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
        reasons.append(tuple(describe_reason(c, row[c], typical[c], row) for c in picked))
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
