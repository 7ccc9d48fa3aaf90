"""Segments page: groups of similar customers, a slider for how many, who they are, and who fits no group."""

import pandas as pd
import streamlit as st

from insight import charts
from insight.errors import InsightError
from insight.formats import count
from insight.i18n import _, join, language
from insight.labels import ALGORITHM_LABELS as ALGORITHMS
from insight.labels import LOG_LABELS as LOGS
from insight.labels import SCALING_LABELS as SCALINGS
from insight.labels import column_label, friendly_columns, nice_name, rounded, safe_label, safe_md, said
from insight.pipeline import LINKAGES, SILHOUETTE_SAMPLE, stability_word
from insight.report import words
from insight.store import cache_key
from ui import download_csv, pipeline, read_only, show_error, show_verdict
from ui_audiences import audience_panel, with_next_order

st.title(_("Segments"))
st.caption(_("Groups of customers who behave alike: how many to make, what sets each apart, and who fits none."))

pipe = pipeline()
ds = pipe.ds
customers = ds.customers
cand = pipe.segment_options()
options = cand["behaviour"] + cand["numeric"] + cand["categorical"]
if not options:
    st.info(
        pipe.customer_gap()
        or _("Segments need columns that describe customers: add an orders file or a customers file with numbers.")
    )
    st.stop()
if not set(st.session_state.get("seg_features", [])) <= set(options):
    del st.session_state["seg_features"]  # chosen on another dataset

defaults = pipe.segment_defaults()
with st.expander(_("Settings: columns, scaling, algorithm")):
    left, right = st.columns(2)
    features = left.multiselect(
        _("Columns that describe a customer"),
        options,
        default=defaults["features"],
        format_func=column_label,
        key="seg_features",
        help=_(
            "Default: recency, frequency, spend and basket size, plus numeric attributes. Never ids or personal data."
        ),
    )
    scaling = left.selectbox(_("Scaling"), list(SCALINGS), format_func=said(SCALINGS), key="seg_scaling")
    log = left.selectbox(_("Log transform"), list(LOGS), format_func=said(LOGS), key="seg_log")
    algorithm = right.selectbox(_("Algorithm"), list(ALGORITHMS), format_func=said(ALGORITHMS), key="seg_algorithm")
    linkage = "ward"
    if algorithm == "agglomerative":
        linkage = right.selectbox(_("Linkage"), list(LINKAGES), key="seg_linkage")

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
            _("Neighbourhood radius (eps)"),
            0.01,
            round(top, 2) + 0.01,
            value=round(suggested_eps, 2),
            step=0.01,
            key="seg_eps",
            help=_("Suggested {eps}: the knee of the sorted distances below.").format(eps=f"{suggested_eps:.2f}"),
        )
    else:
        with st.spinner(_("Trying 2 to 12 segments…")):
            sweep = pipe.segment_sweep(features, scaling, log, algorithm, linkage)
        max_k = int(sweep.table["k"].max())
        if st.session_state.get("seg_k_for") != cache_key(ds.fingerprint, "k", base):
            st.session_state.pop("seg_k", None)  # new data or settings: start from the suggested k
            st.session_state["seg_k_for"] = cache_key(ds.fingerprint, "k", base)
        k = st.slider(_("Number of segments"), 2, max_k, value=sweep.suggested_k, key="seg_k")
        st.caption(safe_md(_("Suggested: {reason}").format(reason=sweep.reason)))
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
a.metric(_("Segments"), seg.n_segments)
b.metric(
    _("Silhouette"),
    "–" if pd.isna(seg.silhouette) else f"{seg.silhouette:.2f}",
    help=_("-1 to 1: how clearly customers sit inside their own group."),
)
c.metric(
    _("Stability"),
    stability_word(stable),
    help=_(
        "Adjusted Rand index {ari} (1 = identical) between these segments and refits on random 80% samples from "
        "other random starts; below 0.75 counts as shaky."
    ).format(ari=f"{stable:.2f}"),
)
d.metric(_("Customers"), count(len(customers)))
if notes := words.segment_notes(seg, len(customers)):
    st.caption(safe_md(notes))

