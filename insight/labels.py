"""Words and numbers as a founder reads them: column names in plain words, rounding that fits, money with
its currency, singular and plural right, and uploaded text made inert for the element that shows it.

Shared by the analyses (segment descriptions, churn reasons), the pages, the report and the downloads, so a
table never shows `recency_days` or `7.9208 days`.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from insight.i18n import N_, _

NICE_NAMES = {  # internal column names in words, as they read inside a sentence (translated when shown)
    "customer_id": N_("customer"),
    "recency_days": N_("days since last order"),
    "frequency": N_("orders"),
    "monetary": N_("spend"),
    "avg_order_value": N_("average order"),
    "tenure_days": N_("days as a customer"),
    "purchase_rate_30d": N_("orders per month"),
    "days_between_orders": N_("days between orders"),
    "return_share": N_("share returned"),
    "distinct_items": N_("different items"),
    "first_purchase": N_("first order"),
    "last_purchase": N_("last order"),
    "r_score": N_("recency score (1-5)"),
    "f_score": N_("frequency score (1-5)"),
    "m_score": N_("spend score (1-5)"),
    "rfm_group": N_("RFM group"),
    "churn_risk": N_("churn risk"),
    "predicted_value": N_("predicted value"),
    "value_at_risk": N_("value at risk"),
    "clv_12m": N_("value, next 12 months"),
    "p_alive": N_("chance still active"),
    "next_order": N_("expected next order"),
    "usual_gap_days": N_("usual days between orders"),
    "days_to_next": N_("days to next order"),
    "no_date_because": N_("why no date"),
    "expected_purchases": N_("expected orders"),
    "expected_spend_per_purchase": N_("spend per order"),
    "monetary_value": N_("average repeat order"),
    "repeat_orders": N_("repeat orders"),
    "T": N_("weeks since first order"),
    "recency": N_("weeks between first and last order"),
    "mean_compound": N_("average feeling"),
    "mean_sentence_compound": N_("average feeling per sentence"),
    "compound": N_("feeling (-1 to +1)"),
    "sentence_compound": N_("feeling per sentence"),
    "mean_sentiment": N_("average feeling"),
    "n_feedback": N_("texts"),
    "share_negative": N_("share negative"),
    "share_unhappy": N_("share unhappy"),
    "neg": N_("negative words"),
    "neu": N_("neutral words"),
    "pos": N_("positive words"),
    "rows_removed": N_("rows removed"),
    "values_changed": N_("values changed"),
    "feedback_count": N_("reviews written"),
    "mean_stars": N_("average stars given"),
    "ratings_count": N_("ratings given"),
    "mean_rating": N_("average rating given"),
    "reason_features": N_("reasons"),
    "reasons": N_("why"),
    "hit_rate": N_("hit rate"),
    "precision_at_10": N_("precision in the top 10"),
    "recall_at_10": N_("recall in the top 10"),
    "roc_auc": N_("ROC AUC"),
    "accuracy": N_("accuracy"),
    "precision": N_("precision"),
    "recall": N_("recall"),
    "item_id": N_("item id"),
    "item_name": N_("item"),
    "label": N_("feeling"),
    "label_value": N_("label in the file"),
    "rating": N_("stars"),
    "texts": N_("texts"),
    "gap": N_("gap between stars and words"),
    "text": N_("text"),
    "timestamp": N_("date"),
    "non_english": N_("not English"),
    "skipped": N_("not scored because"),
    "sentences": N_("sentences"),
    "negative_texts": N_("in negative texts"),
    "positive_texts": N_("in positive texts"),
    "related": N_("same texts also say"),
    "side": N_("side"),
    "term": N_("words"),
    "z": N_("how much more often (z)"),
    "rmse": N_("RMSE (rating error)"),
    "mae": N_("MAE (rating error)"),
    "rank": N_("rank"),
    "reason": N_("why"),
    "predicted_stars": N_("predicted stars"),
    "based_on": N_("based on"),
    "table": N_("file"),
    "step": N_("step"),
    "column": N_("column"),
    "detail": N_("detail"),
    "k": N_("segments"),
    "inertia": N_("inertia (spread inside the groups)"),
    "silhouette": N_("silhouette (clear groups near 1)"),
    "calinski_harabasz": N_("Calinski-Harabasz (higher is clearer)"),
    "davies_bouldin": N_("Davies-Bouldin (lower is clearer)"),
}
RFM_GROUP_HELP = N_(
    "RFM group: customers sorted by how Recently they bought, how Frequently and how much Money they spent "
    "(each scored 1-5 against the others), then named: Champions bought lately, often and the most; At risk "
    "used to buy a fair amount but not lately; and so on."
)

FEELINGS = {"negative": N_("negative"), "neutral": N_("neutral"), "positive": N_("positive")}  # a text's feeling


# Common abbreviations in column names, as words (HasCrCard, AcceptedCmp1, Dt_Customer)
ABBREVIATIONS = {
    "acct": "account",
    "addr": "address",
    "amt": "amount",
    "avg": "average",
    "bal": "balance",
    "cmp": "campaign",
    "cnt": "count",
    "cr": "credit",
    "cust": "customer",
    "dept": "department",
    "dt": "date",
    "est": "estimated",
    "freq": "frequency",
    "mgr": "manager",
    "mo": "month",
    "mth": "month",
    "pct": "percent",
    "prev": "previous",
    "prod": "product",
    "prods": "products",
    "qty": "quantity",
    "tot": "total",
    "tx": "transaction",
    "txn": "transaction",
    "yr": "year",
    "yrs": "years",
}
_COUNT_WORDS = ("num", "number", "no", "nr", "n", "cnt", "count")
_NOT_NOUNS = ("a", "an", "the", "there", "it", "this", "that", "not", "no", "any", "some")
_PHRASES = {"year birth": "year of birth", "date customer": "date they became a customer"}


def _split(name: str) -> list[str]:
    """A column name as lowercase words: camelCase, `_`, spaces, hyphens and digits apart (AcceptedCmp1)."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", name)
    return [w for w in re.split(r"[\W_]+", spaced.lower()) if w]


