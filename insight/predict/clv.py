"""Customer lifetime value with the buy-till-you-die models, implemented from the published likelihoods.

BG/NBD (Fader, Hardie & Lee 2005) models how often a customer buys and when they silently stop:
it gives the expected number of purchases in a future window and P(alive). Gamma-Gamma (Fader,
Hardie & Lee 2005, "RFM and CLV") models the spend per purchase. Together they give a 12-month
CLV per customer. Only scipy is needed; the shapes follow lifetimes'
`summary_data_from_transaction_data` so the published CDNOW parameters are reproduced.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1

from insight.errors import NotEnoughData, SchemaError
from insight.i18n import N_, _, pgettext
from insight.predict.trust import judge_lifetime
from insight.verdict import Verdict

MIN_CUSTOMERS = 50
TRUST_CUSTOMERS = 500
TRUST_HISTORY_DAYS = 180
SHRINK_PENALIZER = 0.01
BACKTEST_SHARE = 3  # the backtest holds out the last horizon only when the history is at least 3 horizons long
ONE_TIME_NOTE = (
    "P(alive) is left blank for customers who bought only once: the model assumes nobody leaves before a "
    "second purchase, so it would call every one of them 100% alive. Their churn risk is the better guide."
)


def rft_summary(
    transactions: pd.DataFrame,
    *,
    observation_end: pd.Timestamp | str | None = None,
    time_unit_days: float = 7.0,
) -> pd.DataFrame:
    """One row per customer: `frequency`, `recency`, `T`, `monetary_value` (lifetimes' shape).

    Several purchases on one day count as one. `frequency` is the number of repeat purchase days,
    `recency` the time from the first to the last purchase day, `T` the time from the first purchase
    to `observation_end`, all in units of `time_unit_days`. `monetary_value` is the mean spend per
    repeat purchase day (the first purchase is left out), 0 for one-time buyers. Returns (negative
    amounts) lower the spend of their day but do not count as purchases.
    """
    for col in ("customer_id", "timestamp", "amount"):
        if col not in transactions.columns:
            missing = N_("Lifetime value needs a '{col}' column in the orders; map it on the Data page.")
            raise SchemaError(missing, col=col)
    tx = transactions[["customer_id", "timestamp", "amount"]].dropna(subset=["customer_id", "timestamp"])
    end = pd.Timestamp(observation_end) if observation_end is not None else tx["timestamp"].max()
    tx = tx[tx["timestamp"] <= end]
    day = tx["timestamp"].dt.normalize()
    daily = (
        tx.assign(day=day, buy=tx["amount"].isna() | (tx["amount"] >= 0))
        .groupby(["customer_id", "day"], sort=True)
        .agg(spend=("amount", "sum"), buy=("buy", "any"))
        .reset_index()
    )
    daily = daily[daily["buy"]]
    g = daily.groupby("customer_id", sort=True)
    first, last, days = g["day"].min(), g["day"].max(), g.size()
    first_spend = g["spend"].first()
    repeat_spend = g["spend"].sum() - first_spend
    out = pd.DataFrame(
        {
            "customer_id": first.index.astype(str),
            "frequency": (days - 1).to_numpy(dtype=float),
            "recency": ((last - first).dt.days / time_unit_days).to_numpy(),
            "T": ((end.normalize() - first).dt.days / time_unit_days).to_numpy(),
        }
    )
    freq = out["frequency"].to_numpy()
    out["monetary_value"] = np.where(freq > 0, repeat_spend.to_numpy() / np.maximum(freq, 1), 0.0)
    return out


def _fit_positive(neg_ll: Any, n_params: int) -> np.ndarray:
    """Minimise a negative log-likelihood over positive parameters (optimised on the log scale)."""
    best = None
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # trial steps that overflow are rejected by the optimiser
        for start in (np.zeros(n_params), np.full(n_params, 0.5)):
            res = minimize(lambda z: neg_ll(np.exp(z)), start, method="Nelder-Mead", options={"maxiter": 4000})
            res = minimize(lambda z: neg_ll(np.exp(z)), res.x, method="BFGS")
            if best is None or res.fun < best.fun:
                best = res
    return np.exp(best.x)


class BetaGeoModel:
    """BG/NBD: purchases follow a Poisson process with gamma(r, alpha) rates; after each purchase a
    customer drops out with a beta(a, b) probability. Fitted attributes: `r_`, `alpha_`, `a_`, `b_`.
    """

    def __init__(self, *, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    @staticmethod
    def _log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        r, alpha, a, b = params
        a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
        a3 = -(r + x) * np.log(alpha + T)
        with np.errstate(divide="ignore", invalid="ignore"):
            a4 = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x)
        return a1 + a2 + np.where(x > 0, np.logaddexp(a3, a4), a3)

    def fit(self, frequency: Any, recency: Any, T: Any) -> BetaGeoModel:
        """Maximum-likelihood fit on one row per customer (frequency, recency, T)."""
        x, t_x, big_t = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
        if len(x) < MIN_CUSTOMERS:
            need = N_("Lifetime value needs at least {min_customers} customers; got {n}.")
            raise NotEnoughData(need, min_customers=MIN_CUSTOMERS, n=len(x))
        if not (x > 0).any():
            raise NotEnoughData(N_("Lifetime value needs some repeat buyers; every customer bought only once."))

        def neg_ll(p: np.ndarray) -> float:
            penalty = self.penalizer * np.sum(p**2)
            return -self._log_likelihood(p, x, t_x, big_t).mean() + penalty

        self.r_, self.alpha_, self.a_, self.b_ = (float(v) for v in _fit_positive(neg_ll, 4))
        self.log_likelihood_ = float(self._log_likelihood(self.params_, x, t_x, big_t).sum())
        return self

    @property
    def params_(self) -> np.ndarray:
        return np.array([self.r_, self.alpha_, self.a_, self.b_])

    def p_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(still a customer | history). BG/NBD treats customers with no repeat purchase as alive."""
        r, alpha, a, b = self.params_
        x, t_x, big_t = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
        ratio = np.exp((r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x)))
        return np.where(x > 0, 1.0 / (1.0 + a / (b + np.maximum(x, 1) - 1) * ratio), 1.0)

    def expected_purchases(self, t: float, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """Expected number of purchases in the next `t` time units, given each customer's history."""
        r, alpha, a, b = self.params_
        x, big_t = np.asarray(frequency, dtype=float), np.asarray(T, dtype=float)
        hyp = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + big_t + t))
        head = (a + b + x - 1) / (a - 1)
        body = 1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * hyp
        return head * body * self.p_alive(frequency, recency, T)


