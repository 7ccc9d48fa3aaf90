"""A year of retail order lines shaped like a real online shop's export (the UCI "Online Retail" shape).

    python bench/order_log.py OUT.csv [--lines 500000] [--seed 0]

Columns: InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country. About 4,400
customers and 3,700 products over one year, about 20 lines per invoice; a fifth of the lines are guest orders
without a customer id, about 2% are cancellations (invoice numbers starting with "C", negative quantities of
an item the customer bought). Customers have tastes (two or three favourite product families), rebuy some of
what they bought, buy at their own rate and some stop for good, so recommendations, churn and lifetime value
have something real to find, as in a real shop. Deterministic for a seed: the same bytes every run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

START = pd.Timestamp("2023-12-01")
DAYS = 365
FAMILIES = 40
WORDS = (  # product names are made of three of these
    "VINTAGE HEART CERAMIC GLASS RETRO LANTERN CANDLE HOLDER PAPER CHAIN KIT BAG JUMBO PINK BLUE RED "
    "WHITE METAL SIGN TEA CUP SAUCER CAKE STAND BOTTLE WARMER CHRISTMAS TREE DOORMAT UNION JACK NAPKINS "
    "WOODEN STAR GARLAND PARTY BUNTING LUNCH BOX POSTCARD CLOCK ALARM BAKELIKE FRAME MUG SPOT GREEN "
    "IVORY HANGING T-LIGHT"
)


def _catalogue(rng: np.random.Generator, lines: int) -> pd.DataFrame:
    """Products: a family, a popularity weight (long tail), a price and a name of three words."""
    n = max(50, round(3_700 * lines / 540_000))
    family = rng.integers(0, FAMILIES, n)
    names = [" ".join(words) for words in rng.choice(WORDS.split(), size=(n, 3))]
    names = [f"{name} {i}" if i % 7 == 0 else name for i, name in enumerate(names)]  # some names repeat
    return pd.DataFrame(
        {
            "code": [str(84_000 + i) if i % 5 else f"{84_000 + i}A" for i in range(n)],
            "family": family,
            "weight": rng.lognormal(0.0, 1.3, n),
            "price": np.round(rng.lognormal(0.9, 0.8, n), 2),
            "name": names,
        }
    )


def _invoices(rng: np.random.Generator, lines: int) -> pd.DataFrame:
    """Invoices: a customer (or a guest), a day and a number of lines; customers join over the year, buy at
    their own rate and some stop."""
    customers = max(20, round(4_400 * lines / 540_000))
    joined = rng.integers(0, DAYS - 30, customers)
    stays = rng.exponential(240, customers)  # days until a customer silently stops
    rate = rng.gamma(0.9, 1 / 25, customers)  # invoices per day while active
    active = np.minimum(DAYS - joined, stays)
    counts = 1 + rng.poisson(rate * active)
    who = np.repeat(np.arange(customers), counts)
    day = joined[who] + (rng.random(len(who)) * active[who]).astype(int)
    day[np.r_[0, np.cumsum(counts)[:-1]]] = joined  # the first invoice on the day they join
    frame = pd.DataFrame({"customer": who, "day": day})
    guests = pd.DataFrame({"customer": -1, "day": rng.integers(0, DAYS, len(frame) // 3)})
    frame = pd.concat([frame, guests], ignore_index=True)
    frame["lines"] = 1 + rng.negative_binomial(1.2, 0.055, len(frame))
    frame["lines"] = np.maximum(1, np.round(frame["lines"] * lines / frame["lines"].sum())).astype(int)
    frame = frame.sort_values(["day", "customer"], kind="stable").reset_index(drop=True)
    frame["seconds"] = np.sort(rng.integers(8 * 3600, 19 * 3600, len(frame)))  # within the day, in order
    return frame


def _choose_items(rng: np.random.Generator, invoices: pd.DataFrame, items: pd.DataFrame) -> np.ndarray:
    """Each line's product: mostly from the customer's favourite families, some rebuys, the rest anything."""
    customers = int(invoices["customer"].max()) + 1
    favourites = rng.integers(0, FAMILIES, (customers, 3))
    by_family = [np.flatnonzero(items["family"].to_numpy() == f) for f in range(FAMILIES)]
    family_p = [items["weight"].to_numpy()[ix] / items["weight"].to_numpy()[ix].sum() for ix in by_family]
    overall = items["weight"].to_numpy() / items["weight"].sum()
    who = np.repeat(invoices["customer"].to_numpy(), invoices["lines"].to_numpy())
    draw = rng.random(len(who))
    out = rng.choice(len(items), size=len(who), p=overall)  # anything (guests always)
    taste = (who >= 0) & (draw < 0.7)
    fav = favourites[who[taste], rng.integers(0, 3, int(taste.sum()))]
    picks = np.empty(int(taste.sum()), dtype=int)
    for f in range(FAMILIES):
        rows = np.flatnonzero(fav == f)
        if len(rows) and len(by_family[f]):
            picks[rows] = rng.choice(by_family[f], size=len(rows), p=family_p[f])
    out[taste] = picks
    rebuy = (who >= 0) & (draw >= 0.7) & (draw < 0.85)  # an item from the customer's own past
    pick = rng.random(len(who))
    seen: dict[int, list[int]] = {}
    for line in np.flatnonzero(who >= 0):
        past = seen.setdefault(int(who[line]), [])
        if rebuy[line] and past:
            out[line] = past[int(pick[line] * len(past))]
        past.append(int(out[line]))
    return out


def order_log(lines: int = 500_000, seed: int = 0) -> pd.DataFrame:
    """About `lines` order lines (see the module docstring), as the export would have them."""
    rng = np.random.default_rng(seed)
    items = _catalogue(rng, lines)
    invoices = _invoices(rng, lines)
    item = _choose_items(rng, invoices, items)
    inv = invoices.index.to_numpy().repeat(invoices["lines"].to_numpy())
    customer = invoices["customer"].to_numpy()[inv]
    when = START + pd.to_timedelta(invoices["day"].to_numpy()[inv], unit="D")
    when = when + pd.to_timedelta(invoices["seconds"].to_numpy()[inv] // 60 * 60, unit="s")
    quantity = np.where(rng.random(len(inv)) < 0.1, 12 * rng.integers(1, 5, len(inv)), 1 + rng.poisson(1.5, len(inv)))
    countries = np.where(rng.random(customer.max() + 1) < 0.9, "United Kingdom", "Germany")
    frame = pd.DataFrame(
        {
            "InvoiceNo": (536_365 + inv).astype(str),
            "StockCode": items["code"].to_numpy()[item],
            "Description": items["name"].to_numpy()[item],
            "Quantity": quantity,
            "InvoiceDate": when.strftime("%Y-%m-%d %H:%M"),
            "UnitPrice": items["price"].to_numpy()[item],
            "CustomerID": np.where(customer >= 0, (12_346 + customer).astype(str), ""),
            "Country": np.where(customer >= 0, countries[np.maximum(customer, 0)], "United Kingdom"),
        }
    )
    returns = frame[(customer >= 0) & (rng.random(len(frame)) < 0.02)].copy()  # a later cancellation
    returns["InvoiceNo"] = "C" + returns["InvoiceNo"]
    returns["Quantity"] = -np.minimum(returns["Quantity"], 1 + rng.poisson(1, len(returns)))
    out = pd.concat([frame, returns]).sort_values("InvoiceDate", kind="stable")
    return out.reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    frame = order_log(args.lines, args.seed)
    frame.to_csv(args.out, index=False)
    customers = frame.loc[frame["CustomerID"] != "", "CustomerID"].nunique()
    print(
        f"wrote {args.out}: {len(frame):,} lines, {frame['InvoiceNo'].nunique():,} invoices, {customers:,} customers, "
        f"{frame['StockCode'].nunique():,} products, {args.out.stat().st_size / 1e6:.0f} MB",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
