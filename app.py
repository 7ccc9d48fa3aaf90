"""Customer Insight: the entry point. Sets the page config, shared session keys, and routes."""

import streamlit as st

st.set_page_config(page_title="Customer Insight", page_icon="📊", layout="wide")
st.session_state.setdefault("dataset", None)

from ui import active_dataset  # noqa: E402  (set_page_config must run first)

pages = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", default=True),
    st.Page("pages/data.py", title="Data", icon="📁"),
    st.Page("pages/segments.py", title="Segments", icon="🧩"),
    st.Page("pages/predict.py", title="Value & churn", icon="📈"),
    st.Page("pages/feedback.py", title="Feedback", icon="💬"),
    st.Page("pages/recommend.py", title="Recommendations", icon="🎁"),
]
page = st.navigation(pages)
page.run()

# After the page ran, so an upload made on this run is already the active dataset.
with st.sidebar:
    ds = active_dataset()
    st.caption("Active dataset")
    st.markdown(f"**{ds.name}** · {len(ds.customers):,} customers")
    st.caption(" · ".join(f"{t.name} ({t.kind})" for t in ds.tables))
