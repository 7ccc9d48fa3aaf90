"""Test app for test_browser_escaping.py: every injection string through the escaping helpers, into every kind of
element that renders markdown, plus a table (whose toolbar must offer no CSV export)."""

import sys
from pathlib import Path

import pandas as pd
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from insight.labels import safe_label, safe_md  # noqa: E402
from tests.conftest import INJECTIONS  # noqa: E402

for i, text in enumerate(INJECTIONS):
    md, label = safe_md(text), safe_label(text)
    with st.container(key=f"case_{i}"):
        st.markdown(f"MD {md}")
        st.caption(f"CAP {md}")
        st.info(f"INFO {md}")
        st.warning(f"WARN {md}")
        st.error(f"ERR {md}")
        with st.expander(f"EXP {label}"):
            st.write("inside")
        st.metric(f"MET {label}", 1)
        st.selectbox(f"SEL {label}", ["x"], key=f"sel_{i}")
        st.text_input(f"TXT {label}", key=f"txt_{i}")
        st.tabs([f"TAB {label}", "other"])
    st.sidebar.markdown(f"SB {md}")
    st.sidebar.caption(f"SBC {md}")
with st.container(key="table"):
    st.dataframe(pd.DataFrame({"note": ['=HYPERLINK("http://evil.test","x")', "+1+1"]}))
st.write("ESCAPING_APP_END")
