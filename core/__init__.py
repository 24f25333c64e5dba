"""Word2Vec Explorer's engine: corpus -> vocabulary -> TensorFlow trainer -> bundle -> queries.

Only light modules are imported here, so queries start fast; ``core.train`` (TensorFlow) and
``core.formats`` (pandas) are imported when used.
"""

from __future__ import annotations

import os

from .embeddings import EmbeddingSet
from .errors import (
    BundleError,
    CancelledError,
    CorpusError,
    FormatError,
    InvalidArgumentError,
    InvalidNameError,
    MissingFileError,
    OutputExistsError,
    ReadOnlyError,
    SetExistsError,
    SetNotFoundError,
    TrainingError,
    UnknownWordError,
    UploadError,
    W2VError,
    WorkspaceError,
)

__all__ = [
    "load",
    "EmbeddingSet",
    "W2VError",
    "InvalidArgumentError",
    "MissingFileError",
    "OutputExistsError",
    "CorpusError",
    "FormatError",
    "BundleError",
    "TrainingError",
    "CancelledError",
    "UnknownWordError",
    "WorkspaceError",
    "InvalidNameError",
    "SetExistsError",
    "SetNotFoundError",
    "ReadOnlyError",
    "UploadError",
]


def load(path: str | os.PathLike) -> EmbeddingSet:
    """Open a saved bundle (memory-mapped, validated)."""
    from .bundle import open_bundle

    return open_bundle(path)
