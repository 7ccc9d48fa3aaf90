"""recommend page (placeholder until its issue lands)."""

import streamlit as st

st.title("recommend")
st.info("This page is being built.")
