"""Exports that are safe to open in a spreadsheet: formulas in cells are neutralised (OWASP CSV injection)."""

from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote (OWASP CSV injection)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            text = s.astype(object)
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
            out[col] = text.where(~risky, "'" + text.astype(str))
    return out


def to_safe_csv(df: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8 with BOM for Excel) with formula injection neutralised."""
    return neutralise_formulas(df).to_csv(index=False).encode("utf-8-sig")
