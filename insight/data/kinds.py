"""Table kinds and how tables relate: guess a table's kind, find the item catalogue, borrow customer ids
from an orders file, and check a (possibly user-edited) role mapping.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight.data import values as v
from insight.data.hints import MULTI_ROLES, SINGLE_ROLES, Roles, bare_id, id_like_name, question
from insight.data.standard import normalize_ids
from insight.data.values import few_values, is_number, is_text
from insight.errors import SchemaError

_LINE = ("item_id", "item_name", "order_id", "quantity")  # what makes a row one line of an order
# Roles a kind has no use for; a guessed one moves to the numeric or categorical attributes
_UNUSED = {
    "customers": ("order_id", "item_id", "item_name", "quantity", "unit_price", "amount", "refund", "rating"),
    "items": ("order_id", "quantity", "amount", "refund", "rating", "timestamp", "label"),
    "feedback": ("amount", "refund", "quantity", "unit_price"),
    "ratings": ("amount", "refund", "quantity", "unit_price", "label"),
    "transactions": ("label",),
}
SURVEY_QUESTIONS = 3  # question headers ("5. How often do you visit?") that make a table a survey


def infer_kind(df: pd.DataFrame, roles: Roles) -> str:
    """Guess what a table holds from its roles and whether customer ids repeat.

    Orders without a customer column are still orders (transactions); a table of item ids or names with
    prices and no orders is a catalogue (items); answers to several questions are feedback, with or without
    free text. Roles naming a column the file does not have (yet: a customer id borrowed from an orders file)
    are left out of the guess; `validate_roles` reports them if they stay missing.
    """
    roles = {r: c for r, c in roles.items() if r in MULTI_ROLES or c in df.columns}

    def has(role: str) -> bool:
        return bool(roles.get(role))

    money = has("amount") or (has("quantity") and has("unit_price"))
    if has("text") and not money:
        return "feedback"
    cid = roles.get("customer_id")
    if cid and has("rating") and has("item_id") and not money:
        return "ratings"
    if cid:
        repeats = not df[cid].dropna().is_unique
        events = any(has(r) for r in ("timestamp", "amount", *_LINE))
        lines = has("timestamp") and any(has(r) for r in _LINE)
        return "transactions" if (repeats and events) or lines else "customers"
    if has("timestamp") and (money or any(has(r) for r in _LINE)):
        return "transactions"
    if has("order_id") and any(has(r) for r in ("item_id", "item_name", "quantity", "amount")):
        return "transactions"
    if has("item_id") or has("item_name"):
        return "items"
    if sum(question(str(c)) for c in df.columns) >= SURVEY_QUESTIONS and (has("label") or has("rating")):
        return "feedback"
    return "customers"


def prune_roles(df: pd.DataFrame, roles: Roles, kind: str) -> Roles:
    """The roles without those the kind has no use for (a customer list's spend is an attribute, not an order
    amount; a catalogue's star rating is no one's rating); pruned columns become attributes."""
    out = dict(roles)
    numeric = list(out.get("numeric", []))
    categorical = list(out.get("categorical", []))
    for role in _UNUSED.get(kind, ()):
        col = out.pop(role, None)
        if not col or col not in df.columns:
            continue
        if is_number(df[col]) and df[col].nunique() > 1:
            numeric.append(col)
        elif (is_text(df[col]) or pd.api.types.is_bool_dtype(df[col])) and few_values(df[col]):
            categorical.append(col)
    order = {c: i for i, c in enumerate(df.columns)}
    out["numeric"] = sorted(dict.fromkeys(numeric), key=order.get)
    out["categorical"] = sorted(dict.fromkeys(categorical), key=order.get)
    return out


def link_items(tables: list[tuple[pd.DataFrame, Roles, str]]) -> list[str]:
    """Re-label a table as the `items` catalogue when its unique ids are another table's item ids."""
    item_values = set()
    for df, roles, kind in tables:
        if kind in ("transactions", "ratings") and roles.get("item_id"):
            item_values |= set(normalize_ids(pd.Series(df[roles["item_id"]].dropna().unique())).dropna())
    kinds = []
    for df, roles, kind in tables:
        cid = roles.get("customer_id")
        if kind == "customers" and cid and item_values and df[cid].is_unique:
            ids = set(normalize_ids(df[cid]).dropna())
            if len(ids & item_values) >= 0.8 * len(ids):
                roles["item_id"] = roles.pop("customer_id")
                for role in ("quantity", "amount", "unit_price"):
                    if roles.get(role):
                        roles["numeric"] = [*roles.get("numeric", []), roles.pop(role)]
                if not roles.get("item_name"):
                    short = [c for c in df.columns if is_text(df[c]) and c not in roles.get("pii", [])]
                    short += roles.get("pii", [])
                    if short:
                        roles["item_name"] = short[0]
                        roles["pii"] = [c for c in roles.get("pii", []) if c != short[0]]
                kind = "items"
        kinds.append(kind)
    return kinds


