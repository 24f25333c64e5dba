"""Import only: the Embedding layer of a ``.keras`` model (loaded with Keras safe mode).

No code from the file ever runs: before Keras sees the model, its ``config.json`` is read as
plain JSON and a model naming anything but Keras' own classes (a custom layer, even one this
process has registered, a Lambda layer, a Python function) is refused.

The vocabulary comes from a given file (one word per line) or from a TextVectorization layer in
the model; its padding token ("") is dropped together with its row.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from ..embeddings import EmbeddingSet
from ..errors import FormatError, MissingFileError
from ._util import check_finite, check_words, first_line
from .npy import read_vocab_lines


def _layers(model) -> list:
    out = []
    for layer in getattr(model, "layers", []):
        out.append(layer)
        out.extend(_layers(layer))
    return out


_MAX_CONFIG = 64 << 20  # bytes of config.json; a model's is a few kB per layer
_WEIGHTS = "model.weights.h5"


def check_no_code(path: Path) -> None:
    """Refuse a ``.keras`` file that is not a zip with a JSON ``config.json``, whose config names
    a class outside Keras (custom layers and functions) or a Lambda layer, or declares an
    Embedding larger than its weights file."""
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("config.json")
            if info.file_size > _MAX_CONFIG:
                raise FormatError(f"{path}: config.json is {info.file_size:,} bytes, too large for a model's config")
            config = json.loads(z.read(info).decode("utf-8"))
            weights = z.getinfo(_WEIGHTS).file_size if _WEIGHTS in z.namelist() else 0
    except FormatError:
        raise
    except KeyError:
        raise FormatError(f"{path}: no config.json inside; save the model with model.save('x.keras')") from None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        RecursionError,
        RuntimeError,
        NotImplementedError,
    ):
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression; ValueError: bad JSON/UTF-8
        raise FormatError(
            f"{path}: not a .keras model (a zip holding config.json); save it with model.save('x.keras')"
        ) from None
    stack = [config]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        stack.extend(item.values())
        cls, module, registered = item.get("class_name"), item.get("module"), item.get("registered_name")
        if cls in ("Lambda", "__lambda__"):
            raise FormatError(
                f"{path}: the model has a Lambda layer, whose Python code is never run (unsafe); "
                "save a model without it"
            )
        if "module" not in item:
            continue  # not a serialized class (a tensor reference, a tuple...)
        if cls == "Embedding":
            _check_embedding_size(path, item.get("config"), weights)
        builtin = isinstance(module, str) and (module == "keras" or module.startswith("keras."))
        if not builtin or (isinstance(registered, str) and ">" in registered):
            name = registered if isinstance(registered, str) else cls
            raise FormatError(
                f"{path}: the model uses custom code ({str(name)[:60]!r}), which is never run (unsafe); "
                "save a model of built-in Keras layers only"
            )


def _check_embedding_size(path: Path, config: object, weights: int) -> None:
    """Keras allocates an Embedding's whole matrix before it reads the weights: refuse sizes that
    are not whole numbers, or that the weights file is too small to hold (a tiny file declaring
    billions of rows would take the server's memory)."""
    rows, dims = (config.get("input_dim"), config.get("output_dim")) if isinstance(config, dict) else (None, None)
    if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in (rows, dims)):
        raise FormatError(
            f"{path}: an Embedding layer's size ({rows!r} x {dims!r}) is not two positive whole numbers; "
            "the model is damaged, save it again"
        )
    assert isinstance(rows, int) and isinstance(dims, int)
    if rows * dims > 2 * weights:  # half a byte a weight: even int4-quantized weights take that
        raise FormatError(
            f"{path}: an Embedding layer declares {rows:,} x {dims:,} weights, more than its "
            f"{_WEIGHTS} ({weights:,} bytes) can hold; the model is damaged, save it again"
        )


def read_keras(
    path: str | os.PathLike, vocab: str | os.PathLike | None = None, layer: str | None = None
) -> EmbeddingSet:
    p = Path(path)
    if not p.is_file():
        raise MissingFileError(f"{p}: no such file; check the path")
    from ..quiet import import_tensorflow

    check_no_code(p)  # before Keras reads anything
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
    try:  # a damaged config can load and still fail here (a weight dtype Keras cannot convert...)
        weights = embeddings[0].get_weights()
        matrix = np.asarray(weights[0], dtype=np.float32) if weights else np.zeros((0, 0), np.float32)
    except Exception as exc:  # noqa: BLE001 - keras and TensorFlow raise many types
        raise FormatError(
            f"{p}: the Embedding layer's weights cannot be read ({first_line(exc)}); save the model again"
        ) from None
    if matrix.ndim != 2:
        raise FormatError(f"{p}: the Embedding layer's weights have shape {matrix.shape}, not words x dimensions")
    if vocab is not None:
        words = read_vocab_lines(Path(vocab))
    else:
        tv = [lay for lay in layers if isinstance(lay, keras.layers.TextVectorization)]
        if not tv:
            raise FormatError(
                f"{p}: the model has no TextVectorization layer to take words from; "
                "pass --vocab FILE (one word per line, in row order)"
            )
        try:  # e.g. an "encoding" in the config that is no codec: Keras only finds out here
            words = [w.decode() if isinstance(w, bytes) else str(w) for w in tv[0].get_vocabulary()]
        except Exception as exc:  # noqa: BLE001 - keras and TensorFlow raise many types
            raise FormatError(
                f"{p}: the TextVectorization layer's vocabulary cannot be read ({first_line(exc)}); "
                "pass --vocab FILE (one word per line, in row order) or save the model again"
            ) from None
    if len(words) != matrix.shape[0]:
        raise FormatError(
            f"{p}: {len(words)} vocabulary words but the Embedding layer has {matrix.shape[0]} rows; they must match"
        )
    keep = [i for i, w in enumerate(words) if w != ""]
    if vocab is None:
        check_words([words[i] for i in keep], f"{p} (TextVectorization vocabulary)", 1, unit="word")
    check_finite(matrix, str(p))
    return EmbeddingSet([words[i] for i in keep], matrix[keep], source=str(p))
