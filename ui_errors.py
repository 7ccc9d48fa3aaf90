"""What a visitor sees when something fails: never a traceback.

A page that raises shows "Something went wrong (error id …)" with a way forward, and the full traceback goes to
the server's log under the same id, so the owner can find it. `.streamlit/config.toml` sets
`client.showErrorDetails = "none"` for whatever escapes this (a fragment's rerun). A secret key setting that
cannot keep pseudonyms secret stops the app with the reason before anything is read or cached.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections.abc import Iterator

import streamlit as st

from insight.errors import InsightError
from insight.i18n import _
from insight.labels import safe_md
from insight.store.secret import SECRET_ENV, SecretKeyError, check_secret_setting

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


def apply_secret_setting() -> SecretKeyError | None:
    """Take the `secret_key` secret as `$INSIGHT_SECRET_KEY` (the environment wins); the reason when it is too
    short to keep pseudonyms secret, else None."""
    with contextlib.suppress(Exception):  # no secrets file at all
        value = st.secrets.get("secret_key")
        if value is not None:
            os.environ.setdefault(SECRET_ENV, str(value))
    try:
        check_secret_setting()
    except SecretKeyError as exc:
        return exc
    return None


def stop_on_unsafe_secret() -> None:
    """Stop the app, for every visitor, while the secret key setting is empty or short (it says how to fix it)."""
    problem = apply_secret_setting()
    if problem is not None:
        log.error("Not starting: %s", problem)
        st.error(safe_md(problem), icon="🔒")
        st.stop()
