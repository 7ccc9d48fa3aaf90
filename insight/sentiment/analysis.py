"""Scored feedback and what it says: shares, agreement with stars and labels, trend, quotes, per customer
and per segment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from insight.errors import NotEnoughData, SchemaError
from insight.formats import count, language_name, number
from insight.i18n import N_, _, join
from insight.sentiment.labels import label_agreement, label_confusion, people_shares
from insight.sentiment.language import LANGUAGE_NAMES
from insight.sentiment.language import language_name as english_language_name
from insight.sentiment.scoring import Progress, score
from insight.sentiment.themes import by_language
from insight.sentiment.vader import NEGATIVE_AT


@dataclass
class FeedbackAnalysis:
    """Scored feedback and what it says.

    `scored` is the standard feedback frame (`text` and, when present, `customer_id`, `timestamp`,
    `rating`) with the `score` columns. `measure` names the score used per customer (`compound` or
    `sentence_compound`) and `measure_reason` says why (in the active language); `agreement` holds each one's Spearman
    correlation with the star ratings (None without ratings); `themes` the complaint and praise themes
    (per language, see `themes.by_language`); `models` how many texts each model scored; `unreadable` how many
    texts are in a language no model here reads, by English language name. It holds no translated text: the
    notes are written when they are read, in the reader's language.
    """

    scored: pd.DataFrame
    skipped: dict[str, int]
    non_english: int
    measure: str
    agreement: dict[str, float] | None = None
    themes: pd.DataFrame = field(default_factory=pd.DataFrame)
    models: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)

    @property
    def texts(self) -> int:
        """Feedback rows, scored or not."""
        return len(self.scored)

    @property
    def valid(self) -> pd.DataFrame:
        """The rows that were scored."""
        return self.scored[self.scored["skipped"].isna()]

    def shares(self) -> pd.DataFrame:
        """Texts and share per label (positive, neutral, negative) among the scored texts."""
        counts = self.valid["label"].value_counts().reindex(["positive", "neutral", "negative"], fill_value=0)
        return pd.DataFrame(
            {"label": counts.index, "texts": counts.to_numpy(), "share": counts.to_numpy() / max(1, counts.sum())}
        )

    def trend(self) -> pd.DataFrame:
        """Mean sentiment, texts and share negative per day, week or month (see `trust.sentiment_trend`)."""
        from insight.sentiment.trust import sentiment_trend

        return sentiment_trend(self.scored)

    def by_rating(self) -> pd.DataFrame:
        """Texts and mean scores per star rating (empty without ratings)."""
        return rating_table(self.scored)

    def disagreements(self, n: int = 10) -> pd.DataFrame:
        """The texts whose stars and words disagree most."""
        return disagreements(self.scored, n)

    def label_agreement(self) -> dict[str, Any] | None:
        """How far the scores agree with the people's own labels (per class too), or None without them."""
        return label_agreement(self.scored)

    def people_shares(self) -> pd.DataFrame | None:
        """The shares the people gave (positive, neutral, negative) beside the model's, or None without labels."""
        return people_shares(self.scored)

    def label_confusion(self) -> pd.DataFrame | None:
        """Texts per (what the people said, what the model says), or None without labels."""
        return label_confusion(self.scored)

    def extremes(self, side: str = "negative", n: int = 5) -> pd.DataFrame:
        """The n most positive or negative distinct texts."""
        return extremes(self.scored, side, n)

    def per_customer(self) -> pd.DataFrame:
        """Mean sentiment and texts per customer, with the measure that agrees best with the stars."""
        return per_customer(self.valid, self.measure)

    def models_note(self) -> str:
        """Which model scored how many texts, what each is and how well it did on labelled reviews, in words."""
        from insight.sentiment.cards import models_note

        return models_note(self.models)

    @property
    def measure_reason(self) -> str:
        """Why the per-customer figures use `measure`, in the active language."""
        if self.agreement is None:
            return _("No star ratings to compare with, so each text is scored as a whole.")
        best = number(self.agreement[self.measure])
        other = number(self.agreement["sentence_compound" if self.measure == "compound" else "compound"])
        if self.measure == "compound":
            reason = _(
                "Whole-text scores agree better with the star ratings (Spearman {best} vs {other} for sentence-level "
                "scores), so per-customer figures use them."
            )
        else:
            reason = _(
                "Sentence-level scores agree better with the star ratings (Spearman {best} vs {other} for whole-text "
                "scores), so per-customer figures use them."
            )
        return reason.format(best=best, other=other)

    def unreadable_note(self) -> str | None:
        """The texts in a language no model here reads, with the languages named; None when there are none."""
        if not self.non_english:
            return None
        codes = {name: code for code, name in LANGUAGE_NAMES.items()}
        parts = [
            _("{n} in {language}").format(
                n=count(n), language=language_name(codes.get(name)) or _("an unidentified language")
            )
            for name, n in self.unreadable.items()
        ]
        return _(
            "{n} of the texts are in a language no model here reads ({languages}). Their scores are unreliable; "
            "they are left out of the themes and the quotes below."
        ).format(n=count(self.non_english), languages=join(parts))


