"""Reading corpora safely: .txt, .gz and .zip files, UTF-8, streamed into token ids.

Memory stays proportional to the vocabulary plus one int32 per token: files are read in
1 MiB blocks, decoded incrementally and tokenised block by block; the text is never held whole
(a block is cut after its last space, line end or punctuation mark, so no token is split).

Nothing here writes to disk: file and archive member names are only labels, shown with their
control characters escaped. A zip archive is checked against the size limit by its declared
sizes and compression ratios before any member is decompressed; the limit is also counted as
the text streams in (the backstop for gzip, whose size is not declared, and for lying headers).
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
from contextlib import closing
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple, cast

import numpy as np

from .ahead import mapped
from .errors import CorpusError, MissingFileError
from .tokens import Prepared, Vocabulary, prepare, tokenize  # noqa: F401 (tokenize: part of this module's API)

DEFAULT_MAX_BYTES = 2 * 1024**3
BLOCK = 1 << 20
# Share of undecodable characters above which a file is declared "not text".
_MAX_BAD_RATIO = 0.05
# Where a block may be cut without splitting a token: any character a token cannot hold.
_LAST_BREAK = re.compile(r"(?s:.*)(?:[^\w'\u2019\-]|_)")
# Characters in a row with no such break: past this the "text" is not made of words.
_MAX_RUN = BLOCK
# A zip member declaring more than this many bytes at a higher ratio is refused unread:
# natural text compresses about 3:1, rarely 20:1; zip bombs compress 1,000:1 and more.
_BOMB_RATIO, _BOMB_MIN_BYTES = 100, 8 * 1024**2
# Bytes of each zip member checked for text before any member is read in full.
_SNIFF = 64 * 1024
_NAME_SHOWN = 200  # characters of a file name kept in labels

Source = str | os.PathLike | tuple[str, IO[bytes]]
Progress = Callable[[int, int], None]


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
    # where each line with words begins, as positions in ``ids`` (int64, the first is 0): the
    # trainer's sentences. A corpus made without it is one line.
    line_starts: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))

    @property
    def n_lines(self) -> int:
        return int(self.line_starts.size)

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
        The name of a ``(name, fileobj)`` pair is only a label (it is never opened), and file
        objects given so are read from the start and left open.
    lowercase : fold case before tokenising (default ``True``).
    max_bytes : limit on the *decompressed* text, in bytes (default 2 GiB): stops zip bombs.
    progress : called as ``progress(done, total)`` in bytes of the input files.
    """
    if isinstance(sources, (str, os.PathLike, tuple)):
        sources = [sources]
    sources = list(sources)
    if not sources:
        raise CorpusError("no corpus files were given; pass at least one .txt, .gz or .zip file")
    opened: list[tuple[str, IO[bytes], int, bool]] = []
    try:
        for s in sources:
            opened.append(_open_source(s))
        total = sum(size for _, _, size, _ in opened) or 1
        index = Vocabulary()
        ids = _IdStream()
        digest = hashlib.sha256()
        state = {"text_bytes": 0, "done": 0}

        # blocks are tokenised and hashed a few ahead, in threads: only numbering needs the vocabulary
        def prepared(block: _Block) -> tuple[Prepared | None, int]:
            return (None if block.text is None else prepare(block.text, lowercase)), block.done

        with closing(mapped(prepared, _blocks(opened, state, max_bytes, digest))) as blocks:  # no thread outlives it
            for parts, done in blocks:
                if parts is None:
                    ids.new_line()  # a file (or member) never continues the line of the one before
                    continue
                ids.add(index.ids_of(parts))
                if progress:
                    progress(min(done, total), total)
    finally:
        for _, fh, _, ours in opened:
            if ours:
                fh.close()
    if not ids.ids:
        if not state["text_bytes"]:
            raise CorpusError(f"{_names(sources)}: is empty; choose a file that holds text")
        raise CorpusError(
            f"{_names(sources)}: no words found (only spaces, punctuation or symbols); "
            "the corpus must contain words made of letters or digits"
        )
    # the array's own buffer, not a copy: the id stream is the largest thing a read makes
    id_arr = np.frombuffer(ids.ids, dtype=np.int32)
    return Corpus(
        words=index.words(),
        counts=_counts(id_arr, len(index)),
        ids=id_arr,
        name=_names(sources),
        sha256=digest.hexdigest(),
        n_bytes=state["text_bytes"],
        lowercase=lowercase,
        line_starts=np.frombuffer(ids.starts, dtype=np.int64),
    )


class _Block(NamedTuple):
    text: str | None  # None: a file or archive member begins here
    done: int  # bytes of the input files read so far


def _blocks(opened: list, state: dict, max_bytes: int, digest: Any) -> Iterator[_Block]:
    """The text blocks of every opened source, each file's bytes also hashed into ``digest``."""
    for name, fh, size, _ in opened:
        _hash_into(digest, fh)
        for label, stream in _text_streams(name, fh, max_bytes - state["text_bytes"], max_bytes):
            yield _Block(None, state["done"])
            for text in _decoded_blocks(label, stream, state, max_bytes):
                yield _Block(text, state["done"] + fh.tell())
        state["done"] += size


