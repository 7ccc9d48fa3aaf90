"""The role editor's table: one row per column with its role in words and examples, and the mapping it gives back."""

from __future__ import annotations

import pandas as pd

from insight.data.dataset import Table
from insight.data.roles import MULTI_ROLES, SINGLE_ROLES, Roles

ROLE_LABELS = {  # each role as the editor shows it
    "customer_id": "customer id",
    "timestamp": "date and time",
    "order_id": "order id",
    "item_id": "item id",
    "item_name": "item name",
    "quantity": "quantity",
    "unit_price": "unit price",
    "amount": "amount",
    "rating": "rating (stars)",
    "text": "text (feedback)",
    "label": "outcome (who left)",
    "numeric": "number about the customer",
    "categorical": "category about the customer",
    "pii": "personal data",
}
ROLE_CHOICES = ("", *(ROLE_LABELS[r] for r in (*SINGLE_ROLES, *MULTI_ROLES)))
_ROLE_OF = {label: role for role, label in ROLE_LABELS.items()}


def editor_rows(table: Table) -> pd.DataFrame:
    """Column, Role (one per column; a single role wins, so an email that is the customer id shows so) and
    three example values (never for personal data)."""
    personal = set(table.roles.get("pii", []))
    assigned: dict[str, str] = {}
    for role in (*MULTI_ROLES, *SINGLE_ROLES):
        cols = table.roles.get(role) or []
        for col in [cols] if isinstance(cols, str) else cols:
            assigned[col] = ROLE_LABELS[role]
    return pd.DataFrame(
        {
            "Column": list(table.frame.columns),
            "Role": [assigned.get(c, "") for c in table.frame.columns],
            "Example": [
                "(personal data)" if c in personal else ", ".join(table.frame[c].dropna().astype(str).head(3))
                for c in table.frame.columns
            ],
        }
    )


def roles_from_rows(table: Table, rows: pd.DataFrame) -> Roles:
    """The role mapping an edited table gives; a customer id that was personal data stays pseudonymised."""
    mapping: dict = {role: [] for role in MULTI_ROLES}
    for col, label in zip(rows["Column"], rows["Role"], strict=True):
        role = _ROLE_OF.get(label)
        if role in MULTI_ROLES:
            mapping[role].append(col)
        elif role:
            mapping[role] = col
    personal = set(table.roles.get("pii", []))
    if mapping.get("customer_id") in personal - set(mapping["pii"]):
        mapping["pii"].append(mapping["customer_id"])
    return mapping
