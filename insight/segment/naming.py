"""Segments in words: a short persona name and a one-line description from each segment's profile.

Names must agree with the segment's own numbers (a pattern name is dropped when the medians contradict it)
and read as words for any table: count columns read "more store purchases", yes/no columns "mostly active
members", and every comparison says it is against the median (or share) of all customers.

A `Persona` holds what sets its segment apart (a pattern's message key, the distinctive columns and which way
they lean, the figures), never text: segmentations are cached and fitted in worker processes, so the name
and the description are written when they are read, in the reader's language (`insight.i18n`). Column names
from the upload are shown as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insight.formats import count, number, share
from insight.i18n import N_, _, join, ngettext, pgettext
from insight.labels import NICE_NAMES, nice_name
from insight.segment.cluster import NOISE
from insight.segment.describe import Profile

PHRASES = {  # (above average, below average), for names built from a segment's most distinctive features
    "age": (N_("older"), N_("younger")),
    "recency_days": (N_("inactive for a while"), N_("recently active")),
    "frequency": (N_("more orders"), N_("fewer orders")),
    "monetary": (N_("above-average spend"), N_("below-average spend")),
    "avg_order_value": (N_("larger baskets"), N_("smaller baskets")),
    "tenure_days": (N_("long-standing"), N_("new")),
    "purchase_rate_30d": (N_("buying a lot lately"), N_("hardly buying lately")),
    "days_between_orders": (N_("long gaps between orders"), N_("short gaps between orders")),
    "return_share": (N_("return a lot"), N_("rarely return")),
    "distinct_items": (N_("buy a wide range"), N_("buy a narrow range")),
}
_COUNT_PREFIX = re.compile(r"^(num|number of|no of|nr|count of|n|total number of|#)\s+")  # see labels.nice_name
_YES_NO_PREFIX = re.compile(r"^(is|has|have|was|did)\s+(an?\s+)?")


def _words(feature: str) -> tuple[str, bool]:
    """The column in words without a count prefix ('num store purchases' -> 'store purchases'), and whether
    it counts things (so it reads 'more' / 'fewer'); the table's own columns in the reader's language."""
    if feature in NICE_NAMES:
        return nice_name(feature), False  # the counted ones (orders, items) have their PHRASES
    words = nice_name(feature)
    stripped = _COUNT_PREFIX.sub("", words)
    return stripped, stripped != words


def _plural(words: str) -> str:
    return words if words.endswith("s") else words + "s"


def _share_words(feature: str) -> str:
    """A yes/no column as the people it marks ('is active member' -> 'active members'); a category as it is."""
    words = _words(feature)[0]
    return words if "=" in feature or feature in NICE_NAMES else _plural(_YES_NO_PREFIX.sub("", words))


@dataclass(frozen=True)
class Trait:
    """A column that sets a segment apart, and which way: above (`up`) or below all customers."""

    feature: str
    up: bool
    share: bool = False  # a yes/no or one-hot column, compared by the share of customers

    def words(self) -> str:
        """'above-average spend', 'mostly active members', 'more store purchases', 'high annual income'."""
        if self.feature.lower() in PHRASES:
            return _(PHRASES[self.feature.lower()][0 if self.up else 1])
        if self.share:
            template = _("mostly {words}") if self.up else _("few {words}")
            return template.format(words=_share_words(self.feature))
        words, counted = _words(self.feature)
        if counted:
            template = _("more {words}") if self.up else _("fewer {words}")
        else:
            template = _("high {words}") if self.up else _("low {words}")
        return template.format(words=words)


@dataclass(frozen=True)
class Fact:
    """One column of a segment against all customers: medians, or shares for a yes/no column."""

    feature: str
    own: float
    overall: float
    share: bool = False

    def words(self) -> str:
        """'orders 2 vs 6', 'active members 12% vs 48%' (this segment first)."""
        if self.share:
            words, own, overall = _share_words(self.feature), share(self.own), share(self.overall)
        else:
            words, own, overall = _words(self.feature)[0], _number(self.own), _number(self.overall)
        return _("{words} {own} vs {overall}").format(words=words, own=own, overall=overall)


PATTERNS = (
    N_("Big spenders, recently active"),
    N_("One-time bargain buyers"),
    N_("Occasional bargain buyers"),
    N_("Former regulars drifting away"),
    N_("Loyal regulars"),
    N_("Lapsed occasional buyers"),
    N_("Frequent returners"),
    N_("New customers"),
    N_("Big spenders gone quiet"),
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
    one_time, occasional = PATTERNS[1], PATTERNS[2]
    if pattern in (one_time, occasional) and "frequency" in stats.index:
        return bool(stats.at["frequency", "median"] <= MOSTLY_ONCE) == (pattern == one_time)
    return True


@dataclass(frozen=True)
class Persona:
    """A segment in words: a short name and a one-line description from its profile, written when read.

    `pattern` is the RFM pattern the segment is named after (a key of `PATTERNS`), else `traits` are the
    distinctive columns the name is made of (none: "typical customers"), and `number` tells apart segments
    that would get the same name. `facts` are the figures the description gives."""

    segment: int
    size: int
    share: float
    pattern: str | None = None
    traits: tuple[Trait, ...] = ()
    number: int = 1
    facts: tuple[Fact, ...] = ()
    revenue_share: float | None = None

    @property
    def name(self) -> str:
        """The persona's name in the active language: 'Loyal regulars', 'High income, low score (2)'."""
        if self.segment == NOISE:
            return _("Fit no group")
        if self.pattern is not None:
            base = _(self.pattern)
        elif self.traits:
            base = _capital(join([t.words() for t in self.traits]))
        else:
            base = _("Typical customers")
        return base if self.number == 1 else _("{name} ({number})").format(name=base, number=self.number)

    @property
    def description(self) -> str:
        """'120 customers (30%, 55% of revenue): orders 2 vs 6; spend 40 vs 120 (this segment vs all customers:
        medians).' in the active language."""
        people = ngettext("{n} customer", "{n} customers", self.size).format(n=count(self.size))
        if self.revenue_share is None:
            part = share(self.share)
        else:
            part = _("{share}, {revenue} of revenue").format(share=share(self.share), revenue=share(self.revenue_share))
        if not self.facts:
            facts = _("close to average on every feature")
        elif any(f.share for f in self.facts):
            facts = _("{facts} (this segment vs all customers: medians or shares)")
        else:
            facts = _("{facts} (this segment vs all customers: medians)")
        facts = facts.format(facts=pgettext("fact separator", "; ").join(f.words() for f in self.facts))
        return _("{people} ({part}): {facts}.").format(people=people, part=part, facts=facts)


