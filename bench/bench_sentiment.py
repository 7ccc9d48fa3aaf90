"""Sentiment scoring speed: nltk's analyzer in a loop vs `insight.sentiment.score`, on the same 100,000 texts.

Texts are generated deterministically to look like a feedback export: a third are short stock replies
repeated many times ("Great!", "Fast delivery, thanks"), the rest are composed reviews of one to four
sentences with product names, days and order numbers, so most of them are distinct. Both runs happen in
this process, alternated `--repeat` times (best time of each reported, as timeit does, since other
work on the machine only ever slows a run down); scores are checked to be identical every time. This
process is single-threaded, so `score` forks fresh workers on every run (their start-up is always paid).
CPU seconds (this process plus its finished workers) are printed too: on a busy shared machine they
show what the wall time would be on idle cores.

    /work/venv/bin/python bench/bench_sentiment.py [--n 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished child processes (the forked workers)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _timed(run: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    out = run()
    return out, time.perf_counter() - wall, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="alternate the runs this many times; report the best")
    args = parser.parse_args()
    texts = generate(args.n)
    analyzer = sentiment.analyzer()
    cores = os.cpu_count() or 1
    print(f"{len(texts):,} texts, {len(set(texts)):,} distinct; {cores} cores; best of {args.repeat}")

    wall: dict[str, list[float]] = {"loop": [], "ours": [], "full": []}
    cpu: dict[str, list[float]] = {"loop": [], "ours": [], "full": []}
    for _ in range(args.repeat):
        loop, w, c = _timed(lambda: [analyzer.polarity_scores(t) for t in texts])
        wall["loop"].append(w)
        cpu["loop"].append(c)
        ours, w, c = _timed(lambda: sentiment.score(texts, sentence_level=False))
        wall["ours"].append(w)
        cpu["ours"].append(c)
        for col in ("neg", "neu", "pos", "compound"):
            worst = max(abs(a[col] - b) for a, b in zip(loop, ours[col], strict=True))
            assert worst == 0, f"{col} differs from nltk by {worst}"
        full, w, c = _timed(lambda: sentiment.score(texts))
        wall["full"].append(w)
        cpu["full"].append(c)
        assert full["compound"].equals(ours["compound"])
        print("  wall (s): " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in wall.items()))

    best = {k: min(v) for k, v in wall.items()}
    work = {k: min(v) for k, v in cpu.items()}
    print("scores identical to nltk: yes")
    print(f"{'':46s} {'wall s':>7s} {'CPU s':>7s}")
    print(f"{'nltk loop (whole texts)':46s} {best['loop']:7.2f} {work['loop']:7.2f}")
    print(f"{'insight score (whole texts)':46s} {best['ours']:7.2f} {work['ours']:7.2f}")
    print(f"{'insight score (whole texts + sentence level)':46s} {best['full']:7.2f} {work['full']:7.2f}")
    print(f"speed-up, same work (whole texts):          {best['loop'] / best['ours']:5.2f}x (target >= 2x)")
    print(f"speed-up, ours also scoring every sentence: {best['loop'] / best['full']:5.2f}x")
    print(
        f"on {cores} idle cores (CPU / cores, the work being spread evenly): whole texts "
        f"{work['loop'] / (work['ours'] / cores):.2f}x, with sentences {work['loop'] / (work['full'] / cores):.2f}x"
    )


if __name__ == "__main__":
    main()
