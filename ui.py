"""Streamlit-side helpers shared by the pages: the active dataset, cached calls, downloads.

Everything analytic lives in `insight`; this module only connects it to
session state and the store.
"""

from __future__ import annotations

import hmac
import math
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from insight.data.cleaning import CleaningOptions
from insight.data.dataset import DEMO_NAME, Dataset, Progress, build_dataset_with_lookup, demo_files, fingerprint
from insight.data.export import to_safe_csv
from insight.errors import InsightError
from insight.labels import safe_label, safe_md
from insight.pipeline import Pipeline
from insight.store import (
    UNAVAILABLE_TO_VIEWER,
    Housekeeper,
    PasswordThrottle,
    ShareRegistry,
    SharingUnavailable,
    default_data_dir,
    default_store,
)

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
    with st.spinner("Reading the personal data back from your files…"):
        _, lookup = build_dataset_with_lookup(files, roles=roles, kinds=kinds, cleaning=ds.options)
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
            st.warning(safe_md(f"{store.disk_error} The app keeps working; results may be recomputed after a restart."))
        return result

    return Pipeline(ds, run)


def read_only() -> bool:
    """True in a session opened from a share link."""
    return bool(st.session_state.get("read_only"))


# --- share links ---------------------------------------------------------------------------------

VIEW_PREFIXES = ("seg_", "pred_", "fb_", "rec_", "ov_")


@st.cache_resource(max_entries=1)
def share_registry() -> ShareRegistry:
    """The share-link catalog in the data directory (holds no visitor data in memory).

    Raises `SharingUnavailable` when the disk cannot hold links; a failure is not cached, so sharing
    comes back on the next run once the disk is fixed.
    """
    return ShareRegistry(default_data_dir(), store=default_store())


def _purge_expired_shares() -> None:
    ShareRegistry(default_data_dir(), store=default_store())  # opening the catalog purges what has expired


@st.cache_resource(max_entries=1)
def housekeeper() -> Housekeeper:
    """Purges expired share links and stale cache entries every hour, in the background, for the server's life."""
    return Housekeeper([_purge_expired_shares, default_store().purge]).start()


def view_params(page_path: str) -> dict[str, Any]:
    """The current page and its widget values (keys with a page prefix) that a share link restores.

    `False` is left out: it is what a button or download button holds between clicks, and Streamlit refuses
    to create one whose key was set (the viewer's page would crash); an unticked box is its default anyway.
    """
    simple = (str, int, float, bool)
    params: dict[str, Any] = {"page": page_path}
    for key, value in st.session_state.items():
        values = value if isinstance(value, list) else [value]
        if value is False or not (isinstance(key, str) and key.startswith(VIEW_PREFIXES)):
            continue
        if all(isinstance(v, simple) for v in values):
            params[key] = value
    return params


def open_shared_view(token: str) -> dict[str, Any]:
    """Load the dataset and page parameters behind a share token into this session (read-only)."""
    try:
        registry = share_registry()
    except SharingUnavailable as exc:  # the reason, with the server's paths, is for the owner's share panel
        raise SharingUnavailable(UNAVAILABLE_TO_VIEWER) from exc
    share = registry.open(token)
    st.session_state.pop("personal_data", None)
    st.session_state["dataset"] = load_files(
        share.files,
        roles=share.roles,
        kinds=share.kinds,
        cleaning=CleaningOptions(**share.cleaning),
        keep_personal=False,
    )
    st.session_state["read_only"] = True
    for key, value in share.view.items():
        if key.startswith(VIEW_PREFIXES):
            st.session_state[key] = value
    return share.view


def sidebar_status(slot: Any) -> None:
    """The sidebar's dataset line, drawn into `slot` (an st.sidebar.empty()): the name and its files."""
    ds = active_dataset()
    with slot.container():
        st.caption("Active dataset")
        st.markdown(f"**{safe_md(ds.name)}** · {len(ds.customers):,} customers")
        st.caption(" · ".join(f"{safe_md(t.name)} ({t.kind})" for t in ds.tables))


