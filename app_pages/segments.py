"""Segments page: groups of similar customers, a slider for how many, who they are, and who fits no group."""

import pandas as pd
import streamlit as st

from insight import charts
from insight.errors import InsightError
from insight.i18n import language
from insight.labels import column_label, friendly_columns, nice_name, rounded, safe_label, safe_md
from insight.pipeline import LINKAGES, SILHOUETTE_SAMPLE, stability_word
from insight.store import cache_key
from ui import download_csv, pipeline, read_only, show_error, show_verdict
from ui_audiences import audience_panel, with_next_order

SCALING_LABELS = {
    "zscore": "Z-score (mean 0, spread 1)",
    "minmax": "Min-max (0 to 1)",
    "robust": "Robust (median and quartiles)",
}
LOG_LABELS = {"auto": "Log very skewed columns", "on": "Log all skewed columns", "off": "No log transform"}
ALGORITHM_LABELS = {
    "kmeans": "K-Means",
    "agglomerative": "Agglomerative (hierarchical)",
    "dbscan": "DBSCAN (finds its own number of groups)",
    "gmm": "Gaussian mixture",
}

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
    scaling = left.selectbox("Scaling", list(SCALING_LABELS), format_func=SCALING_LABELS.get, key="seg_scaling")
    log = left.selectbox("Log transform", list(LOG_LABELS), format_func=LOG_LABELS.get, key="seg_log")
    algorithm = right.selectbox(
        "Algorithm", list(ALGORITHM_LABELS), format_func=ALGORITHM_LABELS.get, key="seg_algorithm"
    )
    linkage = "ward"
    if algorithm == "agglomerative":
        linkage = right.selectbox("Linkage", list(LINKAGES), key="seg_linkage")

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
    if sweep is not None:
        st.altair_chart(charts.segment_sweep(sweep.table, sweep.suggested_k, k))
        st.caption(
            f"Dashed: suggested k = {sweep.suggested_k}; solid: your choice. The elbow of the inertia curve is at "
            f"k = {sweep.knee_k}. Silhouette is computed on up to {SILHOUETTE_SAMPLE:,} customers."
        )
        st.dataframe(rounded(friendly_columns(sweep.table), 3), hide_index=True, width="stretch")
    else:
        frame = pd.DataFrame({"rank": range(len(curve)), "distance": curve})
        st.altair_chart(charts.kdistance_curve(frame, eps), width="stretch")
        st.caption("DBSCAN finds its own number of groups; customers in no dense area are shown as 'Fit no group'.")

with tab_map:
    points = seg_map.points.assign(
        segment=[names[s] for s in seg.labels[seg_map.points["row"]]],
        customer_id=customers["customer_id"].to_numpy()[seg_map.points["row"]],
    )
    shown = [f for f in scaler.numeric][:4]
    for f in shown:
        points[f] = pd.to_numeric(customers[f], errors="coerce").to_numpy()[points["row"]]
    st.altair_chart(charts.segment_map(points, seg_map.explained, shown), width="stretch")
    sample = f" (a sample of {len(points):,})" if len(points) < len(customers) else ""
    st.caption(f"Each point is a customer{sample}; the two axes explain {sum(seg_map.explained):.0%} of the spread.")

with tab_profile:
    sizes = seg.profile.sizes.assign(segment=seg.profile.sizes["segment"].map(names))
    st.altair_chart(charts.segment_sizes(sizes), width="stretch")
    stats = seg.profile.stats.assign(
        segment=seg.profile.stats["segment"].map(names),
        feature=seg.profile.stats["feature"].map(lambda f: f if "=" in f else nice_name(f)),
    )
    st.altair_chart(charts.segment_heatmap(stats), width="stretch")
    top = pd.DataFrame(
        {"segment": names[s], "stands out by": ", ".join(nice_name(f) for f in fs)}
        for s, fs in seg.profile.top_features.items()
    )
    st.dataframe(top, hide_index=True, width="stretch")

with tab_odd:
    odd = seg.unusual.assign(segment=seg.unusual["segment"].map(names))
    if odd.empty:
        st.info("No customer sits more than three times further from their group's centre than is typical.")
    else:
        st.caption(
            "Customers far from every group: possible data errors, fraud, or a different kind of customer "
            "(a wholesale buyer among retail ones). Score: distance to the group's centre over the typical distance."
        )
        odd = odd.rename(columns={"score": "times further than typical", "unusual": "what is unusual"})
        st.dataframe(rounded(friendly_columns(odd)), hide_index=True, width="stretch")

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
