"""The binary word2vec format: ``COUNT DIM\\n`` then, per word, ``word `` and DIM little-endian
float32 values (word2vec.c adds a newline after each vector; gensim does not; both are read)."""

from __future__ import annotations

import os

import numpy as np

from ..atomic import atomic_file
from ..embeddings import EmbeddingSet
from ..errors import FormatError, MissingFileError
from ._util import check_finite, check_words


def read_word2vec_bin(path: str | os.PathLike) -> EmbeddingSet:
    name = str(path)
    try:
        data = np.memmap(path, dtype=np.uint8, mode="r")
    except FileNotFoundError:
        raise MissingFileError(f"{name}: no such file; check the path") from None
    except (OSError, ValueError) as exc:
        raise FormatError(f"{name}: cannot open ({exc}); check the path (an empty file cannot be read)") from None
    buf = data.data  # a memoryview of the mapped bytes
    nl = bytes(buf[:100]).find(b"\n")
    parts = bytes(buf[:nl]).split() if nl > 0 else []
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise FormatError(
            f"{name}: the first line must be the header 'COUNT DIMENSIONS'; is this a word2vec binary file?"
        )
    count, dim = int(parts[0]), int(parts[1])
    if count < 1 or dim < 1:
        raise FormatError(f"{name}: the header says {count} x {dim}; the file holds no vectors")
    size = dim * 4
    raw = bytes(buf)  # one copy of the bytes; words are found with bytes.find (C speed)
    pos = nl + 1
    words: list[str] = []
    # each entry takes size + 1 bytes at least: never more room than the file can fill, whatever the header says
    offsets = np.empty(min(count, (len(raw) - pos) // (size + 1) + 1), dtype=np.int64)
    for i in range(count):
        if pos < len(raw) and raw[pos] == 0x0A:
            pos += 1
        sp = raw.find(b" ", pos, pos + 10_000)
        if sp < 0 or sp + 1 + size > len(raw):
            raise FormatError(
                f"{name}: the header says {count} words but the file ends after {i}; "
                "the file is truncated or the header is wrong"
            )
        try:
            words.append(raw[pos:sp].decode("utf-8"))
        except UnicodeDecodeError:
            raise FormatError(f"{name}: word {i + 1} is not valid UTF-8; the file is damaged") from None
        offsets[i] = sp + 1
        pos = sp + 1 + size
    rest = raw[pos:].strip(b"\n")
    if rest:
        raise FormatError(
            f"{name}: {len(rest)} bytes follow the {count} words the header announces; "
            "the header is wrong or the dimensions disagree"
        )
    matrix = np.empty((count, dim), dtype=np.float32)
    for i, off in enumerate(offsets):
        matrix[i] = np.frombuffer(raw, dtype="<f4", count=dim, offset=int(off))
    check_words(words, name, 1, unit="word")
    check_finite(matrix, name)
    return EmbeddingSet(words, matrix, source=name)


def write_word2vec_bin(es: EmbeddingSet, path: str | os.PathLike) -> None:
    """Write bytes identical to gensim's ``save_word2vec_format(binary=True)``."""
    with atomic_file(path) as tmp, open(tmp, "wb") as f:
        f.write(f"{len(es)} {es.dim}\n".encode())
        for start in range(0, len(es), 10_000):
            block = np.asarray(es.vectors[start : start + 10_000], dtype="<f4")
            for w, row in zip(es.words[start : start + 10_000], block, strict=True):
                f.write(w.encode("utf-8") + b" " + row.tobytes())
