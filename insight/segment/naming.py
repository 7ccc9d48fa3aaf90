"""Segments in words: a short persona name and a one-line description from each segment's profile.

Names must agree with the segment's own numbers (a pattern name is dropped when the medians contradict it)
and read as words for any table: count columns read "more store purchases", yes/no columns "mostly active
members", and every comparison says it is against the median (or share) of all customers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insight.labels import fmt_number, nice_name
from insight.segment.cluster import NOISE
from insight.segment.describe import Profile

PHRASES = {  # (above average, below average), for names built from a segment's most distinctive features
    "age": ("older", "younger"),
    "recency_days": ("inactive for a while", "recently active"),
    "frequency": ("more orders", "fewer orders"),
    "monetary": ("above-average spend", "below-average spend"),
    "avg_order_value": ("larger baskets", "smaller baskets"),
    "tenure_days": ("long-standing", "new"),
    "purchase_rate_30d": ("buying a lot lately", "hardly buying lately"),
    "days_between_orders": ("long gaps between orders", "short gaps between orders"),
    "return_share": ("return a lot", "rarely return"),
    "distinct_items": ("buy a wide range", "buy a narrow range"),
}


_COUNT_PREFIX = re.compile(r"^(num|number of|no of|nr|count of|n|total number of|#)\s+")  # see labels.nice_name
_YES_NO_PREFIX = re.compile(r"^(is|has|have|was|did)\s+(an?\s+)?")


def _words(feature: str) -> tuple[str, bool]:
    """The column in words without a count prefix ('num store purchases' -> 'store purchases'), and whether
    it counts things (so it reads 'more' / 'fewer')."""
    words = nice_name(feature)
    stripped = _COUNT_PREFIX.sub("", words)
    return stripped, stripped != words


def _plural(words: str) -> str:
    return words if words.endswith("s") else words + "s"


def _phrase(feature: str, d: float, share: bool = False) -> str:
    if feature.lower() in PHRASES:
        return PHRASES[feature.lower()][0 if d > 0 else 1]
    words, counted = _words(feature)
    if share:
        if "=" not in feature:  # a yes/no column: 'is active member' -> 'active members'
            words = _plural(_YES_NO_PREFIX.sub("", words))
        return f"mostly {words}" if d > 0 else f"few {words}"
    if counted:
        return f"{'more' if d > 0 else 'fewer'} {words}"
    return f"{'high' if d > 0 else 'low'} {words}"


PATTERNS = (
    "Big spenders, recently active",
    "One-time bargain buyers",
    "Occasional bargain buyers",
    "Former regulars drifting away",
    "Loyal regulars",
    "Lapsed occasional buyers",
    "Frequent returners",
    "New customers",
    "Big spenders gone quiet",
)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _archetypes(d: dict[str, float]) -> dict[str, float]:
    """Named RFM patterns this segment matches, with how strongly (in standard deviations), in priority order.

    A pattern matches when each of its signals is past 0.5 standard deviations; its strength is their mean.
    """

    def up(*fs: str) -> float:
        values = [d[f] for f in fs if f in d]
        return max(values) if values else np.nan

    spend, freq, late = up("monetary", "avg_order_value"), up("frequency"), up("recency_days")
    not_rare = freq + 1.0  # past 0.5 exactly when frequency is not below -0.5: "used to buy regularly"
    signals = [
        (spend, -late),
        (-freq, -spend),
        (-freq, -spend),
        (late, not_rare),
        (freq, -late),
        (-freq, late),
        (up("return_share"),),
        (-up("tenure_days"), -late),
        (spend, late),
    ]
    return {name: float(np.mean(v)) for name, v in zip(PATTERNS, signals, strict=True) if all(x > 0.5 for x in v)}


# What each pattern name claims about the medians: +1 above all customers' median, -1 below. A pattern whose
# claim the segment's own medians contradict does not get the name.
CLAIMS = {
    "Big spenders, recently active": {"monetary": 1, "recency_days": -1},
    "One-time bargain buyers": {"frequency": -1, "monetary": -1},
    "Occasional bargain buyers": {"frequency": -1, "monetary": -1},
    "Former regulars drifting away": {"recency_days": 1},
    "Loyal regulars": {"frequency": 1, "recency_days": -1},
    "Lapsed occasional buyers": {"frequency": -1, "recency_days": 1},
    "Frequent returners": {"return_share": 1},
    "New customers": {"tenure_days": -1, "recency_days": -1},
    "Big spenders gone quiet": {"monetary": 1, "recency_days": 1},
}
MOSTLY_ONCE = 1  # "one-time" only when at least half bought once: the segment's median orders at most 1


def _agrees(pattern: str, stats: pd.DataFrame) -> bool:
    """Whether the segment's medians (feature-indexed stats) do not contradict what the pattern name says."""
    for feature, sign in CLAIMS.get(pattern, {}).items():
        if feature in stats.index:
            gap = stats.at[feature, "median"] - stats.at[feature, "overall_median"]
            if gap * sign < 0:
                return False
    if pattern.endswith("bargain buyers") and "frequency" in stats.index:
        return bool(stats.at["frequency", "median"] <= MOSTLY_ONCE) == pattern.startswith("One-time")
    return True


