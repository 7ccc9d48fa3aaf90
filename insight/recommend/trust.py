"""How far to trust the recommendations: purchases against popularity and chance, ratings against the
baseline predictor and the average rating. Thresholds sit beside their rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln

from insight.recommend.interactions import Interactions
from insight.recommend.models import POPULARITY, _surprise_data
from insight.verdict import RELIABLE, ROUGH, UNRELIABLE, Verdict


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
    baseline = "the most popular items, and picking items at random"
    if table is None:
        reason = (
            "Too few customers have enough purchases to check any model on what they bought next, so the lists "
            "show what is popular; treat them as rough."
        )
        return Verdict(ROUGH, reason, baseline)
    hit = float(table.at[best, "hit_rate"])
    popular = float(table.at[POPULARITY, "hit_rate"])
    se = np.sqrt(max(chance * (1 - chance), 1e-12) / max(checked, 1))
    models = table.drop(index=POPULARITY)
    runner_up = str(models["hit_rate"].idxmax()) if len(models) else None
    if hit <= chance + Z * se:
        reason = (
            f"Nothing here predicts what customers buy next better than picking items at random (hit rate "
            f"{hit:.1%} vs {chance:.1%} by chance, top {n}, {checked:,} customers checked). Offers are withheld."
        )
        return Verdict(UNRELIABLE, reason, baseline)
    if best == POPULARITY:
        versus = f" vs {table.at[runner_up, 'hit_rate']:.1%} for {runner_up}" if runner_up else ""
        reason = (
            f"The most popular items predict what customers buy next better than any model (hit rate {hit:.1%}"
            f"{versus}; {chance:.1%} by chance), so the lists show what is popular."
        )
    else:
        reason = (
            f"{best} finds a later purchase in the top {n} for {hit:.1%} of customers, against {popular:.1%} for "
            f"the most popular items and {chance:.1%} by chance."
        )
    if checked < MIN_CHECKED:
        return Verdict(ROUGH, f"{reason} Only {checked} customers could be checked, so this is rough.", baseline)
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
    baseline = f"the baseline predictor: average rating plus customer and item biases (RMSE {baseline_rmse:.3f})"
    rmse = float(table.at[best, "rmse"])
    figures = f"RMSE {rmse:.3f} vs {baseline_rmse:.3f} for the baseline and {mean_rmse:.3f} for the average rating"
    if rmse >= NO_BETTER_THAN_MEAN * mean_rmse:
        trust, said = UNRELIABLE, f"{best} predicts star ratings no better than the average rating ({figures})."
    elif best == "BaselineOnly" or rmse > (1 - PERSONAL_GAIN) * baseline_rmse:
        said = f"Star ratings are predicted mostly from item popularity and customer generosity ({figures})."
        trust = ROUGH
    else:
        trust, said = RELIABLE, f"{best} predicts star ratings better than the baseline ({figures})."
    hit = table.at[best, "hit_rate"] if "hit_rate" in table else np.nan
    if chance is None or pd.isna(hit):
        withheld = " Offers are withheld." if trust == UNRELIABLE else ""
        return Verdict(trust, said + withheld, baseline)
    popular = float(table.at[POPULARITY, "hit_rate"])
    se = np.sqrt(max(chance * (1 - chance), 1e-12) / max(checked, 1))
    ranking = (
        f"{best}'s top {n} holds a recent liked item for {hit:.1%} of customers, against {popular:.1%} for the most "
        f"popular items and {chance:.1%} by chance."
    )
    if hit <= chance + Z * se:
        return Verdict(UNRELIABLE, f"{ranking} That is no better than chance; offers are withheld. {said}", baseline)
    if hit < popular:
        return Verdict(ROUGH, f"{ranking} The most popular items would make better offers. {said}", baseline)
    return Verdict(RELIABLE if checked >= MIN_CHECKED else ROUGH, f"{ranking} {said}", baseline)


def mean_rating_rmse(interactions: Interactions, *, folds: int = 5, random_state: int = 0) -> float:
    """RMSE of always predicting the training folds' average rating (same folds as `cross_validate`)."""
    from surprise.model_selection import KFold

    data = _surprise_data(interactions.ratings, interactions.rating_scale)
    errors = []
    for trainset, testset in KFold(n_splits=folds, random_state=random_state, shuffle=True).split(data):
        actual = np.array([r for _, _, r in testset])
        errors.append(np.sqrt(np.mean((actual - trainset.global_mean) ** 2)))
    return float(np.mean(errors))
