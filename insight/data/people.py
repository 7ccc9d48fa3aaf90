"""Which columns hold personal data (names, contact details), and who wrote a text.

By the column's name in several languages, checked against the values: a "Name" column of #1030 order numbers
is no person, PhoneService Yes/No is a fact about a plan, Year_Birth is an age, NumberOfAddress counts
addresses; an empty column named for a person is still personal data by its name.
"""

from __future__ import annotations

import re

import pandas as pd

from insight.data import values as v
from insight.data.hints import COUNT_NAME, GENERIC_HEADER, words

PERSON_NAME = re.compile(
    r"name$|^name|^nome|^nombre|^nom$|^naam|^vorname|^nachname|^surname|first.?name|last.?name|full.?name|"
    r"姓名|收货人|收件人|联系人|名前|氏名|имя|фамилия",
    re.I,
)
# ...but not the name of a thing: product_name, Lineitem name, CompanyName, filename, Attribute 1 name
THING_NAME = re.compile(
    r"(product|item|article|artikel|file|brand|category|store|shop|host|company|business|plan|service|stock|sku|"
    r"movie|film|book|course|city|country|state|region|event|campaign|column|table|sheet|seller|vendor|supplier|"
    r"attribute|download|meta|option|variant|tag|app|place|venue|hotel|restaurant|merchant|bank|lender|"
    r"division|department|dept|class|level|tier|grade|province|region|genre|team|group|"
    r"lineitem|商品|宝贝|产品|店|书|等级|部门|省)[\W_\d]*name$",
    re.I,
)
CONTACT_NAME = re.compile(
    r"e.?mail|phone|mobile|(^|[\W_])tel(efon|ephone|\.|$|[\W_])|fax|address|street|adresse|stra[sß]e|direcci|"
    r"endere|indirizzo|adres|(^|[\W_])zip|postal|postcode|plz|ssn|passport|iban|"
    r"手机|电话|联系方式|地址|邮箱|身份证|邮编|住所|電話|メール",
    re.I,
)
ID_LIKE = re.compile(r"(^|[\W_])(id|no|nr|number|num|code|key)$|(id|nr|no|#)$|号$|码$|编号|番号", re.I)
BIRTH = re.compile(r"birth|geburt|nacimiento|naissance|nascita|出生|生日", re.I)
# Who wrote a text: the author is the customer of a feedback table when authors write several texts
PERSON_HINT = re.compile(
    r"comprador|buyer|reviewer|author|autor|auteur|usuario|utilisateur|user|username|screen.?name|handle|nickname|"
    r"pseudo|name|昵称|用户名|买家|投稿者|ユーザー|автор|имя",
    re.I,
)


def personal(name: str, s: pd.Series) -> bool:
    """Names, contact details and the like: by column name (values that fit, or no values at all) or by values."""
    values = v.sample(s, 300)
    if len(values) and v.binary_values(values) and v.flags(values):  # PhoneService Yes/No: a fact about a plan
        return False
    if BIRTH.search(name) and v.is_number(s):  # Year_Birth is an age, not a date of birth
        return False
    if GENERIC_HEADER.match(name):  # selection1_name: a scraper's header says nothing; judge by values
        return v.is_text(s) and (v.emails(values) or v.phones(values))
    if PERSON_NAME.search(name) and not THING_NAME.search(name):  # "Name" holding #1001 is an order number
        return v.person_like(s)
    if CONTACT_NAME.search(name) and not COUNT_NAME.search(name):  # NumberOfAddress counts addresses
        return not v.is_number(s) or values.empty or v.phones(values)
    if not v.is_text(s) or values.empty:
        return False
    if ID_LIKE.search(name):  # a card or member number with a leading 0 is an id, not a phone number
        return v.emails(values)
    return v.emails(values) or v.phones(values)


def author(s: pd.Series, name: str) -> bool:
    """Who wrote a text: a name whose last word is a person hint (reviewerName, comprador, not userProvince nor
    BankName), on short non-code values that tell people apart (not Yes/No, not a small set repeated over many
    rows, not masked `j***e`), never a scraper's header."""
    parts = words(name)
    return (
        bool(parts)
        and PERSON_HINT.search(parts[-1]) is not None
        and not THING_NAME.search(name)
        and not GENERIC_HEADER.match(name)
        and v.is_text(s)
        and s.notna().any()
        and v.person_like(s)
        and not v.uniform_codes(s)
        and not (v.binary_values(s) and v.flags(v.sample(s)))
        and not v.categories(s)
        and not v.masked(s)
    )
