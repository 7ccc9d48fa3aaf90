"""Isolation between visitors, share links across sessions, and untrusted text shown as text."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insight.data.export import to_safe_csv
from insight.labels import safe_md
from tests.apptest import app, settle
from tests.conftest import ROOT
from ui import PAGES, share_registry

MARKER = "ZEBRA-SECRET-7731"


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "main.py"), default_timeout=300)


def _owner_with_upload(page: str = "app_pages/data.py") -> AppTest:
    owner = app("app_pages/data.py").run()
    owner.file_uploader(key="data_upload").set_value([("private.csv", _orders_csv(), "text/csv")]).run()
    if page != "app_pages/data.py":
        owner.switch_page(page).run()
    return owner


def _share(owner: AppTest) -> str:
    """Tick the consent box, make a link, and return its token (read from the link the owner is shown)."""
    owner.checkbox(key="share_consent").check().run()
    owner.button(key="btn_share_create").click().run()
    (link,) = [c.value for c in owner.code if "?view=" in c.value]
    return link.split("?view=")[1]


def _viewer(token: str) -> AppTest:
    viewer = _app()
    viewer.query_params["view"] = token
    return viewer.run()


def _texts(at: AppTest) -> str:
    parts = [
        str(e.value) for kind in ("markdown", "caption", "text", "error", "info", "warning") for e in getattr(at, kind)
    ]
    parts += [df.value.to_csv() for df in at.dataframe]
    return "\n".join(parts)


def _orders_csv() -> bytes:
    rows = [f"{MARKER}-{c},2025-0{1 + k}-1{c % 9},{10 + c}" for c in range(30) for k in range(3)]
    return ("customer,order date,total\n" + "\n".join(rows)).encode()


def test_one_visitors_upload_is_invisible_to_another() -> None:
    owner = _owner_with_upload()
    assert owner.session_state["dataset"].name == "private.csv"
    assert MARKER in _texts(owner)

    visitor = app("app_pages/data.py").run()
    assert not visitor.exception
    assert visitor.session_state["dataset"] is None
    assert MARKER not in _texts(visitor)
    assert "private.csv" not in _texts(visitor)


def test_share_link_opens_the_same_view_read_only_in_another_session() -> None:
    owner = _owner_with_upload()
    owner.session_state["seg_k"] = 5
    token = _share(owner)

    viewer = _viewer(token)
    assert not viewer.exception and not viewer.error
    assert viewer.session_state["read_only"] is True
    assert viewer.session_state["seg_k"] == 5
    ds = viewer.session_state["dataset"]
    assert ds.fingerprint == owner.session_state["dataset"].fingerprint
    assert any(m.value == f"Working on **{safe_md('private.csv')}**." for m in viewer.markdown)
    assert MARKER in _texts(viewer)


def test_shared_upload_is_rebuilt_for_the_viewer_and_cannot_be_edited() -> None:
    token = share_registry().create([("private.csv", _orders_csv())], {"page": "app_pages/data.py"})
    viewer = _app()
    viewer.query_params["view"] = token
    viewer.run()
    assert not viewer.exception
    viewer.switch_page("app_pages/data.py").run()
    ds = viewer.session_state["dataset"]
    assert ds.name == "private.csv" and len(ds.customers) == 30
    assert not viewer.get("file_uploader")
    assert all(b.key != "data_apply_roles" for b in viewer.button)


def test_expired_revoked_and_unknown_links_show_no_data() -> None:
    registry = share_registry()
    expired = registry.create(
        [("private.csv", _orders_csv())], {"page": "app_pages/overview.py"}, days=1, now=time.time() - 3 * 86400
    )
    revoked = registry.create([("private.csv", _orders_csv())], {"page": "app_pages/overview.py"})
    registry.revoke(revoked)
    for token, reason in ((expired, "expired"), (revoked, "revoked"), ("nonsense-token", "not valid")):
        at = _app()
        at.query_params["view"] = token
        at.run()
        assert not at.exception
        assert any(reason in e.value for e in at.error), [e.value for e in at.error]
        assert MARKER not in _texts(at)
        assert not at.dataframe and not at.metric
        assert at.session_state["dataset"] is None


def test_untrusted_cells_are_shown_as_text_and_exported_safely() -> None:
    evil = pd.DataFrame(
        {
            "customer": [f"K{i}" for i in range(40)],
            "segment note": [
                '=HYPERLINK("http://evil.test","click")',
                "<script>alert(1)</script>",
                "[click me](http://evil.test)",
                "**bold**",
            ]
            * 10,
            "spend": range(40),
        }
    )
    at = app("app_pages/data.py").run()
    name = "[evil](http://evil.test).csv"
    at.file_uploader(key="data_upload").set_value([(name, evil.to_csv(index=False).encode(), "text/csv")]).run()
    assert not at.exception
    ds = at.session_state["dataset"]
    assert ds.customers["segment note"].tolist()[:4] == evil["segment note"].tolist()[:4]
    for md in at.markdown:
        assert "](http://evil.test)" not in md.value.replace("\\", "") or "\\[" in md.value
        assert "<script>" not in md.value
    exported = to_safe_csv(ds.customers).decode("utf-8-sig")
    assert "'=HYPERLINK" in exported and "\n=HYPERLINK" not in exported and ",=HYPERLINK" not in exported
    for path in [ROOT / "main.py", *ROOT.glob("ui/*.py"), *ROOT.glob("app_pages/*.py")]:
        assert "unsafe_allow_html" not in path.read_text(), path


def _sidebar_parts(at: AppTest) -> tuple[list[str], list[str]]:
    return [c.value for c in at.sidebar.caption], [e.label for e in at.sidebar.expander]


@pytest.mark.slow
def test_pages_that_stop_early_keep_the_sidebar() -> None:
    at = _app()
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="data_upload").set_value([("private.csv", _orders_csv(), "text/csv")]).run()
    for page in ("app_pages/feedback.py", "app_pages/recommend.py"):  # no feedback, no products: both stop
        at.switch_page(page).run()
        assert not at.exception and at.info  # the page said why it stopped ...
        captions, expanders = _sidebar_parts(at)
        assert "Active dataset" in captions and any("private" in c for c in captions)  # ... and the sidebar stayed
        assert "Share this view" in expanders


@pytest.mark.parametrize("page", [*PAGES][1:])
def test_a_link_opens_every_page_without_an_exception(page: str) -> None:
    """The page's own widgets, buttons and downloads are in the owner's session when the link is made; only
    values a widget can take are restored, so the shared page opens cleanly."""
    owner = _owner_with_upload(page)
    assert not owner.exception
    assert any(key.startswith("dl_") for key in owner.session_state) or page == "app_pages/data.py"
    token = _share(owner)
    viewer = _viewer(token)
    assert not viewer.exception, viewer.exception
    assert viewer.session_state["read_only"] is True and viewer.query_params["view"] == token
    viewer.switch_page("app_pages/data.py").run()  # moving on keeps the link in the address
    assert not viewer.exception and viewer.query_params["view"] == token


def test_a_revoked_link_is_gone_on_the_viewers_next_rerun_and_the_owner_sees_links_after_a_reload() -> None:
    owner = _owner_with_upload()
    token = _share(owner)
    viewer = _viewer(token)
    assert MARKER in _texts(viewer)

    again = _owner_with_upload()  # the owner after a reload: a new session with the same data
    again.run()
    assert any(f"?view={token}" in c.value for c in again.code)
    again.button(key=f"btn_revoke_{token[:12]}").click().run()
    assert not share_registry().links(again.session_state["dataset"].fingerprint)

    viewer.run()
    assert not viewer.exception
    assert any("revoked" in e.value for e in viewer.error)
    assert MARKER not in _texts(viewer) and viewer.session_state["dataset"] is None


@pytest.mark.slow
def test_a_share_viewer_cannot_start_the_slow_comparison() -> None:
    """Also: a link made on a page with buttons and downloads opens (their keys cannot be set in a session)."""
    owner = settle(app("app_pages/recommend.py"))
    assert any(b.key == "btn_rec_full" for b in owner.button)
    token = _share(owner)

    viewer = settle(_viewer(token))
    assert not viewer.exception and viewer.session_state["read_only"] is True
    assert [t.value for t in viewer.title] == ["Recommendations"]
    assert not any(b.key == "btn_rec_full" for b in viewer.button)
