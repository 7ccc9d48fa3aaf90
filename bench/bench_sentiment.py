"""Sentiment scoring speed: nltk's analyzer in a loop vs `insight.sentiment.score`, on the same 100,000 distinct
review sentences.

Sentences are generated deterministically to read like a feedback export: stock replies ("Great!", "Fast
delivery, thanks") and composed sentences with product names, intensifiers, negations, "but" clauses, capitals,
exclamation marks, days and order numbers; every one is distinct, so nothing is saved by scoring a repeat once.
Both runs happen in this process, alternated `--repeat` times (best time of each reported, as timeit does, since
other work on the machine only ever slows a run down); the four scores are checked to be identical to nltk's
every time. This process is single-threaded, so `score` forks fresh workers on every run (their start-up is always
paid). CPU seconds (this process plus its finished workers) are printed too: on a busy shared machine they show
what the wall time would be on idle cores.

    python bench/bench_sentiment.py [--n 100000] [--repeat 3]
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
from insight.sentiment.vader import OfflineVader, lexicon_path  # noqa: E402

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


INTENSIFIERS = ["", "really ", "very ", "not ", "never ", "so ", "extremely ", "kind of ", "barely "]
ADJECTIVES = ["good", "bad", "great", "awful", "fine", "nice", "terrible", "ok", "amazing", "disappointing"]


def sentence(rng: random.Random) -> str:
    """One review sentence: a stock reply, or a composed one (see the module docstring)."""
    kind = rng.random()
    if kind < 0.1:
        return rng.choice(STOCK) + rng.choice(["", "!", "!!", " :)", " :(", "?"])
    product = rng.choice(PRODUCTS)
    if kind < 0.55:
        opener = rng.choice(OPENERS).format(p=product)
        middle = rng.choice(MIDDLES).format(d=rng.randint(2, 21))
        text = f"{opener} {middle}"
    else:
        adjective = rng.choice(INTENSIFIERS) + rng.choice(ADJECTIVES)
        text = f"The {product} is {adjective.upper() if rng.random() < 0.05 else adjective}"
        if rng.random() < 0.4:
            text += f" but the {rng.choice(PRODUCTS)} was {rng.choice(INTENSIFIERS)}{rng.choice(ADJECTIVES)}"
    tail = rng.choice(TAILS).format(o=rng.randint(10_000, 99_999)).rstrip(".!")
    return f"{text}, {tail.lower()}{rng.choice(['.', '!', '!!', '?'])}" if tail else f"{text}{rng.choice('.!?')}"


def generate(n: int, seed: int = 0) -> list[str]:
    """n distinct review sentences, in a fixed order for a seed."""
    rng = random.Random(seed)
    texts: dict[str, None] = {}
    while len(texts) < n:
        texts[sentence(rng)] = None
    return list(texts)


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
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    analyzer = OfflineVader(lexicon_path().read_text(encoding="utf-8"))  # nltk's own analyzer, its own scoring
    assert type(analyzer).polarity_scores is SentimentIntensityAnalyzer.polarity_scores
    cores = os.cpu_count() or 1
    print(f"{len(texts):,} distinct sentences; {cores} cores; best of {args.repeat}; uptime {os.getloadavg()}")

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