tab_who, tab_k, tab_map, tab_profile, tab_odd, tab_all = st.tabs(
    [_("Who they are"), _("How many segments"), _("Map"), _("Profiles"), _("Unusual customers"), _("Customers")]
)

with tab_who:
    for p in seg.personas:
        st.markdown(f"**{safe_md(names[p.segment])}**: {safe_md(p.description)}")
    with st.expander(_("Rename segments")):
        st.caption(_("Names you give stay for this dataset and these settings."))
        for p in seg.personas:
            new = st.text_input(
                (_("Segment {n}: {name}") if p.segment >= 0 else _("Segment (no group): {name}")).format(
                    n=p.segment + 1, name=safe_label(p.name)
                ),
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
            _(
                "Dashed: suggested k = {k}; solid: your choice. The elbow of the inertia curve is at k = {knee}. "
                "Silhouette is computed on up to {n} customers."
            ).format(k=sweep.suggested_k, knee=sweep.knee_k, n=count(SILHOUETTE_SAMPLE))
        )
        st.dataframe(rounded(friendly_columns(sweep.table), 3), hide_index=True, width="stretch")
    else:
        frame = pd.DataFrame({"rank": range(len(curve)), "distance": curve})
        st.altair_chart(charts.kdistance_curve(frame, eps), width="stretch")
        st.caption(_("DBSCAN finds its own number of groups; customers in no dense area are shown as 'Fit no group'."))

with tab_map:
    points = seg_map.points.assign(
        segment=[names[s] for s in seg.labels[seg_map.points["row"]]],
        customer_id=customers["customer_id"].to_numpy()[seg_map.points["row"]],
    )
    shown = [f for f in scaler.numeric][:4]
    for f in shown:
        points[f] = pd.to_numeric(customers[f], errors="coerce").to_numpy()[points["row"]]
    st.altair_chart(charts.segment_map(points, seg_map.explained, shown), width="stretch")
    st.caption(words.map_caption(len(points), len(customers), sum(seg_map.explained)))

with tab_profile:
    sizes = seg.profile.sizes.assign(segment=seg.profile.sizes["segment"].map(names))
    st.altair_chart(charts.segment_sizes(sizes), width="stretch")
    stats = seg.profile.stats.assign(
        segment=seg.profile.stats["segment"].map(names),
        feature=seg.profile.stats["feature"].map(lambda f: f if "=" in f else nice_name(f)),
    )
    st.altair_chart(charts.segment_heatmap(stats), width="stretch")
    top = pd.DataFrame(
        {_("Segment"): names[s], _("stands out by"): join([nice_name(f) for f in fs])}
        for s, fs in seg.profile.top_features.items()
    )
    st.dataframe(top, hide_index=True, width="stretch")

with tab_odd:
    odd = seg.unusual.assign(segment=seg.unusual["segment"].map(names))
    if odd.empty:
        st.info(_("No customer sits more than three times further from their group's centre than is typical."))
    else:
        st.caption(
            _(
                "Customers far from every group: possible data errors, fraud, or a different kind of customer "
                "(a wholesale buyer among retail ones). Score: distance to the group's centre over the typical "
                "distance."
            )
        )
        odd = odd.rename(columns={"score": _("times further than typical"), "unusual": _("what is unusual")})
        st.dataframe(rounded(friendly_columns(odd)), hide_index=True, width="stretch")

with tab_all:
    table = st.session_state["segments"].merge(customers[["customer_id", *scaler.numeric]], on="customer_id")
    table, next_note = with_next_order(pipe, table)
    table = friendly_columns(table)
    st.dataframe(rounded(table.head(1000)), hide_index=True, width="stretch")
    if len(table) > 1000:
        st.caption(
            _("The first {shown} of {n} customers; the download has all of them.").format(
                shown=count(1000), n=count(len(table))
            )
        )
    st.caption(safe_md(next_note or ""))
    download_csv(
        table, "customer_segments.csv", label=_("Download customers with their segment (CSV)"), key="dl_segments"
    )

segments = st.session_state["segments"].set_index("customer_id")["segment"]
audience_panel(pipe, "segments", ("segments",), segments=segments, segments_verdict=seg.verdict)
