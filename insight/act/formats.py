"""An audience as the import file of the tool a founder already uses: Klaviyo, Mailchimp, Shopify, or plain CSV.

The headers are the ones each tool documents for its import (checked in `tests/test_audiences.py`, which names
the sources):

- Klaviyo list upload: the first column `Email` (or `Phone Number` when there are no emails); other columns map to
  Klaviyo properties by name (`Phone Number`, `First Name`, `Last Name`) or become custom properties (`Segment`,
  `Churn risk`, `Predicted 12-month value`, ...).
- Mailchimp audience import: `Email Address`, `First Name`, `Last Name`, `Tags` (comma-separated).
- Shopify customer import: the columns of Shopify's customer CSV template, in its order, with `Tags` holding the
  segment (and the audience).
- csv: the customer id and every score, for anything else (and for data without emails or phones).

Every file has its formulas neutralised as `insight.data.export.to_safe_csv` does (phone numbers kept whole) and is
UTF-8 with a BOM.
"""

from __future__ import annotations

import re

import pandas as pd

from insight.data.export import neutralise_formulas
from insight.errors import InsightError
from insight.i18n import N_

FORMATS = ("klaviyo", "mailchimp", "shopify", "csv")
PLATFORMS = ("klaviyo", "mailchimp", "shopify")
SHOPIFY_COLUMNS = (
    "First Name",
    "Last Name",
    "Email",
    "Accepts Email Marketing",
    "Default Address Company",
    "Default Address Address1",
    "Default Address Address2",
    "Default Address City",
    "Default Address Province Code",
    "Default Address Country Code",
    "Default Address Zip",
    "Default Address Phone",
    "Phone",
    "Accepts SMS Marketing",
    "Tags",
    "Note",
    "Tax Exempt",
)
PHONE_COLUMNS = ("Phone Number", "Phone")
PLAIN_PHONE = re.compile(r"\+?[\d ().\-/]{6,24}")  # nothing but the characters of a written phone number
MAILCHIMP_COLUMNS = ("Email Address", "First Name", "Last Name", "Tags")
# The scores an audience may carry: internal column -> header in the Klaviyo and csv files, with the decimals kept
SCORES = {
    "segment": ("Segment", None),
    "offer": ("Offer", None),
    "churn_risk": ("Churn risk", 2),
    "chance_yes": ("Chance of yes", 2),  # an outcome that is not leaving (a campaign's reply)
    "value_12m": ("Predicted 12-month value", 2),
    "predicted_value": ("Predicted value", 2),
    "p_alive": ("Chance still buying", 2),
    "next_order": ("Next order date", None),
    "days_to_next": ("Days to next order", 0),
    "usual_gap_days": ("Usual days between orders", 0),
    "days_since_last": ("Days since last order", 0),
}


def check_format(fmt: str) -> str:
    """The format name, lower-cased; an InsightError naming the choices otherwise."""
    name = str(fmt).strip().lower()
    if name not in FORMATS:
        raise InsightError(
            N_("'{fmt}' is not an audience format; use one of {value}."), fmt=fmt, value=", ".join(FORMATS)
        )
    return name


def tag(text: object) -> str:
    """One tag: the tools split tags at commas, so a comma inside a name becomes a space."""
    return " ".join(str(text).replace(",", " ").split())


def _scores(members: pd.DataFrame) -> pd.DataFrame:
    """The score columns present, under their headers, rounded; dates as YYYY-MM-DD."""
    out = pd.DataFrame(index=members.index)
    for col, (header, decimals) in SCORES.items():
        if col not in members:
            continue
        values = members[col]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), None)
        elif decimals is not None:
            values = pd.to_numeric(values, errors="coerce").round(decimals)
            values = values.astype("Int64") if decimals == 0 else values
        out[header] = values
    return out


def _with_contacts(members: pd.DataFrame, contacts: pd.DataFrame) -> pd.DataFrame:
    """Members joined to their contact details, keeping only those a tool can match (an email or a phone)."""
    joined = members.merge(contacts, on="customer_id", how="left")
    reachable = joined["email"].notna() | joined["phone"].notna()
    return joined[reachable].reset_index(drop=True)


