"""Load test: N concurrent browser-less sessions run the demo analysis against a real `streamlit run` server.

Starts the app on 127.0.0.1 (a free port, a fresh INSIGHT_DATA_DIR), runs one warm-up session (cold caches;
skipped with --cold), then N sessions at once; each opens the app and visits every page, waiting for each
script run to finish.
Prints per-session time (median, p90, max), per-page times, failures with their cause, the server's peak RSS
(process + children, sampled every 0.2 s) and RSS per session ((peak - idle after warm-up) / N).

Usage: python bench/bench_load.py [--sessions 20] [--port PORT] [--timeout 900] [--cold] [--watch]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stclient import HOST, RunResult, StreamlitProtocolError, StreamlitSession  # noqa: E402

PAGE_TIMEOUT_S = 300.0
SAMPLE_EVERY_S = 0.2


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    """A port nothing listens on right now, on the loopback interface."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int, data_dir: Path, log_path: Path, *, watch: bool) -> subprocess.Popen:
    """`streamlit run app.py` headless on 127.0.0.1:port, in its own process group, logging to a file.

    Without `watch` the file watcher is off: in a tree others are editing, Streamlit evicts changed modules from
    `sys.modules` at the start of one session's run while other sessions' runs import them, which fails those
    runs (KeyError: 'insight', ImportError from ui) and measures the edits, not the app.
    """
    env = dict(os.environ, INSIGHT_DATA_DIR=str(data_dir))
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        HOST,
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "auto" if watch else "none",
    ]
    log = log_path.open("wb")
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(proc: subprocess.Popen, port: int, timeout: float = 90.0) -> None:
    """Poll `/_stcore/health` until it says ok, the server dies, or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode} before becoming healthy")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit not healthy within {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM the server's own process group, SIGKILL it if it lingers."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


# --- memory --------------------------------------------------------------------------------------


def _rss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def _descendants(root: int) -> list[int]:
    """The pids under `root` (children, grandchildren...), from each process's parent in /proc/<pid>/stat."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        kids = parents.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


class RssSampler(threading.Thread):
    """Samples the VmRSS of a process tree every 0.2 s; keeps the peak and the latest value (MiB)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mib = 0.0
        self.latest_mib = 0.0
        self.max_children = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            kids = _descendants(self.pid)
            self.max_children = max(self.max_children, len(kids))
            self.latest_mib = sum(_rss_kib(p) for p in [self.pid, *kids]) / 1024
            self.peak_mib = max(self.peak_mib, self.latest_mib)
            self._stop_event.wait(SAMPLE_EVERY_S)

    def reset_peak(self) -> None:
        self.peak_mib = self.latest_mib

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)


# --- sessions ------------------------------------------------------------------------------------


@dataclass
class SessionResult:
    """One session's demo analysis: the page runs it completed, its total, and the failure that stopped it."""

    index: int
    runs: list[RunResult] = field(default_factory=list)
    total: float = 0.0
    failure: str | None = None

    @property
    def exceptions(self) -> list[str]:
        return [f"{r.page}: {e}" for r in self.runs for e in r.exceptions]

    @property
    def ok(self) -> bool:
        return self.failure is None and not self.exceptions


async def demo_analysis(index: int, port: int) -> SessionResult:
    """Open the app (Overview), then click every other page in the navigation, in order."""
    result = SessionResult(index)
    start = time.perf_counter()
    try:
        async with StreamlitSession(port, run_timeout=PAGE_TIMEOUT_S) as session:
            result.runs.append(await session.open_app())
            if not session.pages:
                raise StreamlitProtocolError("no navigation message on the first run")
            for page in [p for p in session.pages if p.script_hash != session.current_hash]:
                result.runs.append(await session.visit(page))
    except (StreamlitProtocolError, OSError, TimeoutError) as exc:
        result.failure = f"{type(exc).__name__}: {exc}"
    result.total = time.perf_counter() - start
    return result


async def run_sessions(n: int, port: int) -> list[SessionResult]:
    return list(await asyncio.gather(*(demo_analysis(i, port) for i in range(n))))


# --- report --------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(q / 100 * len(ordered)))) - 1]


def print_session(title: str, res: SessionResult) -> None:
    print(f"{title}: {res.total:.1f} s total" + (f"  FAILED: {res.failure}" if res.failure else ""))
    for r in res.runs:
        notes = []
        if r.exceptions:
            notes.append(f"{len(r.exceptions)} exception(s): {r.exceptions[0][:160]}")
        if r.warnings:
            notes.append(f"{len(r.warnings)} warning(s)")
        if r.error_alerts:
            notes.append(f"{len(r.error_alerts)} st.error: {r.error_alerts[0][:120]}")
        print(f"  {r.page:<18} {r.seconds:7.2f} s  {r.messages:4d} msgs  {r.bytes / 1024:8.0f} KiB  {'; '.join(notes)}")


