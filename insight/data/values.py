"""What a column's values say: numbers or text, how many distinct values, codes or words, sentences, names,
emails and phone numbers. Each test looks at a sample, so a million rows cost no more than a thousand.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
_PHONE = re.compile(r"^\+?[\d\s().\-/]{7,20}$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_CODE = re.compile(r"^[#]?[A-Z0-9][A-Z0-9_\-./#]*$")
_SLUG = re.compile(r"[a-z0-9]+([-_][a-z0-9]+)+")  # cc-hoodie-with-logo: a shop's product handle
_FLAGS = frozenset(  # yes/no in the languages of the hints, and 0/1
    {"yes", "no", "y", "n", "true", "false", "t", "f", "0", "1", "0.0", "1.0", "on", "off"}
    | {"ja", "nein", "oui", "non", "si", "sí", "sim", "não", "nao", "是", "否", "有", "无"}
)


def is_number(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def is_text(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s)


def is_integral(s: pd.Series) -> bool:
    v = s.dropna()
    return is_number(s) and len(v) > 0 and bool(np.all(np.mod(v.to_numpy(dtype=float), 1) == 0))


def sample(s: pd.Series, n: int = 500) -> pd.Series:
    """The first `n` present values as text: enough to judge a column by, cheap on a million rows."""
    return s.head(5000).dropna().astype(str).head(n)


def fill(s: pd.Series) -> float:
    """Share of rows with a value."""
    return float(s.notna().mean()) if len(s) else 0.0


def constant(s: pd.Series) -> bool:
    """One value in every filled row (Z_Revenue = 11, Currency = USD): says nothing about any row."""
    return len(s) > 1 and s.nunique(dropna=True) <= 1


def binary_values(s: pd.Series) -> bool:
    present = s.dropna()
    if present.nunique() > 10:  # spelling variants (Yes, yes, YES) aside, two values cannot be more
        return False
    values = {str(v).strip().lower() for v in present.unique()}
    values = {v[:-2] if v.endswith(".0") else v for v in values}
    return 1 < len(values) <= 2


def words_per_value(s: pd.Series) -> float:
    """Mean length in words, counting 1.5 Chinese or Japanese characters as a word (they have no spaces)."""
    values = sample(s)
    if values.empty:
        return 0.0
    spaced = values.str.split().str.len()
    cjk = values.str.count(_CJK.pattern) / 1.5
    return float(np.maximum(spaced, cjk).mean())


def chars_per_value(s: pd.Series) -> float:
    values = sample(s)
    return float(values.str.len().mean()) if len(values) else 0.0


def distinct_share(s: pd.Series) -> float:
    """Distinct values per filled row (1 = every value different)."""
    present = s.dropna()
    return present.nunique() / len(present) if len(present) else 0.0


def code_like(s: pd.Series) -> bool:
    """Codes (SKU-104, 00042, B11, B0009N5L7K, 806182519) as opposed to names (Bread, Scandinavian)."""
    values = sample(s)
    if values.empty:
        return False
    coded = values.str.contains(r"\d") | values.str.match(_CODE) | values.str.fullmatch(_SLUG)
    return bool(coded.mean() >= 0.8 and values.str.contains(" ").mean() < 0.2)


def uniform_codes(s: pd.Series) -> bool:
    """Machine ids (U1077, yhhy12, A2IBPI20UZIR0U): a short prefix and digits, or long capitals and digits."""
    values = sample(s)
    pattern = r"[A-Za-z]{0,5}[-_]?\d+|[A-Z0-9]{6,}|\d+[A-Za-z]?"
    return bool(len(values)) and bool(values.str.fullmatch(pattern).mean() >= 0.9)


def many_values(s: pd.Series) -> bool:
    """Enough distinct values to identify things (one value is enough in a one-row table)."""
    v = s.dropna()
    return v.nunique() >= max(min(2, len(v)), min(50, 0.01 * len(v)))


def few_values(s: pd.Series) -> bool:
    """Few enough distinct values to be categories (a plan, a country), as the categorical role uses."""
    return 1 < s.nunique() <= max(12, min(50, 0.05 * len(s)))


CATEGORY_MAX_VALUES = 25  # at most this many distinct values ...
CATEGORY_MIN_REPEATS = 20  # ... each on this many rows on average: the groups a row belongs to, not who it is


def categories(s: pd.Series) -> bool:
    """A small set of values repeated over many rows (7 lenders over 505 reviews, a membership tier, a
    department): the group a row belongs to, never an id or a person."""
    present = s.dropna()
    n = present.nunique()
    return 0 < n <= CATEGORY_MAX_VALUES and len(present) >= CATEGORY_MIN_REPEATS * n


def masked(s: pd.Series) -> bool:
    """Values masked for privacy (`j***e`, `1***********`): different people share one value, so they name no
    one."""
    values = sample(s, 300)
    return bool(len(values)) and bool(values.str.contains(r"\*{2,}|＊").mean() >= 0.5)


def id_values(s: pd.Series) -> bool:
    """Codes with several distinct values: text or whole numbers, not sentences, dates or yes/no."""
    v = s.dropna()
    if len(v) == 0 or pd.api.types.is_datetime64_any_dtype(s):
        return False
    if is_number(s) and not is_integral(s):
        return False
    if is_text(s) and words_per_value(s) > 2.5:
        return False
    if binary_values(s) and (yes_no(sample(s)) or len(v) > 20):
        return False  # yes/no, 0/1: a flag; two values in many rows: a category
    return many_values(s)


def multi_select(s: pd.Series) -> bool:
    """Answers that join a few choices with ';' ("Coffee;Pastries"): categories, not sentences."""
    values = sample(s)
    if values.empty or values.str.contains(";").mean() < 0.2:
        return False
    parts = values.str.split(r"\s*;\s*").explode()
    return parts.nunique() <= max(30, 0.1 * len(parts))


def yes_no(values: pd.Series) -> bool:
    """Yes/No, 0/1, True/False, oui/non, 是/否."""
    return {str(x).strip().lower() for x in values.unique()} <= _FLAGS


def flags(values: pd.Series) -> bool:
    """Yes/no values or two short words (DSL/No, Female/Male): facts about a plan or a person, not masked
    phone numbers."""
    lowered = {str(x).strip().lower() for x in values.unique()}
    return lowered <= _FLAGS or all(x.replace(" ", "").isalpha() and len(x) <= 15 for x in lowered)


def emails(values: pd.Series) -> bool:
    return bool(len(values)) and bool(values.str.match(_EMAIL).mean() > 0.8)


def phones(values: pd.Series) -> bool:
    """Phone numbers: 7-15 digits, written with a + or 0 in front or with separators; plain numbers such as
    ids (15634602) or Excel's floats (17850.0) are not phones."""
    if values.empty:
        return False
    digits = values.str.count(r"\d").between(7, 15)
    plain = values.str.fullmatch(r"[1-9]\d*(\.\d+)?")
    formatted = values.str.contains(r"^[+0]|[\s()\-/]")
    return bool((values.str.match(_PHONE) & digits & ~plain & formatted).mean() > 0.9)


def person_like(s: pd.Series) -> bool:
    """Short values with letters, as names and handles are (never sentences, never numbers)."""
    values = sample(s, 300)
    if values.empty:
        return True  # an empty column named for a person is still personal data by its name
    letters = values.str.contains(r"[^\W\d_]").mean() >= 0.5
    return bool(letters and words_per_value(s) <= 4 and chars_per_value(s) <= 40)
