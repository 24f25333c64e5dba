"""word2vec text (``COUNT DIM`` header) and GloVe (no header) files.

Reading uses pandas' C parser in chunks into one preallocated float32 matrix (fast, and memory
stays near the size of the result). When that parser objects, or finds NaN/inf, the file is
scanned line by line to name the exact line and problem.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic import atomic_file
from ..embeddings import EmbeddingSet
from ..errors import FormatError, MissingFileError
from . import text_parts
from ._util import check_finite, check_words, first_line, pandas_floats, parse_numbers

_CHUNK = 50_000


def read_word2vec(path: str | os.PathLike, workers: int = 1) -> EmbeddingSet:
    """``workers`` > 1: parse in that many forked processes (``text_parts``; the command line only)."""
    return _read(Path(path), header=True, workers=workers)


def read_glove(path: str | os.PathLike) -> EmbeddingSet:
    return _read(Path(path), header=False)


def _count_lines(path: Path) -> tuple[int, bool]:
    """Number of lines, and whether the file ends without a final newline."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        n = text_parts.newlines(f, 0, size)
        f.seek(max(0, size - 1))
        last = f.read(1) or b"\n"
    return n + (last != b"\n"), last != b"\n"


def _read(path: Path, header: bool, workers: int = 1) -> EmbeddingSet:
    name = str(path)
    try:
        with open(path, "rb") as f:
            first = f.readline()
    except FileNotFoundError:
        raise MissingFileError(f"{name}: no such file; check the path") from None
    except OSError as exc:
        raise FormatError(f"{name}: cannot open ({exc.strerror}); check the path") from None
    if not first.strip():
        raise FormatError(f"{name}, line 1: the file is empty or starts with a blank line")
    skip, got = 0, None
    if header:
        parts = first.split()
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise FormatError(
                f"{name}, line 1: expected the header 'COUNT DIMENSIONS' of the word2vec text "
                "format; for a file without header use --format glove"
            )
        count, dim = int(parts[0]), int(parts[1])
        skip = 1
        if count >= 1 and dim >= 1 and count * (2 * dim + 1) <= path.stat().st_size:
            # exactly ``count`` rows parsed means the header is right: the lines need no count
            got = text_parts.parse(path, skip, count, dim, workers, _parse_into)
        if got is None and count != (lines := _count_lines(path)[0]) - 1:
            raise FormatError(
                f"{name}, line 1: the header says {count} words but the file has {lines - 1} "
                "vector lines; fix the header"
            )
    else:
        dim = len(first.rstrip().split(b" ")) - 1
        count = _count_lines(path)[0]
        if dim < 1:
            raise FormatError(f"{name}, line 1: expected a word followed by numbers")
    if count < 1 or dim < 1:
        raise FormatError(f"{name}: no vectors (header {count} x {dim}); the file is empty")
    if got is None and count * (2 * dim + 1) > path.stat().st_size:  # a row is at least "w" + dim * " 0" + "\n"
        _diagnose(path, skip, dim, header)  # names the bad header or the short row
        raise FormatError(
            f"{name}: too short for {count} x {dim} numbers; the file is truncated or the header is wrong"
        )
    try:
        words, matrix = got or _fast_parse(path, skip, count, dim)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, IndexError) as exc:
        _diagnose(path, skip, dim, header)
        raise FormatError(
            f"{name}: unreadable as {'word2vec' if header else 'GloVe'} text ({first_line(exc)})"
        ) from None
    if not np.isfinite(matrix).all():
        _diagnose(path, skip, dim, header)
        check_finite(matrix, name, skip + 1)
    check_words(words, name, skip + 1)
    return EmbeddingSet(words, matrix, source=name)


def _fast_parse(path: Path, skip: int, count: int, dim: int) -> tuple[list[str], np.ndarray]:
    matrix = np.empty((count, dim), dtype=np.float32)
    words, rows = _parse_into(path, skip, matrix, 0, dim)
    if rows != count:
        raise ValueError(f"{rows} rows read, {count} expected")
    return words, matrix


