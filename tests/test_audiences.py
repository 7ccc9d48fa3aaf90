"""Audiences for the marketing tools: the platforms' documented import headers on the demo and on a real export
with emails, names split, formulas neutralised, UTF-8 with a BOM, what is withheld and why, and one suggested
action per audience from its own numbers.

The headers are checked against what each platform documents, written out here rather than read from the code:

- Shopify: the customer CSV template of Shopify's Help Center, "Importing and exporting customer lists"
  (https://help.shopify.com/en/manual/customers/import-export-customers, the template `customer_template.csv`),
  17 columns from `First Name` to `Tax Exempt`, headers case-sensitive; public converters that target it write
  the same header line (e.g. the BigCommerce-to-Shopify `b2s-customers.sh` and `customer-csv-converter` tests
  found with the search tool).
- Klaviyo: "How to create and add contacts to a new list"
  (https://help.klaviyo.com/hc/en-us/articles/115005078967): the first column is `Email` (or `Email Address`,
  or `Phone Number`); other columns named as Klaviyo properties (`First Name`, `Last Name`, `Phone Number`) map
  to them, any other name becomes a custom property.
- Mailchimp: "Format guidelines for your import file" (https://mailchimp.com/help/format-guidelines-for-your-
  import-file/): `Email Address` is the one required field, first and last name are text fields, tags are
  comma-separated.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insight.act import audiences as A
from insight.act import contacts as C
from insight.act import formats as F
from insight.data.dataset import build_dataset_with_lookup, demo_files
from insight.errors import InsightError
from insight.pipeline import MemoRunner, Pipeline

SHOPIFY_TEMPLATE = [
    "First Name",
    "Last Name",
    "Email",
    "Accepts Email Marketing",
    "Default Address Company",
    "Default Address Address1",
    "Default Address Address2",
    "Default Address City",
    "Default Address Province Code",
    "Default Address Country Code",
    "Default Address Zip",
    "Default Address Phone",
    "Phone",
    "Accepts SMS Marketing",
    "Tags",
    "Note",
    "Tax Exempt",
]
MAILCHIMP = ["Email Address", "First Name", "Last Name", "Tags"]
KLAVIYO_PROPERTIES = {"Phone Number", "First Name", "Last Name", "Segment", "Churn risk", "Predicted 12-month value"}
BOM = b"\xef\xbb\xbf"


def _read(data: bytes) -> pd.DataFrame:
    assert data.startswith(BOM)  # Excel opens Chinese names right
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _check_platform_files(pipe: Pipeline, lookup: pd.DataFrame, audience: A.Audience) -> dict[str, pd.DataFrame]:
    """Every format's file for one audience, its header checked against the documented one."""
    assert pipe.audience_formats(lookup, shared=False) == (F.FORMATS, None)
    files = {fmt: pipe.audience_file(audience, fmt, lookup) for fmt in F.FORMATS}
    tables = {fmt: _read(f.data) for fmt, f in files.items()}
    assert list(tables["shopify"].columns) == SHOPIFY_TEMPLATE
    assert list(tables["mailchimp"].columns) == MAILCHIMP
    assert tables["klaviyo"].columns[0] == "Email"
    assert list(tables["csv"].columns[:1]) == ["Customer ID"]
    for fmt, f in files.items():
        assert f.name == f"{audience.key}_{fmt}.csv" and f.rows == len(tables[fmt])
        assert f.rows + f.left_out == audience.size
    tags = tables["shopify"]["Tags"].str.split(", ")
    assert tags.map(lambda t: A.formats.tag(audience.tag) in t).all()  # the audience (and the segment) as tags
    return tables


@pytest.fixture(scope="module")
def demo_data(demo_pipeline: Pipeline, demo_lookup) -> tuple[Pipeline, pd.DataFrame]:
    return demo_pipeline, demo_lookup[1]


@pytest.fixture(scope="module")
def demo(demo_data) -> tuple[Pipeline, pd.DataFrame, A.Audiences]:
    """Every audience of the demo (this fits the churn models: the tests using it are slow)."""
    pipe, lookup = demo_data
    return pipe, lookup, pipe.audiences()


def test_the_demo_segments_in_each_platform_format_with_names_split(demo_data) -> None:
    pipe, lookup = demo_data
    labels = pipe.segmentation().labels_frame().set_index("customer_id")["segment"]
    scores = pd.DataFrame({"customer_id": labels.index, "segment": labels.to_numpy()})
    segments = A.segment_audiences(scores)
    assert len(segments) == pipe.segmentation().n_segments
    assert sum(a.size for a in segments) == len(pipe.ds.customers)
    tables = {}
    for audience in segments:
        tables[audience.key] = _check_platform_files(pipe, lookup, audience)
    klaviyo = pd.concat(t["klaviyo"] for t in tables.values()).set_index("Email")
    row = klaviyo.loc["mia.rossi0@example.com"]  # customer C00001, "Mia Rossi"
    assert (row["First Name"], row["Last Name"], row["Phone Number"]) == ("Mia", "Rossi", "+44 7390 733076")
    assert len(klaviyo) == len(pipe.ds.customers) and klaviyo["Segment"].notna().all()


