"""Audiences: groups of customers to send to a marketing tool, each with one suggested action from its own numbers.

Three kinds, each built only on results that passed their checks (the pipeline withholds the rest with the
reason): every segment, "likely to leave and worth the most" (the action list: churn and value both usable) and
"likely to buy ITEM" for the items most often among the customers' top offers. An audience's `members` hold the
customer id and the scores it carries (segment, churn risk, 12-month value, next order date ...); its `action`
is None when the only numbers to build one on are unreliable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from insight.act import formats
from insight.i18n import text
from insight.labels import money, plural, share
from insight.outcome_words import LEAVE, Outcome

OVERDUE = 1.5  # a group whose median wait is 1.5 times its usual gap is overdue: win them back
DUE_SOON_DAYS = 14  # half of the group due within two weeks: remind them now
ONE_ORDER_SHARE = 0.5  # half the group ordered once: nudge a second order
OFFER_RANK = 3  # "likely to buy ITEM": ITEM among a customer's 3 best offers
OFFER_AUDIENCES = 3  # for the 3 items most often offered that way


@dataclass(frozen=True)
class Audience:
    """One audience: `key` (for file names), `name` (shown), `tag` (in the platform files), `kind` (segment,
    leaving, offer), `members` (customer_id and scores) and the suggested `action` (None when withheld)."""

    key: str
    name: str
    tag: str
    kind: str
    members: pd.DataFrame
    action: str | None

    @property
    def size(self) -> int:
        return len(self.members)

    def file_name(self, fmt: str) -> str:
        return f"{self.key}_{formats.check_format(fmt)}.csv"

    def table(self, fmt: str, contacts: pd.DataFrame | None) -> pd.DataFrame:
        """The rows of this audience's import file in `fmt` (the platforms need the owner's `contacts`)."""
        return formats.render(self.members, fmt, contacts, self.tag)

    def export(self, fmt: str, contacts: pd.DataFrame | None) -> AudienceFile:
        """The import file in `fmt`: its name, bytes, and how many members it had to leave out (no email or
        phone for the tool to match them by)."""
        table = self.table(fmt, contacts)
        return AudienceFile(self.file_name(fmt), formats.to_bytes(table), len(table), self.size - len(table), fmt)


@dataclass(frozen=True)
class AudienceFile:
    """One audience's import file: `name`, `data` (bytes), `rows`, `left_out` (members the tool could not match)."""

    name: str
    data: bytes
    rows: int
    left_out: int
    fmt: str

    @property
    def note(self) -> str | None:
        """The sentence saying who is not in the file and why (None when everyone is)."""
        if not self.left_out:
            return None
        need = "an email" if self.fmt == "mailchimp" else "an email or a phone number"
        return f"{plural(self.left_out, 'customer')} left out of {self.name}: {self.fmt.capitalize()} needs {need}."


@dataclass(frozen=True)
class Audiences:
    """The audiences built (`items`) and, for each kind or score left out, the sentence saying why (`notes`)."""

    items: tuple[Audience, ...]
    notes: tuple[str, ...]


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe key: words (any script) joined by hyphens, nothing that names a folder."""
    return re.sub(r"[\W_]+", "-", str(text).lower()).strip("-")[:limit].strip("-") or "audience"


def _rhythm(members: pd.DataFrame) -> tuple[float | None, float | None]:
    """The median usual gap and median days since the last order of the members who ordered more than once."""
    if "usual_gap_days" not in members:
        return None, None
    repeat = members[members["usual_gap_days"].notna()]
    if repeat.empty:
        return None, None
    return float(repeat["usual_gap_days"].median()), float(repeat["days_since_last"].median())


def _due_soon(members: pd.DataFrame) -> float | None:
    """Median days to the next order of those with a date (only present when the dates passed their check)."""
    if "days_to_next" not in members or members["days_to_next"].notna().sum() == 0:
        return None
    return float(members["days_to_next"].median())


def timing(members: pd.DataFrame) -> str | None:
    """What the group's order rhythm says to do: win back, nudge a second order, remind, or keep close."""
    gap, since = _rhythm(members)
    if "days_since_last" in members and members["days_since_last"].notna().any():
        one_order = float(members["usual_gap_days"].isna().mean()) if "usual_gap_days" in members else 0.0
        if one_order >= ONE_ORDER_SHARE:
            ago = members.loc[members["usual_gap_days"].isna(), "days_since_last"].median()
            return f"second-order nudge: {share(one_order)} ordered only once, {ago:.0f} days ago (median)"
    if gap is None:
        return None
    if since > OVERDUE * gap:
        return f"win-back offer: their usual gap is {gap:.0f} days and it has been {since:.0f}"
    due = _due_soon(members)
    if due is not None and due <= DUE_SOON_DAYS:
        return f"a reminder now: they order about every {gap:.0f} days and half are due within {due:.0f} days"
    return f"keep them close, no discount needed: they order about every {gap:.0f} days, last {since:.0f} days ago"


