"""Column roles: guess what each column of a table holds, from its name (in several languages) and its values.

A name proposes, the values decide: a column with one value in every row takes no role, an id holds codes
with many values (never yes/no, never sentences), money is never an item id, a count or an average is never
the amount, and a name that says "leaving" is what makes a churn label. Once the table's kind is known, the
roles it has no use for become attributes (`insight.data.kinds.prune_roles`).

Roles are the fixed names the CLI and the tests use; the user corrects the guess on the Data page (or with
`--role` on the command line) and the corrected mapping is what every analysis reads, through
`insight.data.standard.standardize`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd

from insight.data import values as v
from insight.data.hints import (
    AGGREGATE,
    ATTRIBUTE,
    COUNT_NAME,
    GENERIC_HEADER,
    KINDS,
    MULTI_ROLES,
    OTHER_ENTITY,
    REFUND,
    SINGLE_ROLES,
    SNAPSHOT_TIME,
    Roles,
    entity_hint,
    id_like_name,
    id_name,
    not_spend,
    paid_name,
    question,
    time_tier,
    value_hint,
    words,
)
from insight.data.kinds import infer_kind, prune_roles
from insight.data.outcome import choose_outcome, feedback_label
from insight.data.people import PERSON_HINT, THING_NAME, author
from insight.data.people import personal as personal_data
from insight.data.role_ids import (
    drop_line_ids,
    fallback_ids,
    follows,
    order_numbers,
    reviewed_item,
    table_ids,
    unnamed_values,
)

__all__ = ["KINDS", "MULTI_ROLES", "SINGLE_ROLES", "Roles", "infer_roles"]

ORDER_LEVEL_EVIDENCE = 3  # orders with several lines needed before money is called an order's, not a line's
_PRICE_TIERS = (
    re.compile(r"^(price|prices|unit price|unit cost|preis|prix|precio|preço|prezzo|prijs)$|单价|售价", re.I),
    re.compile(r"regular|list|base|retail|normal|standard|unit|定价", re.I),
    re.compile(r"original|compare|was", re.I),
)
_WEAK_AMOUNT = re.compile(r"sub.?total|gross|value|应收|应付|原价|标价", re.I)
_ITEM_NAME_FIRST = re.compile(r"product.?name|item.?name|商品名|产品名|宝贝标题|书名|^title$|^name$|标题|名称", re.I)


def _line_number(name: str) -> bool:
    return bool({"line", "lines", "position", "pos", "row", "seq", "sequence", "lfd", "zeile"} & set(words(name)))


class Guess:
    """The state of one table's guess: the frame, the roles so far and the columns already taken."""

    def __init__(self, df: pd.DataFrame) -> None:
        self.df = df
        self.cols = list(df.columns)
        self.roles: dict[str, object] = {}
        self.taken: set[str] = set()
        self.present = {c: bool(df[c].notna().any()) for c in self.cols}
        self.constant = {c: v.constant(df[c]) for c in self.cols}
        self.unnamed = all(re.fullmatch(r"column_\d+", str(c)) for c in self.cols)
        self._position = {c: i for i, c in enumerate(self.cols)}

    def free(self, c: str) -> bool:
        return c not in self.taken and self.present[c] and not self.constant[c]

    def assign(self, role: str, col: str | None) -> None:
        if col is not None and role not in self.roles:
            self.roles[role] = col
            self.taken.add(col)

    def drop(self, role: str) -> None:
        col = self.roles.pop(role, None)
        if col is not None:
            self.taken.discard(col)

    def order(self, c: str) -> int:
        """The column's position: ties between candidates go to the earlier column."""
        return self._position[c]


def _catalogue(g: Guess) -> bool:
    """Prices of things, no customers, orders or quantities: a product catalogue (its descriptions are not
    reviews, its bare `id` is the item)."""
    df = g.df
    price = any(v.is_number(df[c]) and g.free(c) and value_hint("unit_price", c) for c in g.cols)
    others = any(
        g.present[c] and (id_name("customer", c) or id_name("order", c) or value_hint("quantity", c))
        for c in g.cols
        if not question(c)
    )
    return price and not others


