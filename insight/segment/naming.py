"""Segments in words: a short persona name and a one-line description from each segment's profile."""

from __future__ import annotations

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


def _phrase(feature: str, d: float, share: bool = False) -> str:
    if feature.lower() in PHRASES:
        return PHRASES[feature.lower()][0 if d > 0 else 1]
    if share:
        return f"mostly {nice_name(feature)}" if d > 0 else f"few {nice_name(feature)}"
    return f"{'high' if d > 0 else 'low'} {nice_name(feature)}"


PATTERNS = (
    "Big spenders, recently active",
    "One-time bargain buyers",
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
        (late, not_rare),
        (freq, -late),
        (-freq, late),
        (up("return_share"),),
        (-up("tenure_days"), -late),
        (spend, late),
    ]
    return {name: float(np.mean(v)) for name, v in zip(PATTERNS, signals, strict=True) if all(x > 0.5 for x in v)}


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
    matches = {s: _archetypes(d) for s, d in diffs.items() if s != NOISE}
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
        st = prof.stats[prof.stats["segment"] == s].set_index("feature")
        money = f", {row.revenue_share:.0%} of revenue" if "revenue_share" in prof.sizes.columns else ""
        facts = "; ".join(
            f"{nice_name(f)} {_value(st, f, '', f in prof.shares)} vs {_value(st, f, 'overall_', f in prof.shares)} "
            "overall"
            for f in strong
        )
        people = f"{row.customers:,} customer{'s' if row.customers != 1 else ''}"
        desc = f"{people} ({row.share:.0%}{money}): {facts or 'close to average on every feature'}."
        out.append(Persona(s, names[s], desc, int(row.customers), float(row.share)))
    return out


def _value(stats: pd.DataFrame, feature: str, prefix: str, share: bool = False) -> str:
    """A segment's (or everyone's) typical value: the median, or the share for a category or a 0/1 column."""
    if share:
        return f"{stats.at[feature, prefix + 'mean']:.0%}"
    return fmt_number(stats.at[feature, prefix + "median"])
