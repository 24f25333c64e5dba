"""The inputs the fuzz tests of tests/core/test_fuzz_parsers.py draw: hypothesis strategies that
mutate bytes and structure (numbers, words, lines), random bytes in a format's own alphabet, and
the small valid files (vectors in every format, a bundle, a corpus, a .keras model, zips) they
start from."""

from __future__ import annotations

import contextlib
import functools
import io
import re
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

from core import bundle, formats
from core.embeddings import EmbeddingSet

# -- strategies -------------------------------------------------------------------------------------

NUMBER = re.compile(rb"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
WORD = re.compile(rb"[A-Za-z_][\w\-']*")
SPECIAL_NUMBERS = [
    b"nan",
    b"NaN",
    b"inf",
    b"-inf",
    b"Infinity",
    b"1e39",
    b"-3.5e38",
    b"1e999",
    b"1e-50",
    b"99999999999",
    b"999999999999999999999999",
    b"-1",
    b"0",
    b"-0",
    b"0x1A",
    b"1_000",
    b"1,5",
    b"x",
    b"",
    b"+",
    b".",
    "²".encode(),  # str.isdigit says yes, int() says no
    "١٢".encode(),  # Arabic-Indic digits: float() and int() accept them
    "\uff11".encode(),  # a full-width 1
    b"\xff",
]
SPECIAL_WORDS = [
    b"",
    b" ",
    b"\t",
    b"a b",
    b"a\tb",
    b"a\rb",
    b"\r",
    b"\x00",
    b"\x1b[31m",
    b"\xef\xbb\xbf",  # a BOM
    b"\xff\xfe",
    b"\xe9",
    "東京".encode(),
    "\u2028".encode(),  # a line separator str.splitlines splits on
    b"<img src=x onerror=alert(1)>",
    b"**bold**",
    b"[UNK]",
    b"word",
    b"count",
    b"null",
    b"true",
    b"{}",
    b"[]",
    b'"',
]
SPECIAL_NAMES = ["c.txt", "../../c.txt", "/etc/c.txt", "a\nb.txt", "\x1b[2Jx.txt", "rtl\u202etxt", "x" * 300]


def _at(draw: st.DrawFn, data: bytearray | list) -> int:
    return draw(st.integers(0, max(len(data) - 1, 0)))


BYTE_OPS = ["flip", "byte", "truncate", "insert", "delete", "splice"]
# the mutations that keep a file's structure: what a parser must check beyond its syntax
STRUCTURE_OPS = ["number", "number", "number", "word", "word", "dup", "swap", "drop"]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes, ops: tuple[str, ...] = tuple(BYTE_OPS + STRUCTURE_OPS)) -> bytes:
    """``seed`` changed one to four times, each time by one of ``ops`` (the mutations above)."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(ops))
        if op == "flip" and data:
            data[_at(draw, data)] ^= 1 << draw(st.integers(0, 7))
        elif op == "byte" and data:
            data[_at(draw, data)] = draw(st.sampled_from([0, 9, 10, 13, 32, 0x2D, 0x2E, 0x30, 0x7F, 0x80, 0xFF]))
        elif op == "truncate":
            del data[draw(st.integers(0, len(data))) :]
        elif op == "insert":
            i = draw(st.integers(0, len(data)))
            data[i:i] = draw(st.binary(min_size=1, max_size=16) | st.sampled_from(SPECIAL_WORDS + SPECIAL_NUMBERS))
        elif op == "delete" and data:
            i = _at(draw, data)
            del data[i : i + draw(st.integers(1, 32))]
        elif op in ("dup", "swap", "drop"):
            lines = bytes(data).split(b"\n")
            i, j = _at(draw, lines), _at(draw, lines)
            if op == "dup":
                lines.insert(i, lines[i])
            elif op == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            elif len(lines) > 1:
                del lines[i]
            data = bytearray(b"\n".join(lines))
        elif op in ("number", "word"):
            found = list((NUMBER if op == "number" else WORD).finditer(data))
            if found:
                m = found[draw(st.integers(0, len(found) - 1))]
                if op == "number":
                    new = draw(st.sampled_from(SPECIAL_NUMBERS))
                else:  # a special word, or another word of the file (a duplicate)
                    new = draw(st.sampled_from(SPECIAL_WORDS) | st.sampled_from([w.group() for w in found]))
                data[m.start() : m.end()] = new
        elif op == "splice" and data:
            i = _at(draw, data)
            n = draw(st.integers(1, 64))
            data[i : i + n] = draw(st.binary(min_size=n, max_size=n))
    return bytes(data)


def noise(alphabet: str = " \t\n\r0123456789.-+eEnaifxNAIF") -> st.SearchStrategy[bytes]:
    """Random bytes, random text in a format's own alphabet, or random bytes after a valid start."""
    return (
        st.binary(max_size=600)
        | st.text(alphabet=alphabet, max_size=300).map(lambda s: s.encode())
        | st.text(max_size=100).map(lambda s: s.encode("utf-8", "surrogatepass"))
    )


