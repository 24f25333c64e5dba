"""What a training run is given and reports, without TensorFlow: ``TrainParams`` (gensim's
defaults, each field's help text in one place, used by the CLI and the app) with its batching
policy, and ``Progress``. docs/DESIGN.md, "How the trainer batches its work", explains the policy.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any

import numpy as np

from .errors import TrainingError

MODELS = ("skipgram", "cbow")
SENTENCES = ("lines", "none")
# the fields whose values are one of a few words (the CLI offers them as choices)
CHOICES = {"model": MODELS, "sentences": SENTENCES}


def _opt(default: Any, help: str, **kw: Any) -> Any:
    """A field with its help text (shown by ``python -m core train --help``)."""
    return field(default=default, metadata={"help": help}, **kw)


@dataclass
class TrainParams:
    """Training parameters; the defaults are gensim's. Each field's help text is its documentation."""

    model: str = _opt("skipgram", "skipgram predicts the context from a word; cbow predicts a word from its context")
    dim: int = _opt(100, "vector dimensions")
    window: int = _opt(5, "largest distance between a word and its context (each centre draws 1..window)")
    negative: int = _opt(5, "noise words contrasted per centre word")
    min_count: int = _opt(5, "drop words seen fewer times")
    max_vocab: int | None = _opt(None, "keep at most this many words (default: all)")
    sample: float = _opt(1e-3, "subsampling threshold for frequent words (0 = off)")
    epochs: int = _opt(5, "passes over the corpus")
    lr: float = _opt(0.025, "initial learning rate, decayed linearly to min_lr")
    min_lr: float = _opt(1e-4, "final learning rate")
    seed: int = _opt(1, "random seed: same seed, corpus and settings give the same vectors")
    batch: int = _opt(0, "centre words per training step, in whole spans (0 = automatic)")
    steps: int = _opt(0, "training steps per TensorFlow call (0 = automatic)")
    span: int = _opt(16, "consecutive centre words that share one read of their window and their noise words")
    sentences: str = _opt("lines", "lines: each line is a sentence, and windows stop at its ends; none: across lines")
    phrases: int = _opt(0, "join frequent word pairs into one token first (new york -> new_york); 2: again, for longer")
    phrase_min_count: int = _opt(5, "phrases: ignore pairs seen fewer times (gensim's min_count)")
    phrase_threshold: float = _opt(10.0, "phrases: join a pair whose score is above this (gensim's threshold)")
    snapshots: int = _opt(
        10,
        "keep this many snapshots of the 2,000 most frequent words' vectors, start to end, for a time-lapse (0 = off)",
    )
    threads: int = field(
        default_factory=lambda: os.cpu_count() or 1, metadata={"help": "CPU threads (default: all cores)"}
    )

    def validate(self) -> TrainParams:
        if self.model not in MODELS:
            raise TrainingError(f"model must be 'skipgram' or 'cbow' (got {self.model!r})")
        if self.sentences not in SENTENCES:
            raise TrainingError(f"sentences must be 'lines' or 'none' (got {self.sentences!r})")
        for name in ("dim", "window", "epochs", "min_count", "batch", "steps", "span", "threads", "phrase_min_count"):
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or v < (0 if name in ("batch", "steps") else 1):
                raise TrainingError(f"{name} must be a whole number of at least 1 (got {v!r})")
        if not isinstance(self.negative, (int, np.integer)) or self.negative < 1:
            raise TrainingError(f"negative must be at least 1 (got {self.negative!r})")
        if self.max_vocab is not None and (not isinstance(self.max_vocab, (int, np.integer)) or self.max_vocab < 1):
            raise TrainingError(f"max_vocab must be at least 1 (got {self.max_vocab!r})")
        if not isinstance(self.phrases, (int, np.integer)) or not 0 <= self.phrases <= 3:
            raise TrainingError(f"phrases must be 0 (off), 1, 2 or 3 passes (got {self.phrases!r})")
        threshold = self.phrase_threshold
        if not isinstance(threshold, (int, float)) or not math.isfinite(threshold) or threshold <= 0:
            # as gensim's Phrases: with the default scorer, a threshold of 0 or less joins chance pairs
            raise TrainingError(f"phrase_threshold must be a number above 0 (got {threshold!r}); 10 is usual")
        if not isinstance(self.snapshots, (int, np.integer)) or not (self.snapshots == 0 or 2 <= self.snapshots <= 100):
            raise TrainingError(f"snapshots must be 0 (off) or 2 to 100 (got {self.snapshots!r}); 10 is usual")
        if not 0 <= self.sample < 1:
            raise TrainingError(f"sample must be between 0 and 1 (got {self.sample!r}); 1e-3 is usual")
        if not 0 < self.lr <= 1 or not 0 <= self.min_lr <= self.lr:
            raise TrainingError(f"need 0 < lr <= 1 and 0 <= min_lr <= lr (got {self.lr}, {self.min_lr})")
        return self

    # -- the batching policy (docs/DESIGN.md, "How the trainer batches its work") -------
    def spans_per_step(self, n_vocab: int) -> int:
        """Spans in one training step: 1,024 centres (CBOW 2,048), but at most one per vocabulary
        word, since many summed updates per row and step make a tiny vocabulary diverge."""
        default = 1024 if self.model == "skipgram" else 2048
        return max(1, (self.batch or min(default, n_vocab)) // self.span)

    @property
    def span_negatives(self) -> int:
        """Noise words a span's centres share: each stands in for about 3 centres' draws (CBOW
        with half as many is 12% faster but loses 0.01-0.02 of WS353, bench/RESULTS.md)."""
        return max(self.negative, self.span * self.negative * 3 // 10)

    @property
    def noise_groups(self) -> int:
        """CBOW splits a span's centres and its noise words into this many groups, each centre
        scored against its own group's words only: each word still stands in for as many draws,
        and the noise products' work halves at the same quality (bench/RESULTS.md)."""
        if self.model == "cbow" and self.span % 2 == 0 and self.span_negatives % 2 == 0:
            return 2
        return 1

    def steps_per_call(self, n_vocab: int) -> int:
        """Training steps per TensorFlow call (about 131,072 centres): each return to Python
        waits for the GIL, which the producer thread holds between numpy operations."""
        return self.steps or max(1, 131_072 // (self.span * self.spans_per_step(n_vocab)))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def options(cls) -> list[tuple[str, Any, str]]:
        """``(name, default, help)`` of every field, for command lines and forms."""
        # a field computed at run time (threads: all cores) has no fixed default to show
        return [(f.name, None if f.default is MISSING else f.default, f.metadata["help"]) for f in fields(cls)]


@dataclass
class Progress:
    """A snapshot handed to the progress callback."""

    fraction: float  # of the whole training, 0..1
    words_per_sec: float  # raw corpus words per second
    loss: float  # mean negative-sampling loss of the latest steps
    eta_sec: float
    epoch: int  # 1-based
    elapsed_sec: float


ProgressFn = Callable[[Progress], None]
