"""The Streamlit views of rnnviz: the only package code that imports streamlit."""
