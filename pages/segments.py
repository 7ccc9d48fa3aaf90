"""segments page (placeholder until its issue lands)."""

import streamlit as st

st.title("segments")
st.info("This page is being built.")
