"""Settings the server will not run with as given: an empty or short secret key stops the app with the reason
before anything is read or cached; `X-Forwarded-For` is believed only from the proxies named in
`FORWARDED_ALLOW_IPS` (the environment or the `forwarded_allow_ips` secret; none by default), so a visitor cannot
pick a new address for each password guess."""

from __future__ import annotations

import contextlib
import logging
import os

import streamlit as st

from insight.labels import safe_md
from insight.store.secret import SECRET_ENV, SecretKeyError, check_secret_setting

PROXIES_ENV = "FORWARDED_ALLOW_IPS"  # uvicorn's setting: the addresses whose X-Forwarded-For it believes

log = logging.getLogger("customer_insight.settings")


def _secret(name: str) -> str | None:
    """A secret as set, even when empty (None when it or the secrets file is missing)."""
    with contextlib.suppress(Exception):  # no secrets file at all
        value = st.secrets.get(name)
        return None if value is None else str(value)
    return None


def apply_proxy_setting() -> str:
    """Believe `X-Forwarded-For` only from the configured proxies (uvicorn reads this as the server starts; its
    own default believes any connection from 127.0.0.1). Returns the addresses believed."""
    configured = _secret("forwarded_allow_ips")
    os.environ.setdefault(PROXIES_ENV, configured if configured is not None else "")
    return os.environ[PROXIES_ENV]


def apply_secret_setting() -> SecretKeyError | None:
    """Take the `secret_key` secret as `$INSIGHT_SECRET_KEY` (the environment wins); the reason when it is too
    short to keep pseudonyms secret, else None."""
    value = _secret("secret_key")
    if value is not None:
        os.environ.setdefault(SECRET_ENV, value)
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
