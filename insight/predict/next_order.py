"""When each repeat buyer will order next: their own rhythm or the BG/NBD purchase model, whichever a backtest
prefers, checked against the simplest guess, "the shop's typical gap".

Three predictors give every repeat buyer (two or more purchase days) an expected next-order date, or call them
lapsed (no date expected):

- the shop's typical gap (the baseline): last order + the median of the repeat buyers' own gaps, lapsed after
  twice that;
- the customer's own rhythm: their gaps follow a gamma distribution around their own mean gap (with the shop's
  typical gap counted as one more gap, so two orders do not make a rhythm on their own) and a regularity (shape)
  shared by the shop, estimated from the customers with several gaps. The date is the median of the gap given the
  days already waited; lapsed when a wait this long happens less than once in 20 gaps;
- BG/NBD (`insight.predict.clv`): the median wait until the next purchase given the customer is still buying,
  lapsed when P(alive) is under a half.

A date already past becomes the day after the reference date, the earliest an order can still come. The backtest
hides the last N days (twice the typical gap, 30 to 180 days), predicts from the rest who orders within them and
when, and compares each predictor's errors with the baseline's. One-order customers get no date, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import gamma

from insight.errors import NotEnoughData, SchemaError
from insight.formats import Figure
from insight.i18n import N_, Message
from insight.predict import clv
from insight.verdict import RELIABLE, ROUGH, UNRELIABLE, Verdict

LAPSE = 2.0  # the baseline: more than twice the typical gap since the last order is lapsed
LAPSE_CHANCE = 0.05  # own rhythm: lapsed when a wait this long happens in under 1 of 20 of the customer's gaps
MIN_GAPS = 3  # customers with at least 3 gaps show how regular the shop's customers are
SHAPE_RANGE = (0.5, 20.0)  # the shared gamma shape stays between very irregular and clockwork
MAX_GAPS_AHEAD = 5  # a predicted wait is capped at 5 gaps beyond the days already waited
HOLDOUT_GAPS = 2.0  # the backtest hides twice the shop's typical gap ...
HOLDOUT_DAYS = (30, 180)  # ... kept between a month and half a year
MIN_ORDERED = 20  # customers who ordered in the hidden days: fewer, and "when" cannot be judged
RELIABLE_ORDERED = 50
RELIABLE_GAIN = 0.2  # reliable: dates a fifth closer on average than the typical gap's ...
ROUGH_GAIN = 0.1  # (rough: a tenth closer) ...
WHO_SLACK = 0.02  # ... while at most 2 in 100 more customers are called wrongly on who orders ...
# ... and off by at most half a typical gap: when customers order at random (no rhythm), even the best guess of the
# next order is off by about 0.7 of a gap (the mean distance of an exponential wait from its median), so a date that
# close says there is a rhythm to plan around
PRECISE_GAPS = 0.5
RHYTHM, MODEL, BASELINE = N_("own rhythm"), N_("purchase model (BG/NBD)"), N_("shop's typical gap")  # keys too
BASELINE_TEXT = Message(N_("the shop's typical gap between orders, the same for every customer"))
ONE_ORDER = "one order so far: no rhythm to go by"


def purchase_days(transactions: pd.DataFrame) -> pd.DataFrame:
    """One row per (customer, day with a purchase): returns (negative amounts or quantities) are no purchases."""
    for col in ("customer_id", "timestamp"):
        if col not in transactions.columns:
            raise SchemaError(
                N_("The next order date needs a '{col}' column in the orders; map it on the Data page."), col=col
            )
    tx = transactions.dropna(subset=["customer_id", "timestamp"])
    keep = pd.Series(True, index=tx.index)
    for col in ("amount", "quantity"):
        if col in tx:
            keep &= ~(tx[col] < 0)
    tx = tx[keep]
    days = pd.DataFrame({"customer_id": tx["customer_id"].astype(str), "day": tx["timestamp"].dt.normalize()})
    return days.drop_duplicates().sort_values(["customer_id", "day"], kind="stable").reset_index(drop=True)


def rhythm(days: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per customer up to `as_of`: orders (purchase days), first and last order, days since the last, and the
    usual gap (mean days between orders; NaN for one order)."""
    seen = days[days["day"] <= as_of]
    g = seen.groupby("customer_id", sort=True)["day"]
    out = pd.DataFrame({"orders": g.size(), "first_order": g.min(), "last_order": g.max()})
    span = (out["last_order"] - out["first_order"]).dt.days
    out["usual_gap_days"] = (span / (out["orders"] - 1)).where(out["orders"] > 1)
    out["days_since_last"] = (as_of.normalize() - out["last_order"]).dt.days
    return out


