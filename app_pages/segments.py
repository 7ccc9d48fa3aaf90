"""Segments page: groups of similar customers, a slider for how many, who they are, and who fits no group."""

import pandas as pd
import streamlit as st

from insight.errors import InsightError
from insight.formats import count
from insight.i18n import _, language
from insight.labels import column_label, friendly_columns, rounded, safe_label, safe_md
from insight.pipeline import ALGORITHM_LABELS, LINKAGES, LOG_LABELS, SCALING_LABELS, stability_word
from insight.report import words
from insight.store import cache_key
from ui import download_csv, pipeline, read_only, show_error, show_verdict
from ui.panels import k_tab, profile_tab, segment_map_tab, unusual_tab
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
    choice = {}  # each choice starts from the pipeline's default
    for name, column, label, labels in (
        ("scaling", left, _("Scaling"), SCALING_LABELS),
        ("log", left, _("Log transform"), LOG_LABELS),
        ("algorithm", right, _("Algorithm"), ALGORITHM_LABELS),
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
        linkage = right.selectbox(_("Linkage"), list(LINKAGES), index=LINKAGES.index(linkage), key="seg_linkage")

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
        first = _("The first {shown} of {n} customers; the download has all of them.")
        st.caption(first.format(shown=count(1000), n=count(len(table))))
    st.caption(safe_md(next_note or ""))
    download_csv(
        table, "customer_segments.csv", label=_("Download customers with their segment (CSV)"), key="dl_segments"
    )

segments = st.session_state["segments"].set_index("customer_id")["segment"]
audience_panel(pipe, "segments", ("segments",), segments=segments, segments_verdict=seg.verdict)
