"""Reading a corpus while TensorFlow loads: the two fixed costs of ``python -m core train`` overlap.

Importing TensorFlow costs seconds of CPU (bench/RESULTS.md), and so does reading a corpus; one
thread each would take turns on the GIL, so the corpus is read in a forked child process while
the parent imports TensorFlow. The child writes the id stream into a temporary folder (as the
training process's spool, ``core.worker.write_corpus``) and sends back only "done" or its error;
the parent loads the folder when both are ready. Nothing the parent has loaded before the fork
imports pandas (0.3 s): the child loads it for its tokenizer. Where ``fork`` is missing (not
POSIX), the corpus is read first and TensorFlow loaded after, as before.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .corpus import Corpus, read_corpus  # pandas not yet: the child loads it (core.tokens)
from .errors import CorpusError, MissingFileError, W2VError
from .sources import shown_name


def _child(conn: Any, folder: str, args: tuple, kwargs: dict, progress: Callable | None) -> None:
    from . import worker

    try:
        # the parent's import is the longer of the two: it goes first on a busy core
        os.nice(10)
        corpus = read_corpus(*args, progress=progress, **kwargs)
        worker.write_corpus(corpus, Path(folder))
        conn.send(("done", None))
    except W2VError as exc:  # the project's own one-line errors, re-raised in the parent as they are
        conn.send(("error", exc))
    except BaseException as exc:
        conn.send(("error", CorpusError(f"reading the corpus failed ({type(exc).__name__}: {exc})")))
    finally:
        conn.close()


def read_while(load: Callable[[], object], *args: Any, progress: Callable | None = None, **kwargs: Any) -> Corpus:
    """``read_corpus(*args, **kwargs)`` in a child process while ``load()`` runs here."""
    from . import worker

    sources = args[0] if args else kwargs["sources"]
    for src in [sources] if isinstance(sources, str | os.PathLike) else list(sources):
        if isinstance(src, str | os.PathLike) and not os.path.exists(src):  # said at once, not after the load
            raise MissingFileError(f"{shown_name(os.fspath(src))}: no such file; check the path")
    if "fork" not in multiprocessing.get_all_start_methods():
        corpus = read_corpus(*args, progress=progress, **kwargs)
        load()
        return corpus
    ctx = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="w2v-read-") as folder:
        ours, theirs = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(theirs, folder, args, kwargs, progress), daemon=True)
        child.start()
        theirs.close()
        try:
            load()
            try:
                kind, err = ours.recv()
            except EOFError:  # killed (out of memory?) before it could say
                child.join()
                raise CorpusError(
                    f"reading the corpus stopped (exit code {child.exitcode}); it may need more memory"
                ) from None
            child.join()
        finally:
            if child.is_alive():
                child.kill()
        if kind == "error":
            raise err
        return worker.read_corpus_folder(Path(folder))  # memory-mapped: the mapping outlives the folder
