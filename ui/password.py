"""The optional password (`st.secrets["password"]`): the gate before any page, with wrong tries throttled."""

from __future__ import annotations

import hmac
import math

import streamlit as st

from insight.i18n import _, ngettext
from insight.store import PasswordThrottle


def secret(name: str) -> str | None:
    try:
        value = st.secrets.get(name)
    except Exception:  # no secrets file at all
        return None
    return str(value) if value else None


@st.cache_resource(max_entries=1)
def password_throttle() -> PasswordThrottle:
    """Wrong passwords counted for the whole server (not per session: a new session would start at zero)."""
    return PasswordThrottle()


def client_address() -> str:
    """The visitor's address for the password limit. Streamlit gives None for localhost (and a stand-in object
    under AppTest): those share one count, "local"."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "local"


def password_gate() -> None:
    """Stop the app until the visitor gives the password set in `st.secrets["password"]` (if any).

    Wrong passwords are limited per client address and for the whole server, with a growing wait
    (`insight.store.throttle`); while a client must wait, its tries are refused without being checked.
    """
    expected = secret("password")
    if not expected or st.session_state.get("password_ok"):
        return
    given = st.text_input(_("Password"), type="password", key="password_input")
    if given:
        throttle, client = password_throttle(), client_address()
        wait = throttle.wait_seconds(client)
        if wait > 0:
            st.error(
                ngettext(
                    "Too many wrong passwords. Try again in {n} second.",
                    "Too many wrong passwords. Try again in {n} seconds.",
                    math.ceil(wait),
                ).format(n=math.ceil(wait))
            )
        elif hmac.compare_digest(given.encode(), expected.encode()):
            throttle.succeeded(client)
            st.session_state["password_ok"] = True
            st.rerun()
        else:
            throttle.failed(client)
            st.error(_("That password is not right."))
    st.stop()
