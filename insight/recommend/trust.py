"""How far to trust the recommendations: purchases against popularity and chance, ratings against the
baseline predictor and the average rating. Thresholds sit beside their rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln

from insight.formats import Figure
from insight.i18n import N_, Message
from insight.recommend.interactions import Interactions
from insight.recommend.models import POPULARITY, _surprise_data
from insight.verdict import RELIABLE, ROUGH, UNRELIABLE, Verdict


def _pct(x: float) -> str:
    """A hit rate with one decimal (0.4%, 12.3%): the same in both languages."""
    return f"{x:.1%}"


def chance_hit_rate(train: pd.DataFrame, relevant: pd.DataFrame, n: int) -> float:
    """Expected hit rate of n items drawn at random from each customer's unseen items (the floor to beat)."""
    items = train["item_id"].nunique()
    seen = train.groupby("customer_id").size()
    wanted = relevant.groupby("customer_id").size()
    m = np.maximum(items - seen.reindex(wanted.index).fillna(0).to_numpy(), 1.0)
    r = np.minimum(wanted.to_numpy(dtype=float), m)
    k = np.minimum(n, m)
    # P(no hit) = C(m - r, k) / C(m, k); zero when fewer than k unseen items are not wanted
    possible = m - r >= k
    log_miss = gammaln(m - r + 1) - gammaln(m - r - k + 1) - gammaln(m + 1) + gammaln(m - k + 1)
    miss = np.where(possible, np.exp(np.where(possible, log_miss, 0.0)), 0.0)
    return float(np.mean(1 - miss))


MIN_CHECKED = 50  # fewer customers with held-out purchases than this: at most rough
Z = 1.96  # a hit rate counts as above chance when it is 1.96 standard errors above it (95%)


def judge_implicit(
    table: pd.DataFrame | None, best: str = POPULARITY, chance: float = 0.0, checked: int = 0, n: int = 10
) -> Verdict:
    """Hit rate of the pick on held-out purchases against popularity and against chance."""
    baseline = Message(N_("the most popular items, and picking items at random"))
    if table is None:
        reason = N_(
            "Too few customers have enough purchases to check any model on what they bought next, so the lists "
            "show what is popular; treat them as rough."
        )
        return Verdict(ROUGH, Message(reason), baseline)
    hit = float(table.at[best, "hit_rate"])
    popular = float(table.at[POPULARITY, "hit_rate"])
    se = np.sqrt(max(chance * (1 - chance), 1e-12) / max(checked, 1))
    models = table.drop(index=POPULARITY)
    runner_up = str(models["hit_rate"].idxmax()) if len(models) else None
    if hit <= chance + Z * se:
        reason = Message(
            N_(
                "Nothing here predicts what customers buy next better than picking items at random (hit rate "
                "{hit} vs {chance} by chance, top {n}, {checked} customers checked). Offers are withheld."
            ),
            hit=_pct(hit),
            chance=_pct(chance),
            n=n,
            checked=Figure(checked, "count"),
        )
        return Verdict(UNRELIABLE, reason, baseline)
    if best == POPULARITY:
        figures = Message(N_("hit rate {hit}; {chance} by chance"), hit=_pct(hit), chance=_pct(chance))
        if runner_up:
            versus = N_("hit rate {hit} vs {other} for {model}; {chance} by chance")
            other = _pct(table.at[runner_up, "hit_rate"])
            figures = Message(versus, hit=_pct(hit), other=other, model=runner_up, chance=_pct(chance))
        reason = Message(
            N_(
                "The most popular items predict what customers buy next better than any model ({figures}), so the "
                "lists show what is popular."
            ),
            figures=figures,
        )
    else:
        reason = Message(
            N_(
                "{model} finds a later purchase in the top {n} for {hit} of customers, against {popular} for the "
                "most popular items and {chance} by chance."
            ),
            model=best,
            n=n,
            hit=_pct(hit),
            popular=_pct(popular),
            chance=_pct(chance),
        )
    if checked < MIN_CHECKED:
        few = Message(N_("Only {n} customers could be checked, so this is rough."), n=Figure(checked, "count"))
        return Verdict(ROUGH, reason + few, baseline)
    return Verdict(RELIABLE, reason, baseline)


