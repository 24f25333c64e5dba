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
import pandas as pd

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
# _LOW_BYTES[n]: the mask keeping the low n bytes of a 64-bit number
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
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


def _ascii_bytes(raw: bytes, lowercase: bool, line_ends: bool) -> np.ndarray:
    """ASCII text mapped by the table, with stray apostrophes and hyphens blanked: spaces between
    tokens, LINE_END bytes (1) where lines end."""
    a = np.frombuffer(raw.translate(_TABLES[lowercase, line_ends]), np.uint8)
    punct = (a == 39) | (a == 45)
    if punct.any():  # keep ' and - only between two letters or digits
        alnum = _IS_ALNUM[a]
        inside = np.zeros_like(punct)
        inside[1:-1] = alnum[:-2] & alnum[2:]
        a = a.copy()
        a[punct & ~inside] = 32
    return a


def _ascii_tokens(raw: bytes, lowercase: bool, line_ends: bool) -> list[str]:
    mapped = _ascii_bytes(raw, lowercase, line_ends).tobytes()
    if line_ends:
        mapped = mapped.replace(b"\x01", b" \x01 ")
    return mapped.decode("ascii").split()


_MIX = np.uint64(0x9E3779B97F4A7C15)  # spreads a token's second 8 bytes over its 64-bit lookup number


class Vocabulary:
    """Word -> id in first-seen order, and the ids of each block of text (-1 for a line end).

    ASCII blocks never become Python strings token by token. A token of up to 16 bytes is read as
    two 64-bit numbers (its bytes, zero-padded: exact, as no token holds a zero byte); pandas' hash
    tables find the block's distinct tokens, and an index of the tokens seen before (looked up by
    a number mixed from the two, every hit checked against both) finds the known ones. Only words
    new to the corpus become strings here, once each; tokens longer than 16 bytes (about one in a
    thousand) are looked up one by one. Words are numbered in the order of their first use, as if
    every token had been looked up in turn.
    """

    def __init__(self) -> None:
        self._ids: dict[str, int] = {LINE_END: -1}
        # tokens of up to 16 bytes seen before: (first 8 bytes, next 8) -> id, found by their mix
        self._lo = np.array([1], np.uint64)  # LINE_END
        self._hi = np.zeros(1, np.uint64)
        self._key_ids = np.array([-1], np.int32)
        self._index = pd.Index(self._lo ^ (self._hi * _MIX))

    def __len__(self) -> int:
        return len(self._ids) - 1

    def words(self) -> list[str]:
        return [w for w in self._ids if w != LINE_END]

    def block_ids(self, text: str, lowercase: bool = True) -> np.ndarray:
        """The int32 ids of ``text``'s tokens, -1 after each line."""
        if not text.isascii():
            return self._lookup(tokenize(text, lowercase, line_ends=True))
        a = _ascii_bytes(text.encode("ascii"), lowercase, True)
        tok, end = a != 32, a == 1
        apart = np.ones(a.size + 1, bool)  # a token boundary before each byte (and after the last)
        apart[1:-1] = ~(tok[1:] & tok[:-1]) | end[1:] | end[:-1]
        starts = np.flatnonzero(tok & apart[:-1])
        length = np.flatnonzero(tok & apart[1:]) + 1 - starts
        raw = a.tobytes()
        out = np.empty(starts.size, np.int32)

        fit = np.flatnonzero(length <= 16)
        pad = np.concatenate([a, np.zeros(16, np.uint8)])
        eight = np.lib.stride_tricks.as_strided(pad, shape=(a.size + 8, 8), strides=(1, 1))  # 8 bytes from each on
        n = length[fit]
        lo = eight[starts[fit]].view("<u8")[:, 0] & _LOW_BYTES[np.minimum(n, 8)]
        hi = eight[starts[fit] + 8].view("<u8")[:, 0] & _LOW_BYTES[np.clip(n - 8, 0, 8)]
        codes = pd.factorize(lo ^ (hi * _MIX), sort=False)[0]
        first = _first_uses(codes)  # where each distinct token is first used, in ``fit``
        dlo, dhi = lo[first], hi[first]
        if not ((dlo[codes] == lo) & (dhi[codes] == hi)).all():  # two tokens of the block share a mix: exactly
            lo_codes, lo_keys = pd.factorize(lo, sort=False)
            codes = pd.factorize(pd.factorize(hi, sort=False)[0] * len(lo_keys) + lo_codes, sort=False)[0]
            first = _first_uses(codes)
            dlo, dhi = lo[first], hi[first]
        found = self._index.get_indexer(dlo ^ (dhi * _MIX))
        hit = found >= 0
        hit[hit] = (self._lo[found[hit]] == dlo[hit]) & (self._hi[found[hit]] == dhi[hit])
        lut = np.where(hit, self._key_ids[found], -2).astype(np.int32)
        miss = np.flatnonzero(~hit)
        words = [
            raw[s : s + k].decode("ascii")
            for s, k in zip(starts[fit[first[miss]]].tolist(), n[first[miss]].tolist(), strict=True)
        ]

        long_pos = np.flatnonzero(length > 16)
        long_words = [
            raw[s : s + k].decode("ascii")
            for s, k in zip(starts[long_pos].tolist(), length[long_pos].tolist(), strict=True)
        ]
        # words new to the corpus, numbered in the order of their first use in the block
        pos = np.concatenate([fit[first[miss]], long_pos])
        ids = self._ids
        for i in np.argsort(pos, kind="stable").tolist():
            w = words[i] if i < len(words) else long_words[i - len(words)]
            if w not in ids:
                ids[w] = len(ids) - 1
        if miss.size:
            lut[miss] = np.fromiter(map(ids.__getitem__, words), np.int32, len(words))
            self._remember(dlo[miss], dhi[miss], lut[miss])
        out[fit] = lut[codes]
        out[long_pos] = np.fromiter(map(ids.__getitem__, long_words), np.int32, len(long_words))
        return out

    def _remember(self, lo: np.ndarray, hi: np.ndarray, ids: np.ndarray) -> None:
        """Add tokens to the index of known ones; one whose mix another has already stays out
        (it is then found through the word dictionary, as a miss, every time)."""
        mix = lo ^ (hi * _MIX)
        fresh = self._index.get_indexer(mix) < 0
        _, once = np.unique(mix, return_index=True)
        keep = np.zeros(mix.size, bool)
        keep[once] = True
        keep &= fresh
        if keep.any():
            self._lo = np.concatenate([self._lo, lo[keep]])
            self._hi = np.concatenate([self._hi, hi[keep]])
            self._key_ids = np.concatenate([self._key_ids, ids[keep]])
            self._index = self._index.append(pd.Index(mix[keep]))

    def _lookup(self, tokens: list[str]) -> np.ndarray:
        ids = self._ids
        for t in tokens:
            if t not in ids:
                ids[t] = len(ids) - 1
        return np.fromiter(map(ids.__getitem__, tokens), np.int32, len(tokens))


def _first_uses(codes: np.ndarray) -> np.ndarray:
    """Where each code is first used, for codes numbered in order of first use (pd.factorize)."""
    if codes.size == 0:
        return np.zeros(0, np.int64)
    top = np.maximum.accumulate(codes)
    grows = np.empty(codes.size, bool)
    grows[0] = True
    np.greater(top[1:], top[:-1], out=grows[1:])
    return np.flatnonzero(grows)
