"""Column roles: guess what each column of a table holds, from its name (in several languages) and its values.

Roles are the fixed names the CLI and the tests use; the user corrects the
guess on the Data page and the corrected mapping is what every analysis
reads, through `insight.data.standard.standardize`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

KINDS = ("customers", "transactions", "feedback", "ratings", "items")
SINGLE_ROLES = (
    "customer_id",
    "timestamp",
    "order_id",
    "item_id",
    "item_name",
    "quantity",
    "unit_price",
    "amount",
    "rating",
    "text",
    "label",
)
MULTI_ROLES = ("numeric", "categorical", "pii")
Roles = dict[str, "str | list[str]"]

# Name hints per role, English first, then German, French, Spanish, Portuguese, Italian, Dutch.
_HINTS: dict[str, str] = {
    "customer_id": r"customer|client|user|member|buyer|shopper|account|kunde|kund|cliente|utilisateur|usuario|"
    r"utente|klant|gebruiker|subscriber|contact|^cust|reviewer|author|guest|visitor|patient|student|donor|"
    r"respondent|household|player",
    "order_id": r"order|invoice|transaction|receipt|basket|bestell|rechnung|auftrag|commande|facture|pedido|"
    r"factura|fattura|ordine|bestelling|factuur|bon|beleg",
    "item_id": r"item|product|sku|stock.?code|article|artikel|produkt|produit|producto|produto|prodotto|"
    r"movie|film|book|isbn|asin|ean|upc|service|plan|course",
    "item_name": r"description|descr|title|product.?name|item.?name|bezeichnung|beschreibung|libell|designation|"
    r"descripci|nombre.?prod|titel|titre|titulo|omschrijving",
    "timestamp": r"date|time|datum|fecha|data|jour|day|created|placed|zeit|stamp|when|fecha|dia|giorno",
    "quantity": r"qty|quantit|number.?of|units|count|menge|anzahl|st[uü]ck|cantidad|quantidade|aantal|pieces|cds",
    "unit_price": r"price|unit.?cost|preis|prix|precio|preco|prezzo|prijs|rate",
    "amount": r"amount|total|revenue|sales|spend|spent|value|dollar|euro|paid|payment|sum|betrag|umsatz|summe|"
    r"montant|importe|monto|valor|importo|bedrag|charges|gmv|net|gross",
    "rating": r"rating|stars?$|^overall$|score|grade|bewertung|sterne|note|[eé]valuation|valoraci|puntuaci|avalia|"
    r"voto|valutazione|beoordeling|cijfer",
    "text": r"comment|review|feedback|text|message|body|remark|opinion|sentence|note|kommentar|bewertungstext|"
    r"nachricht|avis|commentaire|comentario|rese|recensione|opmerking|mensaje|complaint|survey|answer",
    "label": r"churn|attrition|exited|cancel|left|lost|gek[uü]ndigt|abandono|r[ée]sili|baja|opzegging|"
    r"outcome|target|label|is.?active|retained|status",
}
# Names that say "this customer left" outright; they win over looser outcome names (IsActiveMember, Status).
_STRONG_LABEL = re.compile(
    r"churn|attrition|exited|cancel|(^|[\W_])(left|lost)($|[\W_])|gek[uü]ndigt|abandono|r[ée]sili|baja|opzegging", re.I
)
# Money that is not what the customer spent on the goods: freight_value, Shipping, Taxes, Amount Refunded.
_NOT_SPEND = r"freight|shipping|postage|porto|versand|tax|vat|fee|discount|tip|refund"
# Counts of things (NumOfProducts, n_items, order_count) are numbers about a customer, not identifiers.
_COUNT_NAME = re.compile(r"^n_|^num.?of|number.?of|count|qty|quantit|anzahl|menge", re.I)
# Ids of other things than customers: never the customer id by the generic "..._id" fallback.
_OTHER_ENTITY = re.compile(
    r"seller|vendor|supplier|merchant|store|shop|business|review|session|event|line|row|record|payment|"
    r"shipment|ticket|campaign|employee|agent|staff|category|region|country|city",
    re.I,
)
_PERSON_NAME = re.compile(r"name$|^name|^nome|^nombre|^nom$|^naam|^vorname|^nachname", re.I)
# ...but not the name of a thing: product_name, Lineitem name, CompanyName, filename
_THING_NAME = re.compile(
    r"(product|item|article|artikel|file|brand|category|store|shop|host|company|business|plan|service|stock|sku|"
    r"movie|film|book|course|city|country|state|region|event|campaign|column|table|sheet|seller|vendor|supplier)"
    r"[\W_]?name$",
    re.I,
)
_CONTACT_NAME = re.compile(
    r"e.?mail|phone|mobile|(^|[\W_])tel(efon|ephone|\.|$|[\W_])|fax|address|street|adresse|stra[sß]e|direcci|"
    r"endere|indirizzo|adres|(^|[\W_])zip|postal|postcode|plz|ssn|passport|iban|birth|geburt|nacimiento",
    re.I,
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
_PHONE = re.compile(r"^\+?[\d\s().\-/]{7,20}$")


def _hint(role: str, name: str) -> bool:
    return re.search(_HINTS[role], name, flags=re.I) is not None


def _is_number(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s)


def _is_integral(s: pd.Series) -> bool:
    v = s.dropna()
    return _is_number(s) and len(v) > 0 and bool(np.all(np.mod(v.to_numpy(dtype=float), 1) == 0))


def _binary_values(s: pd.Series) -> bool:
    present = s.dropna()
    if present.nunique() > 10:  # spelling variants (Yes, yes, YES) aside, two values cannot be more
        return False
    values = {str(v).strip().lower() for v in present.unique()}
    values = {v[:-2] if v.endswith(".0") else v for v in values}
    return 1 < len(values) <= 2


def _sample(s: pd.Series, n: int = 500) -> pd.Series:
    """The first `n` present values as text: enough to judge a column by, cheap on a million rows."""
    return s.head(5000).dropna().astype(str).head(n)


def _mean_words(s: pd.Series) -> float:
    sample = _sample(s)
    return float(sample.str.split().str.len().mean()) if len(sample) else 0.0


def _is_pii(name: str, s: pd.Series) -> bool:
    """Names, contact details and the like: by column name (values that fit) or by values (emails, phones)."""
    sample = _sample(s, 300)
    if _binary_values(sample):  # PhoneService Yes/No is a fact about a plan, not a phone number
        return False
    if _PERSON_NAME.search(name) and not _THING_NAME.search(name):  # "Name" holding #1001 is an order number
        return bool(len(sample)) and sample.str.contains(r"[^\W\d_]").mean() >= 0.5
    if _CONTACT_NAME.search(name):
        return True
    if not _is_text(s) or sample.empty:
        return False
    return _emails(sample) or _phones(sample)


def _phones(sample: pd.Series) -> bool:
    """Phone numbers: 7-15 digits, written with a + or 0 in front or with separators; plain numbers such as
    ids (15634602) or Excel's floats (17850.0) are not phones."""
    digits = sample.str.count(r"\d").between(7, 15)
    plain = sample.str.fullmatch(r"[1-9]\d*(\.\d+)?")
    formatted = sample.str.contains(r"^[+0]|[\s()\-/]")
    return bool((sample.str.match(_PHONE) & digits & ~plain & formatted).mean() > 0.9)


