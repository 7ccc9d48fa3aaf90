"""Overview: the first figures at once, then each analysis's answer as soon as it is ready, and the findings."""

import streamlit as st

from insight import charts, report
from insight.errors import InsightError, Withheld
from insight.formats import share
from insight.i18n import _, keep_language
from insight.labels import safe_md
from insight.pipeline import overview_findings, sections
from insight.report import words
from ui import PENDING, ask, pipeline, show_verdict

st.title(_("Overview"))
pipe = pipeline()
ds = pipe.ds
st.caption(
    _("{name}: the answers on one page. Each one links to the page that shows the detail.").format(
        name=safe_md(ds.name)
    )
)

figures = list(words.headline_figures(pipe.headline(), ds.currency).items())
for start in range(0, len(figures), 3):  # three to a row, each as wide as its value needs (a period is long)
    row = figures[start : start + 3]
    for col, (label, value) in zip(st.columns([max(len(value), 9) for _label, value in row]), row, strict=True):
        col.metric(label, value)

if note := words.revenue_note(pipe.headline()):
    st.caption(safe_md(note))

found_slot = st.container()
done: list[bool] = []


def card(title: str, page: str | None, name: str, section, label: str, render) -> None:
    """One analysis: its answer when ready, else its progress; a link to the page with the detail."""
    with st.container(border=True):
        left, right = st.columns([5, 1])
        left.subheader(title)
        if page:
            right.page_link(f"app_pages/{page}.py", label=_("Show me"), icon=":material/arrow_forward:")
        try:
            result = ask(name, section, label)  # what `section` returns, once the worker has put it in the store
        except InsightError as exc:
            st.info(safe_md(exc))
            done.append(True)
            return
        done.append(result is not PENDING)
        if result is not PENDING:
            render(result)


def months(_result=None) -> None:
    monthly = pipe.monthly()
    left, right = st.columns(2)
    for col, column, title, axis in (
        (left, "revenue", _("Revenue by month"), _("Revenue")),
        (right, "active_customers", _("Customers who bought, by month"), _("Customers")),
    ):
        try:
            fc = pipe.forecast(column)
        except InsightError as exc:
            col.info(safe_md(exc))
            continue
        with col:
            show_verdict(fc.verdict)
        col.altair_chart(charts.monthly_forecast_chart(fc.history, fc.forecast, title, axis), width="stretch")
        if fc.backtest_mape is not None:
            col.caption(
                _(
                    "The dashed line is the next 3 months, with a 90% band. Tried on the last 3 known months, the "
                    "forecast was off by {share} on average."
                ).format(share=share(fc.backtest_mape))
            )
    if len(monthly) > 1:
        try:
            st.altair_chart(charts.cohort_heatmap(pipe.cohorts()), width="stretch")
        except InsightError as exc:
            st.info(safe_md(exc))


card(_("Revenue and customers by month"), None, "months", sections.months, _("Adding up the months"), months)


def with_verdict(verdict, sentence) -> None:
    """A card's verdict, then its sentence; a result the verdict withholds shows why instead (as in the report)."""
    show_verdict(verdict)
    if verdict.usable:
        st.markdown(safe_md(sentence()))
    else:
        st.info(safe_md(Withheld(verdict, _("The figures"))))


card(
    _("Segments"),
    "segments",
    "segments",
    sections.segments,
    _("Finding groups of customers"),
    lambda seg: with_verdict(seg.verdict, lambda: words.segments_sentence(seg)),
)
card(
    safe_md(ds.outcome.say("card")),
    "predict",
    "churn",
    sections.churn,
    safe_md(ds.outcome.say("fitting")),
    lambda churn: st.markdown(safe_md(words.churn_sentence(*churn))),
)
card(
    _("What customers are worth"),
    "predict",
    "value",
    sections.value,
    _("Estimating lifetime value"),
    lambda lifetime: with_verdict(lifetime.verdict, lambda: words.value_sentence(lifetime, ds.currency)),
)
card(
    _("What customers say"),
    "feedback",
    "feedback",
    sections.feedback,
    _("Reading the feedback"),
    lambda fb: with_verdict(fb[1], lambda: words.feedback_sentence(fb[0])),
)
card(
    _("What to offer next"),
    "recommend",
    "offers",
    sections.offers,
    _("Comparing recommendation models"),
    lambda offers: st.markdown(safe_md(words.recommendations_sentence(*offers))),
)

with found_slot:
    st.subheader(_("What stands out"))
    if not all(done):
        st.caption(_("The findings come once the analyses below are done; the figures above are ready now."))
    elif (analyses := ask("findings", sections.findings, _("Looking for what stands out"))) is not PENDING:
        found = overview_findings(pipe, analyses)
        if not found:
            st.info(_("Nothing stands out strongly in this data yet. The pages on the left show the detail."))
        for f in found:
            left, right = st.columns([5, 1])
            left.markdown(f"- {safe_md(f.text)}")
            right.page_link(f"app_pages/{f.page}.py", label=_("Show me"), icon=":material/arrow_forward:")
        st.download_button(
            _("Download the report (HTML, opens offline)"),
            keep_language(lambda: report.build_html(pipe, analyses).encode("utf-8")),  # made on click, elsewhere
            file_name="customer-insight-report.html",
            mime="text/html",
            key="dl_report",
        )
