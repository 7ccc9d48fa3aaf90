"""One customer table from the tables of an upload: which tables are about the same customers, and the join.

Tables are joined by customer id only when they share customers: two unrelated lists (a bank's and a
telco's) outer-joined would give thousands of half-empty customers and lose each file's outcome, so they
are analysed one group at a time, the founder choosing which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from insight.data.customers import customer_table
from insight.data.standard import normalize_ids

if TYPE_CHECKING:
    from insight.data.dataset import Table

VALUE_ROLES = ("amount", "quantity", "unit_price", "rating")  # a customers file's own numbers, kept as attributes
SHARED_IDS = 0.10  # tables sharing fewer customer ids than this share of the smaller one are not the same customers
SYNTHETIC_PREFIX = "row-"


def customer_ids(table: Table) -> pd.Series:
    """A table's customer ids (a customer list without an id column: one customer per row, numbered)."""
    if table.roles.get("customer_id"):
        return table.standard()["customer_id"]
    return pd.Series([f"{SYNTHETIC_PREFIX}{i + 1}" for i in range(len(table.frame))], index=table.frame.index)


def customer_groups(tables: list[Table]) -> list[list[str]]:
    """Customer lists grouped by shared customers: lists sharing at least `SHARED_IDS` of the smaller one's ids
    (or linked through another list that does) form one group, in upload order. Orders, feedback and ratings
    join whichever customers they match."""
    sources = [t for t in tables if t.kind == "customers"]
    ids = {t.name: set(customer_ids(t).dropna().astype(str)) for t in sources}
    groups: list[list[str]] = []
    for t in sources:
        linked = [
            g
            for g in groups
            if any(len(ids[t.name] & ids[o]) >= SHARED_IDS * max(1, min(len(ids[t.name]), len(ids[o]))) for o in g)
        ]
        merged = [t.name] + [name for g in linked for name in g]
        groups = [g for g in groups if g not in linked] + [merged]
    order = {t.name: i for i, t in enumerate(tables)}
    groups = [sorted(g, key=order.get) for g in groups]
    return sorted(groups, key=lambda g: order[g[0]])


def _attribute_columns(table: Table) -> list[str]:
    roles = table.roles
    cols = [*roles.get("numeric", []), *roles.get("categorical", []), *roles.get("pii", [])]
    cols += [roles[r] for r in (*VALUE_ROLES, "label") if roles.get(r)]
    # a column literally named "customer_id" that is not the id role would clash with the join key
    skip = {"customer_id", roles.get("customer_id")}
    return [c for c in dict.fromkeys(cols) if c in table.frame.columns and c not in skip]


def _per_customer_feedback(table: Table) -> pd.DataFrame | None:
    std = table.standard()
    if "customer_id" not in std or std["customer_id"].isna().all():
        return None
    prefix = "feedback" if table.kind == "feedback" else "ratings"
    g = std[std["customer_id"].notna()].groupby("customer_id")
    out = pd.DataFrame({f"{prefix}_count": g.size()})
    if "rating" in std:
        out[f"mean_{'stars' if table.kind == 'feedback' else 'rating'}"] = g["rating"].mean()
    return out.reset_index()


def assemble_customers(tables: list[Table]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The customer table (personal data still in clear) and the roles of its attribute columns."""
    tx = [t.standard() for t in tables if t.kind == "transactions" and "customer_id" in t.standard()]
    attrs: list[tuple[pd.DataFrame, list[str]]] = []
    roles: dict[str, Any] = {"numeric": [], "categorical": [], "pii": []}
    for t in tables:
        if t.kind == "customers":
            cols = _attribute_columns(t)
            frame = t.frame[cols].copy()
            frame.insert(0, "customer_id", normalize_ids(customer_ids(t)))
            attrs.append((frame, cols))
            for role in ("numeric", "categorical", "pii"):
                roles[role] += [c for c in t.roles.get(role, []) if c not in roles[role]]
            money = [t.roles[r] for r in VALUE_ROLES if t.roles.get(r)]
            roles["numeric"] += [c for c in money if c not in roles["numeric"]]
            if t.roles.get("label"):
                roles["label"] = t.roles["label"]
        elif t.kind in ("feedback", "ratings"):
            per = _per_customer_feedback(t)
            if per is not None:
                extra = [c for c in per.columns if c != "customer_id"]
                attrs.append((per, extra))
                roles["numeric"] += [c for c in extra if c not in roles["numeric"]]
    return customer_table(tx, attrs), roles


_HELD = {
    "transactions": "orders",
    "feedback": "feedback",
    "ratings": "ratings",
    "items": "a product list",
    "customers": "a customer list",
}


def missing_customers(tables: list[Table]) -> str:
    """The sentence saying which file would unlock the customer analyses, when these tables name no customer."""
    have = "; ".join(f"{t.name} holds {_HELD.get(t.kind, t.kind)} without a customer column" for t in tables)
    return (
        f"No customers to analyse: {have}. Segments, value and churn, and recommendations need to know who "
        "bought: upload an orders export that includes the buyer (a customer id or email column), or a "
        "customer list, and mark its customer column on the Data page."
    )
