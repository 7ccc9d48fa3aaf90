"""Personal details typed inside free text (a review, a note): emails, phone numbers and card numbers are masked
as `[email]`, `[phone]` and `[card]` when the dataset is built, before anything is cached, shared or shown.

Only what looks like one is masked: a card number must start as the card networks' do (2 to 6) and pass the
Luhn check; a phone number needs 7 to 15 digits
and a phone's shape (a leading + or 0, an area code in brackets, 3-3-4 groups, or a Chinese mobile 1[3-9] plus
nine digits), so order totals, dates, years and order numbers stay as written.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from insight.data.cleaning import log_entry
from insight.data.roles import Roles

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
CARD = re.compile(r"(?<![\d.,])\d(?:[ -]?\d){12,18}(?![\d.,]\d)")
CN_MOBILE = re.compile(r"(?<![\d.])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![\d])")
PHONE = re.compile(r"(?<![\w+.,/:])(?:\+|00)?\(?\d[\d ().-]{5,22}\d(?![\w.,/:]*\d)")
NANP = re.compile(r"^\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}$")
DATE_LIKE = re.compile(r"^\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}$|^\d{1,2}[-./ ]\d{1,2}[-./ ]\d{2,4}$")
_LONG_NUMBER = re.compile(r"\d(?:[ ().-]{0,2}\d){6}")  # 7 digits close together: a phone or a card may be here
_CARD_DIGITS = re.compile(r"\d(?:[ -]?\d){12}")


def _luhn(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    issued = digits[0] in "23456" and len(set(digits)) > 1  # card networks' first digits; no run of zeros
    return "[card]" if 13 <= len(digits) <= 19 and issued and _luhn(digits) else match.group()


def _phone(match: re.Match[str]) -> str:
    text = match.group().strip()
    digits = re.sub(r"\D", "", text)
    if not 7 <= len(digits) <= 15 or DATE_LIKE.match(text):
        return match.group()
    shaped = text.startswith(("+", "(", "0")) or NANP.match(text) is not None
    return "[phone]" if shaped else match.group()


def mask_text(text: str) -> str:
    """`text` with the emails, card numbers and phone numbers in it masked."""
    if "@" in text:
        text = EMAIL.sub("[email]", text)
    if not _LONG_NUMBER.search(text):
        return text
    if _CARD_DIGITS.search(text):
        text = CARD.sub(_card, text)
    text = CN_MOBILE.sub("[phone]", text)
    return PHONE.sub(_phone, text)


def mask_column(values: pd.Series) -> tuple[pd.Series, int]:
    """The column with personal details in its text masked (each distinct text looked at once; missing stays
    missing), and how many values changed."""
    distinct = pd.Series([v for v in values.dropna().unique() if isinstance(v, str)], dtype="string[pyarrow]")
    maybe = distinct.str.contains("@", regex=False) | distinct.str.contains(_LONG_NUMBER.pattern)  # vectorised
    masked = {v: mask_text(v) for v in distinct[maybe.fillna(False)].tolist()}
    changed = {v: m for v, m in masked.items() if m != v}
    if not changed:
        return values, 0
    hit = values.isin(list(changed))
    out = values.astype(object).where(~hit, values.map(changed))
    return out, int(hit.sum())


def mask_free_text(file_name: str, frame: pd.DataFrame, roles: Roles) -> list[dict[str, Any]]:
    """Emails, phones and card numbers typed in the text (a review, a note) are masked in place, before the
    customer table, the caches and the pages see it; ids, names, dates and the personal-data columns (made
    pseudonyms later) are left as they are."""
    kept = {col for role, col in roles.items() if isinstance(col, str) and role != "text"} | set(roles.get("pii", []))
    entries = []
    for i, col in enumerate(frame.columns):
        values = frame.iloc[:, i]
        if col in kept or not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        masked, n = mask_column(values)
        if n:
            frame.isetitem(i, masked)
            detail = "emails, phone and card numbers typed in the text"
            entries.append(log_entry(file_name, "personal details masked", str(col), values_changed=n, detail=detail))
    return entries
