"""Who is about to leave and who is worth the most: churn label, churn classifiers, spend regression.

The churn label comes from a label column when the data has one; otherwise it is derived from the
order log without leakage: features use only events up to a cutoff (the last date minus a horizon)
and a customer active before the cutoff has churned when they buy nothing in the horizon after it.
Every model is a pipeline (imputation, encoding, scaling, estimator) fitted inside each
cross-validation fold, so nothing from a held-out fold leaks into training. Explanations, fairness
and the action list live in `insight.explain`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
)
from sklearn.impute import SimpleImputer
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    mean_absolute_error,
    mean_squared_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_sample_weight
from threadpoolctl import threadpool_limits

from insight.errors import InsightError, NotEnoughData, SchemaError
from insight.schema import to_binary

CHURN_MODELS = (
    "Logistic regression",
    "Decision tree",
    "Random forest",
    "Gradient boosting",
    "SVM",
    "Neural network",
)
SPEND_MODELS = ("Linear regression", "Ridge", "Gradient boosting")
MIN_PER_CLASS = 10
SVM_MAX_ROWS = 3000
LARGE_TABLE = 20_000
# Bookkeeping columns of the customer table that are not predictors (dates, RFM scores derived from others).
NOT_FEATURES = {"customer_id", "first_purchase", "last_purchase", "r_score", "f_score", "m_score", "rfm_group"}


@dataclass
class ChurnData:
    """What the churn and spend models learn from, and the customers they score.

    `X`/`y` are the training rows (index: customer_id); `X_now` holds every customer's features as
    of today, the rows to score. With a derived label `spend_next` is each training customer's spend
    in the horizon after the cutoff (the spend model's target).
    """

    source: str
    X: pd.DataFrame
    y: pd.Series
    numeric: list[str]
    categorical: list[str]
    X_now: pd.DataFrame
    label_column: str | None = None
    cutoff: pd.Timestamp | None = None
    horizon_days: int | None = None
    spend_next: pd.Series | None = None
    dropped_unlabelled: int = 0

    @property
    def churn_rate(self) -> float:
        return float(self.y.mean())

    @property
    def features(self) -> list[str]:
        return self.numeric + self.categorical

    def with_features(self, features: list[str]) -> ChurnData:
        """The same customers and label, learning only from `features` (in the given order's subset)."""
        keep = [f for f in self.features if f in features]
        if not keep:
            raise SchemaError("Pick at least one feature for the churn models to learn from.")
        numeric = [c for c in self.numeric if c in keep]
        categorical = [c for c in self.categorical if c in keep]
        return replace(self, X=self.X[keep], X_now=self.X_now[keep], numeric=numeric, categorical=categorical)


def _is_id_like(col: pd.Series) -> bool:
    return col.nunique(dropna=True) > 0.9 * max(len(col), 1) and len(col) > 20


def _attribute_columns(
    customers: pd.DataFrame, roles: dict[str, Any], exclude: set[str]
) -> tuple[list[str], list[str]]:
    """Numeric and categorical predictor columns of the customer table (no PII, ids, label or dates)."""
    skip = exclude | NOT_FEATURES | set(roles.get("pii") or []) | {c for c in customers if customers[c].isna().all()}
    if roles.get("label"):
        skip.add(roles["label"])
    numeric = [
        c
        for c in roles.get("numeric") or []
        if c in customers and c not in skip and pd.api.types.is_numeric_dtype(customers[c])
    ]
    categorical = [
        c for c in roles.get("categorical") or [] if c in customers and c not in skip and not _is_id_like(customers[c])
    ]
    return numeric, categorical


def label_from_column(customers: pd.DataFrame, roles: dict[str, Any]) -> ChurnData:
    """Training data from the customer table's label column (rows without a label are left out)."""
    column = roles["label"]
    y = to_binary(customers[column])
    numeric, categorical = _attribute_columns(customers, roles, set())
    if not numeric and not categorical:
        raise SchemaError("The customer table has no columns to learn churn from besides the label. Add attributes.")
    frame = customers.set_index(customers["customer_id"].astype(str))[numeric + categorical]
    known = y.notna().to_numpy()
    data = ChurnData(
        source="column",
        X=frame[known],
        y=pd.Series(y.to_numpy()[known].astype(int), index=frame.index[known], name="churned"),
        numeric=numeric,
        categorical=categorical,
        X_now=frame,
        label_column=column,
        dropped_unlabelled=int((~known).sum()),
    )
    _check_classes(data.y)
    return data


def derive_label(
    transactions: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    roles: dict[str, Any] | None = None,
    *,
    horizon_days: int = 90,
    cutoff: pd.Timestamp | str | None = None,
) -> ChurnData:
    """Churn label and features from the order log, using only events up to the cutoff for features.

    The cutoff defaults to the last order date minus `horizon_days`. A customer with a purchase on or
    before the cutoff has churned when they make no purchase in the `horizon_days` after it. Static
    attributes of the customer table (age, country ...) join the behaviour features; the table's own
    behaviour columns are ignored because they were computed from all events.
    """
    from insight.features import behaviour_features

    if horizon_days < 7:
        raise SchemaError(f"The churn horizon must be at least 7 days; got {horizon_days}.")
    tx = transactions.dropna(subset=["customer_id", "timestamp"])
    last = tx["timestamp"].max()
    cut = pd.Timestamp(cutoff) if cutoff is not None else (last - pd.Timedelta(days=horizon_days)).normalize()
    if cut <= tx["timestamp"].min():
        span = (last - tx["timestamp"].min()).days
        raise NotEnoughData(
            f"The orders cover {span} days, too short for a {horizon_days}-day churn horizon. "
            "Choose a shorter horizon or upload a longer order history."
        )
    before = behaviour_features(tx[tx["timestamp"] <= cut], as_of=cut)
    now = behaviour_features(tx)
    after = tx[(tx["timestamp"] > cut) & (tx["timestamp"] <= cut + pd.Timedelta(days=horizon_days))]
    amount = after["amount"] if "amount" in after else pd.Series(np.nan, index=after.index)  # a log without money
    buyers = set(after.loc[amount.isna() | (amount > 0), "customer_id"].astype(str))
    spend = amount.groupby(after["customer_id"].astype(str)).sum()

    behaviour = [
        c
        for c in before.columns
        if c not in NOT_FEATURES and pd.api.types.is_numeric_dtype(before[c]) and before[c].notna().any()
    ]
    numeric, categorical = list(behaviour), []
    before = before[before["frequency"] > 0].set_index("customer_id")[behaviour]
    now = now[now["frequency"] > 0].set_index("customer_id")[behaviour]
    if customers is not None and roles is not None:
        attr_num, attr_cat = _attribute_columns(customers, roles, set(behaviour) | {"mean_sentiment"})
        attrs = customers.set_index(customers["customer_id"].astype(str))[attr_num + attr_cat]
        attrs = attrs[~attrs.index.duplicated()]
        before, now = before.join(attrs), now.join(attrs)
        known = [c for c in attr_num + attr_cat if before[c].notna().any()]  # ids may not match the orders
        before, now = (
            before.drop(columns=set(attrs.columns) - set(known)),
            now.drop(columns=set(attrs.columns) - set(known)),
        )
        numeric, categorical = numeric + [c for c in attr_num if c in known], [c for c in attr_cat if c in known]
    y = pd.Series([0 if c in buyers else 1 for c in before.index], index=before.index, name="churned")
    data = ChurnData(
        source="derived",
        X=before,
        y=y,
        numeric=numeric,
        categorical=categorical,
        X_now=now,
        cutoff=cut,
        horizon_days=horizon_days,
        spend_next=spend.reindex(before.index).fillna(0.0).rename("spend_next") if "amount" in after else None,
    )
    _check_classes(data.y)
    return data


def label_source(ds: Any) -> str | None:
    """'column' when the customer table has a label column, 'derived' when there are dated orders, else None."""
    if ds.customer_roles.get("label"):
        return "column"
    tx = ds.transactions()
    if tx is not None and {"customer_id", "timestamp"} <= set(tx.columns):
        return "derived"
    return None


def churn_data(ds: Any, *, horizon_days: int = 90) -> ChurnData:
    """The churn training data of a `Dataset`: its label column if it has one, else derived from orders.

    Derived labels only join attributes from customer files (age, country ...): columns summarising
    feedback or ratings were computed over all dates and would leak the future.
    """
    source = label_source(ds)
    if source == "column":
        return label_from_column(ds.customers, ds.customer_roles)
    if source is None:
        raise SchemaError(
            "Churn needs either a column saying who left (like 'Churn' Yes/No) in the customer file, "
            "or an orders file with dates. Upload one of them or mark the label column on the Data page."
        )
    static = {c for t in ds.tables_of("customers") for c in t.frame.columns}
    customers = ds.customers[[c for c in ds.customers.columns if c in static or c == "customer_id"]]
    return derive_label(ds.transactions(), customers, ds.customer_roles, horizon_days=horizon_days)


def _check_classes(y: pd.Series) -> None:
    churned, kept = int(y.sum()), int((1 - y).sum())
    if min(churned, kept) < MIN_PER_CLASS:
        raise NotEnoughData(
            f"Churn models need at least {MIN_PER_CLASS} churned and {MIN_PER_CLASS} staying customers; "
            f"this data has {churned} churned and {kept} staying. Upload more customers or change the horizon."
        )


def preprocessor(numeric: list[str], categorical: list[str]) -> ColumnTransformer:
    """Impute and scale numbers, impute and one-hot encode categories (rare ones pooled)."""
    num = Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True)), ("scale", StandardScaler())])
    cat = Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value="(missing)")),
            ("encode", OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5, max_categories=20)),
        ]
    )
    return ColumnTransformer([("num", num, numeric), ("cat", cat, categorical)], sparse_threshold=0)