class GammaGammaModel:
    """Gamma-Gamma spend per purchase: each customer's mean spend has a gamma(q, v) prior, purchases
    vary around it with shape p. Fitted attributes: `p_`, `q_`, `v_`. Fit on repeat buyers only.
    """

    def fit(self, frequency: Any, monetary_value: Any) -> GammaGammaModel:
        """Maximum-likelihood fit on repeat buyers with a positive mean spend."""
        x, m = np.asarray(frequency, dtype=float), np.asarray(monetary_value, dtype=float)
        keep = (x > 0) & (m > 0)
        x, m = x[keep], m[keep]
        if len(x) < 20:
            raise NotEnoughData(N_("Spend per purchase needs at least 20 repeat buyers; got {n}."), n=len(x))

        def neg_ll(params: np.ndarray) -> float:
            p, q, v = params
            ll = (
                gammaln(p * x + q)
                - gammaln(p * x)
                - gammaln(q)
                + q * np.log(v)
                + (p * x - 1) * np.log(m)
                + p * x * np.log(x)
                - (p * x + q) * np.log(x * m + v)
            )
            return -ll.mean()

        self.p_, self.q_, self.v_ = (float(v) for v in _fit_positive(neg_ll, 3))
        return self

    def expected_spend(self, frequency: Any, monetary_value: Any) -> np.ndarray:
        """Expected spend per future purchase; customers without repeat spend get the population mean."""
        p, q, v = self.p_, self.q_, self.v_
        x, m = np.asarray(frequency, dtype=float), np.asarray(monetary_value, dtype=float)
        population = p * v / (q - 1) if q > 1 else np.nan
        weight = p * x / (p * x + q - 1)
        conditional = (1 - weight) * population + weight * m
        return np.where((x > 0) & (m > 0), conditional, population)


def discounted_value(
    bgnbd: BetaGeoModel,
    spend: np.ndarray,
    rft: pd.DataFrame,
    *,
    months: int = 12,
    monthly_discount: float = 0.01,
    time_unit_days: float = 7.0,
) -> np.ndarray:
    """CLV over `months`: expected purchases per 30-day month x spend, discounted monthly (as lifetimes)."""
    args = (rft["frequency"], rft["recency"], rft["T"])
    total = np.zeros(len(rft))
    previous = np.zeros(len(rft))
    for i in range(1, months + 1):
        cumulative = bgnbd.expected_purchases(30 * i / time_unit_days, *args)
        total += spend * (cumulative - previous) / (1 + monthly_discount) ** i
        previous = cumulative
    return total


def _finite(model: BetaGeoModel, frequency: Any, recency: Any, T: Any) -> bool:
    """Whether P(alive) and expected purchases over the next quarter and year are numbers for everyone."""
    with np.errstate(all="ignore"):
        expected = [model.expected_purchases(t, frequency, recency, T) for t in (13.0, 53.0)]
        return all(np.isfinite(e).all() for e in [*expected, model.p_alive(frequency, recency, T)])


