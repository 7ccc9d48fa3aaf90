"""What a data scientist's first notebook does with an order log, with pandas and scikit-learn defaults: load,
RFM per customer, a k-means sweep (k = 2..10, inertia and silhouette). The yardstick for `bench_analyze.py`.

    python bench/notebook.py ORDERS.csv

Reads the UCI "Online Retail" columns (InvoiceNo, StockCode, Quantity, InvoiceDate, UnitPrice, CustomerID), as
`bench/order_log.py` writes them.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler


def main(path: str) -> None:
    start = time.perf_counter()
    df = pd.read_csv(path, dtype={"CustomerID": str, "InvoiceNo": str, "StockCode": str})
    df = df.dropna(subset=["CustomerID"])
    df["InvoiceDate"] = pd.to_datetime(df["InvoiceDate"])
    df["TotalPrice"] = df["Quantity"] * df["UnitPrice"]
    loaded = time.perf_counter()
    snapshot = df["InvoiceDate"].max() + pd.Timedelta(days=1)
    rfm = df.groupby("CustomerID").agg(
        recency=("InvoiceDate", lambda d: (snapshot - d.max()).days),
        frequency=("InvoiceNo", "nunique"),
        monetary=("TotalPrice", "sum"),
    )
    X = StandardScaler().fit_transform(np.log1p(rfm.clip(lower=0)))
    rfm_done = time.perf_counter()
    sweep = {}
    for k in range(2, 11):
        km = KMeans(n_clusters=k, random_state=0).fit(X)
        sweep[k] = (km.inertia_, silhouette_score(X, km.labels_))
    end = time.perf_counter()
    best = max(sweep, key=lambda k: sweep[k][1])
    print(
        f"notebook: {len(df):,} lines with a customer, {len(rfm):,} customers, best k {best}; "
        f"load {loaded - start:.1f} s, RFM {rfm_done - loaded:.1f} s, k-means sweep {end - rfm_done:.1f} s, "
        f"total {end - start:.1f} s"
    )


if __name__ == "__main__":
    main(sys.argv[1])
