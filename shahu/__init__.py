"""Logic of the Sha Lake (沙湖) dual-carbon belt dashboard, importable without Streamlit."""