def typical_gap(table: pd.DataFrame) -> float:
    """The shop's typical gap: the median of the repeat buyers' usual gaps (at least one day)."""
    gaps = table["usual_gap_days"].dropna()
    if gaps.empty:
        raise NotEnoughData(N_("The next order date needs repeat buyers; every customer here ordered only once."))
    return max(1.0, float(gaps.median()))


def own_gap(table: pd.DataFrame, shop_gap: float) -> pd.Series:
    """Each repeat buyer's mean gap with the shop's typical gap counted as one more gap."""
    gaps = table["orders"] - 1
    return (table["usual_gap_days"] * gaps + shop_gap) / (gaps + 1)


def regularity(days: pd.DataFrame) -> float:
    """How regular the gaps between one customer's orders are, shared by the shop: the gamma shape 1 / CV², from
    the customers with at least `MIN_GAPS` gaps (each customer's squared coefficient of variation, weighted by
    their degrees of freedom). 1 is no rhythm at all (orders at random), 4 is a gap of 30 ± 15 days."""
    gaps = days.groupby("customer_id")["day"].diff().dt.days.dropna()
    stats = gaps.groupby(days.loc[gaps.index, "customer_id"]).agg(["size", "mean", "var"])
    stats = stats[(stats["size"] >= MIN_GAPS) & (stats["mean"] > 0)]
    if stats.empty:
        return 1.0
    weight = stats["size"] - 1
    cv2 = float((stats["var"] / stats["mean"] ** 2 * weight).sum() / weight.sum())
    return float(np.clip(1.0 / cv2, *SHAPE_RANGE)) if cv2 > 0 else SHAPE_RANGE[1]


def _rhythm_dates(
    table: pd.DataFrame, gap: pd.Series, shape: float, as_of: pd.Timestamp
) -> tuple[pd.Series, pd.Series]:
    """By each customer's gamma-distributed gap: the median next-order day given the days already waited (no
    earlier than the day after `as_of`), and lapsed when a wait this long has under `LAPSE_CHANCE` chance."""
    waited = table["days_since_last"].astype(float)
    dist = gamma(shape, scale=gap / shape)
    tail = dist.sf(waited)
    gap_now = np.minimum(dist.isf(tail / 2), waited + MAX_GAPS_AHEAD * gap)  # median of the gap given it is > waited
    due = table["last_order"] + pd.to_timedelta(np.round(gap_now), unit="D")
    earliest = as_of.normalize() + pd.Timedelta(days=1)
    return due.where(due >= earliest, earliest), pd.Series(tail < LAPSE_CHANCE, index=table.index)