@dataclass(frozen=True)
class Persona:
    """A segment in words: a short name and a one-line description from its profile."""

    segment: int
    name: str
    description: str
    size: int
    share: float


def personas(prof: Profile) -> list[Persona]:
    """Name and describe every segment from what sets it apart.

    Each RFM pattern name goes to the segment that matches it most strongly; the other segments are named
    after their two most distinctive features ("High annual income, low spending score"). Names are unique.
    """
    diffs = {s: g.set_index("feature")["std_diff"].to_dict() for s, g in prof.stats.groupby("segment")}
    names: dict[int, str] = {NOISE: "Fit no group"} if NOISE in diffs else {}
    by_segment = {s: g.set_index("feature") for s, g in prof.stats.groupby("segment")}
    matches = {
        s: {p: v for p, v in _archetypes(d).items() if _agrees(p, by_segment[s])}
        for s, d in diffs.items()
        if s != NOISE
    }
    for pattern in PATTERNS:
        claims = {s: m[pattern] for s, m in matches.items() if pattern in m and s not in names}
        if claims:
            names[max(claims, key=claims.get)] = pattern
    out = []
    for row in prof.sizes.itertuples(index=False):
        s = int(row.segment)
        d, top = diffs[s], prof.top_features[s]
        strong = [f for f in top if abs(d[f]) >= 0.5]
        if s not in names:
            phrases = [_phrase(f, d[f], f in prof.shares) for f in strong] or ["typical customers"]
            base = ", ".join(phrases[:3] if _capital(", ".join(phrases[:2])) in names.values() else phrases[:2])
            name, n = _capital(base), 2
            while name in names.values():
                name, n = f"{_capital(base)} ({n})", n + 1
            names[s] = name
        st = by_segment[s]
        money = f", {row.revenue_share:.0%} of revenue" if "revenue_share" in prof.sizes.columns else ""
        facts = "; ".join(fact for f in strong if (fact := _fact(st, f, f in prof.shares)))
        if facts:
            shares = any(f in prof.shares for f in strong)
            facts += f" (this segment vs all customers: {'medians or shares' if shares else 'medians'})"
        people = f"{row.customers:,} customer{'s' if row.customers != 1 else ''}"
        desc = f"{people} ({row.share:.0%}{money}): {facts or 'close to average on every feature'}."
        out.append(Persona(s, names[s], desc, int(row.customers), float(row.share)))
    return out


def _number(v: float) -> str:
    """Like `fmt_number`, without a trailing '.0' on whole numbers ('3 orders', not '3.0 orders')."""
    return f"{v:,.0f}" if float(v).is_integer() else fmt_number(v)


def _fact(stats: pd.DataFrame, feature: str, share: bool) -> str | None:
    """'orders 2 vs 6' (medians) or 'active members 12% vs 48%' (shares), this segment first; None when
    either figure is unknown."""
    key = "mean" if share else "median"
    own, overall = stats.at[feature, key], stats.at[feature, "overall_" + key]
    if pd.isna(own) or pd.isna(overall):
        return None
    if share:
        words = nice_name(feature) if "=" in feature else _plural(_YES_NO_PREFIX.sub("", nice_name(feature)))
        return f"{words} {own:.0%} vs {overall:.0%}"
    return f"{_words(feature)[0]} {_number(own)} vs {_number(overall)}"
