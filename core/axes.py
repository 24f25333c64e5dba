"""Semantic axes (the Projector's custom projection): x and y are directions in the vector space.

An axis is ``FROM:TO`` (also written ``FROM -> TO`` or ``FROM → TO``), each side a word or a
comma-separated word list standing for the mean of its unit vectors; the direction is TO - FROM.
Or it is a formula of words joined by ``+`` and ``-`` (``king - man + woman``). A word is placed
at its cosine with each direction, so "gender" and "royalty" become the axes of the map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .embeddings import EmbeddingSet, normalize
from .errors import InvalidArgumentError
from .projection import Layout
from .query import normalize_word

_ARROW = re.compile(r"\s*(?:->|→|:)\s*")


@dataclass
class Axis:
    """A direction in the vector space and how it was written."""

    title: str
    vector: np.ndarray  # unit length


def _mean(es: EmbeddingSet, side: str, spec: str) -> np.ndarray:
    words = [w for w in (normalize_word(es, t) for t in side.split(",")) if w]
    if not words:
        raise InvalidArgumentError(f"the axis {spec!r} has an empty side; write it as FROM:TO, e.g. man:woman")
    return normalize(np.asarray(es.vectors[[es.index(w) for w in words]], dtype=np.float32)).mean(axis=0)


def parse_axis(es: EmbeddingSet, spec: str) -> Axis:
    """The :class:`Axis` that ``spec`` names; unknown words raise ``UnknownWordError``."""
    text = spec.strip()
    if not text:
        raise InvalidArgumentError("an axis is empty; write it as FROM:TO (e.g. man:woman) or a formula")
    sides = _ARROW.split(text)
    if len(sides) == 2:
        vector = _mean(es, sides[1], spec) - _mean(es, sides[0], spec)
        title = f"{sides[0].strip()} → {sides[1].strip()}"
    elif len(sides) == 1:
        terms = re.findall(r"([+-]?)\s*([^\s+-][^+-]*)", text)
        if not terms:
            raise InvalidArgumentError(f"the axis {spec!r} names no words; write it as FROM:TO or a - b + c")
        vector = np.zeros(es.dim, np.float32)
        for sign, word in terms:
            vector += (-1 if sign == "-" else 1) * _mean(es, word, spec)
        title = text
    else:
        raise InvalidArgumentError(f"the axis {spec!r} has more than one ':'; write it as FROM:TO")
    if not np.any(vector):
        raise InvalidArgumentError(f"the axis {spec!r} has no direction (its two sides are the same)")
    return Axis(title, normalize(vector))


def axes_layout(es: EmbeddingSet, rows: np.ndarray, x: Axis, y: Axis) -> Layout:
    """Each row placed at its cosine with ``x`` and with ``y``."""
    if rows.size < 1:
        raise InvalidArgumentError("give at least one word to place on the axes")
    unit = normalize(np.asarray(es.vectors[rows], dtype=np.float32))
    coords = np.stack([unit @ x.vector, unit @ y.vector], axis=1).astype(np.float64)
    return Layout([es.words[i] for i in rows], rows, coords, "axes", 0, None, [x.title, y.title])
