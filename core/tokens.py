"""Tokenising: text into word tokens, with a marker where each line ends.

A token is a run of letters or digits (any script); an apostrophe or hyphen is kept only
*inside* a word, between two letters or digits. Line ends are kept as the marker
:data:`LINE_END` so that the reader can record where lines (the trainer's sentences) begin.

ASCII text, by far the most common, takes a path with no regular expression: bytes are mapped
by 256-entry tables (case; everything that is not part of a token becomes a space), numpy finds
the runs of letters and digits and joins two runs that one apostrophe or hyphen links
(``_spans``): the same tokens as the expression, several times faster (bench/RESULTS.md). Other
text goes through the expression.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

LINE_END = "\x01"  # stands for a line end in token lists; never part of a token
# Letters and digits (any script); an apostrophe or hyphen is kept only *inside* a word.
_TOKEN = re.compile(r"[^\W_]++(?:['\u2019\-][^\W_]++)*+")  # possessive: less backtracking, same tokens
_TOKEN_OR_LINE = re.compile(r"[^\W_]++(?:['\u2019\-][^\W_]++)*+|\n")
# a non-ASCII character that is neither a letter, a digit nor U+2019 (which joins): it only parts tokens
_PARTING = re.compile(r"[^\w\x00-\x7f\u2019]")

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
_IS_PUNCT = np.zeros(256, bool)  # the apostrophe and the hyphen, kept between letters or digits
_IS_PUNCT[np.frombuffer(b"'-", np.uint8)] = True
# by line_ends: letters and digits kept, line ends (as LINE_END) too or not, all else a space
_RUNS = {le: bytes(c if c in _ALNUM else 1 if c == 10 and le else 32 for c in range(256)) for le in (True, False)}


def tokenize(text: str, lowercase: bool = True, line_ends: bool = False) -> list[str]:
    """The word tokens of ``text``; with ``line_ends``, :data:`LINE_END` after each line."""
    if text.isascii():
        return _ascii_tokens(text.encode("ascii"), lowercase, line_ends)
    if lowercase:
        text = text.lower()
    if not line_ends:
        return _TOKEN.findall(text)
    return [LINE_END if t == "\n" else t for t in _TOKEN_OR_LINE.findall(text)]


def _spans(raw: bytes, lowercase: bool, line_ends: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ASCII ``raw`` mapped by the table, and where each token starts and how long it is.

    Each line end (with ``line_ends``) becomes a token of its own between spaces, and the text gets
    16 spaces of room, so 16 bytes can be read from any token on. The runs of letters and digits
    are found in a second mapping that leaves apostrophes and hyphens out; a run joined to the next
    by exactly one of them is one token with it."""
    text = (raw.replace(b"\n", b" \n ") if line_ends else raw) + b" " * 16
    a = np.frombuffer(text.translate(_TABLES[lowercase, line_ends]), np.uint8)
    tok = np.zeros(a.size + 1, bool)  # tok[i + 1]: byte i is a letter, a digit or a line end
    np.not_equal(np.frombuffer(text.translate(_RUNS[line_ends]), np.uint8), 32, out=tok[1:])
    edges = np.flatnonzero(tok[1:] != tok[:-1])  # where each run starts, then ends
    starts, ends = edges[0::2], edges[1::2]
    join = (starts[1:] == ends[:-1] + 1) & _IS_PUNCT[a[ends[:-1]]]
    if join.any():
        starts, ends = starts[np.r_[True, ~join]], ends[np.r_[~join, True]]
    return a, starts, ends - starts


def _ascii_tokens(raw: bytes, lowercase: bool, line_ends: bool) -> list[str]:
    return _strings(*_spans(raw, lowercase, line_ends))


_MAX_RUNS = 256  # a block with more runs of non-ASCII lines goes through the expression whole
_MIX = np.uint64(0x9E3779B97F4A7C15)  # spreads a token's second 8 bytes over its 64-bit lookup number


class _Ascii(NamedTuple):
    """A run of ASCII text, tokenised and hashed: all :meth:`Vocabulary.ids_of` needs, made without
    the vocabulary (so ahead of it, in another thread). "Distinct" fields have one entry per
    distinct token of up to 16 bytes, in the order of first use."""

    a: np.ndarray  # the mapped bytes (tokens are read from them)
    n_tokens: int
    fit: np.ndarray  # the tokens of up to 16 bytes
    codes: np.ndarray  # each one's distinct token
    dpos: np.ndarray  # distinct: where first used, among all the tokens
    dstart: np.ndarray  # distinct: its bytes in ``a``
    dlen: np.ndarray
    dlo: np.ndarray  # distinct: its first 8 bytes and next 8, as numbers
    dhi: np.ndarray
    dmix: np.ndarray  # distinct: the two mixed, and their sort order (for the search)
    dorder: np.ndarray
    long_pos: np.ndarray  # the tokens longer than 16 bytes, and their strings
    long_words: list[str]


