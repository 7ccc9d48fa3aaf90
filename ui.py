"""Streamlit-side helpers shared by the pages: the active dataset, cached calls, downloads.

Everything analytic lives in `insight`; this module only connects it to
session state and the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from insight.dataset import DEMO_NAME, Dataset, Progress, build_dataset, demo_files, fingerprint
from insight.errors import InsightError
from insight.quality import CleaningOptions
from insight.store import default_store

T = TypeVar("T")


def active_dataset() -> Dataset:
    """The dataset this session works on: its own upload, or the demo shop."""
    ds = st.session_state.get("dataset")
    if ds is None:
        with st.spinner("Opening the demo shop…"):
            ds = load_files(None)
    return ds


def load_files(
    files: list[tuple[str, bytes]] | None,
    roles: dict | None = None,
    kinds: dict | None = None,
    cleaning: CleaningOptions | None = None,
    progress: Progress | None = None,
) -> Dataset:
    """Build (or fetch from the store) the dataset for these files; `None` means the demo shop's files."""
    options = cleaning or CleaningOptions()
    name = None if files else DEMO_NAME
    files = files or demo_files()
    key = fingerprint(files, roles, kinds, options)
    return default_store().get_or_compute(
        key,
        "dataset",
        None,
        lambda: build_dataset(files, roles=roles, kinds=kinds, cleaning=options, name=name, progress=progress),
    )


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
