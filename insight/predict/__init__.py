"""Who is about to leave and who is worth the most: the churn label, churn classifiers and their explanations,
spend models, lifetime value (BG/NBD and Gamma-Gamma) and the fairness check."""

from insight.lazy import lazy_exports

# Each submodule's names, imported on first use (insight/lazy.py): the first page loads none of the heavy
# libraries these stand on.
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "churn": [
            "CHURN_MODELS",
            "ChurnComparison",
            "ChurnImportance",
            "ChurnModel",
            "churn_importance",
            "churn_risk",
            "classification_metrics",
            "compare_churn_models",
            "fit_churn_model",
            "fit_churn_pipeline",
            "preprocessor",
        ],
        "label": ["ChurnData", "churn_data", "derive_label", "label_from_column", "label_source"],
        "spend": [
            "SPEND_MODELS",
            "TOTAL_SPEND",
            "SpendComparison",
            "SpendData",
            "compare_spend_models",
            "missing_value",
            "spend_columns",
            "spend_data",
            "suggest_spend_target",
            "value_tiers",
        ],
    },
)
