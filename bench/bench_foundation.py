"""Time load -> customer table on a generated 1,000,000-row transaction log; report seconds and peak memory.

Target (issue 2): under 10 s and under 2 GB on a 2-core machine.
Usage: python bench/bench_foundation.py [ROWS]
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_log(path: Path, rows: int, seed: int = 0) -> None:
    """A shop-like order log: 50k customers, 2,000 items, two years, 2% returns, 5% missing ids."""
    rng = np.random.default_rng(seed)
    customers = rng.integers(1, 50_001, rows)
    quantity = rng.integers(1, 5, rows)
    quantity[rng.random(rows) < 0.02] *= -1
    frame = pd.DataFrame(
        {
            "InvoiceNo": (rng.integers(100_000, 999_999, rows)).astype(str),
            "CustomerID": np.where(rng.random(rows) < 0.05, "", customers.astype(str)),
            "InvoiceDate": (
                pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730 * 24 * 60, rows), unit="min")
            ).strftime("%Y-%m-%d %H:%M"),
            "StockCode": rng.integers(10_000, 12_000, rows).astype(str),
            "Quantity": quantity,
            "UnitPrice": np.round(rng.lognormal(2.5, 0.6, rows), 2),
        }
    )
    frame.to_csv(path, index=False)


def measure(path: Path) -> None:
    """Run in a fresh process so peak memory is the pipeline's own."""
    from insight.data.dataset import build_dataset

    data = path.read_bytes()
    start, cpu_start = time.perf_counter(), time.process_time()
    ds = build_dataset([(path.name, data)])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows: {ds.tables[0].rows_raw:,}  customers: {len(ds.customers):,}  file: {len(data) / 1e6:,.0f} MB")
    print(f"load -> customer table: {seconds:.2f} s wall, {cpu:.2f} s CPU  (target < 10 s)")
    print(f"peak memory (process RSS): {peak_mb:,.0f} MB  (target < 2,048 MB)")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        measure(Path(sys.argv[2]))
    else:
        rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "orders.csv"
            write_log(path, rows)
            subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True)
