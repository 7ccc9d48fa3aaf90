"""Types from text: numbers (money in any notation), dates (mixed formats), identifiers kept as text.

`parse_types` converts each text column where most values fit a type and
counts the values that did not, for the quality report and cleaning log.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from insight.data.dates import date_share, is_relative, parse_dates

__all__ = ["BLANKS", "TypeReport", "currency_of", "parse_dates", "parse_numbers", "parse_types"]

_CURRENCY = re.compile(r"[$€£¥₹]|(?i:\b(eur|usd|gbp|chf|sek|nok|dkk|kr)\b)\.?")
_SPACE = re.compile(r"[\s\u00a0\u202f]")
_SPACED_THOUSANDS = re.compile(r"^[-+]?\d{1,3}([\s\u00a0\u202f]\d{3})+([.,]\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2}|,\d{4,})$")
_DECIMAL_POINT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)\.\d+$")
_ID_NAME = re.compile(
    r"(^|[\W_])(id|ids|code|sku|ean|upc|gtin|isbn|asin|barcode|zip|postal|postcode|plz|phone|tel)($|[\W_])"
    r"|((?<!pa)(?<!vo)(?<!ali)id|nr|no|number|nummer|num|#|isbn|asin)$|^(invoice|order|receipt|ticket|rechnung|bestellung|factura|facture|pedido)s?$"
    r"|编号|编码|货号|条码|卡号|单号|号码|手机|电话|邮编|番号|コード",
    re.I,
)
_DATE_NAME = re.compile(
    r"date|time|datum|fecha|data|jour|day|created|updated|month|zeit|stamp|when|at$|日期|时间|時間|日付", re.I
)
# Cells that mean "no value": blank, the spreadsheet's and databases' words for it, Excel's 'null text marker
BLANKS = frozenset({"", "nan", "none", "null", "n/a", "#n/a", "-", "--", "(null)", "(blank)"})
# "4,0 de 5 estrellas", "4.5 out of 5", "3/5": a rating written out; the first number is the value
_SCORE_TEXT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:de|of|out of|von|sur|su|van|из|/)\s*(\d+)\b.*$", re.I)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)


def _plain_numbers(values: pd.Series) -> pd.Series | None:
    """Plain numbers ("12", "-3.5", "1e3", blanks) through Arrow's cast, an order of magnitude faster than
    `pd.to_numeric` on a million strings; None as soon as one value is anything else ("$1,234.50")."""
    text = pc.utf8_trim_whitespace(pa.array(values.astype("string[pyarrow]")))
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    try:
        numbers = pc.cast(text, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=values.index, dtype=float)


def parse_numbers(values: pd.Series) -> pd.Series:
    """Text like "$1,234.50", "1.234,50 €", "(12.00)" or "15%" to floats; unparseable become NaN."""
    plain = _plain_numbers(values)
    if plain is not None:
        return plain
    s = values.astype(str).str.strip()
    negative = s.str.match(r"^\(.*\)$")
    s = s.str.strip("()").str.replace(_CURRENCY, "", regex=True).str.strip().str.rstrip("%").str.strip()
    spaced = s.str.match(_SPACED_THOUSANDS).fillna(False).astype(bool)  # "1 234,50": spaces group thousands
    s = s.where(~spaced, s.str.replace(_SPACE, "", regex=True))
    ambiguous = s.str.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+|[-+]?\d{1,3}(,\d{3})+").fillna(False).astype(bool)
    comma_value = s.str.match(_DECIMAL_COMMA).fillna(False).astype(bool) & ~ambiguous
    point_value = s.str.match(_DECIMAL_POINT).fillna(False).astype(bool) & ~ambiguous
    comma_column = comma_value.sum() > point_value.sum()
    use_comma = comma_value | (ambiguous & comma_column)
    as_comma = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    s = as_comma.where(use_comma, s.str.replace(",", "", regex=False))
    out = pd.to_numeric(s.where(s != "", None), errors="coerce").astype(float)
    return out.where(~negative, -out)


_CODES = {"eur": "€", "usd": "$", "gbp": "£"}


def currency_of(values: pd.Series) -> str | None:
    """The currency most of a money column's values are written with ("$1,234.50" -> "$"), or None."""
    found = values.head(2000).astype(str).str.extract(f"({_CURRENCY.pattern})", expand=False)[0].dropna()
    if len(found) < 0.5 * min(len(values), 2000):
        return None
    top = found.str.strip().str.rstrip(".").value_counts().index[0]
    return _CODES.get(top.lower(), top.upper() if len(top) == 3 else top)


