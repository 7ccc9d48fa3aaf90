"""Recommendations page: what to offer each customer next, similar items, the model comparison, a CSV for all."""

import pandas as pd
import streamlit as st

from insight.errors import InsightError
from insight.formats import count
from insight.i18n import N_, _, join
from insight.labels import friendly_columns, rounded, safe_md
from insight.pipeline import POPULARITY, model_names
from ui import download_csv, pipeline, read_only, show_error, show_verdict
from ui.panels import comparison_panel

st.title(_("Recommendations"))
st.caption(_("What to offer each customer next, learned from their ratings or from what they bought."))

pipe = pipeline()
ds = pipe.ds
sources = pipe.rec_sources()
if not sources:
    st.info(
        pipe.customer_gap()
        or _(
            "Recommendations need a ratings file (customer, item, rating) or an orders file with a customer and a "
            "product column. Add one on the Data page."
        )
    )
    st.stop()

labels = {"ratings": N_("Customers' ratings"), "implicit": N_("Purchases")}
source = sources[0]
if len(sources) > 1:
    by_words = {_(labels[s]): s for s in sources}  # in words: the source
    source = by_words.get(st.radio(_("Learn from"), list(by_words), horizontal=True, key="rec_source"), sources[0])
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
    with st.spinner(_("Comparing models on what customers did next…")):
        comparison = pipe.rec_comparison(source, full=bool(st.session_state.get("rec_full")))
        show_verdict(comparison.verdict)
except InsightError as exc:
    show_error(exc)

choices = [POPULARITY, *model_names(source)]
best = comparison.best if comparison is not None else choices[1]
left, right = st.columns(2)
model = left.selectbox(
    _("Model"), choices, index=choices.index(best), key="rec_model", help=_("Suggested: {model}.").format(model=best)
)
segment_cols = [c for c in ds.customer_roles.get("categorical", []) if c in ds.customers]
segment_col = right.selectbox(
    _("Group for new customers (they get what is popular in their group)"),
    [_("(everyone)"), *segment_cols],
    index=1 if segment_cols else 0,
    key="rec_segment",
)

try:
    with st.spinner(_("Fitting {model}…").format(model=model)):
        rec = pipe.recommender(source, model)
    all_recs = pipe.recommendations(source, model, segment_col if segment_col in segment_cols else None)
except InsightError as exc:
    show_error(exc)
    st.stop()
customers = pd.Index(ds.customers["customer_id"].astype(str)).union(pd.Index(rec.customers_.astype(str)))


def named(frame: pd.DataFrame) -> pd.DataFrame:
    """Item names first, similarity as a 0-100 share, for the similar-items tables."""
    item, similarity, both = _("Item"), _("Similarity"), _("Customers with both")
    out = frame.assign(**{item: frame["item_id"].map(lambda i: names.get(i, i)), similarity: frame["similarity"] * 100})
    out = out.rename(columns={"together": both})
    return out[[item, similarity, *([both] if "together" in frame else [])]]


similarity_cols = {_("Similarity"): st.column_config.ProgressColumn(format="%.0f", min_value=0, max_value=100)}
tab_customer, tab_item, tab_models, tab_all = st.tabs(
    [_("A customer"), _("An item"), _("Model comparison"), _("Everyone")]
)

with tab_customer:
    customer = st.selectbox(_("Customer"), list(customers), key="rec_customer")
    history = pipe.customer_history(customer, source)
    mine = all_recs[all_recs["customer_id"] == customer]
    col_a, col_b = st.columns([2, 3])
    col_a.subheader(_("What they bought") if source == "implicit" else _("What they rated"))
    if history.empty:
        new = _("Nothing bought yet: this customer is new to the model.")
        col_a.info(new if source == "implicit" else _("Nothing rated yet: this customer is new to the model."))
    stars, when = _("Stars"), _("When")
    col_a.dataframe(
        history.drop(columns="item_id").rename(columns={"item_name": _("Item"), "rating": stars, "timestamp": when}),
        hide_index=True,
        width="stretch",
        column_config={
            stars: st.column_config.NumberColumn(format="%.1f"),
            when: st.column_config.DatetimeColumn(format=_("D MMM YYYY")),
        },
    )
    col_b.subheader(_("Offer next"))
    # purchase models rank, they predict no stars
    score_name = _("Score") if source == "implicit" else _("Predicted stars")
    why = _("Why")
    col_b.dataframe(
        mine[["rank", "item_name", "reason", "score"]].rename(
            columns={"rank": "#", "item_name": _("Item"), "reason": why, "score": score_name}
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "#": st.column_config.NumberColumn(width="small"),
            why: st.column_config.TextColumn(width="large"),
            score_name: st.column_config.NumberColumn(format="%.2f"),
        },
    )

with tab_item:
    items = list(rec.items_)
    item = st.selectbox(_("Item"), items, format_func=lambda i: f"{names.get(i, i)} ({i})", key="rec_item")
    col_a, col_b, col_c = st.columns(3)
    col_a.markdown(
        _("**Customers who bought this also bought**")
        if source == "implicit"
        else _("**Customers who rated this also rated**")
    )
    col_a.dataframe(named(rec.similar_items(item, method="cobought")), hide_index=True, column_config=similarity_cols)
    col_b.markdown(_("**Similar in {model}**").format(model=model))
    try:
        near = rec.similar_items(item, method="model").drop(columns="together")
        col_b.dataframe(named(near), hide_index=True, column_config=similarity_cols)
    except InsightError as exc:
        col_b.caption(safe_md(exc))
    col_c.markdown(_("**Similar by name**"))
    try:
        content = pipe.content_index()
        col_c.dataframe(named(content.neighbours(item)), hide_index=True, column_config=similarity_cols)
    except InsightError as exc:
        col_c.caption(safe_md(exc))

with tab_models:
    if comparison is not None:
        comparison_panel(comparison)
    if (
        not read_only()
        and not st.session_state.get("rec_full")
        and st.button(_("Compare all models (slower)"), key="btn_rec_full")
    ):
        st.session_state["rec_full"] = True
        st.rerun()

with tab_all:
    counts = all_recs.drop_duplicates("customer_id")["basis"].value_counts()
    bases = join([_("{n} {basis}").format(n=count(v), basis=_(k)) for k, v in counts.items()])
    top10 = _("Top 10 for **{n}** customers: {bases}.")
    st.markdown(top10.format(n=count(all_recs["customer_id"].nunique()), bases=bases))
    score_column = "score" if source == "implicit" else "predicted_stars"
    everyone = friendly_columns(all_recs.rename(columns={"score": score_column, "basis": "based_on"}))
    st.dataframe(rounded(everyone.head(200)), hide_index=True, width="stretch")
    download_csv(everyone, "recommendations_top10.csv", label=_("Download top 10 for everyone (CSV)"), key="dl_offers")
