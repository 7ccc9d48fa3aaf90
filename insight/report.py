"""A self-contained HTML report: every section's sentences, tables and charts in one file.

Charts are rendered to inline SVG (vl-convert), so the file needs no
network and no JavaScript: it opens from an email attachment. All text
from the data is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import altair as alt
import pandas as pd

from insight.errors import InsightError

_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1F2933;max-width:1000px;margin:2em auto;
padding:0 1em;line-height:1.45}
h1{color:#2E6F95;margin-bottom:0}h2{border-bottom:2px solid #E4E7EB;padding-bottom:.2em;margin-top:2em}
.meta{color:#616E7C}.figures{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}
.figure{background:#F2F5F8;border-radius:8px;padding:.6em 1em;min-width:150px}
.figure b{display:block;font-size:1.5em}table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border-bottom:1px solid #E4E7EB;padding:.3em .6em;text-align:left}th{background:#F2F5F8}
.chart{margin:1em 0}.note{color:#616E7C;font-size:.9em}ul.findings li{margin:.3em 0}
"""


@dataclass
class Section:
    """One part of the report: a title, headline figures, sentences, charts and tables."""

    title: str
    figures: dict[str, str] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    charts: list[alt.TopLevelMixin] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


REPORT_CHART_WIDTH = 720


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """A chart as inline SVG (no scripts, no network)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.properties(width=REPORT_CHART_WIDTH).to_dict())


def _table(caption: str, df: pd.DataFrame, max_rows: int = 25) -> str:
    shown = df.head(max_rows)
    body = shown.to_html(index=False, escape=True, float_format=lambda v: f"{v:,.3g}", border=0, na_rep="")
    more = f'<p class="note">First {max_rows} of {len(df):,} rows.</p>' if len(df) > max_rows else ""
    return f"<h3>{html.escape(caption)}</h3>{body}{more}"


def render_section(section: Section) -> str:
    """HTML for one section."""
    e = html.escape
    parts = [f'<section id="{e(section.title.lower().replace(" ", "-"))}"><h2>{e(section.title)}</h2>']
    if section.figures:
        items = "".join(f'<div class="figure">{e(k)}<b>{e(v)}</b></div>' for k, v in section.figures.items())
        parts.append(f'<div class="figures">{items}</div>')
    if section.findings:
        parts.append('<ul class="findings">' + "".join(f"<li>{e(f)}</li>" for f in section.findings) + "</ul>")
    parts += [f"<p>{e(p)}</p>" for p in section.paragraphs]
    parts += [f'<div class="chart">{chart_svg(c)}</div>' for c in section.charts]
    parts += [_table(caption, df) for caption, df in section.tables]
    parts += [f'<p class="note">{e(n)}</p>' for n in section.notes]
    parts.append("</section>")
    return "\n".join(parts)


def render(title: str, dataset_name: str, sections: list[Section], generated: datetime | None = None) -> str:
    """The whole report as one HTML document."""
    when = (generated or datetime.now()).strftime("%d %b %Y, %H:%M")
    e = html.escape
    toc = " · ".join(f'<a href="#{e(s.title.lower().replace(" ", "-"))}">{e(s.title)}</a>' for s in sections)
    body = "\n".join(render_section(s) for s in sections)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{e(title)}</title>"
        f"<style>{_CSS}</style></head><body><h1>{e(title)}</h1>"
        f'<p class="meta">{e(dataset_name)} · made {when} with Customer Insight</p><p>{toc}</p>{body}</body></html>'
    )


# --- what the overview and the report show -------------------------------------------------------

Runner = Callable[[str, "dict[str, Any] | None", Callable[[], Any]], Any]
HORIZON_DAYS = 90


@dataclass
class Analyses:
    """Every analysis with its default settings; a part is None when the data cannot support it (see `notes`)."""

    headline: dict[str, float | None]
    monthly: pd.DataFrame | None = None
    revenue_forecast: Any = None
    active_forecast: Any = None
    cohorts: pd.DataFrame | None = None
    segmentation: Any = None
    churn: Any = None
    churn_comparison: Any = None
    churn_risk: pd.Series | None = None
    lifetime: Any = None
    feedback: Any = None
    offers: pd.DataFrame | None = None
    rec_comparison: Any = None
    notes: dict[str, str] = field(default_factory=dict)


def store_runner(fingerprint: str) -> Runner:
    """Cache each step in the default store under the dataset's fingerprint (as the pages do)."""
    from insight.store import default_store

    return lambda step, params, compute: default_store().get_or_compute(fingerprint, step, params, compute)


def _attempt(notes: dict[str, str], part: str, compute: Callable[[], Any]) -> Any:
    try:
        return compute()
    except InsightError as exc:
        notes[part] = str(exc)
        return None


