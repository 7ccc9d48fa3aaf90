"""Dates as people and tools write them: ISO, day-first, Unix seconds, month names in seven languages,
Chinese and Japanese dates with a weekday after them, dates inside a sentence, relative dates ("Há 2 dias"),
and UTC offsets that change within a column.

Every parsed column is naive `datetime64` in the local wall-clock time the export shows (hour-of-day and
weekday analyses need that time, and files with and without offsets must concatenate). A value that is no
real date (2018-02-29) becomes missing and is counted by the caller, never guessed.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd

# Month words (English, German, French, Spanish, Portuguese, Italian, Dutch) -> month number; a stem matches
# any ending ("janv.", "Okt", "dic", "settembre"), so abbreviations need no list of their own.
_MONTH_STEMS = {
    1: "jan|ene|gen|jän",
    2: "feb|fev|fév",
    3: "mar|mär|mrt|maa",
    4: "apr|avr|abr",
    5: "may|mai|mei|mag",
    6: "jun|juin|giu",
    7: "jul|juil|lug",
    8: "aug|ago|aoû|aou",
    9: "sep|set",
    10: "oct|okt|out|ott",
    11: "nov",
    12: "dec|dez|déc|dic",
}
_STEM_MONTH = {stem: month for month, stems in _MONTH_STEMS.items() for stem in stems.split("|")}
_MONTH = r"(?P<month>" + "|".join(sorted(_STEM_MONTH, key=len, reverse=True)) + r")[a-zäéûçí]*\.?"
_YEAR = r"(?P<year>\d{4}|\d{2}(?!\d))"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?[\s\-/]*(?:de\s+)?{_MONTH}[\s\-/,]*(?:de\s+)?{_YEAR}", re.I
)
_MONTH_DAY_YEAR = re.compile(rf"(?<![^\W\d_]){_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}", re.I)
_MONTH_YEAR = re.compile(rf"(?<![^\W\d_]){_MONTH}[\s\-/]+(?:de\s+)?(?P<year>\d{{4}})(?!\d)", re.I)
_TIME = re.compile(r"^[\s,]*(?:à|a las|às|um|om|alle|at|T)?\s*(\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)")
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_WEEKDAY = re.compile(
    r"(星期|礼拜|周|週)[一二三四五六日天]|[(（][月火水木金土日][)）]|"
    r"(?<![^\W\d_])(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?(?![^\W\d_])|"
    r"(?<![^\W\d_])(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|"
    r"vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo),?(?![^\W\d_])",
    re.I,
)
# A UTC offset after a time: +1100, +08:00, Z, GMT+8, UTC-5 (the local time before it is what the export shows)
_OFFSET = re.compile(
    r"(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)\s*"
    r"(?:Z|(?:GMT|UTC)\s*[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|GMT|UTC)\s*$",
    re.I,
)
_HAS_OFFSET = r"(?i)(?:\d\s*(?:[+-]\d{2}:?\d{2}|Z)|GMT|UTC)\s*$"
_RELATIVE = re.compile(
    r"^(?:há|hace|il y a|vor)?\s*(?P<n>\d+|uma?|un[ea]?|an?|one|einem|einer)\s+(?P<unit>min|hora|hour|heure|stunde|"
    r"dia|día|day|jour|tag|semana|week|semaine|woche|m[eê]s|month|mois|monat|ano|año|year|jahr)\w*\s*(?:ago|atrás)?$",
    re.I,
)
_UNIT = {
    "min": "min",
    "hora": "h",
    "hour": "h",
    "heure": "h",
    "stunde": "h",
    "dia": "D",
    "día": "D",
    "day": "D",
    "jour": "D",
    "tag": "D",
    "semana": "W",
    "week": "W",
    "semaine": "W",
    "woche": "W",
}
_DAYS = {"m": 30, "a": 365, "y": 365, "j": 365}  # months and years as days: relative dates are rough anyway
_NUMERIC_DATE = re.compile(
    r"(?<!\d)(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})(?:[\sT]+(\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?))?"
)
DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", re.I)


def _year(text: str) -> int:
    year = int(text)
    return year if year >= 100 else (2000 + year if year < 70 else 1900 + year)


def _iso(match: re.Match, day: int | None) -> str:
    month = _STEM_MONTH[match.group("month").lower()]
    return f"{_year(match.group('year')):04d}-{month:02d}-{day or 1:02d}"


def normalise(text: str) -> str | None:
    """A date written in words or with extras (weekday, 年月日, 'à', a sentence around it) as ISO text, or None."""
    s = _WEEKDAY.sub(" ", _CJK_DATE.sub(r"\1-\2-\3", text)).strip()
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _MONTH_YEAR):
        match = pattern.search(s)
        if match:
            day = int(match.group("day")) if match.groupdict().get("day") else None
            iso = _iso(match, day)
            time = _TIME.match(s[match.end() :])
            return f"{iso} {time.group(1)}" if time else iso
    numeric = _NUMERIC_DATE.search(s)
    if numeric and s != text:
        return " ".join(g for g in numeric.groups() if g)
    return None


def is_relative(text: str) -> bool:
    """Whether a value is a relative date such as 'Há 2 dias' or '3 days ago'."""
    return _RELATIVE.match(text.strip()) is not None


def relative(text: str, now: pd.Timestamp) -> pd.Timestamp | None:
    """'Há 2 dias', 'hace 3 días', 'il y a 2 jours', 'vor 5 Stunden', '3 days ago' counted back from `now`."""
    match = _RELATIVE.match(text.strip())
    if not match:
        return None
    n = int(match.group("n")) if match.group("n").isdigit() else 1
    unit = match.group("unit").lower()
    step = next((u for k, u in _UNIT.items() if unit.startswith(k)), None)
    if step is None:
        return now - pd.Timedelta(days=n * _DAYS[unit[0]])
    return now - pd.Timedelta(n, step)


def _naive(parsed: pd.Series) -> pd.Series:
    """Wall-clock datetime64: offsets dropped, never an object column of mixed time zones."""
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        return parsed.dt.tz_localize(None)
    if parsed.dtype == object:
        return pd.to_datetime(
            parsed.map(lambda v: v.replace(tzinfo=None) if isinstance(v, pd.Timestamp) else v), errors="coerce"
        )
    return parsed


def _to_datetime(s: pd.Series, **kwargs) -> pd.Series:
    """pandas' parse, but every failure (mixed offsets included) gives missing values, never an exception."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _naive(pd.to_datetime(s, errors="coerce", **kwargs))
    except (ValueError, TypeError, OverflowError):
        return pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")