def _parse_into(source, skip: int, matrix: np.ndarray, start: int, dim: int) -> tuple[list[str], int]:
    """Parse the rows of ``source`` (a path or binary file) into ``matrix`` from row ``start`` on;
    returns their words and how many there were."""
    # One spare column swallows the trailing space the C word2vec tool writes after each row.
    cols = list(range(dim + 2))
    dtypes = {0: object, dim + 1: object, **{i: np.float64 for i in range(1, dim + 1)}}
    reader = pd.read_csv(
        source,
        sep=" ",
        header=None,
        names=cols,
        dtype=dtypes,
        skiprows=skip,
        quoting=csv.QUOTE_NONE,
        engine="c",
        keep_default_na=False,
        na_values=[],
        na_filter=True,
        encoding="utf-8",
        chunksize=_CHUNK,
        skip_blank_lines=False,
        index_col=False,
        **pandas_floats(),
    )
    words: list[str] = []
    row = start
    for chunk in reader:
        tail = chunk[dim + 1]
        if not (tail.isna() | (tail == "")).all():
            raise ValueError("a row has more fields than the first")
        n = len(chunk)
        if row + n > matrix.shape[0]:
            raise ValueError("more rows than expected")
        with np.errstate(over="ignore"):  # beyond float32: inf, refused by the caller
            matrix[row : row + n] = chunk.iloc[:, 1 : dim + 1].to_numpy(np.float32)
        words.extend(chunk[0].tolist())
        row += n
    return words, row - start


def _usual_dim(path: Path, skip: int, sample: int = 1000) -> int:
    """The number of values most of the first ``sample`` rows have (the rows' own dimension)."""
    sizes: Counter[int] = Counter()
    with open(path, "rb") as f:
        for n, raw in enumerate(f):
            if n >= skip + sample:
                break
            if n >= skip and raw.strip():
                sizes[len(raw.rstrip(b"\r\n").rstrip(b" ").split(b" ")) - 1] += 1
    return sizes.most_common(1)[0][0] if sizes else 0


def _diagnose(path: Path, skip: int, dim: int, header: bool) -> None:
    """Scan line by line and raise a FormatError naming the first bad line (if any).

    A row is measured against what most rows hold, so a short first row is blamed itself (not
    the row after it); a header that disagrees with most rows is blamed as the header."""
    usual = _usual_dim(path, skip)
    if header and usual and usual != dim:
        raise FormatError(
            f"{path}, line 1: the header says {dim} dimensions but the rows hold {usual} numbers; fix the header"
        )
    dim = usual or dim
    with open(path, "rb") as f:
        for n, raw in enumerate(f, start=1):
            if n <= skip:
                continue
            where = f"{path}, line {n}"
            try:
                line = raw.decode("utf-8").rstrip("\r\n").rstrip(" ")
            except UnicodeDecodeError:
                raise FormatError(f"{where}: not valid UTF-8; convert the file to UTF-8") from None
            fields = line.split(" ")
            if not line:
                raise FormatError(f"{where}: blank line; remove it")
            if len(fields) - 1 > dim:
                raise FormatError(
                    f"{where}: {len(fields) - 1} numbers, expected {dim} like the other rows (a ragged row, or "
                    f"a word holding a space, which {'word2vec' if header else 'GloVe'} text cannot hold); "
                    "fix or remove that line"
                )
            parse_numbers(fields[1:], where, dim)


def write_word2vec(es: EmbeddingSet, path: str | os.PathLike, header: bool = True) -> None:
    """Write text exactly as gensim's ``save_word2vec_format`` does (numbers via ``str(float32)``)."""
    with atomic_file(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as f:
        if header:
            f.write(f"{len(es)} {es.dim}\n")
        for start in range(0, len(es), 10_000):
            block = np.asarray(es.vectors[start : start + 10_000], dtype=np.float32)
            for w, row in zip(es.words[start : start + 10_000], block, strict=True):
                f.write(f"{w} {' '.join(map(str, row))}\n")


def write_glove(es: EmbeddingSet, path: str | os.PathLike) -> None:
    write_word2vec(es, path, header=False)