def borrow_customer_ids(tables: list[tuple[str, pd.DataFrame, Roles]]) -> list[tuple[pd.DataFrame, str | None]]:
    """Order lines (or reviews) without a customer id take it, and the order date when they lack one, from an
    orders table of the same upload by order id, as exports that split orders and order lines need.

    Returns each table's frame (with the borrowed columns added and its roles updated in place) and a note
    saying what was borrowed, or None when nothing was.
    """
    headers = [(n, df, r) for n, df, r in tables if r.get("order_id") and r.get("customer_id")]
    header_ids = [normalize_ids(h[r["order_id"]]) for _, h, r in headers]
    out: list[tuple[pd.DataFrame, str | None]] = []
    for _, df, roles in tables:
        lacks = [r for r in ("customer_id", "timestamp") if roles.get(r) not in df.columns]  # or names a borrowed one
        if "customer_id" not in lacks or roles.get("order_id") not in df.columns or not headers:
            out.append((df, None))
            continue
        orders = normalize_ids(df[roles["order_id"]])
        found = [orders.isin(ids.dropna()) for ids in header_ids]
        best = int(np.argmax([f.mean() for f in found]))
        if found[best].mean() < 0.5:
            out.append((df, None))
            continue
        name, header, hroles = headers[best]
        lookup = header.set_index(header_ids[best])
        lookup = lookup[~lookup.index.duplicated() & lookup.index.notna()]
        df = df.copy()
        borrowed = ["customer_id", *(["timestamp"] if hroles.get("timestamp") and "timestamp" in lacks else [])]
        for role in borrowed:
            column = next(c for c in (role, f"{role} (from {name})", f"{role}_{name}") if c not in df.columns)
            df[column] = orders.map(lookup[hroles[role]]).to_numpy()
            roles[role] = column
            if hroles[role] in hroles.get("pii", []) and column not in roles.get("pii", []):  # an email stays personal
                roles["pii"] = [*roles.get("pii", []), column]
        matched = int(found[best].sum())
        what = " and order date" if len(borrowed) > 1 else ""
        out.append((df, f"customer id{what} taken from {name} by order id ({matched:,} of {len(df):,} rows matched)"))
    return out


def validate_roles(df: pd.DataFrame, roles: Roles, kind: str) -> None:
    """Check a (possibly user-edited) mapping: known roles, existing columns, one role per column, and what each
    kind needs; every problem is listed at once, with the fix."""
    problems = []
    single: dict[str, str] = {}
    for role, cols in roles.items():
        if role not in SINGLE_ROLES + MULTI_ROLES:
            problems.append(f"'{role}' is not a known role (use one of: {', '.join(SINGLE_ROLES + MULTI_ROLES)})")
            continue
        if role in SINGLE_ROLES and cols is not None and not isinstance(cols, str):
            problems.append(f"role '{role}' can go to one column only; it was given {len(cols)}")
            continue
        for c in [cols] if isinstance(cols, str) else cols or []:
            if c not in df.columns:
                problems.append(f"role '{role}' points at '{c}', which is not a column of this file")
            elif role in SINGLE_ROLES and c in single:
                problems.append(f"column '{c}' has two roles, '{single[c]}' and '{role}': keep one")
            elif role in SINGLE_ROLES:
                single[c] = role
    need = {
        "feedback": ["text"] if not (roles.get("label") or roles.get("rating")) else [],
        "ratings": ["customer_id", "item_id", "rating"],
        "items": ["item_id"] if not roles.get("item_name") else [],
    }.get(kind, [])
    for role in need:
        if not roles.get(role):
            problems.append(f"a {kind} table needs a '{role}' column: pick it in the role editor")
    money = roles.get("amount") or roles.get("unit_price")
    if kind == "transactions" and not money and not roles.get("timestamp"):
        problems.append("a transactions table needs a date or an amount (or a unit price)")
    if problems:
        raise SchemaError("; ".join(problems) + ".")


def ignored_columns(df: pd.DataFrame, roles: Roles) -> dict[str, str]:
    """The columns given no role, each with the reason in a few words (for the Data page and the JSON)."""
    used: set[str] = set()
    for cols in roles.values():
        used.update([cols] if isinstance(cols, str) else cols or [])
    out = {}
    for c in df.columns:
        if c in used:
            continue
        s = df[c]
        if not s.notna().any():
            out[c] = "empty in every row"
        elif v.constant(s):
            out[c] = "the same value in every row"
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[c] = f"another date ({roles['timestamp']} is the date used)" if roles.get("timestamp") else "a date"
        elif bare_id(str(c)) or id_like_name(str(c)) or (v.is_text(s) and s.dropna().is_unique and v.code_like(s)):
            out[c] = "an identifier no analysis uses"
        elif v.is_text(s) and v.words_per_value(s) >= 4:
            out[c] = "free text that is not the feedback text"
        elif v.is_text(s):
            out[c] = "too many different values to group by"
        else:
            out[c] = "not used by any analysis"
    return out
