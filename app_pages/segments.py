"""Segments page: groups of similar customers, a slider for how many, who they are, and who fits no group."""

import pandas as pd
import streamlit as st

from insight.errors import InsightError
from insight.i18n import _, language
from insight.labels import column_label, friendly_columns, nice_name, rounded, safe_label, safe_md
from insight.pipeline import ALGORITHM_LABELS, LINKAGES, LOG_LABELS, SCALING_LABELS, stability_word
from insight.store import cache_key
from ui import download_csv, pipeline, read_only, show_error, show_verdict
from ui.panels import k_tab, profile_tab, segment_map_tab, unusual_tab
from ui_audiences import audience_panel, with_next_order

st.title("Segments")
st.caption("Groups of customers who behave alike: how many to make, what sets each apart, and who fits none.")

pipe = pipeline()
ds = pipe.ds
customers = ds.customers
cand = pipe.segment_options()
options = cand["behaviour"] + cand["numeric"] + cand["categorical"]
if not options:
    st.info(
        pipe.customer_gap()
        or "Segments need columns that describe customers: add an orders file or a customers file with numbers."
    )
    st.stop()
if not set(st.session_state.get("seg_features", [])) <= set(options):
    del st.session_state["seg_features"]  # chosen on another dataset

defaults = pipe.segment_defaults()
with st.expander("Settings: columns, scaling, algorithm"):
    left, right = st.columns(2)
    features = left.multiselect(
        "Columns that describe a customer",
        options,
        default=defaults["features"],
        format_func=column_label,
        key="seg_features",
        help="Default: recency, frequency, spend and basket size, plus numeric attributes. Never ids or personal data.",
    )
    choice = {}  # each choice starts from the pipeline's default
    for name, column, label, labels in (
        ("scaling", left, "Scaling", SCALING_LABELS),
        ("log", left, "Log transform", LOG_LABELS),
        ("algorithm", right, "Algorithm", ALGORITHM_LABELS),
    ):
        values = list(labels)
        choice[name] = column.selectbox(
            label,
            values,
            index=values.index(defaults[name]),
            format_func=lambda v, ls=labels: _(ls[v]),
            key=f"seg_{name}",
        )
    scaling, log, algorithm = choice["scaling"], choice["log"], choice["algorithm"]
    linkage = defaults["linkage"]
    if algorithm == "agglomerative":
        linkage = right.selectbox("Linkage", list(LINKAGES), index=LINKAGES.index(linkage), key="seg_linkage")

base = {"features": features, "scaling": scaling, "log": log, "algorithm": algorithm, "linkage": linkage}
try:
    scaler, X = pipe.segment_matrix(features, scaling, log)
except InsightError as exc:
    show_error(exc)
    st.stop()

sweep, eps, k, curve = None, None, None, None
try:
    if algorithm == "dbscan":
        suggested_eps, curve = pipe.kdistance(features, scaling, log)
        top = float(curve.max())
        if st.session_state.get("seg_eps_for") != cache_key(ds.fingerprint, "eps", base):
            st.session_state.pop("seg_eps", None)  # new data or columns: start from the suggested radius
            st.session_state["seg_eps_for"] = cache_key(ds.fingerprint, "eps", base)
        eps = st.slider(
            "Neighbourhood radius (eps)",
            0.01,
            round(top, 2) + 0.01,
            value=round(suggested_eps, 2),
            step=0.01,
            key="seg_eps",
            help=f"Suggested {suggested_eps:.2f}: the knee of the sorted distances below.",
        )
    else:
        with st.spinner("Trying 2 to 12 segments…"):
            sweep = pipe.segment_sweep(features, scaling, log, algorithm, linkage)
        max_k = int(sweep.table["k"].max())
        if st.session_state.get("seg_k_for") != cache_key(ds.fingerprint, "k", base):
            st.session_state.pop("seg_k", None)  # new data or settings: start from the suggested k
            st.session_state["seg_k_for"] = cache_key(ds.fingerprint, "k", base)
        k = st.slider("Number of segments", 2, max_k, value=sweep.suggested_k, key="seg_k")
        st.caption(safe_md(f"Suggested: {sweep.reason}"))
    params = pipe.segment_params(**base, k=k, eps=eps)
    seg = pipe.segmentation(**params)
    show_verdict(seg.verdict)
    stable = pipe.segment_stability(**params)
    seg_map = pipe.segment_map(features, scaling, log)
