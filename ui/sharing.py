"""Share links: the owner's sharing panel in the sidebar, and a viewer's session opened from a link (read-only)."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from insight.data.cleaning import CleaningOptions
from insight.data.hints import KIND_NAMES
from insight.formats import count, day
from insight.i18n import N_, _, ngettext
from insight.labels import safe_md
from insight.store import (
    UNAVAILABLE_TO_VIEWER,
    Housekeeper,
    ShareRegistry,
    SharingUnavailable,
    default_data_dir,
    default_store,
)
from ui.session import active_dataset, load_files, read_only

PAGES = {  # page file: (title, icon); the first is the default page
    "app_pages/overview.py": (N_("Overview"), ":material/home:"),
    "app_pages/data.py": (N_("Data"), ":material/folder_open:"),
    "app_pages/segments.py": (N_("Segments"), ":material/group_work:"),
    "app_pages/predict.py": (N_("Value & churn"), ":material/trending_up:"),
    "app_pages/feedback.py": (N_("Feedback"), ":material/forum:"),
    "app_pages/recommend.py": (N_("Recommendations"), ":material/redeem:"),
}
VIEW_PREFIXES = ("seg_", "pred_", "fb_", "rec_", "ov_")  # widget keys a link restores (never buttons: btn_, dl_)


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


def _viewer_registry() -> ShareRegistry:
    """The registry for opening a link; a failing disk is told without the server's paths (those are for the
    owner's share panel)."""
    try:
        return share_registry()
    except SharingUnavailable as exc:
        raise SharingUnavailable(UNAVAILABLE_TO_VIEWER) from exc


def open_shared_view(token: str) -> dict[str, Any]:
    """Load the dataset and page parameters behind a share token into this session (read-only).

    Only widget values are restored (keys with a page prefix): buttons and downloads cannot be set.
    """
    share = _viewer_registry().open(token)
    st.session_state.pop("personal_data", None)
    st.session_state["dataset"] = load_files(
        share.files,
        roles=share.roles,
        kinds=share.kinds,
        cleaning=CleaningOptions.from_dict(share.cleaning),
        keep_personal=False,
    )
    st.session_state["read_only"] = True
    st.session_state["shared_token"] = token
    for key, value in share.view.items():
        if key.startswith(VIEW_PREFIXES):
            st.session_state[key] = value
    return share.view


def keep_shared_view() -> str | None:
    """In a session opened from a link: check the link still stands (the owner may have revoked it, or it
    expired) and keep `?view=` in the address bar on every page. Returns the token, None outside a share."""
    token = st.session_state.get("shared_token")
    if token is None:
        return None
    _viewer_registry().check(token)  # raises the reason when the link is gone (reads no shared files)
    st.query_params["view"] = token
    return token


def close_shared_view() -> None:
    """Forget a link that no longer stands: its data leaves this session (a viewer stays read-only)."""
    st.session_state["dataset"] = None


def share_url(token: str, current_url_path: str) -> str:
    """The whole link for a token: the app's address as this visitor sees it (without the current page's
    path; the link opens the page it was made on by itself) and `?view=TOKEN`."""
    base = (st.context.url or "").rstrip("/")
    if current_url_path and base.endswith("/" + current_url_path):
        base = base[: -len(current_url_path) - 1]
    return f"{base}/?view={token}"


def sidebar_status(slot: Any) -> None:
    """The sidebar's dataset line, drawn into `slot` (an st.sidebar.empty()): the name and its files."""
    ds = active_dataset()
    with slot.container():
        st.caption(_("Active dataset"))
        n = len(ds.customers)
        customers = " · " + ngettext("{n} customer", "{n} customers", n).format(n=count(n)) if n else ""
        st.markdown(f"**{safe_md(ds.name)}**{customers}")
        st.caption(" · ".join(f"{safe_md(t.name)} ({_(KIND_NAMES.get(t.kind, t.kind))})" for t in ds.tables))


def share_panel(page_path: str, current_url_path: str) -> None:
    """Sidebar: create a read-only link to this view (with consent); see and revoke the links made for this
    data, also after a reload. A disk that cannot hold links shows why, here, and the rest of the app carries on.
    """
    if read_only():
        st.sidebar.info(_("You are looking at a shared, read-only view."))
        return
    ds = active_dataset()
    with st.sidebar.expander(_("Share this view")):
        try:
            registry = share_registry()
        except SharingUnavailable as exc:
            st.warning(safe_md(exc), icon="⚠️")
            return
        st.caption(
            _(
                "Creates a link that opens this page with these settings, read-only. A copy of the data behind "
                "it is kept on this server until the link expires or you revoke it. Personal data stays "
                "pseudonymised."
            )
        )
        consent = st.checkbox(_("I agree to store a copy of this data for the link"), key="share_consent")
        days = st.number_input(_("Link lasts (days)"), min_value=1, max_value=365, value=30, key="share_days")
        if st.button(_("Create link"), disabled=not consent, key="btn_share_create"):
            try:
                registry.create(
                    st.session_state.get("data_files"),
                    view_params(page_path),
                    roles=st.session_state.get("data_roles"),
                    kinds=st.session_state.get("data_kinds"),
                    cleaning=ds.options.__dict__,
                    fingerprint=ds.fingerprint,
                    days=int(days),
                )
            except SharingUnavailable as exc:
                st.warning(safe_md(exc), icon="⚠️")
        try:
            links = registry.links(ds.fingerprint)
        except SharingUnavailable as exc:
            st.warning(safe_md(exc), icon="⚠️")
            links = []
        for link in links:
            ends = day(time.strftime("%Y-%m-%d", time.localtime(link.expires)))
            page = PAGES.get(link.page or "")
            st.caption(_("Link to {page}, until {day}:").format(page=_(page[0]) if page else _("a page"), day=ends))
            st.code(share_url(link.token, current_url_path), language=None, wrap_lines=True)
            if st.button(_("Revoke this link"), key=f"btn_revoke_{link.token[:12]}"):
                try:
                    registry.revoke(link.token)
                except SharingUnavailable as exc:
                    st.warning(safe_md(exc), icon="⚠️")
                else:
                    st.rerun()
