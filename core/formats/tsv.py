"""The TensorFlow Embedding Projector pair: a folder with ``vectors.tsv`` (tab-separated numbers)
and ``metadata.tsv`` (one word per line, or a header row when there are several columns)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic import atomic_dir
from ..embeddings import EmbeddingSet
from ..errors import FormatError
from ._util import check_finite, check_words, first_line, pandas_floats, parse_numbers, read_lines

CONFIG = """embeddings {
  tensor_name: "word2vec"
  tensor_path: "vectors.tsv"
  metadata_path: "metadata.tsv"
}
"""


def read_tsv(path: str | os.PathLike, vocab: str | os.PathLike | None = None) -> EmbeddingSet:
    p = Path(path)
    vec = p / "vectors.tsv" if p.is_dir() else p
    meta = Path(vocab) if vocab else vec.with_name("metadata.tsv")
    if not vec.is_file():
        raise FormatError(f"{p}: no vectors.tsv found; give the Projector folder or its vectors.tsv")
    if not meta.is_file():
        raise FormatError(
            f"{meta}: missing; the Projector format needs metadata.tsv beside vectors.tsv (or pass --vocab FILE)"
        )
    try:
        with np.errstate(over="ignore"):  # beyond float32: inf, refused below
            m = pd.read_csv(
                vec,
                sep="\t",
                header=None,
                dtype=np.float64,
                quoting=csv.QUOTE_NONE,
                engine="c",
                skip_blank_lines=False,
                **pandas_floats(),
            ).to_numpy(np.float32)
    except pd.errors.EmptyDataError:  # a ValueError too: caught first
        raise FormatError(f"{vec}: the file is empty; expect tab-separated numbers") from None
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        _diagnose(vec)
        raise FormatError(f"{vec}: unreadable ({first_line(exc)}); expect tab-separated numbers") from None
    if not np.isfinite(m).all():
        _diagnose(vec)
        check_finite(m, str(vec), 1)
    words, counts = _read_metadata(meta)
    if len(words) != m.shape[0]:
        raise FormatError(
            f"{meta}: {len(words)} words but {vec.name} has {m.shape[0]} rows; they must have the same length"
        )
    return EmbeddingSet(words, m, counts, source=str(vec))


def _diagnose(vec: Path) -> None:
    dim = None
    with open(vec, "rb") as f:
        for n, raw in enumerate(f, start=1):
            where = f"{vec}, line {n}"
            try:
                fields = raw.decode("utf-8").rstrip("\r\n").split("\t")
            except UnicodeDecodeError:
                raise FormatError(f"{where}: not valid UTF-8") from None
            parse_numbers(fields, where, dim)
            dim = len(fields)


def _read_metadata(meta: Path) -> tuple[list[str], np.ndarray | None]:
    lines = read_lines(meta)
    if lines and "\t" in lines[0]:  # several columns: the first line is a header
        header = lines[0].split("\t")
        rows = [ln.split("\t") for ln in lines[1:]]
        for n, r in enumerate(rows, start=2):
            if len(r) != len(header):  # a word holding a tab shows up here too
                raise FormatError(
                    f"{meta}, line {n}: {len(r)} tab-separated fields, expected {len(header)} like the header "
                    "(a ragged row; a word cannot hold a tab); fix that line"
                )
        col = header.index("word") if "word" in header else 0
        words = [r[col] for r in rows]
        check_words(words, str(meta), 2)
        counts = None
        if "count" in header:
            ci = header.index("count")
            vals = [r[ci] for r in rows]
            # counts only if all are plain numbers that fit int64 (str.isdigit also says yes to "²")
            if all(v.isascii() and v.isdigit() and len(v) < 19 for v in vals):
                counts = np.array(vals, dtype=np.int64)
        return words, counts
    check_words(lines, str(meta), 1)
    return lines, None


def write_tsv(es: EmbeddingSet, path: str | os.PathLike) -> list[Path]:
    for w in es.words:
        if any(ch in w for ch in "\t\n\r"):
            raise FormatError(f"the word {w!r} contains a tab or line break; the Projector format cannot hold it")
    with atomic_dir(path) as tmp:
        with open(tmp / "vectors.tsv", "w", encoding="utf-8", newline="\n") as f:
            for start in range(0, len(es), 10_000):
                for row in np.asarray(es.vectors[start : start + 10_000], dtype=np.float32):
                    f.write("\t".join(map(str, row)) + "\n")
        with open(tmp / "metadata.tsv", "w", encoding="utf-8", newline="\n") as f:
            if es.counts is not None:
                f.write("word\tcount\n")
                f.writelines(f"{w}\t{int(c)}\n" for w, c in zip(es.words, es.counts, strict=True))
            else:
                f.writelines(w + "\n" for w in es.words)
        (tmp / "projector_config.pbtxt").write_text(CONFIG, encoding="utf-8")
    out = Path(path)
    return [out / "vectors.tsv", out / "metadata.tsv", out / "projector_config.pbtxt"]
