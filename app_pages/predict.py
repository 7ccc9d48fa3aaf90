"""Value page: whom to call first, then who is about to leave (or to say yes: the words follow the outcome) and why,
and what customers are worth."""

import functools

import pandas as pd
import streamlit as st

from insight import charts
from insight.errors import InsightError
from insight.formats import count, share
from insight.i18n import _
from insight.labels import column_label, friendly_columns, nice_name, rounded, safe_label, safe_md
from insight.pipeline import HORIZON_DAYS, THRESHOLD, sections
from insight.report import words
from ui import computed, download_csv, personal_data, pipeline, refresh_when_ready, show_error, show_verdict
from ui.panels import fairness_tab, lifetime_tab, value_tab
from ui_audiences import audience_panel, with_next_order

pipe = pipeline()
ds = pipe.ds
outcome = ds.outcome
st.title(safe_md(outcome.say("page")))
st.caption(safe_md(outcome.say("page_caption")))
source = pipe.churn_source()
if source is None:
    st.info(safe_md(pipe.customer_gap() or outcome.say("missing")))
    st.stop()

with st.expander(_("Settings: horizon, what the models learn from, which model")):
    left, mid, right = st.columns([1, 2, 1])
    horizon = HORIZON_DAYS
    if source == "derived":
        horizon = int(
            left.number_input(
                _("Churn horizon (days)"), 14, 365, HORIZON_DAYS, step=15, key="pred_horizon",
                help=_("A customer has churned when they buy nothing for this many days after the cutoff."),
            )
        )  # fmt: skip
    try:
        full = pipe.churn_data(horizon)
    except InsightError as exc:
        show_error(exc)
        st.stop()
    features = mid.multiselect(
        _("Learn from"), full.features, default=full.features, format_func=column_label, key="pred_features"
    )
    best_model = _("best by ranking")
    model_choice = right.selectbox(_("Model"), [best_model, *pipe.churn_models()], key="pred_model")
model = None if model_choice == best_model else model_choice


wanted = {"horizon": horizon, "features": sorted(features), "model": model}
section = functools.partial(sections.value_and_churn, horizon=horizon, features=features, model=model)
try:
    ready = computed(f"value-churn:{wanted}", section, outcome.say("fitting"))
except InsightError as exc:
    show_error(exc)
    st.stop()
shown = wanted if ready else st.session_state.get("pred_shown")
if ready:
    st.session_state["pred_shown"] = wanted
elif shown is not None:
    updating = _("Updating to these settings; the results below are for a {days}-day horizon until then.")
    st.info(updating.format(days=shown["horizon"]))
if shown is None:
    refresh_when_ready()
    st.stop()
horizon, features, model = shown["horizon"], shown["features"], shown["model"]
data = pipe.churn_data(horizon).with_features(features)
comparison = pipe.churn_comparison(horizon, features)
fitted = pipe.churn_model(horizon, features, model)
verdict = pipe.churn_verdict(horizon, features)
show_verdict(verdict)

threshold = st.slider(safe_label(outcome.say("threshold")), 0.05, 0.95, THRESHOLD, step=0.05, key="pred_threshold")
chance = {"churn_risk": outcome.say("chance"), "value_at_risk": outcome.say("value_at_stake")}
try:
    actions, tier_rule = pipe.action_list(threshold, horizon, features, model)
except InsightError as exc:  # withheld (a model that cannot be trusted) or no value for each customer
    actions = None
    if hasattr(exc, "verdict"):
        show_error(exc)
    else:
        st.info(safe_md(_("No action list: {reason}").format(reason=exc)))
