"""Reading corpora: .txt, .gz and .zip files streamed into token ids (a :class:`Corpus`).

Memory stays proportional to the vocabulary plus one int32 per token: ``core.sources`` opens the
files safely and decodes them in 1 MiB blocks that never split a token; each block is tokenised
on its own (``core.tokens``), so the text is never held whole.
"""

from __future__ import annotations

import array
import hashlib
import os
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field

import numpy as np

from .ahead import mapped
from .errors import CorpusError
from .sources import BLOCK, Block, Opened, Source, open_source, shown_name, text_blocks
from .tokens import Prepared, Vocabulary, prepare, tokenize  # noqa: F401 (tokenize: part of this module's API)

DEFAULT_MAX_BYTES = 2 * 1024**3
Progress = Callable[[int, int], None]


@dataclass
class Corpus:
    """A tokenised corpus: distinct words in first-seen order, their counts, the id stream."""

    words: list[str]
    counts: np.ndarray  # int64, one per word
    ids: np.ndarray  # int32 token stream, indices into `words`
    name: str
    sha256: str
    n_bytes: int  # decompressed bytes of text read
    lowercase: bool = True  # whether the text was lowercased before tokenising
    # where each line with words begins, as positions in ``ids`` (int64, the first is 0): the
    # trainer's sentences. A corpus made without it is one line.
    line_starts: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))

    @property
    def n_lines(self) -> int:
        return int(self.line_starts.size)

    @property
    def n_tokens(self) -> int:
        return int(self.ids.size)

    def most_common(self, n: int) -> list[tuple[str, int]]:
        order = np.argsort(-self.counts, kind="stable")[:n]
        return [(self.words[i], int(self.counts[i])) for i in order]

    def rank_frequency(self) -> np.ndarray:
        """Counts sorted from most to least frequent (for a Zipf plot)."""
        return np.sort(self.counts)[::-1]

    def vocab_size_at(self, min_count: int) -> int:
        """How many distinct words occur at least ``min_count`` times."""
        return int((self.counts >= min_count).sum())


def read_corpus(
    sources: Source | Iterable[Source],
    *,
    lowercase: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
) -> Corpus:
    """Read one or many corpus files into a :class:`Corpus`.

    Parameters
    ----------
    sources : a path, an open binary file given as ``(name, fileobj)``, or a list of those.
        Plain text, gzip (``.gz``) and zip archives of text files are recognised by content.
        The name of a ``(name, fileobj)`` pair is only a label (it is never opened), and file
        objects given so are read from the start and left open.
    lowercase : fold case before tokenising (default ``True``).
    max_bytes : limit on the *decompressed* text, in bytes (default 2 GiB): stops zip bombs.
    progress : called as ``progress(done, total)`` in bytes of the input files.
    """
    if isinstance(sources, (str, os.PathLike, tuple)):
        sources = [sources]
    sources = list(sources)
    if not sources:
        raise CorpusError("no corpus files were given; pass at least one .txt, .gz or .zip file")
    opened: list[Opened] = []
    try:
        for s in sources:
            opened.append(open_source(s))
        total = sum(size for _, _, size, _ in opened) or 1
        index = Vocabulary()
        ids = _IdStream()
        digest = hashlib.sha256()
        state = {"text_bytes": 0, "done": 0}

        # blocks are tokenised and hashed a few ahead, in threads: only numbering needs the
        # vocabulary; closed as the read ends, so no thread outlives it
        def prepared(block: Block) -> tuple[Prepared | None, int]:
            return (None if block.text is None else prepare(block.text, lowercase)), block.done

        with closing(mapped(prepared, text_blocks(opened, state, max_bytes, digest))) as blocks:
            for parts, done in blocks:
                if parts is None:
                    ids.new_line()  # a file (or member) never continues the line of the one before
                    continue
                ids.add(index.ids_of(parts))
                if progress:
                    progress(min(done, total), total)
    finally:
        for _, fh, _, ours in opened:
            if ours:
                fh.close()
    if not ids.ids:
        if not state["text_bytes"]:
            raise CorpusError(f"{_names(sources)}: is empty; choose a file that holds text")
        raise CorpusError(
            f"{_names(sources)}: no words found (only spaces, punctuation or symbols); "
            "the corpus must contain words made of letters or digits"
        )
    # the array's own buffer, not a copy: the id stream is the largest thing a read makes
    id_arr = np.frombuffer(ids.ids, dtype=np.int32)
    return Corpus(
        words=index.words(),
        counts=_counts(id_arr, len(index)),
        ids=id_arr,
        name=_names(sources),
        sha256=digest.hexdigest(),
        n_bytes=state["text_bytes"],
        lowercase=lowercase,
        line_starts=np.frombuffer(ids.starts, dtype=np.int64),
    )


def _counts(ids: np.ndarray, n_words: int) -> np.ndarray:
    """Occurrences of each id, counted a slice at a time: ``np.bincount`` turns int32 ids into a
    temporary int64 copy, which for the whole stream would be twice its size again."""
    counts = np.zeros(n_words, dtype=np.int64)
    step = max(BLOCK, n_words // 4)  # each slice costs O(n_words) too: never more than 4x the ids' own work
    for start in range(0, ids.size, step):
        counts += np.bincount(ids[start : start + step], minlength=n_words)
    return counts


class _IdStream:
    """The token ids of a read, and where each line with words begins, built a block at a time."""

    def __init__(self) -> None:
        self.ids = array.array("i")
        self.starts = array.array("q")
        self._at_start = True  # the next word begins a line

    def new_line(self) -> None:
        self._at_start = True

    def add(self, block: np.ndarray) -> None:
        """One block's ids, -1 marking each line end."""
        ends = block < 0
        if not ends.any():
            if block.size:
                if self._at_start:
                    self.starts.append(len(self.ids))
                self._at_start = False
                self.ids.frombytes(block.tobytes())
            return
        words = block[~ends]
        if words.size:
            before = np.cumsum(ends)[~ends]  # line ends before each word
            begins = np.empty(words.size, bool)
            begins[0] = self._at_start or before[0] > 0
            np.greater(before[1:], before[:-1], out=begins[1:])
            self.starts.frombytes((len(self.ids) + np.flatnonzero(begins)).astype(np.int64).tobytes())
            self.ids.frombytes(words.tobytes())
        self._at_start = bool(ends[-1])  # the block ends with a line end: no word after it


def _names(sources: list[Source]) -> str:
    return ", ".join(shown_name(s[0] if isinstance(s, tuple) else os.path.basename(os.fspath(s))) for s in sources)
