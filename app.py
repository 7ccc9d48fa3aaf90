"""Customer Insight: the entry point. Sets the page config, shared session keys, and routes."""

import os

import streamlit as st

st.set_page_config(page_title="Customer Insight", page_icon=":material/insights:", layout="wide")

from insight.errors import InsightError  # noqa: E402  (set_page_config must run first)
from insight.store import DATA_DIR_ENV  # noqa: E402
from ui import active_dataset, escape_md, open_shared_view, password_gate, secret, share_panel  # noqa: E402

if secret("data_dir"):
    os.environ.setdefault(DATA_DIR_ENV, secret("data_dir"))
for key in ("dataset", "data_files", "data_roles", "data_kinds", "data_cleaning"):
    st.session_state.setdefault(key, None)

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
        st.error(str(exc), icon="🔒")
        st.stop()
    st.session_state["shared_token"] = token
    st.session_state["shared_page"] = view.get("page")

page = st.navigation(list(pages.values()))
target = st.session_state.pop("shared_page", None)
if target in pages and pages[target].url_path != page.url_path:
    st.switch_page(pages[target])
page.run()

# After the page ran, so an upload made on this run is already the active dataset.
with st.sidebar:
    ds = active_dataset()
    st.caption("Active dataset")
    st.markdown(f"**{escape_md(ds.name)}** · {len(ds.customers):,} customers")
    st.caption(" · ".join(f"{t.name} ({t.kind})" for t in ds.tables))
current = next((path for path, p in pages.items() if p.url_path == page.url_path), "app_pages/overview.py")
share_panel(current)