def _tags(members: pd.DataFrame, audience_tag: str) -> pd.Series:
    """The audience's tag, and the customer's segment when it says something more."""
    segment = members["segment"].map(tag) if "segment" in members else pd.Series("", index=members.index)
    main = tag(audience_tag)
    return segment.map(lambda s: main if not s or s == main else f"{main}, {s}")


def klaviyo(members: pd.DataFrame, contacts: pd.DataFrame, audience_tag: str) -> pd.DataFrame:
    """Klaviyo's list upload: Email first (Phone Number when nobody has an email), names, then the scores."""
    joined = _with_contacts(members, contacts)
    first = "Email" if joined["email"].notna().any() else "Phone Number"
    out = pd.DataFrame(
        {
            "Email": joined["email"],
            "Phone Number": joined["phone"],
            "First Name": joined["first_name"],
            "Last Name": joined["last_name"],
        }
    )
    out = out[[first, *[c for c in out.columns if c != first]]]
    if first == "Phone Number":
        out = out.drop(columns="Email")
    out["Audience"] = tag(audience_tag)
    return pd.concat([out, _scores(joined)], axis=1)


def mailchimp(members: pd.DataFrame, contacts: pd.DataFrame, audience_tag: str) -> pd.DataFrame:
    """Mailchimp's audience import: only customers with an email (it matches by email alone)."""
    joined = _with_contacts(members, contacts)
    joined = joined[joined["email"].notna()].reset_index(drop=True)
    return pd.DataFrame(
        {
            "Email Address": joined["email"],
            "First Name": joined["first_name"],
            "Last Name": joined["last_name"],
            "Tags": _tags(joined, audience_tag),
        },
        columns=list(MAILCHIMP_COLUMNS),
    )


def shopify(members: pd.DataFrame, contacts: pd.DataFrame, audience_tag: str) -> pd.DataFrame:
    """Shopify's customer import template, every column in its order; what the data does not say stays empty
    (marketing consent is never assumed)."""
    joined = _with_contacts(members, contacts)
    out = pd.DataFrame({col: pd.Series(None, index=joined.index, dtype=object) for col in SHOPIFY_COLUMNS})
    out["First Name"], out["Last Name"] = joined["first_name"], joined["last_name"]
    out["Email"], out["Phone"] = joined["email"], joined["phone"]
    out["Tags"] = _tags(joined, audience_tag)
    return out


def plain(members: pd.DataFrame) -> pd.DataFrame:
    """The csv format: the customer id and every score."""
    ids = members[["customer_id"]].rename(columns={"customer_id": "Customer ID"})
    return pd.concat([ids, _scores(members)], axis=1)


def render(members: pd.DataFrame, fmt: str, contacts: pd.DataFrame | None, audience_tag: str) -> pd.DataFrame:
    """The audience's rows in `fmt`; the platform formats need `contacts` (the owner's clear emails and names)."""
    fmt = check_format(fmt)
    if fmt == "csv":
        return plain(members)
    if contacts is None:
        raise InsightError(
            N_(
                "The {capitalize} file needs each customer's email or phone, which this session does not "
                "hold; use the csv format."
            ),
            capitalize=fmt.capitalize(),
        )
    return {"klaviyo": klaviyo, "mailchimp": mailchimp, "shopify": shopify}[fmt](members, contacts, audience_tag)


def to_bytes(table: pd.DataFrame) -> bytes:
    """The file's bytes: formulas neutralised, UTF-8 with a BOM so Excel reads Chinese names right.

    A phone number written +44 7390 733076 starts like a formula but holds nothing a spreadsheet could run (digits,
    spaces, brackets, dots, dashes), and a quote in front would spoil it for the tool's import: such numbers are
    kept as they are, any other value in a phone column is neutralised like every cell."""
    safe = neutralise_formulas(table)
    for col in PHONE_COLUMNS:
        if col in table:
            plain_phone = table[col].map(lambda x: isinstance(x, str) and PLAIN_PHONE.fullmatch(x) is not None)
            safe[col] = safe[col].where(~plain_phone, table[col])
    return safe.to_csv(index=False).encode("utf-8-sig")
