"""What customers talk about: words and phrases over-represented in negative vs positive texts, per language
(English words through scikit-learn's tokenizer, Chinese words through `zh_words`), each with a quote."""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np
import pandas as pd

from insight.sentiment import zh_words
from insight.sentiment.scoring import VADER_MODEL, sentences
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


COLUMNS = ["side", "term", "z", "negative_texts", "positive_texts", "related", "example", "language"]
QUOTE_CHARS = 160  # a longer example is cut to this many characters around the theme
QUOTE_MIN_CHARS = 12  # the example is the shortest text of that side using the theme, of at least this length
LANGUAGES = ("en", "zh")  # the languages themes are found in: those a model here scores


def _english_terms():
    """Per text: words of two or more letters and two-word phrases, sentence by sentence, without English stop
    words, links, handles and contraction fragments."""
    from sklearn.feature_extraction.text import CountVectorizer

    stop = list(CountVectorizer(stop_words="english").get_stop_words() | FRAGMENTS)
    per_sentence = CountVectorizer(stop_words=stop, ngram_range=(1, 2), token_pattern=_WORD).build_analyzer()
    return lambda text: [term for part in sentences(clean_text(text)) for term in per_sentence(part)]


def _english_feeling(terms: pd.Series) -> pd.Series:
    """Terms made only of words that carry sentiment themselves ("terrible", "amazing love")."""
    lexicon = analyzer().lexicon
    return terms.map(lambda term: all(word in lexicon for word in term.split()))


def by_language(valid: pd.DataFrame, n: int = 15, min_texts: int = 3) -> pd.DataFrame:
    """The themes of each language a model here scores, found apart (English texts scored by VADER, Chinese texts
    by the Chinese model) and put together, strongest first on each side; `language` says whose they are."""
    english = valid["model"] == VADER_MODEL if "model" in valid else pd.Series(True, index=valid.index)
    if "non_english" in valid:
        english &= ~valid["non_english"].astype(bool)
    chinese = valid["language"] == "zh" if "language" in valid else pd.Series(False, index=valid.index)
    parts = ((english, "en"), (chinese, "zh"))
    found = [f for mask, lang in parts if len(f := themes(valid[mask.fillna(False)], n, min_texts, lang))]
    if not found:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(found, ignore_index=True)
    order = out.assign(positive=out["side"] == "positive").sort_values(["positive", "z"], ascending=[True, False])
    return order.drop(columns="positive").reset_index(drop=True)


def themes(valid: pd.DataFrame, n: int = 15, min_texts: int = 3, language: str = "en") -> pd.DataFrame:
    """Words and phrases most over-represented in negative vs positive texts of one language, and the reverse.

    Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) on presence per
    text. English: stop words, links, @handles, numbers and contraction fragments ("ll") are removed, and terms
    made only of words that carry sentiment themselves ("terrible", "amazing love") are left out. Chinese
    (`language="zh"`): nouns and their two-word phrases of two or more characters, without stop words or
    words of feeling (`zh_words`). What remains is what people talk about. Columns: `side`
    (negative/positive), `term`, `z` (how strongly over-represented), `negative_texts`, `positive_texts`,
    `related` (terms found in exactly the same texts, folded into this one), `example` (a short text of that
    side that uses the term) and `language`.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    neg, pos = valid["label"] == "negative", valid["label"] == "positive"
    if neg.sum() < min_texts or pos.sum() < min_texts:
        return pd.DataFrame(columns=COLUMNS)
    chosen = valid.loc[neg | pos]
    vec = CountVectorizer(
        analyzer=_english_terms() if language == "en" else zh_words.terms,  # punctuation ends a Chinese phrase
        binary=True,
        min_df=min(min_texts, len(chosen)),
    )
    try:
        counts = vec.fit_transform(chosen["text"])
    except ValueError:  # nothing left after stop words
        return pd.DataFrame(columns=COLUMNS)
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
            "column": np.arange(len(z)),
        }
    )
    if language == "en":
        table = table[~_english_feeling(table["term"])]
    size = table["term"].str.count(" ") if language == "en" else table["term"].str.len()  # phrases first on ties
    out = []
    for side, sign in (("negative", 1), ("positive", -1)):
        ranked = table[sign * table["z"] > 0].assign(z=lambda d, s=sign: s * d["z"], words=size)
        ranked = ranked.sort_values(["z", "words", "term"], ascending=[False, False, True], kind="stable")
        # terms found in exactly the same texts (parts of one stock phrase) are one theme
        groups = ranked.groupby("texts_key", sort=False)["term"]
        best = ranked.drop_duplicates("texts_key").head(n)
        related = groups.agg(lambda t: ", ".join(t.iloc[1:5]))
        on_side = is_neg if side == "negative" else ~is_neg
        pairs = zip(best["column"], best["term"], strict=True)
        examples = [_example(chosen, columns_csc, c, t, on_side) for c, t in pairs]
        out.append(best.assign(side=side, related=best["texts_key"].map(related).to_numpy(), example=examples))
    return pd.concat(out, ignore_index=True).assign(language=language)[COLUMNS]


def _example(chosen: pd.DataFrame, columns_csc, column: int, term: str, on_side: np.ndarray) -> str:
    """A text of one side that uses the term: the shortest of at least `QUOTE_MIN_CHARS` characters (a short text
    says one thing; the most extreme score can be the model's mistake), cut around the term."""
    rows = columns_csc.indices[columns_csc.indptr[column] : columns_csc.indptr[column + 1]]
    texts = chosen["text"].iloc[rows[on_side[rows]]].astype(str).map(lambda t: " ".join(t.split()))
    lengths = texts.str.len()
    long_enough = texts[lengths >= QUOTE_MIN_CHARS]
    text = long_enough.loc[long_enough.str.len().idxmin()] if len(long_enough) else texts.loc[lengths.idxmax()]
    return quote(text, term)


def quote(text: str, term: str, limit: int = QUOTE_CHARS) -> str:
    """`text` cut to `limit` characters around the first place it uses `term` (or the term's first word)."""
    if len(text) <= limit:
        return text
    lower = text.lower()
    at = lower.find(term)
    if at < 0:
        at = max(lower.find(term.split()[0]), 0)
    start = min(max(0, at - limit // 3), len(text) - limit)
    cut = text[start : start + limit]
    return ("…" if start else "") + cut + ("…" if start + limit < len(text) else "")
