"""The cleaning steps the founder chooses, each recorded in a log the user reads.

Nothing is dropped or changed without being counted: every step appends
`{"table", "step", "column", "rows_removed", "values_changed", "detail"}`
entries to the cleaning log. Nothing is invented either: a missing value stays missing in every table the
founder sees and downloads; models that need complete rows fill gaps inside their own pipelines, per fold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from insight.data import values as v
from insight.data.hints import not_spend, paid_name, value_hint
from insight.data.roles import Roles
from insight.data.standard import normalize_ids
from insight.errors import InsightError
from insight.i18n import N_

if TYPE_CHECKING:
    from insight.data.dialect import ReadReport
    from insight.data.types import TypeReport

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
                raise InsightError(
                    N_("Cleaning option '{name}' must be one of {values}; got {getattr}."),
                    name=name,
                    values=values,
                    getattr=repr(getattr(self, name)),
                )


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


_STATUS_NAME = re.compile(r"status|stage|result|状态|狀態|estado|statut|stato|zustand|situação", re.I)
# Statuses of orders or payments that brought no money: unpaid, pending, cancelled, closed, refunded, failed
_LEFT_OUT = re.compile(
    r"cancel|void|fail|declin|unpaid|not paid|pending|awaiting payment|expired|abandon|blocked|closed|refunded|"
    r"待付款|未付款|等待.{0,4}付款|交易关闭|已关闭|取消|退款成功|已退款|全额退款|"
    r"storn|annul|rembours|anulad|cancelad|reembolsad|nicht bezahlt|impayé|no pagado",
    re.I,
)
_PARTIAL = re.compile(r"partial|partly|部分", re.I)
MAX_STATUSES = 50  # a status column holds a few values, not one per order


def _status_columns(df: pd.DataFrame) -> list[str]:
    """Text columns named as a status (Status, Financial Status, 订单状态) with a few values."""
    return [
        c
        for c in df.columns
        if _STATUS_NAME.search(str(c)) and v.is_text(df[c]) and 1 < df[c].nunique() <= MAX_STATUSES
    ]


def unpaid_rows(df: pd.DataFrame, roles: Roles) -> tuple[pd.Series, str]:
    """Orders or payments that brought no money, and why in words: a status saying unpaid, pending,
    cancelled, closed, refunded or failed (partly refunded ones stay), or nothing in the paid amount where the
    order total is above zero (a closed Taobao order: 0 paid of 59.80)."""
    mask = pd.Series(False, index=df.index)
    why = []
    for col in _status_columns(df):
        text = df[col].astype("string").str.strip()
        hit = (text.str.contains(_LEFT_OUT) & ~text.str.contains(_PARTIAL)).fillna(False).astype(bool)
        if hit.any():
            mask |= hit
            why.append(f"{col}: " + ", ".join(sorted(set(df.loc[hit, col].astype(str)))))
    paid = roles.get("amount")
    if paid and paid_name(paid):
        totals = [
            c
            for c in df.columns
            if c != paid and v.is_number(df[c]) and value_hint("amount", c) and not not_spend(c) and not paid_name(c)
        ]
        for total in totals[:1]:
            nothing = (pd.to_numeric(df[paid], errors="coerce").fillna(0) == 0) & df[total].gt(0).fillna(False)
            if nothing.any():
                mask |= nothing
                why.append(f"nothing paid in '{paid}' though '{total}' is above 0")
    return mask, "; ".join(why)


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
        unpaid, why = unpaid_rows(out, roles)
        if unpaid.any():
            out = out[~unpaid]
            log.append(
                log_entry(
                    name,
                    "leave out unpaid or cancelled orders",
                    rows_removed=unpaid.sum(),
                    detail=f"no money came in; left out of revenue and order counts ({why})",
                )
            )
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


def read_log(report: ReadReport, types: TypeReport) -> list[dict[str, Any]]:
    """What reading and typing did to a file, as cleaning-log lines."""
    steps = [log_entry(report.file, "read", detail=note) for note in [*report.notes, *types.notes]]
    if report.skipped_lines:
        steps.append(
            log_entry(
                report.file,
                "malformed lines left out",
                rows_removed=len(report.skipped_lines),
                detail="wrong number of fields",
            )
        )
    for col, n in types.unparsed.items():
        examples = ", ".join(f"'{x}'" for x in types.examples.get(col, []))
        detail = f"not a {'date' if types.kinds[col] == 'datetime' else 'number'} like the rest"
        steps.append(
            log_entry(
                report.file,
                "unreadable values set to missing",
                col,
                values_changed=n,
                detail=f"{detail}, e.g. {examples}" if examples else detail,
            )
        )
    return steps
