"""The cleaning steps the founder chooses, each recorded in a log the user reads.

Nothing is dropped or changed without being counted: every step appends
`{"table", "step", "column", "rows_removed", "values_changed", "detail"}`
entries to the cleaning log. Nothing is invented either: a missing value stays missing in every table the
founder sees and downloads; models that need complete rows fill gaps inside their own pipelines, per fold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from insight.data.roles import Roles
from insight.data.standard import normalize_ids
from insight.errors import InsightError

Outliers = Literal["keep", "cap", "remove"]
Returns = Literal["net", "drop"]


@dataclass(frozen=True)
class CleaningOptions:
    """The cleaning choices a user makes on the Data page."""

    drop_duplicates: bool = True
    outliers: Outliers = "keep"
    returns: Returns = "net"
    customer_file: str | None = None  # when files do not share customers: analyse this file's (default: the first)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> CleaningOptions:
        """Options saved earlier (a share link): choices this version no longer offers are ignored."""
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})

    def __post_init__(self) -> None:
        allowed = {
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


def return_rows(df: pd.DataFrame, roles: Roles) -> pd.Series:
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
        returns = return_rows(out, roles)
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
