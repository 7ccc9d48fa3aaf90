"""How good each model is: k-fold RMSE / MAE of star ratings, and hit rate, precision, recall and NDCG of the top
10 on each customer's most recent items, next to the popularity baseline; and the verdict.

Popularity is always a contender. With purchases (implicit data) the models are `implicit`'s, the pick is by hit
rate on held-out purchases (never by the error of made-up ratings, which are not computed), and popularity is
the default when no model beats it. With explicit ratings the pick is by RMSE, judged against the baseline
predictor (average rating plus each customer's and item's bias). The ranking evaluation scores every held-out
customer at once: one score matrix per batch of customers, top-n by partition, hits on a sparse matrix."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from surprise import accuracy
from surprise.model_selection import KFold

from insight.errors import InsightError, NotEnoughData
from insight.i18n import N_, Message
from insight.recommend.interactions import Interactions
from insight.recommend.models import (
    MODELS,
    POPULARITY,
    TOP_N,
    _check_size,
    _surprise_data,
    comparison_models,
    make_algo,
)
from insight.recommend.ranking import held_matrix, ranking_scores
from insight.recommend.recommender import Recommender
from insight.recommend.trust import chance_hit_rate, judge_explicit, judge_implicit, mean_rating_rmse
from insight.verdict import Verdict


def cross_validate(
    interactions: Interactions,
    model: str,
    *,
    folds: int = 5,
    params: dict[str, Any] | None = None,
    random_state: int = 0,
) -> dict[str, float]:
    """Mean RMSE and MAE of k-fold cross-validation (Surprise's KFold, shuffled with `random_state`)."""
    if len(interactions.ratings) < 2 * folds:
        raise NotEnoughData(
            N_("{folds}-fold cross-validation needs at least {value} ratings; upload more."),
            folds=folds,
            value=2 * folds,
        )
    _check_size(model, interactions.ratings)
    data = _surprise_data(interactions.ratings, interactions.rating_scale)
    rmse, mae = [], []
    for trainset, testset in KFold(n_splits=folds, random_state=random_state, shuffle=True).split(data):
        predictions = make_algo(model, params, random_state).fit(trainset).test(testset)
        rmse.append(accuracy.rmse(predictions, verbose=False))
        mae.append(accuracy.mae(predictions, verbose=False))
    return {"rmse": float(np.mean(rmse)), "mae": float(np.mean(mae))}


def holdout_split(
    interactions: Interactions,
    *,
    share: float = 0.2,
    min_items: int = 5,
    max_items: int = 10,
    random_state: int = 0,
) -> tuple[Interactions, pd.DataFrame]:
    """Hold out each customer's most recent items (a `share`, 1 to `max_items`) for ranking evaluation.

    Customers with fewer than `min_items` ratings stay whole in training. Without timestamps the held-out
    items are drawn at random. Returns the training interactions and the held-out rows the customer liked.
    """
    if not 0 < share < 1:
        raise InsightError(N_("The hold-out share must be between 0 and 1; got {share}."), share=share)
    df = interactions.ratings.assign(_liked=interactions.liked().to_numpy())
    df["_tie"] = np.random.default_rng(random_state).random(len(df))
    keys = ["customer_id", "timestamp", "_tie"] if "timestamp" in df else ["customer_id", "_tie"]
    df = df.sort_values(keys, kind="stable")
    size = df.groupby("customer_id")["item_id"].transform("size")
    from_end = df.groupby("customer_id").cumcount(ascending=False)
    take = np.clip(np.ceil(share * size), 1, max_items)
    held = (size >= min_items) & (from_end < take)
    train = df.loc[~held, interactions.ratings.columns].sort_index()
    test = df.loc[held & df["_liked"], ["customer_id", "item_id", "rating"]]
    if test.empty:
        raise NotEnoughData(
            N_(
                "No customer has {min_items}+ ratings or purchases with a liked recent one, so "
                "recommendations cannot be checked against what customers did next. Upload more history."
            ),
            min_items=min_items,
        )
    return Interactions(train, interactions.source, interactions.rating_scale, interactions.note), test


def evaluate_ranking(
    train: Interactions,
    relevant: pd.DataFrame,
    model: str,
    *,
    params: dict[str, Any] | None = None,
    n: int = TOP_N,
    max_customers: int | None = None,
    random_state: int = 0,
) -> dict[str, float]:
    """Fit on `train`, list n unseen items for every held-out customer (or a sample of `max_customers`) and
    score the lists against their held-out items: precision, recall, hit rate and NDCG at n."""
    customers = pd.Index(relevant["customer_id"].unique())
    if max_customers is not None and len(customers) > max_customers:
        customers = pd.Index(customers.to_series().sample(max_customers, random_state=random_state))
        relevant = relevant[relevant["customer_id"].isin(customers)]
    rec = Recommender(model, params=params, random_state=random_state).fit(train)
    users = rec.customer_index_.get_indexer(customers)
    top = np.full((len(customers), n), -1, dtype=np.intp)  # -1: no item (an unknown customer, a small catalogue)
    listed = rec.top_items(users[users >= 0], n)[0]
    top[np.flatnonzero(users >= 0)[:, None], np.arange(listed.shape[1])] = listed
    wanted = relevant.groupby("customer_id").size().reindex(customers).to_numpy()
    return ranking_scores(top, held_matrix(customers, rec.item_index_, relevant), wanted)


@dataclass(frozen=True)
class Comparison:
    """Models side by side: one row per model (rmse, mae, precision_at_10, recall_at_10, hit_rate, ndcg_at_10,
    seconds; no RMSE for purchases),
    the one to use (possibly "Popularity"), the rule that picked it and the verdict."""

    table: pd.DataFrame
    best: str
    source: str
    rule: Message  # written when read (cached)
    verdict: Verdict | None = None


def compare_models(
    interactions: Interactions,
    models: Sequence[str] | None = None,
    *,
    folds: int = 5,
    n: int = TOP_N,
    max_customers: int | None = None,
    random_state: int = 0,
) -> Comparison:
    """Rank-evaluate each model (default: the quick set for the data's source) next to the popularity baseline,
    cross-validate the star-rating models on star ratings, and pick the best.

    The pick is the lowest RMSE for explicit ratings and, for implicit ones (where the rating values are
    made up and only the ranking matters), the highest hit rate (then recall, then precision) among the
    models and popularity; without held-out purchases to check against, implicit data gets popularity.
    """
    models = list(comparison_models(interactions.source) if models is None else models)
    if not models:
        raise InsightError(N_("Choose at least one model to compare."))
    try:
        train, relevant = holdout_split(interactions, random_state=random_state)
    except NotEnoughData:  # too little history per customer: judge by rating error alone
        train = relevant = None
    explicit = interactions.source != "implicit"
    rows = {}
    for model in [*models, POPULARITY]:
        start = time.perf_counter()
        row: dict[str, float] = dict.fromkeys(
            ["rmse", "mae", f"precision_at_{n}", f"recall_at_{n}", "hit_rate", f"ndcg_at_{n}"], np.nan
        )
        if explicit and model in MODELS:
            row.update(cross_validate(interactions, model, folds=folds, random_state=random_state))
        if relevant is not None:
            row.update(
                evaluate_ranking(train, relevant, model, n=n, max_customers=max_customers, random_state=random_state)
            )
        row["seconds"] = time.perf_counter() - start
        rows[model] = row
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("model")
    evaluated = 0 if relevant is None else relevant["customer_id"].nunique()
    evaluated = evaluated if max_customers is None else min(evaluated, max_customers)
    if not explicit or table.drop(index=POPULARITY)["rmse"].isna().all():
        if relevant is None:
            rule = Message(N_("no purchases held out to check models on"))
            return Comparison(table, POPULARITY, interactions.source, rule, judge_implicit(None))
        keys = ["hit_rate", f"recall_at_{n}", f"precision_at_{n}"]
        best = str(table.sort_values(keys, ascending=False, kind="stable").index[0])
        rule = Message(
            N_("highest hit rate on each customer's most recent purchases (top {n}), popularity included"), n=n
        )
        chance = chance_hit_rate(train.ratings, relevant, n)
        verdict = judge_implicit(table, best, chance, evaluated, n)
        return Comparison(table, best, interactions.source, rule, verdict)
    best = str(table.drop(index=POPULARITY)["rmse"].idxmin())
    rule = Message(N_("lowest RMSE in {folds}-fold cross-validation"), folds=folds)
    baseline = "BaselineOnly"
    if baseline in table.index:
        baseline_rmse = float(table.at[baseline, "rmse"])
    else:
        baseline_rmse = cross_validate(interactions, baseline, folds=folds, random_state=random_state)["rmse"]
    mean_rmse = mean_rating_rmse(interactions, folds=folds, random_state=random_state)
    chance = None
    if relevant is not None:
        chance = chance_hit_rate(train.ratings, relevant, n)
    verdict = judge_explicit(table, best, baseline_rmse, mean_rmse, chance, evaluated, n)
    return Comparison(table, best, interactions.source, rule, verdict)