@pytest.mark.slow
def test_the_demo_audiences_in_each_platform_format_match_the_documented_headers(demo) -> None:
    pipe, lookup, result = demo
    kinds = [a.kind for a in result.items]
    assert kinds.count("segment") == pipe.segmentation().n_segments and kinds.count("leaving") == 1
    assert kinds.count("offer") == A.OFFER_AUDIENCES and not result.notes  # the demo's verdicts all allow them
    for audience in result.items:
        tables = _check_platform_files(pipe, lookup, audience)
        assert KLAVIYO_PROPERTIES | {"Next order date"} <= set(tables["klaviyo"].columns)
        assert (tables["mailchimp"]["Email Address"].str.endswith("@example.com")).all()
        assert tables["shopify"]["Accepts Email Marketing"].eq("").all()  # consent is never assumed


@pytest.mark.slow
def test_each_demo_audience_says_what_to_do_with_its_own_numbers(demo) -> None:
    pipe, _, result = demo
    actions, _ = pipe.action_list()
    leaving = next(a for a in result.items if a.kind == "leaving")
    worth = f"£{actions['predicted_value'].sum():,.0f}"
    assert leaving.size == len(actions) and f"{len(actions):,} customers worth about {worth}" in leaving.action
    repeat = leaving.members[leaving.members["usual_gap_days"].notna()]
    gap, since = repeat["usual_gap_days"].median(), repeat["days_since_last"].median()
    assert f"their usual gap is {gap:.0f} days and it has been {since:.0f}" in leaving.action
    offers = pipe.recommendations()
    for audience in (a for a in result.items if a.kind == "offer"):
        item = audience.members["offer"].iloc[0]
        picked = offers[(offers["item_name"] == item) & (offers["rank"] <= A.OFFER_RANK)]
        assert set(audience.members["customer_id"]) == set(picked["customer_id"])
        assert audience.action.startswith(f"Offer {item}:") and audience.name == f"Likely to buy {item}"
    assert all(a.action for a in result.items)
    busy = next(a for a in result.items if a.kind == "segment" and "every 2" in (a.action or ""))  # every 2x days
    assert busy.members["days_to_next"].median() <= A.DUE_SOON_DAYS  # "a reminder now": the big spenders


@pytest.mark.shared_data
def test_a_real_export_with_emails_in_each_platform_format(shared_data: Path) -> None:
    exports = shared_data / "exports"
    names = ("oracle_oe_orders_export.csv", "oracle_oe_customers_export.csv")
    ds, lookup = build_dataset_with_lookup([(n, (exports / n).read_bytes()) for n in names])
    pipe = Pipeline(ds, MemoRunner())
    result = pipe.audiences()
    assert result.items and any("withheld" in n for n in result.notes)  # too few orders for churn: said so
    tables = [_check_platform_files(pipe, lookup, audience) for audience in result.items]
    shopify = pd.concat(t["shopify"] for t in tables).set_index("Email")
    row = shopify.loc[["Sivaji.Landis@GOLDENEYE.EXAMPLE.COM"]].iloc[0]
    assert (row["First Name"], row["Last Name"], row["Phone"]) == ("Sivaji", "Landis", "+1 319 123 4301")
    assert not any("Next order date" in t["klaviyo"] for t in tables)  # the dates could not be checked: left out
    assert any(n.startswith("Next order dates left out") for n in result.notes)


def _members(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "segment": ["Fans, loyal"] * n})