def churn_estimator(name: str, n_rows: int, seed: int = 0) -> Any:
    """One of `CHURN_MODELS`, each weighting the classes so the rarer one counts as much."""
    if name == "Logistic regression":
        return LogisticRegression(max_iter=2000, class_weight="balanced")
    if name == "Decision tree":
        return DecisionTreeClassifier(max_depth=6, min_samples_leaf=20, class_weight="balanced", random_state=seed)
    if name == "Random forest":
        return RandomForestClassifier(
            n_estimators=100,
            min_samples_leaf=5,
            max_samples=min(1.0, 5_000 / max(n_rows, 1)),  # each tree sees at most 5,000 rows: fast on big tables
            class_weight="balanced_subsample",
            n_jobs=-1,
            random_state=seed,
        )
    if name == "Gradient boosting":
        # 63 bins: with class weights, sklearn bins by weighted percentiles, which is slow at 255 bins
        return HistGradientBoostingClassifier(class_weight="balanced", max_iter=150, max_bins=63, random_state=seed)
    if name == "SVM":
        # Platt-scaled so the threshold slider works on probabilities; classes balanced by sample weights
        return CalibratedClassifierCV(SVC(random_state=seed), cv=3, ensemble=False)
    if name == "Neural network":
        return MLPClassifier(
            hidden_layer_sizes=(32, 16),
            alpha=1e-3,
            batch_size=512 if n_rows > 5000 else "auto",
            early_stopping=True,
            n_iter_no_change=5,
            max_iter=200,
            random_state=seed,
        )
    raise ValueError(f"Unknown churn model {name!r}; choose one of {', '.join(CHURN_MODELS)}.")


