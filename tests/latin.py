"""What may stay Latin on a Chinese page, and the scan that finds the rest (docs/i18n.md, "The browser test of a
Chinese page"): an English word left on a page read in Chinese is a string nobody marked for the catalogue.

Allowed: the demo's column names and the words of its values (uploaded data is shown as it is), file names, the
models' and measures' names, units, the marketing tools' names and Streamlit's own chrome.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

LATIN = re.compile(r"[A-Za-z]{2,}")
FILE_NAME = re.compile(r"[\w.-]+\.(?:csv|tsv|xlsx|xls|ods|parquet|json|jsonl|html|gz|zip)\b", re.IGNORECASE)
URL = re.compile(r"https?://\S+")

MODELS = {  # models and methods named as they are known
    "VADER",
    "SnowNLP",
    "BG",
    "NBD",
    "Gamma",
    "KNN",
    "SVD",
    "SlopeOne",
    "NMF",
    "ALS",
    "BPR",
    "KMeans",
    "k-means",
    "GMM",
    "HDBSCAN",
    "DBSCAN",
    "Agglomerative",
    "Logistic",
    "Ridge",
    "Lasso",
    "RFM",
    "TF",
    "IDF",
    "TF-IDF",
    "PCA",
    "Random",
    "Forest",
    "Gradient",
    "Boosting",
    "HistGradientBoosting",
    "LightGBM",
    "XGBoost",
    "Mean",
    "KNNBasic",
    "KNNWithMeans",
    "CoClustering",
    "BaselineOnly",
    "NormalPredictor",
    "Popularity",
    "Popular",
    "Spearman",
    "Calinski",
    "Harabasz",
    "Davies",
    "Bouldin",
    "Pearson",
    "Kaplan",
    "Meier",
    "Cox",
    "jieba",
    "rjieba",
    "babel",
    "MAPE",
    "ItemKNN",
    "UserKNN",
    "Holt",
    "Winters",
    "ETS",
    "ARIMA",
    "Prophet",
}
MEASURES = {  # measures and units
    "ROC",
    "AUC",
    "RMSE",
    "MAE",
    "IQR",
    "alive",
    "CLV",
    "NDCG",
    "MAP",
    "HR",
    "R²",
    "km",
    "kg",
    "ms",
    "GB",
    "MB",
    "KB",
    "ID",
    "id",
    "SKU",
    "CSV",
    "TSV",
    "Excel",
    "Parquet",
    "JSON",
    "HTML",
    "UTF",
    "GBP",
    "USD",
    "EUR",
    "CNY",
    "RMB",
    "CN",
    "US",
    "UK",
    "AI",
    "PDF",
    "xlsx",
    "xls",
    "ods",
    "gz",
    "vs",
    "CRM",
    "lines",
    "Recency",
    "Frequency",
    "Money",
    "IMDb",
    "Amazon",
    "Yelp",
    "UCI",
    "SST",
    "PNG",
}
TOOLS = {"Klaviyo", "Mailchimp", "Shopify", "HubSpot", "Streamlit", "Customer", "Insight", "GitHub"}
# Streamlit's and Vega's own words around widgets and charts (not the app's), cut out before the scan
STREAMLIT_CHROME = (
    "Skip to main content", "Collapse sidebar", "Expand sidebar", "App pages", "Link to heading", "Help for",
    "Show/hide columns", "Search", "Fullscreen", "Close fullscreen", "Show data", "Download as PNG",
    "Download as SVG", "Copy Vega-Lite spec", "View source", "Open in Vega Editor", "Decrement", "Increment",
    "file upload", "Limit 200MB per file", "200MB per file", "Drag and drop file here",
    "Drag and drop files here", "Browse files",
    "Selected values", "Clear all", "Remove", "Open", "Close", "Download as CSV", "Running...", "Running…",
    "Stop", "Deploy", "Main menu", "Rerun", "Settings", "Print", "Record a screencast", "Clear cache",
    "About", "Developer options", "Made with Streamlit", "Choose an option", "No results", "Copy to clipboard",
    "Press Enter to apply", "Show password text", "Hide password text", "Upload", "Download",
)  # fmt: skip
ICON_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b(?:home|forum|redeem|insights|lock|check|close|search|upload)\b")


def allowed_words(data_words: set[str]) -> set[str]:
    """Every Latin word that may appear on a Chinese page, given the words of the data on it (lower case too)."""
    words = {*MODELS, *MEASURES, *TOOLS, *data_words}
    return {w.lower() for w in words}


@cache
def demo_words() -> frozenset[str]:
    """The demo's column names and every word of its values (uploaded data is shown as it is)."""
    import pandas as pd

    from insight.data.read import read_table
    from insight.demo import generate

    words: set[str] = set()
    for name, data in generate().files():
        frame: pd.DataFrame = read_table(name, data)[0]
        for column in frame.columns:
            words.update(LATIN.findall(str(column)))
            words.add(str(column))
            if not pd.api.types.is_numeric_dtype(frame[column]):
                for value in frame[column].dropna().astype(str).unique():
                    words.update(LATIN.findall(value))
    return frozenset(words)


def english_left(text: str, allowed: set[str]) -> list[str]:
    """Each Latin word of `text` that is not allowed, with 40 characters around it."""
    for phrase in STREAMLIT_CHROME:
        text = text.replace(phrase, " ")
    text = ICON_NAME.sub(" ", URL.sub(" ", FILE_NAME.sub(" ", text)))
    found = []
    for match in LATIN.finditer(text):
        if match.group(0).lower() not in allowed:
            start, end = max(0, match.start() - 40), match.end() + 40
            found.append(f"{match.group(0)!r} in …{text[start:end]}…".replace("\n", " "))
    return found


def chart_texts(spec: dict[str, Any]) -> list[str]:
    """The texts a Vega-Lite spec draws: titles, axis and legend titles, tooltip titles (not the data)."""
    texts: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("data", "datasets", "field", "scale", "condition", "$schema", "config", "params"):
                    continue
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("title", "text", "subtitle", "labelExpr", "description"):
            texts.append(node)

    walk(spec)
    return texts


def element_texts(element: Any) -> list[str]:
    """The texts an AppTest element shows: its proto's strings (labels, bodies, options, help) and, for a chart,
    the texts its spec draws."""
    from google.protobuf.json_format import MessageToDict

    proto = getattr(element, "proto", None)
    if proto is None:
        return []
    values = MessageToDict(proto)
    texts: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "spec" and isinstance(v, str):
                    texts.extend(chart_texts(json.loads(v)))
                elif k not in ("data", "id", "formId", "datasets", "arrowData", "columns", "icon", "key", "url"):
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in (
            "body",
            "label",
            "value",
            "help",
            "options",
            "placeholder",
            "text",
            "caption",
            "title",
            "default",
            "delta",
        ):
            texts.append(node)

    walk(values)
    return texts


def page_texts(at: Any) -> list[str]:
    """Every text an AppTest run shows, in the main area and the sidebar."""
    texts: list[str] = []

    def walk(node: Any) -> None:
        texts.extend(element_texts(node))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return texts