NO_BETTER_THAN_MEAN = 0.98  # an RMSE within 2% of always predicting the average rating has learned nothing
PERSONAL_GAIN = 0.005  # beating the bias-only baseline by under 0.5% means the lists are not really personal


def judge_explicit(
    table: pd.DataFrame,
    best: str,
    baseline_rmse: float,
    mean_rmse: float,
    chance: float | None = None,
    checked: int = 0,
    n: int = 10,
) -> Verdict:
    """RMSE of the pick against the baseline predictor (average + customer and item biases) and the average
    rating; when each customer's recent ratings could be held out, the offers themselves are judged by hit
    rate against popularity and chance (what the founder acts on), and the RMSE is told beside it."""
    baseline = Message(
        N_("the baseline predictor: average rating plus customer and item biases (RMSE {rmse:.3f})"), rmse=baseline_rmse
    )
    rmse = float(table.at[best, "rmse"])
    figures = Message(
        N_("RMSE {rmse:.3f} vs {baseline:.3f} for the baseline and {mean:.3f} for the average rating"),
        rmse=rmse,
        baseline=baseline_rmse,
        mean=mean_rmse,
    )
    if rmse >= NO_BETTER_THAN_MEAN * mean_rmse:
        no_better = N_("{model} predicts star ratings no better than the average rating ({figures}).")
        trust, said = UNRELIABLE, Message(no_better, model=best, figures=figures)
    elif best == "BaselineOnly" or rmse > (1 - PERSONAL_GAIN) * baseline_rmse:
        mostly = N_("Star ratings are predicted mostly from item popularity and customer generosity ({figures}).")
        trust, said = ROUGH, Message(mostly, figures=figures)
    else:
        better = N_("{model} predicts star ratings better than the baseline ({figures}).")
        trust, said = RELIABLE, Message(better, model=best, figures=figures)
    hit = table.at[best, "hit_rate"] if "hit_rate" in table else np.nan
    if chance is None or pd.isna(hit):
        withheld = Message(N_("Offers are withheld.")) if trust == UNRELIABLE else ""
        return Verdict(trust, said + withheld, baseline)
    popular = float(table.at[POPULARITY, "hit_rate"])
    se = np.sqrt(max(chance * (1 - chance), 1e-12) / max(checked, 1))
    ranking = Message(
        N_(
            "{model}'s top {n} holds a recent liked item for {hit} of customers, against {popular} for the most "
            "popular items and {chance} by chance."
        ),
        model=best,
        n=n,
        hit=_pct(hit),
        popular=_pct(popular),
        chance=_pct(chance),
    )
    if hit <= chance + Z * se:
        chance_only = Message(N_("That is no better than chance; offers are withheld."))
        return Verdict(UNRELIABLE, ranking + chance_only + said, baseline)
    if hit < popular:
        popular_better = Message(N_("The most popular items would make better offers."))
        return Verdict(ROUGH, ranking + popular_better + said, baseline)
    return Verdict(RELIABLE if checked >= MIN_CHECKED else ROUGH, ranking + said, baseline)


def mean_rating_rmse(interactions: Interactions, *, folds: int = 5, random_state: int = 0) -> float:
    """RMSE of always predicting the training folds' average rating (same folds as `cross_validate`)."""
    from surprise.model_selection import KFold

    data = _surprise_data(interactions.ratings, interactions.rating_scale)
    errors = []
    for trainset, testset in KFold(n_splits=folds, random_state=random_state, shuffle=True).split(data):
        actual = np.array([r for _, _, r in testset])
        errors.append(np.sqrt(np.mean((actual - trainset.global_mean) ** 2)))
    return float(np.mean(errors))