def _singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") and len(word) > 3 else word


def _in_words(parts: list[str]) -> str:
    """Split words read as a phrase: abbreviations expanded, spend per category (`mnt wines` -> 'wine spend'),
    counts ('num web purchases' -> 'number of web purchases'), flags ('has cr card' -> 'has a credit card')."""
    head, rest = parts[0], [ABBREVIATIONS.get(w, w) for w in parts[1:]]
    if head == "mnt" and rest:  # the marketing-campaign lists' amount spent per category
        return " ".join([*rest[:-1], _singular(rest[-1]), "spend"])
    if head in _COUNT_WORDS and rest:
        rest = rest[1:] if rest[0] == "of" else rest
        return " ".join(["number of", *rest]) if rest else "number"
    noun = 0 < len(rest) <= 3 and rest[0] not in _NOT_NOUNS and not rest[-1].endswith("s")
    if noun and (head == "has" or (head == "is" and len(rest) > 1)):  # 'is active' is no noun: no article
        article = "an" if rest[0][0] in "aeiou" else "a"
        return " ".join([head, article, *rest])
    return " ".join([ABBREVIATIONS.get(head, head), *rest])


_SPEND_AFTER = re.compile(r"spend in the (\d+) days after the cutoff")


SKIP_REASONS = {"missing": N_("missing"), "not text": N_("not text"), "empty": N_("empty")}  # why a text was skipped


def nice_name(feature: str) -> str:
    """A column name in words: `recency_days` -> `days since last order`, `MntWines` -> `wine spend`,
    `NumOfProducts` -> `number of products`, `HasCrCard` -> `has a credit card`, `Annual Income (k$)` ->
    `annual income`; a name that cannot be read as words (宝贝种类) is quoted as it is."""
    if feature in NICE_NAMES:
        return _(NICE_NAMES[feature])
    if spend := _SPEND_AFTER.fullmatch(feature):  # the value model's target (predict.spend names it so)
        return _("spend in the {days} days after the cutoff").format(days=spend.group(1))
    if "=" in feature:
        return feature.split("=", 1)[1]
    base = feature.split("(")[0].strip() or feature
    parts = _split(base)
    if not parts or not base.isascii():
        return f"'{feature}'"
    words = _in_words(parts)
    return _PHRASES.get(words, words)


def column_label(name: str) -> str:
    """A table header: the column in words with a capital (`clv_12m` -> `Value, next 12 months`), or its own name
    when it cannot be read as words."""
    words = nice_name(str(name))
    if words == f"'{name}'":
        return str(name)
    return words[:1].upper() + words[1:]