@dataclass
class TypeReport:
    """How each column was typed, how many values did not fit the type (with a few of them), and notes."""

    kinds: dict[str, str] = field(default_factory=dict)
    unparsed: dict[str, int] = field(default_factory=dict)
    currency: dict[str, str] = field(default_factory=dict)  # money columns: the symbol or code they were written with
    examples: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _is_date_column(name: str, present: pd.Series) -> bool:
    sample = present.head(500)
    if date_share(sample) > 0.9:
        return True
    if _DATE_NAME.search(name) or re.fullmatch(r"column_\d+", name):
        if sample.str.fullmatch(r"(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])").mean() > 0.95:
            return True
        if sample.str.fullmatch(r"1\d{9}|[89]\d{8}").mean() > 0.95:
            return True
    return False


def _zero_padded(present: pd.Series) -> bool:
    """Codes like 00042 or ISBNs like 080652121X: digits (a check letter allowed), some with leading zeros
    that numbers would lose."""
    sample = present.head(5000)
    return bool(sample.str.match(r"^0\d").mean() > 0.01 and sample.str.fullmatch(r"\d+[Xx]?").mean() >= 0.95)


def _mostly_numbers(present: pd.Series, threshold: float) -> bool:
    """A quick look at the first values, so text columns (descriptions, countries) skip the full number parse."""
    return bool(parse_numbers(present.head(2000)).notna().mean() >= threshold)


def _mostly_parsed(dates: pd.Series, blank: pd.Series, threshold: float = 0.9) -> bool:
    """Whether a column that looked like dates really reads as dates (else it stays text, nothing lost)."""
    return bool(dates[~blank].notna().mean() >= threshold)


def _scores(present: pd.Series, threshold: float) -> bool:
    """Ratings written out ("4,0 de 5 estrellas", "4.5 out of 5")."""
    return bool(present.head(2000).str.match(_SCORE_TEXT).mean() >= threshold)


def _text_cells(raw: pd.Series) -> tuple[pd.Series, pd.Series, str | None]:
    """Trimmed text, which cells are blank, and a note when Excel's text marker (a leading ') was removed."""
    s = raw.astype(str).str.strip()
    note = None
    if s.str.startswith("'").mean() >= 0.9:  # '0812 and 'null: Excel's "keep as text" marker, not data
        s = s.str.removeprefix("'")
        note = f"'{raw.name}': the leading apostrophe (Excel's text marker) was removed"
    if s.str.contains("&", regex=False).any():
        entity = s.str.contains(_ENTITY.pattern, flags=re.I, na=False)
        s = s.where(~entity, s[entity].map(html.unescape))
    blank = s.str.lower().isin(BLANKS)
    return s, blank, note


def _convert(col: str, s: pd.Series, blank: pd.Series, threshold: float) -> tuple[pd.Series | None, str]:
    present = s[~blank]
    if present.empty:
        return None, "empty"
    if _is_date_column(col, present):
        dates = parse_dates(s.where(~blank, ""), col)
        if _mostly_parsed(dates, blank):
            return dates, "datetime"
    if _ID_NAME.search(col) or _zero_padded(present):
        return None, "text"
    if _mostly_numbers(present, threshold):
        numbers = parse_numbers(s.where(~blank, ""))
        failed = present[numbers[~blank].isna()]
        codes = len(failed) > 0 and failed.str.fullmatch(r"[A-Za-z]{1,3}-?\d+").all()
        if numbers[~blank].notna().mean() >= threshold and not codes:
            return numbers, "number"
    elif _scores(present, threshold):
        numbers = parse_numbers(s.where(~blank, "").str.extract(_SCORE_TEXT, expand=False)[0].fillna(""))
        return numbers, "number"
    return None, "text"


def parse_types(df: pd.DataFrame, threshold: float = 0.9) -> tuple[pd.DataFrame, TypeReport]:
    """Turn text columns into numbers or dates where at least `threshold` of the values fit.

    Identifier-like columns (names such as "customer id", "SKU", "ISBN"; values with leading zeros) stay
    text. A column that cannot be converted stays text: typing never fails an upload.
    """
    out = {}
    report = TypeReport()
    for col in df.columns:
        s, blank, note = _text_cells(df[col])
        if note:
            report.notes.append(note)
        try:
            converted, kind = _convert(col, s, blank, threshold)
        except (ValueError, TypeError, OverflowError):  # a value no parser expected: the column stays text
            converted, kind = None, "text"
        if kind == "number" and (symbol := currency_of(s[~blank])) is not None:
            report.currency[col] = symbol
        if converted is not None:
            failed = converted.isna() & ~blank
            if failed.any():
                report.unparsed[col] = int(failed.sum())
                report.examples[col] = list(dict.fromkeys(s[failed].head(50)))[:3]
            if kind == "datetime" and s[~blank].head(500).map(is_relative).any():
                report.notes.append(f"'{col}': relative dates ('2 days ago') were counted back from today")
            out[col] = converted
        else:
            out[col] = s.where(~blank)
        report.kinds[col] = kind
    return pd.DataFrame(out, index=df.index), report
