"""What reading in the sandbox costs: each file read in place and in the reading child, median of five.

    nice -n 10 python bench/bench_read_sandbox.py [FILES...]   (default: the demo's files and ../shared's workbooks)

Prints per file the in-place and the child's time (the child's includes the fork, sending the bytes and pickling
the frame back) and the child's peak RSS. The demo's CSVs are small text and read in place when the app builds
them; they are forced through the child here to show the cost there too. The readers' server starts once
(about 2 s, at the app's start) and is left out of the medians by a first read.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insight.data.dataset import demo_files  # noqa: E402
from insight.data.read import read_table  # noqa: E402
from insight.data.sandbox import needs_isolation, run_isolated  # noqa: E402

EXPORTS = ROOT.parent / "shared" / "data" / "exports"
DEFAULT = ["zh_book_daily_sales.xlsx", "zh_taobao_orders_mingribooks.xls", "ecommerce_customer_churn.xlsx"]


def median_seconds(read, *args, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        read(*args)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or [EXPORTS / name for name in DEFAULT if (EXPORTS / name).exists()]
    files = [(name, data) for name, data in demo_files()] + [(p.name, p.read_bytes()) for p in paths]
    run_isolated("warm-up", read_table, *files[0])
    for name, data in files:
        in_place = median_seconds(read_table, name, data)
        child = median_seconds(run_isolated, name, read_table, name, data)
        peak = run_isolated(name, read_table, name, data).peak_rss / 1024**2
        where = "child" if needs_isolation(name, data) else "in place"
        print(
            f"{name:40s} {len(data) / 1024:8.0f} KB  in place {in_place * 1000:7.0f} ms  child {child * 1000:7.0f} ms "
            f"(+{(child - in_place) * 1000:5.0f} ms, peak {peak:5.0f} MiB)  app reads it {where}"
        )


if __name__ == "__main__":
    main()
