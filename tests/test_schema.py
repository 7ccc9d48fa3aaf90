"""Table kinds and column roles: real exports, non-English exports, the demo files, validation, the standard view."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.data.dataset import build_dataset, demo_files
from insight.data.kinds import infer_kind, link_items, validate_roles
from insight.data.read import read_table
from insight.data.roles import infer_roles
from insight.data.standard import normalize_ids, standardize, to_binary
from insight.data.types import parse_types
from insight.errors import SchemaError
from tests.conftest import SHARED_DATA


def _understand(name: str, data: bytes) -> tuple[pd.DataFrame, dict, str]:
    raw, _ = read_table(name, data)
    typed, _ = parse_types(raw)
    roles = infer_roles(typed)
    return typed, roles, infer_kind(typed, roles)


def _shared(path: str) -> tuple[str, bytes]:
    p = SHARED_DATA / path
    return p.name, p.read_bytes()


# --- real public data --------------------------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.parametrize("path", ["cdnow/cdnow_master.csv", "cdnow/CDNOW_master.txt"])
def test_cdnow_master_is_a_transaction_log(path):
    typed, roles, kind = _understand(*_shared(path))
    assert kind == "transactions"
    assert {k: roles.get(k) for k in ("customer_id", "timestamp", "quantity", "amount")} == {
        "customer_id": "customer_id",
        "timestamp": "date",
        "quantity": "number_of_cds",
        "amount": "dollar_value",
    }
    std = standardize(typed, roles)
    assert std["customer_id"].nunique() == 23570
    assert std["customer_id"].iloc[0] == "00001"
    assert std["timestamp"].max() == pd.Timestamp("1998-06-30")
    assert std["amount"].sum() == pytest.approx(2_500_315.63, abs=0.01)


@pytest.mark.shared_data
def test_cdnow_sample_without_header_is_a_transaction_log():
    typed, roles, kind = _understand(*_shared("cdnow/CDNOW_sample.txt"))
    assert kind == "transactions"
    assert roles["customer_id"] in ("column_1", "column_2")
    assert roles["timestamp"] == "column_3"
    assert roles["quantity"] == "column_4"
    assert roles["amount"] == "column_5"
    std = standardize(typed, roles)
    assert std["customer_id"].nunique() == 2357
    assert std["timestamp"].min() == pd.Timestamp("1997-01-01")


@pytest.mark.shared_data
def test_movielens_ratings_with_the_catalogue_uploaded_beside_them():
    ds = build_dataset([_shared("ml100k_ratings.csv"), _shared("ml-100k/u.item")])
    ratings, items = ds.table("ratings"), ds.table("items")
    assert ratings is not None and items is not None
    assert ratings.name == "ml100k_ratings.csv"
    assert {k: ratings.roles.get(k) for k in ("customer_id", "item_id", "rating", "timestamp")} == {
        "customer_id": "user_id",
        "item_id": "item_id",
        "rating": "rating",
        "timestamp": "timestamp",
    }
    std = ratings.standard()
    assert std["rating"].value_counts().sort_index().tolist() == [6110, 11370, 27145, 34174, 21201]
    assert std["customer_id"].nunique() == 943
    assert std["timestamp"].dt.year.between(1997, 1998).all()
    assert items.roles["item_id"] == "column_1"
    assert items.roles["item_name"] == "column_2"
    catalogue = items.standard()
    assert catalogue.loc[catalogue["item_id"] == "1", "item_name"].item() == "Toy Story (1995)"
    assert set(std["item_id"]) <= set(catalogue["item_id"])
    assert len(ds.customers) == 943


@pytest.mark.shared_data
def test_mall_customers_is_one_flat_customer_table():
    typed, roles, kind = _understand(*_shared("mall_customers.csv"))
    assert kind == "customers"
    assert roles["customer_id"] == "CustomerID"
    assert roles["categorical"] == ["Genre"]
    assert roles["numeric"] == ["Age", "Annual Income (k$)", "Spending Score (1-100)"]
    assert typed["Genre"].value_counts().to_dict() == {"Female": 112, "Male": 88}
    assert typed["Annual Income (k$)"].mean() == pytest.approx(60.56)
    assert standardize(typed, roles)["customer_id"].iloc[0] == "0001"


@pytest.mark.shared_data
@pytest.mark.parametrize("file", ["amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt"])
def test_labelled_sentences_are_feedback(file):
    typed, roles, kind = _understand(*_shared(f"sentiment_labelled_sentences/{file}"))
    assert kind == "feedback"
    assert roles["text"] == "column_1"
    assert len(typed) == 1000
    assert typed["column_1"].str.split().str.len().mean() > 5


# --- exports in other languages ---------------------------------------------------------------------------


def _german() -> bytes:
    rows = ["Kundennummer;Datum;Menge;Betrag", "K001;05.01.2024;2;1.234,50", "K002;13.01.2024;1;12,00"]
    rows += [f"K00{i % 4 + 1};{i + 1:02d}.02.2024;{i % 3 + 1};{i * 7},{i:02d}" for i in range(12)]
    return "\n".join(rows).encode("cp1252")


def test_german_semicolon_export_with_decimal_commas():
    typed, roles, kind = _understand("Umsätze.csv", _german())
    assert kind == "transactions"
    assert {k: roles.get(k) for k in ("customer_id", "timestamp", "quantity", "amount")} == {
        "customer_id": "Kundennummer",
        "timestamp": "Datum",
        "quantity": "Menge",
        "amount": "Betrag",
    }
    std = standardize(typed, roles)
    assert std["amount"].iloc[0] == 1234.5
    assert std["timestamp"].iloc[1] == pd.Timestamp("2024-01-13")


@pytest.mark.parametrize(
    ("header", "row", "expect"),
    [
        (
            "Numéro client;Date de commande;Quantité;Montant",
            "{c};{d:02d}/03/2024;{q};{a},50 €",
            {
                "customer_id": "Numéro client",
                "timestamp": "Date de commande",
                "quantity": "Quantité",
                "amount": "Montant",
            },
        ),
        (
            "Cliente,Fecha,Cantidad,Importe",
            'C-{c},2024-03-{d:02d},{q},"{a}.25"',
            {"customer_id": "Cliente", "timestamp": "Fecha", "quantity": "Cantidad", "amount": "Importe"},
        ),
        (
            "Klantnummer\tDatum\tAantal\tBedrag",
            "{c}\t2024-03-{d:02d}\t{q}\t{a}",
            {"customer_id": "Klantnummer", "timestamp": "Datum", "quantity": "Aantal", "amount": "Bedrag"},
        ),
    ],
)
def test_french_spanish_dutch_exports(header, row, expect):
    lines = [header] + [row.format(c=100 + i % 5, d=i % 28 + 1, q=i % 3 + 1, a=i * 7) for i in range(30)]
    typed, roles, kind = _understand("export.csv", "\n".join(lines).encode("cp1252"))
    assert kind == "transactions"
    assert {k: roles.get(k) for k in expect} == expect
    std = standardize(typed, roles)
    assert std["customer_id"].nunique() == 5
    assert std["amount"].notna().all()
    assert std["timestamp"].dt.month.eq(3).all()


def test_german_customer_list_flags_personal_data():
    rows = ["Kundennummer;Vorname;E-Mail;Alter;Geschlecht"]
    rows += [f"{i};Anna{i};anna{i}@example.de;{20 + i};{'wm'[i % 2]}" for i in range(1, 31)]
    typed, roles, kind = _understand("kunden.csv", "\n".join(rows).encode())
    assert kind == "customers"
    assert roles["customer_id"] == "Kundennummer"
    assert set(roles["pii"]) == {"Vorname", "E-Mail"}
    assert roles["numeric"] == ["Alter"]
    assert roles["categorical"] == ["Geschlecht"]


# --- the demo files ------------------------------------------------------------------------------------------


def test_demo_files_are_understood():
    found = {}
    for name, data in demo_files():
        found[name] = _understand(name, data)
    kinds = {name: kind for name, (_, _, kind) in found.items()}
    assert kinds == {
        "customers.csv": "customers",
        "orders.csv": "transactions",
        "feedback.csv": "feedback",
        "ratings.csv": "ratings",
    }
    customers, orders = found["customers.csv"][1], found["orders.csv"][1]
    feedback, ratings = found["feedback.csv"][1], found["ratings.csv"][1]
    assert customers["customer_id"] == "customer_id"
    assert set(customers["pii"]) == {"name", "email", "phone"}
    assert "age" in customers["numeric"]
    assert {"gender", "country", "channel"} <= set(customers["categorical"])
    assert {
        k: orders.get(k) for k in ("customer_id", "order_id", "item_id", "quantity", "unit_price", "timestamp")
    } == {
        "customer_id": "customer_id",
        "order_id": "invoice",
        "item_id": "sku",
        "quantity": "quantity",
        "unit_price": "unit_price",
        "timestamp": "date",
    }
    assert (feedback["text"], feedback["customer_id"], feedback["rating"]) == ("comment", "customer_id", "stars")
    assert (ratings["customer_id"], ratings["item_id"], ratings["rating"]) == ("customer_id", "sku", "rating")


# --- inference details --------------------------------------------------------------------------------------


def test_ids_that_never_repeat_make_a_customer_table():
    df = pd.DataFrame({"customer_id": ["a", "b", "c"], "amount": [1.0, 2.0, 3.0]})
    roles = infer_roles(df)
    assert infer_kind(df, roles) == "customers"
    df = pd.DataFrame({"customer_id": ["a", "a", "c"], "amount": [1.0, 2.0, 3.0]})
    assert infer_kind(df, infer_roles(df)) == "transactions"


def test_churn_column_is_the_label():
    df = pd.DataFrame({"client": ["a", "b", "c", "d"], "Exited": [1, 0, 0, 1], "tenure": [3.0, 4.0, 1.0, 9.0]})
    roles = infer_roles(df)
    assert roles["label"] == "Exited"
    assert "Exited" not in roles["numeric"]


def test_link_items_relabels_a_catalogue():
    tx = pd.DataFrame({"customer_id": ["a", "a", "b", "b"], "item_id": ["1", "2", "3", "4"], "rating": [5.0, 3, 4, 2]})
    catalogue = pd.DataFrame({"column_1": [1.0, 2.0, 3.0, 4.0, 5.0], "column_2": ["Tea", "Mug", "Pot", "Cup", "Jar"]})
    tables = [(tx, infer_roles(tx), "ratings"), (catalogue, {"customer_id": "column_1"}, "customers")]
    assert link_items(tables) == ["ratings", "items"]
    assert tables[1][1]["item_id"] == "column_1"
    assert tables[1][1]["item_name"] == "column_2"
    assert "customer_id" not in tables[1][1]


def test_validate_roles_lists_every_problem_with_the_fix():
    df = pd.DataFrame({"a": [1], "b": ["x"]})
    with pytest.raises(SchemaError) as info:
        validate_roles(df, {"customer_id": "missing", "colour": "a"}, "ratings")
    message = str(info.value)
    assert "'colour' is not a known role" in message
    assert "'missing', which is not a column" in message
    assert "needs a 'item_id' column" in message and "needs a 'rating' column" in message
    assert "role editor" in message
    validate_roles(df, {"customer_id": "b", "amount": "a"}, "transactions")


def test_transactions_need_a_date_or_money():
    df = pd.DataFrame({"c": ["a", "a"], "n": ["x", "y"]})
    with pytest.raises(SchemaError, match="needs a date or an amount"):
        validate_roles(df, {"customer_id": "c"}, "transactions")


def test_standardize_renames_types_and_derives_amount():
    df = pd.DataFrame(
        {
            "Kunde": [1.0, 2.0, np.nan],
            "when": ["2024-01-02", "2024-01-03", "2024-01-04"],
            "qty": [2.0, -1.0, 3.0],
            "price": [2.5, 4.0, 1.0],
            "Gekündigt": ["Ja", "Nein", "Nein"],
        }
    )
    std = standardize(
        df,
        {"customer_id": "Kunde", "timestamp": "when", "quantity": "qty", "unit_price": "price", "label": "Gekündigt"},
    )
    assert std["customer_id"].tolist()[:2] == ["1", "2"]
    assert pd.isna(std["customer_id"].iloc[2])
    assert std["timestamp"].iloc[0] == pd.Timestamp("2024-01-02")
    assert std["amount"].tolist() == [5.0, -4.0, 3.0]
    assert std["label"].tolist() == [1.0, 0.0, 0.0]


def test_normalize_ids_trims_and_blanks():
    text = normalize_ids(pd.Series([" a ", "", None, "b"]))
    assert text.isna().tolist() == [False, True, True, False]
    assert text.dropna().tolist() == ["a", "b"]
    numbers = normalize_ids(pd.Series([12.0, 3.5, np.nan]))
    assert numbers.tolist()[:2] == ["12", "3.5"] and pd.isna(numbers.iloc[2])


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Yes", "No", "no"], [1.0, 0.0, 0.0]),
        ([True, False, True], [1.0, 0.0, 1.0]),
        (["active", "churned", None], [0.0, 1.0, np.nan]),
        (["stay", "stay", "gone"], [0.0, 0.0, 1.0]),  # no yes-like value: the rarer one is positive
    ],
)
def test_to_binary_keeps_missing_labels_missing(values, expected):
    out = to_binary(pd.Series(values, name="churn"))
    np.testing.assert_array_equal(out.to_numpy(dtype=float), np.array(expected, dtype=float))


def test_to_binary_rejects_three_outcomes():
    with pytest.raises(SchemaError, match="needs two"):
        to_binary(pd.Series(["a", "b", "c"], name="status"))


# --- well-known export shapes (small copies written here, in each one's own column names) ----------


def _csv(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def test_online_retail_invoice_lines_are_transactions_not_feedback():
    """UCI Online Retail: long product descriptions, 'C' cancellations, float customer ids, a quarter missing."""
    rows = [
        f"{'C' if i % 17 == 0 else ''}{489434 + i // 3},{85123 + i % 9}A,WHITE HANGING HEART T-LIGHT HOLDER {i % 9},"
        f"{-2 if i % 17 == 0 else 6},12/{1 + i % 28}/2010 08:26,2.55,{'' if i % 4 == 0 else 17850.0 + i % 40},"
        "United Kingdom"
        for i in range(240)
    ]
    header = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country"
    typed, roles, kind = _understand("online_retail.csv", _csv(header, rows))
    assert kind == "transactions"
    assert "text" not in roles
    assert {r: roles.get(r) for r in ("customer_id", "order_id", "item_id", "item_name", "quantity", "unit_price")} == {
        "customer_id": "Customer ID",
        "order_id": "Invoice",
        "item_id": "StockCode",
        "item_name": "Description",
        "quantity": "Quantity",
        "unit_price": "Price",
    }
    assert roles["timestamp"] == "InvoiceDate"
    assert roles["pii"] == []  # 17851.0 is no phone number: ids stay readable
    assert standardize(typed, roles)["customer_id"].dropna().iloc[0] == "17851"


def test_bank_churn_label_is_exited_not_is_active_member():
    header = "RowNumber,CustomerId,Surname,CreditScore,Geography,Gender,Age,Tenure,Balance,NumOfProducts,HasCrCard,"
    header += "IsActiveMember,EstimatedSalary,Exited"
    rows = [
        f"{i},{15634602 + i},Hargrave{i % 7},{600 + i % 200},France,Female,{30 + i % 40},{i % 10},{1000.5 * i},"
        f"{1 + i % 4},{i % 2},{(i // 2) % 2},{50000.25 + i},{int(i % 5 == 0)}"
        for i in range(1, 121)
    ]
    typed, roles, kind = _understand("Churn_Modelling.csv", _csv(header, rows))
    assert kind == "customers"
    assert roles["customer_id"] == "CustomerId"
    assert roles["label"] == "Exited"
    assert "item_id" not in roles  # NumOfProducts counts products; it names none
    assert {"NumOfProducts", "IsActiveMember", "CreditScore"} <= set(roles["numeric"])
    assert roles["pii"] == ["Surname"]


def test_telco_plan_columns_are_attributes_not_items_or_phones():
    header = "customerID,gender,PhoneService,InternetService,Contract,tenure,MonthlyCharges,TotalCharges,Churn"
    services = ["DSL", "Fiber optic", "No"]
    rows = [
        f"{7590 + i}-VHVEG,{'Female' if i % 2 else 'Male'},{'Yes' if i % 3 else 'No'},{services[i % 3]},"
        f"{['Month-to-month', 'One year', 'Two year'][i % 5 % 3]},{i % 72},{29.85 + i},"
        f"{'' if i % 50 == 0 else 29.85 * (i % 72)},{'Yes' if i % 4 == 0 else 'No'}"
        for i in range(150)
    ]
    typed, roles, kind = _understand("WA_Fn-UseC_-Telco-Customer-Churn.csv", _csv(header, rows))
    assert kind == "customers"
    assert roles["label"] == "Churn"
    assert roles["pii"] == []
    assert {"PhoneService", "InternetService", "Contract", "gender"} <= set(roles["categorical"])
    assert not {"item_id", "item_name"} & set(roles)


def test_shopify_orders_known_by_email_get_a_pseudonymised_customer_id():
    header = "Name,Email,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name"
    rows = [
        f"#{1001 + i},buyer{i % 23}@example.com,2024-0{1 + i % 9}-1{i % 10} 10:00:00 +0100,{1 + i % 3},"
        f"Green tea {i % 5},{4.5 + i % 5},TEA-{i % 5},Person {i % 23}"
        for i in range(120)
    ]
    ds = build_dataset([("orders_export.csv", _csv(header, rows))], pii_key=b"k")
    table = ds.table("transactions")
    assert table is not None
    assert table.roles["customer_id"] == "Email"
    assert {"Email", "Billing Name"} <= set(table.roles["pii"]) and "Name" not in table.roles["pii"]
    assert table.roles["item_name"] == "Lineitem name"
    assert len(ds.customers) == 23
    assert ds.customers["customer_id"].str.startswith("anon-").all()
    assert not ds.customers.astype(str).apply(lambda c: c.str.contains("@")).any().any()
    step = [e for e in ds.cleaning_log if e["step"] == "customer id pseudonymised"]
    assert step and step[0]["values_changed"] == 120


def test_amazon_reviews_json_lines():
    import json

    lines = [
        json.dumps(
            {
                "reviewerID": f"A{i % 31:04d}XYZ",
                "asin": f"B00{i % 12:05d}",
                "reviewerName": ["Jane Doe", "Marco", "J. Smith"][i % 3],
                "reviewText": "The battery died after a week and nobody answered." if i % 2 else "Works well!",
                "overall": float(1 + i % 5),
                "unixReviewTime": 1400000000 + 86400 * i,
                "reviewTime": f"0{1 + i % 9} {1 + i % 27}, 2014",
            }
        )
        for i in range(90)
    ]
    typed, roles, kind = _understand("reviews_Electronics_5.json", "\n".join(lines).encode())
    assert kind == "feedback"
    assert {r: roles.get(r) for r in ("text", "customer_id", "item_id", "rating", "timestamp")} == {
        "text": "reviewText",
        "customer_id": "reviewerID",
        "item_id": "asin",
        "rating": "overall",
        "timestamp": "unixReviewTime",
    }
    assert roles["pii"] == ["reviewerName"]
    assert typed["reviewerName"].tolist()[:3] == ["Jane Doe", "Marco", "J. Smith"]  # never read as dates
    assert typed["reviewTime"].iloc[0] == "01 1, 2014"  # text, not the number 11.2014


def test_generic_ids_of_other_things_are_not_the_customer_id():
    header = "review_id,seller_id,product_id,score,comment"
    rows = [f"r{i},s{i % 7},p{i % 11},{1 + i % 5},The parcel came late and the box was damaged {i}" for i in range(60)]
    _, roles, kind = _understand("reviews.csv", _csv(header, rows))
    assert kind == "feedback"
    assert roles.get("customer_id") is None
    assert roles["item_id"] == "product_id"


def test_german_order_columns_are_not_phone_numbers():
    header = "Kundennummer;Bestellnummer;Bestelldatum;Menge;Gesamtbetrag;Telefon"
    rows = [f"K{i % 20:03d};B-{i};{1 + i % 28:02d}.03.2024;{1 + i % 3};1.234,50 €;+49 30 1234{i}" for i in range(80)]
    _, roles, kind = _understand("bestellungen.csv", _csv(header, rows))
    assert kind == "transactions"
    assert roles["order_id"] == "Bestellnummer" and roles["timestamp"] == "Bestelldatum"
    assert roles["pii"] == ["Telefon"]


def test_order_lines_and_reviews_borrow_the_customer_from_the_orders_file():
    """Olist-style upload: customers, orders (customer per order), order lines and reviews keyed by order id."""
    orders = _csv(
        "order_id,customer_id,order_status,order_purchase_timestamp",
        [f"o{i:04x},c{i % 40:03d},delivered,2017-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00:00" for i in range(100)],
    )
    lines = _csv(
        "order_id,order_item_id,product_id,seller_id,price,freight_value",
        [f"o{i // 2 if i < 196 else 9999:04x},{1 + i % 2},p{i % 13:03d},s{i % 5},{10.0 + i},{7.5}" for i in range(200)],
    )
    reviews = _csv(
        "review_id,order_id,review_score,review_comment_message",
        [f"r{i},o{i:04x},{1 + i % 5},Produto chegou antes do prazo e muito bem embalado {i}" for i in range(100)],
    )
    ds = build_dataset([("orders.csv", orders), ("items.csv", lines), ("reviews.csv", reviews)], pii_key=b"k")
    assert [t.kind for t in ds.tables] == ["transactions", "transactions", "feedback"]  # customers repeat in orders
    items, feedback = ds.tables[1], ds.table("feedback")
    assert items.roles["item_id"] == "product_id" and items.roles["unit_price"] == "price"
    assert "amount" not in items.roles  # freight is not what the customer spent on the goods
    std = items.standard()
    assert std["customer_id"].notna().sum() == 196 and std["timestamp"].notna().sum() == 196
    assert std["amount"].sum() == pytest.approx(sum(10.0 + i for i in range(200)))
    assert feedback is not None and feedback.standard()["customer_id"].nunique() == 40
    notes = [e["detail"] for e in ds.cleaning_log if e["step"] == "joined to its orders"]
    assert notes == [
        "customer id and order date taken from orders.csv by order id (196 of 200 rows matched)",
        "customer id and order date taken from orders.csv by order id (100 of 100 rows matched)",
    ]
    assert ds.customers["frequency"].sum() == 100  # each order once, though it is in two files


def test_every_analysis_reads_the_orders_file_and_its_lines_together():
    """The orders file has dates but no money, its lines have money but only an order id: churn, lifetime value
    and recommendations read both as one log (the Value & churn page crashed on the orders file alone)."""
    from insight import predict, recommend
    from insight.pipeline import Pipeline
    from insight.report import summary

    start = pd.Timestamp("2024-01-01")
    dates = [start + pd.Timedelta(days=(i // 60) * (36 if i % 60 < 30 else 18) + i % 60) for i in range(600)]
    orders = _csv(  # customers c00-c29 buy all year, c30-c59 stop half way
        "order_id,customer_id,order_date", [f"o{i},c{i % 60:02d},{d.date()}" for i, d in enumerate(dates)]
    )
    lines = _csv("order_id,sku,price", [f"o{i // 2},s{i % 9},{5 + i % 13}.50" for i in range(1200)])
    ds = build_dataset([("orders.csv", orders), ("lines.csv", lines)], pii_key=b"k")
    tx = ds.transactions()
    assert len(tx) == 1800 and tx["amount"].sum() == pytest.approx(sum(5 + i % 13 + 0.5 for i in range(1200)))
    data = predict.churn_data(ds, horizon_days=60)
    assert data.spend_next is not None and data.spend_next.sum() > 0
    assert summary.lifetime_value(Pipeline(ds))["customers"] == 60
    assert recommend.sources(ds) == ["implicit"]
    assert set(recommend.purchases(ds)["item_id"]) == {f"s{i}" for i in range(9)}


def test_build_dataset_leaves_the_callers_roles_alone_and_fingerprints_them_as_given():
    """Order lines borrow the customer id from their orders file, which edits the lines' roles: the mapping the
    page passed (and keyed its cache by) must stay as it was, and the dataset's fingerprint must be its key."""
    import copy

    from insight.data import CleaningOptions, fingerprint

    orders = _csv("order_id,customer_id,order_date", [f"o{i},c{i % 7},2024-0{1 + i % 9}-1{i % 9}" for i in range(40)])
    lines = _csv("order_id,sku,price", [f"o{i // 2},s{i % 5},{3 + i % 4}.5" for i in range(80)])
    files = [("orders.csv", orders), ("lines.csv", lines)]
    first = build_dataset(files, pii_key=b"k")
    roles = {t.name: copy.deepcopy(t.roles) for t in first.tables}
    roles["lines.csv"] = {k: v for k, v in roles["lines.csv"].items() if k != "customer_id"}  # as guessed, unjoined
    given = copy.deepcopy(roles)
    ds = build_dataset(files, roles=roles, pii_key=b"k")
    assert roles == given
    assert ds.fingerprint == fingerprint(files, given, None, CleaningOptions())
    assert ds.table("transactions").name == "orders.csv" and ds.customers["frequency"].sum() == 40