def test_cells_are_neutralised_phones_kept_and_chinese_names_split() -> None:
    contacts = pd.DataFrame(
        {
            "customer_id": ["c0", "c1", "c2"],
            "email": ['=HYPERLINK("http://evil.test")@x.com', "b@x.com", "c@x.com"],
            "phone": ["+44 7390 733076", "=1+2", None],
            "first_name": ["@SUM(A1)", "小明", "Ann"],
            "last_name": ["-x", "王", None],
        }
    )
    for fmt in F.PLATFORMS:
        table = _read(F.to_bytes(F.render(_members(), fmt, contacts, "likely to leave")))
        text = table.to_csv(index=False)
        assert "\n=" not in text and ",=" not in text and ",@" not in text and ",-x" not in text
        assert "小明" in text and ("Tags" in table or "+44 7390 733076" in text and "'=1+2" in text)
        if "Tags" in table:
            assert set(table["Tags"]) == {"likely to leave, Fans loyal"}  # a comma would split the tag
    lookup = pd.DataFrame({"customer_id": ["c0"], "姓名": ["欧阳娜娜"], "手机": ["+86 138 0013 8000"]})
    assert C.contact_details(lookup).iloc[0][["first_name", "last_name", "phone"]].tolist() == [
        "娜娜",
        "欧阳",
        "+86 138 0013 8000",
    ]


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Mia Rossi", "Mia", "Rossi"),
        ("Rossi, Mia", "Mia", "Rossi"),
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Madonna", "Madonna", None),
        ("王小明", "小明", "王"),
        ("司马相如", "相如", "司马"),
        ("  ", None, None),
        (None, None, None),
    ],
)
def test_one_name_column_is_split_into_first_and_last(name, first, last) -> None:
    assert C.split_name(name) == (first, last)


def test_customers_without_an_email_are_left_out_of_mailchimp_and_the_file_says_so() -> None:
    contacts = pd.DataFrame(
        {"customer_id": ["c0", "c1", "c2"], "email": ["a@x.com", None, None], "phone": [None, "+1 555 0100", None]}
    ).assign(first_name=None, last_name=None)
    audience = A.Audience("seg", "Segment: Fans", "Fans", "segment", _members(), None)
    mail = audience.export("mailchimp", contacts)
    assert (mail.rows, mail.left_out) == (1, 2) and "Mailchimp needs an email" in mail.note
    shop = audience.export("shopify", contacts)
    assert (shop.rows, shop.left_out) == (2, 1) and "an email or a phone number" in shop.note
    assert audience.export("csv", None).rows == 3  # the csv format needs no contact details


def test_without_an_email_or_phone_column_only_csv_with_the_sentence_saying_which_column() -> None:
    pipe = Pipeline(build_dataset_with_lookup(demo_files())[0], MemoRunner())
    formats, gap = pipe.audience_formats(None, shared=False)
    assert formats == ("csv",) and "email or phone column" in gap and "Klaviyo, Mailchimp and Shopify" in gap
    formats, gap = pipe.audience_formats(pd.DataFrame({"customer_id": ["a"], "name": ["Ann Lee"]}), shared=False)
    assert formats == ("csv",)
    shared_formats, shared_gap = pipe.audience_formats(pd.DataFrame({"customer_id": ["a"], "mail": ["a@x.com"]}), True)
    assert shared_formats == ("csv",) and "shared view carries no emails" in shared_gap
    with pytest.raises(InsightError, match="use the csv format"):
        F.render(_members(), "klaviyo", None, "x")
    with pytest.raises(InsightError, match="not an audience format"):
        F.check_format("excel")


@pytest.mark.parametrize(
    ("gap", "since", "to_next", "once", "says"),
    [
        (34.0, 80.0, None, 0.0, "win-back offer: their usual gap is 34 days and it has been 80"),
        (21.0, 10.0, 9.0, 0.0, "a reminder now: they order about every 21 days and half are due within 9 days"),
        (47.0, 33.0, 30.0, 0.0, "keep them close, no discount needed: they order about every 47 days, last 33"),
        (30.0, 20.0, None, 0.6, "second-order nudge: 60% ordered only once"),
    ],
)
def test_the_suggested_action_comes_from_the_groups_own_numbers(gap, since, to_next, once, says) -> None:
    n = 10
    repeat = np.arange(n) >= round(once * n)
    members = pd.DataFrame(
        {
            "usual_gap_days": np.where(repeat, gap, np.nan),
            "days_since_last": np.full(n, since),
            **({"days_to_next": np.where(repeat, to_next, np.nan)} if to_next is not None else {}),
        }
    )
    assert A.timing(members).startswith(says)


def test_no_action_without_numbers_and_file_names_stay_in_their_folder() -> None:
    assert A.timing(pd.DataFrame({"customer_id": ["a"]})) is None
    assert A.slug("../../etc/passwd") == "etc-passwd" and A.slug("Segment: 老客户") == "segment-老客户"
    assert A.Audience(A.slug("a/b"), "n", "t", "segment", _members(), None).file_name("Shopify") == "a-b_shopify.csv"


def test_segments_whose_verdict_is_unreliable_give_no_audience_and_say_why(demo_data) -> None:
    pipe, _ = demo_data
    labels = pipe.segmentation().labels_frame().set_index("customer_id")["segment"]
    shaky = pipe.segmentation().verdict.__class__("unreliable", "No natural groups.", "no structure")
    result = pipe.audiences(kinds=("segments",), segments=labels, segments_verdict=shaky)
    assert not result.items and "Segment audiences withheld: No natural groups." in result.notes
