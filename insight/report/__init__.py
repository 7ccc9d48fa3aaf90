"""The self-contained HTML report and the CLI's JSON, both from the pipeline's results."""

from insight.report.html import Section, chart_svg, render, render_section
from insight.report.sections import build_html, headline_figures, sections
from insight.report.summary import jsonable

__all__ = ["Section", "build_html", "chart_svg", "headline_figures", "jsonable", "render", "render_section", "sections"]
