"""Streamlit-side helpers shared by the pages: the active dataset, cached calls, downloads.

Everything analytic lives in `insight`; this module only connects it to
session state and the store.
"""

from __future__ import annotations

import hmac
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from insight.data.cleaning import CleaningOptions
from insight.data.dataset import DEMO_NAME, Dataset, Progress, build_dataset, demo_files, fingerprint
from insight.data.export import to_safe_csv
from insight.errors import InsightError
from insight.pipeline import Pipeline
from insight.store import ShareRegistry, default_data_dir, default_store

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


def pipeline() -> Pipeline:
    """The analyses of the active dataset, each computed once per (fingerprint, step, params) via the store."""
    ds = active_dataset()

    def run(step: str, params: dict[str, Any] | None, compute: Callable[[], T]) -> T:
        store = default_store()
        result = store.get_or_compute(ds.fingerprint, step, params, compute)
        if store.disk_error and not st.session_state.get("disk_warning_shown"):
            st.session_state["disk_warning_shown"] = True
            st.warning(f"{store.disk_error} The app keeps working; results may be recomputed after a restart.")
        return result

    return Pipeline(ds, run)


def escape_md(text: object) -> str:
    """User-supplied text (file names, cells) safe inside st.markdown: no links, HTML or formatting."""
    return re.sub(r"([\\`*_{}\[\]()<>#|~!$])", r"\\\1", str(text))


def read_only() -> bool:
    """True in a session opened from a share link."""
    return bool(st.session_state.get("read_only"))


# --- share links ---------------------------------------------------------------------------------

VIEW_PREFIXES = ("seg_", "pred_", "fb_", "rec_", "ov_")


@st.cache_resource(max_entries=1)
def share_registry() -> ShareRegistry:
    """The share-link catalog in the data directory (holds no visitor data in memory)."""
    return ShareRegistry(default_data_dir())


def view_params(page_path: str) -> dict[str, Any]:
    """The current page and its widget values (keys with a page prefix) that a share link restores."""
    simple = (str, int, float, bool)
    params: dict[str, Any] = {"page": page_path}
    for key, value in st.session_state.items():
        values = value if isinstance(value, list) else [value]
        if isinstance(key, str) and key.startswith(VIEW_PREFIXES) and all(isinstance(v, simple) for v in values):
            params[key] = value
    return params


def open_shared_view(token: str) -> dict[str, Any]:
    """Load the dataset and page parameters behind a share token into this session (read-only)."""
    share = share_registry().open(token)
    st.session_state["dataset"] = load_files(
        share.files, roles=share.roles, kinds=share.kinds, cleaning=CleaningOptions(**share.cleaning)
    )
    st.session_state["read_only"] = True
    for key, value in share.view.items():
        if key.startswith(VIEW_PREFIXES):
            st.session_state[key] = value
    return share.view


def share_panel(page_path: str) -> None:
    """Sidebar: create a read-only link to this view (with consent), and revoke links made here."""
    if read_only():
        st.sidebar.info("You are looking at a shared, read-only view.")
        return
    with st.sidebar.expander("Share this view"):
        st.caption(
            "Creates a link that opens this page with these settings, read-only. A copy of the data behind it "
            "is kept on this server until the link expires or you revoke it. Personal data stays pseudonymised."
        )
        consent = st.checkbox("I agree to store a copy of this data for the link", key="share_consent")
        days = st.number_input("Link lasts (days)", min_value=1, max_value=365, value=30, key="share_days")
        if st.button("Create link", disabled=not consent, key="share_create"):
            token = share_registry().create(
                st.session_state.get("data_files"),
                view_params(page_path),
                roles=st.session_state.get("data_roles"),
                kinds=st.session_state.get("data_kinds"),
                cleaning=active_dataset().options.__dict__,
                days=int(days),
            )
            st.session_state.setdefault("share_tokens", []).append(token)
        for i, token in enumerate(st.session_state.get("share_tokens", [])):
            st.code(f"?view={token}", language=None)
            if st.button("Revoke this link", key=f"share_revoke_{i}"):
                share_registry().revoke(token)
                st.session_state["share_tokens"].remove(token)
                st.rerun()


# --- optional password ---------------------------------------------------------------------------

MAX_PASSWORD_ATTEMPTS = 5


def secret(name: str) -> str | None:
    try:
        value = st.secrets.get(name)
    except Exception:  # no secrets file at all
        return None
    return str(value) if value else None


def password_gate() -> None:
    """Stop the app until the visitor gives the password set in `st.secrets["password"]` (if any)."""
    expected = secret("password")
    if not expected or st.session_state.get("password_ok"):
        return
    attempts = st.session_state.get("password_attempts", 0)
    if attempts >= MAX_PASSWORD_ATTEMPTS:
        st.error("Too many wrong passwords. Close this tab and try again later.")
        st.stop()
    given = st.text_input("Password", type="password", key="password_input")
    if given:
        if hmac.compare_digest(given.encode(), expected.encode()):
            st.session_state["password_ok"] = True
            st.rerun()
        st.session_state["password_attempts"] = attempts + 1
        time.sleep(1.0)
        st.error("That password is not right.")
    st.stop()


def show_verdict(verdict: Any) -> None:
    """How far to trust the section below, in its colour: reliable (green), rough (amber), unreliable (red)."""
    if verdict is None:
        return
    baseline = escape_md(verdict.baseline)
    text = f"**{verdict.trust.capitalize()}.** {escape_md(verdict.reason)}  \nCompared with: {baseline}."
    {"reliable": st.success, "rough": st.warning}.get(verdict.trust, st.error)(text)


def show_error(exc: InsightError) -> None:
    """Show a user-fixable problem as a message, never a traceback."""
    st.error(str(exc), icon="⚠️")


def download_csv(df: pd.DataFrame, file_name: str, label: str = "Download CSV", key: str | None = None) -> None:
    """A download button for a table, with spreadsheet formula injection neutralised (built only on click)."""
    st.download_button(label, lambda: to_safe_csv(df), file_name=file_name, mime="text/csv", key=key)