def _free_text(g: Guess) -> Iterator[tuple[str, pd.Series]]:
    """The unassigned columns of words that could be a text or a name: mostly filled, not a multi-select,
    not links."""
    for c in g.cols:
        s = g.df[c]
        if not g.free(c) or not v.is_text(s) or v.fill(s) < 0.3 or v.multi_select(s):
            continue
        if v.sample(s).str.match(r"^https?://").mean() > 0.5:
            continue
        yield c, s


def _text(g: Guess, catalogue: bool) -> None:
    """The feedback text: long, mostly distinct, mostly filled values (CJK characters counted as words)."""
    candidates = []
    for c, s in _free_text(g):
        if catalogue and value_hint("item_name", c):
            continue  # a catalogue's descriptions and titles describe its products
        hinted = value_hint("text", c)
        if (value_hint("item_name", c) or not hinted) and v.distinct_share(s) < 0.3:
            continue  # the same few descriptions on every line: products named, not texts written
        length = v.words_per_value(s)
        if (hinted and length >= 4) or length >= 8 or v.chars_per_value(s) >= 40:
            candidates.append((not hinted, -length, g.order(c), c))
    if candidates:
        g.assign("text", min(candidates)[-1])


def _timestamp(g: Guess) -> None:
    """The event's own date (sale, order, created before paid, shipped), never when a record was updated."""
    df = g.df
    dates = [
        c
        for c in g.cols
        if c not in g.taken
        and g.present[c]
        and (not g.constant[c] or value_hint("timestamp", c))  # a one-day export's date still dates its orders
        and pd.api.types.is_datetime64_any_dtype(df[c])
        and not SNAPSHOT_TIME.search(c)
        and not re.search(r"birth|geburt|出生|生日", c, re.I)
    ]
    if dates:
        key = lambda c: (g.constant[c], time_tier(c), -v.fill(df[c]), g.order(c))  # noqa: E731
        g.assign("timestamp", min(dates, key=key))


def _ids(g: Guess) -> None:
    """Customer, order and item ids by id-shaped names (CustomerID, Order No, Kundennummer, 商品编码) whose
    values are codes with many values; a line's position in its order is never the item."""
    df = g.df
    entities = {"customer": "customer_id", "order": "order_id", "item": "item_id"}
    for entity, role in entities.items():
        candidates = []
        for c in g.cols:
            s = df[c]
            if not g.free(c) or question(c) or COUNT_NAME.search(c) or AGGREGATE.search(c) or _line_number(c):
                continue
            if ATTRIBUTE.search(c) or not id_name(entity, c) or v.fill(s) < 0.3:
                continue
            if entity == "customer" and OTHER_ENTITY.search(" ".join(words(c))) and not entity_hint("customer", c):
                continue
            if entity == "customer" and v.masked(s):
                continue  # j***e: masked names collide, so they follow no one
            few_ok = entity == "item" and s.nunique() >= 3  # a bakery's six product groups are items
            if not (v.id_values(s) or (few_ok and (v.is_text(s) or v.is_integral(s)))):
                continue
            if entity != "customer" and v.is_text(s) and not v.code_like(s):  # Bread, Scandinavian: item names
                continue
            others = sum(entity_hint(e, c) for e in entities if e != entity)
            candidates.append((others, -v.fill(s), not v.code_like(s), g.order(c), c))
        if candidates:
            g.assign(role, min(candidates)[-1])


