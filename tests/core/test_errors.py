"""Errors are the builtins a Python user catches, and still one W2VError family."""

import numpy as np
import pytest

import core
from core import W2VError, formats, workspace
from core.corpus import read_corpus
from core.params import TrainParams
from core.projection import pca
from tests.helpers import random_set


@pytest.fixture(autouse=True)
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))


@pytest.mark.parametrize(
    "call, builtin, message",
    [
        (lambda es, tmp: es.neighbors("w1", k=0), ValueError, "k must be a positive whole number"),
        (lambda es, tmp: es.neighbors("w1", metric="manhattan"), ValueError, "unknown metric"),
        (lambda es, tmp: es.analogy("w1", "w2", "w3", method="sum"), ValueError, "unknown analogy method"),
        (lambda es, tmp: es.neighbors(np.ones(3)), ValueError, "3 dimensions but the set has 8"),
        (lambda es, tmp: es.doesnt_match(["w1"]), ValueError, "at least two words"),
        (lambda es, tmp: pca(es, components=4), ValueError, "components must be 2 or 3"),
        (lambda es, tmp: TrainParams(dim=0).validate(), ValueError, "dim must be"),
        (lambda es, tmp: es.index("nope"), KeyError, "'nope' is not in the vocabulary"),
        (lambda es, tmp: core.load(tmp / "none"), FileNotFoundError, "no such bundle folder"),
        (lambda es, tmp: read_corpus(tmp / "none.txt"), FileNotFoundError, "no such file"),
        (lambda es, tmp: formats.read(tmp / "none.txt", "glove"), FileNotFoundError, "no such file"),
        (lambda es, tmp: formats.read(tmp, "word2vec-x"), ValueError, "unknown format"),
        (lambda es, tmp: workspace.check_name("../up"), ValueError, "is not a valid name"),
        (lambda es, tmp: workspace.delete("sample"), PermissionError, "read-only"),
        (lambda es, tmp: workspace.delete("absent"), KeyError, "no set named 'absent'"),
        (lambda es, tmp: workspace.import_uploads({}, "glove", "x"), ValueError, "no file was uploaded"),
    ],
)
def test_each_error_is_the_builtin_a_user_would_catch(call, builtin, message, tmp_path):
    es = random_set(n=20, dim=8)
    with pytest.raises(builtin, match=message) as caught:
        call(es, tmp_path)
    assert isinstance(caught.value, W2VError)
    assert "\n" not in str(caught.value)


def test_messages_are_plain_one_line_text():
    # KeyError subclasses would otherwise print their message in quotes
    with pytest.raises(KeyError) as caught:
        random_set().index("nope")
    assert str(caught.value).startswith("'nope' is not in the vocabulary")
    with pytest.raises(KeyError) as caught:
        workspace.rename("absent", "other")
    assert str(caught.value).startswith("no set named")


def test_an_existing_set_name_is_a_file_exists_error(tmp_path):
    formats.write(random_set(n=5, dim=2), tmp_path / "v.txt", "word2vec")
    data = {"v.txt": (tmp_path / "v.txt").read_bytes()}
    workspace.import_uploads(data, "word2vec", "mine")
    with pytest.raises(FileExistsError, match="'mine' already exists"):
        workspace.import_uploads(data, "word2vec", "mine")
