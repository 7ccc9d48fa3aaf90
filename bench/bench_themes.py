"""Themes speed: CPU seconds to find the themes of the ChnSentiCorp hotel reviews (Chinese, segmented by rjieba) and
of the UCI labelled sentences (English), on the files' own labels, and the first use of the Chinese catalogue.

    python bench/bench_themes.py [--repeat 3]

Best of `--repeat` runs (process CPU time, so other work on the shared machine does not count); the first
Chinese run also pays rjieba's dictionary load and the word caches. Needs ../shared/data beside the project.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"

from insight import i18n  # noqa: E402
from insight.sentiment.themes import themes  # noqa: E402


def _frames() -> dict[str, pd.DataFrame]:
    hotel = pd.read_csv(SHARED / "chnsenticorp_htl_all.csv").dropna()
    uci = pd.concat(
        pd.read_csv(p, sep="\t", header=None, names=["text", "label"], quoting=csv.QUOTE_NONE)
        for p in sorted((SHARED / "sentiment_labelled_sentences").glob("*_labelled.txt"))
    )
    words = {0: "negative", 1: "positive"}
    return {
        "zh": pd.DataFrame({"text": hotel["review"], "label": hotel["label"].map(words)}),
        "en": pd.DataFrame({"text": uci["text"], "label": uci["label"].map(words)}),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = time.process_time()
    i18n.translations("zh")
    print(f"Chinese catalogue, first use: {time.process_time() - start:.2f} s CPU")
    for lang, frame in _frames().items():
        runs = []
        for _run in range(args.repeat):
            start = time.process_time()
            found = themes(frame, language=lang)
            runs.append(time.process_time() - start)
        top = ", ".join(found.loc[found["side"] == "negative", "term"].head(5))
        print(
            f"{lang}: {len(frame):,} texts, themes in {min(runs):.2f} s CPU (first run {runs[0]:.2f} s); "
            f"top complaints: {top}"
        )


if __name__ == "__main__":
    main()
