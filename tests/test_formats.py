"""Numbers, money and dates as each language writes them (babel's CLDR data), worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from insight import formats
from insight.i18n import use_language


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "expected"),
    [
        (1902487.15, "CNY", "zh", "¥1,902,487"),  # whole units from 100 up, as labels.money
        (1902487.15, "CNY", "en", "CN¥1,902,487"),  # English names the yuan apart from the yen
        (12.5, "GBP", "zh", "£12.50"),
        (12.5, "£", "en", "£12.50"),  # a symbol that names one currency is read as its code
        (-8300, "$", "en", "-$8,300"),  # one that names several is kept as written
        (1234, "¥", "zh", "¥1,234"),
        (99.5, "eur", "en", "€99.50"),
        (304630, None, "zh", "304,630"),  # no currency in the data: none is invented
        (42.125, None, "en", "42"),
    ],
)
def test_money(amount: float, currency: str | None, lang: str, expected: str) -> None:
    assert formats.money(amount, currency, lang) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "expected"),
    [
        (1902487.15, "CNY", "zh", "¥190.2万"),
        (304630, None, "zh", "30.5万"),
        (123456789, None, "zh", "1.2亿"),
        (1902487.15, "GBP", "en", "£1.9M"),
        (9999, "CNY", "zh", "¥9,999"),  # small amounts are written out
    ],
)
def test_compact_money_uses_the_languages_large_numbers(amount, currency, lang, expected) -> None:
    assert formats.money(amount, currency, lang, compact=True) == expected


def test_missing_figures_are_a_dash_in_every_language() -> None:
    for lang in ("en", "zh"):
        assert formats.money(math.nan, "GBP", lang) == formats.number(None, lang) == formats.share(None, lang) == "–"
        assert formats.month(None, lang) == formats.period(pd.NaT, "2024-01-01", lang) == "–"


def test_numbers_and_shares() -> None:
    assert [formats.number(v, "zh") for v in (1234.5, 12.34, 0.4213, -7.92)] == ["1,234", "12", "0.42", "-7.9"]
    assert [formats.share(v, "en") for v in (0.4213, 0.004, 1.0)] == ["42%", "0.4%", "100%"]
    assert formats.count(1234.4, "zh") == "1,234"


def test_months_days_and_periods() -> None:
    day = pd.Timestamp("2018-01-05 13:30")
    assert formats.month(day, "zh") == "2018年1月" and formats.month(day, "en") == "Jan 2018"
    assert formats.day(day, "zh") == "2018年1月5日" and formats.day(day, "en") == "Jan 5, 2018"
    assert formats.period("2024-10-03", "2026-09-30", "en") == "Oct 2024 – Sep 2026"
    assert formats.period("2024-10-03", "2026-09-30", "zh") == "2024年10月 – 2026年9月"
    assert formats.period("2024-10-03", "2024-10-30", "zh") == "2024年10月"


def test_weekday_month_and_language_names_come_from_the_locale() -> None:
    assert formats.weekday_names("zh") == ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
    assert formats.weekday_names("en", "abbreviated")[:2] == ["Mon", "Tue"]
    assert formats.month_names("zh")[0] == "1月" and formats.month_names("en", "wide")[11] == "December"
    assert formats.language_name("ru", "zh") == "俄语" and formats.language_name("ru", "en") == "Russian"


def test_the_active_language_is_the_default() -> None:
    with use_language("zh"):
        assert formats.month("2018-01-31") == "2018年1月"
    assert formats.month("2018-01-31") == "Jan 2018"


def test_currency_codes() -> None:
    assert [formats.currency_code(c) for c in ("£", "rmb", "RMB", "usd", "$", "¥", None)] == [
        "GBP",
        "CNY",
        "CNY",
        "USD",
        None,
        None,
        None,
    ]
