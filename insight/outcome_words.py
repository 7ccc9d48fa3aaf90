"""What the outcome is called: the words of the Value page, the Overview card, the action list, the verdict, the
report and the JSON follow the outcome the founder cares about.

"Churn", "leave" and "left" only when the outcome means leaving (a churn column, or a label derived from
orders); a campaign's reply (`Response`, `y`, `Converted`) in the words of a campaign ("likely to say yes to the
next campaign"); any other outcome by its column's own name. Every sentence is written out whole for each kind,
here and nowhere else (marked for the catalogue, translated when said), so a translation has whole sentences
to work with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from insight.i18n import N_, Message, _

# Outcome names that mean "this customer left": only these make a churn label.
LEAVING = re.compile(
    r"churn|attrition|exited|cancel|(^|[\W_])(left|lost|leaver)($|[\W_])|gek[uü]ndigt|abandono|r[ée]sili|baja|"
    r"opzegging|disdetta|流失|退会|解約",
    re.I,
)

LEAVE, REPLY, OTHER, NONE = "leaving", "response", "other", "none"
# Outcomes that are a reply to an offer or a campaign
REPLIES = re.compile(
    r"response|responded|repl(y|ied)|converted|conversion|subscribed|subscription|signed.?up|accepted|purchased|"
    r"bought|deposit|(^|[\W_])(y|won|buy)($|[\W_])|转化|响应|回复|购买|成交",
    re.I,
)

PHRASES: dict[str, dict[str, str]] = {
    LEAVE: {
        "page": N_("Value & churn"),
        "page_caption": N_("Whom to call first, who is about to leave and why, and what each customer is worth."),
        "card": N_("Who is about to leave"),
        "fitting": N_("Comparing churn models"),
        "chance": N_("churn risk"),
        "threshold": N_("Call customers whose churn risk is at least"),
        "tab": N_("Who may leave, and why"),
        "ranking": N_(
            "Ranking (ROC AUC {auc}): of two customers, one who left and one who stayed, the one who left gets "
            "the higher risk {share} of the time; a coin would manage 50%."
        ),
        "precision": N_("Precision: of the customers flagged at a risk of {threshold} or more, {share} really left."),
        "recall": N_("Recall: of the customers who left, {share} were flagged."),
        "accuracy": N_(
            "Accuracy: {share} of customers were put on the right side of the line (easy to score high when few "
            "leave, so read the three above first)."
        ),
        "rate": N_("Churn rate"),
        "section": N_("Value and churn"),
        "value_at_stake": N_("value at risk"),
        "risks": N_("Churn risks"),
        "audience": N_("Likely to leave and worth the most"),
        "audience_tag": N_("likely to leave"),
        "audience_action": N_("call these first: {people} worth about {worth}"),
        "reasons": N_("Churn reasons"),
        "segment_lift": N_("'{name}' ({customers} customers) carry {lift}× the average churn risk"),
        "top_offer": N_("Top offer for your {n} most valuable at-risk customers: {item} (first pick for {k} of them)."),
        "marked": N_("{share} of customers are marked as gone in '{column}'."),
        "likely": N_("{people} look likely to leave now."),
        "from_column": N_(
            "Who left comes from the column **{column}**: {share} of {customers} customers{dropped}. No "
            "customer's risk comes from a model that saw their answer."
        ),
        "action": N_("{people} worth about {worth} ({value}) look likely to leave; call these first."),
        "no_action": N_(
            "No valuable customer has a churn risk of {share} or more right now: nobody to call first. Move the "
            "line to see who comes next."
        ),
        "unreliable": N_(
            "{what} do not predict who leaves: the best model ranks leavers no better than a coin ({figures}). "
            "Churn risks, reasons and the action list are withheld."
        ),
        "rough": N_("{what} predict who leaves only weakly ({figures}): use the risks as a rough ranking."),
        "reliable": N_("{what} predict who leaves well ({figures}; 0.5 would be a coin)."),
        "rule_wins": N_(
            " No model beats the simple rule 'longest since the last order = most likely to leave' (ROC AUC "
            "{rule_auc} vs {auc} for {best}), so churn risk uses that rule."
        ),
        "rule_best": N_(
            " The simple rule 'longest since the last order = most likely to leave' ranks best, so it is used."
        ),
        "auc_chart": N_("How well each model ranks customers who left (dark: the default)"),
        "roc_chart": N_("ROC curve: churners found vs stayers wrongly flagged"),
        "roc_axis": N_("Share of churners found"),
        "roc_x": N_("Share of stayers flagged"),
        "pr_chart": N_("Precision vs recall: how many flagged really leave, how many leavers are flagged"),
        "recall_axis": N_("Recall (share of churners flagged)"),
        "precision_axis": N_("Precision (flagged who really churn)"),
        "importance_chart": N_("What drives churn risk"),
        "yes": N_("churned"),
        "no": N_("stayed"),
        "say_yes": N_("churn"),
        "say_no": N_("stay"),
        "recall_measure": N_("Churners found (recall)"),
        "fairness_chart": N_("Churn model by {attribute}"),
        "fairness_recall": N_(
            "By {attribute}: the model finds churners at very different rates ({low}: {low_share}, {high}: "
            "{high_share}). Check whether that is fair before acting on the list."
        ),
        "fairness_flags": N_(
            "By {attribute}: the model flags at very different rates ({low}: {low_share}, {high}: {high_share}), "
            "while they actually churn at {low_rate} and {high_rate}. Check whether that is fair before acting "
            "on the list."
        ),
    },
    REPLY: {
        "page": N_("Value & campaign replies"),
        "page_caption": N_(
            "Whom to offer the next campaign first, who is likely to say yes and why, and what each customer is worth."
        ),
        "card": N_("Who may say yes to the next campaign"),
        "fitting": N_("Comparing models of who says yes"),
        "chance": N_("chance of saying yes"),
        "threshold": N_("List customers whose chance of saying yes is at least"),
        "tab": N_("Who may say yes, and why"),
        "ranking": N_(
            "Ranking (ROC AUC {auc}): of two customers, one who said yes and one who said no, the one who said "
            "yes gets the higher chance {share} of the time; a coin would manage 50%."
        ),
        "precision": N_(
            "Precision: of the customers listed at a chance of {threshold} or more, {share} really said yes."
        ),
        "recall": N_("Recall: of the customers who said yes, {share} were listed."),
        "accuracy": N_(
            "Accuracy: {share} of customers were put on the right side of the line (easy to score high when few "
            "say yes, so read the three above first)."
        ),
        "rate": N_("Said yes"),
        "section": N_("Value and campaign replies"),
        "value_at_stake": N_("value in reach"),
        "risks": N_("Chances of saying yes"),
        "audience": N_("Likely to say yes and worth the most"),
        "audience_tag": N_("likely to say yes"),
        "audience_action": N_("offer them the next campaign first: {people} worth about {worth}"),
        "reasons": N_("Reasons"),
        "segment_lift": N_("'{name}' ({customers} customers) are {lift}× as likely as average to say yes"),
        "top_offer": N_(
            "Top offer for your {n} most valuable customers likely to say yes: {item} (first pick for {k} of them)."
        ),
        "marked": N_("{share} of customers said yes in '{column}'."),
        "likely": N_("{people} look likely to say yes to the next campaign."),
        "from_column": N_(
            "Who said yes comes from the column **{column}**: {share} of {customers} customers{dropped}. No "
            "customer's chance comes from a model that saw their answer."
        ),
        "action": N_(
            "{people} worth about {worth} ({value}) look likely to say yes; offer them the next campaign first."
        ),
        "no_action": N_(
            "No valuable customer has a chance of saying yes of {share} or more right now. Move the line to see "
            "who comes next."
        ),
        "unreliable": N_(
            "{what} do not predict who says yes: the best model ranks those who said yes no better than a coin "
            "({figures}). Each customer's chance, the reasons and the action list are withheld."
        ),
        "rough": N_("{what} predict who says yes only weakly ({figures}): use the chances as a rough ranking."),
        "reliable": N_("{what} predict who says yes well ({figures}; 0.5 would be a coin)."),
        "rule_wins": N_(
            " No model beats the simple rule 'days since the last order' (ROC AUC {rule_auc} vs {auc} for "
            "{best}), so the chances use that rule."
        ),
        "rule_best": N_(" The simple rule 'days since the last order' ranks best, so it is used."),
        "auc_chart": N_("How well each model ranks customers who said yes (dark: the default)"),
        "roc_chart": N_("ROC curve: those who said yes found vs those who said no wrongly listed"),
        "roc_axis": N_("Share of those who said yes found"),
        "roc_x": N_("Share of those who said no listed"),
        "pr_chart": N_("Precision vs recall: how many listed really said yes, how many who said yes are listed"),
        "recall_axis": N_("Recall (share of those who said yes listed)"),
        "precision_axis": N_("Precision (listed who really said yes)"),
        "importance_chart": N_("What drives the chance of saying yes"),
        "yes": N_("said yes"),
        "no": N_("said no"),
        "say_yes": N_("yes"),
        "say_no": N_("no"),
        "recall_measure": N_("Those who said yes found (recall)"),
        "fairness_chart": N_("Model of who says yes, by {attribute}"),
        "fairness_recall": N_(
            "By {attribute}: the model finds those who say yes at very different rates ({low}: {low_share}, "
            "{high}: {high_share}). Check whether that is fair before acting on the list."
        ),
        "fairness_flags": N_(
            "By {attribute}: the model lists customers at very different rates ({low}: {low_share}, {high}: "
            "{high_share}), while they actually said yes at {low_rate} and {high_rate}. Check whether that is "
            "fair before acting on the list."
        ),
    },
    OTHER: {
        "page": N_("Value & outcome"),
        "page_caption": N_("Who is likely to be yes in '{column}' and why, and what each customer is worth."),
        "card": N_("Who is likely to be yes in '{column}'"),
        "fitting": N_("Comparing models of '{column}'"),
        "chance": N_("chance of yes in '{column}'"),
        "threshold": N_("List customers whose chance of yes in '{column}' is at least"),
        "tab": N_("Who may be yes in '{column}', and why"),
        "ranking": N_(
            "Ranking (ROC AUC {auc}): of two customers, one yes and one no in '{column}', the yes one gets the "
            "higher chance {share} of the time; a coin would manage 50%."
        ),
        "precision": N_(
            "Precision: of the customers listed at a chance of {threshold} or more, {share} really are yes."
        ),
        "recall": N_("Recall: of the customers who are yes, {share} were listed."),
        "accuracy": N_(
            "Accuracy: {share} of customers were put on the right side of the line (easy to score high when one "
            "answer is rare, so read the three above first)."
        ),
        "rate": N_("Yes in '{column}'"),
        "section": N_("Value and '{column}'"),
        "value_at_stake": N_("value in reach"),
        "risks": N_("Chances of yes in '{column}'"),
        "audience": N_("Likely to be yes in '{column}' and worth the most"),
        "audience_tag": N_("likely to be yes in '{column}'"),
        "audience_action": N_("contact these first: {people} worth about {worth}"),
        "reasons": N_("Reasons"),
        "segment_lift": N_("'{name}' ({customers} customers) are {lift}× as likely as average to be yes in '{column}'"),
        "top_offer": N_(
            "Top offer for your {n} most valuable customers likely to be yes in '{column}': {item} (first pick "
            "for {k} of them)."
        ),
        "marked": N_("{share} of customers are yes in '{column}'."),
        "likely": N_("{people} look likely to be yes in '{column}'."),
        "from_column": N_(
            "The outcome is the column **{column}**: {share} of {customers} customers are yes{dropped}. No "
            "customer's chance comes from a model that saw their answer."
        ),
        "action": N_(
            "{people} worth about {worth} ({value}) look likely to be yes in '{column}'; contact these first."
        ),
        "no_action": N_(
            "No valuable customer has a chance of yes in '{column}' of {share} or more right now. Move the line "
            "to see who comes next."
        ),
        "unreliable": N_(
            "{what} do not predict '{column}': the best model ranks its yes answers no better than a coin "
            "({figures}). Each customer's chance, the reasons and the action list are withheld."
        ),
        "rough": N_("{what} predict '{column}' only weakly ({figures}): use the chances as a rough ranking."),
        "reliable": N_("{what} predict '{column}' well ({figures}; 0.5 would be a coin)."),
        "rule_wins": N_(
            " No model beats the simple rule 'days since the last order' (ROC AUC {rule_auc} vs {auc} for "
            "{best}), so the chances use that rule."
        ),
        "rule_best": N_(" The simple rule 'days since the last order' ranks best, so it is used."),
        "auc_chart": N_("How well each model ranks the yes answers in '{column}' (dark: the default)"),
        "roc_chart": N_("ROC curve: yes answers found vs no answers wrongly listed"),
        "roc_axis": N_("Share of yes answers found"),
        "roc_x": N_("Share of no answers listed"),
        "pr_chart": N_("Precision vs recall: how many listed really are yes, how many yes answers are listed"),
        "recall_axis": N_("Recall (share of yes answers listed)"),
        "precision_axis": N_("Precision (listed who really are yes)"),
        "importance_chart": N_("What drives the chance of yes in '{column}'"),
        "yes": N_("yes"),
        "no": N_("no"),
        "say_yes": N_("yes"),
        "say_no": N_("no"),
        "recall_measure": N_("Yes answers found (recall)"),
        "fairness_chart": N_("Model of '{column}' by {attribute}"),
        "fairness_recall": N_(
            "By {attribute}: the model finds the yes answers at very different rates ({low}: {low_share}, "
            "{high}: {high_share}). Check whether that is fair before acting on the list."
        ),
        "fairness_flags": N_(
            "By {attribute}: the model lists customers at very different rates ({low}: {low_share}, {high}: "
            "{high_share}), while they actually are yes at {low_rate} and {high_rate}. Check whether that is "
            "fair before acting on the list."
        ),
    },
}
# No outcome yet (none named, or two to choose from): the page and card say what is missing, in neutral words
PHRASES[NONE] = {
    **PHRASES[OTHER],
    "page_caption": N_(
        "What each customer is worth, and who is likely to do what you care about once the data says what that is."
    ),
    "card": N_("Who is likely to do what you care about"),
    "missing": N_(
        "Predictions need an outcome: a column saying what happened to each customer (Yes/No) in the customer "
        "file, or an orders file with dates. Mark it on the Data page."
    ),
}


@dataclass(frozen=True)
class Outcome:
    """The outcome's kind (`leaving`, `response`, `other`, or `none` when there is none yet) and its column
    (None for a label derived from orders); `say` gives its sentences."""

    kind: str
    column: str | None = None

    @property
    def leaving(self) -> bool:
        return self.kind == LEAVE

    @property
    def name(self) -> str:
        """The JSON's `outcome`: 'churn' for leaving, else the column's own name."""
        return "churn" if self.leaving or self.column is None else self.column

    def say(self, key: str, **values: object) -> str:
        """The sentence `key` for this outcome in the reader's language, with `values` filled in (the column's
        name as `column`)."""
        return _(self._text(key)).format(**{"column": self.column, **values})

    def message(self, key: str, **values: object) -> Message:
        """The sentence `key` as a message written when it is read, for results computed and cached (a verdict's
        reason, an error a worker sends back): a result holds no reader's language (docs/i18n.md)."""
        return Message(self._text(key), **{"column": self.column, **values})

    def _text(self, key: str) -> str:
        return PHRASES[self.kind].get(key) or PHRASES[NONE][key]


def outcome_of(column: str | None, derived: bool = False) -> Outcome:
    """The outcome of a label column (None: a label derived from orders when `derived`, else none yet)."""
    if column is None:
        return Outcome(LEAVE if derived else NONE)
    if LEAVING.search(column):
        return Outcome(LEAVE, column)
    if REPLIES.search(column):
        return Outcome(REPLY, column)
    return Outcome(OTHER, column)
