"""Word labels for colouring a map: the Projector's ``metadata.tsv`` (a header row, one column
per property) or plain ``word<TAB>label`` lines; and searching the vocabulary."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import FormatError, InvalidArgumentError


@dataclass
class LabelTable:
    """Properties of words: ``columns`` names them, ``rows[word]`` holds one value per column."""

    columns: list[str]
    rows: dict[str, list[str]]

    def labels(self, words: Sequence[str], column: str) -> list[str]:
        """The ``column`` value of each word ("(none)" for words the file does not name)."""
        j = self.columns.index(column)
        return [self.rows[w][j] if w in self.rows else "(none)" for w in words]


def read_labels(data: bytes, name: str = "the metadata file") -> LabelTable:
    """Parse a metadata file. With a header row (a first line naming a ``word`` column, or the
    Projector's several-column layout), every column but the word's is a property; without one
    (``word<TAB>label``), the one property is called "label"."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(f"{name}: not UTF-8 text; save it as UTF-8") from None
    lines = [ln.rstrip("\r") for ln in text.split("\n") if ln.strip()]
    if not lines:
        raise FormatError(f"{name}: empty; give one 'word<TAB>label' line per word")
    head = lines[0].split("\t")
    has_header = len(head) > 2 or head[0].strip().lower() in ("word", "words", "token", "name")
    if not has_header and len(head) != 2:
        raise FormatError(f"{name}, line 1: expected 'word<TAB>label' (or a header row naming the columns)")
    columns = [c.strip() for c in head] if has_header else ["word", "label"]
    key = next((i for i, c in enumerate(columns) if c.lower() in ("word", "words", "token", "name")), 0)
    rows: dict[str, list[str]] = {}
    for n, line in enumerate(lines[1:] if has_header else lines, start=2 if has_header else 1):
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise FormatError(f"{name}, line {n}: {len(cells)} columns, expected {len(columns)} like line 1")
        word = cells[key].strip()
        rows.setdefault(word, [c.strip() for i, c in enumerate(cells) if i != key])
    return LabelTable([c for i, c in enumerate(columns) if i != key], rows)


def matches(words: Sequence[str], pattern: str, regex: bool = False) -> list[bool]:
    """Which words contain ``pattern`` (case-insensitive), or match it as a regular expression."""
    if not pattern:
        return [False] * len(words)
    if not regex:
        low = pattern.lower()
        return [low in w.lower() for w in words]
    try:
        rx = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise InvalidArgumentError(
            f"{pattern!r} is not a valid regular expression ({exc}); fix it or search plain text"
        ) from None
    return [rx.search(w) is not None for w in words]
