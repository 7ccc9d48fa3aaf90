"""`python -m insight analyze` on a large order log from an empty cache, against a seed-style notebook on the same file.

    python bench/bench_analyze.py [ORDERS.csv] [--lines 500000] [--profile OUT.prof]

Without a file, `bench/order_log.py` writes a year of order lines first. Each run is a fresh process with a fresh
INSIGHT_DATA_DIR (nothing cached): first `bench/notebook.py` (load, RFM, k-means sweep), then the CLI, whose
sections (the functions of `insight.report.summary`) are timed as they run. Prints seconds per section, the total
(the process's whole life, imports included, as for the notebook), peak memory (max resident set size) and the
ratio to the notebook. CPU seconds per section are printed beside the wall seconds: on a shared machine they
show the work itself, which other processes cannot stretch. Targets (issue 22): the analysis within 8x the
notebook and 2 GB; recommendations 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("foundation", "segments", "churn", "spend", "lifetime_value", "sentiment", "recommendations")


def child(log: str, out: str, timings: str, profile: str | None) -> None:
    """In the measured process: time each section of the report as the CLI runs it, then write the timings."""
    sys.path.insert(0, str(ROOT))
    start = time.perf_counter()
    from insight import cli
    from insight.report import summary

    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(name: str, fn):
        def wrapper(*args, **kwargs):
            began, began_cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - began
                cpu[name] = cpu.get(name, 0.0) + time.process_time() - began_cpu

        return wrapper

    for name in SECTIONS:
        if hasattr(summary, name):
            setattr(summary, name, timed(name, getattr(summary, name)))
    cli._load = timed("loading", cli._load)  # reading the files and building the dataset
    argv = ["analyze", log, "--json", out]  # stderr is not a terminal here: no progress lines
    if profile:
        import cProfile

        cProfile.runctx("cli.main(argv)", globals(), {"cli": cli, "argv": argv}, profile)
    else:
        cli.main(argv)
    seconds["total in Python"] = time.perf_counter() - start
    cpu["total in Python"] = time.process_time()
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    Path(timings).write_text(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak / 1024}))


def measured(command: list[str], data_dir: Path) -> tuple[float, float, str]:
    """(wall seconds, peak resident MB of this bench's children so far, stdout) of one fresh process; the
    notebook runs first, so the peak is its own."""
    env = dict(os.environ, INSIGHT_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", nargs="?", type=Path)
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--profile", type=Path, help="also write a cProfile of the analysis here")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, str(args.profile) if args.profile else None)
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-analyze-"))
    log = args.log
    if log is None:
        log = folder / f"orders_{args.lines // 1000}k.csv"
        generate = [sys.executable, "bench/order_log.py", str(log), "--lines", str(args.lines)]
        subprocess.run(generate, cwd=ROOT, check=True)
    print(f"uptime: {os.popen('uptime').read().strip()}")
    nb_wall, nb_peak, nb_out = measured([sys.executable, "bench/notebook.py", str(log)], folder / "nb-data")
    print(f"{nb_out}\nnotebook process: {nb_wall:.1f} s, peak {nb_peak:,.0f} MB")
    timings = folder / "timings.json"
    command = [sys.executable, "bench/bench_analyze.py", "--child", str(log), str(folder / "out.json"), str(timings)]
    if args.profile:
        command += ["--profile", str(args.profile)]
    wall, _, _ = measured(command, folder / "data")
    found = json.loads(timings.read_text())
    seconds, cpu, peak = found["seconds"], found["cpu"], found["peak_mb"]
    print(f"\npython -m insight analyze {log.name} (empty cache):   wall s  share   CPU s (all threads)")
    sections = [name for name in seconds if name != "total in Python"]
    seconds["the rest"] = seconds["total in Python"] - sum(seconds[n] for n in sections)
    cpu["the rest"] = cpu["total in Python"] - sum(cpu[n] for n in sections)
    for name in [*sections, "the rest", "total in Python"]:
        share = f"{seconds[name] / wall:5.0%}" if name != "total in Python" else "     "
        print(f"  {name:18s} {seconds[name]:7.1f} s {share} {cpu[name]:7.1f} s")
    print("  (the rest: imports, the overview and next-order figures, writing the JSON)")
    print(f"  {'process total':18s} {wall:7.1f} s   peak {peak:,.0f} MB")
    print(f"ratio to the notebook: {wall / nb_wall:.1f}x (target <= 8x); peak memory target <= 2,048 MB")


if __name__ == "__main__":
    main()
