"""Value & churn page: who is about to leave and why, who is worth the most, whom to call first."""

import pandas as pd
import streamlit as st

from insight import charts
from insight.errors import InsightError
from insight.pipeline import HORIZON_DAYS, THRESHOLD
from ui import download_csv, pipeline, show_error, show_verdict

st.title("Value & churn")
st.caption("Who is worth the most, who is about to leave, and why the models think so.")

pipe = pipeline()
source = pipe.churn_source()

left, mid, right = st.columns([1, 2, 1])
horizon = HORIZON_DAYS
if source == "derived":
    horizon = int(
        left.number_input(
            "Churn horizon (days)",
            min_value=14,
            max_value=365,
            value=HORIZON_DAYS,
            step=15,
            key="pred_horizon",
            help="A customer has churned when they buy nothing for this many days after the cutoff.",
        )
    )

data = features = None
if source is None:
    st.info(
        "Churn needs a column saying who left (like 'Churn' Yes/No) in the customer file, or an orders file with "
        "dates. Add one on the Data page. Customer value can still be predicted below."
    )
else:
    try:
        full = pipe.churn_data(horizon)
        features = mid.multiselect("Learn from", full.features, default=full.features, key="pred_features")
        data = full.with_features(features)
    except InsightError as exc:
        show_error(exc)

if data is not None:
    if data.source == "derived":
        st.info(
            f"**Churn label derived from the orders.** Cutoff **{data.cutoff:%d %b %Y}**: the models only see "
            f"orders up to then; a customer who bought before it and nothing in the {data.horizon_days} days after "
            f"counts as churned. {len(data.X):,} customers, churn rate **{data.churn_rate:.0%}**. Today's risk "
            "applies the same models to everyone's orders up to the last date."
        )
    else:
        dropped = f" ({data.dropped_unlabelled:,} without a label left out)" if data.dropped_unlabelled else ""
        st.info(
            f"**Churn label from the column '{data.label_column}'.** {len(data.X):,} customers{dropped}, "
            f"churn rate **{data.churn_rate:.0%}**. Risks shown are out-of-fold: no customer is scored by a model "
            "that saw their label."
        )

comparison = model = risk = reasons = None
if data is not None:
    try:
        with st.spinner("Comparing six churn models by cross-validation (once per dataset)…"):
            comparison = pipe.churn_comparison(horizon, features)
        names = list(comparison.metrics.index)
        name = right.selectbox(
            "Churn model", names, index=names.index(comparison.best), key="pred_model", help="Default: best ROC AUC."
        )
        with st.spinner(f"Fitting {name} and measuring what drives it…"):
            model = pipe.churn_model(horizon, features, name)
            if pipe.churn_verdict(horizon, features).usable:
                risk = pipe.churn_risk(horizon, features, name)
                reasons = pipe.churn_reasons(horizon, features, name)
    except InsightError as exc:
        show_error(exc)
        comparison = None

lifetime = None
try:
    lifetime = pipe.lifetime_value(horizon)
except InsightError as exc:
    lifetime = exc

spend = target = None
try:
    target = pipe.default_spend_target(horizon)
    if target is not None:
        choices = pipe.spend_targets()
        target = st.selectbox("Customer value to predict", choices, index=choices.index(target), key="pred_target")
    with st.spinner("Comparing spend models…"):
        spend = pipe.spend(horizon, target)
except InsightError as exc:
    spend = exc

tab_churn, tab_value, tab_clv, tab_action, tab_fair = st.tabs(
    ["Churn risk", "Value", "Lifetime value", "Action list", "Fairness"]
)

threshold = THRESHOLD
with tab_churn:
    if comparison is None:
        st.info("No churn model for this data (see above).")
    else:
        show_verdict(pipe.churn_verdict(horizon, features))
        st.subheader("Model comparison")
        st.caption(
            f"{comparison.folds}-fold stratified cross-validation; preprocessing is fitted inside each fold. "
            "Classes are weighted so churners count as much as stayers."
        )
        for note in comparison.notes:
            st.caption(f"ℹ️ {note}")
        shown = comparison.metrics.rename(columns={"roc_auc": "ROC AUC", "seconds": "seconds to train"})
        st.dataframe(shown.style.format("{:.3f}"), width="stretch")
        st.altair_chart(charts.churn_auc_bar(comparison.metrics, comparison.best), width="stretch")
        if data.source == "derived":
            try:
                auc = pipe.palive_auc(horizon)
                st.caption(
                    f"Second opinion: BG/NBD's 1 − P(alive) at the cutoff, with no labels at all, reaches ROC AUC "
                    f"{auc:.3f}. It sees one-time buyers as alive, so it trails the classifiers when many bought once."
                )
            except InsightError as exc:
                st.caption(f"No BG/NBD second opinion: {exc}")

    if risk is not None:
        st.subheader("Decision threshold")
        threshold = st.slider(
            "Flag customers whose churn risk is at least", 0.05, 0.95, THRESHOLD, step=0.05, key="pred_threshold"
        )
        view = pipe.threshold_view(threshold, horizon, features, name)
        a, b, c = st.columns(3)
        a.metric("Precision", f"{view.precision:.0%}", help="Of the customers flagged, the share who really churned.")
        b.metric("Recall", f"{view.recall:.0%}", help="Of the customers who churned, the share flagged.")
        c.metric("Customers flagged today", f"{view.flagged_now:,}", help="Current customers at or above the line.")
        roc, pr = pipe.churn_curves(horizon, features)
        col1, col2 = st.columns(2)
        col1.altair_chart(charts.roc_curve_chart(roc), width="stretch")
        col2.altair_chart(charts.pr_curve_chart(pr), width="stretch")
        col1.altair_chart(charts.confusion_chart(view.confusion), width="stretch")
        col2.altair_chart(charts.importance_bar(model.importance), width="stretch")
        st.caption(
            f"Importance: how much {model.name}'s ROC AUC drops on held-out customers when one column is shuffled "
            f"(held-out ROC AUC {model.holdout_auc:.3f})."
        )
        if model.coefficients is not None:
            with st.expander("Coefficients (scaled inputs; positive = more likely to churn)"):
                st.dataframe(model.coefficients, hide_index=True, width="stretch")

        st.subheader("Customers by churn risk")
        table = pd.DataFrame({"churn_risk": risk, "reasons": reasons}).sort_values("churn_risk", ascending=False)
        if not isinstance(lifetime, InsightError):
            table = table.join(lifetime.table.set_index("customer_id")[["p_alive"]])
            st.altair_chart(charts.risk_vs_alive(table.rename_axis("customer_id").reset_index()), width="stretch")
        st.dataframe(
            table.head(300).rename_axis("customer_id").reset_index(),
            hide_index=True,
            width="stretch",
            column_config={
                "churn_risk": st.column_config.ProgressColumn("Churn risk", format="%.2f", min_value=0, max_value=1),
                "reasons": st.column_config.TextColumn("Why", width="large"),
                "p_alive": st.column_config.NumberColumn("P(alive), BG/NBD", format="%.2f"),
            },
        )

