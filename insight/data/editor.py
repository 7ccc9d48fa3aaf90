"""The role editor's rules, for the Data page's table and the command line's `--role`: one role per column, a
single role on one column only, a cleared role means "no role", and every conflict is reported with the fix.
The page shows each role in words (`ROLE_LABELS`); the command line takes the role names."""

from __future__ import annotations

import pandas as pd

from insight.data.dataset import Table
from insight.data.hints import KINDS, MULTI_ROLES, SINGLE_ROLES, Roles
from insight.errors import SchemaError
from insight.i18n import N_, Message, Sentences, _

ROLE_LABELS = {  # each role as the editor shows it (translated when shown)
    "customer_id": N_("customer id"),
    "timestamp": N_("date and time"),
    "order_id": N_("order id"),
    "item_id": N_("item id"),
    "item_name": N_("item name"),
    "quantity": N_("quantity"),
    "unit_price": N_("unit price"),
    "amount": N_("amount (what was paid)"),
    "refund": N_("refund (money given back)"),
    "rating": N_("rating (stars)"),
    "text": N_("text (feedback)"),
    "label": N_("outcome (what you want to predict)"),
    "numeric": N_("number about the customer"),
    "categorical": N_("category about the customer"),
    "pii": N_("personal data"),
}


def role_choices() -> list[str]:
    """The editor's role options in the active language ('' for no role)."""
    return ["", *(_(ROLE_LABELS[r]) for r in (*SINGLE_ROLES, *MULTI_ROLES))]


def _role_of(label: str) -> str:
    """The role name of an editor cell, in the active language's words or in English."""
    for role, words in ROLE_LABELS.items():
        if label in (words, _(words)):
            return role
    return label


def _role(value: object) -> str:
    """A cell of the editor's role column as a role name; a cleared cell (None, NaN, '') is no role."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    text = str(value).strip()
    return _role_of(text)


def _assigned(table: Table) -> dict[str, str]:
    """Each column's one role name (a single role wins, so an email that is the customer id shows so)."""
    assigned: dict[str, str] = {}
    for role in (*MULTI_ROLES, *SINGLE_ROLES):
        cols = table.roles.get(role) or []
        for col in [cols] if isinstance(cols, str) else cols:
            assigned[col] = role
    return assigned


def editor_rows(table: Table) -> pd.DataFrame:
    """Column, Role (in words, one per column), three example values (never for personal data) and why a
    column has no role."""
    personal = set(table.roles.get("pii", []))
    assigned = _assigned(table)
    ignored = table.ignored()
    return pd.DataFrame(
        {
            "Column": list(table.frame.columns),
            "Role": [_(ROLE_LABELS[assigned[c]]) if c in assigned else "" for c in table.frame.columns],
            "Example": [
                _("(personal data)") if c in personal else ", ".join(table.frame[c].dropna().astype(str).head(3))
                for c in table.frame.columns
            ],
            "No role because": [ignored.get(c, "") for c in table.frame.columns],
        }
    )


def _mapping(pairs: list[tuple[str, str]], personal: set[str]) -> Roles:
    """The roles of (column, role) pairs, or a SchemaError listing every conflict and unknown role."""
    mapping: dict = {role: [] for role in MULTI_ROLES}
    problems = []
    for col, role in pairs:
        if role in MULTI_ROLES:
            mapping[role].append(col)
        elif role in SINGLE_ROLES:
            if role in mapping:
                twice = N_("'{role}' is on two columns, '{first}' and '{second}': keep it on one.")
                problems.append(Message(twice, role=Message(ROLE_LABELS[role]), first=mapping[role], second=col))
            else:
                mapping[role] = col
        elif role:
            unknown = N_("'{role}' is not a role (use one of: {roles}).")
            problems.append(Message(unknown, role=role, roles=", ".join(SINGLE_ROLES + MULTI_ROLES)))
    if problems:
        raise SchemaError(Sentences(*problems))
    if mapping.get("customer_id") in personal - set(mapping["pii"]):  # an email id stays pseudonymised
        mapping["pii"].append(mapping["customer_id"])
    return mapping


def roles_from_rows(table: Table, rows: pd.DataFrame) -> Roles:
    """The role mapping an edited table gives; a customer id that was personal data stays pseudonymised.

    A single role given to a second column moves there: the column that held it before the edit gives it up
    (choosing `Response` as the outcome takes it from the column guessed first). Two columns newly given the
    same role are a conflict the founder must settle."""
    pairs = [(col, _role(role)) for col, role in zip(rows["Column"], rows["Role"], strict=True)]
    before = _assigned(table)
    for role in SINGLE_ROLES:
        holders = [col for col, r in pairs if r == role]
        moved = [col for col in holders if before.get(col) != role]
        if len(holders) > 1 and len(moved) == 1:
            pairs = [(col, "" if r == role and col != moved[0] else r) for col, r in pairs]
    return _mapping(pairs, set(table.roles.get("pii", [])))


def edit_roles(table: Table, edits: dict[str, str]) -> Roles:
    """The table's roles with `edits` ({column: role name}, '' for no role) applied as the role editor would: an
    edited column takes only its new role, and a single role given to it leaves the column that held it."""
    unknown = [c for c in edits if c not in table.frame.columns]
    if unknown:
        columns = ", ".join(f"'{c}'" for c in table.frame.columns)
        raise SchemaError(
            N_("{file} has no column {unknown}; its columns are {columns}."),
            file=table.name,
            unknown=", ".join(map(repr, unknown)),
            columns=columns,
        )
    current = _assigned(table)
    given = {role for role in edits.values() if role in SINGLE_ROLES}
    pairs = []
    for col in table.frame.columns:
        role = edits[col] if col in edits else current.get(col, "")
        if col not in edits and role in given:
            role = ""  # the guess gives way to the explicit choice
        pairs.append((col, role))
    return _mapping(pairs, set(table.roles.get("pii", [])))


def check_kind(kind: str) -> str:
    """A table kind named on the command line, or a SchemaError listing the kinds."""
    if kind not in KINDS:
        raise SchemaError(N_("'{kind}' is not a table kind; use one of {kinds}."), kind=kind, kinds=", ".join(KINDS))
    return kind