def _emails(sample: pd.Series) -> bool:
    return bool(len(sample)) and bool(sample.str.match(_EMAIL).mean() > 0.8)


def _id_like(s: pd.Series) -> bool:
    """Codes with several distinct values: text or whole numbers, not sentences or dates."""
    v = s.dropna()
    if len(v) == 0 or pd.api.types.is_datetime64_any_dtype(s):
        return False
    if _is_number(s) and not _is_integral(s):
        return False
    if _is_text(s) and _mean_words(s) > 2.5:
        return False
    return v.nunique() >= 2


def _code_like(s: pd.Series) -> bool:
    """Values without spaces (SKU-104, 00042), as opposed to names."""
    sample = _sample(s)
    return bool(len(sample)) and sample.str.contains(" ").mean() < 0.2


def _many_values(s: pd.Series) -> bool:
    v = s.dropna()
    return v.nunique() >= max(2, min(50, 0.01 * len(v)))


def _few_values(s: pd.Series) -> bool:
    """Few enough distinct values to be categories (a plan, a country), as the categorical role uses."""
    return 1 < s.nunique() <= max(12, min(50, 0.05 * len(s)))


def _pick(candidates: list[str], taken: set[str]) -> str | None:
    for c in candidates:
        if c not in taken:
            return c
    return None


