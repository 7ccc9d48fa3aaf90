"""The last passes over a column-role guess (`insight.data.roles`): order numbers, which id is the table's own,
ids found by fallback, money columns without a telling name, the item a review is about, and line ids dropped."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from insight.data import values as v
from insight.data.hints import (
    COUNT_NAME,
    OTHER_ENTITY,
    bare_id,
    entity_hint,
    words,
)
from insight.data.people import author

TEXTS_PER_AUTHOR = 1.5  # below this the "authors" are one-off names (es buyers), not customers to follow

_ORDER_NUMBER = re.compile(r"^#\d+$")  # Shopify's order "Name": #1030

if TYPE_CHECKING:
    from insight.data.roles import Guess


def order_numbers(g: Guess) -> None:
    """A text column of '#1030' values is the order number, whatever its name (Shopify calls it 'Name')."""
    if "order_id" not in g.roles:
        df = g.df
        numbers = [
            c
            for c in g.cols
            if g.free(c) and v.is_text(df[c]) and v.sample(df[c]).str.match(_ORDER_NUMBER).mean() > 0.9
        ]
        g.assign("order_id", numbers[0] if numbers else None)


def table_ids(g: Guess, catalogue: bool, personal: dict[str, bool]) -> None:
    """Ids found by what the table is: a bare `id` is the id of the table's own thing, and a feedback table's
    repeat authors are its customers."""
    df = g.df
    bare = [c for c in g.cols if g.free(c) and bare_id(str(c)) and v.id_values(df[c])]
    if bare:
        col = bare[0]
        money = "amount" in g.roles or "unit_price" in g.roles
        if "text" in g.roles:
            g.taken.add(col)  # a review's own id
        elif catalogue or ("item_name" in g.roles and "unit_price" in g.roles and "customer_id" not in g.roles):
            g.assign("item_id", col)
        elif "timestamp" in g.roles and money and df[col].dropna().is_unique:
            g.taken.add(col)  # a row key of a dated log (1307011 = date + group)
        elif "customer_id" not in g.roles and "order_id" not in g.roles and not v.categories(df[col]):
            g.assign("customer_id", col)
    if "customer_id" not in g.roles and "text" in g.roles:
        authors = [c for c in g.cols if author(df[c], c) and c != g.roles.get("item_name") and follows(g, c)]
        if authors:
            g.assign("customer_id", authors[0])
            personal[authors[0]] = True


def follows(g: Guess, col: str) -> bool:
    """Whether names in `col` can follow a customer: in feedback only when authors write several texts."""
    if "text" not in g.roles:
        return True
    s = g.df[col].dropna()
    return len(s) / max(s.nunique(), 1) >= TEXTS_PER_AUTHOR


def fallback_ids(g: Guess, pii: list[str]) -> None:
    """Files without names: the first many-valued code is the customer; shops that know customers only by
    email use the email."""
    df = g.df
    ids = [c for c in g.cols if g.free(c) and v.id_values(df[c]) and not COUNT_NAME.search(c)]
    many = [c for c in ids if v.many_values(df[c]) and not v.categories(df[c]) and not v.masked(df[c])]
    if "customer_id" not in g.roles and g.unnamed:
        g.assign("customer_id", next(iter(many), None))
    if "customer_id" not in g.roles:
        g.assign("customer_id", next((c for c in pii if v.emails(v.sample(df[c], 300))), None))


def unnamed_values(g: Guess) -> None:
    """Headerless files: numbers beside a customer id are a quantity (small whole numbers) and an amount."""
    df = g.df
    if g.unnamed and "customer_id" in g.roles:
        free = [c for c in g.cols if g.free(c) and v.is_number(df[c]) and not v.binary_values(df[c])]
        g.assign("quantity", next((c for c in free if v.is_integral(df[c]) and df[c].max() < 1000), None))
        g.assign("amount", next((c for c in free if g.free(c) and not v.is_integral(df[c])), None))
    if g.unnamed and "customer_id" not in g.roles and "text" not in g.roles:
        many = [c for c in g.cols if g.free(c) and v.id_values(df[c]) and df[c].is_unique]
        g.assign("item_id", next(iter(many), None))
        short = [c for c in g.cols if g.free(c) and v.is_text(df[c]) and df[c].nunique() > 0.5 * len(df)]
        g.assign("item_name", next(iter(short), None))


def reviewed_item(g: Guess) -> None:
    """What the reviews are about when the file names it by an id (JD's referenceId, one product for every
    review): an id-shaped column of codes that repeat over the texts, naming no customer or order."""
    if "text" not in g.roles or "item_id" in g.roles:
        return
    df = g.df
    for c in g.cols:
        s = df[c].dropna()
        parts = words(str(c))
        if c in g.taken or s.empty or bare_id(str(c)) or len(parts) < 2 or parts[-1] not in ("id", "ids"):
            continue
        if entity_hint("customer", c) or entity_hint("order", c) or OTHER_ENTITY.search(" ".join(parts)):
            continue
        if (v.is_integral(df[c]) or v.code_like(df[c])) and len(s) >= 3 * s.nunique():
            g.assign("item_id", c)
            return


def drop_line_ids(g: Guess) -> None:
    """An 'order' id unique on every line of a file with items and quantities numbers lines, not orders
    (Etsy's Transaction ID): counting it as orders would make every line an order."""
    order = g.roles.get("order_id")
    if order and ("item_id" in g.roles or "item_name" in g.roles) and "quantity" in g.roles:
        ids = g.df[order].dropna()
        if len(ids) > 1 and ids.is_unique and not re.search(r"order|invoice|bestell|commande|pedido|订单", order, re.I):
            g.drop("order_id")
