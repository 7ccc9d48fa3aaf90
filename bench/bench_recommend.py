"""Top-10 for all 943 MovieLens-100k users, the per-pair way and `Recommender.top_n`'s way.

Default (factor models: SVD, SVD++, NMF, BaselineOnly): Surprise's own `test()` over the anti-testset vs
`top_n`; the lists must be equal (target, issue 6: at least 20x).
--per-pair (SlopeOne, CoClustering, KNN): `top_n` ranking scores from Surprise's `estimate` called once per
(user, item) pair (the loop `top_n` used before issue 15) vs `top_n` with the vectorised scorers; lists and
scores must be identical. Prints wall and CPU seconds and the speed-up. Needs
../shared/data/ml100k_ratings.csv beside the project.

Usage: python bench/bench_recommend.py [MODEL]        (default SVD)
       python bench/bench_recommend.py --per-pair [MODEL ...]
                                                      (default SlopeOne, CoClustering, "KNNBasic (user, cosine)")
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insight import recommend  # noqa: E402
from insight.recommend.fast_scores import pairwise_scores  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ml100k_ratings.csv"
PER_PAIR_DEFAULT = ("SlopeOne", "CoClustering", "KNNBasic (user, cosine)")


def movielens() -> recommend.Interactions:
    ratings = pd.read_csv(DATA).rename(columns={"user_id": "customer_id"})
    return recommend.make_interactions(recommend.explicit_ratings(ratings), "ratings")


def fitted(model: str, interactions: recommend.Interactions) -> tuple[recommend.Recommender, float]:
    start = time.perf_counter()
    rec = recommend.Recommender(model).fit(interactions)
    return rec, time.perf_counter() - start


def timed(call):
    """(result, wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = call()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def surprise_top_n(algo, n: int = 10) -> dict[str, list[str]]:
    """Surprise's FAQ recipe: predict every unseen (user, item) pair, sort each user's predictions."""
    predictions = algo.test(algo.trainset.build_anti_testset())
    by_user = defaultdict(list)
    for p in predictions:
        by_user[p.uid].append((p.iid, p.est))
    return {
        uid: [iid for iid, _ in sorted(rows, key=lambda r: r[1], reverse=True)[:n]] for uid, rows in by_user.items()
    }


def against_surprise_test(model: str) -> None:
    interactions = movielens()
    rec, fit = fitted(model, interactions)
    theirs, surprise_s, _ = timed(lambda: surprise_top_n(rec.algo_))
    top, ours_s, _ = timed(lambda: rec.top_n(10))
    ours = top.groupby("customer_id")["item_id"].apply(list).to_dict()
    same = sum(ours.get(uid) == items for uid, items in theirs.items())
    print(f"model {model}: fit {fit:.2f} s on {len(interactions.ratings):,} ratings")
    print(f"top-10 for {len(theirs)} users: Surprise test() {surprise_s:.2f} s, ours {ours_s:.3f} s")
    print(f"speed-up {surprise_s / ours_s:.0f}x (target >= 20x); identical lists for {same}/{len(theirs)} users")


def against_per_pair_loop(models: list[str]) -> None:
    interactions = movielens()
    for model in models:
        rec, fit = fitted(model, interactions)
        after, after_wall, after_cpu = timed(lambda rec=rec: rec.top_n(10))
        vectorised = rec.scores

        def per_pair(users: np.ndarray, rec=rec) -> np.ndarray:
            est = pairwise_scores(rec.algo_, users, rec.rating_scale_)
            est[rec.seen_[users].nonzero()] = -np.inf
            return est

        rec.scores = per_pair
        before, before_wall, before_cpu = timed(lambda rec=rec: rec.top_n(10))
        rec.scores = vectorised
        identical = before.equals(after)
        print(
            f"{model}: fit {fit:.1f} s; top-10 for {after['customer_id'].nunique()} users: per-pair loop "
            f"{before_wall:.1f} s wall / {before_cpu:.1f} s CPU, vectorised {after_wall:.2f} s / {after_cpu:.2f} s; "
            f"speed-up {before_wall / after_wall:.0f}x wall, {before_cpu / after_cpu:.0f}x CPU; "
            f"lists and scores identical: {identical}",
            flush=True,
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--per-pair"]:
        against_per_pair_loop(sys.argv[2:] or list(PER_PAIR_DEFAULT))
    else:
        against_surprise_test(*sys.argv[1:2])
