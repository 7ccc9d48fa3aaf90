"""Streamlit-side helpers shared by the pages: the active dataset, cached calls, downloads.

Everything analytic lives in `insight`; this module only connects it to
session state and the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from insight.dataset import Dataset, load_demo

from insight.errors import InsightError
from insight.store import default_store

T = TypeVar("T")


@st.cache_resource(max_entries=1, show_spinner="Building the demo shop…")
def _demo() -> Dataset:
    return load_demo()


def active_dataset() -> Dataset:
    """The dataset this session works on: its own upload, or the demo shop."""
    ds = st.session_state.get("dataset")
    return ds if ds is not None else _demo()


def cached(step: str, params: dict[str, Any] | None, compute: Callable[[], T]) -> T:
    """Run `compute` once per (active dataset fingerprint, step, params) via the store."""
    return default_store().get_or_compute(active_dataset().fingerprint, step, params, compute)


def show_error(exc: InsightError) -> None:
    """Show a user-fixable problem as a message, never a traceback."""
    st.error(str(exc), icon="⚠️")


def download_csv(df: pd.DataFrame, file_name: str, label: str = "Download CSV", key: str | None = None) -> None:
    """A download button for a table, with spreadsheet formula injection neutralised."""
    from insight.io import to_safe_csv

    st.download_button(label, to_safe_csv(df), file_name=file_name, mime="text/csv", key=key)
