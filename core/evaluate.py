"""Standard benchmarks: word-pair similarity (Spearman) and analogies (questions-words format).

Both follow gensim's ``evaluate_word_pairs`` / ``evaluate_word_analogies``: lookups fall back to
lower case, analogies only use the ``restrict_vocab`` most frequent words, and questions with a
word outside that vocabulary count as not covered rather than wrong.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .embeddings import EmbeddingSet, normalize
from .errors import FormatError


def _lines(source: str | os.PathLike | bytes) -> list[str]:
    if isinstance(source, bytes):
        try:
            return source.decode("utf-8-sig").splitlines()
        except UnicodeDecodeError:
            raise FormatError("the evaluation file is not UTF-8 text; convert it to UTF-8") from None
    try:
        return Path(source).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"{source}: cannot read ({exc}); give a UTF-8 text file") from None


def _lookup(rows: dict[str, int], word: str) -> int | None:
    r = rows.get(word)
    return rows.get(word.lower()) if r is None else r


def detect_kind(data: bytes) -> str:
    """ "analogies" for questions-words files (``: section`` lines, 4 words), else "word pairs"."""
    lines = [
        ln
        for ln in data[:20_000].decode("utf-8", errors="replace").splitlines()
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    if any(ln.startswith(":") for ln in lines):
        return "analogies"
    four = [ln for ln in lines if len(ln.split()) == 4 and not _is_number(ln.split()[2])]
    return "analogies" if lines and len(four) > len(lines) / 2 else "word pairs"


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


@dataclass
class PairResult:
    spearman: float  # NaN when fewer than 2 pairs are covered or either side's scores are all equal
    pairs_used: int
    pairs_total: int
    missing: list[tuple[str, str]] = field(default_factory=list)  # pairs with a word not in the set

    @property
    def coverage(self) -> float:
        return self.pairs_used / self.pairs_total if self.pairs_total else 0.0


def word_pairs(es: EmbeddingSet, source: str | os.PathLike | bytes, restrict_vocab: int = 300_000) -> PairResult:
    """Spearman correlation between human scores and cosine similarities for ``word word score`` lines."""
    from scipy.stats import spearmanr

    rows = {es.words[i]: int(i) for i in es.top_rows(restrict_vocab)}
    human, model, total, missing = [], [], 0, []
    for n, line in enumerate(_lines(source), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = re.split(r"[\t,; ]+", line.strip())
        if len(parts) < 3:
            raise FormatError(f"line {n}: expected 'word word score', got {line[:60]!r}")
        try:
            score = float(parts[2])
        except ValueError:
            if total == 0:
                continue  # a header row
            raise FormatError(f"line {n}: {parts[2]!r} is not a number; expected 'word word score'") from None
        total += 1
        a, b = _lookup(rows, parts[0]), _lookup(rows, parts[1])
        if a is None or b is None:
            missing.append((parts[0], parts[1]))
            continue
        u = normalize(np.asarray(es.vectors[[a, b]], dtype=np.float32))
        human.append(score)
        model.append(float(u[0] @ u[1]))
    if total == 0:
        raise FormatError("no 'word word score' lines found; is this a word-pair similarity file?")
    # undefined (NaN, and no scipy warning) for fewer than 2 pairs or constant scores (e.g. zero vectors)
    defined = len(human) > 1 and len(set(human)) > 1 and len(set(model)) > 1
    rho = float(spearmanr(human, model).statistic) if defined else float("nan")
    return PairResult(rho, len(human), total, missing)


@dataclass
class AnalogyResult:
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (correct, covered)
    total: int = 0  # questions in the file
    missing: list[tuple[str, ...]] = field(default_factory=list)  # questions with a word not covered

    @property
    def correct(self) -> int:
        return sum(c for c, _ in self.sections.values())

    @property
    def covered(self) -> int:
        return sum(n for _, n in self.sections.values())

    @property
    def accuracy(self) -> float:
        return self.correct / self.covered if self.covered else 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.total if self.total else 0.0


def analogies(
    es: EmbeddingSet, source: str | os.PathLike | bytes, restrict_vocab: int = 30_000, batch: int = 2048
) -> AnalogyResult:
    """Accuracy on ``a b c d`` questions (``: section`` headers), predicting d as b - a + c (3CosAdd)."""
    top = es.top_rows(restrict_vocab)
    rows = {es.words[i]: j for j, i in enumerate(top)}
    unit = normalize(np.asarray(es.vectors[top], dtype=np.float32))
    result, section, questions = AnalogyResult(), "(no section)", []
    for n, line in enumerate(_lines(source), start=1):
        if not line.strip():
            continue
        if line.startswith(":"):
            section = line[1:].strip()
            continue
        parts = line.split()
        if len(parts) != 4:
            raise FormatError(f"line {n}: expected four words 'a b c d' or ': section', got {line[:60]!r}")
        result.total += 1
        ids = [_lookup(rows, w) for w in parts]
        if None not in ids:
            questions.append((section, ids))
        else:
            result.missing.append(tuple(parts))
        result.sections.setdefault(section, (0, 0))
    if result.total == 0:
        raise FormatError("no analogy questions found; expected lines of four words, ': section' headers")
    for start in range(0, len(questions), batch):
        part = questions[start : start + batch]
        q = np.array([ids for _, ids in part], dtype=np.int64)
        target = normalize(unit[q[:, 1]] - unit[q[:, 0]] + unit[q[:, 2]])
        scores = target @ unit.T
        np.put_along_axis(scores, q[:, :3], -np.inf, axis=1)
        best = scores.argmax(axis=1)
        for (sec, _), guess, expected in zip(part, best, q[:, 3], strict=True):
            c, t = result.sections[sec]
            result.sections[sec] = (c + int(guess == expected), t + 1)
    return result
