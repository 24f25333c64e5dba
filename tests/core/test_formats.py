import numpy as np
import pytest

from core import EmbeddingSet, formats
from core.errors import FormatError
from tests.helpers import random_set


def tricky_set():
    rng = np.random.default_rng(5)
    words = ["the", "naïve", "don't", "東京", "e-mail", "x1", "NaN", "null"]  # words pandas might misread
    v = rng.normal(size=(len(words), 7)).astype(np.float32)
    v[0, 0], v[1, 1], v[2, 2] = 1e-30, -3.4e38, 0.0
    return EmbeddingSet(words, v, np.arange(8, 0, -1))


@pytest.mark.parametrize(
    "fmt, name",
    [("npy", "m.npy"), ("word2vec", "v.txt"), ("word2vec-bin", "v.bin"), ("glove", "g.txt"), ("tsv", "proj")],
)
def test_every_format_round_trips_exactly(tmp_path, fmt, name):
    es = tricky_set()
    written = formats.write(es, tmp_path / name, fmt)
    assert all(p.exists() for p in written)
    back = formats.read(tmp_path / name, fmt)
    assert back.words == es.words
    assert np.array_equal(back.vectors, es.vectors)
    if fmt == "tsv":
        assert list(back.counts) == list(es.counts)
        assert 'tensor_path: "vectors.tsv"' in (tmp_path / name / "projector_config.pbtxt").read_text()


@pytest.mark.parametrize("binary", [False, True])
def test_word2vec_files_are_byte_compatible_with_gensim(tmp_path, binary):
    from gensim.models import KeyedVectors

    es = tricky_set()
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    formats.write(es, ours, "word2vec-bin" if binary else "word2vec")
    kv = KeyedVectors(es.dim)
    kv.add_vectors(es.words, es.vectors)
    kv.save_word2vec_format(str(theirs), binary=binary)
    assert ours.read_bytes() == theirs.read_bytes()
    loaded = KeyedVectors.load_word2vec_format(str(ours), binary=binary)
    assert loaded.index_to_key == es.words and np.array_equal(loaded.vectors, es.vectors)
    back = formats.read(theirs, "word2vec-bin" if binary else "word2vec")
    assert np.array_equal(back.vectors, loaded.vectors)


def test_reads_the_c_tool_variants(tmp_path):
    # word2vec.c writes a space after the last number, and a newline after each binary vector
    (tmp_path / "c.txt").write_text("2 3\na 1 2 3 \nb 4 5 6 \n")
    assert np.array_equal(formats.read(tmp_path / "c.txt", "word2vec").vectors, [[1, 2, 3], [4, 5, 6]])
    v = np.array([[1, 2], [3, 4]], "<f4")
    (tmp_path / "c.bin").write_bytes(b"2 2\na " + v[0].tobytes() + b"\nb " + v[1].tobytes() + b"\n")
    back = formats.read(tmp_path / "c.bin", "word2vec-bin")
    assert back.words == ["a", "b"] and np.array_equal(back.vectors, v)


def test_keras_embedding_layer_with_textvectorization_vocab(tmp_path):
    import keras

    tv = keras.layers.TextVectorization(vocabulary=["cat", "dog", "fish"])
    model = keras.Sequential([keras.Input(shape=(1,), dtype="string"), tv, keras.layers.Embedding(5, 4, name="emb")])
    path = tmp_path / "m.keras"
    model.save(path)
    es = formats.read(path, "keras")
    weights = model.get_layer("emb").get_weights()[0]
    assert es.words == ["[UNK]", "cat", "dog", "fish"]  # padding row "" dropped
    assert np.array_equal(es.vectors, weights[1:])
    (tmp_path / "v.txt").write_text("pad\nunk\ncat\ndog\nfish\n")
    assert formats.read(path, "keras", vocab=tmp_path / "v.txt").words[0] == "pad"


