"""Every URL path of app.py's navigation has its entry file in pages/, and all entries are the same.

On a fresh server Streamlit serves a page URL from ``pages/<url>.py`` until st.navigation has
run once (docs/DESIGN.md, "Every URL through app.py"); the entry hands the request to app.py.
"""

import ast

from tests.helpers import ROOT


def url_paths() -> dict[str, str]:
    """url_path -> page script of every st.Page in app.py."""
    tree = ast.parse((ROOT / "app.py").read_text())
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            script = node.args[0].value
            url = next((k.value.value for k in node.keywords if k.arg == "url_path"), "")
            out[url] = script
    return out


def test_each_url_path_has_one_identical_entry_and_nothing_else_is_scanned():
    paths = url_paths()
    assert "" in paths and len(paths) == 9  # home is "/", served by app.py itself
    entries = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
    assert entries == sorted(u for u in paths if u)
    bodies = {(ROOT / "pages" / f"{e}.py").read_text() for e in entries}
    assert len(bodies) == 1 and "app.py" in bodies.pop()
    for script in paths.values():  # the real pages live where the legacy scan does not look
        assert script.startswith("pages/views/") and (ROOT / script).is_file()
