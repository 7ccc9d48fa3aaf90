"""What each sentiment model is and how well it was measured, so a page can say which model scored which
texts and how far to trust it.

The figures are measured on labelled public reviews by `bench/sentiment_models.py`, which prints them; the
tests re-measure them on the same data (`tests/test_cards.py`, shared_data). Accuracy counts positive and
negative texts equally (balanced accuracy: a coin gets 50% whatever the mix), positive meaning a score at or
above VADER's 0.05.
"""

from __future__ import annotations

from dataclasses import dataclass

from insight.formats import count, number, share
from insight.i18n import N_, _, ngettext
from insight.sentiment.chinese import MODEL_NAME as CHINESE_MODEL
from insight.sentiment.scoring import VADER_MODEL


@dataclass(frozen=True)
class ModelCard:
    """One sentiment model: its name, what it is, the language it reads and how it did on labelled texts."""

    model: str  # the name `scoring.score` writes in the `model` column
    language: str  # ISO 639-1 code of the texts it reads
    name: str  # how a page names it (a model name, or a message key for the catalogue)
    kind: str  # message key: what kind of model it is
    accuracy: float  # balanced accuracy on the labelled texts
    roc_auc: float
    texts: int  # labelled texts it was measured on
    measured_on: str  # message key: which texts

    def describe(self, scored: int) -> str:
        """One sentence in the active language: how many texts this model scored, what it is, how it did."""
        return ngettext(
            "{n} text was scored by {name}, {kind}; on {texts} {measured_on} it got {accuracy} of the positive and "
            "of the negative ones right on average (ROC AUC {auc}; a coin scores 0.5).",
            "{n} texts were scored by {name}, {kind}; on {texts} {measured_on} it got {accuracy} of the positive and "
            "of the negative ones right on average (ROC AUC {auc}; a coin scores 0.5).",
            scored,
        ).format(
            n=count(scored),
            name=_(self.name),
            kind=_(self.kind),
            texts=count(self.texts),
            measured_on=_(self.measured_on),
            accuracy=share(self.accuracy),
            auc=number(self.roc_auc),
        )


CARDS = {
    VADER_MODEL: ModelCard(
        model=VADER_MODEL,
        language="en",
        name="VADER",
        kind=N_("a rule-based model for short English texts"),
        accuracy=0.812,
        roc_auc=0.891,
        texts=3000,
        measured_on=N_("labelled English review sentences from Amazon, IMDb and Yelp (UCI)"),
    ),
    CHINESE_MODEL: ModelCard(
        model=CHINESE_MODEL,
        language="zh",
        name=N_("the Chinese review model"),
        kind=N_("a model of character patterns learnt from 35,000 labelled Chinese reviews"),
        accuracy=0.870,
        roc_auc=0.948,
        texts=3377,
        measured_on=N_("labelled Chinese hotel reviews it was not trained on (ChnSentiCorp)"),
    ),
}


def models_note(models: dict[str, int]) -> str:
    """Which model scored how many texts, what each is and how well it did, in the active language."""
    parts = []
    for model, n in models.items():
        found = CARDS.get(model)
        if found is None:
            parts.append(ngettext("{n} text was scored by {name}.", "{n} texts were scored by {name}.", n))
            parts[-1] = parts[-1].format(n=count(n), name=model)
        else:
            parts.append(found.describe(n))
    return " ".join(parts)
