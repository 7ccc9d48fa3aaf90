"""Segments speed: the k sweep on 100,000 customers x 8 features, and one slider move on 10,000 customers.

Customers are drawn deterministically from five behaviour groups (recency, orders, spend, basket, tenure,
returns, distinct items, age) with skewed money and count columns, like a real shop's customer table.
The sweep is what the Segments page runs once per (data, columns, scaling, algorithm): K-Means for
k = 2..12 with inertia, Calinski-Harabasz, Davies-Bouldin on everyone and silhouette on 5,000. A slider
move is what the page does for a k it has not seen yet (fit, profile, personas, unusual customers,
stability, labels), through the store as the page does; moving back to a k already seen is a cache hit.
Targets: sweep under 30 s, slider move under 0.3 s. Wall and CPU time are both printed: the work is
single-threaded, so on a busy machine CPU time is what the same run takes on an idle core.

    /work/venv/bin/python bench/bench_segment.py [--n 100000] [--slider-n 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from insight import segment  # noqa: E402
from insight.segment import k_sweep  # noqa: E402
from insight.store import Store  # noqa: E402

FEATURES = [
    "recency_days",
    "frequency",
    "monetary",
    "avg_order_value",
    "tenure_days",
    "return_share",
    "distinct_items",
    "age",
]
ROLES = {"numeric": ["age"], "categorical": [], "pii": []}
# group: share, recency, orders, basket, tenure, return share, age
GROUPS = [
    (0.10, 15, 25, 80, 600, 0.02, 46),
    (0.30, 30, 12, 30, 550, 0.03, 38),
    (0.35, 300, 2, 12, 300, 0.05, 26),
    (0.15, 420, 6, 30, 600, 0.20, 34),
    (0.10, 10, 3, 25, 40, 0.02, 30),
]


def customers(n: int, seed: int = 0) -> pd.DataFrame:
    """A deterministic customer table with the behaviour columns of `insight.features`."""
    rng = np.random.default_rng(seed)
    group = rng.choice(len(GROUPS), n, p=[g[0] for g in GROUPS])
    p = np.array([g[1:] for g in GROUPS])[group]
    orders = np.maximum(1, rng.poisson(p[:, 1]))
    basket = p[:, 2] * rng.lognormal(0, 0.4, n)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:06d}" for i in range(n)],
            "recency_days": np.abs(rng.normal(p[:, 0], 0.2 * p[:, 0] + 5)),
            "frequency": orders,
            "monetary": orders * basket,
            "avg_order_value": basket,
            "tenure_days": np.abs(rng.normal(p[:, 3], 60)),
            "return_share": np.clip(rng.normal(p[:, 4], 0.05), 0, 1),
            "distinct_items": np.maximum(1, rng.poisson(orders * 0.7)),
            "age": rng.normal(p[:, 5], 6).round(),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--slider-n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    big = customers(args.n)
    sweeps = []
    for _ in range(args.repeat):
        k_sweep._SILHOUETTES.clear()  # each run pays for its silhouettes
        start, cpu = time.perf_counter(), time.process_time()
        _, X = segment.prepare(big, ROLES, FEATURES)
        result = segment.sweep(X)
        sweeps.append((time.perf_counter() - start, time.process_time() - cpu))
    print(
        f"sweep k=2..12 on {args.n:,} customers x {len(FEATURES)} features: wall best {min(sweeps)[0]:.2f} s "
        f"(runs {', '.join(f'{w:.2f}' for w, _ in sweeps)}), CPU {min(c for _, c in sweeps):.2f} s; "
        f"suggested k = {result.suggested_k}"
    )

    small = customers(args.slider_n, seed=1)
    store = Store(tempfile.mkdtemp(prefix="bench-segment-"))
    params = {"features": FEATURES, "scaling": "zscore", "log": "auto", "algorithm": "kmeans", "linkage": "ward"}
    scaler, X = segment.prepare(small, ROLES, FEATURES)
    sweep = store.get_or_compute("bench", "segment.sweep", params, lambda: segment.sweep(X))

    def move(k: int) -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        _, X = segment.prepare(small, ROLES, FEATURES)  # the page prepares the matrix on every run
        p = {**params, "k": k, "eps": None}
        seg = store.get_or_compute("bench", "segment.fit", p, lambda: segment.analyse(small, ROLES, **p))
        store.get_or_compute("bench", "segment.stability", p, lambda: segment.stability(X, seg.labels, k=k))
        seg.labels_frame()
        return time.perf_counter() - start, time.process_time() - cpu

    new_k = [k for k in range(2, 13) if k != sweep.suggested_k][: args.repeat]
    firsts = [move(k) for k in new_k]
    revisits = [move(k) for k in new_k]
    print(
        f"slider move to a new k on {args.slider_n:,} customers (fit, profile, personas, stability): "
        f"wall best {min(w for w, _ in firsts) * 1000:.0f} ms, worst {max(w for w, _ in firsts) * 1000:.0f} ms; "
        f"CPU worst {max(c for _, c in firsts) * 1000:.0f} ms (k = {new_k})"
    )
    print(
        f"slider move back to a k already seen: wall worst {max(w for w, _ in revisits) * 1000:.1f} ms "
        f"(computed: {dict(store.computed)})"
    )


if __name__ == "__main__":
    main()
