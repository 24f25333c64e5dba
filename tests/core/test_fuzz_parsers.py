"""Fuzzing every parser (issue 17): random bytes and mutated valid files either give a valid
result or raise one of the project's own errors (a ``W2VError``, with a one-line message), never
anything else, and never hang.

Parsers: ``read_corpus`` (plain text, .gz, .zip), ``formats.read`` for word2vec text, GloVe,
word2vec-bin, the Projector's tsv pair, npy + vocabulary and .keras models, and
``bundle.open_bundle``. Each test draws either random bytes (or random text in the format's own
alphabet) or a small valid file mutated one to four times: bit flips, changed bytes,
truncation, inserted and deleted bytes, duplicated, swapped and dropped lines, numbers replaced
by nan/inf/huge values/text, words replaced by empty, spaced, tabbed or duplicate words. Zip
based inputs are also rebuilt around mutated members, so the parser gets past the zip itself.

The suite runs a few examples per parser (``W2V_FUZZ_EXAMPLES``, default 50; Keras, whose
loading is slow, ``W2V_FUZZ_KERAS_EXAMPLES``, default 8); ``bench/fuzz_parsers.py`` sets them
higher for the full run. Each call has a time limit (``W2V_FUZZ_TIME_LIMIT`` seconds, default 20).
"""

from __future__ import annotations

import contextlib
import faulthandler
import gzip
import io
import json
import os
import re
import signal
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import bundle, formats
from core.corpus import Corpus, read_corpus
from core.embeddings import EmbeddingSet
from core.errors import W2VError
from core.tokens import LINE_END
from tests.core.fuzz_inputs import (
    SPECIAL_NAMES,
    TEXT,
    changed_files,
    data_of,
    folder,
    keras_model,
    mutated,
    saved_bundle,
    written,
    zipped,
)

EXAMPLES = int(os.environ.get("W2V_FUZZ_EXAMPLES", "50"))
KERAS_EXAMPLES = int(os.environ.get("W2V_FUZZ_KERAS_EXAMPLES", "8"))
TIME_LIMIT = float(os.environ.get("W2V_FUZZ_TIME_LIMIT", "20"))
RUNS: Counter[str] = Counter()  # calls made per parser (the bench reports them)
# The bench's --known: a failure already reported (matching this regular expression) is counted
# in KNOWN, not raised, so that the run goes on looking for others. Never set in the suite.
KNOWN_FAILURE = os.environ.get("W2V_FUZZ_KNOWN", "")
KNOWN: Counter[str] = Counter()


def fuzz_settings(n: int) -> settings:
    extra: dict[str, Any] = {"database": None} if KNOWN_FAILURE else {}  # never record a known failure as passed
    return settings(
        max_examples=n,
        deadline=None,  # the per-call time limit below is the guard
        **extra,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


# -- the property ---------------------------------------------------------------------------------


class Hang(Exception):
    """A parser call ran past its time limit (raised after the call too, should it be caught)."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (SIGALRM; an alarm set by pytest-timeout is put back
    afterwards). A hang inside C code, which no alarm interrupts, ends the process with a
    traceback after three times as long."""

    fired: list[bool] = []

    def on_alarm(signum: int, frame: Any) -> None:
        fired.append(True)
        raise Hang(f"{what}: still running after {seconds:g} s")

    start = time.monotonic()
    handler = signal.signal(signal.SIGALRM, on_alarm)
    before, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(3 * seconds + 30, exit=True)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, handler)
        if before:
            signal.setitimer(signal.ITIMER_REAL, max(before - (time.monotonic() - start), 0.001))
    if fired:  # the parser caught the Hang (``except Exception``) and went on
        raise Hang(f"{what}: ran past {seconds:g} s")


def one_line(message: str) -> None:
    assert message, "an error without a message"
    bad = [c for c in message if unicodedata.category(c) == "Cc"]
    assert not bad, f"a control character {bad[0]!r} in the message {message!r}"


def outcome(parser: str, call: Callable[[], Any], limit: float = TIME_LIMIT) -> Any:
    """The call's result, or None when it raised a W2VError (whose message is one clean line).
    Any other exception, or running past the time limit, propagates: hypothesis reports it."""
    RUNS[parser] += 1
    try:
        with time_limit(limit, parser):
            return call()
    except W2VError as exc:
        one_line(str(exc))
        return None
    except Exception as exc:
        if KNOWN_FAILURE and re.search(KNOWN_FAILURE, f"{type(exc).__name__}: {exc}"):
            KNOWN[f"{parser}: {type(exc).__name__}: {re.sub(r'-?[0-9]+', 'N', first_line_of(exc))}"] += 1
            return None
        raise


def first_line_of(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0][:120]


def check_vectors(es: Any) -> None:
    """A valid import: a finite float32 matrix, one unique, non-empty, storable word per row."""
    assert isinstance(es, EmbeddingSet), type(es)
    v = np.asarray(es.vectors)
    assert v.dtype == np.float32 and v.ndim == 2, (v.dtype, v.shape)
    assert v.shape[0] == len(es.words) >= 1 and v.shape[1] >= 1, (v.shape, len(es.words))
    assert np.isfinite(v).all()
    assert all(isinstance(w, str) and w for w in es.words), es.words[:20]
    assert not [w for w in es.words if any(ch in w for ch in "\t\n\r")], "a word a bundle cannot store"
    assert len(set(es.words)) == len(es.words)
    assert es.counts is None or (es.counts.shape == (len(es.words),) and es.counts.dtype == np.int64)


