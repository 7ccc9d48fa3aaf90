"""Background jobs in worker processes: a page's section computed in another process reaches the server's store,
what the data cannot support comes back as the same error, and a worker never runs the page script again."""

from __future__ import annotations

import os
import pickle
import signal
import sys
import time
import types
from pathlib import Path

import pandas as pd
import pytest

from insight.data.dataset import build_dataset, load_demo
from insight.errors import InsightError, JobFailed
from insight.pipeline import Pipeline, sections
from insight.pipeline.background import compute_section_in_worker, record_result
from insight.pipeline.runner import peek_runner
from insight.store.cache import Store, code_version
from insight.store.jobs import Jobs
from insight.verdict import UNRELIABLE, Verdict, Withheld

WAIT = 240


@pytest.fixture
def jobs():
    pool = Jobs(processes=True)
    yield pool
    pool.shutdown()


def _run_in_worker(jobs: Jobs, store: Store, ds, name: str) -> None:
    """Run `sections.<name>` in a worker on `store` (the dataset put on its disk), as the app does."""
    assert store.keep_on_disk(ds.fingerprint, "dataset", None, ds)
    section = getattr(sections, name)
    on_result = lambda result: record_result(store, ds.fingerprint, result)  # noqa: E731
    root = str(store.root)
    jobs.submit(
        name,
        compute_section_in_worker,
        root,
        code_version(),
        ds.fingerprint,
        section,
        None,
        in_worker=True,
        on_result=on_result,
    )
    jobs.wait(WAIT)


def test_a_section_computed_in_a_worker_process_is_read_by_the_server(tmp_path: Path, jobs: Jobs) -> None:
    store, ds = Store(tmp_path), load_demo()
    _run_in_worker(jobs, store, ds, "segments")
    assert jobs.running("segments") is None and jobs.error("segments") is None
    seg = Pipeline(ds, peek_runner(store, ds.fingerprint)).segmentation()
    assert len(set(seg.labels)) >= 2 and len(seg.labels) == len(ds.customers)
    assert store.computed["segment.fit"] == 0 and store.disk_hits["segment.fit"] == 1  # fitted in the worker


def test_what_the_data_cannot_support_comes_back_from_the_worker_as_its_error(tmp_path: Path, jobs: Jobs) -> None:
    orders = pd.DataFrame(
        {"customer_id": ["a", "b", "c"], "order_date": ["2024-01-02", "2024-02-03", "2024-03-04"], "amount": [5, 6, 7]}
    )
    store, ds = Store(tmp_path), build_dataset([("orders.csv", orders.to_csv(index=False).encode())])
    local = Pipeline(ds, lambda step, params, compute: compute())
    with pytest.raises(InsightError) as expected:
        local.lifetime_value()
    _run_in_worker(jobs, store, ds, "value")
    assert jobs.running("value") is None
    assert type(jobs.error("value")) is type(expected.value) and str(jobs.error("value")) == str(expected.value)
    with pytest.raises(type(expected.value), match="."):  # the step's failure is remembered: asking raises, no refit
        Pipeline(ds, peek_runner(store, ds.fingerprint)).lifetime_value()


def test_a_worker_process_does_not_run_the_page_script_again(tmp_path: Path, jobs: Jobs) -> None:
    marker = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)  # what Streamlit installs as __main__ while a page script runs
    real, sys.modules["__main__"] = sys.modules["__main__"], page
    try:
        pid = jobs.submit("pid", os.getpid, in_worker=True).result(timeout=WAIT)
    finally:
        sys.modules["__main__"] = real
    assert pid != os.getpid()
    assert not marker.exists()


def test_a_withheld_result_keeps_its_verdict_across_processes() -> None:
    verdict = Verdict(UNRELIABLE, "No better than the one rule.", "days since the last order")
    again = pickle.loads(pickle.dumps(Withheld(verdict, "Churn risks")))
    assert again.verdict == verdict and str(again) == "Churn risks withheld: No better than the one rule."


def test_every_section_can_be_sent_to_a_worker() -> None:
    import functools

    bound = functools.partial(sections.value_and_churn, horizon=90, features=["frequency"], model=None)
    for section in (sections.months, sections.churn, sections.findings):
        assert pickle.loads(pickle.dumps(section)) is section  # by reference: the worker runs the same function
    again = pickle.loads(pickle.dumps(bound))
    assert again.func is sections.value_and_churn and again.keywords == bound.keywords


def test_the_server_prepares_the_demo_before_the_first_visit_and_fits_nothing() -> None:
    """app.py's lifespan: the demo's dataset and headline figures are in the store, so the first visitor's
    figures come from memory; no model is fitted before a page asks for one."""
    import ui
    from insight.data.cleaning import CleaningOptions
    from insight.data.dataset import demo_files, fingerprint
    from insight.store import default_store

    ui.prepare_server()
    key = fingerprint(demo_files(), None, None, CleaningOptions())
    store = default_store()
    assert store.peek(key, "dataset", None)[0] and store.peek(key, "overview.headline", None)[0]
    assert set(store.computed) == {"dataset", "overview.headline"}


def test_a_worker_running_other_code_than_the_server_refuses_the_job(tmp_path: Path, jobs: Jobs) -> None:
    """After the code changed on disk, a worker's cache folder would not be the server's: it says so instead of
    computing results the server never finds (and the page asking again and again)."""
    ds = load_demo()
    job = jobs.submit(
        "stale",
        compute_section_in_worker,
        str(tmp_path),
        "0" * 16,
        ds.fingerprint,
        sections.segments,
        None,
        in_worker=True,
    )
    with pytest.raises(JobFailed, match="restart the server"):
        job.result(timeout=WAIT)


def test_a_killed_worker_is_replaced_and_its_job_completes(jobs: Jobs) -> None:
    """The out-of-memory killer takes a worker mid-job: the pool is replaced, the job runs once more and finishes,
    and later jobs run (before, every later job failed with BrokenProcessPool until the server restarted)."""
    jobs.start_workers()
    job = jobs.submit("slow", time.sleep, 2, in_worker=True)
    deadline = time.monotonic() + WAIT
    while len(jobs.worker_pids()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    killed = jobs.worker_pids()
    assert len(killed) == 2
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    assert job.result(timeout=WAIT) is None
    assert jobs.error("slow") is None and jobs.running("slow") is None
    assert jobs.replaced_pools == 1 and not set(jobs.worker_pids()) & set(killed)
    assert jobs.submit("after", os.getpid, in_worker=True).result(timeout=WAIT) not in killed


def test_a_job_that_kills_its_worker_twice_fails_with_a_message_for_its_card(jobs: Jobs) -> None:
    job = jobs.submit("dies", os._exit, 1, in_worker=True)
    with pytest.raises(JobFailed, match="stopped 2 times"):
        job.result(timeout=WAIT)
    assert isinstance(jobs.error("dies"), JobFailed) and jobs.replaced_pools == 2
    assert jobs.submit("after", os.getpid, in_worker=True).result(timeout=WAIT) != os.getpid()


def test_a_hung_job_times_out_with_a_message() -> None:
    pool = Jobs(processes=True, timeout=1.0)
    try:
        job = pool.submit("hangs", time.sleep, 600, in_worker=True)
        deadline = time.monotonic() + WAIT
        while pool.running("hangs") is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pool.running("hangs") is None
        error = pool.error("hangs")
        assert isinstance(error, JobFailed) and "longer than 1 min" in str(error)
        with pytest.raises(JobFailed):
            job.result(timeout=1)
    finally:
        pool.shutdown()
