"""The standard view of a table: single-column roles renamed to role names and typed, identifiers cleaned."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight.data.hints import SINGLE_ROLES, Roles
from insight.data.values import is_number as _is_number
from insight.errors import SchemaError
from insight.i18n import N_


def normalize_ids(s: pd.Series) -> pd.Series:
    """Identifiers as clean strings: trimmed, whole numbers without '.0', blanks as missing."""
    out = pd.Series(None, index=s.index, dtype=object)
    if _is_number(s):
        v = s.astype(float)
        whole = v.notna() & (v % 1 == 0)
        out[whole] = v[whole].astype("int64").astype(str).astype(object)
        rest = v.notna() & ~whole
        out[rest] = v[rest].astype(str).astype(object)
        return out
    text = s.astype("string").str.strip().str.replace(r"^(\d+)\.0+$", r"\1", regex=True)  # 17850.0 from Excel
    keep = text.notna() & (text != "")
    out[keep] = text[keep].astype(object)
    return out


def to_binary(s: pd.Series) -> pd.Series:
    """Yes/No, 1/0, True/False, churned/active, positive/negative … as 1.0 / 0.0 (the positive value is the
    'yes'-like one, else the rarer)."""
    text = s.astype(object).map(lambda v: None if pd.isna(v) else str(v).strip().lower().removesuffix(".0"))
    positive = {
        "1",
        "yes",
        "y",
        "true",
        "t",
        "churn",
        "churned",
        "exited",
        "left",
        "lost",
        "cancelled",
        "canceled",
        "ja",
        "oui",
        "si",
        "sí",
        "sim",
        "positive",
        "pos",
        "好评",
        "正面",
        "是",
        "流失",
    }
    values = [v for v in text.dropna().unique()]
    if len(values) > 2:
        raise SchemaError(
            N_("The outcome column '{name}' has {n} different values; it needs two (like Yes/No)."),
            name=s.name,
            n=len(values),
        )
    hits = [v for v in values if v in positive]
    pos = hits[0] if hits else text.value_counts().idxmin()
    return text.map(lambda v: np.nan if pd.isna(v) else float(v == pos))  # map() turns None into NaN


def standardize(df: pd.DataFrame, roles: Roles) -> pd.DataFrame:
    """The table with single-column roles renamed to role names and typed; amount derived when missing."""
    out = pd.DataFrame(index=df.index)
    for role in SINGLE_ROLES:
        col = roles.get(role)
        if not col:
            continue
        s = df[col]
        if role in ("customer_id", "order_id", "item_id"):
            out[role] = normalize_ids(s)
        elif role == "timestamp":
            out[role] = s if pd.api.types.is_datetime64_any_dtype(s) else pd.to_datetime(s, errors="coerce")
        elif role in ("quantity", "unit_price", "amount", "refund", "rating"):
            out[role] = pd.to_numeric(s, errors="coerce").astype(float)
        elif role == "label":  # two values as 1/0; a feedback label's three or more classes as they are
            two = s.dropna().astype(str).str.strip().str.lower().nunique() <= 2
            out[role] = to_binary(s) if two else s.astype(object).where(s.notna(), None)
        else:
            out[role] = s.astype(object).where(s.notna(), None)
    if "amount" not in out and "unit_price" in out:  # one unit per line when there is no quantity
        out["amount"] = out["unit_price"] * out["quantity"] if "quantity" in out else out["unit_price"]
    return out
