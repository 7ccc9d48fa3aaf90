"""Customer Insight's page script (served by app.py): page config, session keys, share links, password, routing."""

import os

import streamlit as st

st.set_page_config(
    page_title="Customer Insight",  # the product's name, in every language
    page_icon=":material/insights:",
    layout="wide",
)

from insight.errors import InsightError  # noqa: E402  (set_page_config must run first)
from insight.i18n import _  # noqa: E402
from insight.labels import safe_md  # noqa: E402
from insight.store import DATA_DIR_ENV  # noqa: E402
from ui import (  # noqa: E402
    PAGES,
    active_dataset,
    close_shared_view,
    housekeeper,
    keep_shared_view,
    open_shared_view,
    password_gate,
    refresh_when_ready,
    secret,
    share_panel,
    sidebar_status,
)
from ui_errors import error_boundary  # noqa: E402
from ui_language import apply_language, language_switch  # noqa: E402
from ui_settings import stop_on_unsafe_secret  # noqa: E402

apply_language()  # this run's language, before anything is drawn
language_switch()

stop_on_unsafe_secret()  # an empty or short secret key would make pseudonyms reversible
if secret("data_dir"):
    os.environ.setdefault(DATA_DIR_ENV, secret("data_dir"))
for key in ("dataset", "data_files", "data_roles", "data_kinds", "data_cleaning"):
    st.session_state.setdefault(key, None)
housekeeper()  # expired links and stale cache entries are purged hourly, visitors or not

password_gate()

try:
    token = st.query_params.get("view")
    if token and st.session_state.get("shared_token") != token:
        st.session_state["shared_page"] = open_shared_view(token).get("page")
    keep_shared_view()
except InsightError as exc:
    close_shared_view()
    st.error(safe_md(exc), icon="🔒")
    st.stop()

titles = {
    **{path: _(title) for path, (title, _icon) in PAGES.items()},
    "app_pages/predict.py": active_dataset().outcome.say("page"),
}
pages = {
    path: st.Page(path, title=titles[path], icon=icon, default=i == 0)
    for i, (path, (_title, icon)) in enumerate(PAGES.items())
}
page = st.navigation(list(pages.values()))
target = st.session_state.pop("shared_page", None)
# A link opens the page it was made on; a shared view reopened on another page (a reload, a bookmark) stays there.
if target in pages and page.url_path == "" and pages[target].url_path != "":
    st.switch_page(pages[target])


# The sidebar is drawn before the page, so a page that stops early keeps it; the dataset line is drawn again
# after the page when an upload on this run changed the dataset.
status = st.sidebar.empty()
shown = active_dataset()
sidebar_status(status)
current = next((path for path, p in pages.items() if p.url_path == page.url_path), "app_pages/overview.py")
share_panel(current, page.url_path)
st.session_state["pending_jobs"] = []
st.session_state.pop("waiting_for", None)
with error_boundary():  # a visitor never sees a traceback: an error id here, the details in the server log
    page.run()
if active_dataset() is not shown:
    sidebar_status(status)
    if active_dataset().outcome.say("page") != titles["app_pages/predict.py"]:
        st.rerun()  # the navigation names the Value page for the new data's outcome (churn, campaign replies …)
refresh_when_ready()
