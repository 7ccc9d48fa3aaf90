"""Acting on the analyses, mixed into `Pipeline`: when each customer will order next, and audiences for the
marketing tools, each built only on results that passed their checks.

`Acting` reads the pipeline's results through the same runner (nothing is fitted twice); `prepare_audiences` is
the slow part as a picklable section (a page runs it in the background, then `Pipeline.audiences` only assembles).
"""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd

from insight import act, predict
from insight.errors import InsightError, SchemaError
from insight.i18n import N_, Message
from insight.pipeline.base import HORIZON_DAYS, THRESHOLD
from insight.verdict import Verdict, Withheld

KINDS = ("segments", "leaving", "offers")
FORMATS = act.FORMATS

DATE_COLUMNS = ("next_order", "days_to_next")
RHYTHM_COLUMNS = ("usual_gap_days", "days_since_last")


class Acting:
    """Next-order dates and audiences for `Pipeline` (which provides `ds`, `run` and the analyses)."""

    ds: Any
    run: Any

    # --- next order ---------------------------------------------------------------------------------------

    def next_order(self) -> Any:
        """Each customer's rhythm and expected next order (own rhythm or BG/NBD, whichever the backtest
        prefers), with the backtest against the shop's typical gap and the verdict."""
        tx = self.transactions()
        if tx is None or not {"customer_id", "timestamp"} <= set(tx.columns):
            raise SchemaError(N_("Next order dates need an orders file with a customer and a date column."))
        return self.run("predict.next_order", None, lambda: predict.next_order.next_order(tx))

    def next_order_verdict(self) -> Verdict:
        """How far the next-order dates can be trusted, against the shop's typical gap."""
        return self.next_order().verdict

    def next_orders(self) -> pd.DataFrame:
        """Per customer: orders, last order, usual gap, days since the last; the expected next order and days to
        it only when the backtest allows them (else those columns are left out: `next_order_verdict` says why);
        `no_date_because` for one-order and lapsed customers."""
        result = self.next_order()
        table = result.table
        return table if result.verdict.usable else table.drop(columns=list(DATE_COLUMNS))

    # --- audiences ----------------------------------------------------------------------------------------

    def customer_scores(
        self,
        horizon: int = HORIZON_DAYS,
        features: list[str] | None = None,
        model: str | None = None,
        segments: pd.Series | None = None,
    ) -> tuple[pd.DataFrame, list[str]]:
        """One row per customer with each score whose check passed (segment, churn risk, 12-month value, chance
        still buying, next order, usual gap, days since the last order), and a note for each one left out.
        `segments` (customer_id -> name) replace the suggested segmentation; empty, no segment at all."""
        ids = pd.Index(self.ds.customers["customer_id"].astype(str).unique(), name="customer_id")
        out = pd.DataFrame(index=ids)
        notes: list[str] = []

        def add(what: str, compute: Any) -> None:
            try:
                part = compute()
            except InsightError as exc:
                notes.append(f"{what} left out: {exc}")
                return
            for col in part.columns:
                out[col] = part[col].reindex(ids)

        if segments is None:
            add("Segment", lambda: self._segments().to_frame("segment"))
        elif len(segments):
            out["segment"] = segments.set_axis(segments.index.astype(str)).reindex(ids)
        if self.churn_source() is not None:
            score = "churn_risk" if self.ds.outcome.leaving else "chance_yes"  # a campaign's reply is no churn
            add(self.ds.outcome.message("risks"), lambda: self.churn_risk(horizon, features, model).to_frame(score))
        if self._has_clv_columns():
            add("Predicted 12-month value", lambda: self._lifetime(horizon))
        if self.transactions() is not None:
            add("Next order", lambda: self.next_orders().set_index("customer_id")[list(RHYTHM_COLUMNS)])
            with contextlib.suppress(InsightError):
                if not self.next_order_verdict().usable:
                    notes.append(f"Next order dates left out. {self.next_order_verdict().reason}")
                else:
                    add("Next order", lambda: self.next_orders().set_index("customer_id")[list(DATE_COLUMNS)])
        return out.reset_index(), notes

    def _segments(self) -> pd.Series:
        seg = self.segmentation()
        if not seg.verdict.usable:
            raise Withheld(seg.verdict, Message(N_("Segments")))
        return seg.labels_frame().set_index("customer_id")["segment"]

    def _lifetime(self, horizon: int) -> pd.DataFrame:
        lifetime = self.lifetime_value(horizon)
        if not lifetime.verdict.usable or "clv_12m" not in lifetime.table:
            raise Withheld(lifetime.verdict, Message(N_("Lifetime value")))
        table = lifetime.table.set_index("customer_id")
        return table[["clv_12m", "p_alive"]].rename(columns={"clv_12m": "value_12m"})

    def audiences(
        self,
        kinds: tuple[str, ...] = KINDS,
        threshold: float = THRESHOLD,
        horizon: int = HORIZON_DAYS,
        features: list[str] | None = None,
        model: str | None = None,
        segments: pd.Series | None = None,
        segments_verdict: Verdict | None = None,
    ) -> act.Audiences:
        """The audiences of these kinds, each with its suggested action; what is withheld, with the reason.

        `segments` (customer_id -> name) are the segments the founder chose and named, `segments_verdict` theirs
        (default: the suggested segmentation, when its verdict allows). The settings are the Value & churn page's."""
        notes: list[str] = []
        if segments_verdict is not None and not segments_verdict.usable:
            segments = pd.Series(dtype=object)  # no segment audience, and no segment in any file either
            if "segments" in kinds:
                notes.append(f"Segment audiences withheld: {segments_verdict.reason}")
                kinds = tuple(k for k in kinds if k != "segments")
        if not kinds:
            return act.Audiences((), tuple(notes))
        scores, score_notes = self.customer_scores(horizon, features, model, segments)
        notes += score_notes
        items: list[act.Audience] = []
        if "segments" in kinds:
            built = act.segment_audiences(scores)
            items += built
            if not built:
                notes.append(next((n for n in notes if n.startswith("Segment")), "No segments for this data."))
        if "leaving" in kinds:
            try:
                actions, _ = self.action_list(threshold, horizon, features, model)
                items.append(act.leaving_audience(actions, scores, self.ds.currency, self.ds.outcome))
            except InsightError as exc:
                notes.append(f"'{self.ds.outcome.message('audience')}' withheld: {exc}")
        if "offers" in kinds:
            try:
                items += act.offer_audiences(self.recommendations(), scores)
            except InsightError as exc:
                notes.append(f"'Likely to buy' audiences withheld: {exc}")
        return act.Audiences(tuple(items), tuple(dict.fromkeys(notes)))

    def audience_formats(self, lookup: pd.DataFrame | None, shared: bool) -> tuple[tuple[str, ...], str | None]:
        """The formats this session can export (the platforms need the owner's emails or phones; a shared view
        exports pseudonymous csv only), and the sentence saying what the platforms need when they are not among
        them."""
        gap = act.platform_gap(None if shared else lookup, shared=shared)
        return (("csv",) if gap else act.FORMATS), gap

    def audience_file(self, audience: act.Audience, fmt: str, lookup: pd.DataFrame | None) -> act.AudienceFile:
        """One audience as an import file in `fmt`, with the owner's contact details (`lookup`, never a share
        viewer's: they have none) for the platform formats."""
        return audience.export(fmt, act.contact_details(lookup) if act.check_format(fmt) in act.PLATFORMS else None)


def prepare_audiences(
    p: Any,
    kinds: tuple[str, ...] = KINDS,
    horizon: int = HORIZON_DAYS,
    features: list[str] | None = None,
    model: str | None = None,
    own_segments: bool = False,
) -> None:
    """What the audiences of these kinds read, computed (a page runs this in the background; a part the data
    cannot support is skipped, and `Pipeline.audiences` says why). `own_segments`: the page brings its own
    segments, so the suggested segmentation is not needed."""
    parts = [
        lambda: p.churn_risk(horizon, features, model),
        lambda: p.churn_reasons(horizon, features, model),
        lambda: p.spend(horizon),
        lambda: p.lifetime_value(horizon),
        p.next_order,
    ]
    if not own_segments:
        parts.append(p.segmentation)
    if "offers" in kinds:
        parts.append(p.recommendations)
    for part in parts:
        with contextlib.suppress(InsightError):
            part()
