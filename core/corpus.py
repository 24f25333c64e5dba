"""Reading corpora safely: .txt, .gz and .zip files, UTF-8, streamed into token ids.

Memory stays proportional to the vocabulary plus one int32 per token: files are read in
1 MiB blocks, decoded incrementally and tokenised block by block; the text is never held whole.
"""

from __future__ import annotations

import array
import codecs
import gzip
import hashlib
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, cast

import numpy as np

from .errors import CorpusError, MissingFileError

DEFAULT_MAX_BYTES = 2 * 1024**3
BLOCK = 1 << 20
# Letters and digits (any script); an apostrophe or hyphen is kept only *inside* a word.
_TOKEN = re.compile(r"[^\W_]++(?:['\u2019\-][^\W_]++)*+")  # possessive: less backtracking, same tokens
# The same rule spelled for ASCII text, where it matches the same tokens faster (bench/RESULTS.md).
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]++(?:['\-][A-Za-z0-9]++)*+")
# Share of undecodable characters above which a file is declared "not text".
_MAX_BAD_RATIO = 0.05

Source = str | os.PathLike | tuple[str, IO[bytes]]
Progress = Callable[[int, int], None]


def tokenize(text: str, lowercase: bool = True) -> list[str]:
    """Split text into word tokens: letters/digits, inner apostrophes and hyphens kept."""
    if lowercase:
        text = text.lower()
    return (_ASCII_TOKEN if text.isascii() else _TOKEN).findall(text)


@dataclass
class Corpus:
    """A tokenised corpus: distinct words in first-seen order, their counts, the id stream."""

    words: list[str]
    counts: np.ndarray  # int64, one per word
    ids: np.ndarray  # int32 token stream, indices into `words`
    name: str
    sha256: str
    n_bytes: int  # decompressed bytes of text read
    lowercase: bool = True  # whether the text was lowercased before tokenising

    @property
    def n_tokens(self) -> int:
        return int(self.ids.size)

    def most_common(self, n: int) -> list[tuple[str, int]]:
        order = np.argsort(-self.counts, kind="stable")[:n]
        return [(self.words[i], int(self.counts[i])) for i in order]

    def rank_frequency(self) -> np.ndarray:
        """Counts sorted from most to least frequent (for a Zipf plot)."""
        return np.sort(self.counts)[::-1]

    def vocab_size_at(self, min_count: int) -> int:
        """How many distinct words occur at least ``min_count`` times."""
        return int((self.counts >= min_count).sum())


def read_corpus(
    sources: Source | Iterable[Source],
    *,
    lowercase: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
) -> Corpus:
    """Read one or many corpus files into a :class:`Corpus`.

    Parameters
    ----------
    sources : a path, an open binary file given as ``(name, fileobj)``, or a list of those.
        Plain text, gzip (``.gz``) and zip archives of text files are recognised by content.
    lowercase : fold case before tokenising (default ``True``).
    max_bytes : limit on the *decompressed* text, in bytes (default 2 GiB): stops zip bombs.
    progress : called as ``progress(done, total)`` in bytes of the input files.
    """
    if isinstance(sources, (str, os.PathLike, tuple)):
        sources = [sources]
    sources = list(sources)
    if not sources:
        raise CorpusError("no corpus files were given; pass at least one .txt, .gz or .zip file")
    opened = [_open_source(s) for s in sources]
    total = sum(size for _, _, size in opened) or 1
    index = _Index()
    ids = array.array("i")
    digest = hashlib.sha256()
    state = {"text_bytes": 0, "done": 0}
    try:
        for name, fh, size in opened:
            _hash_into(digest, fh)
            for label, stream in _text_streams(name, fh):
                for text in _decoded_blocks(label, stream, state, max_bytes):
                    # map runs in C, and __missing__ is called only for new words
                    ids.extend(map(index.__getitem__, tokenize(text, lowercase)))
                    if progress:
                        progress(min(state["done"] + fh.tell(), total), total)
            state["done"] += size
    finally:
        for _, fh, _ in opened:
            fh.close()
    if not index:
        raise CorpusError(f"{_names(sources)}: no words found; the corpus must contain text")
    id_arr = np.frombuffer(ids, dtype=np.int32).copy()
    return Corpus(
        words=list(index),
        counts=np.bincount(id_arr, minlength=len(index)).astype(np.int64),
        ids=id_arr,
        name=_names(sources),
        sha256=digest.hexdigest(),
        n_bytes=state["text_bytes"],
        lowercase=lowercase,
    )


class _Index(dict):
    """Word -> id, numbering words in first-seen order as they are looked up."""

    def __missing__(self, word: str) -> int:
        self[word] = n = len(self)
        return n


def _names(sources: list[Source]) -> str:
    return ", ".join(s[0] if isinstance(s, tuple) else os.path.basename(os.fspath(s)) for s in sources)


def _open_source(src: Source) -> tuple[str, IO[bytes], int]:
    if isinstance(src, tuple):
        name, fh = src
        try:
            size = fh.seek(0, io.SEEK_END)
            fh.seek(0)
        except (OSError, AttributeError):
            size = 0
        return name, fh, size
    path = os.fspath(src)
    if os.path.isdir(path):
        raise CorpusError(f"{path}: is a folder; pass the text files inside it (or a .zip of them)")
    try:
        return os.path.basename(path), open(path, "rb"), os.path.getsize(path)
    except FileNotFoundError:
        raise MissingFileError(f"{path}: no such file; check the path") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot open ({exc.strerror}); check the path") from None


def _hash_into(digest, fh: IO[bytes]) -> None:
    # A separate pass: zip archives are read out of order, but the hash must be of the file bytes.
    while block := fh.read(BLOCK):
        digest.update(block)
    fh.seek(0)


def _text_streams(name: str, fh: IO[bytes]) -> Iterator[tuple[str, IO[bytes]]]:
    head = fh.read(4)
    fh.seek(0)
    if head[:2] == b"\x1f\x8b":
        yield name, cast(IO[bytes], gzip.GzipFile(fileobj=fh, mode="rb"))
    elif head == b"PK\x03\x04" or (head[:2] == b"PK" and name.lower().endswith(".zip")):
        try:
            zf = zipfile.ZipFile(fh)
        except zipfile.BadZipFile:
            raise CorpusError(f"{name}: is not a valid zip archive; re-create it or upload the text files") from None
        members = [
            m
            for m in zf.infolist()
            if not m.is_dir() and not os.path.basename(m.filename).startswith(".") and "__MACOSX" not in m.filename
        ]
        if not members:
            raise CorpusError(f"{name}: the zip archive holds no files; add text files to it")
        for m in members:
            yield f"{name}:{m.filename}", zf.open(m)
    else:
        yield name, fh


def _decoded_blocks(label: str, stream: IO[bytes], state: dict, max_bytes: int) -> Iterator[str]:
    """Yield decoded text blocks that end on whitespace, checking that the bytes are text."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    carry, chars, bad = "", 0, 0
    while True:
        try:
            raw = stream.read(BLOCK)
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
            raise CorpusError(f"{label}: the compressed data is damaged ({exc}); re-create the file") from None
        state["text_bytes"] += len(raw)
        if state["text_bytes"] > max_bytes:
            raise CorpusError(
                f"{label}: the decompressed text exceeds the limit of {max_bytes:,} bytes; "
                "split the corpus or raise the limit"
            )
        if b"\x00" in raw:
            raise CorpusError(f"{label}: contains NUL bytes, so it is not a text file; upload UTF-8 text")
        text = decoder.decode(raw, final=not raw)
        chars += len(text)
        bad += text.count("\ufffd")
        if chars and bad > _MAX_BAD_RATIO * chars and chars > 64:
            raise CorpusError(
                f"{label}: is not UTF-8 text ({bad} of {chars} characters undecodable); convert it to UTF-8 first"
            )
        if not raw:
            if carry or text:
                yield carry + text
            if chars and bad > _MAX_BAD_RATIO * chars:
                raise CorpusError(f"{label}: is not UTF-8 text; convert it to UTF-8 first")
            return
        text = carry + text
        cut = max(text.rfind(" "), text.rfind("\n"))
        if cut < 0:
            carry = text
            continue
        carry = text[cut + 1 :]
        yield text[: cut + 1]