def analyze(feedback: pd.DataFrame, *, progress: Progress | None = None, n_jobs: int | None = None) -> FeedbackAnalysis:
    """Score a standard feedback frame and work out agreement with stars and the themes."""
    if "text" not in feedback.columns:
        raise SchemaError(
            N_(
                "The feedback file has no text column. On the Data page, mark the column that holds the "
                "comments as 'text'."
            )
        )
    scores = score(feedback["text"], progress=progress, n_jobs=n_jobs)
    base = feedback.reset_index(drop=True).rename(columns={"label": "label_value"})  # the people's own label
    scored = pd.concat([base.drop(columns=scores.columns, errors="ignore"), scores], axis=1)
    valid = scored[scored["skipped"].isna()]
    if valid.empty:
        raise NotEnoughData(
            N_(
                "None of the {n:,} feedback texts could be scored: they are all empty or not text. Check "
                "on the Data page that the 'text' role points at the column holding the comments."
            ),
            n=len(scored),
        )
    agreement = _agreement(valid)
    measure = "compound" if agreement is None else max(agreement, key=lambda k: (agreement[k], k == "compound"))
    skipped = scored["skipped"].value_counts().to_dict()
    foreign = valid[valid["non_english"]]
    unreadable = foreign["language"].astype(object).map(english_language_name).value_counts().to_dict()
    return FeedbackAnalysis(
        scored=scored,
        skipped={str(k): int(v) for k, v in skipped.items()},
        non_english=len(foreign),
        measure=measure,
        agreement=agreement,
        themes=by_language(valid),
        models={str(k): int(v) for k, v in valid["model"].value_counts().items()},
        unreadable={str(k): int(v) for k, v in unreadable.items()},
    )


def _agreement(valid: pd.DataFrame) -> dict[str, float] | None:
    if "rating" not in valid.columns:
        return None
    rated = valid.dropna(subset=["rating"])
    if len(rated) < 3 or rated["rating"].nunique() < 2:
        return None
    rho = {m: rated["rating"].corr(rated[m], method="spearman") for m in ("compound", "sentence_compound")}
    if any(pd.isna(v) for v in rho.values()):
        return None
    return {k: float(v) for k, v in rho.items()}


def monthly_trend(scored: pd.DataFrame) -> pd.DataFrame:
    """Mean compound, texts and share negative per calendar month (empty without dates)."""
    columns = ["month", "texts", "mean_compound", "share_negative"]
    if "timestamp" not in scored.columns:
        return pd.DataFrame(columns=columns)
    valid = scored[scored["skipped"].isna()].dropna(subset=["timestamp"])
    if valid.empty:
        return pd.DataFrame(columns=columns)
    month = pd.to_datetime(valid["timestamp"]).dt.to_period("M").dt.to_timestamp()
    out = valid.assign(month=month, negative=valid["label"] == "negative").groupby("month")
    return out.agg(
        texts=("compound", "size"), mean_compound=("compound", "mean"), share_negative=("negative", "mean")
    ).reset_index()


