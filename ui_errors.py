"""What a visitor sees when something fails: never a traceback.

A page that raises shows "Something went wrong (error id …)" with a way forward, and the full traceback goes to
the server's log under the same id, so the owner can find it. `.streamlit/config.toml` sets
`client.showErrorDetails = "none"` for whatever escapes this (a fragment's rerun).
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Iterator

import streamlit as st

from insight.errors import InsightError
from insight.i18n import _
from insight.labels import safe_md

log = logging.getLogger("customer_insight.pages")


@contextlib.contextmanager
def error_boundary() -> Iterator[None]:
    """Run a page: a user-fixable problem is shown as its message; anything else is logged with a short id and
    the visitor gets the id and what to do. Streamlit's stop and rerun pass through (they are not errors)."""
    try:
        yield
    except InsightError as exc:
        st.error(safe_md(exc), icon="⚠️")
    except Exception:
        error_id = secrets.token_hex(4)
        log.exception("A page failed (error id %s)", error_id)
        st.error(
            _(
                "Something went wrong (error id {error_id}). Your data is safe. Reload the page, or open the Data "
                "page to check how your file was read; if it happens again, give the app's owner this error id."
            ).format(error_id=error_id),
            icon="⚠️",
        )