def _well_behaved(model: BetaGeoModel, frequency: Any, recency: Any, T: Any) -> bool:
    """False when the fit ran off to extreme parameters (no spread in purchase rates) or gives NaN."""
    return bool(np.all((model.params_ > 1e-4) & (model.params_ < 1e4))) and _finite(model, frequency, recency, T)


def fit_bgnbd(rft: pd.DataFrame) -> tuple[BetaGeoModel, bool]:
    """BG/NBD on a frequency/recency/T summary; refitted with shrinkage when the plain fit runs off.

    Returns the model and whether it had to be shrunk.
    """
    args = (rft["frequency"], rft["recency"], rft["T"])
    bg = BetaGeoModel().fit(*args)
    if _well_behaved(bg, *args):
        return bg, False
    bg = BetaGeoModel(penalizer=SHRINK_PENALIZER).fit(*args)
    if not _finite(bg, *args):
        raise NotEnoughData(
            N_(
                "The purchase timing here does not fit the lifetime value model (customers barely differ "
                "in how often they buy or whether they stop), so there is no P(alive) or CLV. A longer "
                "order history helps."
            )
        )
    return bg, True


def _plausible_spend(gg: GammaGammaModel, monetary_value: pd.Series) -> bool:
    """False when the spend model ran off (e.g. every order costs the same): its population mean spend per
    purchase must be finite and within a factor of two of the repeat buyers' observed mean."""
    observed = float(monetary_value[monetary_value > 0].mean())
    population = gg.p_ * gg.v_ / (gg.q_ - 1) if gg.q_ > 1 else np.nan
    return bool(np.isfinite(population) and 0.5 <= population / observed <= 2.0)


def _spend_per_purchase(rft: pd.DataFrame) -> tuple[GammaGammaModel | None, np.ndarray | None, str | None]:
    """Gamma-Gamma's expected spend per purchase, or each customer's average order when the model runs off
    (no money at all when there are too few repeat buyers); with a note saying which when it is not the model."""
    freq, money = rft["frequency"], rft["monetary_value"]
    try:
        gg = GammaGammaModel().fit(freq, money)
    except NotEnoughData as exc:
        return None, None, f"No lifetime value in money: {exc}"
    if _plausible_spend(gg, money):
        return gg, gg.expected_spend(freq, money), None
    repeat = (money > 0).to_numpy()
    average = float(money[repeat].mean())
    note = (
        "Spend per order barely varies here, so the spend model could not be fitted; lifetime value uses "
        "each repeat buyer's average order (the overall average for one-time buyers) instead."
    )
    return None, np.where(repeat, money.to_numpy(), average), note


@dataclass
class LifetimeValue:
    """Per-customer lifetime value table, fitted models, trust warnings, the backtest and the verdict."""

    table: pd.DataFrame
    bgnbd: BetaGeoModel
    gamma_gamma: GammaGammaModel | None
    observation_end: pd.Timestamp
    history_days: int
    horizon_days: int
    warnings: list[str] = field(default_factory=list)
    backtest: dict[str, float] | None = None
    verdict: Verdict | None = None

    def summary(self) -> dict[str, Any]:
        """The CLI's `clv` key."""
        bg = self.bgnbd
        gg = self.gamma_gamma
        return {
            "bgnbd": {"r": bg.r_, "alpha": bg.alpha_, "a": bg.a_, "b": bg.b_},
            "gamma_gamma": {"p": gg.p_, "q": gg.q_, "v": gg.v_} if gg is not None else None,
            "mean_p_alive": float(self.table["p_alive"].mean()),
            "total_clv_12m": float(self.table["clv_12m"].sum()) if "clv_12m" in self.table else None,
            "backtest": self.backtest,
        }

    def describe_fit(self) -> str:
        """The fitted parameters in one sentence."""
        bg, gg = self.bgnbd, self.gamma_gamma
        said = _("BG/NBD (purchases and drop-out): r={r:.3f}, alpha={alpha:.3f}, a={a:.3f}, b={b:.3f}.").format(
            r=bg.r_, alpha=bg.alpha_, a=bg.a_, b=bg.b_
        )
        if gg is not None:
            spend = _("Gamma-Gamma (spend per order): p={p:.2f}, q={q:.2f}, v={v:.2f}. CLV discounts 1% a month.")
            said = pgettext("two sentences", "{first} {second}").format(
                first=said, second=spend.format(p=gg.p_, q=gg.q_, v=gg.v_)
            )
        return said


