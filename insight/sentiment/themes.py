"""What customers talk about: words and phrases over-represented in negative vs positive texts."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd

from insight.sentiment.scoring import sentences
from insight.sentiment.vader import analyzer


def themes(valid: pd.DataFrame, n: int = 15, min_texts: int = 3) -> pd.DataFrame:
    """Words and two-word phrases most over-represented in negative vs positive texts, and the reverse.

    Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) on
    presence per text; English stop words are removed and single words that carry sentiment themselves
    ("terrible", "love") are left out, so what remains is what people talk about. Columns: `side`
    (negative/positive), `term`, `z` (how strongly over-represented), `negative_texts`, `positive_texts`
    and `related` (terms found in exactly the same texts, folded into this one).
    """
    from sklearn.feature_extraction.text import CountVectorizer

    columns = ["side", "term", "z", "negative_texts", "positive_texts", "related"]
    neg, pos = valid["label"] == "negative", valid["label"] == "positive"
    if neg.sum() < min_texts or pos.sum() < min_texts:
        return pd.DataFrame(columns=columns)
    texts = valid.loc[neg | pos, "text"]
    per_sentence = CountVectorizer(stop_words="english", ngram_range=(1, 2)).build_analyzer()
    vec = CountVectorizer(
        analyzer=lambda text: [term for part in sentences(text) for term in per_sentence(part)],
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
    table = table[table["term"].str.contains(" ") | ~table["term"].isin(list(lexicon))]
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
