"""feedback page (placeholder until its issue lands)."""

import streamlit as st

st.title("feedback")
st.info("This page is being built.")
