"""How far to trust the predictions: churn (or any outcome) against a coin and a one-rule baseline, value against
the mean, lifetime value against each customer's past buying rate. Each rule keeps its thresholds beside it."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from insight.formats import Figure
from insight.i18n import N_, Message
from insight.outcome_words import LEAVE, Outcome
from insight.verdict import RELIABLE, ROUGH, UNRELIABLE, Verdict, Withheld, bootstrap_auc, interval

RULE = "One rule: days since last order"  # a model's name (a key in the metrics): named at display
RULE_FEATURE = "recency_days"
COIN = N_("a coin (ROC AUC 0.5)")


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
    what = Message(N_("The orders")) if source == "derived" else Message(N_("These columns"))
    rule_note = ""
    if len(names) == 2 and interval(samples[:, 0] - samples[:, 1])[0] <= 0:
        rule_note = outcome.message("rule_wins", rule_auc=f"{aucs[RULE]:.2f}", auc=f"{aucs[best]:.2f}", best=best)
        best, samples = RULE, samples[:, 1:]
    low, high = interval(samples[:, 0])
    auc = aucs[best]
    baseline = Message(COIN)
    if has_rule:
        rule = N_("{coin} and the one rule 'days since last order' (ROC AUC {auc:.2f})")
        baseline = Message(rule, coin=baseline, auc=aucs[RULE])
    if has_rule and best == RULE and not rule_note:
        rule_note = outcome.message("rule_best")
    figures = Message(N_("ROC AUC {auc:.2f}, 95% interval {low:.2f}–{high:.2f}"), auc=auc, low=low, high=high)
    if low <= 0.5:
        return best, Verdict(UNRELIABLE, outcome.message("unreliable", what=what, figures=figures), baseline)
    if low < CHURN_RELIABLE_LOW:
        return best, Verdict(ROUGH, outcome.message("rough", what=what, figures=figures) + rule_note, baseline)
    return best, Verdict(RELIABLE, outcome.message("reliable", what=what, figures=figures) + rule_note, baseline)


# --- value ------------------------------------------------------------------------------------------------

NEAR_CONSTANT_SHARE = 0.95  # one value for at least 95% of customers leaves nothing to tell apart
ID_UNIQUE_SHARE = 0.95  # whole numbers, at least 95% distinct ...
ID_EVEN_STEPS = 0.90  # ... and at least 90% of the gaps between sorted values the same: a running number
LEAK_CORRELATION = 0.99  # a value this correlated with one input is a copy of it, not something to predict
MIN_ROWS_FOR_CHECKS = 20


def refuse_target(y: pd.Series, target: str, X: pd.DataFrame, numeric: list[str], *, id_check: bool = True) -> None:
    """Raise `Withheld` when the value target cannot be predicted honestly: constant, near-constant,
    an id (when `id_check`), or a copy of one of the `numeric` inputs."""
    baseline = Message(N_("predicting the mean"))
    values = pd.to_numeric(y, errors="coerce").dropna()
    if values.nunique() <= 1:
        if len(values):
            same = N_("Every customer has the same '{target}' ({value}), so there is nothing to predict.")
            reason = Message(same, target=target, value=Figure(float(values.iloc[0])))
        else:
            reason = Message(N_("No customer has a '{target}', so there is nothing to predict."), target=target)
        raise Withheld(Verdict(UNRELIABLE, reason, baseline))
    top_share = float(values.value_counts(normalize=True).iloc[0])
    if len(values) >= MIN_ROWS_FOR_CHECKS and top_share >= NEAR_CONSTANT_SHARE:
        common = values.mode().iloc[0]
        reason = Message(
            N_(
                "{share} of customers have the same '{target}' ({value}): too little variation to predict or to "
                "rank customers by."
            ),
            share=Figure(top_share, "share"),
            target=target,
            value=Figure(float(common)),
        )
        raise Withheld(Verdict(UNRELIABLE, reason, baseline))
    if id_check and len(values) >= MIN_ROWS_FOR_CHECKS and (values == values.round()).all():
        steps = np.diff(np.sort(values.to_numpy()))
        if values.nunique() >= ID_UNIQUE_SHARE * len(values) and (steps == np.median(steps)).mean() >= ID_EVEN_STEPS:
            reason = Message(
                N_("'{target}' counts up in even steps like a customer number: it is an id, not a value."),
                target=target,
            )
            raise Withheld(Verdict(UNRELIABLE, reason, baseline))
    for col in numeric:
        pair = pd.DataFrame({"y": y, "x": pd.to_numeric(X[col], errors="coerce")}).dropna()
        if len(pair) < MIN_ROWS_FOR_CHECKS or pair["x"].nunique() <= 1:
            continue
        r = float(np.corrcoef(pair["x"], pair["y"])[0, 1])
        if abs(r) >= LEAK_CORRELATION:
            reason = Message(
                N_(
                    "'{target}' is almost a copy of '{column}' (correlation {r:.3f}), so a model would only repeat "
                    "a number you already have. Pick a value that is not among the inputs, or leave that column out."
                ),
                target=target,
                column=col,
                r=r,
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
    mean_error = Figure(mae_mean, "money", currency)
    baseline = Message(N_("predicting the mean for everyone (typical error {error})"), error=mean_error)
    figures = Message(
        N_("R² {r2:.2f}, typical error {error} vs {mean_error} for the mean"),
        r2=r2,
        error=Figure(mae, "money", currency),
        mean_error=mean_error,
    )
    if r2 >= SPEND_TOO_GOOD_R2:
        reason = Message(
            N_(
                "'{target}' is predicted almost perfectly on customers the model never saw (R² {r2:.3f}): it is "
                "computed from the inputs, so the prediction adds nothing. Value tiers are withheld."
            ),
            target=target,
            r2=r2,
        )
        return Verdict(UNRELIABLE, reason, baseline)
    if r2 < SPEND_USELESS_R2 or skill < SPEND_USELESS_MAE_SKILL:
        reason = Message(
            N_(
                "The models predict '{target}' no better than assuming every customer gets the average "
                "({figures}). Value tiers and the action list are withheld."
            ),
            target=target,
            figures=figures,
        )
        return Verdict(UNRELIABLE, reason, baseline)
    if r2 < SPEND_RELIABLE_R2 or test_rows < SPEND_MIN_TEST:
        few = Message(N_("checked on only {n} customers"), n=Figure(test_rows, "count"))
        why = few if test_rows < SPEND_MIN_TEST else Message(N_("a modest gain"))
        roughly = N_("The best model beats the average, but only roughly ({figures}; {why}).")
        return Verdict(ROUGH, Message(roughly, figures=figures, why=why), baseline)
    clearly = N_("The best model clearly beats assuming everyone gets the average ({figures}).")
    return Verdict(RELIABLE, Message(clearly, figures=figures), baseline)


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
    baseline = Message(N_("each customer keeps buying at their past rate"))
    alive = np.asarray(p_alive_repeat, dtype=float)
    alive = alive[np.isfinite(alive)]
    mean_alive = float(alive.mean()) if len(alive) else None
    everyone = bool(len(alive)) and (alive > ALL_ALIVE).mean() >= ALL_ALIVE
    corner = min(params["a"], params["b"]) < DEGENERATE_PARAM or everyone
    shown = Message(N_("about 100%"))
    if mean_alive is not None:
        shown = Message(N_("{share} on average"), share=Figure(mean_alive, "share"))
    if mean_alive is not None and mean_alive > MOSTLY_ALIVE and lapsed is not None and lapsed >= MANY_LAPSED:
        corner = True
        lapsed_note = N_("{shown} while {share} of the customers bought nothing in the last {days} days")
        shown = Message(lapsed_note, shown=shown, share=Figure(lapsed, "share"), days=horizon_days)
    if corner:
        reason = Message(
            N_(
                "The purchase model ran into an extreme corner: it sees nobody ever leave (P(alive) {shown}), so "
                "P(alive), expected purchases and lifetime value are withheld."
            ),
            shown=shown,
        )
        return Verdict(UNRELIABLE, reason, baseline)
    if backtest is None:
        short = N_(
            "Lifetime value could not be checked: the history is too short to check it on orders it did not see. "
            "Read it as rough."
        )
        return Verdict(ROUGH, Message(short), baseline)
    model, naive, total = backtest["mae"], backtest["baseline_mae"], backtest["total_error"]
    days = int(backtest["days"])
    figures = Message(
        N_(
            "over the last {days} days it missed by {model:.2f} purchases per customer vs {naive:.2f} for the past "
            "rate, and the total by {total}"
        ),
        days=days,
        model=model,
        naive=naive,
        total=Figure(total, "share"),
    )
    if model > CLV_WORSE_THAN_PAST * naive:
        worse = N_("The purchase model does worse than each customer's past rate: {figures}.")
        return Verdict(UNRELIABLE, Message(worse, figures=figures), baseline)
    if model > naive or total > CLV_AGGREGATE_ERROR or shrunk:
        if shrunk:
            held = N_(
                "The purchase model is only roughly right: {figures} (the fit had to be held back to stay stable)."
            )
            return Verdict(ROUGH, Message(held, figures=figures), baseline)
        return Verdict(
            ROUGH, Message(N_("The purchase model is only roughly right: {figures}."), figures=figures), baseline
        )
    holds = N_("Checked on orders it did not see, the purchase model holds up: {figures}.")
    return Verdict(RELIABLE, Message(holds, figures=figures), baseline)
