"""What the report shows: the overview, segments, value and churn, feedback and recommendations, from the
pipeline's analyses at their defaults."""

from __future__ import annotations

from typing import Any

import pandas as pd

from insight.formats import count, money
from insight.formats import share as _share
from insight.i18n import N_, _, pgettext
from insight.pipeline import Pipeline
from insight.pipeline.answers import Answers
from insight.pipeline.overview import evidence
from insight.report import words
from insight.report.html import Section, render

PARTS = {  # the parts `Answers.notes` names as left out (keys), in words
    "monthly": N_("Monthly figures"),
    "forecast": N_("Forecast"),
    "cohorts": N_("Cohorts"),
    "segments": N_("Segments"),
    "churn": N_("Churn"),
    "value": N_("Value"),
    "lifetime value": N_("Lifetime value"),
    "feedback": N_("Feedback"),
    "recommendations": N_("Recommendations"),
}


def headline_figures(a: Answers, currency: str | None = None) -> dict[str, str]:
    """The headline numbers of the report: the Overview's (`words.headline_figures`), and the churn rate and the
    feedback's tone, which the Overview gives in its sections."""
    figures = words.headline_figures(a.headline, currency)
    if a.headline.get("churn_rate") is not None:
        label = a.churn.outcome.say("rate") if a.churn is not None else _("Churn rate")
        figures[label] = _share(a.headline["churn_rate"])
    if a.headline.get("mean_sentiment") is not None:
        figures[_("Tone of the feedback (-1 to +1)")] = f"{a.headline['mean_sentiment']:+.2f}"
    return figures


def sections(a: Answers, found: list[Any], currency: str | None = None) -> list[Section]:
    """The report's sections: overview, segments, value & churn, feedback, recommendations."""
    from insight import charts

    out = [Section(_("Overview"), figures=headline_figures(a, currency), findings=[f.text for f in found])]
    if a.revenue_forecast is not None:
        fc = a.revenue_forecast
        out[0].verdict = fc.verdict
        title = _("Revenue by month") if fc.verdict.trust == "reliable" else _("Revenue by month (rough forecast)")
        out[0].charts.append(charts.monthly_forecast_chart(fc.history, fc.forecast, title, _("Revenue")))
        if fc.backtest_mape is not None:
            off = _(
                "Forecast: {method}; on the last 3 known months it was off by {share} on average. The band is a 90% "
                "interval."
            )
            out[0].notes.append(off.format(method=fc.method, share=_share(fc.backtest_mape)))
    if a.cohorts is not None:
        out[0].charts.append(charts.cohort_heatmap(a.cohorts))
    out[0].notes += [_("{part}: {why}").format(part=_(PARTS.get(part, part)), why=why) for part, why in a.notes.items()]
    seg = a.segmentation
    if seg is not None:
        personas = pd.DataFrame(
            [{_("Segment"): p.name, _("Customers"): p.size, _("Description"): p.description} for p in seg.personas]
        )
        out.append(
            Section(
                _("Segments"),
                verdict=seg.verdict,
                figures={_("Segments"): str(seg.n_segments), _("Silhouette"): f"{seg.silhouette:.2f}"},
                tables=[(_("Who they are"), personas)],
            )
        )
    if a.churn_comparison is not None:
        comp, outcome = a.churn_comparison, a.churn.outcome
        metrics = comp.metrics.reset_index().rename(columns={"index": _("Model")})
        section = Section(
            outcome.say("section"),
            verdict=a.verdicts.get("churn"),
            figures={outcome.say("rate"): _share(a.churn.churn_rate), _("Best model"): comp.best},
            charts=[charts.churn_auc_bar(comp.metrics, comp.best, outcome)],
            tables=[(_("Models compared (cross-validated)"), metrics)],
        )
        for part, words in (("spend", _("Value model")), ("clv", _("Lifetime value"))):
            if part in a.verdicts:
                v = a.verdicts[part]
                said = _("{what}: {trust}. {reason} (Compared with {baseline}.)")
                trust = pgettext("glossary", v.trust)
                section.paragraphs.append(said.format(what=words, trust=trust, reason=v.reason, baseline=v.baseline))
        if a.likely_leavers is not None and a.usable("churn"):
            section.figures[outcome.say("audience_tag").capitalize()] = count(a.likely_leavers)
        if a.lifetime_shown is not None:
            summary = a.lifetime.summary()
            if summary.get("total_clv_12m") is not None:
                section.figures[_("Value over the next 12 months")] = money(summary["total_clv_12m"], currency)
            section.figures[_("Repeat buyers who look still active")] = _share(summary["mean_p_alive"])
        out.append(section)
    fb = a.feedback
    if fb is not None:
        shares = fb.shares()
        section = Section(
            _("Feedback"),
            verdict=a.verdicts.get("sentiment"),
            figures={_("Texts scored"): count(len(fb.valid))},
            paragraphs=[fb.models_note(), fb.measure_reason],  # which model scored what, how well
            charts=[charts.sentiment_shares_bar(shares)],
        )
        for side in ("negative", "positive"):
            themes = fb.themes[fb.themes["side"] == side] if len(fb.themes) else fb.themes
            if len(themes):
                section.charts.append(charts.themes_bar(fb.themes, side))
        out.append(section)
    if a.rec_comparison is not None:
        section = Section(_("Recommendations"), verdict=a.verdicts.get("recommendations"))
        section.figures[_("Model used")] = a.rec_comparison.best
        if a.offers is not None and len(a.offers):
            first = a.offers[a.offers["rank"] == 1]
            counts = first["item_name"].value_counts().head(10)
            top = counts.rename_axis(_("first offer")).reset_index(name=_("customers"))
            section.figures[_("Customers with offers")] = count(a.offers_coverage)
            section.tables.append((_("Most common first offers"), top))
        out.append(section)
    return out


def build_html(pipe: Pipeline, a: Answers | None = None) -> str:
    """The whole report for a dataset (running through the pipeline any analysis not computed yet)."""
    from insight.findings import findings

    a = a or pipe.answers()
    found = findings(evidence(pipe, a))
    return render(_("Customer Insight report"), pipe.ds.name, sections(a, found, pipe.ds.currency))
