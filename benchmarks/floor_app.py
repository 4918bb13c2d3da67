"""The framework's floor: a minimal Streamlit page (a title, a metric, a line of text).

`benchmarks.load` runs the same visitors against this page and against the app, on the same
machine at the same moment, so the app's cost is read as a multiple of Streamlit's own.
"""

import streamlit as st

st.title("Floor")
st.metric("Visitors", 100)
st.write("The smallest page Streamlit serves: what one session costs the framework itself.")
