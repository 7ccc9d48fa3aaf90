"""Types from text: numbers (money in any notation), dates (mixed formats), identifiers kept as text.

`parse_types` converts each text column where most values fit a type and
counts the values that did not, for the quality report and cleaning log.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_CURRENCY = re.compile(r"[$€£¥₹]|(?i:\b(eur|usd|gbp|chf|sek|nok|dkk|kr)\b)\.?")
_SPACE = re.compile(r"[\s\u00a0\u202f]")
_SPACED_THOUSANDS = re.compile(r"^[-+]?\d{1,3}([\s\u00a0\u202f]\d{3})+([.,]\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2}|,\d{4,})$")
_DECIMAL_POINT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)\.\d+$")
_ID_NAME = re.compile(
    r"(^|[\W_])(id|ids|code|sku|ean|upc|zip|postal|postcode|plz|phone|tel)($|[\W_])|(id|nr|no|number|nummer|num|#)$"
    r"|^(invoice|order|receipt|ticket|rechnung|bestellung|factura|facture|pedido)s?$",
    re.I,
)
_DATE_NAME = re.compile(r"date|time|datum|fecha|data|jour|day|created|updated|month|zeit|stamp|when|at$", re.I)
_MONTH = (  # month names and their abbreviations in English, German, Spanish, French; whole words only
    r"(jan(uary|uar|vier)?|feb(ruary|ruar)?|f[ée]v(rier)?|mar(ch|s)?|m[äa]rz|apr(il)?|avr(il)?|may|mai|jun[ei]?|"
    r"juin|jul[iy]?|juil(let)?|aug(ust)?|ao[uû]t|sep(t|tember|tembre)?|oct(ober|obre)?|okt(ober)?|nov(ember|embre)?|"
    r"dec(ember)?|d[ée]c(embre)?|dez(ember)?|ene(ro)?|abr(il)?|ago(sto)?|dic(iembre)?)\.?(?![a-zé])"
)
_DATE_LIKE = re.compile(rf"^\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{1,4}}|^\d{{1,2}}[ -.]+{_MONTH}[ -]|^{_MONTH}[ ,]+\d", re.I)


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


def _day_first(sample: pd.Series) -> bool:
    """True when dates are written day before month (some first part is over 12)."""
    parts = sample.str.extract(r"^(\d{1,2})[-/.](\d{1,2})[-/.]\d{2,4}")
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    return bool((first > 12).sum() > (second > 12).sum())


def parse_dates(values: pd.Series, name: str = "") -> pd.Series:
    """Dates in mixed formats (ISO, day-first, month names, YYYYMMDD, Unix seconds); unparseable become NaT."""
    s = values.astype(str).str.strip()
    s = s.where(s != "", None)
    present = s.dropna()
    if present.empty:
        return pd.to_datetime(s, errors="coerce")
    if present.str.fullmatch(r"\d{8}").all():
        return pd.to_datetime(s, format="%Y%m%d", errors="coerce")
    if present.str.fullmatch(r"\d{9,10}").all():
        return pd.to_datetime(pd.to_numeric(s, errors="coerce"), unit="s", errors="coerce")
    try:
        return pd.to_datetime(s, format="ISO8601", errors="raise")
    except (ValueError, TypeError):
        pass
    iso = s.str.match(r"^\d{4}-\d{1,2}-\d{1,2}").fillna(False).astype(bool)
    out = pd.to_datetime(s.where(iso), format="ISO8601", errors="coerce")
    dayfirst = _day_first(present[~present.str.match(r"^\d{4}-")].head(5000))
    try:  # one format throughout (12/1/2010 08:26): pandas infers it from the first value, fast
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            rest = pd.to_datetime(s.where(~iso), dayfirst=dayfirst, errors="raise")
    except (ValueError, TypeError):
        rest = pd.to_datetime(s.where(~iso), format="mixed", dayfirst=dayfirst, errors="coerce")
    return out.fillna(rest)


@dataclass
class TypeReport:
    """How each column was typed and how many values did not fit the type."""

    kinds: dict[str, str] = field(default_factory=dict)
    unparsed: dict[str, int] = field(default_factory=dict)
    currency: dict[str, str] = field(default_factory=dict)  # money columns: the symbol or code they were written with


def _is_date_column(name: str, present: pd.Series) -> bool:
    sample = present.head(500)
    if sample.str.match(_DATE_LIKE).mean() > 0.9:
        return True
    if _DATE_NAME.search(name) or re.fullmatch(r"column_\d+", name):
        if sample.str.fullmatch(r"(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])").mean() > 0.95:
            return True
        if sample.str.fullmatch(r"1\d{9}|[89]\d{8}").mean() > 0.95:
            return True
    return False


def _zero_padded(present: pd.Series) -> bool:
    """Codes like 00042: digits of one width, some with leading zeros (numbers would lose them)."""
    sample = present.head(5000)
    return bool(
        sample.str.match(r"^0\d").mean() > 0.05
        and sample.str.fullmatch(r"\d+").all()
        and sample.str.len().nunique() == 1
    )


def _mostly_numbers(present: pd.Series, threshold: float) -> bool:
    """A quick look at the first values, so text columns (descriptions, countries) skip the full number parse."""
    return bool(parse_numbers(present.head(2000)).notna().mean() >= threshold)


def _mostly_parsed(dates: pd.Series, blank: pd.Series, threshold: float = 0.9) -> bool:
    """Whether a column that looked like dates really reads as dates (else it stays text, nothing lost)."""
    return bool(dates[~blank].notna().mean() >= threshold)


def parse_types(df: pd.DataFrame, threshold: float = 0.9) -> tuple[pd.DataFrame, TypeReport]:
    """Turn text columns into numbers or dates where at least `threshold` of the values fit.

    Identifier-like columns (names such as "customer id", "SKU"; values with leading zeros) stay text.
    """
    out = {}
    report = TypeReport()
    for col in df.columns:
        raw = df[col]
        s = raw.astype(str).str.strip()
        blank = (s == "") | s.str.lower().isin(["nan", "none"])
        present = s[~blank]
        kind = "text"
        converted: pd.Series | None = None
        if present.empty:
            kind = "empty"
        elif _is_date_column(col, present) and _mostly_parsed(dates := parse_dates(s.where(~blank, ""), col), blank):
            converted = dates
            kind = "datetime"
        elif not _ID_NAME.search(col) and not _zero_padded(present) and _mostly_numbers(present, threshold):
            numbers = parse_numbers(s.where(~blank, ""))
            failed = present[numbers[~blank].isna()]
            codes = len(failed) > 0 and failed.str.fullmatch(r"[A-Za-z]{1,3}-?\d+").all()
            if numbers[~blank].notna().mean() >= threshold and not codes:
                converted = numbers
                kind = "number"
                if (symbol := currency_of(present)) is not None:
                    report.currency[col] = symbol
        if converted is not None:
            report.unparsed[col] = int((converted.isna() & ~blank).sum())
            out[col] = converted
        else:
            out[col] = s.where(~blank)
        report.kinds[col] = kind
    report.unparsed = {k: v for k, v in report.unparsed.items() if v > 0}
    return pd.DataFrame(out, index=df.index), report
