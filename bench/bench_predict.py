"""How long the default churn comparison takes on a 50,000-customer table (target: under a minute).

Run: `python bench/bench_predict.py [n_customers]`. Prints the seconds per model and in total, the
folds used, and the notes the page shows (SVM trains on a subsample above `SVM_MAX_ROWS`).
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from insight import predict  # noqa: E402


def customer_table(n: int, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """A telco/shop-like customer table: 12 numbers, 3 categories, a Yes/No churn label (~27% churn)."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"customer_id": [f"C{i:06d}" for i in range(n)]})
    numeric = [f"x{j}" for j in range(12)]
    for j, col in enumerate(numeric):
        df[col] = rng.gamma(2.0 + j % 3, 10.0, n)
    df.loc[rng.random(n) < 0.03, "x3"] = np.nan
    df["plan"] = rng.choice(["monthly", "yearly", "two-year"], n)
    df["country"] = rng.choice([f"country {k}" for k in range(30)], n)
    df["channel"] = rng.choice(["search", "social", "referral", "newsletter"], n)
    logit = -2.0 + 0.04 * df["x0"] - 0.03 * df["x1"] + np.where(df["plan"] == "monthly", 1.2, -0.3)
    logit += 0.5 * np.sin(df["x2"] / 10)
    df["Churn"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "Yes", "No")
    roles = {"numeric": numeric, "categorical": ["plan", "country", "channel"], "pii": [], "label": "Churn"}
    return df, roles


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    df, roles = customer_table(n)
    data = predict.label_from_column(df, roles)
    print(f"{n:,} customers, {len(data.features)} features, churn rate {data.churn_rate:.1%}, {os.cpu_count()} CPUs")
    start, cpu = time.perf_counter(), time.process_time()
    comparison = predict.compare_churn_models(data)
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(comparison.metrics[["roc_auc", "f1", "seconds"]].round(3).to_string())
    print(f"folds: {comparison.folds}; best: {comparison.best}")
    for note in comparison.notes:
        print(f"note: {note}")
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"default comparison: {total:.1f} s wall, {cpu:.1f} s CPU (target < 60 s wall); load average {load}")


if __name__ == "__main__":
    main()
