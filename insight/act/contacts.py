"""Who to contact and how: the email, phone and first and last name of each customer, from the owner's clear
personal data, as marketing tools want them.

The clear values exist only in the owner's session and in the CLI, which runs on the owner's files (see
`insight.data.dataset.build_dataset_with_lookup`); a share viewer has none, so this module is never given any.
Which column is the email, the phone or a name is read from the column's values first, then its name. One name
column is split into first and last name: "Mia Rossi" and "Rossi, Mia" alike, and a Chinese name by its surname
("欧阳娜娜": 欧阳 and 娜娜).
"""

from __future__ import annotations

import re

import pandas as pd

from insight.data import values as v

CONTACT_FIELDS = ("email", "phone", "first_name", "last_name")
FIRST = re.compile(r"first.?name|given.?name|fore.?name|vorname|pr[ée]nom|nombre|^名$|名字", re.I)
LAST = re.compile(r"last.?name|sur.?name|family.?name|nachname|^nom$|apellido|^姓$|姓氏", re.I)
FULL = re.compile(r"name|姓名|收货人|收件人|联系人|名前|氏名|имя", re.I)
EMAIL = re.compile(r"e.?mail|邮箱|メール", re.I)
PHONE = re.compile(r"phone|mobile|cell|tel|手机|电话|電話", re.I)
_CJK_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]{2,4}$")
# Two-character Chinese surnames (复姓), written one after the other: a name starting with one has it as surname
_COMPOUND = (
    "欧阳司马诸葛上官东方皇甫尉迟公孙慕容长孙宇文司徒夏侯轩辕"
    "令狐钟离端木西门南宫独孤万俟闻人赫连澹台公冶宗政濮阳太叔申屠呼延百里东郭拓跋"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND[i : i + 2] for i in range(0, len(_COMPOUND), 2))
# fmt: off
PARTICLES = frozenset(["van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "del", "della", "dos", "das",
                       "ten", "ter", "bin", "al"])
# fmt: on
PLATFORM_NEEDS = (
    "Klaviyo, Mailchimp and Shopify match people by email address (Klaviyo and Shopify also by phone number), and "
    "{what}, so the audiences come as plain CSV files with the customer id and the scores. {fix}"
)
UPLOAD_FIX = "To send them to a marketing tool, add the customer list with an email or phone column on the Data page."
SHARED_FIX = "The owner can download the platform files in their own session."


def _column(lookup: pd.DataFrame, name_rule: re.Pattern[str], value_rule, taken: set[str]) -> str | None:
    """The first free text column whose values pass `value_rule` (when given), else whose name matches."""
    free = [c for c in lookup.columns if c != "customer_id" and c not in taken and v.is_text(lookup[c])]
    if value_rule is not None:
        by_values = [c for c in free if value_rule(v.sample(lookup[c], 300))]
        if by_values:
            return by_values[0]
    return next((c for c in free if name_rule.search(str(c))), None)


def contact_columns(lookup: pd.DataFrame) -> dict[str, str]:
    """Which column of the owner's personal data holds the email, the phone, the first, last or full name."""
    found: dict[str, str] = {}
    email = _column(lookup, EMAIL, v.emails, set())
    if email:
        found["email"] = email
    phone = _column(lookup, PHONE, v.phones, set(found.values()))
    if phone:
        found["phone"] = phone
    for role, rule in (("first_name", FIRST), ("last_name", LAST), ("full_name", FULL)):
        col = _column(lookup, rule, None, set(found.values()))
        if col and v.person_like(lookup[col]):
            found[role] = col
    if "full_name" in found and {"first_name", "last_name"} <= set(found):
        del found["full_name"]  # separate first and last name columns say it better
    return found


def split_name(full: object) -> tuple[str | None, str | None]:
    """First and last name from one name: the last word is the surname ("Mia Rossi"), the part before a comma is
    ("Rossi, Mia"), a Chinese name starts with its surname ("王小明": 王 and 小明). Missing stays missing."""
    if full is None or (isinstance(full, float) and pd.isna(full)):
        return None, None
    text = " ".join(str(full).split())
    if not text:
        return None, None
    if "," in text:
        last, _, first = text.partition(",")
        return first.strip() or None, last.strip() or None
    if _CJK_NAME.match(text):
        cut = 2 if text[:2] in COMPOUND_SURNAMES and len(text) > 2 else 1
        return text[cut:], text[:cut]
    words = text.split(" ")
    if len(words) == 1:
        return text, None
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:  # "Ludwig van Beethoven": van Beethoven
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


def contact_details(lookup: pd.DataFrame | None) -> pd.DataFrame | None:
    """`customer_id` with `email`, `phone`, `first_name`, `last_name` (missing stays missing), or None when the
    data has neither an email nor a phone column."""
    if lookup is None:
        return None
    cols = contact_columns(lookup)
    if "email" not in cols and "phone" not in cols:
        return None
    out = pd.DataFrame({"customer_id": lookup["customer_id"].astype(str)})
    for field in CONTACT_FIELDS:
        column = lookup[cols[field]] if field in cols else pd.Series(None, index=lookup.index)
        out[field] = column.astype(object).where(column.notna(), None)
    if "full_name" in cols:
        split = lookup[cols["full_name"]].map(split_name)
        out["first_name"] = [first for first, _ in split]
        out["last_name"] = [last for _, last in split]
    for field in CONTACT_FIELDS:
        out[field] = out[field].map(lambda x: str(x).strip() if x is not None and not pd.isna(x) else None)
    return out.drop_duplicates("customer_id")


def platform_gap(lookup: pd.DataFrame | None, shared: bool = False) -> str | None:
    """None when the platforms can match these customers; else the sentence saying which column they need."""
    if shared:
        what = "a shared view carries no emails, phones or names (only the owner's session holds them)"
        return PLATFORM_NEEDS.format(what=what, fix=SHARED_FIX)
    if contact_details(lookup) is not None:
        return None
    return PLATFORM_NEEDS.format(what="this upload has no email or phone column", fix=UPLOAD_FIX)
