"""Revenue is what was paid (hand-made order reports, each rule both ways): the paid column over the order total,
unpaid, cancelled, closed and refunded orders left out of revenue and order counts and counted in the cleaning log,
a refund column giving net revenue beside gross, and the column counted named."""

from __future__ import annotations

import pandas as pd
import pytest

from insight.data.dataset import build_dataset
from insight.pipeline import Pipeline
from insight.report import summary, words

N = 120
STATUS_ZH = ["交易成功"] * 6 + ["交易关闭", "等待买家付款"]


def _taobao() -> pd.DataFrame:
    """A Tmall-style order report: 总金额 (owed), 买家实际支付金额 (paid), 退款金额 (refunded), 订单状态."""
    rows = []
    for i in range(N):
        status = STATUS_ZH[i % len(STATUS_ZH)]
        total = 50.0 + i
        paid = 0.0 if status != "交易成功" else total - (5.0 if i % 3 == 0 else 0.0)  # a coupon on every third
        rows.append(
            {
                "订单编号": f"T{100000 + i}",
                "买家会员名": f"buyer{i % 40}",
                "总金额": total,
                "买家实际支付金额": paid,
                "退款金额": 20.0 if status == "交易成功" and i % 4 == 0 else 0.0,
                "订单状态": status,
                "订单创建时间": f"2024-{1 + i % 12:02d}-{1 + i % 27:02d} 10:{i % 60:02d}:00",
            }
        )
    return pd.DataFrame(rows)


def _build(frame: pd.DataFrame, name: str = "orders.csv"):
    return build_dataset([(name, frame.to_csv(index=False).encode())], pii_key=b"k")


def test_revenue_is_what_was_paid_less_refunds_and_unpaid_orders_are_left_out():
    frame = _taobao()
    ds = _build(frame)
    roles = ds.tables[0].roles
    assert roles["amount"] == "买家实际支付金额" and roles["refund"] == "退款金额"
    kept = frame[frame["订单状态"] == "交易成功"]
    head = Pipeline(ds).headline()
    assert head["revenue"] == pytest.approx(kept["买家实际支付金额"].sum())
    assert head["revenue"] < frame["总金额"].sum()
    assert head["refunded"] == pytest.approx(kept["退款金额"].sum())
    assert head["net_revenue"] == pytest.approx(kept["买家实际支付金额"].sum() - kept["退款金额"].sum())
    assert head["orders"] == len(kept) and head["revenue_column"] == "买家实际支付金额"
    step = next(e for e in ds.cleaning_log if e["step"] == "leave out unpaid or cancelled orders")
    assert step["rows_removed"] == N - len(kept) and "交易关闭" in step["detail"] and "等待买家付款" in step["detail"]
    figures = words.headline_figures(head, "CNY")
    paid = kept["买家实际支付金额"].sum()
    assert figures["Revenue"] == f"CN¥{paid:,.0f}" and "Refunded" in figures  # babel's English names the yuan
    assert "'买家实际支付金额'" in words.revenue_note(head)
    overview = summary.report(Pipeline(ds))["overview"]
    assert overview["revenue_column"] == "买家实际支付金额" and overview["orders"] == len(kept)
    assert overview["net_revenue"] == pytest.approx(head["net_revenue"])


def test_nothing_paid_on_an_order_with_a_total_is_left_out_even_without_a_status():
    frame = _taobao().drop(columns=["订单状态", "退款金额"])
    ds = _build(frame)
    paid = frame["买家实际支付金额"] > 0
    assert Pipeline(ds).headline()["orders"] == paid.sum()
    step = next(e for e in ds.cleaning_log if e["step"] == "leave out unpaid or cancelled orders")
    assert "nothing paid in '买家实际支付金额' though '总金额' is above 0" in step["detail"]


@pytest.mark.parametrize(
    ("status", "left_out"),
    [
        (["Paid", "Pending", "Cancelled", "Refunded", "Partially refunded"], 3),
        (["Shipped", "Delivered", "Shipped - Returned to Seller"], 0),
    ],
)
def test_an_english_status_says_which_orders_brought_no_money(status, left_out):
    frame = pd.DataFrame(
        {
            "Order ID": [f"#{1000 + i}" for i in range(N)],
            "Date": pd.date_range("2024-01-01", periods=N, freq="D").astype(str),
            "Total": [40.0 + i % 9 for i in range(N)],
            "Amount paid": [40.0 + i % 9 for i in range(N)],
            "Financial Status": [status[i % len(status)] for i in range(N)],
        }
    )
    ds = _build(frame)
    assert ds.tables[0].roles["amount"] == "Amount paid"
    removed = sum(e["rows_removed"] for e in ds.cleaning_log if e["step"] == "leave out unpaid or cancelled orders")
    assert removed == N * left_out // len(status)
    assert Pipeline(ds).headline()["orders"] == N - removed


def test_without_a_paid_column_the_total_is_the_revenue_and_nothing_is_removed():
    frame = _taobao().drop(columns=["买家实际支付金额", "退款金额", "订单状态"])
    ds = _build(frame)
    head = Pipeline(ds).headline()
    assert ds.tables[0].roles["amount"] == "总金额" and head["revenue"] == pytest.approx(frame["总金额"].sum())
    assert head["refunded"] is None and head["net_revenue"] is None
    assert not [e for e in ds.cleaning_log if e["step"] == "leave out unpaid or cancelled orders"]
