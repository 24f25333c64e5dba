"""Small generated data shared by the tests."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_BUNDLE = ROOT / "sample_data" / "sample"


def planted_text(
    groups: int = 8, size: int = 5, fillers: int = 40, sentences: int = 5000, seed: int = 0
) -> tuple[str, list[list[str]]]:
    """Sentences where the words of one group share their contexts: 4 group words + 2 fillers."""
    rng = random.Random(seed)
    names = [[f"g{g}w{i}" for i in range(size)] for g in range(groups)]
    fill = [f"filler{i}" for i in range(fillers)]
    lines = []
    for _ in range(sentences):
        words = rng.choices(rng.choice(names), k=4) + rng.choices(fill, k=2)
        rng.shuffle(words)
        lines.append(" ".join(words))
    return "\n".join(lines) + "\n", names


def random_set(n: int = 50, dim: int = 8, seed: int = 0, counts: bool = True):
    from core import EmbeddingSet

    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(n)]
    c = np.arange(n, 0, -1) * 3 if counts else None
    return EmbeddingSet(words, rng.normal(size=(n, dim)).astype(np.float32), c)
