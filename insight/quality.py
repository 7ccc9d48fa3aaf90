"""Data quality report per table, and the cleaning steps, each recorded in a log the user reads.

Nothing is dropped or changed without being counted: every step appends
`{"table", "step", "column", "rows_removed", "values_changed", "detail"}`
entries to the cleaning log.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from insight.errors import InsightError
from insight.schema import Roles, normalize_ids

Impute = Literal["none", "mean", "median", "most_frequent", "ffill"]
Outliers = Literal["keep", "cap", "remove"]
Returns = Literal["net", "drop"]


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


@dataclass(frozen=True)
class CleaningOptions:
    """The cleaning choices a user makes on the Data page."""

    drop_duplicates: bool = True
    impute: Impute = "median"
    outliers: Outliers = "keep"
    returns: Returns = "net"

    def __post_init__(self) -> None:
        allowed = {
            "impute": ("none", "mean", "median", "most_frequent", "ffill"),
            "outliers": ("keep", "cap", "remove"),
            "returns": ("net", "drop"),
        }
        for name, values in allowed.items():
            if getattr(self, name) not in values:
                raise InsightError(f"Cleaning option '{name}' must be one of {values}; got {getattr(self, name)!r}.")


def iqr_bounds(s: pd.Series, factor: float = 1.5) -> tuple[float, float]:
    """Tukey's fences: values outside [Q1 - f*IQR, Q3 + f*IQR] are outliers."""
    q1, q3 = s.quantile([0.25, 0.75])
    return q1 - factor * (q3 - q1), q3 + factor * (q3 - q1)


def _return_rows(df: pd.DataFrame, roles: Roles) -> pd.Series:
    """Returns and cancellations: negative quantity or amount, or an order id of 'C' and digits."""
    mask = pd.Series(False, index=df.index)
    for role in ("quantity", "amount"):
        col = roles.get(role)
        if col:
            mask |= pd.to_numeric(df[col], errors="coerce").lt(0).fillna(False)
    order = roles.get("order_id")
    if order:
        # "C536379" cancels invoice 536379; "CA-2016-152156" (Superstore) is an ordinary order
        mask |= df[order].astype(str).str.match(r"^[Cc]\d").fillna(False) & df[order].notna()
    return mask


_FAILED = {"failed", "declined", "void", "voided", "canceled", "cancelled", "abandoned", "expired", "unpaid", "blocked"}


def _failed_rows(df: pd.DataFrame, roles: Roles) -> tuple[pd.Series, str | None]:
    """Payments or orders that never happened: a status column (Stripe's Status, Olist's order_status) saying
    failed, declined, void or cancelled. Returns the rows and the column."""
    columns = [roles.get("label"), *roles.get("categorical", [])]
    for col in [c for c in columns if c and re.search(r"status|result", c, re.I)]:
        values = df[col].astype("string").str.strip().str.lower()
        failed = values.isin(_FAILED).fillna(False).astype(bool)
        if failed.any():
            return failed, col
    return pd.Series(False, index=df.index), None


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
        report.negative_quantity_rows = int(_return_rows(df, roles).sum())
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


def log_entry(
    table: str, step: str, column: str | None = None, rows_removed: int = 0, values_changed: int = 0, detail: str = ""
) -> dict[str, Any]:
    """One cleaning-log line: what a step did to which table and column, with its counts."""
    return {
        "table": table,
        "step": step,
        "column": column,
        "rows_removed": int(rows_removed),
        "values_changed": int(values_changed),
        "detail": detail,
    }