def collect(ds: Any, run: Runner | None = None, progress: Callable[[float, str], None] | None = None) -> Analyses:
    """Run (or fetch from the cache) every analysis with its defaults, noting what the data cannot support."""
    from insight import clv, overview, predict, sentiment

    run = run or store_runner(ds.fingerprint)
    step = progress or (lambda fraction, text: None)
    tx = ds.transactions()
    out = Analyses(headline=overview.headline(ds.customers, tx))
    notes = out.notes
    if tx is not None and "timestamp" in tx:
        step(0.05, "Monthly figures and forecast")
        out.monthly = run("overview.monthly", None, lambda: overview.monthly_series(tx))
        out.revenue_forecast = _attempt(
            notes,
            "forecast",
            lambda: run("overview.forecast", {"column": "revenue"}, lambda: overview.forecast(out.monthly, "revenue")),
        )
        out.active_forecast = _attempt(
            notes,
            "forecast",
            lambda: run(
                "overview.forecast",
                {"column": "active_customers"},
                lambda: overview.forecast(out.monthly, "active_customers"),
            ),
        )
        out.cohorts = _attempt(
            notes, "cohorts", lambda: run("overview.cohorts", None, lambda: overview.cohort_retention(tx))
        )
    else:
        notes["monthly"] = "Monthly revenue, the forecast and cohorts need an orders file with dates."
    step(0.2, "Segments")
    out.segmentation = _attempt(notes, "segments", lambda: default_segmentation(ds, run))
    step(0.4, "Churn models")
    if predict.label_source(ds) is None:
        notes["churn"] = "Churn needs a column saying who left, or an orders file with dates."
    else:
        data = _attempt(
            notes,
            "churn",
            lambda: run(
                "predict.data", {"horizon": HORIZON_DAYS}, lambda: predict.churn_data(ds, horizon_days=HORIZON_DAYS)
            ),
        )
        if data is not None:
            key = {"horizon": HORIZON_DAYS, "features": data.features}
            comparison = _attempt(
                notes, "churn", lambda: run("predict.compare", key, lambda: predict.compare_churn_models(data))
            )
            if comparison is not None:
                model = run(
                    "predict.model",
                    {**key, "model": comparison.best},
                    lambda: predict.fit_churn_model(data, comparison.best),
                )
                out.churn, out.churn_comparison = data, comparison
                out.churn_risk = predict.churn_risk(data, comparison, model)
                out.headline["churn_rate"] = data.churn_rate
    if tx is not None and {"customer_id", "timestamp", "amount"} <= set(tx.columns):
        step(0.6, "Lifetime value")
        out.lifetime = _attempt(
            notes,
            "lifetime value",
            lambda: run(
                "predict.clv", {"horizon": HORIZON_DAYS}, lambda: clv.lifetime_value(tx, horizon_days=HORIZON_DAYS)
            ),
        )
    step(0.7, "Feedback")
    out.feedback = _attempt(notes, "feedback", lambda: sentiment.dataset_analysis(ds))
    if out.feedback is not None:
        out.headline["mean_sentiment"] = float(out.feedback.valid["compound"].mean())
    else:
        notes.setdefault("feedback", "Sentiment needs a feedback or reviews file with a text column.")
    step(0.8, "Recommendations")
    out.offers = _attempt(notes, "recommendations", lambda: _offers(ds, run))
    step(1.0, "Done")
    return out


def default_segmentation(ds: Any, run: Runner) -> Any:
    """The Segments page's default fit at the suggested k (same cache steps and parameters as the page)."""
    from insight import segment

    customers, roles = ds.customers, ds.customer_roles
    defaults = segment.default_params(customers, roles)
    base = {key: defaults[key] for key in ("features", "scaling", "log", "algorithm", "linkage")}

    def sweep_defaults() -> Any:
        X = segment.prepare(customers, roles, base["features"], base["scaling"], base["log"])[1]
        return segment.sweep(X, algorithm=base["algorithm"], linkage=base["linkage"])

    sweep = run("segment.sweep", base, sweep_defaults)
    params = {**base, "k": sweep.suggested_k, "eps": None}
    return run("segment.fit", params, lambda: segment.analyse(customers, roles, **params))


def _offers(ds: Any, run: Runner) -> pd.DataFrame:
    """Everyone's top-10 from the quick comparison's best model (the Recommendations page's cache steps)."""
    from insight import recommend

    source = (recommend.sources(ds) or ["auto"])[0]
    inter = run("recommend.interactions", {"source": source}, lambda: recommend.interactions_from_dataset(ds, source))
    models = list(recommend.QUICK_COMPARISON)
    comparison = run(
        "recommend.compare", {"source": source, "models": models}, lambda: recommend.compare_models(inter, models)
    )
    rec = run(
        "recommend.fit",
        {"source": source, "model": comparison.best},
        lambda: recommend.Recommender(comparison.best).fit(
            inter, exclude=recommend.purchases(ds) if source == "ratings" else None
        ),
    )
    catalog = run("recommend.catalog", None, lambda: recommend.item_catalog(ds))
    return run(
        "report.offers",
        {"source": source, "model": comparison.best},
        lambda: recommend.recommend_all(rec, catalog=catalog),
    )


