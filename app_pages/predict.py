"""Value & churn page: who is about to leave and why, who is worth the most, whom to call first."""

import pandas as pd
import streamlit as st

from insight import charts, clv, explain, predict
from insight.errors import InsightError
from ui import active_dataset, cached, download_csv, show_error

st.title("Value & churn")
st.caption("Who is worth the most, who is about to leave, and why the models think so.")

ds = active_dataset()
source = predict.label_source(ds)
tx = ds.transactions()
has_amounts = tx is not None and {"customer_id", "timestamp", "amount"} <= set(tx.columns)

left, mid, right = st.columns([1, 2, 1])
horizon = 90
if source == "derived":
    horizon = int(
        left.number_input(
            "Churn horizon (days)",
            min_value=14,
            max_value=365,
            value=90,
            step=15,
            key="pred_horizon",
            help="A customer has churned when they buy nothing for this many days after the cutoff.",
        )
    )

full = data = None
if source is None:
    st.info(
        "Churn needs a column saying who left (like 'Churn' Yes/No) in the customer file, or an orders file with "
        "dates. Add one on the Data page. Customer value can still be predicted below."
    )
else:
    try:
        full = cached("predict.data", {"horizon": horizon}, lambda: predict.churn_data(ds, horizon_days=horizon))
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

key = {"horizon": horizon, "features": data.features if data is not None else []}
comparison = model = risk = reasons = None
if data is not None:
    try:
        with st.spinner("Comparing six churn models by cross-validation (once per dataset)…"):
            comparison = cached("predict.compare", key, lambda: predict.compare_churn_models(data))
        names = list(comparison.metrics.index)
        name = right.selectbox(
            "Churn model", names, index=names.index(comparison.best), key="pred_model", help="Default: best ROC AUC."
        )
        with st.spinner(f"Fitting {name} and measuring what drives it…"):
            model = cached("predict.model", {**key, "model": name}, lambda: predict.fit_churn_model(data, name))
            risk = cached("predict.risk", {**key, "model": name}, lambda: predict.churn_risk(data, comparison, model))
            reasons = cached(
                "predict.reasons",
                {**key, "model": name},
                lambda: explain.churn_reasons(model.pipeline, data, data.X_now),
            )["reasons"]
    except InsightError as exc:
        show_error(exc)
        comparison = None

lifetime = None
if has_amounts:
    try:
        lifetime = cached("predict.clv", {"horizon": horizon}, lambda: clv.lifetime_value(tx, horizon_days=horizon))
    except InsightError as exc:
        lifetime = exc

spend = None
target = None
if data is None or data.spend_next is None:
    money = [c for c in ds.customer_roles.get("numeric", []) if c in ds.customers]
    if money:
        guess = predict.suggest_spend_target(ds.customers, ds.customer_roles) or money[0]
        target = st.selectbox("Customer value to predict", money, index=money.index(guess), key="pred_target")
try:
    if target is not None or (data is not None and data.spend_next is not None):
        with st.spinner("Comparing spend models…"):
            spend = cached(
                "predict.spend",
                {"target": target} if target is not None else {**key, "target": None},
                lambda: predict.compare_spend_models(
                    predict.spend_data(ds.customers, ds.customer_roles, data if target is None else None, target)
                ),
            )
except InsightError as exc:
    show_error(exc)

tab_churn, tab_value, tab_clv, tab_action, tab_fair = st.tabs(
    ["Churn risk", "Value", "Lifetime value", "Action list", "Fairness"]
)

threshold = 0.5
with tab_churn:
    if comparison is None:
        st.info("No churn model for this data (see above).")
    else:
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
        if data.source == "derived" and has_amounts:
            try:
                auc = cached(
                    "predict.palive_auc",
                    {"horizon": horizon},
                    lambda: clv.p_alive_auc(tx, data.cutoff, data.y),
                )
                st.caption(
                    f"Second opinion: BG/NBD's 1 − P(alive) at the cutoff, with no labels at all, reaches ROC AUC "
                    f"{auc:.3f}. It sees one-time buyers as alive, so it trails the classifiers when many bought once."
                )
            except InsightError as exc:
                st.caption(f"No BG/NBD second opinion: {exc}")

        st.subheader("Decision threshold")
        threshold = st.slider(
            "Flag customers whose churn risk is at least",
            min_value=0.05,
            max_value=0.95,
            value=0.5,
            step=0.05,
            key="pred_threshold",
        )
        view = explain.threshold_view(comparison.y, comparison.oof[model.name], risk, threshold)
        a, b, c = st.columns(3)
        a.metric("Precision", f"{view.precision:.0%}", help="Of the customers flagged, the share who really churned.")
        b.metric("Recall", f"{view.recall:.0%}", help="Of the customers who churned, the share flagged.")
        c.metric("Customers flagged today", f"{view.flagged_now:,}", help="Current customers at or above the line.")
        roc, pr = explain.curves(comparison.y, comparison.oof)
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
        if isinstance(lifetime, clv.LifetimeValue):
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

tiers = None
with tab_value:
    if spend is None:
        st.info("No value model for this data: it needs orders with amounts or a numeric column to predict.")
    else:
        st.markdown(f"Predicting **{spend.target}**. Best on held-out customers: **{spend.best}** (lowest RMSE).")
        st.dataframe(spend.metrics.style.format("{:,.3f}"), width="stretch")
        spend_models = list(spend.metrics.index)
        shown_model = st.selectbox("Show", spend_models, index=spend_models.index(spend.best), key="pred_spend_model")
        st.altair_chart(charts.predicted_vs_actual(spend.holdout, shown_model), width="stretch")
        tiers, rule = predict.value_tiers(spend.predicted)
        st.markdown(f"**Value tiers.** {rule}")
        values = pd.DataFrame({"predicted_value": spend.predicted, "tier": tiers})
        title = "Predicted value per customer"
        st.altair_chart(charts.value_histogram(values, "predicted_value", title, "Predicted value"), width="stretch")

with tab_clv:
    if not has_amounts:
        st.info("Lifetime value needs an orders file with customer, date and amount.")
    elif isinstance(lifetime, InsightError):
        show_error(lifetime)
    else:
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
        st.caption(
            f"BG/NBD (purchases and drop-out): r={s['bgnbd']['r']:.3f}, alpha={s['bgnbd']['alpha']:.3f}, "
            f"a={s['bgnbd']['a']:.3f}, b={s['bgnbd']['b']:.3f}."
            + (
                f" Gamma-Gamma (spend per order): p={s['gamma_gamma']['p']:.2f}, q={s['gamma_gamma']['q']:.2f}, "
                f"v={s['gamma_gamma']['v']:.2f}. CLV discounts 1% a month."
                if s["gamma_gamma"]
                else ""
            )
        )
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
    if risk is None or spend is None or tiers is None:
        st.info("The action list needs both a churn model and a value model.")
    else:
        extra = None
        if isinstance(lifetime, clv.LifetimeValue) and "clv_12m" in lifetime.table:
            extra = lifetime.table.set_index("customer_id")[["clv_12m", "p_alive"]]
        current = risk
        if data.source == "column":  # customers already labelled as gone are not a to-do any more
            current = risk.drop(data.y.index[data.y == 1])
        actions = explain.action_list(current, spend.predicted, tiers, reasons, threshold, extra=extra)
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
        attrs = ds.customers.set_index(ds.customers["customer_id"].astype(str))
        attrs = attrs[~attrs.index.duplicated()]
        table, warnings = explain.fairness(attrs, data.y, comparison.oof[model.name], threshold)
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
