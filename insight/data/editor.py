"""The role editor's table: one row per column with its role and examples, and the mapping it gives back."""

from __future__ import annotations

import pandas as pd

from insight.data.dataset import Table
from insight.data.roles import MULTI_ROLES, SINGLE_ROLES, Roles

ROLE_CHOICES = ("", *SINGLE_ROLES, *MULTI_ROLES)


def editor_rows(table: Table) -> pd.DataFrame:
    """column, role (one per column; a single role wins, so an email that is the customer id shows so) and
    three example values (never for personal data)."""
    personal = set(table.roles.get("pii", []))
    assigned: dict[str, str] = {}
    for role in (*MULTI_ROLES, *SINGLE_ROLES):
        cols = table.roles.get(role) or []
        for col in [cols] if isinstance(cols, str) else cols:
            assigned[col] = role
    return pd.DataFrame(
        {
            "column": list(table.frame.columns),
            "role": [assigned.get(c, "") for c in table.frame.columns],
            "example": [
                "(personal data)" if c in personal else ", ".join(table.frame[c].dropna().astype(str).head(3))
                for c in table.frame.columns
            ],
        }
    )


def roles_from_rows(table: Table, rows: pd.DataFrame) -> Roles:
    """The role mapping an edited table gives; a customer id that was personal data stays pseudonymised."""
    mapping: dict = {role: [] for role in MULTI_ROLES}
    for col, role in zip(rows["column"], rows["role"], strict=True):
        if role in MULTI_ROLES:
            mapping[role].append(col)
        elif role:
            mapping[role] = col
    personal = set(table.roles.get("pii", []))
    if mapping.get("customer_id") in personal - set(mapping["pii"]):
        mapping["pii"].append(mapping["customer_id"])
    return mapping
