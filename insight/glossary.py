"""The glossary: the app's own terms and the one translation each gets, kept in the catalogue (context "glossary")
so a translator sees them beside the messages, and checked there: every message that uses a term uses its
translation (`tests/test_i18n.py`). Add a term here when a second message starts using it."""

from __future__ import annotations

from insight.i18n import pgettext


def glossary() -> dict[str, str]:
    """Each English term (as it appears inside messages, lower case) with its words in the active language."""
    return {
        "customer segment": pgettext("glossary", "customer segment"),
        "segment": pgettext("glossary", "segment"),
        "churn risk": pgettext("glossary", "churn risk"),
        "churn": pgettext("glossary", "churn"),
        "customer value": pgettext("glossary", "customer value"),
        "repeat purchase rate": pgettext("glossary", "repeat purchase rate"),
        "revenue": pgettext("glossary", "revenue"),
        "spend": pgettext("glossary", "spend"),
        "order": pgettext("glossary", "order"),
        "feedback": pgettext("glossary", "feedback"),
        "sentiment": pgettext("glossary", "sentiment"),
        "theme": pgettext("glossary", "theme"),
        "recommendation": pgettext("glossary", "recommendation"),
        "baseline": pgettext("glossary", "baseline"),
        "reliable": pgettext("glossary", "reliable"),
        "rough": pgettext("glossary", "rough"),
        "unreliable": pgettext("glossary", "unreliable"),
        "share link": pgettext("glossary", "share link"),
        "cleaning log": pgettext("glossary", "cleaning log"),
        "role": pgettext("glossary", "role"),
        "persona": pgettext("glossary", "persona"),
        "silhouette": pgettext("glossary", "silhouette"),
        "hit rate": pgettext("glossary", "hit rate"),
        "popularity": pgettext("glossary", "popularity"),
    }