def fit_churn_pipeline(data: ChurnData, name: str, X: pd.DataFrame, y: pd.Series, seed: int = 0) -> Pipeline:
    """Fit preprocessing + model on (X, y); SVM trains on a stratified subsample of SVM_MAX_ROWS rows."""
    if name == "SVM" and len(X) > SVM_MAX_ROWS:
        X, _, y, _ = train_test_split(X, y, train_size=SVM_MAX_ROWS, stratify=y, random_state=seed)
    pipe = Pipeline(
        [("prep", preprocessor(data.numeric, data.categorical)), ("model", churn_estimator(name, len(X), seed))]
    )
    # MLP has no class_weight, and calibrating SVM must see the balance too: the same weights as sample weights
    weighted = name in ("Neural network", "SVM")
    weights = {"model__sample_weight": compute_sample_weight("balanced", y)} if weighted else {}
    with threadpool_limits(1, user_api="openmp"):  # one OpenMP thread: faster on small data and shared CPUs
        pipe.fit(X, y, **weights)
    return pipe


def classification_metrics(y: np.ndarray, proba: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    """Accuracy, precision, recall, F1 at `threshold`, and ROC AUC."""
    pred = (proba >= threshold).astype(int)
    return {
        "accuracy": accuracy_score(y, pred),
        "precision": precision_score(y, pred, zero_division=0),
        "recall": recall_score(y, pred, zero_division=0),
        "f1": f1_score(y, pred, zero_division=0),
        "roc_auc": roc_auc_score(y, proba),
    }


@dataclass
class ChurnComparison:
    """Cross-validated comparison: mean metrics per model, out-of-fold churn probabilities, the best model."""

    metrics: pd.DataFrame
    oof: dict[str, np.ndarray]
    y: np.ndarray
    best: str
    folds: int
    notes: list[str] = field(default_factory=list)


def compare_churn_models(
    data: ChurnData, *, models: tuple[str, ...] = CHURN_MODELS, folds: int | None = None, seed: int = 0
) -> ChurnComparison:
    """Stratified k-fold comparison (5 folds, 3 above LARGE_TABLE rows); the best by ROC AUC is the default."""
    n = len(data.X)
    folds = folds or (3 if n > LARGE_TABLE else 5)
    folds = max(2, min(folds, int(data.y.sum()), int((1 - data.y).sum())))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    y = data.y.to_numpy()
    rows, oof = {}, {}
    for name in models:
        proba = np.zeros(n)
        per_fold, start = [], time.perf_counter()
        for train, test in splitter.split(data.X, y):
            pipe = fit_churn_pipeline(data, name, data.X.iloc[train], data.y.iloc[train], seed)
            proba[test] = pipe.predict_proba(data.X.iloc[test])[:, 1]
            per_fold.append(classification_metrics(y[test], proba[test]))
        rows[name] = {**pd.DataFrame(per_fold).mean().to_dict(), "seconds": time.perf_counter() - start}
        oof[name] = proba
    metrics = pd.DataFrame(rows).T.rename_axis("model")
    notes = []
    if "SVM" in models and n * (folds - 1) / folds > SVM_MAX_ROWS:
        notes.append(
            f"SVM trains on a random {SVM_MAX_ROWS:,} customers per fold (it slows down sharply with more rows); "
            "it is scored on all of them."
        )
    if folds < 5:
        notes.append(f"{folds}-fold cross-validation (a large table or a small class).")
    return ChurnComparison(metrics, oof, y, str(metrics["roc_auc"].idxmax()), folds, notes)


@dataclass
class ChurnModel:
    """One churn model fitted on all training rows, with held-out permutation importance."""

    name: str
    pipeline: Pipeline
    importance: pd.DataFrame
    coefficients: pd.DataFrame | None
    holdout_auc: float

    @property
    def top_features(self) -> list[str]:
        return self.importance["feature"].tolist()


def linear_coefficients(pipeline: Pipeline) -> pd.DataFrame | None:
    """Coefficients per encoded feature of a fitted linear pipeline (on scaled inputs), else None."""
    model = pipeline.named_steps["model"]
    if not hasattr(model, "coef_"):
        return None
    names = pipeline.named_steps["prep"].get_feature_names_out()
    coef = np.ravel(model.coef_)
    df = pd.DataFrame({"feature": [n.split("__", 1)[-1] for n in names], "coefficient": coef})
    return df.reindex(df["coefficient"].abs().sort_values(ascending=False).index).reset_index(drop=True)


def fit_churn_model(data: ChurnData, name: str, *, seed: int = 0, importance_rows: int = 2000) -> ChurnModel:
    """Fit `name` on 75% of customers, measure permutation importance (ROC AUC drop) on the other 25%,
    then refit on everyone for scoring."""
    X_tr, X_te, y_tr, y_te = train_test_split(data.X, data.y, test_size=0.25, stratify=data.y, random_state=seed)
    pipe = fit_churn_pipeline(data, name, X_tr, y_tr, seed)
    if len(X_te) > importance_rows:
        X_te, _, y_te, _ = train_test_split(X_te, y_te, train_size=importance_rows, stratify=y_te, random_state=seed)
    auc = roc_auc_score(y_te, pipe.predict_proba(X_te)[:, 1])
    perm = permutation_importance(pipe, X_te, y_te, scoring="roc_auc", n_repeats=5, random_state=seed, n_jobs=1)
    importance = (
        pd.DataFrame({"feature": X_te.columns, "importance": perm.importances_mean, "std": perm.importances_std})
        .sort_values("importance", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    final = fit_churn_pipeline(data, name, data.X, data.y, seed)
    return ChurnModel(name, final, importance, linear_coefficients(final), float(auc))


def churn_risk(data: ChurnData, comparison: ChurnComparison, model: ChurnModel) -> pd.Series:
    """Churn probability per customer today.

    Derived label: the model trained on the cutoff split scores today's features. Label column: the
    labelled customers get their out-of-fold probability (never scored by a model that saw them),
    the unlabelled ones the model fitted on everyone.
    """
    risk = pd.Series(model.pipeline.predict_proba(data.X_now)[:, 1], index=data.X_now.index, name="churn_risk")
    if data.source == "column":
        risk.loc[data.X.index] = comparison.oof[model.name]
    return risk


@dataclass
class SpendData:
    """Spend model inputs: training rows `X` with target `y`, and `X_now` (everyone, today) to predict."""

    target: str
    X: pd.DataFrame
    y: pd.Series
    X_now: pd.DataFrame
    numeric: list[str]
    categorical: list[str]

    @property
    def features(self) -> list[str]:
        return self.numeric + self.categorical


def spend_data(
    customers: pd.DataFrame, roles: dict[str, Any], churn: ChurnData | None = None, target: str | None = None
) -> SpendData:
    """Next-period spend after the churn cutoff (derived label), else a numeric column the user picked."""
    if churn is not None and churn.spend_next is not None and target is None:
        name = f"spend in the {churn.horizon_days} days after the cutoff"
        return SpendData(name, churn.X, churn.spend_next, churn.X_now, churn.numeric, churn.categorical)
    if target is None or target not in customers:
        raise SchemaError("Pick a numeric column to predict as customer value (for example total spend).")
    if not pd.api.types.is_numeric_dtype(customers[target]):
        raise SchemaError(f"The value target '{target}' is not numeric; pick a column of amounts.")
    numeric, categorical = _attribute_columns(customers, roles, {target})
    if not numeric and not categorical:
        raise SchemaError(f"There are no columns besides '{target}' to predict it from. Add customer attributes.")
    frame = customers.set_index(customers["customer_id"].astype(str))
    frame = frame[~frame.index.duplicated()]
    y = frame[target].astype(float)
    known = y.notna().to_numpy()
    X_now = frame[numeric + categorical]
    return SpendData(target, X_now[known], y[known], X_now, numeric, categorical)


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
    """Held-out comparison of spend models, and predictions for everyone from the best one."""

    target: str
    metrics: pd.DataFrame
    holdout: pd.DataFrame
    best: str
    predicted: pd.Series
    pipeline: Pipeline


def compare_spend_models(
    data: SpendData, *, models: tuple[str, ...] = SPEND_MODELS, test_size: float = 0.25, seed: int = 0
) -> SpendComparison:
    """Fit each spend model on 75% of customers, score MSE / RMSE / MAE / R2 on the other 25%.

    The best model by RMSE is refitted on everyone and predicts each customer's value from today's
    features (`X_now`).
    """
    if len(data.X) < 40:
        raise NotEnoughData(f"Spend models need at least 40 customers with a known value; got {len(data.X)}.")
    X_train, X_test, y_train, y_test = train_test_split(data.X, data.y, test_size=test_size, random_state=seed)
    rows, held = {}, []
    for name in models:
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
    best = str(metrics["rmse"].idxmin())
    pipe = Pipeline([("prep", preprocessor(data.numeric, data.categorical)), ("model", spend_estimator(best))])
    with threadpool_limits(1, user_api="openmp"):
        pipe.fit(data.X, data.y)
    predicted = pd.Series(np.maximum(pipe.predict(data.X_now), 0.0), index=data.X_now.index, name="predicted_value")
    return SpendComparison(data.target, metrics, pd.concat(held, ignore_index=True), best, predicted, pipe)


def value_tiers(values: pd.Series, *, high: float = 0.8, potential: float = 0.5) -> tuple[pd.Series, str]:
    """'high value' / 'potential' / 'ordinary' by predicted value quantiles, with the rule in words."""
    hi, mid = float(values.quantile(high)), float(values.quantile(potential))
    tiers = pd.Series(
        np.select([values >= hi, values >= mid], ["high value", "potential"], "ordinary"),
        index=values.index,
        name="tier",
    )
    rule = (
        f"High value: predicted value at least {hi:,.2f} (top {1 - high:.0%}). "
        f"Potential: at least {mid:,.2f} (the next {high - potential:.0%}). Ordinary: the rest."
    )
    return tiers, rule


# Column-name hints for a customer value, strongest first.
_MONEY_WORDS = (
    r"spend|spent|revenue|sales|ltv|lifetime|monetary",
    r"total|amount|value|balance",
    r"charge|income",
    r"score",  # a usage score beats nothing, but never a balance (CreditScore)
)


def suggest_spend_target(customers: pd.DataFrame, roles: dict[str, Any]) -> str | None:
    """A numeric customer column that looks like money (for data without orders), or None."""
    candidates = [c for c in roles.get("numeric") or [] if c in customers and c not in NOT_FEATURES]
    for pattern in _MONEY_WORDS:
        found = [c for c in candidates if re.search(pattern, str(c), re.I)]
        if found:
            return found[0]
    return None


def churn_report(ds: Any, *, horizon_days: int = 90) -> dict[str, Any] | None:
    """The CLI's `churn` key (None when the data has neither a label column nor dated orders)."""
    if label_source(ds) is None:
        return None
    try:
        data = churn_data(ds, horizon_days=horizon_days)
        comparison = compare_churn_models(data)
        model = fit_churn_model(data, comparison.best)
    except InsightError as exc:
        return {"skipped": str(exc)}
    metric_names = ("accuracy", "precision", "recall", "f1", "roc_auc")
    return {
        "label_source": data.source,
        "label_column": data.label_column,
        "cutoff": data.cutoff.date().isoformat() if data.cutoff is not None else None,
        "horizon_days": data.horizon_days,
        "customers": len(data.X),
        "churn_rate": data.churn_rate,
        "best_model": comparison.best,
        "metrics": {name: {m: float(row[m]) for m in metric_names} for name, row in comparison.metrics.iterrows()},
        "top_features": model.importance.loc[model.importance["importance"] > 0, "feature"].head(5).tolist(),
        "notes": comparison.notes,
    }


def spend_report(ds: Any, *, horizon_days: int = 90, target: str | None = None) -> dict[str, Any] | None:
    """The CLI's `spend` key: next-period spend after the churn cutoff, else a money-like column."""
    try:
        churn = churn_data(ds, horizon_days=horizon_days) if label_source(ds) == "derived" else None
    except InsightError:
        churn = None
    if (churn is None or churn.spend_next is None) and target is None:
        target = suggest_spend_target(ds.customers, ds.customer_roles)
        if target is None:
            return None
    try:
        result = compare_spend_models(spend_data(ds.customers, ds.customer_roles, churn, target))
    except InsightError as exc:
        return {"skipped": str(exc)}
    return {
        "target": result.target,
        "best_model": result.best,
        "metrics": {
            name: {m: float(row[m]) for m in ("mse", "rmse", "mae", "r2")} for name, row in result.metrics.iterrows()
        },
    }