def friendly_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with headers a founder reads (the values untouched), each header once: columns whose words
    coincide (`Total_Spend`, `Total Spend`) keep their own names beside the words, then a number if need be."""
    labels = [column_label(c) for c in df.columns]
    counts = pd.Series(labels).value_counts()
    labels = [f"{label} ({col})" if counts[label] > 1 else label for label, col in zip(labels, df.columns, strict=True)]
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    out = df.copy(deep=False)
    out.columns = unique
    return out


def fmt_number(v: float) -> str:
    """Rounding that fits the size, never scientific notation, whole numbers without decimals: 30,400 / 12.3 /
    3 / 0.42."""
    if pd.isna(v):
        return "n/a"
    if abs(v) >= 10 or float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:.1f}" if abs(v) >= 1 else f"{v:.2f}"


def ratio_words(ratio: float) -> str:
    """How many times the usual, capped in words: '3.1× their usual gap', beyond 10 'far longer than usual'."""
    if not np.isfinite(ratio) or ratio >= RATIO_IN_WORDS:
        return "far longer than usual"
    return f"{ratio:.1f}× their usual gap"


RATIO_IN_WORDS = 10  # from ten times the usual a ratio says no more than "far longer"


_PREFIX_SYMBOLS = ("$", "£", "¥", "₹", "￥")
_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "CNY": "¥", "RMB": "¥", "INR": "₹"}


def money(amount: float | None, currency: str | None = None) -> str:
    """An amount with its currency, rounded to whole units from 100 up: `£8,300`, `1,234 €`, `12.50`."""
    if amount is None or pd.isna(amount):
        return "–"
    digits = f"{amount:,.0f}" if abs(amount) >= 100 else f"{amount:,.2f}"
    if not currency:
        return digits
    currency = _SYMBOLS.get(currency, currency)
    if currency in _PREFIX_SYMBOLS:
        return f"-{currency}{digits[1:]}" if digits.startswith("-") else f"{currency}{digits}"
    return f"{digits} {currency}"


_IRREGULAR = {"customer": "customers", "person": "people", "day": "days", "reply": "replies", "category": "categories"}


def plural(n: float, word: str) -> str:
    """`1 order`, `2 orders`, `1,234 customers` (the number rounded to whole units)."""
    count = int(round(float(n)))
    if count == 1:
        return f"1 {word}"
    many = _IRREGULAR.get(word) or (
        word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    )
    return f"{count:,} {many}"


def days(n: float) -> str:
    """Whole days: `8 days`, `1 day` (never 7.9208 days)."""
    return plural(n, "day")


def share(x: float | None) -> str:
    """A share as a percentage: 0.4213 -> `42%`; below 1% shows one decimal."""
    if x is None or pd.isna(x):
        return "–"
    return f"{100 * x:.1f}%" if 0 < abs(x) < 0.01 else f"{100 * x:.0f}%"


def period(first: pd.Timestamp | None, last: pd.Timestamp | None) -> str:
    """`Oct 2024 – Sep 2026`, or one month when both fall in it."""
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return "–"
    a, b = pd.Timestamp(first).strftime("%b %Y"), pd.Timestamp(last).strftime("%b %Y")
    return a if a == b else f"{a} – {b}"


def rounded(df: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """Floats rounded for display: whole numbers from 100 up, `digits` decimals below."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            values = out[col]
            out[col] = np.where(values.abs() >= 100, values.round(0), values.round(digits))
    return out


# --- uploaded text, made inert: one helper per kind of element ----------------------------------------------
# File names, column names and cell values come from whoever made the upload. Through Streamlit's markdown they
# could become links, images the viewer's browser fetches, coloured text, headings or LaTeX; in HTML, markup.
# Every string from an upload reaches a page through exactly one of these:
#   safe_md     st.markdown, st.caption, st.info / st.warning / st.error / st.success, titles and headers
#   safe_label  widget, expander, tab and metric labels, progress and spinner texts, and the options of st.radio
#               and st.select_slider (format_func=safe_label), which render markdown too
#   safe_html   the HTML report
# Tables (st.dataframe), st.text, st.code and the options of st.selectbox / st.multiselect show text as it is.

# U+2060 WORD JOINER: invisible, but it splits "http:" from "//", "www" from "." and "@" from the domain, so GFM's
# autolink pass (and Streamlit's ":emoji:", ":red[...]" and ":material/icon:" syntax) finds no match. Backslash
# escapes alone do not stop autolinks: that pass runs on the parsed text, after the escapes are gone.
_JOINER = "\u2060"
# Every ASCII punctuation mark that markdown (CommonMark, GFM, Streamlit's directives, LaTeX, entities) gives a
# meaning, escaped with a backslash; markdown renders "\x" as "x" for any ASCII punctuation x.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&=^:@])")
# Line and paragraph breaks, tabs and other control characters: one uploaded value never starts a new block.
_BREAKS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_WWW = re.compile(r"(www)(\.)", re.IGNORECASE)
LABEL_MAX = 120  # longer labels are cut with "…": a 50 KB column name must not fill the screen


def safe_md(text: object) -> str:
    """`text` as literal characters inside markdown: no links, images, formatting, HTML, colour or new blocks."""
    flat = _BREAKS.sub(" ", str(text))
    joined = _WWW.sub(rf"\1{_JOINER}\2", flat).replace(":", ":" + _JOINER).replace("@", "@" + _JOINER)
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", joined)


def safe_label(text: object, limit: int = LABEL_MAX) -> str:
    """`text` for a widget, expander, tab or metric label: one line of literal characters, at most `limit` long."""
    flat = " ".join(_BREAKS.sub(" ", str(text)).split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return safe_md(flat)


def safe_html(text: object) -> str:
    """`text` as literal characters inside HTML element content or a quoted attribute value."""
    return html.escape(str(text), quote=True)
