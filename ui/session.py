"""The session's dataset: its own upload or the demo shop, the owner's clear personal data, and the pipeline
bound to the shared store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from insight import memory
from insight.data.cleaning import CleaningOptions
from insight.data.dataset import DEMO_NAME, Dataset, Progress, build_dataset_with_lookup, demo_files, fingerprint
from insight.i18n import _
from insight.labels import safe_label, safe_md
from insight.pipeline import Pipeline
from insight.store import default_store

T = TypeVar("T")


def active_dataset() -> Dataset:
    """The dataset this session works on: its own upload, or the demo shop."""
    ds = st.session_state.get("dataset")
    if ds is None:
        with st.spinner(_("Opening the demo shop…")):
            ds = load_files(None)
    return ds


def load_files(
    files: list[tuple[str, bytes]] | None,
    roles: dict | None = None,
    kinds: dict | None = None,
    cleaning: CleaningOptions | None = None,
    progress: Progress | None = None,
    keep_personal: bool = True,
) -> Dataset:
    """Build (or fetch from the store) the dataset for these files; `None` means the demo shop's files.

    The store gets the pseudonymised Dataset only. When it is built here, the clear personal data goes to
    this session alone (`keep_personal=False` for a share viewer, who never sees it).
    """
    options = cleaning or CleaningOptions()
    name = None if files else DEMO_NAME
    files = files or demo_files()
    key = fingerprint(files, roles, kinds, options)
    shown = (lambda fraction, text: progress(fraction, safe_label(text))) if progress else None
    built: dict[str, pd.DataFrame | None] = {}

    def build() -> Dataset:
        ds, built["lookup"] = build_dataset_with_lookup(
            files, roles=roles, kinds=kinds, cleaning=options, name=name, progress=shown
        )
        return ds

    ds = default_store().get_or_compute(key, "dataset", None, build)
    if built:  # what reading and building held goes back to the system, not to this process's heap
        memory.release()
    if keep_personal and "lookup" in built:
        st.session_state["personal_data"] = (key, built["lookup"])
    return ds


def personal_data(ds: Dataset) -> pd.DataFrame | None:
    """The clear values of the customer table's personal data, by pseudonymous customer_id, for the owner.

    Kept in this session only, never in the store; when the dataset came from the store, it is read back
    from this session's own files. None for a share viewer, or when the data has no personal columns.
    """
    if read_only() or not ds.pii_columns:
        return None
    held = st.session_state.get("personal_data")
    if held is not None and held[0] == ds.fingerprint:
        return held[1]
    files = st.session_state.get("data_files") or demo_files()
    roles, kinds = st.session_state.get("data_roles"), st.session_state.get("data_kinds")
    if fingerprint(files, roles, kinds, ds.options) != ds.fingerprint:
        return None
    with st.spinner(_("Reading the personal data back from your files…")):
        lookup = build_dataset_with_lookup(files, roles=roles, kinds=kinds, cleaning=ds.options)[1]
    st.session_state["personal_data"] = (ds.fingerprint, lookup)
    return lookup


def pipeline() -> Pipeline:
    """The analyses of the active dataset, each computed once per (fingerprint, step, params) via the store."""
    ds = active_dataset()

    def run(step: str, params: dict[str, Any] | None, compute: Callable[[], T]) -> T:
        store = default_store()
        result = store.get_or_compute(ds.fingerprint, step, params, compute)
        if store.disk_error and not st.session_state.get("disk_warning_shown"):
            st.session_state["disk_warning_shown"] = True
            warning = _("{error} The app keeps working; results may be recomputed after a restart.")
            st.warning(safe_md(warning.format(error=store.disk_error)))
        return result

    return Pipeline(ds, run)


def read_only() -> bool:
    """True in a session opened from a share link."""
    return bool(st.session_state.get("read_only"))
