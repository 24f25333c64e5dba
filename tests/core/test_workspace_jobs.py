import io
import tempfile
import time
import zipfile

import numpy as np
import pytest

import core
from core import FormatError, W2VError, bundle, formats, jobs, workspace
from core.corpus import read_corpus
from tests.helpers import planted_text, random_set


@pytest.fixture(autouse=True)
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))
    return tmp_path / "ws"


@pytest.mark.parametrize("name", ["../evil", "a/b", "", "A", ".hidden", "x" * 65, "con\x00", "/abs"])
def test_names_cannot_leave_the_workspace(name):
    with pytest.raises(W2VError, match="not a valid name"):
        workspace.path_of(name)


def test_sample_is_listed_and_read_only(ws):
    assert workspace.entries()[0].name == "sample" and workspace.entries()[0].read_only
    with pytest.raises(W2VError, match="read-only"):
        workspace.delete("sample")
    with pytest.raises(W2VError, match="read-only"):
        workspace.rename("sample", "mine")


def test_rename_delete_and_free_names(ws):
    bundle.save(random_set(), ws / "one")
    assert workspace.free_name("one") == "one-2" and workspace.free_name("My File.txt") == "my-file-txt"
    workspace.rename("one", "two")
    assert [e.name for e in workspace.entries()] == ["sample", "two"]
    with pytest.raises(W2VError, match="already exists"):
        workspace.rename("two", "sample")
    workspace.delete("two")
    assert [e.name for e in workspace.entries()] == ["sample"]


def test_import_uploads_pairs_and_export_zip(ws, tmp_path):
    es = random_set(n=12, dim=3)
    formats.write(es, tmp_path / "p", "tsv")
    files = {n: (tmp_path / "p" / n).read_bytes() for n in ("vectors.tsv", "metadata.tsv")}
    workspace.import_uploads(files, "tsv", "proj")
    assert np.array_equal(core.load(ws / "proj").vectors, es.vectors)
    with pytest.raises(W2VError, match="vectors.tsv and metadata.tsv"):
        workspace.import_uploads({"vectors.tsv": files["vectors.tsv"]}, "tsv", "half")
    with pytest.raises(W2VError, match="needs a vocabulary file"):
        workspace.import_uploads({"m.npy": b"x"}, "npy", "nov")
    assert not (ws / "half").exists() and not (ws / "nov").exists()
    name, data = workspace.export_bytes("proj", "tsv")
    assert name == "proj-tsv.zip"
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()) == [
        "metadata.tsv",
        "projector_config.pbtxt",
        "vectors.tsv",
    ]


@pytest.mark.slow
def test_one_job_at_a_time_with_places_in_line_and_cancel(ws, tmp_path):
    from core.train import TrainParams

    text, _ = planted_text(sentences=3000)
    (tmp_path / "c.txt").write_text(text)
    corpus = read_corpus(tmp_path / "c.txt")
    q = jobs.JobQueue()
    slow = TrainParams(dim=8, min_count=1, epochs=400, batch=16, steps=4)
    first = q.submit("first", corpus, slow)
    second = q.submit("second", corpus, TrainParams(dim=8, min_count=1, epochs=1))
    third = q.submit("third", corpus, TrainParams(dim=8, min_count=1, epochs=1))
    deadline = time.time() + 60
    while q.snapshot(first).state != "running" and time.time() < deadline:
        time.sleep(0.1)
    assert q.snapshot(second).state == "queued" and q.snapshot(second).place == 1
    assert q.snapshot(third).place == 2
    with pytest.raises(W2VError, match="already exists or is being trained"):
        q.submit("second", corpus, slow)
    q.cancel(second)
    assert q.snapshot(second).state == "cancelled" and q.snapshot(third).place == 1
    q.cancel(first)
    while q.snapshot(third).state not in ("done", "failed") and time.time() < deadline:
        time.sleep(0.1)
    assert q.snapshot(first).state == "cancelled" and not (ws / "first").exists()
    assert q.snapshot(third).state == "done" and core.load(ws / "third").meta["name"] == "third"
    assert q.snapshot(third).losses and q.snapshot(third).fraction == pytest.approx(1.0)


def test_upload_messages_name_the_file_not_the_servers_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))
    with pytest.raises(FormatError) as caught:  # the short row is line 1: it is the one blamed
        workspace.import_uploads({"ragged.txt": b"a 1 2\nb 1 2 3\nc 4 5 6\n"}, "glove", "r")
    assert str(caught.value).startswith("ragged.txt, line 1: 2 numbers, expected 3")
    assert tempfile.gettempdir() not in str(caught.value)
    assert not (tmp_path / "ws" / "r").exists()
