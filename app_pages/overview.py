"""Overview: the headline figures, revenue and customers by month with a forecast, cohorts, and the findings."""

import streamlit as st

from insight import charts
from insight.pipeline import collect, overview_findings
from insight.report import build_html, headline_figures
from ui import escape_md, pipeline, show_verdict

st.title("Overview")
pipe = pipeline()
ds = pipe.ds
st.caption(f"{escape_md(ds.name)} — the answers on one page. Each finding links to the page that shows it.")

with st.status("Running the analyses (once per dataset)…", expanded=False) as status:
    bar = st.progress(0.0)
    analyses = collect(pipe, progress=lambda f, text: bar.progress(f, text=text))
    status.update(label="Analyses ready", state="complete")

figures = headline_figures(analyses)
for col, (label, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
    col.metric(label, value)

found = overview_findings(pipe, analyses)
st.subheader("What stands out")
if not found:
    st.info("Nothing stands out strongly in this data yet. The pages on the left show the detail.")
for f in found:
    left, right = st.columns([5, 1])
    left.markdown(f"- {escape_md(f.text)}")
    right.page_link(f"app_pages/{f.page}.py", label="Show me", icon=":material/arrow_forward:")

st.subheader("Revenue and active customers by month")
if analyses.monthly is None:
    st.info("Upload an orders or payments file with dates on the Data page to see months, the forecast and cohorts.")
else:
    left, right = st.columns(2)
    for col, fc, title, axis in (
        (left, analyses.revenue_forecast, "Revenue by month", "Revenue"),
        (right, analyses.active_forecast, "Active customers by month", "Customers who bought"),
    ):
        if fc is None:
            col.info(analyses.notes.get("forecast", "Not enough months for a forecast."))
            continue
        with col:
            show_verdict(fc.verdict)
        col.altair_chart(charts.monthly_forecast_chart(fc.history, fc.forecast, title, axis), width="stretch")
        if fc.backtest_mape is not None:
            col.caption(
                f"Next 3 months by {fc.method}, with a 90% band. Tested on the last 3 known months it was off by "
                f"{100 * fc.backtest_mape:.0f}% on average."
            )
    if analyses.cohorts is not None:
        st.subheader("Do customers come back?")
        st.altair_chart(charts.cohort_heatmap(analyses.cohorts), width="stretch")

for part, why in analyses.notes.items():
    if part != "forecast":
        st.caption(f"ℹ️ {part.capitalize()}: {why}")

st.subheader("Report")
html = pipe.run("report.html", None, lambda: build_html(pipe, analyses))
st.download_button(
    "Download the report (HTML, opens offline)",
    html.encode("utf-8"),
    file_name="customer-insight-report.html",
    mime="text/html",
    key="ov_report_download",
)