def customers_with_results(ds: Any, a: Analyses) -> pd.DataFrame:
    """The customer table plus segment, churn risk and value (12-month CLV, else spend) where available."""
    c = ds.customers.copy()
    if a.segmentation is not None:
        c = c.merge(a.segmentation.labels_frame(), on="customer_id", how="left")
    if a.churn_risk is not None:
        c["churn_risk"] = c["customer_id"].map(a.churn_risk)
    if a.lifetime is not None and "clv_12m" in a.lifetime.table:
        clv_table = a.lifetime.table
        c["value"] = c["customer_id"].map(clv_table.set_index("customer_id")["clv_12m"])
    elif "monetary" in c:
        c["value"] = c["monetary"]
    return c


def evidence(ds: Any, a: Analyses) -> Any:
    """The findings' inputs from the analyses."""
    from insight.findings import Evidence

    offers = None
    if a.offers is not None and len(a.offers):
        first = a.offers[a.offers["rank"] == 1]
        offers = pd.DataFrame({"customer_id": first["customer_id"], "item": first["item_name"]})
    fb = a.feedback.valid if a.feedback is not None else None
    return Evidence(
        customers=customers_with_results(ds, a),
        monthly=a.monthly,
        transactions=ds.transactions(),
        feedback=fb,
        themes=a.feedback.themes if a.feedback is not None else None,
        offers=offers,
    )


def _money(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f}"


def _share(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def headline_figures(a: Analyses) -> dict[str, str]:
    """The headline numbers as the overview and the report print them."""
    h = a.headline
    figures = {
        "Customers": f"{h['customers']:,.0f}",
        "Revenue": _money(h.get("revenue")),
        "Repeat-purchase rate": _share(h.get("repeat_rate")),
    }
    if h.get("churn_rate") is not None:
        figures["Churn rate"] = _share(h["churn_rate"])
    if h.get("mean_sentiment") is not None:
        figures["Mean sentiment"] = f"{h['mean_sentiment']:+.2f}"
    return figures


def sections(ds: Any, a: Analyses, found: list[Any]) -> list[Section]:
    """The report's sections: overview, segments, value & churn, feedback, recommendations."""
    from insight import charts

    out = [Section("Overview", figures=headline_figures(a), findings=[f.text for f in found])]
    if a.revenue_forecast is not None:
        fc = a.revenue_forecast
        out[0].charts.append(charts.monthly_forecast_chart(fc.history, fc.forecast, "Revenue by month", "Revenue"))
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
                figures={"Segments": str(seg.n_segments), "Silhouette": f"{seg.silhouette:.2f}"},
                tables=[("Who they are", personas)],
            )
        )
    if a.churn_comparison is not None:
        comp = a.churn_comparison
        metrics = comp.metrics.reset_index().rename(columns={"index": "model"})
        section = Section(
            "Value and churn",
            figures={"Churn rate": _share(a.churn.churn_rate), "Best model": comp.best},
            charts=[charts.churn_auc_bar(comp.metrics, comp.best)],
            tables=[("Churn models compared (cross-validated)", metrics)],
        )
        if a.lifetime is not None:
            summary = a.lifetime.summary()
            if summary.get("total_clv_12m") is not None:
                section.figures["12-month value"] = _money(summary["total_clv_12m"])
            section.figures["Mean P(alive)"] = _share(summary["mean_p_alive"])
        out.append(section)
    fb = a.feedback
    if fb is not None:
        shares = fb.shares()
        section = Section(
            "Feedback",
            figures={"Texts scored": f"{len(fb.valid):,}"},
            paragraphs=[fb.measure_reason],
            charts=[charts.sentiment_shares_bar(shares)],
        )
        for side in ("negative", "positive"):
            themes = fb.themes[fb.themes["side"] == side] if len(fb.themes) else fb.themes
            if len(themes):
                section.charts.append(charts.themes_bar(fb.themes, side))
        out.append(section)
    if a.offers is not None and len(a.offers):
        first = a.offers[a.offers["rank"] == 1]
        top = first["item_name"].value_counts().head(10).rename_axis("first offer").reset_index(name="customers")
        out.append(
            Section(
                "Recommendations",
                figures={"Customers with offers": f"{first['customer_id'].nunique():,}"},
                tables=[("Most common first offers", top)],
            )
        )
    return out


def build_html(ds: Any, a: Analyses | None = None) -> str:
    """The whole report for a dataset (running any analysis not cached yet)."""
    from insight.findings import findings

    a = a or collect(ds)
    return render("Customer Insight report", ds.name, sections(ds, a, findings(evidence(ds, a))))