Prepared = list[_Ascii | list[str]]  # a block as its runs: ASCII ones prepared, others as tokens


def prepare(text: str, lowercase: bool = True) -> Prepared:
    """The work on a block of text that needs no vocabulary (see :class:`Vocabulary`)."""
    if text.isascii():
        return [_prepare_ascii(text.encode("ascii"), lowercase)]
    # tokens never cross a line end: the runs of ASCII lines still take the fast path, and only
    # the runs of lines holding other characters the expression (few, in mostly-English text)
    raw = text.encode("utf-8")
    line, cuts = _non_ascii_lines(raw)
    if line.size > 4 * _MAX_RUNS:  # text in another script: softening would leave most lines as they are
        return [tokenize(text, lowercase, line_ends=True)]
    raw, line, cuts = _soften(raw, line, cuts)
    if not line.size:
        return [_prepare_ascii(raw, lowercase)]
    if line.size > _MAX_RUNS:
        return [tokenize(raw.decode("utf-8"), lowercase, line_ends=True)]
    first = np.r_[True, line[1:] != line[:-1] + 1]  # each run of such lines: its first and last
    last = np.r_[line[:-1] + 1 != line[1:], True]
    parts: Prepared = []
    at = 0
    for lo, hi in zip(cuts[line[first]].tolist(), cuts[line[last] + 1].tolist(), strict=True):
        parts.append(_prepare_ascii(raw[at:lo], lowercase))
        parts.append(tokenize(raw[lo:hi].decode("utf-8"), lowercase, line_ends=True))
        at = hi
    parts.append(_prepare_ascii(raw[at:], lowercase))
    return parts