def _order_level(g: Guess, col: str) -> bool:
    """Money repeated on every line of an order (ORDER_TOTAL on each line): an order's figure, not the line's."""
    order = g.roles.get("order_id")
    if not order:
        return False
    line = [c for c in (order, col, g.roles.get("item_id"), g.roles.get("quantity")) if c]
    frame = g.df[line].drop_duplicates()[[order, col]].dropna()  # a line exported twice is no second line
    sizes = frame.groupby(order)[col].transform("size")
    multi = frame[sizes > 1]
    if multi[order].nunique() < ORDER_LEVEL_EVIDENCE:
        return False
    return bool((multi.groupby(order)[col].nunique() == 1).mean() >= 0.95)


def _values(g: Guess) -> None:
    """Quantity, unit price, amount and rating: hinted numbers, never counts of other things, averages, survey
    questions or money that is not the goods (shipping, tax, a running balance)."""
    df = g.df

    def numbers(role: str) -> list[str]:
        out = []
        for c in g.cols:
            # one price for every line is still the price of each (amount = quantity x price)
            usable = g.free(c) or (role == "unit_price" and "quantity" in g.roles and g.present[c] and c not in g.taken)
            if not usable or not v.is_number(df[c]) or question(c):
                continue
            if role != "quantity" and COUNT_NAME.search(c):
                continue
            if AGGREGATE.search(c) and role != "rating":
                continue
            hinted = value_hint(role, c) or (role == "quantity" and words(c)[:2] in (("number", "of"), ("num", "of")))
            if hinted:
                out.append(c)
        return out

    quantity = [c for c in numbers("quantity") if not re.search(r"种类|类别|kinds|types", c, re.I)]
    if quantity:
        g.assign("quantity", min(quantity, key=lambda c: (-v.fill(df[c]), g.order(c))))
    prices = numbers("unit_price")
    if prices:
        g.assign("unit_price", min(prices, key=lambda c: (_price_tier(c), -v.fill(df[c]), g.order(c))))
    amounts = [
        c
        for c in numbers("amount")
        if not not_spend(c)
        and not re.search(r"score|rank|index|percent|pct|%|rate", c, re.I)
        and not _order_level(g, c)
    ]
    if amounts:  # what was paid (实付, Amount paid) before what was owed (Total, 总金额)
        key = lambda c: (not paid_name(c), bool(_WEAK_AMOUNT.search(c)), -v.fill(df[c]), g.order(c))  # noqa: E731
        g.assign("amount", min(amounts, key=key))
    refunds = [c for c in g.cols if g.free(c) and v.is_number(df[c]) and REFUND.search(c) and not COUNT_NAME.search(c)]
    if refunds and "amount" in g.roles:
        g.assign("refund", refunds[0])
    ratings = [c for c in numbers("rating") if df[c].min() >= 0 and df[c].max() <= 10]
    if ratings:
        g.assign("rating", min(ratings, key=lambda c: (len(words(c)), -v.fill(df[c]), g.order(c))))


def _price_tier(name: str) -> int:
    """0 for the price itself, 1 a list or regular price, 2 an original price, 3 a sale or member price."""
    spaced = " ".join(words(name))
    for tier, pattern in enumerate(_PRICE_TIERS):
        if pattern.search(spaced) or pattern.search(name):
            return tier
    return len(_PRICE_TIERS)


