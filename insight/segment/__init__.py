"""Customer segments: scaling, clustering, the k sweep, profiles, personas, stability and unusual customers.

The flow is `prepare` (pick and scale customer-table columns) -> `sweep` (score k = 2..12 and suggest one)
-> `analyse` (fit one k and describe the groups in plain words).
"""

from insight.lazy import lazy_exports

# Each submodule's names, imported on first use (insight/lazy.py): the first page loads none of the heavy
# libraries these stand on.
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "insight.labels": ["nice_name"],
        "cluster": [
            "ALGORITHMS",
            "LINKAGES",
            "MAX_EXACT",
            "NOISE",
            "SILHOUETTE_SAMPLE",
            "Segmenter",
            "default_min_samples",
            "knee",
            "suggest_eps",
        ],
        "describe": ["Profile", "SegmentMap", "pca_map", "profile", "stability", "stability_word", "unusual_customers"],
        "k_sweep": ["Sweep", "sweep"],
        "naming": ["Persona", "personas"],
        "choices": [
            "ALGORITHM_LABELS",
            "LOG_LABELS",
            "LOG_MODES",
            "SCALING_LABELS",
            "SCALINGS",
            "candidate_features",
            "default_features",
            "default_params",
        ],
        "scaling": ["FeatureScaler", "prepare"],
        "segmentation": ["Segmentation", "analyse"],
    },
)
