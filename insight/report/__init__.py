"""The self-contained HTML report and the CLI's JSON, both from the pipeline's results."""

from insight.lazy import lazy_exports

# Each submodule's names, imported on first use (insight/lazy.py): the first page loads none of the heavy
# libraries these stand on.
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "html": ["Section", "chart_svg", "render", "render_section"],
        "sections": ["build_html", "headline_figures", "sections"],
        "summary": ["jsonable"],
    },
)
