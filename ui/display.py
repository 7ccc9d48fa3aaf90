"""How results are shown: a verdict in its colour, a user-fixable error as a message, a table as a safe download."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from insight.data.export import to_safe_csv
from insight.errors import InsightError
from insight.i18n import N_, _
from insight.labels import safe_md

TRUST = {"reliable": N_("Reliable"), "rough": N_("Rough"), "unreliable": N_("Unreliable")}


def show_verdict(verdict: Any) -> None:
    """How far to trust the section below, in its colour: reliable (green), rough (amber), unreliable (red)."""
    if verdict is None:
        return
    baseline = safe_md(verdict.baseline)
    text = _("**{trust}.** {reason}  \nCompared with: {baseline}.").format(
        trust=_(TRUST.get(verdict.trust, verdict.trust.capitalize())), reason=safe_md(verdict.reason), baseline=baseline
    )
    {"reliable": st.success, "rough": st.warning}.get(verdict.trust, st.error)(text)


def show_error(exc: InsightError) -> None:
    """Show a user-fixable problem as a message, never a traceback (its file and column names made inert)."""
    st.error(safe_md(exc), icon="⚠️")


def download_csv(df: pd.DataFrame, file_name: str, label: str | None = None, key: str | None = None) -> None:
    """A download button for a table, with spreadsheet formula injection neutralised (built only on click)."""
    st.download_button(
        label or _("Download CSV"), lambda: to_safe_csv(df), file_name=file_name, mime="text/csv", key=key
    )