def infer_roles(df: pd.DataFrame) -> Roles:
    """Guess the role of each column of a typed table (see `insight.io.parse_types`)."""
    cols = list(df.columns)
    roles: dict[str, object] = {}
    taken: set[str] = set()

    def assign(role: str, col: str | None) -> None:
        if col is not None:
            roles[role] = col
            taken.add(col)

    personal = {c: _is_pii(c, df[c]) for c in cols}
    pii = [c for c in cols if personal[c] and not _hint("customer_id", c.replace("name", ""))]
    pii += [c for c in cols if c not in pii and personal[c] and not _id_like(df[c])]
    pii = [c for c in cols if c in pii]
    taken.update(pii)

    texts = [
        c
        for c in cols
        if c not in taken
        and _is_text(df[c])
        and _mean_words(df[c]) >= 4
        and (_hint("text", c) or not _hint("item_name", c))  # a product description is not feedback
    ]
    texts.sort(key=lambda c: (not _hint("text", c), -_mean_words(df[c])))
    assign("text", texts[0] if texts else None)

    dates = [c for c in cols if c not in taken and pd.api.types.is_datetime64_any_dtype(df[c])]
    dates.sort(
        key=lambda c: (not re.search(r"order|purchase|invoice|trans|paid|rated|created|date$|^date", c, re.I), c)
    )
    ids = [c for c in cols if c not in taken and _id_like(df[c]) and not _COUNT_NAME.search(c)]
    id_roles = ("customer_id", "order_id", "item_id")
    for role in id_roles:
        hinted = [c for c in ids if _hint(role, c)]
        # order_item_id is a line number of an order, product_id the item: fewer other roles' hints first
        hinted.sort(key=lambda c: (sum(_hint(r, c) for r in id_roles if r != role), not _code_like(df[c])))
        assign(role, _pick(hinted, taken))
    unnamed = all(re.fullmatch(r"column_\d+", c) for c in cols)
    many = [c for c in ids if _many_values(df[c])]
    if "customer_id" not in roles and unnamed:
        assign("customer_id", _pick(many, taken))
    if "customer_id" not in roles:
        generic = [
            c
            for c in many
            if re.search(r"(^|[\W_])id$|^id", c, re.I)
            and not _OTHER_ENTITY.search(c)
            and not any(_hint(r, c) for r in ("order_id", "item_id", "text", "rating"))
        ]
        assign("customer_id", _pick(generic, taken))
    if "customer_id" not in roles:  # shops that know customers only by email (Shopify orders, form tools)
        assign("customer_id", next((c for c in pii if _emails(_sample(df[c], 300))), None))
    held_back = [c for c in cols if (c not in taken or c == roles.get("customer_id")) and personal[c]]
    pii += [c for c in held_back if c not in pii]  # names held back above in case they were the only customer id
    taken.update(held_back)
    one_per_customer = "customer_id" in roles and df[roles["customer_id"]].dropna().is_unique
    if one_per_customer and "item_id" in roles and _few_values(df[roles["item_id"]]):
        taken.discard(roles.pop("item_id"))  # a customer's plan or service (3 values) is an attribute

    numbers = [c for c in cols if c not in taken and _is_number(df[c])]
    for role in ("rating", "quantity", "unit_price", "amount"):
        for c in numbers:
            if c in taken or not _hint(role, c):
                continue
            if role == "rating" and not (df[c].min() >= 0 and df[c].max() <= 10):
                continue
            if role == "amount" and re.search(r"score|rank|index|percent|pct|%|rate|" + _NOT_SPEND, c, re.I):
                continue
            assign(role, c)
            break
    if unnamed and "customer_id" in roles:
        free = [c for c in numbers if c not in taken]
        assign("quantity", _pick([c for c in free if _is_integral(df[c]) and df[c].max() < 1000], taken))
        assign("amount", _pick([c for c in free if not _is_integral(df[c])], taken))
    if "item_id" in roles or "order_id" in roles or ("customer_id" in roles and not one_per_customer):
        names = [
            c
            for c in cols
            if c not in taken
            and _is_text(df[c])
            and (_hint("item_name", c) or (_hint("item_id", c) and not _code_like(df[c])))
        ]
        assign("item_name", names[0] if names else None)
    if dates:
        assign("timestamp", dates[0])

    labels = [c for c in cols if c not in taken and _binary_values(df[c])]
    labels.sort(key=lambda c: (not _STRONG_LABEL.search(c), not _hint("label", c)))
    if labels and (_hint("label", labels[0]) or ("text" in roles and unnamed)):
        assign("label", labels[0])

    if unnamed and "customer_id" not in roles and "text" not in roles:
        assign("item_id", _pick([c for c in many if df[c].is_unique], taken))
        short = [c for c in cols if c not in taken and _is_text(df[c]) and df[c].nunique() > 0.5 * len(df)]
        assign("item_name", short[0] if short else None)

    free = [c for c in cols if c not in taken]
    numeric = [c for c in free if _is_number(df[c]) and not _id_like_name(c)]
    categorical = [
        c
        for c in free
        if c not in numeric and (_is_text(df[c]) or pd.api.types.is_bool_dtype(df[c])) and _few_values(df[c])
    ]
    roles["numeric"] = numeric
    roles["categorical"] = categorical
    roles["pii"] = pii  # may hold the customer id itself (an email): the id is then pseudonymised too
    return roles  # type: ignore[return-value]


def _id_like_name(name: str) -> bool:
    return re.search(r"(^|[\W_])(id|code|nr|no|number)$|^id", name, re.I) is not None
