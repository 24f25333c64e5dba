"""Quiz rounds for live demos, drawn from a set's frequent words (common words left out).

- "odd one out": three words from one tight neighbourhood and one from elsewhere; the model's
  answer is ``core.search.doesnt_match``'s, and each option's score is its mean cosine with
  the other three (the odd one has the lowest).
- "nearest": which of four words is the nearest neighbour of X? One option is X's true nearest
  neighbour among the quiz's words, the others are further down its list; the score is the
  cosine with X.

A round depends only on the set, the seed and the round number, so rounds can be replayed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import search
from .embeddings import EmbeddingSet, normalize
from .errors import InvalidArgumentError
from .query import frequent_words

KINDS = ("odd_one_out", "nearest")
POOL = 400  # the most frequent words a quiz draws from: familiar to an audience
MIN_POOL = 12
_TRIES = 50


@dataclass(frozen=True)
class Round:
    kind: str  # one of KINDS
    question: str
    target: str  # X for "nearest"; "" for "odd one out"
    options: tuple[str, ...]  # four distinct words, in the order shown
    answer: str  # the right option
    scores: tuple[float, ...]  # the model's score per option (see the module docstring)
    score_label: str

    @property
    def model_answer(self) -> str:
        """The option the model picks from its scores (the lowest for odd one out)."""
        pick = int(np.argmin(self.scores)) if self.kind == "odd_one_out" else int(np.argmax(self.scores))
        return self.options[pick]


def quiz_words(es: EmbeddingSet, n: int = POOL) -> list[str]:
    """The frequent words a quiz may use: no stop words, at least two characters, some letter."""
    words = frequent_words(es, 3 * n, hide_common=True)
    return [w for w in words if len(w) >= 2 and any(ch.isalpha() for ch in w)][:n]


def make_round(es: EmbeddingSet, seed: int, number: int = 0, kind: str | None = None, pool: int = POOL) -> Round:
    """Round ``number`` of the quiz with ``seed``: odd one out on even numbers, nearest on odd
    ones, unless ``kind`` says which."""
    kind = kind or KINDS[number % 2]
    if kind not in KINDS:
        raise InvalidArgumentError(f"unknown quiz kind {kind!r}; choose one of {', '.join(KINDS)}")
    words = quiz_words(es, pool)
    if len(words) < MIN_POOL:
        raise InvalidArgumentError(
            f"the set has {len(words)} words that are not common words; a quiz needs at least {MIN_POOL}"
        )
    unit = normalize(np.asarray(es.vectors[[es.index(w) for w in words]], dtype=np.float64))
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, int(number)])
    make = _odd_one_out if kind == "odd_one_out" else _nearest
    for _ in range(_TRIES):  # a draw that fails its check (ties, flat sets) is drawn again
        found = make(es, words, sims, rng)
        if found is not None:
            return found
    raise InvalidArgumentError("no clear quiz round can be drawn from this set; try another set or seed")


def _odd_one_out(es: EmbeddingSet, words: list[str], sims: np.ndarray, rng: np.random.Generator) -> Round | None:
    n = len(words)
    # a tight triple: of a few random anchors, the one whose two nearest words are closest to it
    anchors = rng.choice(n, size=min(8, n), replace=False)
    near = np.argsort(-sims[anchors], axis=1, kind="stable")[:, :2]
    tightness = np.take_along_axis(sims[anchors], near, axis=1).min(axis=1)
    best = int(np.argmax(tightness))
    triple = [int(anchors[best]), *(int(j) for j in near[best])]
    # the odd word: one of the words furthest from the triple (the lower half by mean cosine)
    mean_sim = sims[:, triple].mean(axis=1)
    mean_sim[triple] = np.inf
    far = np.argsort(mean_sim, kind="stable")[: max(1, (n - 3) // 2)]
    odd = int(rng.choice(far))
    rows = [*triple, odd]
    rng.shuffle(rows)
    options = tuple(words[i] for i in rows)
    # score: mean cosine with the other three (the diagonal is -inf, so it is left out)
    block = sims[np.ix_(rows, rows)]
    scores = tuple(float(np.mean([block[i, j] for j in range(4) if j != i])) for i in range(4))
    answer = words[odd]
    lowest = np.sort(scores)
    if lowest[1] - lowest[0] < 1e-6 or search.doesnt_match(es, list(options)) != answer:
        return None
    return Round(
        "odd_one_out", "Which word is the odd one out?", "", options, answer, scores, "mean cosine with the others"
    )


def _nearest(es: EmbeddingSet, words: list[str], sims: np.ndarray, rng: np.random.Generator) -> Round | None:
    n = len(words)
    x = int(rng.integers(n))
    ranked = np.argsort(-sims[x], kind="stable")[: n - 1]  # x itself (-inf) is last
    true = int(ranked[0])
    # distractors: plausible but clearly further (ranks 5-40 of x's list, or whatever exists)
    lo, hi = min(4, n - 4), min(40, n - 1)
    pool = ranked[lo:hi] if hi - lo >= 3 else ranked[1:]
    others = [int(j) for j in rng.choice(pool, size=3, replace=False)]
    rows = [true, *others]
    rng.shuffle(rows)
    options = tuple(words[i] for i in rows)
    scores = tuple(float(sims[x, i]) for i in rows)
    if sorted(scores)[-1] - sorted(scores)[-2] < 1e-6:
        return None
    question = f"Which is the nearest neighbour of '{words[x]}'?"
    return Round("nearest", question, words[x], options, words[true], scores, f"cosine with '{words[x]}'")
