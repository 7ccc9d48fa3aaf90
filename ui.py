"""Streamlit-side helpers shared by the pages: the active dataset, the pipeline, slow sections computed in the
background, downloads, share links and the optional password.

Everything analytic lives in `insight`; this module only connects it to session state and the store.
"""

from __future__ import annotations

import hmac
import importlib
import math
import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from insight import memory
from insight.data import sandbox
from insight.data.cleaning import CleaningOptions
from insight.data.dataset import DEMO_NAME, Dataset, Progress, build_dataset_with_lookup, demo_files, fingerprint
from insight.data.export import to_safe_csv
from insight.errors import InsightError
from insight.labels import safe_label, safe_md
from insight.pipeline import Pipeline, store_runner
from insight.pipeline.background import (
    HEAVY_PACKAGES,
    Hold,
    compute_section,
    compute_section_in_worker,
    import_packages,
    prepare_worker,
    record_result,
)
from insight.pipeline.runner import NotReady, peek_runner
from insight.progress import about, time_left
from insight.store import (
    UNAVAILABLE_TO_VIEWER,
    Housekeeper,
    PasswordThrottle,
    ShareRegistry,
    SharingUnavailable,
    default_data_dir,
    default_store,
)
from insight.store.cache import code_version
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


# --- slow sections: computed in the background, shown when ready ----------------------------------

HOLD_STEPS_ENV = "INSIGHT_HOLD_STEPS"  # test hook: steps (comma-separated) that wait for the release file
HOLD_RELEASE_ENV = "INSIGHT_HOLD_RELEASE"
JOBS_ENV = "INSIGHT_JOBS"  # "threads": fit in the server's own process (the in-process tests; hosts without processes)


@st.cache_resource(max_entries=1)
def background_jobs() -> Jobs:
    """The process-wide pool that runs slow analyses, once per dataset and section however many visitors ask:
    worker processes, started with the first visit so the heavy imports are done before the first job."""
    jobs = Jobs(processes=os.environ.get(JOBS_ENV, "processes") != "threads", prepare=prepare_worker)
    jobs.start_workers()
    return jobs


def prepare_server() -> None:
    """Before the first visit (app.py): the worker processes started (they import the analysis libraries
    meanwhile), the demo shop's dataset in the store, and in this process the libraries that the fitted results
    and the charts need. Nothing is fitted: a model is fitted only when a page asks for it."""
    background_jobs()
    sandbox.prepare()
    memory.keep_releasing()
    demo = load_files(None, keep_personal=False)
    Pipeline(demo, store_runner(demo.fingerprint)).headline()
    import_packages((*HEAVY_PACKAGES, "insight.charts", "insight.report"))
    importlib.import_module("streamlit.emojis")  # Streamlit checks each non-ASCII label ("…") against it: 0.7 s


def stop_server() -> None:
    """As the server stops (app.py): end the worker processes, whatever they are fitting."""
    background_jobs().shutdown()


def _hold() -> Hold | None:
    held = tuple(step for step in os.environ.get(HOLD_STEPS_ENV, "").split(",") if step)
    return (held, os.environ.get(HOLD_RELEASE_ENV, "")) if held else None


def computed(name: str, section: Callable[[Pipeline], Any], label: str) -> bool:
    """True when everything `section(pipeline)` needs is cached; else it starts `section` (one of
    `insight.pipeline.sections`, picklable) as a background job and shows `label` with how long it has been
    running, and the page should render the rest meanwhile.

    `name` identifies the work within the dataset (with its parameters). A job's user-fixable failure is
    raised here as the InsightError it was, so the page shows the message.
    """
    ds = active_dataset()
    store = default_store()
    key = f"{ds.fingerprint}:{name}"
    measured = st.session_state.setdefault("job_seconds", {}).setdefault(ds.fingerprint, {})
    step = getattr(section, "func", section).__name__  # its name among insight.progress.WEIGHTS
    try:
        section(Pipeline(ds, peek_runner(store, ds.fingerprint)))
        started = st.session_state.get("job_started", {}).pop(key, None)
        if started is not None:  # this session waited for it: how long it took sets the pace of the others
            measured[step] = time.monotonic() - started
        return True
    except NotReady:
        pass
    jobs = background_jobs()
    error = jobs.error(key)
    if error is not None and jobs.running(key) is None:
        raise error
    if jobs.running(key) is None:
        # a worker process reads the dataset from disk; without a disk the job runs in a thread
        in_process = jobs.uses_processes and store.keep_on_disk(ds.fingerprint, "dataset", None, ds)
        if in_process:
            job = (compute_section_in_worker, str(store.root), code_version(), ds.fingerprint)
        else:
            job = (compute_section, store, ds)
        jobs.submit(
            key,
            *job,
            section,
            _hold(),
            in_process=in_process,
            on_result=lambda result: record_result(store, ds.fingerprint, result),
        )
    started = st.session_state.setdefault("job_started", {}).setdefault(key, time.monotonic())
    st.session_state.setdefault("pending_jobs", []).append(key)
    seconds = time.monotonic() - started
    left = about(time_left(measured, {step: seconds}))
    so_far = f" ({seconds:.0f} s so far{', ' + left if left else ''})" if seconds >= 1 else ""
    st.status(f"{label}…{so_far}", state="running")
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
        st.caption("Active dataset")
        customers = f" · {len(ds.customers):,} customers" if len(ds.customers) else ""
        st.markdown(f"**{safe_md(ds.name)}**{customers}")
        st.caption(" · ".join(f"{safe_md(t.name)} ({t.kind})" for t in ds.tables))


def share_panel(page_path: str, current_url_path: str) -> None:
    """Sidebar: create a read-only link to this view (with consent); see and revoke the links made for this
    data, also after a reload. A disk that cannot hold links shows why, here, and the rest of the app carries on.
    """
    if read_only():
        st.sidebar.info("You are looking at a shared, read-only view.")
        return
    ds = active_dataset()
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
        if st.button("Create link", disabled=not consent, key="btn_share_create"):
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
            ends = time.strftime("%d %b %Y", time.localtime(link.expires))
            st.caption(f"Link to {PAGES.get(link.page or '', ('a page',))[0]}, until {ends}:")
            st.code(share_url(link.token, current_url_path), language=None, wrap_lines=True)
            if st.button("Revoke this link", key=f"btn_revoke_{link.token[:12]}"):
                try:
                    registry.revoke(link.token)
                except SharingUnavailable as exc:
                    st.warning(safe_md(exc), icon="⚠️")
                else:
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


def show_verdict(verdict: Any) -> None:
    """How far to trust the section below, in its colour: reliable (green), rough (amber), unreliable (red)."""
    if verdict is None:
        return
    baseline = safe_md(verdict.baseline)
    text = f"**{verdict.trust.capitalize()}.** {safe_md(verdict.reason)}  \nCompared with: {baseline}."
    {"reliable": st.success, "rough": st.warning}.get(verdict.trust, st.error)(text)


def show_error(exc: InsightError) -> None:
    """Show a user-fixable problem as a message, never a traceback (its file and column names made inert)."""
    st.error(safe_md(exc), icon="⚠️")


def download_csv(df: pd.DataFrame, file_name: str, label: str = "Download CSV", key: str | None = None) -> None:
    """A download button for a table, with spreadsheet formula injection neutralised (built only on click)."""
    st.download_button(label, lambda: to_safe_csv(df), file_name=file_name, mime="text/csv", key=key)