def clean(
    name: str, df: pd.DataFrame, roles: Roles, kind: str, options: CleaningOptions
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Apply the chosen cleaning steps; return the cleaned table and what each step changed."""
    log: list[dict[str, Any]] = []
    out = df
    if options.drop_duplicates:
        dup = out.duplicated()
        if dup.any():
            out = out[~dup]
            log.append(
                log_entry(name, "drop duplicate rows", rows_removed=dup.sum(), detail="exact copies of another row")
            )
    if kind == "customers" and roles.get("customer_id"):
        ids = normalize_ids(out[roles["customer_id"]])
        repeated = ids.notna() & ids.duplicated(keep="last")
        if repeated.any():
            out = out[~repeated]
            log.append(
                log_entry(
                    name,
                    "keep the last row per customer id",
                    roles["customer_id"],
                    rows_removed=repeated.sum(),
                    detail="the same customer id appeared on several rows",
                )
            )
    if kind == "transactions":
        failed, status = _failed_rows(out, roles)
        if failed.any():
            detail = "never paid or cancelled: " + ", ".join(sorted(set(out.loc[failed, status])))
            out = out[~failed]
            log.append(log_entry(name, "leave out failed payments", status, rows_removed=failed.sum(), detail=detail))
        returns = _return_rows(out, roles)
        if returns.any():
            if options.returns == "drop":
                out = out[~returns]
                log.append(
                    log_entry(
                        name, "drop returns", rows_removed=returns.sum(), detail="negative quantities / C-invoices"
                    )
                )
            else:
                log.append(
                    log_entry(name, "net off returns", detail=f"{int(returns.sum())} return rows subtract from spend")
                )
    out = _handle_outliers(name, out, roles, kind, options, log)
    out = _impute(name, out, roles, kind, options, log)
    cid = roles.get("customer_id")
    if cid and kind != "customers":
        no_id = out[cid].isna()
        if no_id.any():
            log.append(
                log_entry(
                    name,
                    "rows without customer id",
                    cid,
                    detail=f"{int(no_id.sum())} rows kept for totals but not linked to any customer",
                )
            )
    return out.reset_index(drop=True), log


def _handle_outliers(name, df, roles, kind, options, log) -> pd.DataFrame:
    if options.outliers == "keep":
        return df
    cols = list(roles.get("numeric", []))
    if kind == "transactions":
        cols += [roles[r] for r in ("quantity", "amount") if roles.get(r)]
    out = df.copy()
    for col in cols:
        s = pd.to_numeric(out[col], errors="coerce")
        present = s.dropna()
        if len(present) < 8 or present.std() == 0:
            continue
        lo, hi = iqr_bounds(present)
        if kind == "transactions" and col in (roles.get("quantity"), roles.get("amount")):
            lo = min(lo, present.min())  # returns are negative on purpose; only cap the high side
        outside = s.notna() & ((s < lo) | (s > hi))
        if not outside.any():
            continue
        if options.outliers == "cap":
            out[col] = s.clip(lo, hi)
            log.append(
                log_entry(name, "cap outliers", col, values_changed=outside.sum(), detail=f"to [{lo:,.2f}, {hi:,.2f}]")
            )
        else:
            out = out[~outside.reindex(out.index, fill_value=False)]
            log.append(
                log_entry(
                    name, "remove outliers", col, rows_removed=outside.sum(), detail=f"outside [{lo:,.2f}, {hi:,.2f}]"
                )
            )
    return out


def _impute(name, df, roles, kind, options, log) -> pd.DataFrame:
    if options.impute == "none":
        return df
    out = df.copy()
    numeric = list(roles.get("numeric", []))
    categorical = list(roles.get("categorical", []))
    for col in numeric + categorical:
        gaps = out[col].isna()
        if not gaps.any():
            continue
        method = options.impute
        if method in ("mean", "median") and col in categorical:
            method = "most_frequent"
        if method == "ffill":
            order = roles.get("timestamp")
            filled = (
                out.sort_values(order)[col].ffill().bfill().reindex(out.index) if order else out[col].ffill().bfill()
            )
        elif method == "most_frequent":
            mode = out[col].mode(dropna=True)
            filled = out[col].fillna(mode.iloc[0]) if len(mode) else out[col]
        else:
            value = getattr(pd.to_numeric(out[col], errors="coerce"), method)()
            filled = out[col].fillna(value)
        changed = int(gaps.sum() - filled.isna().sum())
        out[col] = filled
        if changed:
            log.append(log_entry(name, f"fill missing ({method.replace('_', ' ')})", col, values_changed=changed))
    return out