def _item_name(g: Guess, catalogue: bool) -> None:
    """The name of the thing sold or reviewed: a hinted text column of words (not codes); in feedback, a short
    repeated one (the hotel, the product variant, the shop) reviewed by many texts."""
    feedback = "text" in g.roles
    lines = any(g.roles.get(r) for r in ("item_id", "order_id", "quantity", "amount", "unit_price"))
    if not (feedback or lines or catalogue or "timestamp" in g.roles):
        return
    candidates = []
    for c, s in _free_text(g):
        hinted = value_hint("item_name", c) or (entity_hint("item", c) and not v.code_like(s))
        if (ATTRIBUTE.search(c) and len(words(c)) > 1) or v.sample(s).str.match(r"^#?\d+$").mean() > 0.9:
            continue  # productColor is an attribute of the product, #1030 an order number
        if v.binary_values(s) or entity_hint("customer", c):
            continue  # Standard/Expedited is a choice, userLevelName the customer's tier: not the things sold
        if feedback:
            repeated = len(s.dropna()) / max(s.nunique(), 1) >= 3
            titled = _ITEM_NAME_FIRST.search(c) is not None and v.words_per_value(s) <= 30  # a listing's title
            short = v.words_per_value(s) <= 5 or titled
            generic = GENERIC_HEADER.match(c) is not None
            person = PERSON_HINT.search(c) and not THING_NAME.search(c)  # reviewerName, not BankName
            if not (repeated and short and (hinted or generic)) or (person and not generic):
                continue
        elif not hinted or v.words_per_value(s) > 30:
            continue
        candidates.append((not _ITEM_NAME_FIRST.search(c), bool(re.search(r"descr", c, re.I)), g.order(c), c))
    if candidates:
        g.assign("item_name", min(candidates)[-1])


def _label(g: Guess) -> None:
    """The outcome (`insight.data.outcome`): in feedback, the people's sentiment classes; elsewhere the two-valued
    column named most surely as a result, none when two are equally plausible (the Data page asks)."""
    df = g.df
    free = [c for c in g.cols if g.free(c)]
    if "text" in g.roles:
        g.assign("label", feedback_label(df, free))
        if "label" not in g.roles and g.unnamed:
            g.assign("label", next((c for c in free if v.binary_values(df[c])), None))
    else:
        g.assign("label", choose_outcome(df, free)[0])


def infer_roles(df: pd.DataFrame) -> Roles:
    """Guess the role of each column of a typed table (see `insight.data.types.parse_types`)."""
    g = Guess(df)
    personal = {c: personal_data(str(c), df[c]) for c in g.cols}
    catalogue = _catalogue(g)
    if catalogue:  # a catalogue's Name or Title is the product's
        personal.update({c: False for c in g.cols if words(str(c)) in (("name",), ("title",))})
    held = {c for c in g.cols if personal[c]}
    g.taken.update(held)
    _text(g, catalogue)
    g.taken.difference_update(held)
    if "text" in g.roles:  # reviewers' names and handles (comprador, utilisateur) are personal data
        for c in g.cols:
            if c not in g.taken and author(df[c], c):
                personal[c] = True
                held.add(c)
    names_as_ids = {c for c in held if entity_hint("customer", c) and v.id_values(df[c]) and follows(g, c)}
    g.taken.update(held - names_as_ids)  # a buyer's handle may be the customer id (and stays personal data)
    _ids(g)
    g.taken.update(names_as_ids - {g.roles.get("customer_id")})
    order_numbers(g)
    _values(g)
    _timestamp(g)
    _label(g)
    _item_name(g, catalogue)
    table_ids(g, catalogue, personal)
    _item_name(g, catalogue)
    pii = [c for c in g.cols if personal[c]]
    fallback_ids(g, pii)
    unnamed_values(g)
    reviewed_item(g)
    drop_line_ids(g)
    if catalogue or ("item_name" in g.roles and not any(g.roles.get(r) for r in ("customer_id", "order_id"))):
        name = g.roles.get("item_name")
        pii = [c for c in pii if c != name]  # a catalogue's Name is the product's
    roles: dict[str, object] = dict(g.roles)
    free = [c for c in g.cols if c not in g.taken and c not in pii and g.present[c] and not g.constant[c]]
    roles["numeric"] = [c for c in free if v.is_number(df[c]) and not id_like_name(c)]
    roles["categorical"] = [
        c
        for c in free
        if c not in roles["numeric"] and (v.is_text(df[c]) or pd.api.types.is_bool_dtype(df[c])) and v.few_values(df[c])
    ]
    roles["pii"] = pii  # may hold the customer id itself (an email, a handle): the id is then pseudonymised too
    return prune_roles(df, roles, infer_kind(df, roles))  # type: ignore[arg-type]
