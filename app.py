"""Customer Insight's server: `streamlit run app.py` serves the pages of `main.py`, prepared before the first visit.

Before the server answers, it builds the demo shop's dataset into the store, starts the worker processes that fit
the models and imports the libraries the pages read the results with (`ui.prepare_server`): the first visitor's
figures come from memory instead of waiting for seconds of imports. Nothing is fitted until a page asks.
"""

import contextlib
from collections.abc import AsyncIterator

import streamlit as st

from ui_settings import apply_proxy_setting

apply_proxy_setting()  # before the server starts: X-Forwarded-For believed only from the configured proxies


@contextlib.asynccontextmanager
async def prepare(_app: st.App) -> AsyncIterator[None]:
    """Prepare the server before it answers (a Starlette lifespan)."""
    from ui import prepare_server, stop_server
    from ui_settings import apply_secret_setting

    if apply_secret_setting() is None:  # else nothing is prepared: every page says what to fix
        prepare_server()
    yield
    stop_server()


app = st.App("main.py", lifespan=prepare)
