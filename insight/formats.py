"""Numbers, money and dates the way the reader's language writes them, through babel's CLDR data.

The sibling of `insight.labels` (whose helpers write English): every function takes the language as a
parameter and defaults to the active one (`insight.i18n.language()`), so `money(1902487.15, "CNY", "zh")` is
`¥1,902,487`, `money(1902487.15, "CNY", "zh", compact=True)` is `¥190.2万`, `month(ts, "zh")` is `2018年1月`
and `period(a, b, "en")` is `Oct 2024 – Sep 2026`. The rounding rules are the ones `labels` uses, so a figure
keeps its precision when the language changes: whole units from 100 (money) or 10 (numbers) up.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from insight.i18n import LOCALES, check_language, language

MISSING = "–"  # a figure that is unknown, in any language

# Currency symbols that name one currency; "$" and "¥" (yen or yuan) name several and are shown as written.
_SYMBOL_CODES = {"£": "GBP", "€": "EUR", "₹": "INR", "₩": "KRW", "₽": "RUB", "RMB": "CNY", "元": "CNY", "￥": "CNY"}
_NO_CURRENCY = "XXX"  # ISO 4217's code for "no currency": formats a written symbol in the locale's pattern


def _locale(lang: str | None) -> str:
    return LOCALES[check_language(lang or language())]


def _missing(value: Any) -> bool:
    try:
        return value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def number(value: float | None, lang: str | None = None) -> str:
    """Rounding that fits the size, grouped as the language groups digits: 1,234 / 12.3 / 0.42."""
    from babel.numbers import format_decimal

    if _missing(value):
        return MISSING
    size = abs(float(value))
    pattern = "#,##0" if size >= 10 else "#,##0.0" if size >= 1 else "#,##0.00"
    return format_decimal(float(value), format=pattern, locale=_locale(lang))


def count(value: float, lang: str | None = None) -> str:
    """A whole number with the language's grouping: 1,234."""
    from babel.numbers import format_decimal

    return MISSING if _missing(value) else format_decimal(round(float(value)), format="#,##0", locale=_locale(lang))


def share(value: float | None, lang: str | None = None) -> str:
    """A share as a percentage: 0.4213 -> 42%; below 1% one decimal (0.4%)."""
    from babel.numbers import format_percent

    if _missing(value):
        return MISSING
    pattern = "#,##0.0%" if 0 < abs(float(value)) < 0.01 else "#,##0%"
    return format_percent(float(value), format=pattern, locale=_locale(lang))


def currency_code(currency: str | None) -> str | None:
    """The ISO 4217 code a currency as the data writes it stands for ('£' -> 'GBP', 'cny' -> 'CNY'), or None
    when the symbol names several currencies ('$', '¥') or there is none."""
    if not currency:
        return None
    written = currency.strip()
    if written.upper() in _SYMBOL_CODES:
        return _SYMBOL_CODES[written.upper()]
    return written.upper() if len(written) == 3 and written.isalpha() else _SYMBOL_CODES.get(written)


def money(amount: float | None, currency: str | None = None, lang: str | None = None, *, compact: bool = False) -> str:
    """An amount in the currency the data names, written as the language writes money.

    `currency` is an ISO code ('CNY', 'GBP') or the symbol the data was written with ('$', '¥'); a symbol that
    names one currency is read as its code, another is kept as written. Whole units from 100 up, cents below.
    `compact` uses the language's large-number words where it has them: `¥190.2万`, `£1.9M`. Without a
    currency the figure has none: none is invented.
    """
    from babel import Locale
    from babel.numbers import format_compact_currency, format_compact_decimal, get_currency_symbol, parse_pattern

    if _missing(amount):
        return MISSING
    loc, value = _locale(lang), float(amount)
    code = currency_code(currency)
    symbol = None if code or not currency else currency.strip()
    if code is None and symbol is None:
        if compact and abs(value) >= 10_000:
            return format_compact_decimal(value, locale=loc, fraction_digits=1)
        return number(value, lang) if abs(value) < 100 else count(value, lang)
    iso = code or _NO_CURRENCY
    if compact and abs(value) >= 10_000:
        text = format_compact_currency(value, iso, locale=loc, fraction_digits=1)
    else:
        pattern = parse_pattern(Locale.parse(loc).currency_formats["standard"].pattern)
        pattern.frac_prec = (0, 0) if abs(value) >= 100 else (2, 2)
        text = pattern.apply(value, loc, currency=iso, currency_digits=False)
    return text.replace(get_currency_symbol(_NO_CURRENCY, loc), symbol) if symbol else text


def _date(value: Any) -> dt.date | None:
    import pandas as pd

    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(stamp) else stamp.date()


def month(value: Any, lang: str | None = None) -> str:
    """A month as the language names it: `Jan 2018`, `2018年1月`."""
    from babel.dates import format_skeleton

    day = _date(value)
    return MISSING if day is None else format_skeleton("yMMM", day, locale=_locale(lang))


def day(value: Any, lang: str | None = None) -> str:
    """A day as the language writes it: `Jan 5, 2018`, `2018年1月5日`."""
    from babel.dates import format_skeleton

    when = _date(value)
    return MISSING if when is None else format_skeleton("yMMMd", when, locale=_locale(lang))


def period(first: Any, last: Any, lang: str | None = None) -> str:
    """The months from `first` to `last`: `Oct 2024 – Sep 2026`, `2024年10月 – 2026年9月`; one month when both
    fall in it."""
    from babel.dates import format_interval

    a, b = _date(first), _date(last)
    if a is None or b is None:
        return MISSING
    if (a.year, a.month) == (b.year, b.month):
        return month(a, lang)
    # CLDR puts thin spaces around the dash; plain ones keep the English text as labels.period writes it
    return format_interval(a, b, "yMMM", locale=_locale(lang)).replace("\u2009", " ")


def weekday_names(lang: str | None = None, width: str = "wide") -> list[str]:
    """Monday first: `Monday` … `Sunday`, `星期一` … `星期日` (width 'abbreviated': `Mon`, `周一`)."""
    from babel.dates import get_day_names

    names = get_day_names(width, locale=_locale(lang))
    return [names[i] for i in range(7)]


def month_names(lang: str | None = None, width: str = "abbreviated") -> list[str]:
    """January first: `Jan` … `Dec`, `1月` … `12月` (width 'wide': `January`, `一月`)."""
    from babel.dates import get_month_names

    names = get_month_names(width, locale=_locale(lang))
    return [names[i] for i in range(1, 13)]


def language_name(code: str | None, lang: str | None = None) -> str | None:
    """A language's name in the reader's language ('ru' -> 'Russian', '俄语'), or None when CLDR has none."""
    from babel import Locale

    if not isinstance(code, str):
        return None
    return Locale.parse(_locale(lang)).languages.get(code)


@dataclass(frozen=True)
class Figure:
    """A figure written when it is read, in the reader's language: a parameter of an `i18n.Message` that is cached
    or made in a worker. `kind` is number, count, share or money (with `currency`)."""

    value: float | None
    kind: str = "number"
    currency: str | None = None

    def __str__(self) -> str:
        if self.kind == "money":
            return money(self.value, self.currency)
        if self.kind == "plain":
            whole = self.value is not None and float(self.value).is_integer()
            return count(self.value) if whole else number(self.value)
        return {"number": number, "count": count, "share": share}[self.kind](self.value)

    def __format__(self, spec: str) -> str:
        return str(self)
