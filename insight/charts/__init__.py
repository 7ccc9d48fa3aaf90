"""Altair chart builders: pure functions, data in, chart out.

Every chart has axis titles in a founder's words and tooltips; one module per page.
"""

from insight.lazy import lazy_exports

# Each submodule's names, imported on first use (insight/lazy.py): the first page loads none of the heavy
# libraries these stand on.
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "churn": [
            "churn_auc_bar",
            "confusion_chart",
            "fairness_bar",
            "importance_bar",
            "pr_curve_chart",
            "predicted_vs_actual",
            "risk_vs_alive",
            "roc_curve_chart",
            "value_histogram",
        ],
        "data": ["missing_values_bar", "rfm_groups_bar"],
        "feedback": [
            "segment_sentiment_bar",
            "sentiment_by_rating",
            "sentiment_distribution",
            "sentiment_shares_bar",
            "sentiment_trend",
            "shares_beside_people",
            "themes_bar",
        ],
        "overview": ["cohort_heatmap", "monthly_forecast_chart"],
        "recommend": ["recommend_metrics_bar"],
        "segments": ["kdistance_curve", "segment_heatmap", "segment_map", "segment_sizes", "segment_sweep"],
    },
)
