"""A deterministic demo shop: customers, order lines, feedback and product ratings, with the planted truth.

"Bean & Leaf" sells coffee, tea and kitchen things online. Four kinds of
customers are planted (`SEGMENTS`), churn is driven by the columns in
`CHURN_DRIVERS`, unhappy customers mostly complain about `COMPLAINT_TOPIC`,
and each customer prefers one product category. Tests check that the
analyses recover this truth; the app opens on it when nothing is uploaded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

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

_FIRST = [
    "Anna",
    "Ben",
    "Chloe",
    "David",
    "Emma",
    "Felix",
    "Grace",
    "Hugo",
    "Iris",
    "Jack",
    "Kara",
    "Liam",
    "Mia",
    "Noah",
    "Olivia",
    "Paul",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Will",
    "Xena",
    "Yusuf",
    "Zoe",
]
_LAST = [
    "Smith",
    "Jones",
    "Brown",
    "Garcia",
    "Müller",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Nguyen",
    "Okafor",
    "Silva",
    "Jensen",
    "Novak",
    "Kim",
    "Patel",
    "Hughes",
    "Murphy",
    "Costa",
    "Weber",
    "Larsen",
]
_COUNTRIES = ["United Kingdom", "Germany", "France", "Netherlands", "Ireland", "Spain"]
_CHANNELS = ["Search", "Instagram", "Friend referral", "Newsletter", "Marketplace"]

_PRAISE = [
    "The {item} tastes amazing, I love it.",
    "Great quality and lovely packaging.",
    "Excellent {item}, fresh and full of flavour.",
    "Friendly customer service, they answered within an hour.",
    "Best {item} I have tried, highly recommend.",
    "Really good value for the price.",
    "My new favourite shop, wonderful selection.",
    "The {item} is perfect, thank you!",
]
_COMPLAINTS = [
    "The delivery was late again and the box arrived damaged.",
    "Delivery took two weeks, very disappointing.",
    "The courier lost my parcel and delivery support was useless.",
    "Terrible delivery experience, the package was crushed.",
    "Delivery was delayed three times, I am frustrated.",
    "The {item} arrived broken because of careless delivery.",
]
_OTHER_NEG = [
    "The {item} was stale and bitter, not good.",
    "Too expensive for what you get.",
    "The website checkout is confusing and slow.",
]
_NEUTRAL = [
    "Ordered the {item} for my office.",
    "It is a {item}, does the job.",
    "Second order this year.",
    "Bought it as a gift for my sister.",
]


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


def _catalog(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for c, (category, names) in enumerate(_CATEGORIES.items()):
        base = [14, 9, 28, 16, 7, 35][c]
        for i, name in enumerate(names):
            price = round(float(base * rng.lognormal(0, 0.35)), 2)
            rows.append({"sku": f"SKU-{c + 1}{i + 1:02d}", "product": name, "category": category, "price": price})
    return pd.DataFrame(rows)


def _item_pools(catalog: pd.DataFrame) -> dict[tuple[str, bool], tuple[np.ndarray, np.ndarray]]:
    """Per (category, cheap-only): item indices and their popularity weights (a long tail)."""
    pools = {}
    for category in _CATEGORIES:
        idx = np.flatnonzero((catalog["category"] == category).to_numpy())
        prices = catalog["price"].to_numpy()[idx]
        for cheap in (False, True):
            chosen = idx[prices <= np.median(prices)] if cheap else idx
            weights = 1.0 / np.arange(1, len(chosen) + 1) ** 0.8
            pools[(category, cheap)] = (chosen, weights / weights.sum())
    return pools


def _pick_item(rng: np.random.Generator, pools: dict, favorite: str, cheap: bool) -> int:
    category = favorite if rng.random() < 0.8 else rng.choice(list(_CATEGORIES))
    idx, p = pools[(category, cheap)]
    return int(rng.choice(idx, p=p))


def _customer_orders(rng, cid, segment, favorite, signup, stop, p_return, catalog, pools, counter) -> list[dict]:
    _, gap, extra_lines, extra_qty, _, _, _ = _PROFILE[segment]
    cheap = segment == "Bargain hunters"
    if cheap:
        n = int(rng.integers(1, 4))
        days = np.sort(rng.uniform(0, max(1.0, min(120.0, (stop - signup).days)), n))
        dates = [signup + pd.Timedelta(days=float(d)) for d in days]
    else:
        dates, t, g = [], signup, float(gap)
        while t < stop:
            dates.append(t)
            if segment == "Drifting away":
                g *= 1.08
            t = t + pd.Timedelta(days=float(rng.gamma(4.0, g / 4.0)))
    lines = []
    for date in dates:
        counter[0] += 1
        invoice = str(500000 + counter[0])
        for _ in range(1 + int(rng.poisson(extra_lines))):
            item = _pick_item(rng, pools, favorite, cheap)
            qty = 1 + int(rng.poisson(extra_qty))
            ts = date + pd.Timedelta(minutes=int(rng.integers(8 * 60, 22 * 60)))
            line = {"invoice": invoice, "customer_id": cid, "date": ts, **catalog[item], "quantity": qty}
            lines.append(line)
            if rng.random() < p_return:
                back = dict(
                    line, invoice="C" + invoice, quantity=-qty, date=ts + pd.Timedelta(days=int(rng.integers(3, 20)))
                )
                if back["date"] <= END:
                    lines.append(back)
    return [x for x in lines if x["date"] <= END]


def _feedback(rng, orders: pd.DataFrame, truth: pd.DataFrame, n: int) -> pd.DataFrame:
    buyers = orders[orders["quantity"] > 0].dropna(subset=["customer_id"])
    picks = buyers.iloc[rng.choice(len(buyers), size=min(n, len(buyers)), replace=False)]
    unhappy = truth.set_index("customer_id")["segment"].eq("Drifting away")
    rows = []
    for k, (_, o) in enumerate(picks.iterrows()):
        p_neg = 0.55 if unhappy.get(o["customer_id"], False) else 0.15
        mood = rng.choice(["neg", "neu", "pos"], p=[p_neg, 0.2, 0.8 - p_neg])
        item = o["product"].lower()
        if mood == "neg":
            pool, stars = (_COMPLAINTS if rng.random() < 0.7 else _OTHER_NEG), int(rng.choice([1, 2, 2, 3]))
        elif mood == "neu":
            pool, stars = _NEUTRAL, int(rng.choice([3, 3, 4]))
        else:
            pool, stars = _PRAISE, int(rng.choice([4, 5, 5]))
        count = min(len(pool), 1 + int(rng.poisson(0.6)))
        sentences = [pool[j].format(item=item) for j in rng.choice(len(pool), count, replace=False)]
        if mood != "neu" and rng.random() < 0.3:
            sentences.append(rng.choice(_NEUTRAL).format(item=item))
        when = o["date"] + pd.Timedelta(days=int(rng.integers(2, 15)))
        rows.append(
            {
                "feedback_id": f"F{k + 1:05d}",
                "customer_id": o["customer_id"],
                "date": min(when, END).date().isoformat(),
                "stars": stars,
                "comment": " ".join(sentences),
            }
        )
    return pd.DataFrame(rows)


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
    """Build the demo shop; the same seed always gives the same tables."""
    rng = np.random.default_rng(seed)
    catalog = _catalog(rng)
    pools = _item_pools(catalog)
    items = catalog.rename(columns={"price": "unit_price"})[["sku", "product", "category", "unit_price"]]
    items = items.to_dict("records")
    names = list(_PROFILE)
    shares = np.array([_PROFILE[s][0] for s in names])
    segments = rng.choice(names, size=n_customers, p=shares / shares.sum())
    customers, truth, lines, counter = [], [], [], [0]
    for i, segment in enumerate(segments):
        cid = f"C{i + 1:05d}"
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        if segment == "Bargain hunters":
            signup = END - pd.Timedelta(days=int(rng.integers(200, 300)))
        else:
            signup = START + pd.Timedelta(days=int(rng.integers(0, 200)))
        p_return = _PROFILE[segment][4]
        if segment == "Drifting away":
            stop = signup + pd.Timedelta(days=int(rng.integers(150, 330)))
        elif segment == "Bargain hunters":
            stop = END
        else:  # loyal customers who return a lot are the ones who leave (a planted churn driver)
            p_return = float(rng.uniform(0, 5 * p_return))
            churn_p = _PROFILE[segment][6] + 1.2 * p_return
            stop = END - pd.Timedelta(days=int(rng.integers(100, 220))) if rng.random() < churn_p else END
        favorite = str(rng.choice(list(_CATEGORIES)))
        customer_lines = _customer_orders(rng, cid, segment, favorite, signup, stop, p_return, items, pools, counter)
        lines.extend(customer_lines)
        last_buy = max((x["date"] for x in customer_lines if x["quantity"] > 0), default=signup)
        age = int(np.clip(rng.normal(_PROFILE[segment][5], 5), 18, 80))
        customers.append(
            {
                "customer_id": cid,
                "name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}{i}@example.com".replace("ü", "ue"),
                "phone": f"+44 7{rng.integers(100, 999)} {rng.integers(100000, 999999)}",
                "signup_date": signup.date().isoformat(),
                "age": age if rng.random() > 0.02 else np.nan,
                "gender": rng.choice(["female", "male", "non-binary"], p=[0.52, 0.45, 0.03]),
                "country": rng.choice(_COUNTRIES, p=[0.4, 0.2, 0.15, 0.1, 0.1, 0.05]),
                "channel": rng.choice(_CHANNELS),
            }
        )
        truth.append(
            {
                "customer_id": cid,
                "segment": segment,
                "churned": bool(last_buy < END - pd.Timedelta(days=90)),
                "favorite_category": favorite,
            }
        )
    orders = pd.DataFrame(lines).sort_values("date", kind="stable").reset_index(drop=True)
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
