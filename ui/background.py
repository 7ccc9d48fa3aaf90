"""Slow sections computed in the background and shown when ready; the server's start and stop (worker processes,
the demo in the store, the heavy imports)."""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from insight import memory
from insight.data import sandbox
from insight.i18n import _
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
from insight.store import default_store
from insight.store.cache import code_version
from insight.store.jobs import Jobs
from ui.session import active_dataset, load_files

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


PENDING = object()  # what `ask` returns while the result is being computed


def computed(name: str, section: Callable[[Pipeline], Any], label: str) -> bool:
    """True when everything `section(pipeline)` needs is cached (see `ask`)."""
    return ask(name, section, label) is not PENDING


def ask(name: str, section: Callable[[Pipeline], Any], label: str) -> Any:
    """What `section(pipeline)` returns, read from the store, when everything it needs is cached; else `PENDING`:
    it starts `section` (one of `insight.pipeline.sections`, picklable) as a background job and shows `label`
    with how long it has been running and about how long is left, and the page renders the rest meanwhile.

    `name` identifies the work within the dataset (with its parameters). A job's failure is raised here as the
    InsightError it was (the data's own problem, or `JobFailed` with what happened), so the page shows the message.
    """
    ds = active_dataset()
    store = default_store()
    key = f"{ds.fingerprint}:{name}"
    measured = st.session_state.setdefault("job_seconds", {}).setdefault(ds.fingerprint, {})
    step = getattr(section, "func", section).__name__  # its name among insight.progress.WEIGHTS
    try:
        result = section(Pipeline(ds, peek_runner(store, ds.fingerprint)))
        started = st.session_state.get("job_started", {}).pop(key, None)
        if started is not None:  # this session waited for it: how long it took sets the pace of the others
            measured[step] = time.monotonic() - started
        return result
    except NotReady:
        pass
    jobs = background_jobs()
    error = jobs.error(key)
    if error is not None and jobs.running(key) is None:
        raise error
    if jobs.running(key) is None:
        # a worker process reads the dataset from disk; without a disk the job runs in a thread
        in_worker = jobs.uses_processes and store.keep_on_disk(ds.fingerprint, "dataset", None, ds)
        if in_worker:
            job = (compute_section_in_worker, str(store.root), code_version(), ds.fingerprint)
        else:
            job = (compute_section, store, ds)
        jobs.submit(
            key,
            *job,
            section,
            _hold(),
            in_worker=in_worker,
            on_result=lambda result: record_result(store, ds.fingerprint, result),
        )
    started = st.session_state.setdefault("job_started", {}).setdefault(key, time.monotonic())
    st.session_state.setdefault("pending_jobs", []).append(key)
    seconds = time.monotonic() - started
    left = about(time_left(measured, {step: seconds}))
    if seconds < 1:
        shown = _("{label}…").format(label=label)
    elif left:
        shown = _("{label}… ({seconds} s so far, {left})").format(label=label, seconds=f"{seconds:.0f}", left=left)
    else:
        shown = _("{label}… ({seconds} s so far)").format(label=label, seconds=f"{seconds:.0f}")
    st.status(shown, state="running")
    return PENDING


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