def report(results: list[SessionResult], idle_mib: float, peak_mib: float, wall: float, children: int) -> None:
    n = len(results)
    totals = [r.total for r in results if r.failure is None]
    print(f"\n== {n} concurrent sessions (wall {wall:.1f} s) ==")
    if totals:
        print(
            f"per-session time over {len(totals)} completed: median {statistics.median(totals):.1f} s, "
            f"p90 {percentile(totals, 90):.1f} s, max {max(totals):.1f} s"
        )
    pages: dict[str, list[float]] = {}
    for res in results:
        for run in res.runs:
            pages.setdefault(run.page, []).append(run.seconds)
    print("per page (seconds, across sessions):")
    for page, secs in pages.items():
        print(
            f"  {page:<18} n={len(secs):3d}  median {statistics.median(secs):6.2f}  "
            f"p90 {percentile(secs, 90):6.2f}  max {max(secs):6.2f}"
        )
    failed = [r for r in results if not r.ok]
    print(f"failures: {len(failed)} of {n}")
    for res in failed:
        print(f"  session {res.index}: {res.failure or ''} {'; '.join(res.exceptions)[:400]}")
    alerts = {a for res in results for run in res.runs for a in run.error_alerts}
    if alerts:
        print(f"st.error messages shown (not counted as failures): {sorted(alerts)[:5]}")
    print(
        f"server RSS (process + {children} child process(es) max): idle after warm-up {idle_mib:.0f} MiB, "
        f"peak {peak_mib:.0f} MiB, per session {(peak_mib - idle_mib) / n:.1f} MiB"
    )


def server_errors(log_path: Path) -> str:
    """The server log's first traceback in full, then the last line of each further one (at most 20)."""
    text = log_path.read_text(errors="replace")
    blocks = re.findall(r"Traceback \(most recent call last\):\n(?:[ \t].*\n)+.*", text)
    if not blocks:
        return ""
    return "\n".join([blocks[0], *(b.splitlines()[-1] for b in blocks[1:20])])


async def main_async(args: argparse.Namespace, port: int, sampler: RssSampler) -> None:
    if args.cold:
        await asyncio.sleep(1.0)
        print("no warm-up: the sessions start on empty caches; 'idle' is the freshly started server")
    else:
        t0 = time.perf_counter()
        warm = await demo_analysis(-1, port)
        print_session(f"warm-up session (cold caches, {time.perf_counter() - t0:.1f} s)", warm)
        if warm.failure:
            raise SystemExit(f"warm-up failed: {warm.failure}")
        await asyncio.sleep(3.0)
    idle = sampler.latest_mib
    sampler.reset_peak()
    t0 = time.perf_counter()
    results = await run_sessions(args.sessions, port)
    wall = time.perf_counter() - t0
    await asyncio.sleep(1.0)
    report(results, idle, sampler.peak_mib, wall, sampler.max_children)
    slowest = max(results, key=lambda r: r.total)
    print_session(f"\nslowest session ({slowest.index})", slowest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--port", type=int, default=None, help="server port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--timeout", type=float, default=900.0, help="total time limit in seconds (default 900)")
    parser.add_argument("--cold", action="store_true", help="skip the warm-up: all sessions hit empty caches at once")
    parser.add_argument("--watch", action="store_true", help="keep Streamlit's file watcher on (off by default)")
    args = parser.parse_args()
    if args.sessions < 1:
        parser.error("--sessions must be at least 1")
    port = args.port or free_port()
    with tempfile.TemporaryDirectory(prefix="insight-load-") as tmp:
        log_path = Path(tmp) / "streamlit.log"
        proc = start_server(port, Path(tmp) / "data", log_path, watch=args.watch)
        sampler = RssSampler(proc.pid)
        try:
            wait_healthy(proc, port)
            sampler.start()
            print(f"server pid {proc.pid} on {HOST}:{port}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
            asyncio.run(asyncio.wait_for(main_async(args, port, sampler), timeout=args.timeout))
        except TimeoutError:
            print(f"ABORTED: total time limit of {args.timeout:.0f} s reached")
        finally:
            sampler.stop()
            stop_server(proc)
            errors = server_errors(log_path)
            if errors:
                print(f"server log tracebacks:\n{errors}")


if __name__ == "__main__":
    main()
