"""Sentiment scoring speed: nltk's analyzer in a loop vs `insight.sentiment.score`, on the same 100,000 texts.

Texts are generated deterministically to look like a feedback export: a third are short stock replies
repeated many times ("Great!", "Fast delivery, thanks"), the rest are composed reviews of one to four
sentences with product names, days and order numbers, so most of them are distinct. Both runs happen in
this process, alternated `--repeat` times (best time of each reported, as timeit does, since other
work on the machine only ever slows a run down); scores are checked to be identical every time.
Worker processes are stopped before each of our runs, so their start-up is always paid.

    /work/venv/bin/python bench/bench_sentiment.py [--n 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from insight import sentiment  # noqa: E402

STOCK = [
    "Great!",
    "Fast delivery, thanks",
    "ok",
    "Love it",
    "Terrible service.",
    "Item arrived damaged",
    "Would buy again",
    "Not as described",
    "Excellent quality!!",
    "Delivery was late again.",
    "meh",
    "Perfect, thank you :)",
    "Refund took forever",
    "Good value for money",
    "Never again.",
    "Five stars",
    "The box was crushed",
    "Nice",
    "Customer service was very helpful",
    "Too expensive for what it is",
]
PRODUCTS = ["mug", "teapot", "scarf", "candle", "notebook", "lamp", "backpack", "blanket", "jacket", "kettle"]
OPENERS = [
    "I ordered the {p}",
    "Bought a {p} for my sister",
    "Got the {p} last week",
    "The {p} came today",
    "Second {p} I buy",
]
MIDDLES = [
    "and it arrived {d} days late",
    "and the packaging was damaged",
    "and it looks even better than the photos",
    "but the colour is not what I expected",
    "and the quality is really good",
    "but delivery took {d} days",
    "and it broke after {d} weeks",
    "and it works perfectly",
]
TAILS = [
    "Order #{o}.",
    "Customer service never answered my emails.",
    "Will definitely order again!",
    "Really disappointed.",
    "Thanks a lot!",
    "The courier left it in the rain.",
    "Highly recommend this shop.",
    "I want a refund for order {o}.",
    "",
]


def generate(n: int, seed: int = 0) -> list[str]:
    """n feedback texts: ~1/3 repeated stock replies, the rest composed reviews (mostly distinct)."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        if rng.random() < 1 / 3:
            texts.append(rng.choice(STOCK))
            continue
        parts = []
        for _ in range(rng.randint(1, 3)):
            opener = rng.choice(OPENERS).format(p=rng.choice(PRODUCTS))
            middle = rng.choice(MIDDLES).format(d=rng.randint(2, 21))
            parts.append(f"{opener} {middle}.")
        parts.append(rng.choice(TAILS).format(o=rng.randint(10_000, 99_999)))
        texts.append(" ".join(p for p in parts if p))
    return texts


def _cold() -> None:
    """Stop idle worker processes so every timed run of ours pays their start-up, as a first run would."""
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="alternate the runs this many times; report the best")
    args = parser.parse_args()
    texts = generate(args.n)
    analyzer = sentiment.analyzer()
    print(f"{len(texts):,} texts, {len(set(texts)):,} distinct; {os.cpu_count()} cores; best of {args.repeat}")

    times: dict[str, list[float]] = {"loop": [], "ours": [], "full": []}
    for _ in range(args.repeat):
        start = time.perf_counter()
        loop = [analyzer.polarity_scores(t) for t in texts]
        times["loop"].append(time.perf_counter() - start)

        _cold()
        start = time.perf_counter()
        ours = sentiment.score(texts, sentence_level=False)
        times["ours"].append(time.perf_counter() - start)
        for col in ("neg", "neu", "pos", "compound"):
            worst = max(abs(a[col] - b) for a, b in zip(loop, ours[col], strict=True))
            assert worst == 0, f"{col} differs from nltk by {worst}"

        _cold()
        start = time.perf_counter()
        full = sentiment.score(texts)
        times["full"].append(time.perf_counter() - start)
        assert full["compound"].equals(ours["compound"])
        print("  runs (s): " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in times.items()))

    best = {k: min(v) for k, v in times.items()}
    print("scores identical to nltk: yes")
    print(f"nltk loop (whole texts):                      {best['loop']:7.2f} s")
    print(f"insight score (whole texts):                  {best['ours']:7.2f} s")
    print(f"insight score (whole texts + sentence level): {best['full']:7.2f} s")
    print(f"speed-up, same work (whole texts):          {best['loop'] / best['ours']:5.2f}x (target >= 2x)")
    print(f"speed-up, ours also scoring every sentence: {best['loop'] / best['full']:5.2f}x")


if __name__ == "__main__":
    main()