def check_corpus(c: Any) -> None:
    """A valid corpus: unique words made of word characters, ids and counts that agree."""
    assert isinstance(c, Corpus), type(c)
    n = len(c.words)
    assert n >= 1 and len(set(c.words)) == n
    assert all(w and LINE_END not in w and not any(ch.isspace() for ch in w) for w in c.words), c.words[:20]
    assert c.ids.dtype == np.int32 and c.ids.size >= 1 and c.ids.min() >= 0 and c.ids.max() < n
    assert c.counts.shape == (n,) and (c.counts >= 1).all() and int(c.counts.sum()) == c.ids.size
    starts = c.line_starts
    assert starts[0] == 0 and (np.diff(starts) > 0).all() and starts[-1] < c.ids.size
    one_line(c.name)


# -- corpora ---------------------------------------------------------------------------------------


def corpus_source(name: str, data: bytes, as_path: bool, where: Path) -> Any:
    if not as_path:
        return (name, io.BytesIO(data))
    path = where / "corpus.bin"
    path.write_bytes(data)
    return path


@fuzz_settings(EXAMPLES)
@given(data=data_of(TEXT, " \t\n\r.,;-'abcAÉé東0123456789"), name=st.sampled_from(SPECIAL_NAMES), as_path=st.booleans())
def test_fuzz_corpus_plain(data: bytes, name: str, as_path: bool) -> None:
    with folder() as d:
        c = outcome("corpus-plain", lambda: read_corpus(corpus_source(name, data, as_path, d)))
        if c is not None:
            check_corpus(c)


@st.composite
def gz_inputs(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["compressed mutation", "mutated gzip", "random after magic"]))
    if kind == "compressed mutation":  # valid gzip of damaged text
        return gzip.compress(draw(data_of(TEXT)), mtime=0)
    if kind == "mutated gzip":
        return draw(mutated(gzip.compress(TEXT, mtime=0)))
    return b"\x1f\x8b" + draw(st.binary(max_size=400))


@fuzz_settings(EXAMPLES)
@given(data=gz_inputs(), name=st.sampled_from(["c.gz", "c.txt", "c.zip"]), as_path=st.booleans())
def test_fuzz_corpus_gz(data: bytes, name: str, as_path: bool) -> None:
    with folder() as d:
        c = outcome("corpus-gz", lambda: read_corpus(corpus_source(name, data, as_path, d)))
        if c is not None:
            check_corpus(c)


MEMBER_NAMES = [
    "a.txt",
    "b/c.txt",
    "deep/er/still/d.txt",
    "../../escape.txt",
    "/etc/evil.txt",
    "..\\win.txt",
    ".hidden",
    "__MACOSX/._a.txt",
    "dir/",
    "evil\n\x1b[31mred.txt",
    "x" * 300,
    "nested.zip",
    "image.png",
]


@st.composite
def zip_inputs(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["members", "members", "mutated zip", "random after magic"]))
    if kind == "members":  # a valid zip of odd names and damaged or binary members
        contents = st.one_of(
            data_of(TEXT),
            st.just(TEXT),
            st.just(zipped([("in.txt", TEXT)])),
            st.just(b"\x89PNG\r\n\x1a\n\x00\x00IHDR"),
            st.just(b""),
        )
        members = draw(st.lists(st.tuples(st.sampled_from(MEMBER_NAMES), contents), max_size=4))
        method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))
        return zipped(members, method)
    if kind == "mutated zip":
        method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
        return draw(mutated(zipped([("a.txt", TEXT), ("b/c.txt", TEXT[:40])], method)))
    return b"PK\x03\x04" + draw(st.binary(max_size=400))


@fuzz_settings(EXAMPLES)
@given(data=zip_inputs(), name=st.sampled_from(["c.zip", "c.txt", "c.gz"]), as_path=st.booleans())
def test_fuzz_corpus_zip(data: bytes, name: str, as_path: bool) -> None:
    with folder() as d:
        c = outcome("corpus-zip", lambda: read_corpus(corpus_source(name, data, as_path, d)))
        if c is not None:
            check_corpus(c)


# -- vector files ------------------------------------------------------------------------------------


def read_one_file(parser: str, fmt: str, data: bytes) -> None:
    with folder() as d:
        (path := d / ("v.bin" if fmt == "word2vec-bin" else "v.txt")).write_bytes(data)
        es = outcome(parser, lambda: formats.read(path, fmt))
        if es is not None:
            check_vectors(es)


@fuzz_settings(EXAMPLES)
@given(data=data_of(written("word2vec")["v.txt"]))
def test_fuzz_word2vec_text(data: bytes) -> None:
    read_one_file("word2vec", "word2vec", data)


