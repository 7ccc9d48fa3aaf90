"""Streamlit-side helpers shared by the pages: the active dataset, the pipeline, slow sections computed in the
background, downloads, share links and the optional password.

Everything analytic lives in `insight`; this module only connects it to session state and the store.
"""

from __future__ import annotations

import hmac
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from insight.data.cleaning import CleaningOptions
from insight.data.dataset import DEMO_NAME, Dataset, Progress, build_dataset, demo_files, fingerprint
from insight.data.export import to_safe_csv
from insight.errors import InsightError
from insight.pipeline import Pipeline, Runner, store_runner
from insight.pipeline.runner import NotReady, held_runner, peek_runner
from insight.store import ShareRegistry, default_data_dir, default_store
from insight.store.jobs import Jobs

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


# --- slow sections: computed in the background, shown when ready ----------------------------------

HOLD_STEPS_ENV = "INSIGHT_HOLD_STEPS"  # test hook: steps (comma-separated) that wait for the release file
HOLD_RELEASE_ENV = "INSIGHT_HOLD_RELEASE"


@st.cache_resource(max_entries=1)
def background_jobs() -> Jobs:
    """The process-wide pool that runs slow analyses, once per dataset and section however many visitors ask."""
    return Jobs()


def _background_runner(fingerprint: str) -> Runner:
    run = store_runner(fingerprint)
    held = {step for step in os.environ.get(HOLD_STEPS_ENV, "").split(",") if step}
    if held:
        release = Path(os.environ.get(HOLD_RELEASE_ENV, ""))
        run = held_runner(run, held, release.exists)
    return run


def computed(name: str, warm: Callable[[Pipeline], Any], label: str) -> bool:
    """True when everything `warm(pipeline)` needs is cached; else it starts `warm` as a background job and
    shows `label` with how long it has been running, and the page should render the rest meanwhile.

    `name` identifies the work within the dataset (with its parameters). A job's user-fixable failure is
    raised here as the InsightError it was, so the page shows the message.
    """
    ds = active_dataset()
    try:
        warm(Pipeline(ds, peek_runner(default_store(), ds.fingerprint)))
        return True
    except NotReady:
        pass
    key = f"{ds.fingerprint}:{name}"
    jobs = background_jobs()
    error = jobs.error(key)
    if error is not None and jobs.running(key) is None:
        raise error
    jobs.submit(key, lambda: warm(Pipeline(ds, _background_runner(ds.fingerprint))))
    started = st.session_state.setdefault("job_started", {}).setdefault(key, time.monotonic())
    st.session_state.setdefault("pending_jobs", []).append(key)
    seconds = time.monotonic() - started
    st.status(f"{label}… ({seconds:.0f} s so far)" if seconds >= 1 else f"{label}…", state="running")
    return False


def refresh_when_ready() -> None:
    """Call last on a page: while background jobs it started are running, rerun it as each one finishes."""
    if "pending_jobs" not in st.session_state:
        return  # called already on this run
    keys = st.session_state.pop("pending_jobs")
    st.session_state["waiting_for"] = keys  # what this run of the page is still waiting for (read by tests)
    if not keys:
        return

    @st.fragment(run_every=1.0)
    def poll() -> None:
        jobs = background_jobs()
        if any(jobs.running(key) is None for key in keys):
            st.rerun()

    poll()


def escape_md(text: object) -> str:
    """User-supplied text (file names, cells) safe inside st.markdown: no links, HTML or formatting."""
    return re.sub(r"([\\`*_{}\[\]()<>#|~!$])", r"\\\1", str(text))


def personal_details() -> pd.DataFrame:
    """customer_id with the customer's name, email … in clear, for the owner only (a shared view gets none)."""
    lookup = active_dataset().pii_lookup
    if read_only() or lookup is None:
        return pd.DataFrame({"customer_id": pd.Series(dtype=object)})
    return lookup


def read_only() -> bool:
    """True in a session opened from a share link."""
    return bool(st.session_state.get("read_only"))


# --- share links ---------------------------------------------------------------------------------

PAGES = {  # page file: (title, icon); the first is the default page
    "app_pages/overview.py": ("Overview", ":material/home:"),
    "app_pages/data.py": ("Data", ":material/folder_open:"),
    "app_pages/segments.py": ("Segments", ":material/group_work:"),
    "app_pages/predict.py": ("Value & churn", ":material/trending_up:"),
    "app_pages/feedback.py": ("Feedback", ":material/forum:"),
    "app_pages/recommend.py": ("Recommendations", ":material/redeem:"),
}
VIEW_PREFIXES = ("seg_", "pred_", "fb_", "rec_", "ov_")  # widget keys a link restores (never buttons: btn_, dl_)


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
    """Load the dataset and page parameters behind a share token into this session (read-only).

    Only widget values are restored (keys with a page prefix): buttons and downloads cannot be set.
    """
    share = share_registry().open(token)
    st.session_state["dataset"] = load_files(
        share.files, roles=share.roles, kinds=share.kinds, cleaning=CleaningOptions(**share.cleaning)
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
    share_registry().open(token)  # raises the reason when the link is gone
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


def share_panel(page_path: str, current_url_path: str) -> None:
    """Sidebar: create a read-only link to this view (with consent); see and revoke the links made for this
    data, also after a reload."""
    if read_only():
        st.sidebar.info("You are looking at a shared, read-only view.")
        return
    ds = active_dataset()
    with st.sidebar.expander("Share this view"):
        st.caption(
            "Creates a link that opens this page with these settings, read-only. A copy of the data behind it "
            "is kept on this server until the link expires or you revoke it. Personal data stays pseudonymised."
        )
        consent = st.checkbox("I agree to store a copy of this data for the link", key="share_consent")
        days = st.number_input("Link lasts (days)", min_value=1, max_value=365, value=30, key="share_days")
        if st.button("Create link", disabled=not consent, key="btn_share_create"):
            share_registry().create(
                st.session_state.get("data_files"),
                view_params(page_path),
                roles=st.session_state.get("data_roles"),
                kinds=st.session_state.get("data_kinds"),
                cleaning=ds.options.__dict__,
                days=int(days),
                dataset=ds.fingerprint,
            )
        for link in share_registry().links(ds.fingerprint):
            ends = time.strftime("%d %b %Y", time.localtime(link.expires))
            st.caption(f"Link to {PAGES.get(link.page or '', ('a page',))[0]}, until {ends}:")
            st.code(share_url(link.token, current_url_path), language=None, wrap_lines=True)
            if st.button("Revoke this link", key=f"btn_revoke_{link.token[:12]}"):
                share_registry().revoke(link.token)
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


def show_error(exc: InsightError) -> None:
    """Show a user-fixable problem as a message, never a traceback."""
    st.error(str(exc), icon="⚠️")


def download_csv(df: pd.DataFrame, file_name: str, label: str = "Download CSV", key: str | None = None) -> None:
    """A download button for a table, with spreadsheet formula injection neutralised (built only on click)."""
    st.download_button(label, lambda: to_safe_csv(df), file_name=file_name, mime="text/csv", key=key)
