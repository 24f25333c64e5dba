"""The training process: ``python -m core.worker FD TRAINER``, started and watched by ``core.jobs``.

One process trains one job and exits, so TensorFlow's memory goes with it and a crash, a kill
or a hang ends only that job. It runs at a lower CPU priority (``os.nice(10)``) so that the
server stays responsive. It is started before it is needed: it imports the trainer
(``TRAINER`` is ``module:function``, by default ``core.train:train``, which loads TensorFlow),
says it is ready and waits for its job.

Messages are pickled tuples on a ``multiprocessing`` connection over the socket ``FD``:

- server to worker: ``("job", spec)`` once (``spec``: name, target path, parameters, corpus
  folder), then ``("cancel",)`` at any time; the end of the connection means the server is gone,
  and the worker exits at once (whatever it was doing, nothing half-saved is visible).
- worker to server: ``("ready",)``, ``("stage", text)``, ``("progress", fraction, words/s, loss,
  eta, epoch, elapsed)``, ``("index", done, total)``, and last ``("end", state, error)`` with
  state done, failed or cancelled.

The worker saves the bundle itself, through ``core.bundle.save`` (atomic), and never replaces
an existing set. The corpus comes as a folder written by :func:`write_corpus` (the id stream as
``.npy``, memory-mapped here).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from .corpus import Corpus

DEFAULT_TRAINER = "core.train:train"
IDS, COUNTS, LINES, INFO = "ids.npy", "counts.npy", "lines.npy", "corpus.json"
# stage texts (core.jobs shows them as they are)
VOCABULARY = "building the vocabulary"
SAVING = "saving"
SERVER_GONE = 3  # exit code when the server's end of the connection closed


def write_corpus(corpus: Corpus, folder: Path) -> None:
    """Write ``corpus`` into ``folder`` (which must exist and be empty) for :func:`read_corpus_folder`."""
    np.save(folder / IDS, np.ascontiguousarray(corpus.ids, dtype=np.int32), allow_pickle=False)
    np.save(folder / COUNTS, np.asarray(corpus.counts, dtype=np.int64), allow_pickle=False)
    np.save(folder / LINES, np.asarray(corpus.line_starts, dtype=np.int64), allow_pickle=False)
    info = {
        "words": list(corpus.words),
        "name": corpus.name,
        "sha256": corpus.sha256,
        "n_bytes": int(corpus.n_bytes),
        "lowercase": bool(corpus.lowercase),
    }
    (folder / INFO).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


def read_corpus_folder(folder: Path) -> Corpus:
    """The corpus :func:`write_corpus` wrote; the id stream is memory-mapped, not read."""
    info = json.loads((folder / INFO).read_text(encoding="utf-8"))
    ids = np.load(folder / IDS, mmap_mode="r", allow_pickle=False)
    counts = np.load(folder / COUNTS, allow_pickle=False)
    c = Corpus(info["words"], counts, ids, info["name"], info["sha256"], info["n_bytes"], info["lowercase"])
    if (folder / LINES).is_file():  # a job queued by an older version has none: one line
        c.line_starts = np.load(folder / LINES, allow_pickle=False)
    return c


def load_trainer(spec: str) -> Callable:
    """The function ``module:function`` names."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def run_job(train: Callable, job: dict, send: Callable[[tuple], None], cancel: threading.Event) -> tuple[str, str]:
    """Train and save one job; returns (state, error). ``send`` reports stages and progress."""
    from . import bundle
    from .errors import CancelledError, OutputExistsError, SetExistsError, W2VError
    from .evidence_bundle import extras
    from .params import Progress, TrainParams

    def progress(p: Progress) -> None:
        send(("progress", p.fraction, p.words_per_sec, p.loss, p.eta_sec, p.epoch, p.elapsed_sec))

    def index_progress(done: int, total: int) -> None:
        send(("index", done, total))

    try:
        send(("stage", VOCABULARY))
        corpus = read_corpus_folder(Path(job["corpus"]))
        es = train(corpus, TrainParams(**job["params"]), progress=progress, cancel=cancel)
        del corpus
        target = Path(job["target"])
        appeared = SetExistsError(f"a set named {job['name']!r} appeared while this job ran; nothing was saved")
        if target.exists():  # a set of this name appeared meanwhile (an import): never replace it
            raise appeared
        send(("stage", SAVING))
        try:  # exclusive: if another save of the name wins the race meanwhile, it stays as it is
            bundle.save(
                es,
                target,
                meta={"name": job["name"]},
                progress=index_progress,
                exclusive=True,
                extras=extras(es),  # the kept corpus and snapshots, part of the same atomic save
            )
        except OutputExistsError:
            raise appeared from None
        return "done", ""
    except CancelledError as exc:
        return "cancelled", str(exc)
    except W2VError as exc:
        return "failed", str(exc)
    except MemoryError:
        return "failed", "the training process ran out of memory; try fewer dimensions or a smaller corpus"
    except Exception as exc:
        return "failed", f"unexpected {type(exc).__name__}: {exc}"


def main(argv: list[str]) -> int:
    fd, spec = int(argv[1]), (argv[2] if len(argv) > 2 else DEFAULT_TRAINER)
    os.nice(10)  # below the server: browsing stays responsive while this trains
    conn = Connection(fd)
    lock = threading.Lock()

    def send(msg: tuple) -> None:
        with lock:
            conn.send(msg)

    try:
        train = load_trainer(spec)
    except Exception as exc:
        send(("end", "failed", f"the trainer could not be loaded ({type(exc).__name__}: {exc})"))
        return 1
    send(("ready",))
    try:
        msg = conn.recv()
    except (EOFError, OSError):
        return SERVER_GONE  # retired while idle, or the server stopped
    if msg[0] != "job":
        return 0
    cancel = threading.Event()

    def listen() -> None:  # the server may cancel at any time; if it goes away, so does this process
        while True:
            try:
                if conn.recv()[0] == "cancel":
                    cancel.set()
            except (EOFError, OSError):
                os._exit(SERVER_GONE)

    threading.Thread(target=listen, name="w2v-worker-listen", daemon=True).start()
    state, error = run_job(train, msg[1], send, cancel)
    try:
        send(("end", state, error))
    except OSError:
        return SERVER_GONE
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
