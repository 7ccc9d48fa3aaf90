"""Top-10 for all 943 MovieLens-100k users: Surprise `test()` over the anti-testset vs `Recommender.top_n`.

Both rank the same fitted SVD; the script checks that the lists are equal and prints both times and
the ratio (target, issue 6: at least 20x). Needs ../shared/data/ml100k_ratings.csv beside the project.
Usage: python bench/bench_recommend.py [MODEL]   (default SVD; also SVD++, NMF, BaselineOnly)
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insight import recommend  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ml100k_ratings.csv"


def surprise_top_n(algo, n: int = 10) -> dict[str, list[str]]:
    """Surprise's FAQ recipe: predict every unseen (user, item) pair, sort each user's predictions."""
    predictions = algo.test(algo.trainset.build_anti_testset())
    by_user = defaultdict(list)
    for p in predictions:
        by_user[p.uid].append((p.iid, p.est))
    return {
        uid: [iid for iid, _ in sorted(rows, key=lambda r: r[1], reverse=True)[:n]] for uid, rows in by_user.items()
    }


def main(model: str = "SVD") -> None:
    ratings = pd.read_csv(DATA).rename(columns={"user_id": "customer_id"})
    interactions = recommend.make_interactions(recommend.explicit_ratings(ratings), "ratings")
    start = time.perf_counter()
    rec = recommend.Recommender(model).fit(interactions)
    fit = time.perf_counter() - start

    start = time.perf_counter()
    theirs = surprise_top_n(rec.algo_)
    surprise_s = time.perf_counter() - start

    start = time.perf_counter()
    top = rec.top_n(10)
    ours_s = time.perf_counter() - start

    ours = top.groupby("customer_id")["item_id"].apply(list).to_dict()
    same = sum(ours.get(uid) == items for uid, items in theirs.items())
    print(f"model {model}: fit {fit:.2f} s on {len(interactions.ratings):,} ratings")
    print(f"top-10 for {len(theirs)} users: Surprise test() {surprise_s:.2f} s, ours {ours_s:.3f} s")
    print(f"speed-up {surprise_s / ours_s:.0f}x (target >= 20x); identical lists for {same}/{len(theirs)} users")


if __name__ == "__main__":
    main(*sys.argv[1:2])
