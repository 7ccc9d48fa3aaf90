"""Recommendations page: what to offer each customer next, similar items, the model comparison, a CSV for all."""

import pandas as pd
import streamlit as st

from insight import charts
from insight.errors import InsightError
from insight.labels import friendly_columns, rounded, safe_md
from insight.pipeline import POPULARITY, model_names
from ui import download_csv, pipeline, read_only, show_error, show_verdict

st.title("Recommendations")
st.caption("What to offer each customer next, learned from their ratings or from what they bought.")

pipe = pipeline()
ds = pipe.ds
sources = pipe.rec_sources()
if not sources:
    st.info(
        pipe.customer_gap()
        or "Recommendations need a ratings file (customer, item, rating) or an orders file with a customer and a "
        "product column. Add one on the Data page."
    )
    st.stop()

labels = {"ratings": "Customers' ratings", "implicit": "Purchases"}
source = sources[0]
if len(sources) > 1:
    source = st.radio("Learn from", sources, format_func=labels.get, horizontal=True, key="rec_source")
try:
    inter = pipe.interactions(source)
    catalog = pipe.catalog()
except InsightError as exc:
    show_error(exc)
    st.stop()
st.caption(safe_md(inter.note))
names = dict(catalog["name"])

comparison = None
try:
    with st.spinner("Comparing models on what customers did next…"):
        comparison = pipe.rec_comparison(source, full=bool(st.session_state.get("rec_full")))
        show_verdict(comparison.verdict)
except InsightError as exc:
    show_error(exc)

choices = [POPULARITY, *model_names(source)]
best = comparison.best if comparison is not None else choices[1]
left, right = st.columns(2)
model = left.selectbox("Model", choices, index=choices.index(best), key="rec_model", help=f"Suggested: {best}.")
segment_cols = [c for c in ds.customer_roles.get("categorical", []) if c in ds.customers]
segment_col = right.selectbox(
    "Group for new customers (they get what is popular in their group)",
    ["(everyone)", *segment_cols],
    index=1 if segment_cols else 0,
    key="rec_segment",
)

try:
    with st.spinner(f"Fitting {model}…"):
        rec = pipe.recommender(source, model)
    all_recs = pipe.recommendations(source, model, segment_col if segment_col in segment_cols else None)
except InsightError as exc:
    show_error(exc)
    st.stop()
customers = pd.Index(ds.customers["customer_id"].astype(str)).union(pd.Index(rec.customers_.astype(str)))

verb = "bought" if source == "implicit" else "rated"


def named(frame: pd.DataFrame) -> pd.DataFrame:
    """Item names first, similarity as a 0-100 share, for the similar-items tables."""
    out = frame.assign(Item=frame["item_id"].map(lambda i: names.get(i, i)), Similarity=frame["similarity"] * 100)
    out = out.rename(columns={"together": "Customers with both"})
    return out[["Item", "Similarity", *(["Customers with both"] if "together" in frame else [])]]


similarity_cols = {"Similarity": st.column_config.ProgressColumn(format="%.0f", min_value=0, max_value=100)}
tab_customer, tab_item, tab_models, tab_all = st.tabs(["A customer", "An item", "Model comparison", "Everyone"])

with tab_customer:
    customer = st.selectbox("Customer", list(customers), key="rec_customer")
    history = pipe.customer_history(customer, source)
    mine = all_recs[all_recs["customer_id"] == customer]
    col_a, col_b = st.columns([2, 3])
    col_a.subheader(f"What they {verb}")
    if history.empty:
        col_a.info(f"Nothing {verb} yet: this customer is new to the model.")
    col_a.dataframe(
        history.drop(columns="item_id").rename(columns={"item_name": "Item", "rating": "Stars", "timestamp": "When"}),
        hide_index=True,
        width="stretch",
        column_config={
            "Stars": st.column_config.NumberColumn(format="%.1f"),
            "When": st.column_config.DatetimeColumn(format="D MMM YYYY"),
        },
    )
    col_b.subheader("Offer next")
    score_name = "Score" if source == "implicit" else "Predicted stars"  # purchase models rank, they predict no stars
    col_b.dataframe(
        mine[["rank", "item_name", "reason", "score"]].rename(
            columns={"rank": "#", "item_name": "Item", "reason": "Why", "score": score_name}
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "#": st.column_config.NumberColumn(width="small"),
            "Why": st.column_config.TextColumn(width="large"),
            score_name: st.column_config.NumberColumn(format="%.2f"),
        },
    )

with tab_item:
    items = list(rec.items_)
    item = st.selectbox("Item", items, format_func=lambda i: f"{names.get(i, i)} ({i})", key="rec_item")
    col_a, col_b, col_c = st.columns(3)
    col_a.markdown(f"**Customers who {verb} this also {verb}**")
    col_a.dataframe(named(rec.similar_items(item, method="cobought")), hide_index=True, column_config=similarity_cols)
    col_b.markdown(f"**Similar in {model}**")
    try:
        near = rec.similar_items(item, method="model").drop(columns="together")
        col_b.dataframe(named(near), hide_index=True, column_config=similarity_cols)
    except InsightError as exc:
        col_b.caption(safe_md(exc))
    col_c.markdown("**Similar by name**")
    try:
        content = pipe.content_index()
        col_c.dataframe(named(content.neighbours(item)), hide_index=True, column_config=similarity_cols)
    except InsightError as exc:
        col_c.caption(safe_md(exc))

with tab_models:
    if comparison is not None:
        table = comparison.table
        st.markdown(f"**Suggested model: {comparison.best}** ({comparison.rule}).")
        if comparison.best == POPULARITY:
            st.info("The most popular items beat every model on what customers did next, so they are the default.")
        if table.loc[POPULARITY, "hit_rate"] > table.loc[comparison.best, "hit_rate"]:
            st.warning("Simply offering the most popular items did better on recent choices than the suggested model.")
        st.altair_chart(charts.recommend_metrics_bar(table, comparison.best), width="stretch")
        shown = table.drop(columns="seconds").map(lambda v: "–" if pd.isna(v) else f"{v:.3f}")
        st.dataframe(friendly_columns(shown.rename_axis("Model").reset_index()), hide_index=True, width="stretch")
        st.caption(
            "RMSE / MAE (star ratings only): average error of predicted ratings in 5-fold cross-validation (lower "
            "is better). Hit rate, precision@10, recall@10, NDCG@10: each customer's most recent items were hidden, "
            "then checked against the top 10 the model offered (higher is better; NDCG also rewards a hit near the "
            "top). Popularity is the baseline to beat."
        )
    if (
        not read_only()
        and not st.session_state.get("rec_full")
        and st.button("Compare all models (slower)", key="btn_rec_full")
    ):
        st.session_state["rec_full"] = True
        st.rerun()

with tab_all:
    counts = all_recs.drop_duplicates("customer_id")["basis"].value_counts()
    st.markdown(
        f"Top 10 for **{all_recs['customer_id'].nunique():,}** customers: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + "."
    )
    score_column = "score" if source == "implicit" else "predicted_stars"
    everyone = friendly_columns(all_recs.rename(columns={"score": score_column, "basis": "based_on"}))
    st.dataframe(rounded(everyone.head(200)), hide_index=True, width="stretch")
    download_csv(everyone, "recommendations_top10.csv", label="Download top 10 for everyone (CSV)", key="dl_offers")