if actions is not None:
    value = nice_name(pipe.spend(horizon).target)
    st.markdown(f"### {safe_md(words.action_sentence(actions, ds.currency, threshold, value, outcome))}")
    lookup = personal_data(ds)
    actions, next_note = with_next_order(pipe, actions)
    table = actions.merge(lookup, on="customer_id", how="left") if lookup is not None else actions
    shown_columns = [c for c in table.columns if c not in ("tier", "reason_features")]
    st.dataframe(
        rounded(friendly_columns(table[shown_columns].rename(columns=chance))),
        hide_index=True,
        width="stretch",
        column_config={
            column_label(c): st.column_config.ProgressColumn(format="percent", max_value=1)
            for c in (chance["churn_risk"], "p_alive")
        },
    )
    actions_csv = friendly_columns(actions.rename(columns=chance))
    download_csv(actions_csv, "customers_to_contact.csv", _("Download the action list"), key="dl_actions")
    st.caption(safe_md(_("Value tiers: {rule}").format(rule=tier_rule)))
    st.caption(safe_md(next_note or ""))

settings = {"threshold": threshold, "horizon": horizon, "features": features, "model": model}
audience_panel(pipe, "predict", ("leaving", "offers"), **settings)

view = pipe.threshold_view(threshold, horizon, features, model) if verdict.usable else None
with st.expander(_("How good are these models?")):
    if view is not None:
        scores = comparison.metrics.loc[fitted.name]
        folds = comparison.folds
        for sentence in words.metric_sentences(scores, view.precision, view.recall, threshold, folds, outcome):
            st.markdown(f"- {safe_md(sentence)}")
    for note in comparison.notes:
        st.caption(safe_md(note))
    metrics = comparison.metrics.rename(columns={"seconds": _("seconds to train")}).rename_axis(_("Model"))
    st.dataframe(friendly_columns(rounded(metrics.reset_index(), 3)), hide_index=True, width="stretch")
    st.altair_chart(charts.churn_auc_bar(comparison.metrics, comparison.best, outcome), width="stretch")
    roc, pr = pipe.churn_curves(horizon, features)
    left, right = st.columns(2)
    left.altair_chart(charts.roc_curve_chart(roc, outcome), width="stretch")
    right.altair_chart(charts.pr_curve_chart(pr, outcome), width="stretch")
    if view is not None:
        left.altair_chart(charts.confusion_chart(view.confusion, outcome), width="stretch")

tabs = [safe_label(outcome.say("tab")), _("Value"), _("Lifetime value"), _("Fairness")]
tab_churn, tab_value, tab_clv, tab_fair = st.tabs(tabs)
with tab_churn:
    if data.source == "derived":
        st.markdown(words.cutoff_sentence(data, horizon))
    else:
        unanswered = _(" ({n} without an answer not counted)")
        dropped = unanswered.format(n=count(data.dropped_unlabelled)) if data.dropped_unlabelled else ""
        st.markdown(
            outcome.say(
                "from_column",
                column=safe_md(data.label_column),
                share=share(data.churn_rate),
                customers=count(len(data.X)),
                dropped=dropped,
            )
        )
    importance = pipe.churn_importance(horizon, features, model).importance
    st.altair_chart(charts.importance_bar(importance, outcome=outcome), width="stretch")
    if verdict.usable:
        risk = pipe.churn_risk(horizon, features, model)
        reasons = pipe.churn_reasons(horizon, features, model)
        table = pd.DataFrame({"churn_risk": risk, "reasons": reasons}).sort_values("churn_risk", ascending=False)
        bar = st.column_config.ProgressColumn(format="%.2f", max_value=1)
        st.dataframe(
            friendly_columns(table.head(300).rename_axis("customer_id").reset_index().rename(columns=chance)),
            hide_index=True,
            width="stretch",
            column_config={column_label(chance["churn_risk"]): bar},
        )
    else:
        st.info(_("Each customer's chance is withheld: the models do no better than the baseline above."))

with tab_value:
    value_tab(pipe, horizon)
with tab_clv:
    lifetime_tab(pipe, horizon)
with tab_fair:
    fairness_tab(pipe, threshold, horizon, features, model, verdict.usable)
