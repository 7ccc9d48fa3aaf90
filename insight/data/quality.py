"""Data quality report per table: duplicates, missing values, constant columns, type problems, outliers,
returns and rows without a customer, counted on the table as uploaded (before cleaning).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from insight.data.cleaning import iqr_bounds, return_rows
from insight.data.roles import Roles
from insight.data.standard import normalize_ids


@dataclass
class QualityReport:
    """Problems found in one table as uploaded (before cleaning)."""

    file: str
    rows: int
    duplicate_rows: int = 0
    duplicate_ids: int = 0
    missing: dict[str, int] = field(default_factory=dict)
    constant_columns: list[str] = field(default_factory=list)
    type_problems: dict[str, int] = field(default_factory=dict)
    outliers_iqr: dict[str, int] = field(default_factory=dict)
    outliers_z: dict[str, int] = field(default_factory=dict)
    negative_quantity_rows: int = 0
    rows_without_customer_id: int = 0

    def summary(self) -> dict[str, Any]:
        """The report as plain JSON-able values."""
        return asdict(self)


def _numeric_checked(roles: Roles) -> list[str]:
    cols = list(roles.get("numeric", []))
    cols += [roles[r] for r in ("quantity", "unit_price", "amount", "rating") if roles.get(r)]
    return list(dict.fromkeys(cols))


def quality_report(
    name: str, df: pd.DataFrame, roles: Roles, kind: str, type_problems: dict[str, int]
) -> QualityReport:
    """Count the problems in a typed table as uploaded."""
    report = QualityReport(file=name, rows=len(df), type_problems=dict(type_problems))
    report.duplicate_rows = int(df.duplicated().sum())
    missing = df.isna().sum()
    report.missing = {str(c): int(n) for c, n in missing.items() if n > 0}
    report.constant_columns = [str(c) for c in df.columns if df[c].nunique(dropna=True) <= 1 and len(df) > 1]
    cid = roles.get("customer_id")
    if cid:
        ids = normalize_ids(df[cid])
        report.rows_without_customer_id = int(ids.isna().sum())
        if kind == "customers":
            report.duplicate_ids = int(ids.dropna().duplicated().sum())
    if kind == "transactions":
        report.negative_quantity_rows = int(return_rows(df, roles).sum())
    for col in _numeric_checked(roles):
        s = pd.to_numeric(df[col], errors="coerce").dropna()
        if len(s) < 8 or s.std() == 0:
            continue
        lo, hi = iqr_bounds(s)
        n_iqr = int(((s < lo) | (s > hi)).sum())
        n_z = int((np.abs((s - s.mean()) / s.std()) > 3).sum())
        if n_iqr:
            report.outliers_iqr[col] = n_iqr
        if n_z:
            report.outliers_z[col] = n_z
    return report
