"""rnnviz dashboard: streamlit run dashboard.py. Run as the page (Streamlit names it __main__):
page setup, the views in rnnviz/app/. Imported by the server: the st.App with the live class's
routes and compressed responses (rnnviz/app/server.py)."""

import streamlit as st

if __name__ == "__main__":
    from rnnviz.app.shell import run

    st.set_page_config(page_title="rnnviz", page_icon="🔁", layout="wide")
    run()
else:
    from rnnviz.app.server import server_options

    app = st.App("dashboard.py", **server_options())