def _typical_dates(table: pd.DataFrame, shop_gap: float, as_of: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """The baseline: everyone orders every `shop_gap` days (no earlier than the day after `as_of`), lapsed
    after `LAPSE` gaps."""
    due = table["last_order"] + pd.Timedelta(days=round(shop_gap))
    earliest = as_of.normalize() + pd.Timedelta(days=1)
    return due.where(due >= earliest, earliest), table["days_since_last"] > LAPSE * shop_gap


def _model_dates(table: pd.DataFrame, as_of: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """BG/NBD fitted on everyone's history to `as_of`: the day after the median wait to the next purchase if still
    buying, and lapsed when P(alive) is under a half."""
    week = 7.0
    rft = pd.DataFrame(
        {
            "frequency": (table["orders"] - 1).astype(float),
            "recency": (table["last_order"] - table["first_order"]).dt.days / week,
            "T": (as_of.normalize() - table["first_order"]).dt.days / week,
        },
        index=table.index,
    )
    model, _ = clv.fit_bgnbd(rft)
    shape, scale = model.r_ + rft["frequency"], model.alpha_ + rft["T"]
    wait_days = scale * (2.0 ** (1.0 / shape) - 1.0) * week
    p_alive = pd.Series(model.p_alive(rft["frequency"], rft["recency"], rft["T"]), index=table.index)
    due = as_of.normalize() + pd.to_timedelta(np.ceil(wait_days.clip(lower=1.0)), unit="D")
    return due, p_alive < 0.5


def predict_dates(table: pd.DataFrame, method: str, shop_gap: float, shape: float, as_of: pd.Timestamp) -> pd.DataFrame:
    """`next_order` and `lapsed` per repeat buyer of `table` by one predictor (RHYTHM, MODEL or BASELINE)."""
    repeat = table[table["orders"] > 1]
    if method == MODEL:
        due, lapsed = _model_dates(table, as_of)
        due, lapsed = due.loc[repeat.index], lapsed.loc[repeat.index]
    elif method == RHYTHM:
        due, lapsed = _rhythm_dates(repeat, own_gap(repeat, shop_gap), shape, as_of)
    else:
        due, lapsed = _typical_dates(repeat, shop_gap, as_of)
    return pd.DataFrame({"next_order": due, "lapsed": lapsed.astype(bool)})


def holdout_days(shop_gap: float) -> int:
    """How many final days the backtest hides: twice the typical gap, within `HOLDOUT_DAYS`."""
    low, high = HOLDOUT_DAYS
    return int(np.clip(round(HOLDOUT_GAPS * shop_gap), low, high))


def _scores(pred: pd.DataFrame, actual: pd.Series, cut: pd.Timestamp, window: int) -> dict[str, float]:
    """Share of customers rightly called ordering / not ordering within the window, and the mean days between
    the predicted and the actual next order of those who did order."""
    ordered = actual.notna()
    says_yes = ~pred["lapsed"] & (pred["next_order"] <= cut + pd.Timedelta(days=window))
    error = (pred["next_order"] - actual).dt.days.abs()[ordered]
    return {"who_accuracy": float((says_yes == ordered).mean()), "when_error_days": float(error.mean())}


def backtest(days: pd.DataFrame, end: pd.Timestamp) -> dict[str, Any]:
    """Hide the last N days, predict who of the repeat buyers orders within them and when, by each predictor.

    Returns `holdout_days`, `cutoff`, `customers` (repeat buyers at the cutoff), `ordered` (of them, how many
    ordered in the hidden days), the `typical_gap_days` and `regularity` seen at the cutoff, and per predictor
    (`baseline`, `rhythm`, `model`) its `who_accuracy` and `when_error_days`, or `skipped` with why. Raises
    NotEnoughData when the history is too short or too few repeat buyers ordered in the hidden days.
    """
    full_gap = typical_gap(rhythm(days, end))
    window = holdout_days(full_gap)
    cut = end.normalize() - pd.Timedelta(days=window)
    if days["day"].min() > cut - pd.Timedelta(days=window):
        raise NotEnoughData(
            N_(
                "Checking next-order dates hides the last {window} days and needs at least as much history "
                "before them; this order history is shorter. A longer export helps."
            ),
            window=window,
        )
    before = rhythm(days, cut)
    shop_gap, shape = typical_gap(before), regularity(days[days["day"] <= cut])
    repeat = before.index[before["orders"] > 1]
    after = days[(days["day"] > cut) & (days["day"] <= end)].groupby("customer_id")["day"].min()
    actual = after.reindex(repeat)
    ordered = int(actual.notna().sum())
    out: dict[str, Any] = {
        "holdout_days": window,
        "cutoff": cut.date().isoformat(),
        "customers": len(repeat),
        "ordered": ordered,
        "typical_gap_days": shop_gap,
        "regularity": shape,
    }
    if ordered < MIN_ORDERED:
        raise NotEnoughData(
            N_(
                "Only {ordered} repeat buyers ordered in the last {window} days, too few to check "
                "next-order dates (at least {min_ordered} needed)."
            ),
            ordered=ordered,
            window=window,
            min_ordered=MIN_ORDERED,
        )
    for name, key in ((BASELINE, "baseline"), (RHYTHM, "rhythm"), (MODEL, "model")):
        try:
            out[key] = _scores(predict_dates(before, name, shop_gap, shape, cut).loc[repeat], actual, cut, window)
        except NotEnoughData as exc:  # the model cannot be fitted on this history
            out[key] = {"skipped": str(exc)}
    return out


CANDIDATES = {RHYTHM: "rhythm", MODEL: "model"}


def choose(test: dict[str, Any]) -> tuple[str, Verdict]:
    """The candidate the backtest prefers (the better verdict, then the closer dates) and its verdict."""
    judged = [(name, judge(test, name)) for name, key in CANDIDATES.items() if "skipped" not in test[key]]
    rank = {RELIABLE: 0, ROUGH: 1, UNRELIABLE: 2}
    return min(judged, key=lambda j: (rank[j[1].trust], test[CANDIDATES[j[0]]]["when_error_days"]))


def judge(test: dict[str, Any], name: str) -> Verdict:
    """How far to trust one candidate's dates against the shop's typical gap, from the backtest's figures:
    reliable when its dates are at least `RELIABLE_GAIN` closer on average and off by at most `PRECISE_GAPS` of a
    typical gap, it tells who orders at least as well (within `WHO_SLACK`) and it was checked on `RELIABLE_ORDERED`
    customers; rough from `ROUGH_GAIN`; else unreliable (being right about who is still buying is not enough: the
    dates are what is shown)."""
    mine, base = test[CANDIDATES[name]], test["baseline"]
    gain = 1 - mine["when_error_days"] / base["when_error_days"] if base["when_error_days"] > 0 else 0.0
    who_ok = mine["who_accuracy"] >= base["who_accuracy"] - WHO_SLACK
    figures = Message(
        N_(
            "Hiding the last {holdout} days, the {name} dated the next order of the {ordered} repeat buyers who did "
            "order {error:.0f} days off on average, against {base_error:.0f} for the shop's typical gap of "
            "{gap:.0f} days; it was right about who orders for {who} of {customers} repeat buyers ({base_who} with "
            "the typical gap)."
        ),
        holdout=test["holdout_days"],
        name=Message(name),
        ordered=Figure(test["ordered"], "count"),
        error=mine["when_error_days"],
        base_error=base["when_error_days"],
        gap=test["typical_gap_days"],
        who=Figure(mine["who_accuracy"], "share"),
        customers=Figure(test["customers"], "count"),
        base_who=Figure(base["who_accuracy"], "share"),
    )
    precise = mine["when_error_days"] <= PRECISE_GAPS * test["typical_gap_days"]
    if gain >= RELIABLE_GAIN and who_ok and precise and test["ordered"] >= RELIABLE_ORDERED:
        return Verdict(RELIABLE, figures + Message(N_("Plan around these dates.")), BASELINE_TEXT)
    if gain >= ROUGH_GAIN and who_ok:
        guide = N_("Treat the dates as a rough guide.")
        if not precise:
            guide = N_(
                "Treat the dates as a rough guide (off by more than half a typical gap: customers here order with "
                "little rhythm)."
            )
        return Verdict(ROUGH, figures + Message(guide), BASELINE_TEXT)
    if gain >= ROUGH_GAIN:
        why = N_(
            "Its dates are closer, but it tells who orders worse than the typical gap does, so no dates are shown."
        )
    else:
        why = N_(
            "Its dates are no closer than assuming every customer orders at the typical gap, so no dates are shown."
        )
    return Verdict(UNRELIABLE, figures + Message(why), BASELINE_TEXT)


@dataclass(frozen=True)
class NextOrder:
    """Next-order dates per customer (`table`), the predictor used, the backtest and the verdict."""

    table: pd.DataFrame
    method: str
    as_of: pd.Timestamp
    typical_gap_days: float
    backtest: dict[str, Any]
    verdict: Verdict

    def summary(self) -> dict[str, Any]:
        """The JSON `next_order` key: customers with a date and their median days to it (None when the dates are
        withheld as unreliable), the backtest and the verdict."""
        dated = self.table["next_order"].notna()
        shown = self.verdict.usable and bool(dated.any())
        return {
            "customers": int(dated.sum()) if self.verdict.usable else None,
            "median_days": float(self.table.loc[dated, "days_to_next"].median()) if shown else None,
            "method": self.method,
            "as_of": self.as_of.date().isoformat(),
            "typical_gap_days": self.typical_gap_days,
            "backtest": self.backtest,
            "verdict": self.verdict.summary(),
        }


def _reasons(table: pd.DataFrame, pred: pd.DataFrame, method: str) -> pd.Series:
    """Why a customer has no date: one order, or lapsed (in the words of the predictor that said so)."""
    note = pd.Series(ONE_ORDER, index=table.index, dtype=object)
    lapsed = pred.index[pred["lapsed"]]
    since = table.loc[lapsed, "days_since_last"]
    if method == MODEL:
        text = [f"lapsed: no order for {d:.0f} days, the purchase model thinks they stopped" for d in since]
    else:
        gaps = table.loc[lapsed, "usual_gap_days"]
        text = [
            f"lapsed: no order for {d:.0f} days; with their usual gap of {g:.0f}, a wait this long is rare"
            for d, g in zip(since, gaps, strict=True)
        ]
    note.loc[lapsed] = text
    note.loc[pred.index[~pred["lapsed"]]] = None
    return note


def next_order(transactions: pd.DataFrame) -> NextOrder:
    """Every customer's expected next order date by the predictor the backtest prefers, with its verdict (unreliable,
    and no dates, when the backtest cannot be run). Raises NotEnoughData without repeat buyers."""
    days = purchase_days(transactions)
    if days.empty:
        raise NotEnoughData(N_("The next order date needs dated orders with a customer column."))
    end = days["day"].max()
    try:
        test = backtest(days, end)
        method, verdict = choose(test)
        test["chosen"] = method
    except NotEnoughData as exc:
        test, method = {"skipped": str(exc)}, RHYTHM
        unchecked = Message(N_("The dates could not be checked, so none are shown."))
        verdict = Verdict(UNRELIABLE, unchecked + exc.message, BASELINE_TEXT)
    table = rhythm(days, end)
    shop_gap = typical_gap(table)
    pred = predict_dates(table, method, shop_gap, regularity(days), end)
    out = table.assign(next_order=pred["next_order"].where(~pred["lapsed"]).reindex(table.index))
    out["days_to_next"] = (out["next_order"] - end).dt.days
    due = out["last_order"] + pd.to_timedelta(out["usual_gap_days"].round(), unit="D")
    out["overdue_days"] = (end - due).dt.days.where(lambda d: d > 0)
    out["no_date_because"] = _reasons(table, pred, method)
    out = out.rename_axis("customer_id").reset_index()
    return NextOrder(out, method, end, shop_gap, test, verdict)
