"""A deterministic demo shop: customers, order lines, feedback and product ratings, with the planted truth.

"Bean & Leaf" sells coffee, tea and kitchen things online. Four kinds of
customers are planted (`SEGMENTS`), churn is driven by the columns in
`CHURN_DRIVERS`, unhappy customers mostly complain about `COMPLAINT_TOPIC`,
and each customer prefers one product category. Tests check that the
analyses recover this truth; the app opens on it when nothing is uploaded.
"""

from __future__ import annotations

import bisect
import io
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from insight import demo_text as text

START = pd.Timestamp("2024-10-01")
END = pd.Timestamp("2026-09-30")
SEGMENTS = ("Big spenders", "Regulars", "Bargain hunters", "Drifting away")
COMPLAINT_TOPIC = "delivery"
CHURN_DRIVERS = ("recency_days", "return_share")

# segment: share, mean days between orders, lines per order (1 + Poisson), extra quantity (Poisson),
# return propensity, mean age, churn probability
_PROFILE = {
    "Big spenders": (0.10, 24, 1.0, 1.4, 0.03, 46, 0.04),
    "Regulars": (0.32, 50, 0.3, 0.4, 0.04, 38, 0.06),
    "Bargain hunters": (0.38, 0, 0.0, 0.0, 0.06, 26, 1.0),
    "Drifting away": (0.20, 34, 0.3, 0.4, 0.25, 34, 1.0),
}

_CATEGORIES = {
    "Coffee": [
        "Espresso Beans",
        "Colombia Filter Roast",
        "Ethiopia Single Origin",
        "Decaf Blend",
        "Cold Brew Pack",
        "Kenya Peaberry",
        "House Blend",
        "Dark Roast",
    ],
    "Tea": [
        "Earl Grey",
        "Sencha Green",
        "Chamomile",
        "Masala Chai",
        "Jasmine Pearls",
        "English Breakfast",
        "Rooibos",
        "Oolong",
    ],
    "Brewing": [
        "Pour-over Dripper",
        "French Press",
        "Paper Filters",
        "Burr Grinder",
        "Gooseneck Kettle",
        "Aeropress",
        "Milk Frother",
        "Moka Pot",
    ],
    "Cups": [
        "Ceramic Mug",
        "Travel Tumbler",
        "Glass Teapot",
        "Espresso Cups",
        "Latte Glasses",
        "Tea Infuser",
        "Stoneware Bowl",
        "Thermos Flask",
    ],
    "Treats": [
        "Almond Biscotti",
        "Dark Chocolate",
        "Honey Jar",
        "Shortbread Tin",
        "Caramel Syrup",
        "Vanilla Syrup",
        "Ginger Cookies",
        "Matcha Wafers",
    ],
    "Gifts": [
        "Gift Card",
        "Tasting Set",
        "Subscription Box",
        "Advent Calendar",
        "Barista Course",
        "Gift Hamper",
        "Coffee Atlas Book",
        "Tea Sampler",
    ],
}


@dataclass(frozen=True)
class DemoShop:
    """The demo tables and the planted truth (one row per customer)."""

    customers: pd.DataFrame
    orders: pd.DataFrame
    feedback: pd.DataFrame
    ratings: pd.DataFrame
    truth: pd.DataFrame

    def files(self) -> list[tuple[str, bytes]]:
        """The tables as CSV files, the way a shop would export them."""
        out = []
        for name in ("customers", "orders", "feedback", "ratings"):
            buf = io.StringIO()
            getattr(self, name).to_csv(buf, index=False)
            out.append((f"{name}.csv", buf.getvalue().encode("utf-8")))
        return out


_NS_PER_DAY = 86_400 * 10**9
_NS_PER_MINUTE = 60 * 10**9
_END_NS = END.value


def _days_ns(days: float) -> int:
    """Nanoseconds in `days`, truncated exactly as `pd.Timedelta(days=days)` counts them (without building one:
    dates are whole nanoseconds while the shop is generated, and become timestamps once, at the end)."""
    return int(days * 24 * 3600 * 1_000_000_000)


