"""Words and numbers as a founder reads them: column names in plain words, rounding that fits, and uploaded
text made inert for the element that shows it.

Shared by the analyses (segment descriptions, churn reasons) and the pages.
"""

from __future__ import annotations

import html
import re

import pandas as pd

NICE_NAMES = {
    "recency_days": "days since last order",
    "frequency": "orders",
    "monetary": "spend",
    "avg_order_value": "average order",
    "tenure_days": "days as a customer",
    "purchase_rate_30d": "orders per 30 days",
    "days_between_orders": "days between orders",
    "return_share": "share returned",
    "distinct_items": "different items",
}


def nice_name(feature: str) -> str:
    """A column name in words: `recency_days` -> `days since last order`, `Annual Income (k$)` -> `annual income`."""
    if feature in NICE_NAMES:
        return NICE_NAMES[feature]
    if "=" in feature:
        return feature.split("=", 1)[1]
    base = feature.split("(")[0].replace("_", " ").strip()
    base = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", base)  # MonthlyCharges, HasCrCard
    return (base or feature).lower()


def fmt_number(v: float) -> str:
    if pd.isna(v):
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 10 else f"{v:.1f}" if abs(v) >= 1 else f"{v:.2f}"


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
