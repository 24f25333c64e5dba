"""Why an analogy answered what it did: where the input words themselves would rank, the 3CosAdd
and 3CosMul answers side by side, and the plane through a, b and c with the parallelogram
a → b, a → c, c → d, b → d drawn in it.

Both methods work on unit vectors (as ``core.search.analogy`` does), so the plane does too: its
origin is a, its first axis the direction of b − a, its second the part of c − a at right
angles to it. a, b, c and the predicted d = b − a + c lie exactly in that plane; the answers
are projected onto it, and how far each one lies off the plane is reported with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import search
from .embeddings import EmbeddingSet, normalize
from .errors import InvalidArgumentError

Pairs = list[tuple[str, float]]
ROLES = ("a", "b", "c")


class InputRank(NamedTuple):
    """An input word's place among all words had it not been left out of the answers."""

    role: str  # "a", "b" or "c"
    word: str
    rank: int  # 1 = it would have been the answer
    score: float


class PlanePoint(NamedTuple):
    label: str  # "a", "b", "c", "d" (the predicted point) or "answer"
    word: str  # for d: "b − a + c"
    x: float
    y: float
    off_plane: float  # distance from the plane (0 for a, b, c and d)


@dataclass(frozen=True)
class AnalogyPlane:
    """The plane's points: a, b, c, d first (in that order), then the answers, best first."""

    points: list[PlanePoint]

    def point(self, label: str) -> PlanePoint:
        return next(p for p in self.points if p.label == label)

    @property
    def answers(self) -> list[PlanePoint]:
        return [p for p in self.points if p.label == "answer"]


@dataclass(frozen=True)
class AnalogyExplanation:
    a: str
    b: str
    c: str
    add: Pairs  # 3CosAdd's answers (inputs left out)
    mul: Pairs  # 3CosMul's answers
    add_ranks: list[InputRank]  # a, b, c ranked by 3CosAdd's score among all words
    mul_ranks: list[InputRank]
    plane: AnalogyPlane | None  # None when a, b, c do not span a plane (say, b = a)
    plane_problem: str = ""  # why there is no plane, in one line


def scores(es: EmbeddingSet, a: str, b: str, c: str, method: str = "add") -> np.ndarray:
    """Every word's score for "a is to b as c is to ?", inputs included: 3CosAdd's cosine with
    b − a + c, or 3CosMul's product (the same formulas as ``core.search.analogy``)."""
    rows = normalize(np.asarray(es.vectors[[es.index(a), es.index(b), es.index(c)]], dtype=np.float32))
    if method == "add":
        return es.unit_vectors @ normalize(rows[1] - rows[0] + rows[2])
    if method != "mul":
        raise InvalidArgumentError(f"unknown analogy method {method!r}; choose 'add' or 'mul'")
    sims = (es.unit_vectors @ rows.T + 1) / 2
    return sims[:, 1] * sims[:, 2] / (sims[:, 0] + 1e-3)


def input_ranks(es: EmbeddingSet, a: str, b: str, c: str, method: str = "add") -> list[InputRank]:
    """Where a, b and c rank among all words (1 = best) by the method's score."""
    s = scores(es, a, b, c, method)
    out = []
    for role, w in zip(ROLES, (a, b, c), strict=True):
        mine = s[es.index(w)]
        out.append(InputRank(role, w, int(np.sum(s > mine)) + 1, float(mine)))
    return out


def plane(es: EmbeddingSet, a: str, b: str, c: str, answers: Sequence[str] = ()) -> AnalogyPlane:
    """a, b, c, the predicted d = b − a + c and ``answers`` in the plane of b − a and c − a
    (orthonormalised; origin a). In these coordinates d is exactly b + c − a."""
    u = normalize(np.asarray(es.vectors[[es.index(w) for w in (a, b, c)]], dtype=np.float64))
    va, vb, vc = u
    e1, e2 = _basis(vb - va, vc - va)
    d = vb - va + vc

    def place(label: str, word: str, v: np.ndarray) -> PlanePoint:
        rel = v - va
        x, y = float(rel @ e1), float(rel @ e2)
        off = float(np.linalg.norm(rel - x * e1 - y * e2))
        return PlanePoint(label, word, x, y, off)

    points = [place(r, w, v) for r, w, v in zip(ROLES, (a, b, c), u, strict=True)]
    points.append(place("d", f"{b} - {a} + {c}", d))
    if answers:
        vecs = normalize(np.asarray(es.vectors[[es.index(w) for w in answers]], dtype=np.float64))
        points += [place("answer", w, v) for w, v in zip(answers, vecs, strict=True)]
    return AnalogyPlane(points)


def _basis(ab: np.ndarray, ac: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gram-Schmidt on b − a and c − a; an error when they do not span a plane."""
    n1 = np.linalg.norm(ab)
    if n1 < 1e-6:
        raise InvalidArgumentError("a and b point the same way, so there is no plane to draw; choose other words")
    e1 = ab / n1
    rest = ac - (ac @ e1) * e1
    n2 = np.linalg.norm(rest)
    if n2 < 1e-6:  # unit vectors: |c - a| is at most 2
        raise InvalidArgumentError("c - a runs along b - a, so there is no plane to draw; choose other words")
    return e1, rest / n2


def explain(es: EmbeddingSet, a: str, b: str, c: str, k: int = 5) -> AnalogyExplanation:
    """Both methods' answers, the inputs' ranks under each, and the plane with 3CosAdd's answers."""
    add = search.analogy(es, a, b, c, k=k, method="add")
    mul = search.analogy(es, a, b, c, k=k, method="mul")
    try:
        drawn: AnalogyPlane | None = plane(es, a, b, c, [w for w, _ in add])
        problem = ""
    except InvalidArgumentError as exc:
        drawn, problem = None, str(exc)
    return AnalogyExplanation(
        a, b, c, add, mul, input_ranks(es, a, b, c, "add"), input_ranks(es, a, b, c, "mul"), drawn, problem
    )