def _non_ascii_lines(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The lines of ``raw`` that hold a non-ASCII byte (sorted), and where every line begins (plus
    the end)."""
    b = np.frombuffer(raw, np.uint8)
    ends = np.flatnonzero(b == 10) + 1  # where each line after the first begins
    line = np.unique(np.searchsorted(ends, np.flatnonzero(b >= 128), side="right"))
    return line, np.r_[0, ends, b.size]


def _soften(raw: bytes, line: np.ndarray, cuts: np.ndarray) -> tuple[bytes, np.ndarray, np.ndarray]:
    """``raw`` (its non-ASCII ``line``s and line ``cuts``, as :func:`_non_ascii_lines` gives them)
    with each non-ASCII character that only parts tokens made a space, which parts them alike (the
    same tokens, checked for every code point, lowercased too); and the same for the result: the
    lines left with other non-ASCII characters, and where its lines begin. Curly quotes and dashes
    in English text so leave their lines to the fast path."""
    out, at, kept = [], 0, []
    grown = np.zeros(cuts.size, np.int64)  # grown[i + 1]: how many bytes line i gained (lost: < 0)
    for i in line.tolist():
        lo, hi = int(cuts[i]), int(cuts[i + 1])
        soft = _PARTING.sub(" ", raw[lo:hi].decode("utf-8"))
        new = soft.encode("utf-8")
        out += [raw[at:lo], new]
        grown[i + 1] = len(new) - (hi - lo)
        if not soft.isascii():
            kept.append(i)
        at = hi
    out.append(raw[at:])
    return b"".join(out), np.array(kept, dtype=line.dtype), cuts + np.cumsum(grown)


def _prepare_ascii(raw: bytes, lowercase: bool) -> _Ascii:
    # pandas is loaded here, not at import: ``python -m core train`` forks its reading process
    # first and loads TensorFlow meanwhile (core.preread), without waiting 0.3 s for pandas
    import pandas as pd

    a, starts, length = _spans(raw, lowercase, True)
    fit = np.flatnonzero(length <= 16)
    # the 8 bytes from each offset on as one little-endian number (unaligned reads)
    u64 = np.ndarray((a.size - 8,), "<u8", a, 0, (1,))
    s, n = starts[fit], length[fit]
    lo = u64[s] & _LOW_BYTES[np.minimum(n, 8)]
    hi = u64[s + 8] & _LOW_BYTES[np.clip(n - 8, 0, 8)]
    codes = pd.factorize(lo ^ (hi * _MIX), sort=False)[0]
    first = _first_uses(codes)  # where each distinct token is first used, in ``fit``
    dlo, dhi = lo[first], hi[first]
    if not ((dlo[codes] == lo) & (dhi[codes] == hi)).all():  # two tokens of the block share a mix: exactly
        lo_codes, lo_keys = pd.factorize(lo, sort=False)
        codes = pd.factorize(pd.factorize(hi, sort=False)[0] * len(lo_keys) + lo_codes, sort=False)[0]
        first = _first_uses(codes)
        dlo, dhi = lo[first], hi[first]
    dmix = dlo ^ (dhi * _MIX)
    long_pos = np.flatnonzero(length > 16)
    long_words = _strings(a, starts[long_pos], length[long_pos])
    return _Ascii(
        a,
        starts.size,
        fit,
        codes,
        fit[first],
        s[first],
        n[first],
        dlo,
        dhi,
        dmix,
        np.argsort(dmix),
        long_pos,
        long_words,
    )


class Vocabulary:
    """Word -> id in first-seen order, and the ids of each block of text (-1 for a line end).

    ASCII blocks never become Python strings token by token. A token of up to 16 bytes is read as
    two 64-bit numbers (its bytes, zero-padded: exact, as no token holds a zero byte); pandas' hash
    tables find the block's distinct tokens, and a sorted array of the tokens seen before (looked
    up by a number mixed from the two, every hit checked against both) finds the known ones. Only
    words new to the corpus become strings here, once each and all in one decode; tokens longer
    than 16 bytes (about one in a thousand) are looked up one by one. Words are numbered in the
    order of their first use, as if every token had been looked up in turn.
    """

    def __init__(self) -> None:
        self._words: list[str] = []  # by id
        self._long: dict[str, int] = {}  # the ids of the words longer than 16 characters
        # the id of every word (and -1 for LINE_END), brought up to date only when a lookup needs it:
        # ASCII text never does, and building it would hash every new word once more
        self._ids: dict[str, int] = {LINE_END: -1}
        # tokens of up to 16 bytes seen before, by slot: first 8 bytes, next 8, id
        self._lo = np.array([1], np.uint64)  # LINE_END
        self._hi = np.zeros(1, np.uint64)
        self._key_ids = np.array([-1], np.int32)
        # their mixes, sorted, and the slot of each: searched, and merged into once per block
        self._mix = self._lo ^ (self._hi * _MIX)
        self._slot = np.zeros(1, np.int64)
        # known tokens of up to 16 ASCII bytes that the arrays above do not hold (learnt through the
        # expression, or kept out by a shared mix): only these can be "new" to the arrays yet known
        self._unsearched: set[str] = set()

    def __len__(self) -> int:
        return len(self._words)

    def words(self) -> list[str]:
        return list(self._words)

    def ids_of(self, parts: Prepared) -> np.ndarray:
        """The int32 ids of the tokens of a block made by :func:`prepare`, -1 after each line; new
        words are numbered here, so blocks must come in the order of the text."""
        ids = [self._ascii_ids(t) if isinstance(t, _Ascii) else self._lookup(t) for t in parts]
        return ids[0] if len(ids) == 1 else np.concatenate(ids)

    def _ascii_ids(self, t: _Ascii) -> np.ndarray:
        out = np.empty(t.n_tokens, np.int32)
        slot, hit = self._find(t)
        lut = np.where(hit, self._key_ids[slot], -2).astype(np.int32)
        miss = np.flatnonzero(~hit)
        words = _strings(t.a, t.dstart[miss], t.dlen[miss])
        # words new to the corpus, numbered in the order of their first use in the block.
        # ``words``: distinct first uses, in order; known already only after a mix collision or in
        # non-ASCII text. New long words (few) are merged in by where they are first used.
        fresh, at = words, t.dpos[miss]
        known = bool(self._unsearched) and not self._unsearched.isdisjoint(words)
        if known:
            full = self._full()
            new = np.fromiter((w not in full for w in words), bool, len(words))
            fresh, at = [w for w, f in zip(words, new.tolist(), strict=True) if f], at[new]
        long_ids = self._long
        long_new: dict[str, int] = {}
        for w, i in zip(t.long_words, t.long_pos.tolist(), strict=True):
            if w not in long_ids:
                long_new.setdefault(w, i)
        base = len(self._words)
        rank = np.arange(len(fresh), dtype=np.int32)  # each of ``fresh``'s place among the new words
        if long_new:
            order = np.argsort(np.concatenate([at, np.fromiter(long_new.values(), np.int64, len(long_new))]))
            fresh = np.array(fresh + list(long_new), dtype=object)[order].tolist()
            place = np.argsort(order).astype(np.int32)
            rank, long_rank = place[: rank.size], place[rank.size :]
            long_ids.update(zip(long_new, (base + long_rank).tolist(), strict=True))
        self._words += fresh
        if miss.size:
            if known:
                full = self._full()
                lut[miss] = np.fromiter(map(full.__getitem__, words), np.int32, len(words))
            else:  # every one of ``words`` is new: numbered by its place
                lut[miss] = base + rank
            self._remember(t.dlo[miss], t.dhi[miss], lut[miss], words)
        out[t.fit] = lut[t.codes]
        out[t.long_pos] = np.fromiter(map(long_ids.__getitem__, t.long_words), np.int32, len(t.long_words))
        return out

    def _find(self, t: _Ascii) -> tuple[np.ndarray, np.ndarray]:
        """The slot of each distinct token among those seen before, and whether it is one of them."""
        at = np.empty(t.dmix.size, np.int64)  # searched in sorted order: each starts where the last ended
        at[t.dorder] = np.searchsorted(self._mix, t.dmix[t.dorder])
        at = np.minimum(at, self._mix.size - 1)
        slot = self._slot[at]
        hit = (self._mix[at] == t.dmix) & (self._lo[slot] == t.dlo) & (self._hi[slot] == t.dhi)
        return slot, hit

    def _remember(self, lo: np.ndarray, hi: np.ndarray, ids: np.ndarray, words: list[str]) -> None:
        """Add tokens (``words``, in their order) to the known ones; one whose mix another has
        already stays out (it is then found through the word dictionary, as a miss, every time)."""
        mix = lo ^ (hi * _MIX)
        order = np.argsort(mix, kind="stable")
        m = mix[order]
        keep = np.ones(m.size, bool)  # the first token of each mix...
        np.not_equal(m[1:], m[:-1], out=keep[1:])
        where = np.searchsorted(self._mix, m)
        keep &= self._mix[np.minimum(where, self._mix.size - 1)] != m  # ...that no known token has
        self._unsearched.update(words[i] for i in order[~keep].tolist())
        if keep.any():
            take = order[keep]
            slots = np.arange(self._lo.size, self._lo.size + take.size, dtype=np.int64)
            self._lo = np.concatenate([self._lo, lo[take]])
            self._hi = np.concatenate([self._hi, hi[take]])
            self._key_ids = np.concatenate([self._key_ids, ids[take]])
            self._mix = np.insert(self._mix, where[keep], m[keep])
            self._slot = np.insert(self._slot, where[keep], slots)

    def _full(self) -> dict[str, int]:
        """The id of every word (LINE_END's too)."""
        ids, words = self._ids, self._words
        if len(ids) - 1 < len(words):
            ids.update(zip(words[len(ids) - 1 :], range(len(ids) - 1, len(words)), strict=True))
        return ids

    def _lookup(self, tokens: list[str]) -> np.ndarray:
        ids, words = self._full(), self._words
        for t in tokens:
            if t not in ids:
                ids[t] = len(words)
                words.append(t)
                if len(t) > 16:
                    self._long[t] = ids[t]
                elif t.isascii():  # the fast path may meet it: it must know it is known
                    self._unsearched.add(t)
        return np.fromiter(map(ids.__getitem__, tokens), np.int32, len(tokens))


def _strings(a: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> list[str]:
    """The tokens of the mapped bytes ``a`` at ``starts`` (``lengths`` bytes each), as strings:
    gathered into one buffer, one space after each, and split in one call."""
    if not starts.size:
        return []
    step = lengths + 1
    ends = np.cumsum(step)
    at = np.arange(int(ends[-1])) + np.repeat(starts - (ends - step), step)  # source of each byte
    buf = a[np.minimum(at, a.size - 1)]
    buf[ends - 1] = 32
    return buf.tobytes().decode("ascii").split(" ")[:-1]


def _first_uses(codes: np.ndarray) -> np.ndarray:
    """Where each code is first used, for codes numbered in order of first use (pd.factorize)."""
    if codes.size == 0:
        return np.zeros(0, np.int64)
    top = np.maximum.accumulate(codes)
    grows = np.empty(codes.size, bool)
    grows[0] = True
    np.greater(top[1:], top[:-1], out=grows[1:])
    return np.flatnonzero(grows)
