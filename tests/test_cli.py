"""`python -m insight analyze`: the JSON contract and clear failures."""

from __future__ import annotations

import importlib
import io
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insight.cli import main
from tests.conftest import ROOT

FITS = {  # (owner, attribute): every model-fitting step the analyze command runs
    ("insight.segment", "sweep"),
    ("insight.segment", "analyse"),
    ("insight.predict", "compare_churn_models"),
    ("insight.predict", "fit_churn_model"),
    ("insight.predict", "compare_spend_models"),
    ("insight.predict.clv", "lifetime_value"),
    ("insight.predict.next_order", "next_order"),
    ("insight.sentiment", "analyze"),
    ("insight.recommend", "compare_models"),
    ("insight.recommend", "recommend_all"),
}


class Terminal(io.StringIO):
    """A stderr that says it is a terminal, keeping what was written."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str, Counter, str]:
    """`analyze --demo --json --html` once on a terminal, counting each fitting step as it runs: the JSON, the
    HTML, the counts and what went to stderr."""
    folder = tmp_path_factory.mktemp("cli")
    calls: Counter = Counter()
    terminal = Terminal()
    with pytest.MonkeyPatch.context() as patch:
        for owner, name in FITS:
            module = importlib.import_module(owner)
            patch.setattr(module, name, _counted(calls, name, getattr(module, name)))
        patch.setattr(sys, "stderr", terminal)
        assert main(["analyze", "--demo", "--json", str(folder / "out.json"), "--html", str(folder / "r.html")]) == 0
    report = json.loads((folder / "out.json").read_text())
    return report, (folder / "r.html").read_text(), calls, terminal.getvalue()


def _counted(calls: Counter, name: str, real):
    def wrapper(*args, **kwargs):
        calls[name] += 1
        return real(*args, **kwargs)

    return wrapper


@pytest.fixture(scope="module")
def demo_report(demo_run: tuple[dict, str, Counter, str]) -> dict:
    return demo_run[0]


def test_progress_on_a_terminal_is_one_line_per_section_with_its_seconds(demo_run) -> None:
    shown = [line.rsplit("\r\x1b[K", 1)[-1] for line in demo_run[3].split("\n")[:-1]]  # what stays on the screen
    sections = ["Reading the files", "Monthly figures", "Segments", "Churn models", "Value and lifetime value"]
    sections += ["Next orders", "Feedback", "Recommendations"]
    for section in sections:
        assert sum(re.fullmatch(rf"  {section}: \d+\.\d s", line) is not None for line in shown) >= 1, section
    assert re.fullmatch(r"  done in \d+\.\d s", shown[-1])
    assert "[3 of 8] Segments…" in demo_run[3] and "left)" in demo_run[3]  # the estimate, once a step was timed


def test_quiet_prints_no_progress_even_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["analyze", str(tmp_path / "missing.csv"), "--quiet"]) == 2
    assert terminal.getvalue().startswith("error: Cannot open")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["analyze", str(tmp_path / "missing.csv")]) == 2
    assert terminal.getvalue().startswith("\r\x1b[K  Reading the files…\nerror: Cannot open")


def test_json_and_html_together_fit_each_model_once(demo_run: tuple[dict, str, Counter, str]) -> None:
    report, html, calls, _ = demo_run
    horizons = report["churn"]["horizons"]  # the verdict's quick check of each horizon the history allows
    assert len(horizons) >= 1
    quick = sum(h["horizon_days"] != 90 for h in horizons)  # at 90 days the full comparison's models are reused
    assert calls == {name: 1 for _, name in FITS} | {"compare_churn_models": 1 + quick}
    assert "<h2>Recommendations</h2>" in html


def test_the_json_keys_are_the_documented_contract(demo_report: dict) -> None:
    assert list(demo_report) == [
        "tables",
        "notes",
        "quality",
        "cleaning_log",
        "customers",
        "overview",
        "segments",
        "churn",
        "spend",
        "clv",
        "next_order",
        "sentiment",
        "recommendations",
    ]
    assert set(demo_report["churn"]) == {
        "label_source",
        "label_column",
        "cutoff",
        "horizon_days",
        "customers",
        "churn_rate",
        "best_model",
        "metrics",
        "top_features",
        "notes",
        "outcome",
        "horizons",
        "verdict",
        "likely_leavers",
        "threshold",
    }


def test_next_order_in_the_json_has_its_verdict_and_backtest(demo_report: dict) -> None:
    out = demo_report["next_order"]
    assert {"customers", "median_days", "backtest", "verdict"} <= set(out)
    assert out["verdict"]["trust"] == "reliable" and out["customers"] > 500 and 0 < out["median_days"] < 60
    test = out["backtest"]
    assert test["rhythm"]["when_error_days"] < test["baseline"]["when_error_days"]


def test_demo_report_has_the_foundation_keys(demo_report: dict) -> None:
    kinds = {t["file"]: t["kind"] for t in demo_report["tables"]}
    assert kinds == {
        "customers.csv": "customers",
        "orders.csv": "transactions",
        "feedback.csv": "feedback",
        "ratings.csv": "ratings",
    }
    orders = next(t for t in demo_report["tables"] if t["file"] == "orders.csv")
    assert orders["roles"]["customer_id"] == "customer_id"
    assert orders["roles"]["quantity"] == "quantity" and orders["roles"]["unit_price"] == "unit_price"
    assert len(demo_report["quality"]) == len(demo_report["tables"])
    q = demo_report["quality"][1]
    assert q["duplicate_rows"] == 15
    assert q["negative_quantity_rows"] > 1000
    assert q["rows_without_customer_id"] > 100
    assert {"duplicate_rows", "missing", "negative_quantity_rows", "rows_without_customer_id"} <= set(q)
    steps = {e["step"]: e for e in demo_report["cleaning_log"]}
    assert steps["drop duplicate rows"]["rows_removed"] == 15
    assert demo_report["customers"]["count"] == 2000
    assert "recency_days" in demo_report["customers"]["columns"]


def test_analyze_files_from_disk(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text('customer,date,total\nA,2025-01-02,"$1,234.50"\nA,2025-02-03,$10.00\nB,2025-01-05,$3.25\n')
    out = tmp_path / "out.json"
    assert main(["analyze", str(orders), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["tables"][0]["kind"] == "transactions"
    assert report["tables"][0]["roles"]["amount"] == "total"
    assert report["customers"]["count"] == 2


def test_unreadable_input_exits_non_zero_with_the_message(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "insight", "analyze", str(empty), "--json", str(tmp_path / "o.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")  # not a terminal: no progress lines
    assert "empty.csv is empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "o.json").exists()


@pytest.mark.shared_data
@pytest.mark.slow
def test_analyze_real_files(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "real.json"
    files = [shared_data / "cdnow" / "cdnow_master.csv", shared_data / "mall_customers.csv"]
    assert main(["analyze", *map(str, files), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    kinds = {t["file"]: t for t in report["tables"]}
    cdnow = kinds["cdnow_master.csv"]
    assert cdnow["kind"] == "transactions" and cdnow["rows"] == 69659
    assert {cdnow["roles"][r] for r in ("customer_id", "timestamp", "quantity", "amount")} == {
        "customer_id",
        "date",
        "number_of_cds",
        "dollar_value",
    }
    assert kinds["mall_customers.csv"]["kind"] == "customers"


def _shop_files(folder: Path, emails: bool = True, n: int = 120) -> list[str]:
    """A small shop: n customers (name, email) ordering every 10 to 60 days for a year; a third stop halfway."""
    rng = np.random.default_rng(0)
    people = pd.DataFrame({"customer_id": [f"K{i:03d}" for i in range(n)]})
    people["name"] = [f"Ann{i} Lee" if i % 2 else f"=cmd|' /C calc'!A{i}" for i in range(n)]
    people["email"] = [f"k{i}@example.com" for i in range(n)]
    rows = []
    for i, cid in enumerate(people["customer_id"]):
        gap, stop = 10 + i % 6 * 10, 365 if i % 3 else 180
        for day in np.arange(int(rng.integers(0, 30)), stop, gap):
            rows.append((cid, pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(day)), round(rng.gamma(3, 10), 2)))
    orders = pd.DataFrame(rows, columns=["customer_id", "order_date", "total"])
    paths = [folder / "orders.csv"]
    orders.to_csv(paths[0], index=False)
    if emails:
        paths.append(folder / "customers.csv")
        people.to_csv(paths[1], index=False)
    return [str(p) for p in paths]


@pytest.mark.slow
def test_audiences_command_writes_each_audience_in_the_platform_format(tmp_path: Path, capsys) -> None:
    """End to end with the churn models fitted (slow); the quick tests check the formats in tests/test_audiences.py."""
    out = tmp_path / "aud"
    assert main(["audiences", *_shop_files(tmp_path), "--format", "shopify", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    files = sorted(out.glob("*_shopify.csv"))
    assert files and printed.count("wrote ") == len(files)
    table = pd.read_csv(files[0], encoding="utf-8-sig", dtype=str)
    assert table.columns[:3].tolist() == ["First Name", "Last Name", "Email"] and table.columns[-1] == "Tax Exempt"
    assert files[0].read_bytes().startswith(b"\xef\xbb\xbf")
    assert not table["First Name"].str.startswith("=").any()  # the formula name is neutralised
    assert table["Email"].str.endswith("@example.com").all()


def test_audiences_without_emails_fall_back_to_csv_and_say_which_column(tmp_path: Path, capsys) -> None:
    out = tmp_path / "aud"
    files = _shop_files(tmp_path, emails=False, n=24)  # too few customers for churn: quick
    assert main(["audiences", *files, "--format", "klaviyo", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "no email or phone column" in err
    files = list(out.glob("*.csv"))
    assert files and all(f.name.endswith("_csv.csv") for f in files)
    assert pd.read_csv(files[0], encoding="utf-8-sig").columns[0] == "Customer ID"
