"""The Library page: after every action the table, the pickers and the messages show what happened."""

import pytest
from streamlit.testing.v1 import AppTest

from core import formats, workspace
from tests.app.test_pages import open_page, plain
from tests.app.test_pages import ws as ws  # the fixture: a fresh workspace, run from the project root
from tests.helpers import random_set

pytestmark = pytest.mark.slow

LIBRARY = "pages/views/library.py"


def w2v_bytes(tmp_path, seed: int = 0) -> bytes:
    formats.write(random_set(n=20, dim=4, seed=seed), tmp_path / "v.txt", "word2vec", overwrite=True)
    return (tmp_path / "v.txt").read_bytes()


def make_sets(tmp_path, *names: str) -> None:
    """Sets made without the page, for tests of what comes after an import."""
    for i, name in enumerate(names):
        workspace.import_uploads({"v.txt": w2v_bytes(tmp_path, seed=i)}, "word2vec", name)


def by_label(widgets, label: str):
    return next(w for w in widgets if plain(w.label) == label)


def picked(at: AppTest) -> str:
    return by_label(at.selectbox, "Set").value


def listed(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["name"])


def import_file(at: AppTest, fname: str, data: bytes, name: str) -> None:
    at.file_uploader[0].set_value([(fname, data, "text/plain")]).run()
    by_label(at.text_input, "Name").set_value(name).run()
    by_label(at.button, "Import").click().run()
    assert not at.exception, [e.value for e in at.exception]


def delete_box(at: AppTest):
    return next(c for c in at.checkbox if plain(c.label).startswith("Yes, delete"))


def download_label(at: AppTest) -> str | None:
    buttons = at.get("download_button")
    return plain(buttons[0].proto.label) if buttons else None


def test_import_lists_selects_activates_and_empties_the_uploader(tmp_path):
    at = open_page(LIBRARY)
    import_file(at, "v.txt", w2v_bytes(tmp_path), "one")
    assert "Imported as 'one', now the active set." in plain(at.success[0].value)
    assert "one" in listed(at) and picked(at) == "one"
    assert at.session_state["active_set"] == "one"
    assert at.sidebar.selectbox[0].value == "one"
    # emptied: a browser adds the next upload to the files still held ("a single file; upload one file")
    assert not at.file_uploader[0].value
    import_file(at, "w.txt", w2v_bytes(tmp_path, seed=1), "two")
    assert not at.error, plain(at.error[0].value)
    assert "Imported as 'two'" in plain(at.success[0].value)
    assert listed(at) == ["sample", "one", "two"] and picked(at) == "two"


def test_rename_keeps_the_set_active_and_delete_confirms(ws, tmp_path):
    at = open_page(LIBRARY)
    import_file(at, "v.txt", w2v_bytes(tmp_path), "mine")
    by_label(at.text_input, "New name for the selected set").set_value("ours").run()
    by_label(at.button, "Rename").click().run()
    assert not at.exception
    assert "Renamed 'mine' to 'ours', still the active set." in plain(at.success[0].value)
    assert at.session_state["active_set"] == "ours" and picked(at) == "ours"
    assert plain(delete_box(at).label) == "Yes, delete 'ours' for good"
    assert not by_label(at.text_input, "New name for the selected set").value  # typed for 'mine'

    delete_box(at).check().run()
    by_label(at.button, "Delete").click().run()
    assert not at.exception
    assert "Deleted 'ours'. The active set is now 'sample'." in plain(at.success[0].value)
    assert listed(at) == ["sample"] and picked(at) == "sample" and not (ws / "ours").exists()


def test_rename_of_another_set_selects_it_and_keeps_the_active_one(tmp_path):
    make_sets(tmp_path, "a", "b")
    at = open_page(LIBRARY, set="b")
    by_label(at.selectbox, "Set").set_value("a").run()
    by_label(at.text_input, "New name for the selected set").set_value("c").run()
    by_label(at.button, "Rename").click().run()
    assert "Renamed 'a' to 'c'." in plain(at.success[0].value)
    assert picked(at) == "c" and at.session_state["active_set"] == "b"


def test_the_delete_confirmation_belongs_to_the_selected_set(ws, tmp_path):
    at = open_page(LIBRARY)
    import_file(at, "v.txt", w2v_bytes(tmp_path), "a")
    import_file(at, "v.txt", w2v_bytes(tmp_path), "b")
    by_label(at.selectbox, "Set").set_value("a").run()
    delete_box(at).check().run()
    by_label(at.selectbox, "Set").set_value("b").run()
    assert not delete_box(at).value and by_label(at.button, "Delete").disabled
    by_label(at.selectbox, "Set").set_value("a").run()
    assert not delete_box(at).value  # reset, not remembered from before
    assert (ws / "a").exists() and (ws / "b").exists()


def test_make_active_says_so_and_the_sidebar_follows(tmp_path):
    make_sets(tmp_path, "a")
    at = open_page(LIBRARY)
    by_label(at.selectbox, "Set").set_value("a").run()
    by_label(at.button, "Make active").click().run()
    assert "'a' is now the active set." in plain(at.success[0].value)
    assert at.session_state["active_set"] == "a" and at.sidebar.selectbox[0].value == "a"


def test_the_set_picker_follows_the_active_set_chosen_in_the_sidebar(tmp_path):
    make_sets(tmp_path, "a", "b")
    at = open_page(LIBRARY)
    by_label(at.selectbox, "Set").set_value("sample").run()  # looked at, not made active
    at.sidebar.selectbox[0].set_value("a").run()
    assert at.session_state["active_set"] == "a" and picked(at) == "a"


def test_text_exports_have_distinct_names(tmp_path):
    make_sets(tmp_path, "mine")
    names = {fmt: workspace.export_bytes("mine", fmt)[0] for fmt in formats.WRITE_FORMATS}
    assert names == {
        "npy": "mine-npy.zip",
        "word2vec": "mine.word2vec.txt",
        "word2vec-bin": "mine.bin",
        "glove": "mine.glove.txt",
        "tsv": "mine-tsv.zip",
    }


def test_the_download_belongs_to_the_selected_set_and_format(tmp_path):
    make_sets(tmp_path, "mine")
    at = open_page(LIBRARY, set="mine")
    out_fmt = next(s for s in at.selectbox if s.label == "Format" and "keras" not in s.options)
    out_fmt.set_value("word2vec").run()
    by_label(at.button, "Prepare download").click().run()
    assert "'mine' as word2vec is ready: mine.word2vec.txt." in plain(at.success[0].value)
    assert download_label(at) == "Download mine.word2vec.txt (0.0 MB)"

    next(s for s in at.selectbox if s.label == "Format" and "keras" not in s.options).set_value("glove").run()
    assert download_label(at) is None  # prepared for the other format: gone
    by_label(at.button, "Prepare download").click().run()
    assert download_label(at) == "Download mine.glove.txt (0.0 MB)"

    by_label(at.selectbox, "Set").set_value("sample").run()
    assert download_label(at) is None  # prepared for the other set: gone
    assert "download" not in at.session_state