def day_first(sample: pd.Series) -> bool:
    """True when dates are written day before month (some first part is over 12)."""
    parts = sample.str.extract(r"^(\d{1,2})[-/.](\d{1,2})[-/.]\d{2,4}")
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    return bool((first > 12).sum() > (second > 12).sum())


def _plain(s: pd.Series) -> pd.Series:
    """Numeric dates: ISO, then one day-first or month-first format, then mixed formats."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pd.to_datetime(s, format="ISO8601", errors="raise")
    except (ValueError, TypeError):
        pass
    iso = s.str.match(r"^\d{4}-\d{1,2}-\d{1,2}").fillna(False).astype(bool)
    out = _to_datetime(s.where(iso), format="ISO8601")
    present = s.dropna()
    dayfirst = day_first(present[~present.str.match(r"^\d{4}-")].head(5000))
    rest = s.where(~iso)
    try:  # one format throughout (12/1/2010 08:26): pandas infers it from the first value, fast
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            others = _naive(pd.to_datetime(rest, dayfirst=dayfirst, errors="raise"))
    except (ValueError, TypeError, OverflowError):
        others = _to_datetime(rest, format="mixed", dayfirst=dayfirst)
    return out.fillna(others)


def parse_dates(values: pd.Series, name: str = "", now: pd.Timestamp | None = None) -> pd.Series:
    """Dates in mixed formats and languages as naive datetime64; values that are no date become NaT."""
    s = values.astype(str).str.strip()
    s = s.where(s != "", None)
    present = s.dropna()
    if present.empty:
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if present.str.fullmatch(r"\d{8}").all():
        return _to_datetime(s, format="%Y%m%d")
    if present.str.fullmatch(r"\d{9,10}").all():
        return _to_datetime(pd.to_numeric(s, errors="coerce"), unit="s")
    try:  # the common case, fast: ISO dates, with one UTC offset or none
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _naive(pd.to_datetime(s, format="ISO8601", errors="raise")).astype("datetime64[ns]")
    except (ValueError, TypeError, OverflowError):
        pass
    offset = s.str.contains(_HAS_OFFSET, na=False)  # a cheap look first: the full pattern runs value by value
    if offset.any():
        s = s.where(~offset, s[offset].str.replace(_OFFSET, r"\1", regex=True))
    out = _naive(_plain(s))
    missing = out.isna() & s.notna()
    if missing.any():
        words = s[missing].map(normalise)
        out = out.fillna(_to_datetime(words, format="mixed"))
        left = out.isna() & s.notna()
        if left.any():
            anchor = (now if now is not None else pd.Timestamp.now()).floor("min")
            out = out.fillna(pd.to_datetime(s[left].map(lambda v: relative(v, anchor)), errors="coerce"))
    return out.astype("datetime64[ns]")


def date_share(sample: pd.Series) -> float:
    """Share of values that look like a date in any of the forms `parse_dates` reads (a cheap regex look)."""
    if sample.empty:
        return 0.0
    plain = sample.str.match(DATE_LIKE).fillna(False).astype(bool)
    worded = sum(normalise(v) is not None or _RELATIVE.match(v) is not None for v in sample[~plain])
    return float((int(plain.sum()) + worded) / len(sample))
