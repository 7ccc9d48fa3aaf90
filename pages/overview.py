"""overview page (placeholder until its issue lands)."""

import streamlit as st

st.title("overview")
st.info("This page is being built.")
