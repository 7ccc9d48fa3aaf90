"""Who is about to leave and who is worth the most: the churn label, churn classifiers and their explanations,
spend models, lifetime value (BG/NBD and Gamma-Gamma) and the fairness check."""

from insight.predict.churn import (
    CHURN_MODELS,
    ChurnComparison,
    ChurnModel,
    churn_risk,
    classification_metrics,
    compare_churn_models,
    fit_churn_model,
    fit_churn_pipeline,
    preprocessor,
)
from insight.predict.label import ChurnData, churn_data, derive_label, label_from_column, label_source
from insight.predict.spend import (
    SPEND_MODELS,
    SpendComparison,
    SpendData,
    compare_spend_models,
    spend_data,
    suggest_spend_target,
    value_tiers,
)

__all__ = [
    "CHURN_MODELS",
    "SPEND_MODELS",
    "ChurnComparison",
    "ChurnData",
    "ChurnModel",
    "SpendComparison",
    "SpendData",
    "churn_data",
    "churn_risk",
    "classification_metrics",
    "compare_churn_models",
    "compare_spend_models",
    "derive_label",
    "fit_churn_model",
    "fit_churn_pipeline",
    "label_from_column",
    "label_source",
    "preprocessor",
    "spend_data",
    "suggest_spend_target",
    "value_tiers",
]