def lifetime_value(
    transactions: pd.DataFrame,
    *,
    observation_end: pd.Timestamp | str | None = None,
    horizon_days: int = 90,
    months: int = 12,
    time_unit_days: float = 7.0,
) -> LifetimeValue:
    """Fit BG/NBD and Gamma-Gamma on a standard transactions frame and score every customer.

    Returns expected purchases in the next `horizon_days`, P(alive), expected spend per purchase and
    a `months`-month CLV per customer, with plain warnings when there is too little data to trust.
    """
    rft = rft_summary(transactions, observation_end=observation_end, time_unit_days=time_unit_days)
    if len(rft) < MIN_CUSTOMERS:
        need = N_(
            "Lifetime value needs orders from at least {min_customers} customers; this data has {n}. Upload a longer "
            "or fuller order history."
        )
        raise NotEnoughData(need, min_customers=MIN_CUSTOMERS, n=len(rft))
    ts = transactions["timestamp"].dropna()
    end = pd.Timestamp(observation_end) if observation_end is not None else ts.max()
    history_days = int((end - ts.min()).days)
    notes = []
    if len(rft) < TRUST_CUSTOMERS or history_days < TRUST_HISTORY_DAYS:
        notes.append(
            f"Treat these numbers as rough: lifetime value models want at least {TRUST_CUSTOMERS} customers and "
            f"{TRUST_HISTORY_DAYS} days of history; this data has {len(rft):,} customers and {history_days} days."
        )
    args = (rft["frequency"], rft["recency"], rft["T"])
    bg, shrunk = fit_bgnbd(rft)
    if shrunk:
        notes.append(
            "Customers here buy at very similar rates, so the purchase model was shrunk towards moderate "
            "values to stay stable; read P(alive) and expected purchases as rough."
        )
    table = rft.copy()
    repeat = (rft["frequency"] > 0).to_numpy()
    table["p_alive"] = np.where(repeat, bg.p_alive(*args), np.nan)  # undefined for one-time buyers, see the note
    if not repeat.all():
        notes.append(ONE_TIME_NOTE)
    table["expected_purchases"] = bg.expected_purchases(horizon_days / time_unit_days, *args)
    gg, spend, note = _spend_per_purchase(rft)
    if note:
        notes.append(note)
    if spend is not None:
        table["expected_spend_per_purchase"] = spend
        table["clv_12m"] = discounted_value(bg, spend, rft, months=months, time_unit_days=time_unit_days)
    test = backtest(transactions, end, horizon_days, time_unit_days) if history_days >= 3 * horizon_days else None
    params = {"a": bg.a_, "b": bg.b_}
    lapsed = float(((rft["T"] - rft["recency"]) * time_unit_days > horizon_days).mean())  # no order in the horizon
    verdict = judge_lifetime(params, table.loc[repeat, "p_alive"].to_numpy(), shrunk, test, lapsed, horizon_days)
    return LifetimeValue(table, bg, gg, end, history_days, horizon_days, notes, test, verdict)


def backtest(
    transactions: pd.DataFrame, end: pd.Timestamp, holdout_days: int, time_unit_days: float = 7.0
) -> dict[str, float] | None:
    """Fit BG/NBD on all but the last `holdout_days` and compare its expected purchases there with what happened.

    The baseline keeps each customer buying at their past rate (repeat purchases per unit of time so far).
    Returns `mae` and `baseline_mae` (purchase days per customer), `total_error` (relative error of the total),
    `days` and `customers`; None when the shorter history cannot be fitted or nobody bought after the cut.
    """
    cut = (pd.Timestamp(end) - pd.Timedelta(days=holdout_days)).normalize()
    rft = rft_summary(transactions, observation_end=cut, time_unit_days=time_unit_days)
    if len(rft) < MIN_CUSTOMERS:
        return None
    try:
        model, _shrunk = fit_bgnbd(rft)
    except NotEnoughData:
        return None
    tx = transactions.dropna(subset=["customer_id", "timestamp"])
    after = tx[(tx["timestamp"] > cut) & (tx["timestamp"] <= end) & ~(tx["amount"] < 0)]
    days = after.assign(day=after["timestamp"].dt.normalize()).groupby(after["customer_id"].astype(str))["day"]
    actual = days.nunique().reindex(rft["customer_id"]).fillna(0).to_numpy(dtype=float)
    t = holdout_days / time_unit_days
    predicted = model.expected_purchases(t, rft["frequency"], rft["recency"], rft["T"])
    past_rate = np.where(rft["T"] > 0, rft["frequency"] / np.maximum(rft["T"], 1e-9), 0.0) * t
    total = float(actual.sum())
    if total == 0:  # nobody bought in the held-out stretch: nothing to check against
        return None
    return {
        "mae": float(np.mean(np.abs(predicted - actual))),
        "baseline_mae": float(np.mean(np.abs(past_rate - actual))),
        "total_error": float(abs(predicted.sum() - total) / total),
        "days": float(holdout_days),
        "customers": float(len(rft)),
    }
