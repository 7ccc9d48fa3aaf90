"""The outcome and the people's labels: which column holds the result the founder cares about, read from its
name and checked against its values.

Among several two-valued columns the outcome is the one whose name says it is a result (Churn, Exited,
Response, y, Converted, 流失, 是否…), never a flag of a past campaign (AcceptedCmp3 beside AcceptedCmp1..5), a
credit default, a loan, a complaint or a fact about the customer (HasCrCard, IsActiveMember). When two are
equally plausible none is picked: the Data page asks which one the founder cares about (`outcome_question`).

In feedback, a column of sentiment classes (positive / neutral / negative, 1 / 0 / -1, 好评 / 中评 / 差评,
正面 / 负面, emotions) is the label the people gave, which the sentiment scores are checked against.
"""

from __future__ import annotations

import re

import pandas as pd

from insight.data import values as v
from insight.data.hints import question, words
from insight.outcome_words import LEAVING

# Names that say the column is the result of something: a reply, a sale, a renewal, the target of a model
RESULT = re.compile(
    r"response|responded|repl(y|ied)|converted|conversion|subscribed|subscription|signed.?up|outcome|target|"
    r"label|retained|retention|renewed|renewal|repurchased?|purchased|accepted|won|deposit|"
    r"转化|响应|回复|购买|复购|续费|留存|成交|認証",
    re.I,
)
RESULT_WORDS = {"y", "class", "result", "buy", "bought"}  # whole names: the target of a model (`y`)
# Weaker: a two-valued answer about how the customer feels or intends (feedback 0/1, "Will you continue?")
WEAK_RESULT = re.compile(
    r"feedback|sentiment|polarity|positive|recommend|satisf|continue|return|loyal|是否|标签|满意|推荐", re.I
)
# Two-valued facts that are not the result the founder acts on: a credit default, a loan, a complaint, a past
# campaign (previous, prior, last)
NOT_RESULT = re.compile(
    r"default|loan|housing|mortgage|complain|complaint|previous|prior|past|(^|[\W_])(last|prev|p)([\W_]|$)|"
    r"投诉|贷款|违约",
    re.I,
)
# Names of a column of sentiment classes the people gave
SENTIMENT_NAME = re.compile(r"sentiment|emotion|polarity|evaluation|label|class|评价|情感|极性|标签|情绪|感情", re.I)
_SIDES = (  # a class value's side; a value matching no side, or two ("I can't tell"), takes none
    (
        "negative",
        r"\bneg(ative|atif|ativo|ativa|ativ|atief)?\b|差评|负面|消极|负向|不满|\bang(er|ry)\b|\bsad(ness)?\b|"
        r"\bfear\b|\bdisgust\b|\bhate\b|\bbad\b|\bunhappy\b|\bworry\b|^-1(\.0)?$",
    ),
    (
        "neutral",
        r"\bneu(tral|tre|tro|tra)?\b|中评|中性|中立|一般|\bno emotion\b|\bmixed\b|\bnone\b|^0(\.0)?$",
    ),
    (
        "positive",
        r"\bpos(itive|itif|itivo|itiva|itiv|itief)?\b|好评|正面|积极|正向|满意|\bjoy\b|\blove\b|\bhappy\b|"
        r"\bgood\b|\bhappiness\b|\benthusiasm\b|^\+?1(\.0)?$",
    ),
)
MIN_LABEL_COVER = 0.8  # sentiment classes must cover this share of the labelled rows
MAX_LABEL_CLASSES = 12


def _series(name: str, columns: list[str]) -> bool:
    """One of a numbered series (AcceptedCmp1 … AcceptedCmp5): a flag per past campaign, not the outcome."""
    stem = re.sub(r"[\W_]*\d+$", "", name)
    if stem == name:
        return False
    return sum(re.sub(r"[\W_]*\d+$", "", str(c)) == stem for c in columns) >= 2


def outcome_strength(name: str, columns: list[str]) -> int | None:
    """How surely a two-valued column's name says it is the outcome: 0 (a result: Churn, Response, y), 1 (an
    answer about feeling or intent: feedback, 'Will you continue?') or None (not an outcome)."""
    if _series(name, columns):
        return None
    if LEAVING.search(name):
        return 0
    if NOT_RESULT.search(" ".join(words(name))) or NOT_RESULT.search(name):
        return None
    if RESULT.search(name) or "_".join(words(name)) in RESULT_WORDS:
        return 0
    if WEAK_RESULT.search(name):
        return 1
    return None


def choose_outcome(df: pd.DataFrame, candidates: list[str]) -> tuple[str | None, list[str]]:
    """The outcome among two-valued `candidates` and the columns it was chosen from: (column, []) when one name
    says it most surely, (None, tied) when two or more are equally plausible, (None, []) when none is named as
    an outcome. `question` names (HasCrCard, 'Is …?') are facts unless a result word says otherwise."""
    columns = [str(c) for c in df.columns]
    ranked: dict[int, list[str]] = {}
    for c in candidates:
        if not v.binary_values(df[c]):
            continue
        strength = outcome_strength(str(c), columns)
        if strength is None or (strength == 1 and question(str(c)) and not re.search(r"\?|？", str(c))):
            continue
        ranked.setdefault(strength, []).append(c)
    if not ranked:
        return None, []
    best = ranked[min(ranked)]
    return (best[0], []) if len(best) == 1 else (None, best)


def outcome_question(df: pd.DataFrame, roles: dict) -> list[str]:
    """The columns the founder should choose the outcome from (empty when there is nothing to ask): two-valued
    columns without a role whose names are equally plausible outcomes."""
    if roles.get("label"):
        return []
    taken = {c for role, c in roles.items() if isinstance(c, str)} | set(roles.get("pii") or [])
    return choose_outcome(df, [c for c in df.columns if c not in taken])[1]


def sentiment_side(value: object) -> str | None:
    """'positive', 'neutral' or 'negative' for a class value the people gave ('Positive emotion', '差评', -1,
    'joy'); None when it says none, or more than one ("I can't tell")."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip().lower()
    hits = [side for side, pattern in _SIDES if re.search(pattern, text)]
    return hits[0] if len(hits) == 1 else None


def sentiment_classes(s: pd.Series) -> bool:
    """Whether a column holds sentiment classes: 2 to 12 classes, at least two sides among them, and the
    classes with a side cover most labelled rows (an 'I can't tell' answer may remain)."""
    present = s.dropna()
    if present.empty or not 2 <= present.nunique() <= MAX_LABEL_CLASSES:
        return False
    if v.is_number(s) and set(present.unique()) != {-1, 0, 1}:
        return False  # stars 1-5 are a rating; 0/1 is a two-valued label (1 the positive one), not three classes
    sides = present.map(sentiment_side)
    if v.binary_values(s) and set(sides.dropna()) != {"positive", "negative"}:
        return False
    return sides.nunique() >= 2 and float(sides.notna().mean()) >= MIN_LABEL_COVER


def feedback_label(df: pd.DataFrame, candidates: list[str]) -> str | None:
    """The people's label of a feedback table: a column of sentiment classes (named as one first), else a
    two-valued column named as an outcome or a sentiment."""
    classes = [c for c in candidates if sentiment_classes(df[c])]
    if classes:
        return min(classes, key=lambda c: SENTIMENT_NAME.search(str(c)) is None)
    named = [c for c in candidates if v.binary_values(df[c]) and SENTIMENT_NAME.search(str(c))]
    return named[0] if named else choose_outcome(df, candidates)[0]