def rating_table(scored: pd.DataFrame) -> pd.DataFrame:
    """Texts and mean scores per star rating (empty without ratings)."""
    columns = ["rating", "texts", "mean_compound", "mean_sentence_compound"]
    if "rating" not in scored.columns:
        return pd.DataFrame(columns=columns)
    valid = scored[scored["skipped"].isna()].dropna(subset=["rating"])
    table = valid.groupby("rating").agg(
        texts=("compound", "size"),
        mean_compound=("compound", "mean"),
        mean_sentence_compound=("sentence_compound", "mean"),
    )
    return table.reset_index()[columns]


def disagreements(scored: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The texts whose stars and words disagree most (stars rescaled to -1..1 against the compound)."""
    if "rating" not in scored.columns:
        return pd.DataFrame(columns=["customer_id", "rating", "compound", "gap", "text"])
    valid = scored[scored["skipped"].isna() & ~scored["non_english"]].dropna(subset=["rating"])
    low, high = valid["rating"].min(), valid["rating"].max()
    if valid.empty or high == low:
        return pd.DataFrame(columns=["customer_id", "rating", "compound", "gap", "text"])
    stars = 2 * (valid["rating"] - low) / (high - low) - 1
    out = valid.assign(gap=(valid["compound"] - stars).abs()).nlargest(n, "gap")
    return out[[c for c in ("customer_id", "rating", "compound", "gap", "text") if c in out.columns]]


def extremes(scored: pd.DataFrame, side: str = "negative", n: int = 5) -> pd.DataFrame:
    """The n most positive or most negative distinct texts with customer id (ties: the longer text first)."""
    if side not in ("positive", "negative"):
        raise ValueError(f"side must be 'positive' or 'negative', got {side!r}")
    valid = scored[scored["skipped"].isna() & ~scored["non_english"]]
    order = valid.assign(_len=valid["text"].str.len()).sort_values(
        ["compound", "_len"], ascending=[side == "negative", False], kind="stable"
    )
    order = order.drop_duplicates("text")
    return order.head(n)[[c for c in ("customer_id", "timestamp", "rating", "compound", "text") if c in order.columns]]


def per_customer(scored: pd.DataFrame, measure: str = "compound") -> pd.DataFrame:
    """Mean sentiment and number of scored texts per customer: `customer_id, mean_sentiment, n_feedback`."""
    if "customer_id" not in scored.columns:
        return pd.DataFrame({"customer_id": pd.Series(dtype="string"), "mean_sentiment": [], "n_feedback": []})
    valid = scored[scored["skipped"].isna()].dropna(subset=["customer_id"])
    out = valid.groupby("customer_id").agg(mean_sentiment=(measure, "mean"), n_feedback=(measure, "size"))
    return out.reset_index().astype({"customer_id": "string", "n_feedback": int})


def join_customers(customers: pd.DataFrame, sentiment: pd.DataFrame) -> pd.DataFrame:
    """The customer table with `mean_sentiment` (NaN without feedback) and `n_feedback` (0) added."""
    base = customers.drop(columns=["mean_sentiment", "n_feedback"], errors="ignore")
    out = base.merge(sentiment, on="customer_id", how="left")
    out["n_feedback"] = out["n_feedback"].fillna(0).astype(int)
    return out


def segment_sentiment(sentiment: pd.DataFrame, segments: Mapping[str, Any] | pd.Series) -> pd.DataFrame:
    """Sentiment per segment from per-customer sentiment and a customer -> segment mapping.

    Columns: `segment`, `customers` (with feedback), `texts`, `mean_sentiment` (mean over those
    customers), `share_unhappy` (customers whose mean is negative).
    """
    mapping = segments if isinstance(segments, pd.Series) else pd.Series(dict(segments))
    mapping.index = mapping.index.astype(str)
    seg = sentiment.assign(segment=sentiment["customer_id"].astype(str).map(mapping)).dropna(subset=["segment"])
    table = seg.assign(unhappy=seg["mean_sentiment"] <= NEGATIVE_AT).groupby("segment", observed=True)
    out = table.agg(
        customers=("customer_id", "size"),
        texts=("n_feedback", "sum"),
        mean_sentiment=("mean_sentiment", "mean"),
        share_unhappy=("unhappy", "mean"),
    )
    return out.reset_index().sort_values("mean_sentiment", kind="stable", ignore_index=True)
