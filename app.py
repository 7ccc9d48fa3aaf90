"""Customer Insight: the entry point. Sets the page config, shared session keys, and routes."""

import os

import streamlit as st

st.set_page_config(page_title="Customer Insight", page_icon=":material/insights:", layout="wide")

from insight.errors import InsightError  # noqa: E402  (set_page_config must run first)
from insight.labels import safe_md  # noqa: E402
from insight.store import DATA_DIR_ENV  # noqa: E402
from ui import active_dataset, housekeeper, open_shared_view, password_gate, secret, share_panel, sidebar_status  # noqa: E402

if secret("data_dir"):
    os.environ.setdefault(DATA_DIR_ENV, secret("data_dir"))
for key in ("dataset", "data_files", "data_roles", "data_kinds", "data_cleaning"):
    st.session_state.setdefault(key, None)
housekeeper()  # expired links and stale cache entries are purged hourly, visitors or not

password_gate()

PAGES = {
    "app_pages/overview.py": ("Overview", ":material/home:"),
    "app_pages/data.py": ("Data", ":material/folder_open:"),
    "app_pages/segments.py": ("Segments", ":material/group_work:"),
    "app_pages/predict.py": ("Value & churn", ":material/trending_up:"),
    "app_pages/feedback.py": ("Feedback", ":material/forum:"),
    "app_pages/recommend.py": ("Recommendations", ":material/redeem:"),
}
pages = {
    path: st.Page(path, title=title, icon=icon, default=i == 0) for i, (path, (title, icon)) in enumerate(PAGES.items())
}

token = st.query_params.get("view")
if token and st.session_state.get("shared_token") != token:
    try:
        view = open_shared_view(token)
    except InsightError as exc:
        st.session_state["dataset"] = None
        st.error(safe_md(exc), icon="🔒")
        st.stop()
    st.session_state["shared_token"] = token
    st.session_state["shared_page"] = view.get("page")

page = st.navigation(list(pages.values()))
target = st.session_state.pop("shared_page", None)
if target in pages and pages[target].url_path != page.url_path:
    st.switch_page(pages[target])

# The sidebar is drawn before the page runs: a page that stops early (st.stop()) would leave out anything after.
status = st.sidebar.empty()
shown = active_dataset()
sidebar_status(status)
current = next((path for path, p in pages.items() if p.url_path == page.url_path), "app_pages/overview.py")
share_panel(current)
page.run()
if active_dataset() is not shown:  # an upload on this run: the dataset line follows it
    sidebar_status(status)
