"""Who is worth the most: spend models compared on held-out customers, value tiers, the value target."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import (
    HistGradientBoostingRegressor,
)
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from insight.data.hints import words
from insight.errors import NotEnoughData, SchemaError
from insight.formats import money, share
from insight.i18n import N_, Message, _
from insight.predict.churn import preprocessor
from insight.predict.label import NOT_FEATURES, ChurnData, _attribute_columns
from insight.predict.trust import judge_spend, refuse_target
from insight.verdict import Verdict, Withheld

SPEND_MODELS = ("Linear regression", "Ridge", "Gradient boosting")
MEAN_BASELINE = "Mean"  # the baseline row: every held-out customer predicted at the training customers' mean


@dataclass
class SpendData:
    """Spend model inputs: training rows `X` with target `y`, and `X_now` (everyone, today) to predict."""

    target: str
    X: pd.DataFrame
    y: pd.Series
    X_now: pd.DataFrame
    numeric: list[str]
    categorical: list[str]
    future: bool = False  # the target is spend after the churn cutoff: it cannot be a copy of an input
    currency: str | None = None  # the money's currency, for the verdict and the tiers in words

    @property
    def features(self) -> list[str]:
        return self.numeric + self.categorical


def spend_data(
    customers: pd.DataFrame,
    roles: dict[str, Any],
    churn: ChurnData | None = None,
    target: str | None = None,
    currency: str | None = None,
) -> SpendData:
    """Next-period spend after the churn cutoff (derived label), else a numeric column the user picked, or
    `TOTAL_SPEND` (the spend per category summed; those columns are then no inputs)."""
    if churn is not None and churn.spend_next is not None and target is None:
        name = f"spend in the {churn.horizon_days} days after the cutoff"
        X, X_now = churn.X, churn.X_now
        return SpendData(name, X, churn.spend_next, X_now, churn.numeric, churn.categorical, True, currency)
    parts = spend_columns(customers, roles) if target == TOTAL_SPEND else [target]
    if target is None or not parts or any(p not in customers for p in parts):
        raise SchemaError(N_("Pick a numeric column to predict as customer value (for example total spend)."))
    if not all(pd.api.types.is_numeric_dtype(customers[p]) for p in parts):
        raise SchemaError(N_("The value target '{target}' is not numeric; pick a column of amounts."), target=target)
    numeric, categorical = _attribute_columns(customers, roles, set(parts))
    if not numeric and not categorical:
        raise SchemaError(
            N_("There are no columns besides '{target}' to predict it from. Add customer attributes."), target=target
        )
    frame = customers.set_index(customers["customer_id"].astype(str))
    frame = frame[~frame.index.duplicated()]
    y = frame[parts].astype(float).sum(axis=1, min_count=1).rename(target)
    known = y.notna().to_numpy()
    X_now = frame[numeric + categorical]
    return SpendData(target, X_now[known], y[known], X_now, numeric, categorical, currency=currency)


def spend_estimator(name: str, seed: int = 0) -> Any:
    """One of `SPEND_MODELS`: a linear baseline, ridge, or gradient boosting."""
    if name == "Linear regression":
        return LinearRegression()
    if name == "Ridge":
        return Ridge(alpha=1.0)
    if name == "Gradient boosting":
        return HistGradientBoostingRegressor(max_iter=200, random_state=seed)
    raise ValueError(f"Unknown spend model {name!r}; choose one of {', '.join(SPEND_MODELS)}.")


@dataclass
class SpendComparison:
    """Held-out comparison of spend models (and the mean baseline), predictions for everyone from the best
    one, and the verdict against predicting the mean."""

    target: str
    metrics: pd.DataFrame
    holdout: pd.DataFrame
    best: str
    predicted: pd.Series
    pipeline: Pipeline
    verdict: Verdict | None = None
    currency: str | None = None

    def _usable(self) -> None:
        if self.verdict is not None and not self.verdict.usable:
            raise Withheld(self.verdict, Message(N_("Value tiers")))

    @property
    def tiers(self) -> pd.Series:
        """'high value' / 'potential' / 'ordinary' per customer by predicted value (Withheld when unreliable)."""
        self._usable()
        return value_tiers(self.predicted, currency=self.currency)[0]

    @property
    def tier_rule(self) -> str:
        """The value-tier rule in words (Withheld when the value model is unreliable)."""
        self._usable()
        return value_tiers(self.predicted, currency=self.currency)[1]


def compare_spend_models(
    data: SpendData, *, models: tuple[str, ...] = SPEND_MODELS, test_size: float = 0.25, seed: int = 0
) -> SpendComparison:
    """Fit each spend model on 75% of customers, score MSE / RMSE / MAE / R2 on the other 25%, next to the
    baseline of predicting the training mean (row `MEAN_BASELINE`).

    A target that cannot be predicted honestly (constant, near-constant, an id, a copy of an input) is
    refused with `Withheld`. The best model by RMSE is refitted on everyone and predicts each customer's
    value from today's features (`X_now`); the verdict compares it with the mean.
    """
    if len(data.X) < 40:
        raise NotEnoughData(N_("Spend models need at least 40 customers with a known value; got {n}."), n=len(data.X))
    refuse_target(data.y, data.target, data.X, [] if data.future else data.numeric, id_check=not data.future)
    X_train, X_test, y_train, y_test = train_test_split(data.X, data.y, test_size=test_size, random_state=seed)
    rows, held = {}, []
    for name in (*models, MEAN_BASELINE):
        if name == MEAN_BASELINE:
            pred = np.full(len(y_test), float(y_train.mean()))
        else:
            pipe = Pipeline([("prep", preprocessor(data.numeric, data.categorical)), ("model", spend_estimator(name))])
            with threadpool_limits(1, user_api="openmp"):
                pred = pipe.fit(X_train, y_train).predict(X_test)
        mse = mean_squared_error(y_test, pred)
        rows[name] = {
            "mse": mse,
            "rmse": float(np.sqrt(mse)),
            "mae": mean_absolute_error(y_test, pred),
            "r2": r2_score(y_test, pred),
        }
        held.append(
            pd.DataFrame({"customer_id": X_test.index, "model": name, "actual": y_test.to_numpy(), "predicted": pred})
        )
    metrics = pd.DataFrame(rows).T.rename_axis("model")
    best = str(metrics.drop(index=MEAN_BASELINE)["rmse"].idxmin())
    verdict = judge_spend(metrics, best, data.target, len(y_test), data.currency)
    pipe = Pipeline([("prep", preprocessor(data.numeric, data.categorical)), ("model", spend_estimator(best))])
    with threadpool_limits(1, user_api="openmp"):
        pipe.fit(data.X, data.y)
    predicted = pd.Series(np.maximum(pipe.predict(data.X_now), 0.0), index=data.X_now.index, name="predicted_value")
    held_out = pd.concat(held, ignore_index=True)
    return SpendComparison(data.target, metrics, held_out, best, predicted, pipe, verdict, data.currency)


def value_tiers(
    values: pd.Series, *, high: float = 0.8, potential: float = 0.5, currency: str | None = None
) -> tuple[pd.Series, str]:
    """'high value' / 'potential' / 'ordinary' by predicted value quantiles, with the rule in words (money with
    its currency)."""
    hi, mid = float(values.quantile(high)), float(values.quantile(potential))
    tiers = pd.Series(
        np.select([values >= hi, values >= mid], ["high value", "potential"], "ordinary"),
        index=values.index,
        name="tier",
    )
    rule = _(
        "High value: predicted value at least {high} (the top {top}). Potential: at least {middle} (the next "
        "{next}). Ordinary: the rest."
    ).format(
        high=money(hi, currency),
        top=share(1 - high),
        middle=money(mid, currency),
        next=share(high - potential),
    )
    return tiers, rule


# Value is money the customer paid the shop. Column names for it, strongest first (whole words of the name):
_SPEND_WORDS = (
    r"spend|spent|spending|revenue|sales|monetary|paid|purchases?|消费|实付|消费额",
    r"charges?|amount|amt|mnt|total|value|金额",
)
# ... never what the customer earns or holds, a credit line, a count, an age, a score on an unstated scale, an
# average or a change, or money the shop gives back
_NOT_SPEND = re.compile(
    r"income|salary|salaries|wage|earn|balance|credit|limit|loan|debt|score|rating|count|number|num|age|year|"
    r"tenure|days?|recency|frequency|per|avg|average|mean|median|rate|ratio|share|pct|percent|hike|cashback|"
    r"discount|coupon|refund|z",
)
_NOT_SPEND_CJK = re.compile(r"收入|工资|薪|余额|额度|评分|次数|年龄|平均|返现|优惠|退款")
TOTAL_SPEND = "total spend"  # the sum of spend per category (MntWines + MntFruits + …), when the list has several


def _spend_tier(name: str) -> int | None:
    parts = words(name)
    if not parts or any(_NOT_SPEND.fullmatch(p) for p in parts) or _NOT_SPEND_CJK.search(name):
        return None
    for tier, pattern in enumerate(_SPEND_WORDS):
        if any(re.fullmatch(pattern, p) for p in parts) or re.search(pattern, name) and not name.isascii():
            return tier
    return None


def spend_columns(customers: pd.DataFrame, roles: dict[str, Any]) -> list[str]:
    """The customer list's spend per category (MntWines, MntFruits …; spend_food, spend_drinks): several
    money columns whose names start with the same spend word, summed into `TOTAL_SPEND`."""
    candidates = [c for c in roles.get("numeric") or [] if c in customers and _spend_tier(str(c)) is not None]
    groups: dict[str, list[str]] = {}
    for c in candidates:
        groups.setdefault(words(str(c))[0], []).append(c)
    return max(groups.values(), key=len) if groups and max(map(len, groups.values())) >= 2 else []


def suggest_spend_target(customers: pd.DataFrame, roles: dict[str, Any]) -> str | None:
    """The money each customer paid the shop, for a list without orders: `TOTAL_SPEND` when spend comes per
    category, else the column named most surely as spend, else None (income, a balance or a score are no value)."""
    if spend_columns(customers, roles):
        return TOTAL_SPEND
    candidates = [c for c in roles.get("numeric") or [] if c in customers and c not in NOT_FEATURES]
    tiers = {c: _spend_tier(str(c)) for c in candidates}
    summed = {c: re.search(r"total|sum|lifetime|overall|累计|总", str(c), re.I) is None for c in candidates}
    ranked = sorted((t, summed[c], i, c) for i, (c, t) in enumerate(tiers.items()) if t is not None)
    return ranked[0][-1] if ranked else None  # a total (TotalCharges) before a rate (MonthlyCharges)


def missing_value(customers: pd.DataFrame, roles: dict[str, Any]) -> Message:
    """Why there is no customer value, and which file would unlock it (money columns that are not spend named)."""
    money = [c for c in roles.get("numeric") or [] if re.search(r"income|salary|balance|credit|score", str(c), re.I)]
    if money:
        named = N_(
            "Customer value needs money the customers paid you: upload an orders file with amounts, or a customer "
            "list with each customer's total spend ({columns}: not money paid to you)."
        )
        return Message(named, columns=", ".join(repr(c) for c in money[:3]))
    return Message(
        N_(
            "Customer value needs money the customers paid you: upload an orders file with amounts, or a customer "
            "list with each customer's total spend."
        )
    )