def share_panel(page_path: str) -> None:
    """Sidebar: create a read-only link to this view (with consent), and revoke links made here.

    A disk that cannot hold links shows why, here, and the rest of the app carries on.
    """
    if read_only():
        st.sidebar.info("You are looking at a shared, read-only view.")
        return
    with st.sidebar.expander("Share this view"):
        try:
            registry = share_registry()
        except SharingUnavailable as exc:
            st.warning(safe_md(exc), icon="⚠️")
            return
        st.caption(
            "Creates a link that opens this page with these settings, read-only. A copy of the data behind it "
            "is kept on this server until the link expires or you revoke it. Personal data stays pseudonymised."
        )
        consent = st.checkbox("I agree to store a copy of this data for the link", key="share_consent")
        days = st.number_input("Link lasts (days)", min_value=1, max_value=365, value=30, key="share_days")
        if st.button("Create link", disabled=not consent, key="share_create"):
            files = st.session_state.get("data_files")
            ds = active_dataset()
            try:
                token = registry.create(
                    files,
                    view_params(page_path),
                    roles=st.session_state.get("data_roles"),
                    kinds=st.session_state.get("data_kinds"),
                    cleaning=ds.options.__dict__,
                    fingerprint=ds.fingerprint,
                    days=int(days),
                )
            except SharingUnavailable as exc:
                st.warning(safe_md(exc), icon="⚠️")
            else:
                st.session_state.setdefault("share_tokens", []).append(token)
        for i, token in enumerate(st.session_state.get("share_tokens", [])):
            st.code(f"?view={token}", language=None)
            if st.button("Revoke this link", key=f"share_revoke_{i}"):
                try:
                    registry.revoke(token)
                except SharingUnavailable as exc:
                    st.warning(safe_md(exc), icon="⚠️")
                else:
                    st.session_state["share_tokens"].remove(token)
                    st.rerun()


# --- optional password ---------------------------------------------------------------------------


def secret(name: str) -> str | None:
    try:
        value = st.secrets.get(name)
    except Exception:  # no secrets file at all
        return None
    return str(value) if value else None


@st.cache_resource(max_entries=1)
def password_throttle() -> PasswordThrottle:
    """Wrong passwords counted for the whole server (not per session: a new session would start at zero)."""
    return PasswordThrottle()


def client_address() -> str:
    """The visitor's address for the password limit. Streamlit gives None for localhost (and a stand-in object
    under AppTest): those share one count, "local"."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "local"


def password_gate() -> None:
    """Stop the app until the visitor gives the password set in `st.secrets["password"]` (if any).

    Wrong passwords are limited per client address and for the whole server, with a growing wait
    (`insight.store.throttle`); while a client must wait, its tries are refused without being checked.
    """
    expected = secret("password")
    if not expected or st.session_state.get("password_ok"):
        return
    given = st.text_input("Password", type="password", key="password_input")
    if given:
        throttle, client = password_throttle(), client_address()
        wait = throttle.wait_seconds(client)
        if wait > 0:
            st.error(f"Too many wrong passwords. Try again in {math.ceil(wait)} seconds.")
        elif hmac.compare_digest(given.encode(), expected.encode()):
            throttle.succeeded(client)
            st.session_state["password_ok"] = True
            st.rerun()
        else:
            throttle.failed(client)
            st.error("That password is not right.")
    st.stop()


def show_error(exc: InsightError) -> None:
    """Show a user-fixable problem as a message, never a traceback (its file and column names made inert)."""
    st.error(safe_md(exc), icon="⚠️")


def download_csv(df: pd.DataFrame, file_name: str, label: str = "Download CSV", key: str | None = None) -> None:
    """A download button for a table, with spreadsheet formula injection neutralised (built only on click)."""
    st.download_button(label, lambda: to_safe_csv(df), file_name=file_name, mime="text/csv", key=key)
