"""Recommendations from purchases: hit rate@10 of each `implicit` model and of popularity, on the shared order logs,
MovieLens-100k treated as purchases and (optionally) a large generated order log; with the seconds each took.

    python bench/bench_purchases.py [--log ORDERS.csv] [--surprise]

Protocol (the app's, `insight.recommend.evaluate`): the purchase stars of `implicit_ratings` (one row per customer
and item, timestamp = first purchase). Every customer with 5 or more items has their most recent fifth (1 to 10
items, by first purchase; ties broken at random, seed 0) held out; the held-out items they kept are what the lists
should find. Each model is fitted on the rest and lists the 10 best items each of those customers has not bought;
hit rate@10 is the share of them with at least one held-out item in the list, recall@10 the share of their
held-out items found, NDCG@10 rewards finding them near the top. Chance: 10 unbought items drawn at random.
MovieLens-100k as purchases: every rating is an interaction weighted by its stars; 1-star ratings count as
returned (never held out as a success, never learned from). `--surprise` adds the Surprise models the app used for
purchases before (SVD, SVD++, BaselineOnly, KNNBaseline item msd), ranked on the same split.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insight import recommend as R  # noqa: E402
from insight.data.dataset import build_dataset  # noqa: E402
from insight.errors import InsightError  # noqa: E402
from insight.recommend.trust import chance_hit_rate  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SURPRISE = ("SVD", "SVD++", "BaselineOnly", "KNNBaseline (item, msd)")


def from_file(path: Path) -> R.Interactions:
    """Purchases of one upload, as the app reads it (InsightError when it has none to learn from)."""
    ds = build_dataset([(path.name, path.read_bytes())])
    if "implicit" not in R.sources(ds):
        raise InsightError("no orders with both a customer and an item column")
    return R.interactions_from_dataset(ds, "implicit")


def movielens() -> R.Interactions:
    """MovieLens-100k's ratings as purchases: each rating one interaction, its stars the weight."""
    df = pd.read_csv(DATA / "ml100k_ratings.csv")
    ratings = pd.DataFrame(
        {
            "customer_id": df["user_id"].astype(str),
            "item_id": df["item_id"].astype(str),
            "rating": df["rating"].astype(float),
            "timestamp": pd.to_datetime(df["timestamp"], unit="s"),
        }
    )
    return R.Interactions(ratings, "implicit", (1.0, 5.0), "MovieLens-100k ratings as purchases")


def report(name: str, inter: R.Interactions, models: list[str]) -> None:
    train, relevant = R.holdout_split(inter)
    chance = chance_hit_rate(train.ratings, relevant, R.TOP_N)
    customers, items = inter.ratings["customer_id"].nunique(), inter.ratings["item_id"].nunique()
    print(
        f"\n{name}: {len(inter.ratings):,} customer-item pairs, {customers:,} customers, {items:,} items; "
        f"{relevant['customer_id'].nunique():,} customers checked; chance hit rate {chance:.1%}"
    )
    print(f"  {'model':24s} {'hit@10':>7s} {'recall':>7s} {'NDCG':>7s} {'seconds':>8s}")
    for model in [*models, R.POPULARITY]:
        start = time.perf_counter()
        m = R.evaluate_ranking(train, relevant, model)
        seconds = time.perf_counter() - start
        print(
            f"  {model:24s} {m['hit_rate']:7.1%} {m['recall_at_10']:7.1%} {m['ndcg_at_10']:7.3f} {seconds:8.1f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, action="append", default=[], help="also this order log (repeatable)")
    parser.add_argument("--surprise", action="store_true", help="also rank the Surprise models on the same split")
    args = parser.parse_args()
    models = [*R.IMPLICIT_FULL, *(SURPRISE if args.surprise else ())]
    exports = sorted(p for p in (DATA / "exports").iterdir() if p.name != "expected.json")
    for path in [*exports, DATA / "cdnow" / "cdnow_master.csv", *args.log]:
        try:
            inter = from_file(path)
        except InsightError as exc:
            if path.parent.name != "exports" or "customer and an item" not in str(exc):
                print(f"\n{path.name}: not evaluated: {exc}")
            continue
        try:
            report(path.name, inter, models)
        except InsightError as exc:
            print(f"\n{path.name}: not evaluated: {exc}")
    report("MovieLens-100k as purchases", movielens(), models)


if __name__ == "__main__":
    main()
