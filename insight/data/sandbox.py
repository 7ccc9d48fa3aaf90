"""Read an untrusted upload where a crash cannot hurt: a child process with a memory and CPU-time ceiling.

The native readers (calamine for workbooks, Arrow for Parquet and CSV) allocate what a file asks for; past
the machine's memory they abort the process, and in the server that drops every visitor's session. So a
workbook, a Parquet, a compressed or a large text file is read in a child forked from a clean, single-threaded
server of its own (`forkserver`, the readers imported once, so a read costs a fork, not an interpreter), with
`RLIMIT_AS` and `RLIMIT_CPU` set. The frame comes back pickled; an allocation failure, an abort, a kill or a
reader running past its time becomes a `ReadError` for that file alone. Small text files, whose reading
cannot outgrow a few hundred megabytes, are read in place.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from insight.data.dialect import ReadReport
from insight.data.read import EXCEL_SUFFIXES, read_table
from insight.errors import InsightError, ReadError
from insight.formats import count
from insight.i18n import _, language, set_language
from insight.store.jobs import no_main_script

MEMORY_ENV = "INSIGHT_READ_MEMORY_MB"  # address space a read may add to the reader's own (default 2,560 MB)
CPU_ENV = "INSIGHT_READ_CPU_SECONDS"  # CPU time one read may use (default 300 s)
MEMORY_MB = 2_560
CPU_SECONDS = 300
IN_PLACE_BYTES = 5 * 1024 * 1024  # plain text up to this size is read in the calling process
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"PAR1", b"\x1f\x8b")
# what the readers import on first use, imported once in the readers' server instead of in every child
_PRELOAD = [
    "insight.data.sandbox",
    "insight.data.containers",
    "pyarrow.parquet",
    "pyarrow.csv",
    "pyarrow.pandas_compat",
]
_lock = threading.Lock()


@dataclass
class Outcome:
    """What a child returned (`value`) or why it did not (`error`), with its peak memory and wall time."""

    value: Any
    error: InsightError | None
    peak_rss: int
    seconds: float


def limits() -> tuple[int, int]:
    """(bytes of address space a read may add, CPU seconds), from the environment or the defaults."""
    memory = int(os.environ.get(MEMORY_ENV) or MEMORY_MB) * 1024 * 1024
    return memory, int(os.environ.get(CPU_ENV) or CPU_SECONDS)


def _context() -> multiprocessing.context.BaseContext:
    with _lock:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context


def prepare() -> None:
    """Start the readers' server now (it imports the readers: about 2 s), not with the first upload."""
    _context()
    with no_main_script():
        multiprocessing.forkserver.ensure_running()


def _status(field: str) -> int:
    """A size from /proc/self/status in bytes (VmSize, VmHWM), 0 where there is no /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _lower(limit: int, value: int) -> None:
    """Set a resource limit to `value`, never above the hard limit the process already has (a parent's own cap)."""
    hard = resource.getrlimit(limit)[1]
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(limit, (value, hard))


def _child(conn, name: str, fn: Callable[..., Any], args: tuple, lang: str, memory: int, cpu: int) -> None:
    """Runs in the child: set the ceilings, call `fn`, send back ("ok" | "error" | "memory", payload, peak)."""
    _lower(resource.RLIMIT_AS, _status("VmSize") + memory)
    _lower(resource.RLIMIT_CPU, cpu)
    set_language(lang)
    try:
        reply = ("ok", fn(*args))
    except InsightError as exc:
        reply = ("error", exc)
    except MemoryError:
        reply = ("memory", None)
    except Exception as exc:  # noqa: BLE001 - any failure of a reader is the file's, reported as text
        problem = f"{type(exc).__name__}: {exc}"
        reply = (
            "error",
            ReadError(
                _("{name} could not be read ({problem}). Export it again as CSV and upload that.").format(
                    name=name, problem=problem
                )
            ),
        )
    try:
        conn.send((*reply, _status("VmHWM")))
    except MemoryError:
        conn.send(("memory", None, _status("VmHWM")))
    conn.close()


def _unsafe(name: str, why: str) -> ReadError:
    return ReadError(
        _(
            "{name} could not be read safely: {why}. Nothing else was affected. Open it in your spreadsheet program, "
            "save it as CSV (or export fewer rows and columns) and upload it again."
        ).format(name=name, why=why)
    )


def _why(kind: str, exitcode: int | None, memory: int, cpu: int) -> str:
    if kind == "memory" or exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
        return _("reading it needed more than {mb} MB of memory").format(mb=count(memory // 1024**2))
    if kind == "time" or exitcode == -signal.SIGXCPU:
        return _("reading it took more than {seconds} seconds").format(seconds=cpu)
    return _("the reader stopped (exit status {code})").format(code=exitcode)


def run_isolated(name: str, fn: Callable[..., Any], *args: Any) -> Outcome:
    """`fn(*args)` in a child with the memory and CPU ceilings; its result, or the reason there is none."""
    memory, cpu = limits()
    started = time.monotonic()
    parent, child = multiprocessing.Pipe(duplex=False)
    process = _context().Process(target=_child, args=(child, name, fn, args, language(), memory, cpu), daemon=True)
    with no_main_script():  # the child must not run the page script (or a test's) again
        process.start()
    child.close()
    deadline = started + 2 * cpu + 30  # wall time: a reader blocked without using CPU
    reply, kind = None, "died"
    try:
        while True:
            if parent.poll(0.05):
                reply = parent.recv()
                break
            if not process.is_alive():
                reply = parent.recv() if parent.poll(0) else None  # sent just before it ended
                break
            if time.monotonic() > deadline:
                process.kill()
                kind = "time"
                break
    except (EOFError, OSError):
        reply = None
    finally:
        parent.close()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
    seconds = time.monotonic() - started
    if reply is not None and reply[0] == "ok":
        return Outcome(reply[1], None, reply[2], seconds)
    if reply is not None and reply[0] == "error":
        return Outcome(None, reply[1], reply[2], seconds)
    kind = reply[0] if reply is not None else kind
    peak = reply[2] if reply is not None else 0
    return Outcome(None, _unsafe(name, _why(kind, process.exitcode, memory, cpu)), peak, seconds)


def needs_isolation(name: str, data: bytes) -> bool:
    """Workbooks, Parquet, compressed and large files go to a child; small plain text is read in place."""
    lower = name.lower()
    return (
        len(data) > IN_PLACE_BYTES
        or data[:4].startswith(_MAGIC)
        or lower.endswith((*EXCEL_SUFFIXES, ".parquet", ".gz"))
    )


def read_upload(name: str, data: bytes) -> tuple[pd.DataFrame, ReadReport]:
    """`read_table`, in a child process when the file could make a native reader allocate without bound."""
    if not needs_isolation(name, data):
        return read_table(name, data)
    outcome = run_isolated(name, read_table, name, data)
    if outcome.error is not None:
        raise outcome.error
    return outcome.value
