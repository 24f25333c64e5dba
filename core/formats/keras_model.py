"""Import only: the Embedding layer of a ``.keras`` model (loaded with Keras safe mode).

The vocabulary comes from a given file (one word per line) or from a TextVectorization layer in
the model; its padding token ("") is dropped together with its row.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..embeddings import EmbeddingSet
from ..errors import FormatError, MissingFileError
from ._util import check_finite
from .npy import read_vocab_lines


def _layers(model) -> list:
    out = []
    for layer in getattr(model, "layers", []):
        out.append(layer)
        out.extend(_layers(layer))
    return out


def read_keras(
    path: str | os.PathLike, vocab: str | os.PathLike | None = None, layer: str | None = None
) -> EmbeddingSet:
    p = Path(path)
    if not p.is_file():
        raise MissingFileError(f"{p}: no such file; check the path")
    from ..quiet import import_tensorflow

    import_tensorflow()  # quietly, before keras loads it
    import keras  # heavy; only loaded for this format

    try:
        model = keras.saving.load_model(p, compile=False, safe_mode=True)
    except Exception as exc:  # keras raises many types for bad files
        msg = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise FormatError(f"{p}: not a loadable .keras model ({msg}); save it with model.save('x.keras')") from None
    layers = _layers(model)
    embeddings = [lay for lay in layers if isinstance(lay, keras.layers.Embedding)]
    if layer is not None:
        embeddings = [lay for lay in embeddings if lay.name == layer]
        if not embeddings:
            raise FormatError(
                f"{p}: no Embedding layer named {layer!r}; choose one of "
                f"{', '.join(lay.name for lay in layers if isinstance(lay, keras.layers.Embedding))}"
            )
    if not embeddings:
        raise FormatError(f"{p}: the model has no Embedding layer; nothing to import")
    if len(embeddings) > 1:
        raise FormatError(
            f"{p}: the model has several Embedding layers ({', '.join(e.name for e in embeddings)}); "
            "choose one with --layer NAME"
        )
    matrix = np.asarray(embeddings[0].get_weights()[0], dtype=np.float32)
    if vocab is not None:
        words = read_vocab_lines(Path(vocab))
    else:
        tv = [lay for lay in layers if isinstance(lay, keras.layers.TextVectorization)]
        if not tv:
            raise FormatError(
                f"{p}: the model has no TextVectorization layer to take words from; "
                "pass --vocab FILE (one word per line, in row order)"
            )
        words = [w.decode() if isinstance(w, bytes) else str(w) for w in tv[0].get_vocabulary()]
    if len(words) != matrix.shape[0]:
        raise FormatError(
            f"{p}: {len(words)} vocabulary words but the Embedding layer has {matrix.shape[0]} rows; they must match"
        )
    keep = [i for i, w in enumerate(words) if w != ""]
    check_finite(matrix, str(p))
    return EmbeddingSet([words[i] for i in keep], matrix[keep], source=str(p))
