"""What columns mean, on small hand-made tables, each rule both ways: an id identifies, personal data names a
person, the outcome is the result named as one (or a question), the people's labels are the feedback's check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.data.outcome import choose_outcome, outcome_question, sentiment_classes, sentiment_side
from insight.data.roles import infer_roles
from insight.data.standard import standardize

N = 240
rng = np.random.default_rng(7)
REVIEWS = [
    "The delivery came late and the box was broken, very disappointed",
    "Lovely product, works exactly as described and arrived quickly",
    "It is fine, nothing special but does the job for the price",
    "Customer service never answered my emails about the refund",
]


def _reviews(**columns: object) -> pd.DataFrame:
    """A feedback table: texts and a date, plus the given columns."""
    base = {
        "Review": [REVIEWS[i % 4] + f" ({i})" for i in range(N)],
        "Date": pd.date_range("2024-01-01", periods=N, freq="D"),
    }
    return pd.DataFrame({**base, **columns})


def _customers(**columns: object) -> pd.DataFrame:
    """A customer list with an id and two attributes, plus the given columns."""
    base = {
        "CustomerID": [f"C{i:04d}" for i in range(N)],
        "Age": rng.integers(18, 80, N),
        "Country": rng.choice(["DE", "FR", "ES"], N),
    }
    return pd.DataFrame({**base, **columns})


def _flag(p: float = 0.3) -> np.ndarray:
    return np.where(rng.random(N) < p, "yes", "no")


# --- an id identifies ------------------------------------------------------------------------------------


def test_a_small_set_of_names_repeated_over_the_reviews_is_not_the_customer():
    lenders = [f"{name} Bank" for name in ("North", "South", "East", "West", "Union", "First", "Capital")]
    roles = infer_roles(_reviews(BankName=[lenders[i % 7] for i in range(N)]))
    assert roles.get("customer_id") is None
    assert roles.get("item_name") == "BankName"
    assert "BankName" not in roles["pii"]


def test_reviewers_who_write_several_texts_are_the_customers():
    people = [f"{first} {last}" for first in ("Ann", "Bo", "Cy", "Di", "Ed", "Flo") for last in "KLMNOPQRST"]
    roles = infer_roles(_reviews(reviewerName=[people[i % 60] for i in range(N)]))
    assert roles.get("customer_id") == "reviewerName"
    assert "reviewerName" in roles["pii"]


def test_masked_nicknames_are_personal_data_but_never_the_customer():
    masked = [f"{'abcdefgh'[i % 8]}***{'xyz'[i % 3]}" for i in range(N)]
    roles = infer_roles(_reviews(nickname=masked))
    assert roles.get("customer_id") is None
    assert "nickname" in roles["pii"]
    handles = [f"{a}_{b}" for a in ("sunny", "blue", "quiet", "brave") for b in ("fox", "owl", "bee", "elk", "cat")]
    clear = [handles[i % 20] for i in range(N)]
    assert infer_roles(_reviews(nickname=clear)).get("customer_id") == "nickname"


def test_a_yes_no_flag_named_for_a_buyer_is_neither_id_nor_personal_data():
    roles = infer_roles(_reviews(Verified_Buyer=_flag()))
    assert roles.get("customer_id") is None
    assert "Verified_Buyer" not in roles["pii"]
    assert roles.get("label") is None  # a verified purchase says nothing about how the reviewer felt


def test_a_feedback_file_without_authors_has_no_customers_but_its_text_is_read():
    roles = infer_roles(_reviews(Product=[["Masque", "Foliant", "Peel", "Serum"][i % 4] for i in range(N)]))
    assert roles.get("customer_id") is None
    assert roles.get("text") == "Review"
    assert roles.get("item_name") == "Product"


def test_an_id_named_column_of_one_product_is_the_item_the_reviews_are_about():
    roles = infer_roles(_reviews(referenceId=[1015650] * N, id=range(N)))
    assert roles.get("item_id") == "referenceId"
    assert roles.get("customer_id") is None


# --- personal data names a person -------------------------------------------------------------------------


def test_a_department_a_province_and_a_tier_are_not_personal_data():
    roles = infer_roles(
        _reviews(
            **{
                "Division Name": [["General", "Petite", "Intimates"][i % 3] for i in range(N)],
                "Department Name": [["Tops", "Dresses", "Bottoms", "Jackets"][i % 4] for i in range(N)],
                "userProvince": [["北京", "上海", "广东", "浙江", "江苏"][i % 5] for i in range(N)],
                "userLevelName": [["金牌会员", "银牌会员", "钻石会员"][i % 3] for i in range(N)],
            }
        )
    )
    assert roles["pii"] == []
    assert roles.get("customer_id") is None


def test_names_emails_and_phones_are_personal_data():
    people = [f"Person{i} Lastname" for i in range(N)]
    emails = [f"p{i}@example.com" for i in range(N)]
    df = _customers(full_name=people, email=emails, phone=[f"+44 20 7946 {i:04d}" for i in range(N)])
    assert set(infer_roles(df)["pii"]) == {"full_name", "email", "phone"}


# --- the outcome -----------------------------------------------------------------------------------------


def test_the_latest_response_is_the_outcome_not_past_campaigns_or_a_complaint():
    past = {f"AcceptedCmp{k}": rng.integers(0, 2, N) for k in range(1, 6)}
    df = _customers(**past, Complain=rng.integers(0, 2, N), Response=rng.integers(0, 2, N))
    assert infer_roles(df).get("label") == "Response"
    assert outcome_question(df, infer_roles(df)) == []


def test_y_is_the_outcome_not_default_housing_or_loan():
    df = _customers(default=_flag(0.05), housing=_flag(0.5), loan=_flag(0.2), y=_flag(0.12))
    assert infer_roles(df).get("label") == "y"


def test_leaving_is_the_outcome_beside_facts_about_the_customer():
    df = _customers(HasCrCard=rng.integers(0, 2, N), IsActiveMember=rng.integers(0, 2, N), Exited=rng.integers(0, 2, N))
    assert infer_roles(df).get("label") == "Exited"


def test_two_equally_plausible_outcomes_are_a_question_not_a_guess():
    df = _customers(Churn=_flag(), Response=_flag())
    roles = infer_roles(df)
    assert roles.get("label") is None
    assert outcome_question(df, roles) == ["Churn", "Response"]


def test_no_outcome_is_made_up_from_attributes():
    df = _customers(Partner=_flag(), PaperlessBilling=_flag(), Complain=_flag())
    roles = infer_roles(df)
    assert roles.get("label") is None
    assert outcome_question(df, roles) == []


@pytest.mark.parametrize(
    ("names", "chosen"),
    [
        (["Churn", "Partner"], "Churn"),
        (["是否流失", "是否会员"], "是否流失"),
        (["Converted", "HasCrCard"], "Converted"),
        (["feedback", "Verified"], "feedback"),
    ],
)
def test_choose_outcome_by_name(names, chosen):
    df = pd.DataFrame({n: rng.integers(0, 2, 50) for n in names})
    assert choose_outcome(df, names) == (chosen, [])


# --- the people's labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "classes",
    [
        ["positive", "neutral", "negative"],
        ["Positive emotion", "No emotion toward brand or product", "Negative emotion"] * 6 + ["I can't tell"],
        ["好评", "中评", "差评"],
        ["正面", "负面"],
        [-1, 0, 1],
        ["joy", "anger", "sadness"],
    ],
)
def test_sentiment_classes_are_the_feedbacks_label(classes):
    df = _reviews(verdict=[classes[i % len(classes)] for i in range(N)])
    roles = infer_roles(df)
    assert roles.get("label") == "verdict"
    assert sentiment_classes(df["verdict"])


def test_a_feedback_label_keeps_its_classes_and_a_two_valued_one_is_positive_for_good():
    df = _reviews(sentiment=[["positive", "neutral", "negative"][i % 3] for i in range(N)])
    assert standardize(df, infer_roles(df))["label"].tolist()[:3] == ["positive", "neutral", "negative"]
    two = _reviews(sentiment=["negative" if i % 4 else "positive" for i in range(N)])  # positive is the rarer
    std = standardize(two, infer_roles(two))
    assert std.loc[0, "label"] == 1.0 and std.loc[1, "label"] == 0.0


@pytest.mark.parametrize(
    "values",
    [
        ["iPad", "Apple", "Google", "Android"],  # what the emotion is about, not the emotion
        [1, 2, 3, 4, 5],  # stars: a rating
    ],
)
def test_other_columns_are_not_the_feedbacks_label(values):
    df = _reviews(emotion_in_tweet_is_directed_at=[values[i % len(values)] for i in range(N)])
    assert infer_roles(df).get("label") is None


def test_sentiment_side_of_a_class():
    assert [sentiment_side(x) for x in ("Positive emotion", "差评", "-1", "neutral", "I can't tell", None)] == [
        "positive",
        "negative",
        "negative",
        "neutral",
        None,
        None,
    ]


# --- dates and names of things ----------------------------------------------------------------------------


def test_a_one_day_export_keeps_its_date_and_a_shipping_choice_is_no_item():
    df = pd.DataFrame(
        {
            "Order ID": [f"40{i:05d}" for i in range(N)],
            "Date": pd.Timestamp("2022-04-30"),
            "SKU": [f"SKU-{i % 40}" for i in range(N)],
            "ship-service-level": ["Standard" if i % 3 else "Expedited" for i in range(N)],
            "Qty": 1,
            "Amount": rng.uniform(200, 900, N).round(0),
        }
    )
    roles = infer_roles(df)
    assert roles.get("timestamp") == "Date"
    assert roles.get("item_name") is None
    scraped = df.rename(columns={"Date": "Scrape_Date"})
    assert infer_roles(scraped).get("timestamp") is None  # when a page was scraped dates no order


# --- numbers a person reads -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"), [(30_400.0, "30,400"), (3.0, "3"), (12.3456, "12"), (4.25, "4.2"), (0.4213, "0.42")]
)
def test_numbers_are_rounded_to_fit_never_in_scientific_notation(value, shown):
    from insight.labels import fmt_number

    assert fmt_number(value) == shown


def test_ratios_are_capped_in_words():
    from insight.labels import ratio_words

    assert ratio_words(3.14) == "3.1× their usual gap"
    assert ratio_words(50_619.7) == ratio_words(float("inf")) == "far longer than usual"


def test_spend_verdicts_write_money_with_its_currency():
    from insight.predict.trust import judge_spend

    metrics = pd.DataFrame({"r2": [0.02, 0.0], "mae": [30_400.0, 30_500.0]}, index=["Ridge", "Mean"])
    verdict = judge_spend(metrics, "Ridge", "total spend", 200, "EUR")
    # babel's English money: the sign first
    assert "typical error €30,400 vs €30,500 for the mean" in verdict.reason and "e+0" not in verdict.reason


def test_the_action_lists_audience_is_named_for_the_outcome():
    from insight import act
    from insight.outcome_words import outcome_of

    actions = pd.DataFrame({"customer_id": ["a", "b"], "predicted_value": [120.0, 80.0]})
    scores = pd.DataFrame({"customer_id": ["a", "b"], "usual_gap_days": [30.0, 40.0], "days_since_last": [90, 95]})
    leaving = act.leaving_audience(actions, scores, "GBP", outcome_of("Churn"))
    assert (leaving.key, str(leaving.name)) == ("likely-to-leave-worth-the-most", "Likely to leave and worth the most")
    assert str(leaving.action).startswith("Call these first: 2 customers worth about £200; then a win-back offer")
    reply = act.leaving_audience(actions, scores, "GBP", outcome_of("Response"))
    assert (reply.key, str(reply.name)) == ("likely-to-say-yes-worth-the-most", "Likely to say yes and worth the most")
    assert str(reply.action) == "Offer them the next campaign first: 2 customers worth about £200."
