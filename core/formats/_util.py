"""Helpers shared by the format readers and writers: line-level checks (atomic output is core.atomic)."""

from __future__ import annotations

import math
import tokenize
import zipfile
from pathlib import Path

import numpy as np

from ..errors import FormatError, MissingFileError


# pandas' C parser: before pandas 3 only "round_trip" reads every float exactly; pandas 3 does by
# default and deprecates the argument
def pandas_floats() -> dict:
    """``read_csv``'s option for exact floats: pandas 3 parses them exactly by default."""
    import pandas as pd  # here, not at import: a bundle's save needs no pandas (0.3 s to load)

    return {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


# What np.load raises for a damaged .npy besides ValueError (which the readers look into first):
# its header is a Python literal read by ast.literal_eval (TypeError for an unhashable key,
# RecursionError, MemoryError) and, for headers of format 1 and 2 that do not parse, by the
# tokenize module (TokenError, a bare Exception subclass); "PK" at the start makes numpy try a zip.
DAMAGED_NPY = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    TypeError,
    SyntaxError,
    tokenize.TokenError,
    RecursionError,
    MemoryError,
    OverflowError,
)
# a word holding one of these cannot be stored in a bundle's vocab.tsv (word<TAB>count per line)
UNSTORABLE = "\t\n\r"


def first_line(exc: BaseException) -> str:
    """An exception's message as one short line, for inside a FormatError's message."""
    lines = [ln for ln in str(exc).splitlines() if ln.strip()]
    return lines[0][:200] if lines else type(exc).__name__


def parse_numbers(fields: list[str], where: str, dim: int | None) -> list[float]:
    """Parse one row of numbers, raising a FormatError that says exactly what is wrong."""
    if dim is not None and len(fields) != dim:
        raise FormatError(
            f"{where}: {len(fields)} numbers, expected {dim} like the other rows "
            "(a ragged row); fix or remove that line"
        )
    out = []
    for x in fields:
        try:
            v = float(x)
        except ValueError:
            raise FormatError(f"{where}: {x[:30]!r} is not a number; fix or remove that line") from None
        if not math.isfinite(v):
            raise FormatError(f"{where}: {x!r} is not a finite number (NaN/inf); fix or remove that line")
        out.append(v)
    return out


def has_unstorable(words: list[str]) -> bool:
    """Whether any word holds a tab or line break (one search of all the words at once)."""
    joined = " ".join(words)
    return any(ch in joined for ch in UNSTORABLE)


def check_words(words: list[str], name: str, first_line: int, unit: str = "line") -> None:
    """Refuse empty and duplicate words and words with a tab or line break (which no bundle can
    hold), naming the line (``first_line`` is the line of word 0)."""
    if not has_unstorable(words) and "" not in (distinct := set(words)) and len(distinct) == len(words):
        return  # the usual case, checked in C; otherwise the loop below names the first problem
    seen: dict[str, int] = {}
    for i, w in enumerate(words):
        if not w:
            raise FormatError(f"{name}, {unit} {first_line + i}: the word is empty; fix or remove that line")
        if any(ch in w for ch in UNSTORABLE):
            raise FormatError(
                f"{name}, {unit} {first_line + i}: the word {w[:40]!r} contains a tab or line break, "
                "which a word cannot hold; fix or remove that line"
            )
        if w in seen:
            raise FormatError(
                f"{name}, {unit} {first_line + i}: the word {w[:40]!r} already appeared as {unit} "
                f"{first_line + seen[w]}; each word must be unique"
            )
        seen[w] = i


def check_finite(m: np.ndarray, name: str, first_line: int | None = None) -> None:
    """Refuse NaN and infinite values (also numbers too large for float32, read as inf)."""
    bad = np.flatnonzero(~np.isfinite(m).all(axis=1))
    if bad.size:
        where = f"{name}, line {first_line + int(bad[0])}" if first_line is not None else f"{name}, row {int(bad[0])}"
        raise FormatError(
            f"{where}: contains NaN or infinite values (or numbers beyond float32's 3.4e38); fix or remove that row"
        )


def read_lines(path: Path) -> list[str]:
    """Lines of a UTF-8 text file (BOM and CR/LF tolerated), with errors that name the line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MissingFileError(f"{path}: no such file; check the path (or pass --vocab FILE)") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(f"{path}, line {line}: not valid UTF-8; convert the file to UTF-8") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
