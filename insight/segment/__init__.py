"""Customer segments: scaling, clustering, the k sweep, profiles, personas, stability and unusual customers.

The flow is `prepare` (pick and scale customer-table columns) -> `sweep` (score k = 2..12 and suggest one)
-> `analyse` (fit one k and describe the groups in plain words).
"""

from insight.labels import nice_name
from insight.segment.cluster import (
    ALGORITHMS,
    LINKAGES,
    MAX_EXACT,
    NOISE,
    SILHOUETTE_SAMPLE,
    Segmenter,
    default_min_samples,
    knee,
    suggest_eps,
)
from insight.segment.describe import Profile, SegmentMap, pca_map, profile, stability, stability_word, unusual_customers
from insight.segment.k_sweep import Sweep, sweep
from insight.segment.naming import Persona, personas
from insight.segment.scaling import LOG_MODES, SCALINGS, FeatureScaler, candidate_features, default_features, prepare
from insight.segment.segmentation import Segmentation, analyse, default_params

__all__ = [
    "ALGORITHMS",
    "LINKAGES",
    "LOG_MODES",
    "MAX_EXACT",
    "NOISE",
    "SCALINGS",
    "SILHOUETTE_SAMPLE",
    "FeatureScaler",
    "Persona",
    "Profile",
    "SegmentMap",
    "Segmentation",
    "Segmenter",
    "Sweep",
    "analyse",
    "candidate_features",
    "default_features",
    "default_min_samples",
    "default_params",
    "knee",
    "nice_name",
    "pca_map",
    "personas",
    "prepare",
    "profile",
    "stability",
    "stability_word",
    "suggest_eps",
    "sweep",
    "unusual_customers",
]
