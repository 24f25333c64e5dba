"""Tokenising: text into word tokens, with a marker where each line ends.

A token is a run of letters or digits (any script); an apostrophe or hyphen is kept only
*inside* a word, between two letters or digits. Line ends are kept as the marker
:data:`LINE_END` so that the reader can record where lines (the trainer's sentences) begin.

ASCII text, by far the most common, takes a path with no regular expression: bytes are mapped
by one 256-entry table (case, and everything that is not part of a token becomes a space), the
apostrophes and hyphens not between two letters or digits are blanked with numpy, and
``str.split`` cuts the tokens: the same tokens as the expression, several times faster
(bench/RESULTS.md). Other text goes through the expression.
"""

from __future__ import annotations

import re

import numpy as np

LINE_END = "\x01"  # stands for a line end in token lists; never part of a token
# Letters and digits (any script); an apostrophe or hyphen is kept only *inside* a word.
_TOKEN = re.compile(r"[^\W_]++(?:['\u2019\-][^\W_]++)*+")  # possessive: less backtracking, same tokens
_TOKEN_OR_LINE = re.compile(r"[^\W_]++(?:['\u2019\-][^\W_]++)*+|\n")

_ALNUM = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _table(lowercase: bool, line_ends: bool) -> bytes:
    out = bytearray(b" " * 256)
    for c in _ALNUM + b"'-":
        out[c] = c
    if lowercase:
        for c in range(65, 91):
            out[c] = c + 32
    if line_ends:
        out[10] = 1  # "\n" -> LINE_END
    return bytes(out)


_TABLES = {(lc, le): _table(lc, le) for lc in (True, False) for le in (True, False)}
_IS_ALNUM = np.zeros(256, bool)
_IS_ALNUM[np.frombuffer(_ALNUM, np.uint8)] = True


def tokenize(text: str, lowercase: bool = True, line_ends: bool = False) -> list[str]:
    """The word tokens of ``text``; with ``line_ends``, :data:`LINE_END` after each line."""
    if text.isascii():
        return _ascii_tokens(text.encode("ascii"), lowercase, line_ends)
    if lowercase:
        text = text.lower()
    if not line_ends:
        return _TOKEN.findall(text)
    return [LINE_END if t == "\n" else t for t in _TOKEN_OR_LINE.findall(text)]


def _ascii_tokens(raw: bytes, lowercase: bool, line_ends: bool) -> list[str]:
    mapped = raw.translate(_TABLES[lowercase, line_ends])
    a = np.frombuffer(mapped, np.uint8)
    punct = (a == 39) | (a == 45)
    if punct.any():  # keep ' and - only between two letters or digits
        alnum = _IS_ALNUM[a]
        inside = np.zeros_like(punct)
        inside[1:-1] = alnum[:-2] & alnum[2:]
        a = a.copy()
        a[punct & ~inside] = 32
        mapped = a.tobytes()
    if line_ends:
        mapped = mapped.replace(b"\x01", b" \x01 ")
    return mapped.decode("ascii").split()
