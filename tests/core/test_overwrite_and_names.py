"""Nothing that holds data is overwritten, and no name a user types or uploads is a path
(issue 17): exports never write into a bundle, replacing a file or a bundle needs --force, and
set names, upload names and their labels cannot reach outside the workspace."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pytest

import core
from core import bundle, cli, formats, workspace
from core.errors import InvalidNameError, OutputExistsError, SetExistsError, UploadError, W2VError
from tests.helpers import random_set


def run(capsys, *argv) -> tuple[int, str]:
    code = cli.main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return code, err


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def bundle_s(tmp_path):
    es = random_set(n=30, dim=5)
    path = bundle.save(es, tmp_path / "S")
    return path, es, fingerprint(path)


# --- exports never write into a bundle ----------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, out",
    [
        ("word2vec", "S/vectors.npy"),  # the case: exited 0 and S no longer opened
        ("glove", "S/vocab.tsv"),
        ("word2vec-bin", "S/new.bin"),  # a new file inside the bundle folder
        ("npy", "S/vectors"),  # npy adds .npy: S/vectors.npy and S/vectors.vocab.txt
        ("npy", "S/../S/m.npy"),
        ("tsv", "S"),  # the bundle folder itself
        ("tsv", "S/proj"),
    ],
)
def test_export_into_a_bundle_is_refused_even_with_force(tmp_path, capsys, bundle_s, fmt, out):
    path, es, before = bundle_s
    for force in ([], ["--force"]):
        code, err = run(capsys, "export", path, "--format", fmt, "--out", tmp_path / out, *force)
        assert code == 1 and "whose files an export never replaces; choose another path" in err, err
        assert err.startswith(f"error: {tmp_path / out}") and ("is inside the bundle" in err or "is a bundle" in err)
    assert fingerprint(path) == before
    assert core.load(path).words == es.words


def test_a_symlink_into_a_bundle_is_refused(tmp_path, capsys, bundle_s):
    path, _, before = bundle_s
    (tmp_path / "link").symlink_to(path)
    code, err = run(capsys, "export", path, "--format", "glove", "--out", tmp_path / "link" / "g.txt", "--force")
    assert code == 1 and f"is inside the bundle {path}" in err
    (tmp_path / "alias.txt").symlink_to(path / "vectors.npy")
    code, err = run(capsys, "export", path, "--format", "word2vec", "--out", tmp_path / "alias.txt", "--force")
    assert code == 1 and "is inside the bundle" in err
    assert fingerprint(path) == before


# --- replacing a file needs --force -------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, out", [("word2vec", "v.txt"), ("word2vec-bin", "v.bin"), ("glove", "g.txt"), ("npy", "m.npy")]
)
def test_an_existing_file_is_replaced_only_with_force(tmp_path, capsys, bundle_s, fmt, out):
    path, es, _ = bundle_s
    target = tmp_path / out
    target.write_text("precious")
    code, err = run(capsys, "export", path, "--format", fmt, "--out", target)
    assert code == 1 and err == f"error: {target}: exists; choose another --out, or pass --force to replace it\n"
    assert target.read_text() == "precious"
    code, err = run(capsys, "export", path, "--format", fmt, "--out", target, "--force")
    assert code == 0 and err.startswith("wrote ")
    assert formats.read(target, fmt).words == es.words


def test_the_npy_vocabulary_beside_the_matrix_counts_as_existing(tmp_path, capsys, bundle_s):
    path, _, _ = bundle_s
    (tmp_path / "m.vocab.txt").write_text("mine\n")
    code, err = run(capsys, "export", path, "--format", "npy", "--out", tmp_path / "m")
    assert code == 1 and f"{tmp_path / 'm.vocab.txt'}: exists" in err and not (tmp_path / "m.npy").exists()


def test_a_folder_is_never_replaced_by_a_file_and_tsv_replaces_only_projector_folders(tmp_path, capsys, bundle_s):
    path, es, _ = bundle_s
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "notes.md").write_text("mine")
    code, err = run(capsys, "export", path, "--format", "word2vec", "--out", tmp_path / "dir", "--force")
    assert code == 1 and "is a folder; give a file name" in err
    code, err = run(capsys, "export", path, "--format", "tsv", "--out", tmp_path / "dir", "--force")
    assert code == 1 and "is a folder holding other files (notes.md)" in err
    assert (tmp_path / "dir" / "notes.md").read_text() == "mine"
    (tmp_path / "file").write_text("x")
    code, err = run(capsys, "export", path, "--format", "tsv", "--out", tmp_path / "file", "--force")
    assert code == 1 and "is a file, and the Projector format writes a folder" in err
    (tmp_path / "empty").mkdir()
    assert run(capsys, "export", path, "--format", "tsv", "--out", tmp_path / "empty")[0] == 0  # empty: fine
    code, err = run(capsys, "export", path, "--format", "tsv", "--out", tmp_path / "empty")
    assert code == 1 and "pass --force to replace it" in err
    assert run(capsys, "export", path, "--format", "tsv", "--out", tmp_path / "empty", "--force")[0] == 0
    assert formats.read(tmp_path / "empty", "tsv").words == es.words


def test_formats_write_refuses_an_existing_file_by_default(tmp_path):
    es = random_set(n=5, dim=2)
    formats.write(es, tmp_path / "v.txt", "word2vec")
    with pytest.raises(OutputExistsError, match=r"v\.txt: exists; .*pass --force to replace it") as e:
        formats.write(es, tmp_path / "v.txt", "word2vec")
    assert isinstance(e.value, FileExistsError)
    assert formats.write(es, tmp_path / "v.txt", "word2vec", overwrite=True) == [tmp_path / "v.txt"]


# --- replacing a bundle needs --force -----------------------------------------------------------


def test_import_onto_an_existing_bundle_needs_force(tmp_path, capsys, bundle_s):
    path, es, before = bundle_s
    other = random_set(n=7, dim=5, seed=3)
    formats.write(other, tmp_path / "o.txt", "word2vec")
    code, err = run(capsys, "import", tmp_path / "o.txt", "--format", "word2vec", "--out", path)
    assert code == 1
    assert err == f"error: {path}: a bundle exists there; choose another --out, or pass --force to replace it\n"
    assert fingerprint(path) == before
    assert run(capsys, "import", tmp_path / "o.txt", "--format", "word2vec", "--out", path, "--force")[0] == 0
    assert core.load(path).words == other.words
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left behind


def test_train_onto_an_existing_bundle_needs_force_and_is_refused_before_reading(tmp_path, capsys, bundle_s):
    path, _, before = bundle_s
    # the corpus does not even exist: the refusal comes first, before any reading or TensorFlow
    code, err = run(capsys, "train", tmp_path / "never-read.txt", "--out", path)
    assert code == 1 and "a bundle exists there; choose another --out, or pass --force to replace it" in err
    assert fingerprint(path) == before
    code, err = run(capsys, "train", tmp_path / "never-read.txt", "--out", path, "--force")
    assert code == 1 and "never-read.txt: no such file" in err  # --force passes the check; the read fails
    assert fingerprint(path) == before


def test_the_library_export_is_a_download_and_leaves_no_file(ws):
    bundle.save(random_set(n=9, dim=3), ws / "mine")
    before = sorted(p.relative_to(ws.parent) for p in ws.parent.rglob("*"))
    for fmt in ("word2vec", "npy", "tsv"):
        name, data = workspace.export_bytes("mine", fmt)
        assert data and "/" not in name
    assert sorted(p.relative_to(ws.parent) for p in ws.parent.rglob("*")) == before


# --- names --------------------------------------------------------------------------------------


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "ws"


BAD_SET_NAMES = [
    "../../x",
    "/etc/passwd",
    "a\x00b",
    "con\x07trol",
    "abc\n",  # "$" in a regex matches before a final newline: fullmatch does not
    "abc\ndef",
    "..",
    ".",
    "a/../../b",
    "a\\b",
    "ABC",
    "x" * 65,
    " lead",
]


@pytest.mark.parametrize("name", BAD_SET_NAMES)
def test_set_names_cannot_address_a_path(ws, name):
    with pytest.raises(InvalidNameError, match="is not a valid name") as e:
        workspace.path_of(name)
    assert "\n" not in str(e.value)  # the name is shown as repr: escaped, one line
    with pytest.raises(InvalidNameError):
        workspace.import_uploads({"v.txt": b"a 1 2\n"}, "glove", name)
    with pytest.raises(InvalidNameError):
        workspace.check_name(name)
    assert not ws.exists() or list(ws.iterdir()) == []


def test_slugs_made_from_file_names_are_valid_names(ws):
    for text in ["../../x.txt", "/etc/passwd", "a\x00b", "con\x07trol.txt", "two\nlines", "", "...", "東京"]:
        assert workspace.check_name(workspace.slugify(text))
        assert workspace.path_of(workspace.free_name(text)).parent == ws.resolve()


UPLOAD_NAMES = {
    "../../x.txt": "x.txt",
    "/etc/passwd": "passwd",
    "a\x00b": "a_b",
    "con\x07trol.txt": "con_trol.txt",
    "two\nlines.txt": "two_lines.txt",
    "..": "upload",
    ".": "upload",
    "": "upload",
    "..\\..\\win.txt": "win.txt",
    ".hidden.txt": "hidden.txt",
    "rtl\u202etxt.exe": "rtl_txt.exe",
    "a" * 300 + ".vec": "a" * 96 + ".vec",
}


@pytest.mark.parametrize("name", list(UPLOAD_NAMES))
def test_upload_names_become_one_safe_component(name):
    safe = workspace.upload_file_name(name)
    assert safe == UPLOAD_NAMES[name]
    assert Path(safe).name == safe and not safe.startswith(".") and safe.isprintable() and len(safe) <= 100


@pytest.mark.parametrize("name", [n for n in UPLOAD_NAMES if n])
def test_import_uploads_never_writes_where_an_upload_name_points(ws, tmp_path, name):
    es = random_set(n=6, dim=3)
    formats.write(es, tmp_path / "src.txt", "glove")
    data = (tmp_path / "src.txt").read_bytes()
    (tmp_path / "src.txt").unlink()
    outside = sorted(tmp_path.parent.iterdir())
    workspace.import_uploads({name: data}, "glove", "up")
    assert core.load(ws / "up").words == es.words
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"] and sorted(tmp_path.parent.iterdir()) == outside
    assert sorted(p.name for p in ws.iterdir()) == ["up"]
    assert core.load(ws / "up").meta["imported_file"] == UPLOAD_NAMES[name]


def test_upload_messages_are_one_line_whatever_the_name(ws):
    with pytest.raises(W2VError) as e:
        workspace.import_uploads({"bad\nname\x1b[2J.txt": b"a 1 2\nb 1 2\nc 1\n"}, "glove", "r")
    assert str(e.value).startswith("bad_name_[2J.txt, line 3: 1 numbers, expected 2") and "\n" not in str(e.value)
    assert not (ws / "r").exists()


def test_uploads_that_collide_once_made_safe_are_refused(ws):
    with pytest.raises(UploadError, match=r"two uploaded files are both named 'm\.npy'; upload each file once"):
        workspace.import_uploads({"a/m.npy": b"1", "b/m.npy": b"2", "v.txt": b"x\n"}, "npy", "twin")
    assert not (ws / "twin").exists()


def test_uploads_may_be_file_objects_and_existing_names_are_refused(ws):
    es = random_set(n=4, dim=2)
    buf = io.BytesIO()
    np.save(buf, es.vectors)
    files = {"m.npy": buf, "words.txt": io.BytesIO("".join(w + "\n" for w in es.words).encode())}
    workspace.import_uploads(files, "npy", "objs")
    assert np.array_equal(core.load(ws / "objs").vectors, es.vectors)
    with pytest.raises(SetExistsError, match="a set named 'objs' already exists; choose another name"):
        workspace.import_uploads(files, "npy", "objs")
    with pytest.raises(SetExistsError):
        workspace.import_uploads(files, "npy", "sample")


@pytest.mark.slow  # an AppTest of the Corpus page
def test_the_corpus_page_shows_an_upload_name_as_one_escaped_line(ws):
    from tests.app.test_pages import open_page, plain

    at = open_page("pages/views/corpus.py")
    name = "evil\n# Big\x07 <b>x</b> :red[y].txt"
    at.file_uploader[0].set_value([(name, b"the cat and the dog", "text/plain")]).run()
    next(b for b in at.button if b.label == "Read the uploaded files").click().run()
    assert not at.exception
    label = at.subheader[0].value
    assert "\n" not in label and plain(label) == "evil\\n# Big\\x07 <b>x</b> :red[y].txt"
    assert {m.label: m.value for m in at.metric}["Tokens"] == "5"