def personas(prof: Profile) -> list[Persona]:
    """Name and describe every segment from what sets it apart.

    Each RFM pattern name goes to the segment that matches it most strongly; the other segments are named
    after their two most distinctive features ("High annual income, low spending score"), or three when two
    are another segment's name already. Names are unique, whatever the language they are read in.
    """
    diffs = {s: g.set_index("feature")["std_diff"].to_dict() for s, g in prof.stats.groupby("segment")}
    by_segment = {s: g.set_index("feature") for s, g in prof.stats.groupby("segment")}
    matches = {
        s: {p: v for p, v in _archetypes(d).items() if _agrees(p, by_segment[s])}
        for s, d in diffs.items()
        if s != NOISE
    }
    patterns: dict[int, str] = {}
    for pattern in PATTERNS:
        claims = {s: m[pattern] for s, m in matches.items() if pattern in m and s not in patterns}
        if claims:
            patterns[max(claims, key=claims.get)] = pattern
    taken: list[tuple[Trait, ...]] = []
    out = []
    for row in prof.sizes.itertuples(index=False):
        s = int(row.segment)
        d, top = diffs[s], prof.top_features[s]
        strong = [f for f in top if abs(d[f]) >= 0.5]
        traits = tuple(Trait(f, bool(d[f] > 0), f in prof.shares) for f in strong)
        named = traits[:3] if traits[:2] in taken else traits[:2]
        number = 1
        if s not in patterns and s != NOISE:
            number = 1 + taken.count(named)
            taken.append(named)
        facts = tuple(fact for f in strong if (fact := _fact(by_segment[s], f, f in prof.shares)) is not None)
        revenue = float(row.revenue_share) if "revenue_share" in prof.sizes.columns else None
        out.append(Persona(s, int(row.customers), float(row.share), patterns.get(s), named, number, facts, revenue))
    return out


def _number(v: float) -> str:
    """Like `formats.number`, without a trailing '.0' on whole numbers ('3 orders', not '3.0 orders')."""
    return count(v) if float(v).is_integer() else number(v)


def _fact(stats: pd.DataFrame, feature: str, share: bool) -> Fact | None:
    """The segment's median (or share) of a column against all customers', or None when either is unknown."""
    key = "mean" if share else "median"
    own, overall = stats.at[feature, key], stats.at[feature, "overall_" + key]
    if pd.isna(own) or pd.isna(overall):
        return None
    return Fact(feature, float(own), float(overall), share)
