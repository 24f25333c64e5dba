"""Corpus files opened safely: .txt, .gz and .zip, checked to be UTF-8 text, and decoded into
blocks that never split a token (for ``core.corpus``, which tokenises them).

Files are read in 1 MiB blocks and decoded incrementally; the text is never held whole (a block is
cut after its last space, line end or punctuation mark). Nothing here writes to disk: file and
archive member names are only labels, shown with their control characters escaped. A zip archive
is checked against the size limit by its declared sizes and compression ratios before any member
is decompressed; the limit is also counted as the text streams in (the backstop for gzip, whose
size is not declared, and for lying headers).
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, Any, NamedTuple, cast

from .errors import CorpusError, MissingFileError

BLOCK = 1 << 20  # bytes read at a time
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
Opened = tuple[str, IO[bytes], int, bool]  # label, binary file, size, whether we opened it


class Block(NamedTuple):
    text: str | None  # None: a file or archive member begins here
    done: int  # bytes of the input files read so far


def text_blocks(opened: list[Opened], state: dict, max_bytes: int, digest: Any) -> Iterator[Block]:
    """The text blocks of every opened source, each file's bytes also hashed into ``digest``."""
    for name, fh, size, _ in opened:
        _hash_into(digest, fh)
        for label, stream in _text_streams(name, fh, max_bytes - state["text_bytes"], max_bytes):
            yield Block(None, state["done"])
            for text in _decoded_blocks(label, stream, state, max_bytes):
                yield Block(text, state["done"] + fh.tell())
        state["done"] += size


def shown_name(name: str) -> str:
    """A file or member name as a label: one line, control and invisible characters escaped
    (as ``repr`` escapes them), at most 200 characters. Labels are never used as paths."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(name))
    return text if len(text) <= _NAME_SHOWN else text[: _NAME_SHOWN - 3] + "..."


def open_source(src: Source) -> Opened:
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