def _sentence(text: str | None) -> str | None:
    return f"{text[0].upper()}{text[1:]}." if text else None


def segment_audiences(scores: pd.DataFrame) -> list[Audience]:
    """One audience per segment (customers in no group left out), largest first."""
    if "segment" not in scores:
        return []
    grouped = scores[scores["segment"].notna()].groupby("segment", sort=False)
    out = []
    for name, members in sorted(grouped, key=lambda g: -len(g[1])):
        action = timing(members)
        if action is None and "churn_risk" in members:
            action = f"check in with them: their churn risk averages {share(members['churn_risk'].mean())}"
        out.append(
            Audience(
                slug(f"segment {name}"),
                f"Segment: {name}",
                str(name),
                "segment",
                members.reset_index(drop=True),
                _sentence(action),
            )
        )
    return out


def leaving_audience(
    actions: pd.DataFrame, scores: pd.DataFrame, currency: str | None, outcome: Outcome | None = None
) -> Audience:
    """The action list's customers (valuable and likely to leave, or to say yes: named for the `outcome`), most
    value at stake first."""
    outcome = outcome or Outcome(LEAVE)
    keep = [c for c in ("customer_id", "predicted_value") if c in actions]
    members = actions[keep].merge(scores.drop(columns="predicted_value", errors="ignore"), on="customer_id", how="left")
    worth = money(actions["predicted_value"].sum(), currency) if len(actions) else None
    action = None
    if len(actions):
        # written now, as the rhythm sentences beside it are (an audience's action is one sentence)
        action = text(outcome.message("audience_action", people=plural(len(actions), "customer"), worth=worth))
        gap, since = _rhythm(members)
        if gap is not None and outcome.leaving:
            action += f"; then a win-back offer: their usual gap is {gap:.0f} days and it has been {since:.0f}"
    name = outcome.message("audience")
    key = slug(name.key.replace(" and ", " "))  # likely-to-leave-worth-the-most (English: a file name)
    return Audience(key, name, outcome.message("audience_tag"), "leaving", members, _sentence(action))


def offer_audiences(offers: pd.DataFrame, scores: pd.DataFrame) -> list[Audience]:
    """ "Likely to buy ITEM" for the items most often among the customers' best `OFFER_RANK` offers."""
    top = offers[offers["rank"] <= OFFER_RANK]
    if top.empty:
        return []
    counts = top.groupby("item_id").size().sort_values(ascending=False, kind="stable")
    out = []
    for item in counts.index[:OFFER_AUDIENCES]:
        picked = top[top["item_id"] == item]
        name = str(picked["item_name"].iloc[0])
        members = picked[["customer_id"]].assign(offer=name).merge(scores, on="customer_id", how="left")
        who = plural(len(members), "customer")
        action = f"offer {name}: it is among the {OFFER_RANK} best offers for each of these {who}"
        due = _due_soon(members)
        if due is not None:
            action += f"; send it before their next order (half are due within {due:.0f} days)"
        title = f"likely to buy {name}"
        out.append(Audience(slug(title), f"Likely to buy {name}", title, "offer", members, _sentence(action)))
    return out