def test_keras_with_two_embedding_layers_asks_which(tmp_path):
    import keras

    inp = keras.Input(shape=(2,), dtype="int32")
    out = keras.layers.Concatenate()(
        [keras.layers.Embedding(3, 2, name="left")(inp), keras.layers.Embedding(3, 2, name="right")(inp)]
    )
    keras.Model(inp, out).save(tmp_path / "two.keras")
    (tmp_path / "v.txt").write_text("a\nb\nc\n")
    with pytest.raises(FormatError, match="several Embedding layers .*left, right.*--layer"):
        formats.read(tmp_path / "two.keras", "keras", vocab=tmp_path / "v.txt")
    es = formats.read(tmp_path / "two.keras", "keras", vocab=tmp_path / "v.txt", layer="right")
    assert es.words == ["a", "b", "c"]


def test_object_arrays_are_never_unpickled(tmp_path):
    np.save(tmp_path / "o.npy", np.array([{"x": 1}, None], dtype=object), allow_pickle=True)
    (tmp_path / "o.vocab.txt").write_text("a\nb\n")
    with pytest.raises(FormatError, match="never unpickled"):
        formats.read(tmp_path / "o.npy", "npy")


def test_guess_format(tmp_path):
    es = random_set(n=3)
    formats.write(es, tmp_path / "a.txt", "word2vec")
    formats.write(es, tmp_path / "b.txt", "glove")
    assert formats.guess_format(tmp_path / "a.txt") == "word2vec"
    assert formats.guess_format(tmp_path / "b.txt") == "glove"
    assert formats.guess_format(tmp_path / "x.npy") == "npy"


def test_the_row_unlike_the_others_is_blamed_and_a_wrong_header_is_named(tmp_path):
    (tmp_path / "g.txt").write_text("a 1 2\nb 1 2 3\nc 4 5 6\n")
    with pytest.raises(FormatError, match=r"g.txt, line 1: 2 numbers, expected 3"):
        formats.read(tmp_path / "g.txt", "glove")
    (tmp_path / "w.txt").write_text("3 2\na 1 2 3\nb 1 2 3\nc 4 5 6\n")
    with pytest.raises(FormatError, match=r"line 1: the header says 2 dimensions but the rows hold 3"):
        formats.read(tmp_path / "w.txt", "word2vec")


def _big_word2vec(path, n=25_000, dim=6):
    es = random_set(n=n, dim=dim, seed=11)
    formats.write(es, path, "word2vec")
    return es


def test_word2vec_text_parsed_by_two_processes_is_the_same_as_by_one(tmp_path):
    from core.formats import text_parts

    path = tmp_path / "big.txt"
    es = _big_word2vec(path)
    assert len(es) >= text_parts.MIN_ROWS  # big enough for the parallel parse
    one = formats.read(path, "word2vec")
    for workers in (2, 3):
        many = formats.read(path, "word2vec", workers=workers)
        assert many.words == one.words == es.words
        assert np.array_equal(many.vectors, one.vectors)


@pytest.mark.parametrize(
    "damage",
    ["bad number", "short row", "long row", "header too big", "header too small", "duplicate word", "nan"],
)
def test_a_damaged_big_word2vec_file_names_the_same_problem_with_two_processes(tmp_path, damage):
    path = tmp_path / "big.txt"
    _big_word2vec(path)
    lines = path.read_text().split("\n")
    at = len(lines) * 3 // 4  # in the second process's part
    row = lines[at].split(" ")
    if damage == "bad number":
        row[3] = "0.1x"
    elif damage == "short row":
        row = row[:-1]
    elif damage == "long row":
        row.append("0.5")
    elif damage == "duplicate word":
        row[0] = lines[5].split(" ")[0]
    elif damage == "nan":
        row[2] = "nan"
    lines[at] = " ".join(row)
    n, dim = lines[0].split()
    if damage == "header too big":
        lines[0] = f"{int(n) + 1} {dim}"
    elif damage == "header too small":
        lines[0] = f"{int(n) - 1} {dim}"
    path.write_text("\n".join(lines))
    with pytest.raises(FormatError) as one:
        formats.read(path, "word2vec")
    with pytest.raises(FormatError) as two:
        formats.read(path, "word2vec", workers=2)
    assert str(two.value) == str(one.value)
    if damage not in ("header too big", "header too small"):
        assert f"line {at + 1}" in str(one.value) or f"row {at}" in str(one.value)
