"""Streamlit-side audiences: the "Send to a marketing tool" panel of the Segments and Value & churn pages, and the
next order date beside a table of customers.

The panel prepares the audiences in the background on request (they read churn, value, next order and offers),
then offers one download per audience in the chosen format. The platform formats carry the owner's clear emails
and names, so they are offered only in the owner's session (`ui.personal_data`); a shared view gets the
pseudonymous csv and the sentence why.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import streamlit as st

from insight.errors import InsightError
from insight.formats import count
from insight.i18n import N_, _, ngettext, pgettext
from insight.labels import safe_label, safe_md
from insight.pipeline import Pipeline, prepare_audiences
from ui import computed, personal_data, read_only, refresh_when_ready, show_error

FORMAT_LABELS = {
    "klaviyo": "Klaviyo",
    "mailchimp": "Mailchimp",
    "shopify": "Shopify",
    "csv": N_("CSV (any other tool)"),
}
NEXT_COLUMNS = ["customer_id", "next_order", "usual_gap_days", "no_date_because"]


def with_next_order(pipe: Pipeline, table: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """`table` with each customer's usual gap and expected next order (the dates only when their verdict allows
    them), and the sentence saying how far to trust the dates (None when the data has no order rhythm)."""
    try:
        rhythm = pipe.next_orders()
        verdict = pipe.next_order_verdict()
    except InsightError:
        return table, None
    shown = rhythm[[c for c in NEXT_COLUMNS if c in rhythm]].assign(usual_gap_days=rhythm["usual_gap_days"].round())
    if "next_order" in shown:  # a day, not a time
        shown["next_order"] = shown["next_order"].dt.date.astype(object).where(shown["next_order"].notna(), None)
    extra = table.merge(shown, on="customer_id", how="left") if "customer_id" in table else table
    trust = pgettext("glossary", verdict.trust)
    return extra, _("Next order dates are {trust}: {reason}").format(trust=trust, reason=verdict.reason)


def audience_panel(pipe: Pipeline, page: str, kinds: tuple[str, ...], **settings: Any) -> None:
    """One download per audience of these `kinds`, built with the page's `settings` (threshold, horizon,
    features, model, segments), after the founder asks for them (the fits run in the background)."""
    with st.expander(_("Send to a marketing tool")):
        st.caption(_("Audiences as import files for Klaviyo, Mailchimp or Shopify, each with what to do next."))
        lookup = None if read_only() else personal_data(pipe.ds)
        formats, gap = pipe.audience_formats(lookup, shared=read_only())
        if gap:
            st.info(safe_md(gap))
        fmt = st.selectbox(_("Format"), formats, format_func=lambda f: _(FORMAT_LABELS[f]), key=f"aud_format_{page}")
        asked = st.session_state.setdefault("audiences_asked", set())
        if page not in asked and not st.button(_("Prepare the audiences"), key=f"btn_audiences_{page}"):
            return
        asked.add(page)
        segments = settings.get("segments")
        section = functools.partial(
            prepare_audiences,
            kinds=kinds,
            **{k: settings[k] for k in ("horizon", "features", "model") if k in settings},
            own_segments=segments is not None,
        )
        wanted = {k: v for k, v in settings.items() if k not in ("segments", "segments_verdict")}
        try:
            if not computed(f"audiences:{page}:{wanted}", section, _("Preparing the audiences")):
                refresh_when_ready()
                return
            result = pipe.audiences(kinds=kinds, **settings)
        except InsightError as exc:
            show_error(exc)
            return
        for audience in result.items:
            written = pipe.audience_file(audience, fmt, lookup)
            people = ngettext("{n} customer", "{n} customers", written.rows).format(n=count(written.rows))
            st.markdown(_("**{name}** ({people})").format(name=safe_md(audience.name), people=people))
            if audience.action:
                st.caption(safe_md(audience.action))
            if written.note:
                st.caption(safe_md(written.note))
            st.download_button(
                safe_label(_("Download {file}").format(file=written.name)),
                written.data,
                file_name=written.name,
                mime="text/csv",
                key=f"dl_audience_{page}_{audience.key}",
            )
        for note in result.notes:
            st.caption(safe_md(note))
