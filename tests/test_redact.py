"""Emails, phone numbers and card numbers typed inside reviews are masked before anything is cached or shown;
order totals, dates, years and order numbers are not."""

from __future__ import annotations

import io

import joblib
import pandas as pd
import pytest

from insight.data import build_dataset_with_lookup
from insight.data.redact import mask_column, mask_text

MASKED = [
    ("Please email me at zelda.q01@private-mail.test about the refund", "Please email me at [email] about the refund"),
    ("call me on +44 7700 900123.", "call me on [phone]."),
    ("My mobile is 13812345678, thanks", "My mobile is [phone], thanks"),
    ("快递没到，请打电话 138 1234 5678，谢谢", "快递没到，请打电话 [phone]，谢谢"),
    ("联系方式:+86 139-1234-5678", "联系方式:[phone]"),
    ("微信同号15912345678", "微信同号[phone]"),
    ("ring (555) 123-4567 or 555-123-4567 after 6", "ring [phone] or [phone] after 6"),
    ("UK landline 020 7946 0958", "UK landline [phone]"),
    ("card 4111 1111 1111 1111 was charged twice", "card [card] was charged twice"),
    ("charged to 5500-0000-0000-0004!", "charged to [card]!"),
    ("Mail ME: Li.Wei+shop@example.com.cn or 4012888888881881", "Mail ME: [email] or [card]"),
]
KEPT = [
    "order 100234 total 1234.56 on 2024-05-01 at 10:30",
    "paid ¥12,345.00 on 05/01/2024 for 3 bags",
    "order #20240501123 arrived late",
    "我的订单号是2024050112345，一共花了￥1,299",
    "4111-1111-1111-1112 is not a card (it fails the Luhn check)",
    "spent 4,500 in 2023 and saw 1.234.567 views",
    "tracking 1Z999AA10123456784",
    "不错，送件人很好0000000000000000",
    "10/12/2023 delivered, 5 stars, 2 kg",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_personal_details_in_text_are_masked(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert mask_text(text) == text


def test_a_column_is_masked_value_by_value_and_missing_stays_missing() -> None:
    values = pd.Series(["great tea", None, "text me 13912345678", "text me 13912345678"], dtype=object)
    masked, n = mask_column(values)
    assert n == 2 and masked.tolist() == ["great tea", None, "text me [phone]", "text me [phone]"]


def test_reviews_are_masked_before_the_dataset_is_cached() -> None:
    special = [
        "Lovely tea, email me at bob.smith@example.org for a repeat order",
        "Arrived broken. Call 13812345678 or +1 (415) 555-0134 please",
        "Refund to my card 4111 1111 1111 1111",
        "Order 20240304 took 12 days; total 1299.00",
    ]
    plain = ["Lovely candles, fast shipping!", "Great scent, I love it.", "Terrible, the wax was cracked."]
    rows = [
        (f"R{i}", f"K{i % 25:03d}", f"2025-{1 + i % 6:02d}-{1 + i % 27:02d}", 1 + i % 5, plain[i % 3])
        for i in range(60)
    ]
    rows += [(f"R{90 + i}", f"K{i:03d}", "2025-03-03", 2, text) for i, text in enumerate(special)]
    frame = pd.DataFrame(rows, columns=["review_id", "customer", "review_date", "stars", "review"])
    ds, _ = build_dataset_with_lookup([("reviews.csv", frame.to_csv(index=False).encode())])
    table = ds.tables[0]
    assert table.frame[table.roles["text"]].tolist()[-4:] == [
        "Lovely tea, email me at [email] for a repeat order",
        "Arrived broken. Call [phone] or [phone] please",
        "Refund to my card [card]",
        "Order 20240304 took 12 days; total 1299.00",
    ]
    buf = io.BytesIO()
    joblib.dump(ds, buf)  # what the store keeps on disk and a share viewer's session reads back
    blob = buf.getvalue()
    for secret in (b"bob.smith@example.org", b"13812345678", b"555-0134", b"4111 1111 1111 1111"):
        assert secret not in blob
    (entry,) = [e for e in ds.cleaning_log if e["step"] == "personal details masked"]
    assert entry["column"] == table.roles["text"] and entry["values_changed"] == 3
