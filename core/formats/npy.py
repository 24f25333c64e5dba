"""The seed's pair: a ``.npy`` matrix plus a vocabulary file with one word per line, same order.

Never unpickles: object arrays are refused. Exporting to ``PATH.npy`` writes ``PATH.vocab.txt``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..atomic import atomic_file
from ..embeddings import EmbeddingSet
from ..errors import FormatError, MissingFileError
from ._util import DAMAGED_NPY, check_finite, check_words, first_line, read_lines


def vocab_path_for(matrix_path: Path) -> Path:
    return matrix_path.with_name(matrix_path.stem + ".vocab.txt")


def read_vocab_lines(path: Path) -> list[str]:
    words = read_lines(path)
    check_words(words, str(path), 1)
    return words


def read_npy(path: str | os.PathLike, vocab: str | os.PathLike | None = None) -> EmbeddingSet:
    p = Path(path)
    vp = Path(vocab) if vocab else vocab_path_for(p)
    if not vocab and not vp.exists():
        raise FormatError(
            f"{p}: no vocabulary given and {vp.name} is not beside it; pass --vocab FILE "
            "(one word per line, in matrix row order)"
        )
    try:  # memory-mapped first: a header announcing more than the file holds is refused, not allocated
        m = np.load(p, mmap_mode="r", allow_pickle=False)
    except FileNotFoundError:
        raise MissingFileError(f"{p}: no such file; check the path") from None
    except ValueError as exc:
        if "pickle" in str(exc).lower() or "object" in str(exc).lower():
            raise FormatError(
                f"{p}: holds Python objects, which are never unpickled (unsafe); "
                "save a plain numeric array with np.save"
            ) from None
        raise FormatError(f"{p}: not a readable .npy file ({first_line(exc)}); save it with np.save") from None
    except DAMAGED_NPY as exc:  # "PK" at the start: numpy tries a zip
        raise FormatError(f"{p}: not a readable .npy file ({first_line(exc)}); save it with np.save") from None
    if isinstance(m, np.lib.npyio.NpzFile):
        m.close()
        raise FormatError(f"{p}: a .npz archive of arrays, not one matrix; save the matrix alone with np.save")
    if not isinstance(m, np.ndarray) or m.ndim != 2:
        raise FormatError(f"{p}: expected a 2-D matrix (words x dimensions), got shape {getattr(m, 'shape', '?')}")
    if not (np.issubdtype(m.dtype, np.floating) or np.issubdtype(m.dtype, np.integer)):
        raise FormatError(f"{p}: dtype {m.dtype} is not numeric; save a float matrix")
    words = read_vocab_lines(vp)
    if len(words) != m.shape[0]:
        raise FormatError(
            f"{vp}: {len(words)} words but {p.name} has {m.shape[0]} rows; "
            "the vocabulary and the matrix must have the same length"
        )
    with np.errstate(over="ignore"):  # float64 beyond float32's range becomes inf, refused below
        m = np.array(m, dtype=np.float32)
    check_finite(m, str(p))
    return EmbeddingSet(words, m, source=str(p))


def write_npy(es: EmbeddingSet, path: str | os.PathLike) -> list[Path]:
    p = Path(path)
    if p.suffix != ".npy":
        p = p.with_name(p.name + ".npy")
    vp = vocab_path_for(p)
    for w in es.words:
        if "\n" in w or "\r" in w:
            raise FormatError(f"the word {w!r} contains a line break; it cannot be written one per line")
    with atomic_file(p) as tmp_m, atomic_file(vp) as tmp_v:
        with open(tmp_m, "wb") as f:
            np.save(f, np.asarray(es.vectors, dtype=np.float32))
        tmp_v.write_text("".join(w + "\n" for w in es.words), encoding="utf-8")
    return [p, vp]
