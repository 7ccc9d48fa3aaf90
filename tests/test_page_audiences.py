"""The "Send to a marketing tool" panel (AppTest): the owner downloads platform files with their own customers'
emails and names; a shared view of the same upload cannot download clear personal data, only pseudonymous csv.

Every file a download button serves is captured where Streamlit stores it (`MediaFileManager.add`), so the test
reads the bytes a visitor would get, not what the page says it offers."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from tests.apptest import app, settle
from tests.conftest import ROOT
from tests.test_sharing import _share, _viewer

N = 30  # customers: enough for segments, few enough that the churn models are not fitted (a quick test)


def _upload() -> list[tuple[str, bytes, str]]:
    """A customer list with names, emails and phones, and a year of orders every 10 to 60 days."""
    people = pd.DataFrame(
        {
            "customer_id": [f"K{i:03d}" for i in range(N)],
            "name": [f"Zoe{i} Quill" for i in range(N)],
            "email": [f"zoe{i}@private.test" for i in range(N)],
            "phone": [f"+44 7700 9{i:05d}" for i in range(N)],
        }
    )
    rows = [
        (cid, (pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(day))).date().isoformat(), 20 + i)
        for i, cid in enumerate(people["customer_id"])
        for day in range(i % 7, 365, 10 + 10 * (i % 6))
    ]
    orders = pd.DataFrame(rows, columns=["customer_id", "order_date", "total"])
    return [
        ("customers.csv", people.to_csv(index=False).encode(), "text/csv"),
        ("orders.csv", orders.to_csv(index=False).encode(), "text/csv"),
    ]


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every CSV a download button hands out from now on."""
    files: list[tuple[str, bytes]] = []
    real = MediaFileManager.add

    def add(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if file_name and file_name.endswith(".csv") and isinstance(path_or_data, bytes):
            files.append((file_name, path_or_data))
        return real(self, path_or_data, mimetype, coordinates, file_name, is_for_static_download)

    monkeypatch.setattr(MediaFileManager, "add", add)
    return files


def _prepare(at: AppTest) -> AppTest:
    at.button(key="btn_audiences_segments").click()
    return settle(at)


def _audience_files(served: list[tuple[str, bytes]]) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
        for name, data in served
        if name.startswith("segment-")
    }


def test_the_owner_gets_platform_files_and_a_shared_view_only_pseudonymous_csv(served) -> None:
    owner = app("app_pages/data.py").run()
    owner.file_uploader(key="data_upload").set_value(_upload()).run()
    owner.switch_page("app_pages/segments.py").run()
    assert not owner.exception
    formats = owner.selectbox(key="aud_format_segments").options
    assert formats == ["Klaviyo", "Mailchimp", "Shopify", "CSV (any other tool)"]
    owner.selectbox(key="aud_format_segments").set_value("shopify")
    _prepare(owner)
    assert not owner.exception and not owner.error
    files = _audience_files(served)
    assert files and all(name.endswith("_shopify.csv") for name in files)
    shopify = pd.concat(files.values())
    assert len(shopify) == N and shopify["Email"].str.endswith("@private.test").all()  # the owner's own data
    assert set(shopify["First Name"].str[:3]) == {"Zoe"} and set(shopify["Last Name"]) == {"Quill"}
    assert any(c.value.startswith("Next order dates are ") for c in owner.caption)
    table = next(d.value for d in owner.dataframe if "Expected next order" in d.value.columns)
    assert {"Usual days between orders", "Why no date"} <= set(table.columns) and len(table) == N

    token = _share(owner)
    served.clear()
    viewer = _viewer(token)
    viewer.switch_page("app_pages/segments.py").run()
    assert not viewer.exception and viewer.session_state["read_only"] is True
    box = viewer.selectbox(key="aud_format_segments")
    assert box.options == ["CSV (any other tool)"]  # no platform format: they need clear emails
    assert any("shared view carries no emails" in i.value for i in viewer.info)
    _prepare(viewer)
    assert not viewer.exception
    shared = [data for name, data in served]
    assert any(name.startswith("segment-") and name.endswith("_csv.csv") for name, _ in served)
    for data in shared:
        text = data.decode("utf-8-sig")
        assert "private.test" not in text and "Zoe" not in text and "Quill" not in text and "+44 7700" not in text
    viewer_files = _audience_files(served)
    assert sum(len(t) for t in viewer_files.values()) == N and "Customer ID" in next(iter(viewer_files.values()))


def test_a_customer_table_on_its_own_file_has_no_platform_format() -> None:
    at = app("app_pages/data.py").run()
    orders = _upload()[1]
    at.file_uploader(key="data_upload").set_value([orders]).run()
    at.switch_page("app_pages/segments.py").run()
    assert not at.exception
    assert at.selectbox(key="aud_format_segments").options == ["CSV (any other tool)"]
    assert any("no email or phone column" in i.value for i in at.info)


def test_the_page_files_stay_small() -> None:
    """The panel lives in ui_audiences.py: the pages only call it."""
    for page in ("segments.py", "predict.py"):
        assert (ROOT / "app_pages" / page).read_text(encoding="utf-8").count("audience_panel(") == 1
