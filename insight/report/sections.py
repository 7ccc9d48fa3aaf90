"""What the report shows: the overview, segments, value and churn, feedback and recommendations, from the
pipeline's analyses at their defaults."""

from __future__ import annotations

from typing import Any

import pandas as pd

from insight.labels import money
from insight.labels import share as _share
from insight.pipeline import Pipeline
from insight.pipeline.answers import Answers
from insight.pipeline.overview import evidence
from insight.report import words
from insight.report.html import Section, render


def headline_figures(a: Answers, currency: str | None = None) -> dict[str, str]:
    """The headline numbers of the report: the Overview's (`words.headline_figures`), and the churn rate and the
    feedback's tone, which the Overview gives in its sections."""
    figures = words.headline_figures(a.headline, currency)
    if a.headline.get("churn_rate") is not None:
        label = a.churn.outcome.say("rate") if a.churn is not None else "Churn rate"
        figures[label] = _share(a.headline["churn_rate"])
    if a.headline.get("mean_sentiment") is not None:
        figures["Tone of the feedback (-1 to +1)"] = f"{a.headline['mean_sentiment']:+.2f}"
    return figures


def sections(a: Answers, found: list[Any], currency: str | None = None) -> list[Section]:
    """The report's sections: overview, segments, value & churn, feedback, recommendations."""
    from insight import charts

    out = [Section("Overview", figures=headline_figures(a, currency), findings=[f.text for f in found])]
    if a.revenue_forecast is not None:
        fc = a.revenue_forecast
        out[0].verdict = fc.verdict
        title = "Revenue by month" + (" (rough forecast)" if fc.verdict.trust != "reliable" else "")
        out[0].charts.append(charts.monthly_forecast_chart(fc.history, fc.forecast, title, "Revenue"))
        if fc.backtest_mape is not None:
            out[0].notes.append(
                f"Forecast: {fc.method}; on the last 3 known months it was off by {100 * fc.backtest_mape:.0f}% "
                "on average. The band is a 90% interval."
            )
    if a.cohorts is not None:
        out[0].charts.append(charts.cohort_heatmap(a.cohorts))
    out[0].notes += [f"{part.capitalize()}: {why}" for part, why in a.notes.items()]
    seg = a.segmentation
    if seg is not None:
        personas = pd.DataFrame(
            [{"segment": p.name, "customers": p.size, "description": p.description} for p in seg.personas]
        )
        out.append(
            Section(
                "Segments",
                verdict=seg.verdict,
                figures={"Segments": str(seg.n_segments), "Silhouette": f"{seg.silhouette:.2f}"},
                tables=[("Who they are", personas)],
            )
        )
    if a.churn_comparison is not None:
        comp, outcome = a.churn_comparison, a.churn.outcome
        metrics = comp.metrics.reset_index().rename(columns={"index": "model"})
        section = Section(
            outcome.say("section"),
            verdict=a.verdicts.get("churn"),
            figures={outcome.say("rate"): _share(a.churn.churn_rate), "Best model": comp.best},
            charts=[charts.churn_auc_bar(comp.metrics, comp.best, outcome)],
            tables=[("Models compared (cross-validated)", metrics)],
        )
        for part, words in (("spend", "Value model"), ("clv", "Lifetime value")):
            if part in a.verdicts:
                v = a.verdicts[part]
                section.paragraphs.append(f"{words}: {v.trust}. {v.reason} (Compared with {v.baseline}.)")
        if a.likely_leavers is not None and a.usable("churn"):
            section.figures[outcome.say("audience_tag").capitalize()] = f"{a.likely_leavers:,}"
        if a.lifetime_shown is not None:
            summary = a.lifetime.summary()
            if summary.get("total_clv_12m") is not None:
                section.figures["Value over the next 12 months"] = money(summary["total_clv_12m"], currency)
            section.figures["Repeat buyers who look still active"] = _share(summary["mean_p_alive"])
        out.append(section)
    fb = a.feedback
    if fb is not None:
        shares = fb.shares()
        section = Section(
            "Feedback",
            verdict=a.verdicts.get("sentiment"),
            figures={"Texts scored": f"{len(fb.valid):,}"},
            paragraphs=[fb.models_note(), fb.measure_reason],  # which model scored what, how well
            charts=[charts.sentiment_shares_bar(shares)],
        )
        for side in ("negative", "positive"):
            themes = fb.themes[fb.themes["side"] == side] if len(fb.themes) else fb.themes
            if len(themes):
                section.charts.append(charts.themes_bar(fb.themes, side))
        out.append(section)
    if a.rec_comparison is not None:
        section = Section("Recommendations", verdict=a.verdicts.get("recommendations"))
        section.figures["Model used"] = a.rec_comparison.best
        if a.offers is not None and len(a.offers):
            first = a.offers[a.offers["rank"] == 1]
            top = first["item_name"].value_counts().head(10).rename_axis("first offer").reset_index(name="customers")
            section.figures["Customers with offers"] = f"{a.offers_coverage:,}"
            section.tables.append(("Most common first offers", top))
        out.append(section)
    return out


def build_html(pipe: Pipeline, a: Answers | None = None) -> str:
    """The whole report for a dataset (running through the pipeline any analysis not computed yet)."""
    from insight.findings import findings

    a = a or pipe.answers()
    found = findings(evidence(pipe, a))
    return render("Customer Insight report", pipe.ds.name, sections(a, found, pipe.ds.currency))
