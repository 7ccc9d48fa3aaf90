"""Customer Insight: customer segments, churn, value, sentiment and recommendations from CSV exports.

The package never imports streamlit; the app's pages call into it.
"""

__version__ = "0.1.0"
