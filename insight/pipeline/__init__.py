"""The one place each analysis is defined: `Pipeline` runs its steps through a runner the caller provides.

Pages import from here (and from `insight.charts`, `insight.labels`, `insight.data`), never the analysis
packages themselves, so every result they show comes through the pipeline.
"""

from insight.lazy import lazy_exports
from insight.pipeline import sections
from insight.pipeline.acting import FORMATS as AUDIENCE_FORMATS
from insight.pipeline.acting import prepare_audiences
from insight.pipeline.answers import Answers, Choices
from insight.pipeline.core import HORIZON_DAYS, THRESHOLD, Pipeline
from insight.pipeline.overview import overview_findings
from insight.pipeline.runner import MemoRunner, Runner, store_runner

# The pages' choices that live beside their analyses, imported when a page first asks (not on the Overview's path).
__getattr__, __dir__, _lazy = lazy_exports(
    __name__,
    {
        "insight.recommend": ["BASIS_MODEL", "MODELS", "POPULARITY", "model_names"],
        "insight.segment": [
            "ALGORITHM_LABELS",
            "LINKAGES",
            "LOG_LABELS",
            "SCALING_LABELS",
            "SILHOUETTE_SAMPLE",
            "stability_word",
        ],
    },
)
__all__ = [
    "ALGORITHM_LABELS",
    "AUDIENCE_FORMATS",
    "LOG_LABELS",
    "SCALING_LABELS",
    "Answers",
    "Choices",
    "overview_findings",
    "prepare_audiences",
    "BASIS_MODEL",
    "HORIZON_DAYS",
    "LINKAGES",
    "MODELS",
    "POPULARITY",
    "SILHOUETTE_SAMPLE",
    "THRESHOLD",
    "MemoRunner",
    "Pipeline",
    "Runner",
    "sections",
    "stability_word",
    "model_names",
    "store_runner",
]