@fuzz_settings(EXAMPLES)
@given(data=data_of(written("glove")["v.txt"]))
def test_fuzz_glove(data: bytes) -> None:
    read_one_file("glove", "glove", data)


@fuzz_settings(EXAMPLES)
@given(data=data_of(written("word2vec-bin")["v.bin"]))
def test_fuzz_word2vec_bin(data: bytes) -> None:
    read_one_file("word2vec-bin", "word2vec-bin", data)


@fuzz_settings(EXAMPLES)
@given(files=changed_files({k: v for k, v in written("tsv").items() if k != "projector_config.pbtxt"}))
def test_fuzz_tsv(files: dict[str, bytes]) -> None:
    with folder() as d:
        for name, data in files.items():
            (d / name).write_bytes(data)
        es = outcome("tsv", lambda: formats.read(d, "tsv"))
        if es is not None:
            check_vectors(es)


@fuzz_settings(EXAMPLES)
@given(files=changed_files(written("npy")), vocab_given=st.booleans())
def test_fuzz_npy(files: dict[str, bytes], vocab_given: bool) -> None:
    with folder() as d:
        for name, data in files.items():
            (d / name).write_bytes(data)
        vocab = d / "m.vocab.txt" if vocab_given else None
        es = outcome("npy", lambda: formats.read(d / "m.npy", "npy", vocab=vocab))
        if es is not None:
            check_vectors(es)


LEAVES: list[Any] = [0, -1, 1, 3, 10**9, 2**63, 1e308, 0.5, float("nan"), "", "x", "float16", "int8", None, True]
LEAVES += [[], {}, [None], {"a": 1}]


@st.composite
def json_mutated(draw: st.DrawFn, raw: bytes) -> bytes:
    """A JSON document with one to three of its values replaced (sizes, types, names...)."""
    doc = json.loads(raw)
    for _ in range(draw(st.integers(1, 3))):
        places: list[tuple[Any, Any]] = []
        stack = [doc]
        while stack:
            item = stack.pop()
            pairs = item.items() if isinstance(item, dict) else enumerate(item) if isinstance(item, list) else []
            for key, value in pairs:
                places.append((item, key))
                stack.append(value)
        if not places:
            break
        item, key = draw(st.sampled_from(places))
        item[key] = draw(st.sampled_from(LEAVES))
    return json.dumps(doc).encode()


def keras_inputs(members: dict[str, bytes]) -> st.SearchStrategy[bytes]:
    """A valid zip around damaged members (Keras itself reads them), a valid zip around a config
    with changed values, a mutated zip, members left out, or random bytes."""
    config = json_mutated(members["config.json"])
    return st.one_of(
        config.map(lambda c: zipped(list({**members, "config.json": c}.items()))),
        config.map(lambda c: zipped(list({**members, "config.json": c}.items()))),
        changed_files(members).map(lambda m: zipped(list(m.items()))),
        changed_files(members).map(lambda m: zipped(list(m.items()))),
        mutated(zipped(list(members.items()))),
        st.lists(st.sampled_from(sorted(members)), unique=True).map(lambda k: zipped([(n, members[n]) for n in k])),
        st.binary(max_size=600),
        st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b),
    )


def test_fuzz_keras() -> None:
    members = keras_model()  # TensorFlow is imported here, not while hypothesis draws examples

    @fuzz_settings(KERAS_EXAMPLES)
    @given(data=keras_inputs(members))
    def read_keras(data: bytes) -> None:
        with folder() as d:
            (d / "m.keras").write_bytes(data)
            es = outcome("keras", lambda: formats.read(d / "m.keras", "keras"), limit=3 * TIME_LIMIT)
            if es is not None:
                check_vectors(es)

    read_keras()


# -- bundles ----------------------------------------------------------------------------------------


@fuzz_settings(EXAMPLES)
@given(files=changed_files(saved_bundle()), missing=st.sets(st.sampled_from(sorted(saved_bundle())), max_size=1))
def test_fuzz_open_bundle(files: dict[str, bytes], missing: set[str]) -> None:
    with folder() as d:
        b = d / "b"
        b.mkdir()
        for name, data in files.items():
            if name not in missing:
                (b / name).write_bytes(data)
        es = outcome("bundle", lambda: bundle.open_bundle(b))
        if es is not None:
            check_vectors(es)
            assert not isinstance(es.vectors, np.ndarray) or not es.vectors.flags.writeable  # read-only map
            assert bundle.read_meta(b).get("format_version", 0) <= bundle.FORMAT_VERSION


# the bench runs these, by parser
FUZZ_TESTS: dict[str, Callable[[], None]] = {
    "corpus-plain": test_fuzz_corpus_plain,
    "corpus-gz": test_fuzz_corpus_gz,
    "corpus-zip": test_fuzz_corpus_zip,
    "word2vec": test_fuzz_word2vec_text,
    "glove": test_fuzz_glove,
    "word2vec-bin": test_fuzz_word2vec_bin,
    "tsv": test_fuzz_tsv,
    "npy": test_fuzz_npy,
    "keras": test_fuzz_keras,
    "bundle": test_fuzz_open_bundle,
}