def data_of(seed: bytes, alphabet: str = " \t\n\r0123456789.-+eEnaifxNAIF") -> st.SearchStrategy[bytes]:
    """Bytes for one file: mutations of ``seed`` (three in five; two of them keep its structure:
    numbers, words and lines changed) or random."""
    prefixed = st.tuples(st.integers(0, len(seed)), st.binary(max_size=300)).map(lambda t: seed[: t[0]] + t[1])
    structure = mutated(seed, tuple(STRUCTURE_OPS))
    return st.one_of(mutated(seed), structure, structure, noise(alphabet), prefixed)


# -- small valid files ------------------------------------------------------------------------------

WORDS = ["the", "cat", "new-york", "café", "don't", "東京"]


@functools.cache
def small_set() -> EmbeddingSet:
    v = np.random.default_rng(17).normal(size=(len(WORDS), 4)).astype(np.float32)
    v[3] = 0  # a zero vector
    return EmbeddingSet(WORDS, v, np.arange(len(WORDS), 0, -1) * 7)


@functools.cache
def written(fmt: str) -> dict[str, bytes]:
    """The files ``formats.write`` makes for the small set, by name."""
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / {"npy": "m.npy", "tsv": "proj", "word2vec-bin": "v.bin"}.get(fmt, "v.txt")
        formats.write(small_set(), out, fmt)
        files = sorted(out.iterdir()) if out.is_dir() else sorted(Path(d).iterdir())
        return {p.name: p.read_bytes() for p in files}


@functools.cache
def saved_bundle() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as d:
        bundle.save(small_set(), Path(d) / "b", meta={"corpus": {"name": "c.txt", "tokens": 42}, "params": {"dim": 4}})
        return {p.name: p.read_bytes() for p in sorted((Path(d) / "b").iterdir())}


TEXT = "The cat sat on the mat.\nNew-York's café don't stop-motion, 東京 ΑΘΗΝΑ 42nd\n\nend of it\n".encode()


@functools.cache
def keras_model() -> dict[str, bytes]:
    """A tiny .keras model (TextVectorization + Embedding), as its zip members."""
    from core.quiet import import_tensorflow

    import_tensorflow()
    import keras

    with tempfile.TemporaryDirectory() as d:
        tv = keras.layers.TextVectorization(vocabulary=["cat", "dog", "new-york"])
        model = keras.Sequential([keras.Input(shape=(1,), dtype="string"), tv, keras.layers.Embedding(5, 3)])
        model.save(Path(d) / "m.keras")
        with zipfile.ZipFile(Path(d) / "m.keras") as z:
            return {i.filename: z.read(i) for i in z.infolist()}


def zipped(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", compression=compression) as z:
        warnings.simplefilter("ignore")  # duplicate member names are wanted here
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="w2v-fuzz-") as d:
        yield Path(d)


def changed_files(seed: dict[str, bytes]) -> st.SearchStrategy[dict[str, bytes]]:
    """``seed`` with one or more of its files replaced by mutated or random bytes."""
    names = sorted(seed)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, bytes]:
        which = draw(st.sets(st.sampled_from(names), min_size=1))
        return {n: draw(data_of(seed[n])) if n in which else seed[n] for n in names}

    return build()
