"""Exports that are safe to open in a spreadsheet: formulas in headers and cells are neutralised (OWASP CSV
injection)."""

from __future__ import annotations

import pandas as pd

# What makes a spreadsheet read a cell as a formula: OWASP's list, plus the full-width forms that Excel and WPS
# accept from Chinese input methods. Leading spaces do not stop LibreOffice, so they are skipped before the check.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_START)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose column names and text cells that a spreadsheet would run as a formula start with a
    quote."""
    out = df.copy()
    for i in range(out.shape[1]):  # by position: two columns may share a name
        s = out.iloc[:, i]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            text = s.astype(object)
            risky = text.map(_is_formula)
            out.isetitem(i, text.where(~risky, "'" + text.astype(str)))
    out.columns = ["'" + c if _is_formula(c) else c for c in out.columns]
    return out


def to_safe_csv(df: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8 with BOM for Excel) with formula injection neutralised in the header and the cells."""
    return neutralise_formulas(df).to_csv(index=False).encode("utf-8-sig")
