"""The role editor's rules: a cleared cell is no role (the editor hands back None or NaN), a single role on two
columns is refused with the fix, and the edited mapping rebuilds the dataset."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.data.cleaning import CleaningOptions
from insight.data.dataset import build_dataset, draft_tables, fingerprint
from insight.data.editor import editor_rows, roles_from_rows
from insight.errors import SchemaError

ORDERS = (
    "customer_id,email,date,amount\n"
    + "".join(
        f"C{i % 20},c{i % 20}@example.com,2025-{1 + i % 12:02d}-{1 + i % 27:02d},{5 + i % 7}.25\n" for i in range(120)
    )
).encode()


def _table():
    return draft_tables([("orders.csv", ORDERS)])[0]


@pytest.mark.parametrize("cleared", [None, np.nan, pd.NA, "", "  "])
def test_a_cleared_role_means_no_role_and_rebuilds(cleared):
    table = _table()
    rows = editor_rows(table)
    rows.loc[rows["Column"] == "amount", "Role"] = cleared
    mapping = roles_from_rows(table, rows)
    assert "amount" not in mapping and all(isinstance(k, str) for k in mapping)
    key = fingerprint([("orders.csv", ORDERS)], {"orders.csv": mapping}, None, CleaningOptions())  # crashed before
    ds = build_dataset([("orders.csv", ORDERS)], roles={"orders.csv": mapping}, pii_key=b"k")
    assert ds.fingerprint == key and "amount" not in ds.tables[0].roles
    assert ds.tables[0].ignored()["amount"] == "not used by any analysis"


def test_a_single_role_given_to_another_column_moves_there():
    table = _table()
    rows = editor_rows(table)
    rows.loc[rows["Column"] == "email", "Role"] = "customer id"  # as the editor shows it; customer_id still holds it
    mapping = roles_from_rows(table, rows)
    assert mapping["customer_id"] == "email" and "email" in mapping["pii"]


def test_a_single_role_newly_given_to_two_columns_is_refused_with_the_fix():
    table = _table()
    rows = editor_rows(table)
    rows.loc[rows["Column"].isin(["email", "date"]), "Role"] = "amount"
    rows.loc[rows["Column"] == "amount", "Role"] = ""
    with pytest.raises(
        SchemaError, match=r"'amount \(what was paid\)' is on two columns, 'email' and 'date': keep it on one"
    ):
        roles_from_rows(table, rows)


def test_an_email_made_the_customer_id_stays_personal_data():
    table = _table()
    rows = editor_rows(table)
    rows.loc[rows["Column"] == "customer_id", "Role"] = ""
    rows.loc[rows["Column"] == "email", "Role"] = "customer_id"
    mapping = roles_from_rows(table, rows)
    assert mapping["customer_id"] == "email" and "email" in mapping["pii"]
    ds = build_dataset([("orders.csv", ORDERS)], roles={"orders.csv": mapping}, pii_key=b"k")
    assert ds.customers["customer_id"].str.startswith("anon-").all() and len(ds.customers) == 20


def test_editor_rows_never_show_personal_data_and_say_why_a_column_has_no_role():
    table = _table()
    table.frame["note"] = "same"
    rows = editor_rows(table).set_index("Column")
    assert rows.loc["email", "Example"] == "(personal data)"
    assert rows.loc["note", "No role because"] == "the same value in every row"
