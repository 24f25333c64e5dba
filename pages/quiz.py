"""Entry point for this URL on a fresh server: hands the request to app.py's navigation.

Streamlit serves a page URL from ``pages/<url>.py`` until ``st.navigation`` has run once in the
process; this file runs app.py, whose navigation then serves the real page in ``pages/views/``.
Every entry file is identical (tests/app/test_entries.py checks it); see docs/DESIGN.md.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent.parent / "app.py"), run_name="__main__")
