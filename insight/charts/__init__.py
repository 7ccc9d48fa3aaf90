"""Altair chart builders: pure functions, data in, chart out.

Every chart has axis titles in a founder's words and tooltips; one module per page.
"""

from insight.charts.churn import (
    churn_auc_bar,
    confusion_chart,
    fairness_bar,
    importance_bar,
    pr_curve_chart,
    predicted_vs_actual,
    risk_vs_alive,
    roc_curve_chart,
    value_histogram,
)
from insight.charts.data import missing_values_bar, rfm_groups_bar
from insight.charts.feedback import (
    segment_sentiment_bar,
    sentiment_by_rating,
    sentiment_distribution,
    sentiment_shares_bar,
    sentiment_trend,
    themes_bar,
)
from insight.charts.overview import cohort_heatmap, monthly_forecast_chart
from insight.charts.recommend import recommend_metrics_bar
from insight.charts.segments import kdistance_curve, segment_heatmap, segment_map, segment_sizes, segment_sweep

__all__ = [
    "churn_auc_bar",
    "cohort_heatmap",
    "confusion_chart",
    "fairness_bar",
    "importance_bar",
    "kdistance_curve",
    "missing_values_bar",
    "monthly_forecast_chart",
    "pr_curve_chart",
    "predicted_vs_actual",
    "recommend_metrics_bar",
    "rfm_groups_bar",
    "risk_vs_alive",
    "roc_curve_chart",
    "segment_heatmap",
    "segment_map",
    "segment_sentiment_bar",
    "segment_sizes",
    "segment_sweep",
    "sentiment_by_rating",
    "sentiment_distribution",
    "sentiment_shares_bar",
    "sentiment_trend",
    "themes_bar",
    "value_histogram",
]