class _Choice:
    """`rng.choice(values, p=p)` for one value, drawing exactly what numpy draws (one uniform against the same
    normalised cumulative weights, or one bounded integer without weights) but without numpy's per-call checks,
    which dominated the demo's generation time. The same seed gives the same shop as with `rng.choice`."""

    def __init__(self, values: list | np.ndarray, p: list[float] | np.ndarray | None = None) -> None:
        self.values = list(values.tolist() if isinstance(values, np.ndarray) else values)
        cdf = None if p is None else np.asarray(p, dtype=np.float64).cumsum()
        if cdf is not None:
            cdf /= cdf[-1]
        self.cdf = None if cdf is None else cdf.tolist()

    def __call__(self, rng: np.random.Generator) -> Any:
        if self.cdf is None:
            return self.values[int(rng.integers(0, len(self.values)))]
        return self.values[bisect.bisect_right(self.cdf, rng.random())]


def _catalog(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for c, (category, names) in enumerate(_CATEGORIES.items()):
        base = [14, 9, 28, 16, 7, 35][c]
        for i, name in enumerate(names):
            price = round(float(base * rng.lognormal(0, 0.35)), 2)
            rows.append({"sku": f"SKU-{c + 1}{i + 1:02d}", "product": name, "category": category, "price": price})
    return pd.DataFrame(rows)


def _item_pools(catalog: pd.DataFrame) -> dict[tuple[str, bool], _Choice]:
    """Per (category, cheap-only): a draw of an item index by popularity weight (a long tail)."""
    pools = {}
    for category in _CATEGORIES:
        idx = np.flatnonzero((catalog["category"] == category).to_numpy())
        prices = catalog["price"].to_numpy()[idx]
        for cheap in (False, True):
            chosen = idx[prices <= np.median(prices)] if cheap else idx
            weights = 1.0 / np.arange(1, len(chosen) + 1) ** 0.8
            pools[(category, cheap)] = _Choice(chosen, weights / weights.sum())
    return pools


_ANY_CATEGORY = _Choice(list(_CATEGORIES))


def _pick_item(rng: np.random.Generator, pools: dict, favorite: str, cheap: bool) -> int:
    category = favorite if rng.random() < 0.8 else _ANY_CATEGORY(rng)
    return pools[(category, cheap)](rng)


@dataclass
class _Lines:
    """The order lines drawn so far, column by column (dates in nanoseconds)."""

    invoice: list[str] = field(default_factory=list)
    customer_id: list[str] = field(default_factory=list)
    date: list[int] = field(default_factory=list)
    item: list[int] = field(default_factory=list)
    quantity: list[int] = field(default_factory=list)

    def add(self, invoice: str, cid: str, date: int, item: int, quantity: int) -> None:
        if date <= _END_NS:
            self.invoice.append(invoice)
            self.customer_id.append(cid)
            self.date.append(date)
            self.item.append(item)
            self.quantity.append(quantity)

    def frame(self, items: pd.DataFrame) -> pd.DataFrame:
        picked = items.iloc[self.item].reset_index(drop=True)
        return pd.DataFrame(
            {
                "invoice": self.invoice,
                "customer_id": self.customer_id,
                "date": pd.to_datetime(np.array(self.date, dtype="datetime64[ns]")),
                **{column: picked[column] for column in picked.columns},
                "quantity": np.array(self.quantity, dtype=np.int64),
            }
        )


def _customer_orders(rng, cid, segment, favorite, signup, stop, p_return, pools, counter, lines: _Lines) -> int:
    """Draw one customer's order lines (and returns) into `lines`; the date of their last purchase (ns)."""
    _, gap, extra_lines, extra_qty, _, _, _ = _PROFILE[segment]
    cheap = segment == "Bargain hunters"
    if cheap:
        n = int(rng.integers(1, 4))
        days = np.sort(rng.uniform(0, max(1.0, min(120.0, (stop - signup) // _NS_PER_DAY)), n))
        dates = [signup + _days_ns(float(d)) for d in days]
    else:
        dates, t, g = [], signup, float(gap)
        while t < stop:
            dates.append(t)
            if segment == "Drifting away":
                g *= 1.08
            t = t + _days_ns(float(rng.gamma(4.0, g / 4.0)))
    last_buy = signup
    for date in dates:
        counter[0] += 1
        invoice = str(500000 + counter[0])
        for _ in range(1 + int(rng.poisson(extra_lines))):
            item = _pick_item(rng, pools, favorite, cheap)
            qty = 1 + int(rng.poisson(extra_qty))
            ts = date + int(rng.integers(8 * 60, 22 * 60)) * _NS_PER_MINUTE
            lines.add(invoice, cid, ts, item, qty)
            if ts <= _END_NS:
                last_buy = max(last_buy, ts)
            if rng.random() < p_return:
                lines.add("C" + invoice, cid, ts + int(rng.integers(3, 20)) * _NS_PER_DAY, item, -qty)
    return last_buy


def _feedback(rng, orders: pd.DataFrame, truth: pd.DataFrame, n: int) -> pd.DataFrame:
    buyers = orders[orders["quantity"] > 0].dropna(subset=["customer_id"])
    picks = buyers.iloc[rng.choice(len(buyers), size=min(n, len(buyers)), replace=False)]
    unhappy = set(truth.loc[truth["segment"].eq("Drifting away"), "customer_id"])
    moods = {p_neg: _Choice(["neg", "neu", "pos"], [p_neg, 0.2, 0.8 - p_neg]) for p_neg in (0.55, 0.15)}
    neg_stars, neu_stars, pos_stars, neutral = (
        _Choice([1, 2, 2, 3]),
        _Choice([3, 3, 4]),
        _Choice([4, 5, 5]),
        _Choice(text.NEUTRAL),
    )
    stars, comments, later = [], [], []
    for cid, product in zip(picks["customer_id"].tolist(), picks["product"].tolist(), strict=True):
        mood = moods[0.55 if cid in unhappy else 0.15](rng)
        item = product.lower()
        if mood == "neg":
            pool, star = (text.COMPLAINTS if rng.random() < 0.7 else text.OTHER_NEG), neg_stars(rng)
        elif mood == "neu":
            pool, star = text.NEUTRAL, neu_stars(rng)
        else:
            pool, star = text.PRAISE, pos_stars(rng)
        count = min(len(pool), 1 + int(rng.poisson(0.6)))
        sentences = [pool[j].format(item=item) for j in rng.choice(len(pool), count, replace=False)]
        if mood != "neu" and rng.random() < 0.3:
            sentences.append(neutral(rng).format(item=item))
        later.append(int(rng.integers(2, 15)))
        stars.append(star)
        comments.append(" ".join(sentences))
    when = picks["date"].reset_index(drop=True) + pd.to_timedelta(later, unit="D")
    return pd.DataFrame(
        {
            "feedback_id": [f"F{k + 1:05d}" for k in range(len(picks))],
            "customer_id": picks["customer_id"].to_numpy(),
            "date": when.clip(upper=END).dt.strftime("%Y-%m-%d"),
            "stars": np.array(stars, dtype=np.int64),
            "comment": comments,
        }
    )


def _ratings(rng, orders: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    favorite = truth.set_index("customer_id")["favorite_category"]
    pairs = orders[orders["quantity"] > 0].dropna(subset=["customer_id"]).drop_duplicates(["customer_id", "sku"])
    pairs = pairs.sample(frac=0.35, random_state=int(rng.integers(1 << 31)))
    liked = (pairs["category"].to_numpy() == favorite.reindex(pairs["customer_id"]).to_numpy()).astype(float)
    score = 3.0 + 1.2 * liked + rng.normal(0, 0.8, len(pairs))
    return pd.DataFrame(
        {
            "customer_id": pairs["customer_id"].to_numpy(),
            "sku": pairs["sku"].to_numpy(),
            "rating": np.clip(np.rint(score), 1, 5).astype(int),
        }
    )


def generate(seed: int = 0, n_customers: int = 2000) -> DemoShop:
    """Build the demo shop; the same seed always gives the same tables.

    Every random draw is made one customer (and one order line) at a time, in a fixed order, so a customer's
    orders depend on the customers before them only through the generator; `_Choice` keeps each draw cheap.
    """
    rng = np.random.default_rng(seed)
    catalog = _catalog(rng)
    pools = _item_pools(catalog)
    items = catalog.rename(columns={"price": "unit_price"})[["sku", "product", "category", "unit_price"]]
    names = list(_PROFILE)
    shares = np.array([_PROFILE[s][0] for s in names])
    segments = rng.choice(names, size=n_customers, p=shares / shares.sum())
    first_name, last_name, channel = _Choice(text.FIRST), _Choice(text.LAST), _Choice(text.CHANNELS)
    gender = _Choice(["female", "male", "non-binary"], [0.52, 0.45, 0.03])
    country = _Choice(text.COUNTRIES, [0.4, 0.2, 0.15, 0.1, 0.1, 0.05])
    customers, truth, lines, counter = [], [], _Lines(), [0]
    churned_before = _END_NS - 90 * _NS_PER_DAY
    for i, segment in enumerate(segments.tolist()):
        cid = f"C{i + 1:05d}"
        first, last = first_name(rng), last_name(rng)
        if segment == "Bargain hunters":
            signup = _END_NS - int(rng.integers(200, 300)) * _NS_PER_DAY
        else:
            signup = START.value + int(rng.integers(0, 200)) * _NS_PER_DAY
        p_return = _PROFILE[segment][4]
        if segment == "Drifting away":
            stop = signup + int(rng.integers(150, 330)) * _NS_PER_DAY
        elif segment == "Bargain hunters":
            stop = _END_NS
        else:  # loyal customers who return a lot are the ones who leave (a planted churn driver)
            p_return = float(rng.uniform(0, 5 * p_return))
            churn_p = _PROFILE[segment][6] + 1.2 * p_return
            stop = _END_NS - int(rng.integers(100, 220)) * _NS_PER_DAY if rng.random() < churn_p else _END_NS
        favorite = _ANY_CATEGORY(rng)
        last_buy = _customer_orders(rng, cid, segment, favorite, signup, stop, p_return, pools, counter, lines)
        age = int(min(max(rng.normal(_PROFILE[segment][5], 5), 18), 80))
        customers.append(
            {
                "customer_id": cid,
                "name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}{i}@example.com".replace("ü", "ue"),
                "phone": f"+44 7{rng.integers(100, 999)} {rng.integers(100000, 999999)}",
                "signup_date": pd.Timestamp(signup).date().isoformat(),
                "age": age if rng.random() > 0.02 else np.nan,
                "gender": gender(rng),
                "country": country(rng),
                "channel": channel(rng),
            }
        )
        truth.append(
            {
                "customer_id": cid,
                "segment": segment,
                "churned": last_buy < churned_before,
                "favorite_category": favorite,
            }
        )
    orders = lines.frame(items).sort_values("date", kind="stable").reset_index(drop=True)
    guest = rng.random(len(orders)) < 0.01
    orders["customer_id"] = orders["customer_id"].astype(object).where(~guest, None)
    orders = pd.concat([orders, orders.iloc[rng.choice(len(orders), 15, replace=False)]]).sort_values(
        "date", kind="stable"
    )
    orders["date"] = orders["date"].dt.strftime("%Y-%m-%d %H:%M")
    orders["currency"] = "GBP"  # a shop export names its currency, as Shopify, Etsy and PayPal do
    truth_df = pd.DataFrame(truth)
    tmp = orders.assign(date=pd.to_datetime(orders["date"]))
    feedback = _feedback(rng, tmp, truth_df, n=3000)
    ratings = _ratings(rng, tmp, truth_df)
    return DemoShop(
        customers=pd.DataFrame(customers),
        orders=orders.reset_index(drop=True),
        feedback=feedback,
        ratings=ratings,
        truth=truth_df,
    )
