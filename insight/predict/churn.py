"""Churn classifiers: six models compared by stratified cross-validation, the best fitted with held-out
permutation importance, and each customer's churn risk today.

Every model is a pipeline (imputation, encoding, scaling, estimator) fitted inside each fold, so nothing
from a held-out fold leaks into training."""

from __future__ import annotations

import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.impute import SimpleImputer
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_sample_weight

from insight.predict.label import ChurnData
from insight.predict.trust import RULE, RULE_FEATURE, judge_churn
from insight.threads import thread_pools
from insight.verdict import Verdict, ranking_auc

CHURN_MODELS = (
    "Logistic regression",
    "Decision tree",
    "Random forest",
    "Gradient boosting",
    "SVM",
    "Neural network",
)
SVM_MAX_ROWS = 3000
LARGE_TABLE = 20_000
FIT_THREADS = min(4, os.cpu_count() or 1)
"""Cross-validation fits run side by side, one core each: scikit-learn's fits release the GIL in their compiled
loops, and every fit is seeded, so the results are those of fitting one after another."""


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
    """One of `CHURN_MODELS` (or the one-rule baseline), each weighting the classes so the rarer one counts as much."""
    if name in ("Logistic regression", RULE):
        return LogisticRegression(max_iter=2000, class_weight="balanced")
    if name == "Decision tree":
        return DecisionTreeClassifier(max_depth=6, min_samples_leaf=20, class_weight="balanced", random_state=seed)
    if name == "Random forest":
        return RandomForestClassifier(
            n_estimators=100,
            min_samples_leaf=5,
            max_samples=min(1.0, 5_000 / max(n_rows, 1)),  # each tree sees at most 5,000 rows: fast on big tables
            class_weight="balanced_subsample",
            n_jobs=1,  # joblib's threads cost more than they save at these sizes (permutation importance: 5.7 -> 3.0 s)
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
    # the one rule sees only the days since the last order: a logistic curve turns them into a probability
    numeric, categorical = ([recency_column(data)], []) if name == RULE else (data.numeric, data.categorical)
    pipe = Pipeline([("prep", preprocessor(numeric, categorical)), ("model", churn_estimator(name, len(X), seed))])
    # MLP has no class_weight, and calibrating SVM must see the balance too: the same weights as sample weights
    weighted = name in ("Neural network", "SVM")
    weights = {"model__sample_weight": compute_sample_weight("balanced", y)} if weighted else {}
    with thread_pools().limit(limits=1, user_api="openmp"):  # one OpenMP thread: faster on small data, shared CPUs
        pipe.fit(X, y, **weights)
    return pipe


def classification_metrics(y: np.ndarray, proba: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    """Accuracy, precision, recall, F1 at `threshold` (0 where undefined, as sklearn's `zero_division=0`), and ROC
    AUC (ties counting half): sklearn's figures, counted directly (its input checks cost more than the fits here)."""
    y = np.asarray(y).astype(bool)
    pred = np.asarray(proba) >= threshold
    tp, fp, fn = int(np.sum(pred & y)), int(np.sum(pred & ~y)), int(np.sum(~pred & y))
    return {
        "accuracy": float(np.mean(pred == y)),
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
        "roc_auc": float(ranking_auc(y, np.asarray(proba, dtype=float))),
    }


@dataclass
class ChurnComparison:
    """Cross-validated comparison: mean metrics per model, out-of-fold churn probabilities, the model to use
    and the verdict on it (against a coin and, with dated orders, the one rule 'days since last order')."""

    metrics: pd.DataFrame
    oof: dict[str, np.ndarray]
    y: np.ndarray
    best: str
    folds: int
    notes: list[str] = field(default_factory=list)
    verdict: Verdict | None = None


_RECENCY_NAME = re.compile(r"days?\W*_?since\W*_?last|recency", re.I)  # DaySinceLastOrder, days_since_last_visit


def recency_column(data: ChurnData) -> str | None:
    """The column the one rule reads: the orders' own `recency_days`, else a customer column that says how many
    days since the last order (e.g. 'DaySinceLastOrder'), else None."""
    if RULE_FEATURE in data.numeric:
        return RULE_FEATURE
    return next((c for c in data.numeric if _RECENCY_NAME.search(str(c))), None)


def contenders(data: ChurnData) -> tuple[str, ...]:
    """The models compared for this data: every churn model, plus the one rule when there is a recency column."""
    return (*CHURN_MODELS, RULE) if recency_column(data) else CHURN_MODELS


def compare_churn_models(
    data: ChurnData, *, models: tuple[str, ...] | None = None, folds: int | None = None, seed: int = 0
) -> ChurnComparison:
    """Stratified k-fold comparison (5 folds, 3 above LARGE_TABLE rows) of `models` (default: `contenders`), the
    folds' fits side by side on `FIT_THREADS` threads.

    The best model by ROC AUC is the default unless it does not beat the one rule, which is then used;
    the verdict says how far to trust it (`trust.judge_churn`).
    """
    models = models or contenders(data)
    n = len(data.X)
    folds = folds or (3 if n > LARGE_TABLE else 5)
    folds = max(2, min(folds, int(data.y.sum()), int((1 - data.y).sum())))
    splits = list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(data.X, data.y))
    y = data.y.to_numpy()

    def held_out(task: tuple[str, int]) -> tuple[np.ndarray, float]:
        name, fold = task
        start, (train, test) = time.perf_counter(), splits[fold]
        with thread_pools().limit(limits=1):  # in this thread (OpenMP's limit is per thread): each fit on one core
            pipe = fit_churn_pipeline(data, name, data.X.iloc[train], data.y.iloc[train], seed)
            proba = pipe.predict_proba(data.X.iloc[test])[:, 1]
        return proba, time.perf_counter() - start

    tasks = [(name, fold) for name in models for fold in range(folds)]
    with ThreadPoolExecutor(FIT_THREADS) as pool:
        done = dict(zip(tasks, pool.map(held_out, tasks), strict=True))
    rows, oof = {}, {}
    for name in models:
        proba = np.zeros(n)
        for fold, (_, test) in enumerate(splits):
            proba[test] = done[name, fold][0]
        per_fold = [classification_metrics(y[test], proba[test]) for _, test in splits]
        seconds = sum(done[name, fold][1] for fold in range(folds))
        rows[name] = {**pd.DataFrame(per_fold).mean().to_dict(), "seconds": seconds}
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
    return _judged(metrics, oof, y, folds, notes, data)


def _judged(
    metrics: pd.DataFrame, oof: dict[str, np.ndarray], y: np.ndarray, folds: int, notes: list[str], data: ChurnData
) -> ChurnComparison:
    """The comparison with its pick (the best model by ROC AUC, unless it does not beat the one rule) and verdict."""
    real = metrics.drop(index=RULE, errors="ignore")
    best = str((real if len(real) else metrics)["roc_auc"].idxmax())
    best, verdict = judge_churn(y, oof, best, data.source, data.outcome)
    return ChurnComparison(metrics, oof, y, best, folds, notes, verdict)


def comparison_of(comparison: ChurnComparison, models: tuple[str, ...], data: ChurnData) -> ChurnComparison:
    """The comparison of some of the models already compared, from their out-of-fold scores as they are, judged
    again: what comparing only those models would say, with nothing fitted twice."""
    kept = [m for m in models if m in comparison.oof]
    oof = {m: comparison.oof[m] for m in kept}
    return _judged(comparison.metrics.loc[kept], oof, comparison.y, comparison.folds, [], data)


@dataclass
class ChurnModel:
    """One churn model fitted on all training rows: what scores today's customers."""

    name: str
    pipeline: Pipeline
    coefficients: pd.DataFrame | None


@dataclass
class ChurnImportance:
    """What drives one churn model: held-out permutation importance (drop in ROC AUC per shuffled column)."""

    name: str
    importance: pd.DataFrame
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


def fit_churn_model(data: ChurnData, name: str, *, seed: int = 0) -> ChurnModel:
    """Fit `name` on every labelled customer, for scoring today's customers."""
    final = fit_churn_pipeline(data, name, data.X, data.y, seed)
    return ChurnModel(name, final, linear_coefficients(final))


def churn_importance(data: ChurnData, name: str, *, seed: int = 0, importance_rows: int = 2000) -> ChurnImportance:
    """Fit `name` on 75% of customers and measure permutation importance (ROC AUC drop) on the other 25%.

    Apart from `fit_churn_model`: only the Value & churn page and the report show it, so a page that only
    needs the risks does not wait for it."""
    X_tr, X_te, y_tr, y_te = train_test_split(data.X, data.y, test_size=0.25, stratify=data.y, random_state=seed)
    pipe = fit_churn_pipeline(data, name, X_tr, y_tr, seed)
    if len(X_te) > importance_rows:
        X_te, _, y_te, _ = train_test_split(X_te, y_te, train_size=importance_rows, stratify=y_te, random_state=seed)
    with thread_pools().limit(limits=1):  # the many predictions on one core each, as the fits
        auc = roc_auc_score(y_te, pipe.predict_proba(X_te)[:, 1])
        perm = permutation_importance(pipe, X_te, y_te, scoring="roc_auc", n_repeats=5, random_state=seed, n_jobs=1)
    importance = (
        pd.DataFrame({"feature": X_te.columns, "importance": perm.importances_mean, "std": perm.importances_std})
        .sort_values("importance", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    return ChurnImportance(name, importance, float(auc))


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
