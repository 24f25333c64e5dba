"""word2vec text parsed by several forked processes at once, each a run of whole lines.

Parsing the numbers is most of an import (bench/RESULTS.md), and pandas' parser uses one core; so
the file is cut at line starts into ``workers`` byte ranges; the process itself parses the first
and a child each of the others, into its rows of one shared (anonymous, ``MAP_SHARED``) matrix,
sending back its words; then the parts are checked to meet. Any doubt (a child's error, rows that
do not add up) returns None: the caller then parses in one process, which names the exact line
and problem.

Only for the command line: forking a process that runs other threads (a Streamlit server) can
leave the child waiting on a lock one of them held.
"""

from __future__ import annotations

import io
import mmap
import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

MIN_ROWS = 20_000  # below this the fork costs more than it saves

# (source, skip, matrix, first row, dim) -> (words, rows read): text._parse_into
ParseInto = Callable[[Any, int, np.ndarray, int, int], tuple[list[str], int]]


class _Range(io.RawIOBase):
    """Bytes ``lo`` to ``hi`` of an open binary file, as a file of their own."""

    def __init__(self, f: io.BufferedReader, lo: int, hi: int):
        f.seek(lo)
        self._f, self._left = f, hi - lo

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = min(len(b), self._left)
        if n <= 0:
            return 0
        got = self._f.readinto(memoryview(b)[:n]) or 0
        self._left -= got
        return got


def newlines(f: io.BufferedReader, lo: int, hi: int) -> int:
    """The line ends in bytes ``lo`` to ``hi`` of ``f``, read 16 MB at a time."""
    f.seek(lo)
    n, left = 0, hi - lo
    while left > 0 and (block := f.read(min(left, 1 << 24))):
        n += block.count(b"\n")
        left -= len(block)
    return n


def _part(path: Path, cuts: list[int], k: int, matrix: np.ndarray, dim: int, parse: ParseInto):
    """Part ``k``: its first row, its number of rows and their words; None if it does not parse."""
    try:
        with open(path, "rb") as f:
            row = newlines(f, cuts[0], cuts[k])  # the rows of the parts before this one
            words, n = parse(io.BufferedReader(_Range(f, cuts[k], cuts[k + 1]), 1 << 20), 0, matrix, row, dim)
        return row, n, words
    except Exception:  # the caller parses again in one process and names the problem
        return None


def _child(conn: Any, *args: Any) -> None:
    try:
        conn.send(_part(*args))
    finally:
        conn.close()


def parse(path: Path, skip: int, count: int, dim: int, workers: int, parse_into: ParseInto):
    """``(words, matrix)`` of a word2vec text file's ``count`` rows (after ``skip`` header lines)
    parsed by ``workers`` processes, or None if that is not possible or any part failed."""
    if workers < 2 or count < MIN_ROWS or "fork" not in multiprocessing.get_all_start_methods():
        return None
    size = path.stat().st_size
    with open(path, "rb") as f:
        for _ in range(skip):
            f.readline()
        cuts = [f.tell()]
        for k in range(1, workers):  # near equal shares, each moved on to the next line start
            f.seek(max(cuts[-1], cuts[0] + (size - cuts[0]) * k // workers))
            f.readline()
            cuts.append(f.tell())
    cuts.append(size)
    shared = mmap.mmap(-1, max(1, count * dim * 4))  # anonymous and shared: the children write into it
    matrix = np.frombuffer(shared, dtype=np.float32, count=count * dim).reshape(count, dim)
    ctx = multiprocessing.get_context("fork")
    pipes, procs = [], []
    for k in range(1, workers):  # the first part is parsed here, meanwhile
        ours, theirs = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_child, args=(theirs, path, cuts, k, matrix, dim, parse_into), daemon=True)
        p.start()
        theirs.close()
        pipes.append(ours)
        procs.append(p)
    try:
        parts = [_part(path, cuts, 0, matrix, dim, parse_into)]
        for conn in pipes:
            try:
                parts.append(conn.recv())
            except EOFError:  # the child died (out of memory?)
                parts.append(None)
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
    words: list[str] = []
    row = 0
    for got in parts:
        if got is None or got[0] != row:
            return None
        row += got[1]
        words.extend(got[2])
    return (words, matrix) if row == count else None