with tab_value:
    if isinstance(spend, InsightError):
        show_verdict(getattr(spend, "verdict", None))
        st.info(f"No value model for this data: {spend}")
    else:
        show_verdict(spend.verdict)
        st.markdown(f"Predicting **{spend.target}**. Best on held-out customers: **{spend.best}** (lowest RMSE).")
        st.dataframe(spend.metrics.style.format("{:,.3f}"), width="stretch")
        spend_models = list(spend.metrics.index)
        shown_model = st.selectbox("Show", spend_models, index=spend_models.index(spend.best), key="pred_spend_model")
        st.altair_chart(charts.predicted_vs_actual(spend.holdout, shown_model), width="stretch")
        if spend.verdict.usable:
            values = pd.DataFrame({"predicted_value": spend.predicted, "tier": spend.tiers})
            st.markdown(f"**Value tiers.** {spend.tier_rule}")
            title = "Predicted value per customer"
            st.altair_chart(
                charts.value_histogram(values, "predicted_value", title, "Predicted value"), width="stretch"
            )

with tab_clv:
    if isinstance(lifetime, InsightError):
        st.info(f"No lifetime value for this data: {lifetime}")
    else:
        show_verdict(lifetime.verdict)
        for note in lifetime.warnings:
            st.warning(note)
        s = lifetime.summary()
        a, b, c = st.columns(3)
        a.metric("Customers", f"{len(lifetime.table):,}")
        b.metric("Average P(alive)", f"{s['mean_p_alive']:.0%}")
        if s["total_clv_12m"] is not None:
            c.metric("12-month CLV, all customers", f"{s['total_clv_12m']:,.0f}")
            hist = charts.value_histogram(lifetime.table, "clv_12m", "12-month lifetime value", "CLV, next 12 months")
            st.altair_chart(hist, width="stretch")
        st.caption(lifetime.describe_fit())
        st.dataframe(
            lifetime.table.sort_values("clv_12m" if "clv_12m" in lifetime.table else "p_alive", ascending=False),
            hide_index=True,
            width="stretch",
            column_config={
                "p_alive": st.column_config.NumberColumn("P(alive)", format="%.2f"),
                "expected_purchases": st.column_config.NumberColumn(
                    f"Purchases, next {lifetime.horizon_days} days", format="%.2f"
                ),
                "expected_spend_per_purchase": st.column_config.NumberColumn("Spend per purchase", format="%.2f"),
                "clv_12m": st.column_config.NumberColumn("CLV 12 months", format="%.2f"),
            },
        )

with tab_action:
    actions = None
    if comparison is None or isinstance(spend, InsightError):
        st.info("The action list needs both a churn model and a value model.")
    else:
        try:
            actions, _ = pipe.action_list(threshold, horizon, features, name, target)
        except InsightError as exc:  # withheld when the churn or the value model cannot be trusted
            show_error(exc)
    if actions is not None:
        st.markdown(
            f"**{len(actions):,} customers** in the high value or potential tier with churn risk at least "
            f"**{threshold:.2f}** (the threshold on the Churn risk tab), most value at risk first."
        )
        st.dataframe(
            actions,
            hide_index=True,
            width="stretch",
            column_config={
                "churn_risk": st.column_config.NumberColumn("Churn risk", format="%.2f"),
                "predicted_value": st.column_config.NumberColumn("Predicted value", format="%.2f"),
                "value_at_risk": st.column_config.NumberColumn("Value at risk", format="%.2f"),
                "reasons": st.column_config.TextColumn("Why", width="large"),
            },
        )
        download_csv(actions, "customers_to_contact.csv", label="Download the action list (CSV)", key="pred_download")

with tab_fair:
    if comparison is None:
        st.info("The fairness check needs a churn model.")
    else:
        table, warnings = pipe.fairness(threshold, horizon, features, name)
        if table.empty:
            st.info("No columns describing people (gender, age …) to check the churn model against.")
        else:
            for warning in warnings:
                st.warning(warning)
            if not warnings:
                st.success("Recall and flag rate are similar across groups (within 10 points, or within chance).")
            for attribute in table["attribute"].unique():
                st.altair_chart(charts.fairness_bar(table, attribute), width="stretch")
            st.dataframe(table, hide_index=True, width="stretch")
