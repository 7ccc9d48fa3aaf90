"""How far to trust the predictions: churn (or any outcome) against a coin and a one-rule baseline, value against
the mean, lifetime value against each customer's past buying rate. Each rule keeps its thresholds beside it."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from insight.labels import fmt_number, money
from insight.outcome_words import LEAVE, Outcome
from insight.verdict import RELIABLE, ROUGH, UNRELIABLE, Verdict, Withheld, bootstrap_auc, interval

RULE = "One rule: days since last order"
RULE_FEATURE = "recency_days"
COIN = "a coin (ROC AUC 0.5)"


# --- churn ------------------------------------------------------------------------------------------------

CHURN_RELIABLE_LOW = 0.70  # reliable when even the low end of the 95% interval of ROC AUC is at least 0.70


def judge_churn(
    y: np.ndarray, oof: dict[str, np.ndarray], best: str, source: str, outcome: Outcome | None = None
) -> tuple[str, Verdict]:
    """The model to use and how far to trust it, from out-of-fold ROC AUC with a bootstrap interval.

    When the one-rule baseline is among `oof` and the best model does not beat it on paired bootstrap
    resamples (the 95% interval of the difference reaches 0), the rule is used instead. When the interval of
    the chosen model's ROC AUC includes 0.5, the data does not predict the outcome. The reason is worded for
    the `outcome` (default: leaving).
    """
    outcome = outcome or Outcome(LEAVE)
    has_rule = RULE in oof
    names = [best, RULE] if has_rule and best != RULE else [best]
    samples = bootstrap_auc(y, *(oof[n] for n in names))
    aucs = {n: float(roc_auc_score(y, oof[n])) for n in names}
    what = "The orders" if source == "derived" else "These columns"
    rule_note = ""
    if len(names) == 2 and interval(samples[:, 0] - samples[:, 1])[0] <= 0:
        rule_note = outcome.english("rule_wins", rule_auc=f"{aucs[RULE]:.2f}", auc=f"{aucs[best]:.2f}", best=best)
        best, samples = RULE, samples[:, 1:]
    low, high = interval(samples[:, 0])
    auc = aucs[best]
    baseline = COIN + (f" and the one rule 'days since last order' (ROC AUC {aucs[RULE]:.2f})" if has_rule else "")
    if has_rule and best == RULE and not rule_note:
        rule_note = outcome.english("rule_best")
    figures = f"ROC AUC {auc:.2f}, 95% interval {low:.2f}–{high:.2f}"
    if low <= 0.5:
        return best, Verdict(UNRELIABLE, outcome.english("unreliable", what=what, figures=figures), baseline)
    if low < CHURN_RELIABLE_LOW:
        return best, Verdict(ROUGH, outcome.english("rough", what=what, figures=figures) + rule_note, baseline)
    return best, Verdict(RELIABLE, outcome.english("reliable", what=what, figures=figures) + rule_note, baseline)


# --- value ------------------------------------------------------------------------------------------------

NEAR_CONSTANT_SHARE = 0.95  # one value for at least 95% of customers leaves nothing to tell apart
ID_UNIQUE_SHARE = 0.95  # whole numbers, at least 95% distinct ...
ID_EVEN_STEPS = 0.90  # ... and at least 90% of the gaps between sorted values the same: a running number
LEAK_CORRELATION = 0.99  # a value this correlated with one input is a copy of it, not something to predict
MIN_ROWS_FOR_CHECKS = 20


def refuse_target(y: pd.Series, target: str, X: pd.DataFrame, numeric: list[str], *, id_check: bool = True) -> None:
    """Raise `Withheld` when the value target cannot be predicted honestly: constant, near-constant,
    an id (when `id_check`), or a copy of one of the `numeric` inputs."""
    baseline = "predicting the mean"
    values = pd.to_numeric(y, errors="coerce").dropna()
    if values.nunique() <= 1:
        shown = f" ({fmt_number(values.iloc[0])})" if len(values) else ""
        raise Withheld(
            Verdict(
                UNRELIABLE, f"Every customer has the same '{target}'{shown}, so there is nothing to predict.", baseline
            )
        )
    top_share = float(values.value_counts(normalize=True).iloc[0])
    if len(values) >= MIN_ROWS_FOR_CHECKS and top_share >= NEAR_CONSTANT_SHARE:
        common = values.mode().iloc[0]
        reason = (
            f"{top_share:.0%} of customers have the same '{target}' ({fmt_number(common)}): too little variation to "
            "predict or to rank customers by."
        )
        raise Withheld(Verdict(UNRELIABLE, reason, baseline))
    if id_check and len(values) >= MIN_ROWS_FOR_CHECKS and (values == values.round()).all():
        steps = np.diff(np.sort(values.to_numpy()))
        if values.nunique() >= ID_UNIQUE_SHARE * len(values) and (steps == np.median(steps)).mean() >= ID_EVEN_STEPS:
            reason = f"'{target}' counts up in even steps like a customer number: it is an id, not a value."
            raise Withheld(Verdict(UNRELIABLE, reason, baseline))
    for col in numeric:
        pair = pd.DataFrame({"y": y, "x": pd.to_numeric(X[col], errors="coerce")}).dropna()
        if len(pair) < MIN_ROWS_FOR_CHECKS or pair["x"].nunique() <= 1:
            continue
        r = float(np.corrcoef(pair["x"], pair["y"])[0, 1])
        if abs(r) >= LEAK_CORRELATION:
            reason = (
                f"'{target}' is almost a copy of '{col}' (correlation {r:.3f}), so a model would only repeat a "
                "number you already have. Pick a value that is not among the inputs, or leave that column out."
            )
            raise Withheld(Verdict(UNRELIABLE, reason, baseline))


SPEND_USELESS_R2 = 0.10  # below this held-out R² the model explains almost nothing the mean does not
SPEND_USELESS_MAE_SKILL = 0.05  # and its typical error must be at least 5% smaller than the mean's
SPEND_RELIABLE_R2 = 0.30  # reliable from here (customer value is noisy; 0.3 already ranks customers usefully)
SPEND_TOO_GOOD_R2 = 0.995  # near-perfect predictions on held-out customers mean the value is computed from the inputs
SPEND_MIN_TEST = 50  # fewer held-out customers than this: at most rough


def judge_spend(metrics: pd.DataFrame, best: str, target: str, test_rows: int, currency: str | None = None) -> Verdict:
    """Held-out R² and MAE skill of the best spend model against predicting the training mean (row 'Mean'); the
    errors are money, written with its `currency`."""
    r2 = float(metrics.at[best, "r2"])
    mae, mae_mean = float(metrics.at[best, "mae"]), float(metrics.at["Mean", "mae"])
    skill = 1 - mae / mae_mean if mae_mean > 0 else 0.0
    baseline = f"predicting the mean for everyone (typical error {money(mae_mean, currency)})"
    figures = f"R² {r2:.2f}, typical error {money(mae, currency)} vs {money(mae_mean, currency)} for the mean"
    if r2 >= SPEND_TOO_GOOD_R2:
        reason = (
            f"'{target}' is predicted almost perfectly on customers the model never saw (R² {r2:.3f}): it is "
            "computed from the inputs, so the prediction adds nothing. Value tiers are withheld."
        )
        return Verdict(UNRELIABLE, reason, baseline)
    if r2 < SPEND_USELESS_R2 or skill < SPEND_USELESS_MAE_SKILL:
        reason = (
            f"The models predict '{target}' no better than assuming every customer gets the average ({figures}). "
            "Value tiers and the action list are withheld."
        )
        return Verdict(UNRELIABLE, reason, baseline)
    if r2 < SPEND_RELIABLE_R2 or test_rows < SPEND_MIN_TEST:
        why = f"checked on only {test_rows} customers" if test_rows < SPEND_MIN_TEST else "a modest gain"
        return Verdict(ROUGH, f"The best model beats the average, but only roughly ({figures}; {why}).", baseline)
    return Verdict(RELIABLE, f"The best model clearly beats assuming everyone gets the average ({figures}).", baseline)


# --- lifetime value ---------------------------------------------------------------------------------------

DEGENERATE_PARAM = 0.01  # BG/NBD's a or b this close to 0 is a fit that ran into the corner where nobody leaves
ALL_ALIVE = 0.99  # P(alive) above 0.99 for 99% of repeat buyers: the model sees no one leave
MOSTLY_ALIVE = 0.97  # a mean P(alive) above this ...
MANY_LAPSED = 0.20  # ... while a fifth or more of the customers bought nothing in the last horizon: a corner
CLV_AGGREGATE_ERROR = 0.25  # reliable when the backtest's total purchases are within 25% of what happened
CLV_WORSE_THAN_PAST = 1.10  # unreliable when its error per customer is over 10% above the past-rate baseline's


def judge_lifetime(
    params: dict[str, float],
    p_alive_repeat: np.ndarray,
    shrunk: bool,
    backtest: dict[str, float] | None,
    lapsed: float | None = None,
    horizon_days: int = 90,
) -> Verdict:
    """BG/NBD against each customer's past buying rate on a held-out stretch of the order history.

    A fit in the corner where nobody leaves is unreliable: a or b near 0, (almost) everyone 100% alive, or a
    mean P(alive) above 97% while `lapsed` (the share of customers who bought nothing in the last
    `horizon_days`) says many have gone."""
    baseline = "each customer keeps buying at their past rate"
    alive = np.asarray(p_alive_repeat, dtype=float)
    alive = alive[np.isfinite(alive)]
    mean_alive = float(alive.mean()) if len(alive) else None
    everyone = bool(len(alive)) and (alive > ALL_ALIVE).mean() >= ALL_ALIVE
    corner = min(params["a"], params["b"]) < DEGENERATE_PARAM or everyone
    lapsed_note = ""
    if mean_alive is not None and mean_alive > MOSTLY_ALIVE and lapsed is not None and lapsed >= MANY_LAPSED:
        corner = True
        lapsed_note = f" while {lapsed:.0%} of the customers bought nothing in the last {horizon_days} days"
    if corner:
        shown = f"{mean_alive:.1%} on average" if mean_alive is not None else "about 100%"
        reason = (
            f"The purchase model ran into an extreme corner: it sees nobody ever leave (P(alive) {shown}"
            f"{lapsed_note}), so P(alive), expected purchases and lifetime value are withheld."
        )
        return Verdict(UNRELIABLE, reason, baseline)
    if backtest is None:
        why = "the history is too short to check it on orders it did not see"
        return Verdict(ROUGH, f"Lifetime value could not be checked: {why}. Read it as rough.", baseline)
    model, naive, total = backtest["mae"], backtest["baseline_mae"], backtest["total_error"]
    days = int(backtest["days"])
    figures = (
        f"over the last {days} days it missed by {model:.2f} purchases per customer vs {naive:.2f} for the past "
        f"rate, and the total by {total:.0%}"
    )
    if model > CLV_WORSE_THAN_PAST * naive:
        return Verdict(
            UNRELIABLE, f"The purchase model does worse than each customer's past rate: {figures}.", baseline
        )
    if model > naive or total > CLV_AGGREGATE_ERROR or shrunk:
        extra = " (the fit had to be held back to stay stable)" if shrunk else ""
        return Verdict(ROUGH, f"The purchase model is only roughly right: {figures}{extra}.", baseline)
    return Verdict(RELIABLE, f"Checked on orders it did not see, the purchase model holds up: {figures}.", baseline)
