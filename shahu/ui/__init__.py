"""The Streamlit-aware UI layer that pages share: visitor state, navigation, sidebar, tour, staff.

Everything else in `shahu` runs without Streamlit; only these modules, `shahu.ui.cache` and the
pages import it.
"""