except InsightError as exc:
    show_error(exc)
    st.stop()

# --- names: automatic personas, renamed by the user (kept per dataset and settings) ---------------------------
renames_by_view = st.session_state.setdefault("segment_renames", {}).setdefault(ds.fingerprint, {})
view = cache_key(ds.fingerprint, "segment.fit", params)
renames = renames_by_view.setdefault(view, {})
names = {**seg.names, **renames}
st.session_state["segments"] = seg.labels_frame(renames)

a, b, c, d = st.columns(4)
a.metric("Segments", seg.n_segments)
b.metric(
    "Silhouette",
    "n/a" if pd.isna(seg.silhouette) else f"{seg.silhouette:.2f}",
    help="-1 to 1: how clearly customers sit inside their own group.",
)
c.metric(
    "Stability",
    stability_word(stable),
    help=f"Adjusted Rand index {stable:.2f} (1 = identical) between these segments and refits on random 80% "
    "samples from other random starts; below 0.75 counts as shaky.",
)
d.metric("Customers", f"{len(customers):,}")
notes = []
if seg.log_columns:
    notes.append(f"very uneven columns were compared on a log scale: {', '.join(map(nice_name, seg.log_columns))}")
if seg.fitted_on < len(customers):
    notes.append(f"fitted on a sample of {seg.fitted_on:,} customers; the rest joined the nearest group")
if notes:
    st.caption(safe_md("; ".join(notes).capitalize() + "."))

tab_who, tab_k, tab_map, tab_profile, tab_odd, tab_all = st.tabs(
    ["Who they are", "How many segments", "Map", "Profiles", "Unusual customers", "Customers"]
)

with tab_who:
    for p in seg.personas:
        st.markdown(f"**{safe_md(names[p.segment])}**: {safe_md(p.description)}")
    with st.expander("Rename segments"):
        st.caption("Names you give stay for this dataset and these settings.")
        for p in seg.personas:
            new = st.text_input(
                f"Segment {p.segment + 1 if p.segment >= 0 else '(no group)'}: {safe_label(p.name)}",
                value=names[p.segment],
                key=f"seg_name_{view[:12]}_{language()}_{p.segment}",  # the name shown changes with the language
                disabled=read_only(),
            ).strip()
            if new and new != names[p.segment]:
                renames[p.segment] = new
                st.rerun()

with tab_k:
    k_tab(sweep, k, curve, eps)
with tab_map:
    segment_map_tab(seg, seg_map, names, customers, scaler.numeric)
with tab_profile:
    profile_tab(seg, names)
with tab_odd:
    unusual_tab(seg, names)

with tab_all:
    table = st.session_state["segments"].merge(customers[["customer_id", *scaler.numeric]], on="customer_id")
    table, next_note = with_next_order(pipe, table)
    table = friendly_columns(table)
    st.dataframe(rounded(table.head(1000)), hide_index=True, width="stretch")
    if len(table) > 1000:
        st.caption(f"The first 1,000 of {len(table):,} customers; the download has all of them.")
    st.caption(safe_md(next_note or ""))
    download_csv(table, "customer_segments.csv", label="Download customers with their segment (CSV)", key="dl_segments")

segments = st.session_state["segments"].set_index("customer_id")["segment"]
audience_panel(pipe, "segments", ("segments",), segments=segments, segments_verdict=seg.verdict)