def _counts(ids: np.ndarray, n_words: int) -> np.ndarray:
    """Occurrences of each id, counted a slice at a time: ``np.bincount`` turns int32 ids into a
    temporary int64 copy, which for the whole stream would be twice its size again."""
    counts = np.zeros(n_words, dtype=np.int64)
    step = max(BLOCK, n_words // 4)  # each slice costs O(n_words) too: never more than 4x the ids' own work
    for start in range(0, ids.size, step):
        counts += np.bincount(ids[start : start + step], minlength=n_words)
    return counts


class _IdStream:
    """The token ids of a read, and where each line with words begins, built a block at a time."""

    def __init__(self) -> None:
        self.ids = array.array("i")
        self.starts = array.array("q")
        self._at_start = True  # the next word begins a line

    def new_line(self) -> None:
        self._at_start = True

    def add(self, block: np.ndarray) -> None:
        """One block's ids, -1 marking each line end."""
        ends = block < 0
        if not ends.any():
            if block.size:
                if self._at_start:
                    self.starts.append(len(self.ids))
                self._at_start = False
                self.ids.frombytes(block.tobytes())
            return
        words = block[~ends]
        if words.size:
            before = np.cumsum(ends)[~ends]  # line ends before each word
            begins = np.empty(words.size, bool)
            begins[0] = self._at_start or before[0] > 0
            np.greater(before[1:], before[:-1], out=begins[1:])
            self.starts.frombytes((len(self.ids) + np.flatnonzero(begins)).astype(np.int64).tobytes())
            self.ids.frombytes(words.tobytes())
        self._at_start = bool(ends[-1])  # the block ends with a line end: no word after it


def shown_name(name: str) -> str:
    """A file or member name as a label: one line, control and invisible characters escaped
    (as ``repr`` escapes them), at most 200 characters. Labels are never used as paths."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(name))
    return text if len(text) <= _NAME_SHOWN else text[: _NAME_SHOWN - 3] + "..."


def _names(sources: list[Source]) -> str:
    return ", ".join(shown_name(s[0] if isinstance(s, tuple) else os.path.basename(os.fspath(s))) for s in sources)


def _open_source(src: Source) -> tuple[str, IO[bytes], int, bool]:
    """(label, binary file, size in bytes, whether this function opened the file)."""
    if isinstance(src, tuple):
        name, fh = src
        try:
            size = fh.seek(0, io.SEEK_END)
            fh.seek(0)
        except (OSError, AttributeError):
            size = 0
        return shown_name(name), fh, size, False
    path = os.fspath(src)
    shown = shown_name(path)
    if os.path.isdir(path):
        raise CorpusError(f"{shown}: is a folder; pass the text files inside it (or a .zip of them)")
    try:
        return shown_name(os.path.basename(path)), open(path, "rb"), os.path.getsize(path), True
    except FileNotFoundError:
        raise MissingFileError(f"{shown}: no such file; check the path") from None
    except OSError as exc:
        raise CorpusError(f"{shown}: cannot open ({exc.strerror}); check the path") from None


def sha256_of(fh: IO[bytes]) -> str:
    """The sha256 of a binary file object's bytes, read from the start in blocks (no copy of
    the whole); the file is left at its start."""
    fh.seek(0)
    digest = hashlib.sha256()
    _hash_into(digest, fh)
    return digest.hexdigest()


def _hash_into(digest, fh: IO[bytes]) -> None:
    # A separate pass: zip archives are read out of order, but the hash must be of the file bytes.
    while block := fh.read(BLOCK):
        digest.update(block)
    fh.seek(0)


def _text_streams(name: str, fh: IO[bytes], room: int, max_bytes: int) -> Iterator[tuple[str, IO[bytes]]]:
    """The text streams of one file: itself, its gzip content, or each member of a zip archive.

    ``room``: bytes of text still allowed; a zip's declared sizes are checked against it first.
    """
    head = fh.read(4)
    fh.seek(0)
    if head[:2] == b"\x1f\x8b":
        yield name, cast(IO[bytes], gzip.GzipFile(fileobj=fh, mode="rb"))
    elif head == b"PK\x03\x04" or (head[:2] == b"PK" and name.lower().endswith(".zip")):
        yield from _zip_members(name, fh, room, max_bytes)
    else:
        yield name, fh


def _zip_members(name: str, fh: IO[bytes], room: int, max_bytes: int) -> Iterator[tuple[str, IO[bytes]]]:
    """Each text member of a zip archive, after checks that read headers and first blocks only.

    Members in folders are read like the others (the folder is part of the label); names are
    only labels, nothing is extracted to disk. Hidden files and macOS ``__MACOSX`` folders are
    skipped. An archive is refused as a whole, before any member is read in full, if it
    declares more text than the limit, compresses a member like a zip bomb, holds encrypted
    or unusually compressed members, or holds a member that is not text.
    """
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise CorpusError(f"{name}: is not a valid zip archive; re-create it or upload the text files") from None
    members = [
        m
        for m in zf.infolist()
        if not m.is_dir()
        and not re.split(r"[/\\]", m.filename.rstrip("/\\"))[-1].startswith(".")
        and "__MACOSX" not in m.filename
    ]
    if not members:
        raise CorpusError(f"{name}: the zip archive holds no files; add text files to it")
    declared = sum(m.file_size for m in members)
    if declared > room:
        before = "" if room == max_bytes else " with the files read before it"
        raise CorpusError(
            f"{name}: the zip archive declares {declared:,} bytes of content, so the decompressed text{before} "
            f"exceeds the limit of {max_bytes:,} bytes; split the corpus or raise the limit"
        )
    for m in members:
        label = f"{name}:{shown_name(m.filename)}"
        if m.flag_bits & 0x1:
            raise CorpusError(f"{label}: is encrypted; upload an archive without a password")
        if m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise CorpusError(
                f"{label}: uses a compression method other than deflate; re-create the zip with ordinary compression"
            )
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > _BOMB_MIN_BYTES and ratio > _BOMB_RATIO:
            raise CorpusError(
                f"{label}: declares {m.file_size:,} bytes compressed {ratio:,.0f}:1, far more than text "
                "compresses (a zip bomb?); upload the text itself or an ordinary zip of it"
            )
    for m in members:  # a member that is not text is found before hours go into the others
        label = f"{name}:{shown_name(m.filename)}"
        with _open_member(zf, m, label) as stream:
            sniff = _read_block(stream, _SNIFF, label)
        text = sniff.decode("utf-8", errors="replace")
        _check_text(label, sniff, len(text), text.count("\ufffd"), member=True)
    for m in members:
        label = f"{name}:{shown_name(m.filename)}"
        yield label, _open_member(zf, m, label)


def _open_member(zf: zipfile.ZipFile, m: zipfile.ZipInfo, label: str) -> IO[bytes]:
    try:
        return zf.open(m)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError, ValueError) as exc:
        # ValueError: a central directory pointing before the file's start ("negative seek value")
        raise CorpusError(f"{label}: cannot be opened ({exc}); re-create the zip archive") from None


def _read_block(stream: IO[bytes], n: int, label: str) -> bytes:
    try:
        return stream.read(n)
    except EOFError:
        raise CorpusError(
            f"{label}: the compressed data is damaged: it ends early (the file is truncated); "
            "copy or upload the whole file"
        ) from None
    except (OSError, zipfile.BadZipFile, zlib.error, ValueError) as exc:
        raise CorpusError(f"{label}: the compressed data is damaged ({exc}); re-create the file") from None


def _check_text(label: str, raw: bytes, chars: int, bad: int, member: bool = False) -> None:
    """Refuse bytes that are not UTF-8 text: NUL bytes, or too many undecodable characters
    (``bad`` of ``chars`` decoded so far; judged once there are more than 64)."""
    fix = "remove it from the zip archive (only text files are read)" if member else "upload UTF-8 text"
    if b"\x00" in raw:
        raise CorpusError(f"{label}: contains NUL bytes, so it is not a text file; {fix}")
    if chars > 64 and bad > _MAX_BAD_RATIO * chars:
        fix = fix if member else "convert it to UTF-8 first"
        raise CorpusError(f"{label}: is not UTF-8 text ({bad:,} of {chars:,} characters undecodable); {fix}")


def _decoded_blocks(label: str, stream: IO[bytes], state: dict, max_bytes: int) -> Iterator[str]:
    """Yield decoded text blocks that end where no token can go on, checking that the bytes are
    text and counting them against ``max_bytes`` (never reading more than one byte past it)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    carry, chars, bad = "", 0, 0
    while True:
        raw = _read_block(stream, min(BLOCK, max_bytes - state["text_bytes"] + 1), label)
        state["text_bytes"] += len(raw)
        if state["text_bytes"] > max_bytes:
            raise CorpusError(
                f"{label}: the decompressed text exceeds the limit of {max_bytes:,} bytes; "
                "split the corpus or raise the limit"
            )
        text = decoder.decode(raw, final=not raw)
        chars += len(text)
        bad += text.count("\ufffd")
        _check_text(label, raw, chars, bad)
        if not raw:
            if chars and bad > _MAX_BAD_RATIO * chars:  # a short file: judged on all of it
                raise CorpusError(f"{label}: is not UTF-8 text; convert it to UTF-8 first")
            if carry or text:
                yield carry + text
            return
        text = carry + text
        cut = max(text.rfind(" "), text.rfind("\n")) + 1
        if not cut and (m := _LAST_BREAK.match(text)):
            cut = m.end()  # no space or line end: after the last punctuation mark or symbol
        if not cut:
            if len(text) > _MAX_RUN:
                raise CorpusError(
                    f"{label}: holds over {_MAX_RUN:,} characters in a row without a space or punctuation, "
                    "so it is not text made of words; check the file"
                )
            carry = text
            continue
        carry = text[cut:]
        yield text[:cut]
