"""What customers talk about: words and phrases over-represented in negative vs positive texts."""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np
import pandas as pd

from insight.sentiment.scoring import sentences
from insight.sentiment.vader import analyzer

_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|[@#]\w+")  # links, e-mail addresses, @handles, #tags
_NOT = re.compile(r"n['’]t\b", re.I)  # "don't" -> "do not": no "don" fragment
_CLITIC = re.compile(r"['’](ll|ve|re|s|d|m)\b", re.I)  # "we'll" -> "we": no "ll" fragment
_WORD = r"(?u)\b[^\W\d_]{2,}\b"  # words of two or more letters: no numbers, no prices, no order numbers
# What is left of contractions typed without an apostrophe ("dont", "ive") or split by one we did not catch.
FRAGMENTS = frozenset(
    [
        "ll",
        "ve",
        "re",
        "don",
        "didn",
        "doesn",
        "isn",
        "wasn",
        "aren",
        "weren",
        "couldn",
        "wouldn",
        "shouldn",
        "won",
        "hasn",
        "haven",
        "hadn",
        "ain",
        "im",
        "ive",
        "id",
        "dont",
        "cant",
        "wont",
        "didnt",
        "doesnt",
        "isnt",
        "wasnt",
        "youre",
        "theyre",
        "thats",
        "theres",
        "whats",
        "ill",
    ]
)


def clean_text(text: str) -> str:
    """The text without links, @handles, e-mail addresses and contraction endings, for finding themes."""
    return _CLITIC.sub("", _NOT.sub(" not", _NOISE.sub(" ", text)))


def themes(valid: pd.DataFrame, n: int = 15, min_texts: int = 3) -> pd.DataFrame:
    """Words and two-word phrases most over-represented in negative vs positive texts, and the reverse.

    Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) on
    presence per text; English stop words, links, @handles, numbers and contraction fragments ("ll") are
    removed, and terms made only of words that carry sentiment themselves ("terrible", "amazing love") are
    left out, so what remains is what people talk about. Columns: `side`
    (negative/positive), `term`, `z` (how strongly over-represented), `negative_texts`, `positive_texts`
    and `related` (terms found in exactly the same texts, folded into this one).
    """
    from sklearn.feature_extraction.text import CountVectorizer

    columns = ["side", "term", "z", "negative_texts", "positive_texts", "related"]
    neg, pos = valid["label"] == "negative", valid["label"] == "positive"
    if neg.sum() < min_texts or pos.sum() < min_texts:
        return pd.DataFrame(columns=columns)
    texts = valid.loc[neg | pos, "text"]
    stop = list(CountVectorizer(stop_words="english").get_stop_words() | FRAGMENTS)
    per_sentence = CountVectorizer(stop_words=stop, ngram_range=(1, 2), token_pattern=_WORD).build_analyzer()
    vec = CountVectorizer(
        analyzer=lambda text: [term for part in sentences(clean_text(text)) for term in per_sentence(part)],
        binary=True,
        min_df=min(min_texts, len(texts)),
    )
    try:
        counts = vec.fit_transform(texts)
    except ValueError:  # nothing left after stop words
        return pd.DataFrame(columns=columns)
    is_neg = neg[neg | pos].to_numpy()
    y_neg = np.asarray(counts[is_neg].sum(axis=0)).ravel().astype(float)
    y_pos = np.asarray(counts[~is_neg].sum(axis=0)).ravel().astype(float)
    total = y_neg + y_pos
    alpha, alpha0 = total, total.sum()  # the prior: the term's frequency in both groups together
    n_neg, n_pos = y_neg.sum(), y_pos.sum()
    delta = np.log((y_neg + alpha) / (n_neg + alpha0 - y_neg - alpha)) - np.log(
        (y_pos + alpha) / (n_pos + alpha0 - y_pos - alpha)
    )
    z = delta / np.sqrt(1 / (y_neg + alpha) + 1 / (y_pos + alpha))
    columns_csc = counts.tocsc()
    table = pd.DataFrame(
        {
            "term": vec.get_feature_names_out(),
            "z": z,
            "negative_texts": y_neg.astype(int),
            "positive_texts": y_pos.astype(int),
            "texts_key": [hash(columns_csc.indices[a:b].tobytes()) for a, b in pairwise(columns_csc.indptr)],
        }
    )
    lexicon = analyzer().lexicon
    only_feeling = table["term"].map(lambda term: all(word in lexicon for word in term.split()))
    table = table[~only_feeling]
    out = []
    for side, sign in (("negative", 1), ("positive", -1)):
        ranked = table[sign * table["z"] > 0].assign(z=lambda d, s=sign: s * d["z"], words=table["term"].str.count(" "))
        ranked = ranked.sort_values(["z", "words", "term"], ascending=[False, False, True], kind="stable")
        # terms found in exactly the same texts (parts of one stock phrase) are one theme
        groups = ranked.groupby("texts_key", sort=False)["term"]
        best = ranked.drop_duplicates("texts_key").head(n)
        related = groups.agg(lambda t: ", ".join(t.iloc[1:5]))
        out.append(best.assign(side=side, related=best["texts_key"].map(related).to_numpy()))
    return pd.concat(out, ignore_index=True)[columns]
