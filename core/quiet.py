"""Keep TensorFlow's start-up chatter off stderr, where only the project's errors belong.

TensorFlow's C++ side logs at import and at device discovery (oneDNN notices, "Could not find
cuda drivers", cuInit failures on machines with CUDA libraries but no GPU) straight to file
descriptor 2, before ``TF_CPP_MIN_LOG_LEVEL`` can silence all of it. The descriptor is pointed at
a temporary file meanwhile; if loading fails, what was captured is written out after all.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def quiet_stderr() -> Iterator[None]:
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            capture.seek(0)
            sys.stderr.write(capture.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def import_tensorflow(lean: bool = False):
    """``tensorflow``, imported and its devices discovered quietly (queries never call this).
    ``lean``: only the ops the trainer uses (``core.tf_lean``), unless the whole is loaded already."""
    from . import tf_lean

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    loaded = tf_lean.whole_loaded()
    with quiet_stderr():
        tf: Any = None
        if lean and not loaded:
            with contextlib.suppress(ImportError):  # this TensorFlow keeps them elsewhere: the whole, then
                tf = tf_lean.load()
        if tf is None:
            # TensorFlow's import also loads Keras's optimizers (a third of its import time,
            # bench/RESULTS.md) unless Keras fails to import, which it tolerates; the trainer needs no
            # Keras, and a later ``import keras`` (the .keras reader) loads it as usual once unblocked
            block = not loaded and "keras" not in sys.modules
            if block:
                sys.modules["keras"] = None  # type: ignore[assignment]
            try:
                tf = tf_lean.whole()
            finally:
                if block:
                    del sys.modules["keras"]
        tf.get_logger().setLevel("ERROR")  # a new trainer per run retraces on purpose
        tf.config.list_physical_devices()  # device discovery logs too; done here, quietly
    return tf
