"""The corpus a set keeps in its bundle (``core.evidence.Evidence``): made from the trainer's stream,
written, opened, and attached later to a set that has none.

In a bundle: ``corpus_ids.npy`` (uint16 when the vocabulary has at most 65,536 words, else int32),
``corpus_lines.npy`` (int64, where each line begins), both memory-mapped on open, and
``meta["evidence"]`` (tokens, lines, bytes, window, whether windows stop at line ends).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .errors import BundleError, CorpusError
from .evidence import Evidence

if TYPE_CHECKING:
    from .embeddings import EmbeddingSet
    from .sources import Source

IDS, LINES = "corpus_ids.npy", "corpus_lines.npy"
DEFAULT_WINDOW = 5  # for sets that do not say how they were trained


def _window(value: object) -> int:
    """A stored training window, or the default where it is missing or not a positive whole number."""
    return value if isinstance(value, int) and value > 0 else DEFAULT_WINDOW


def from_stream(
    ids: np.ndarray, line_starts: np.ndarray, es: EmbeddingSet, window: int, sentences: bool, corpus: str = ""
) -> Evidence:
    """The evidence of a stream over ``es``'s vocabulary (ids stored in the smallest fitting type)."""
    dtype = np.uint16 if len(es) <= 1 << 16 else np.int32
    return Evidence(
        np.asarray(ids, dtype=dtype),
        np.asarray(line_starts, dtype=np.int64),
        es.words,
        es.key_to_index,
        int(window),
        bool(sentences),
        corpus,
    )


def write(ev: Evidence, folder: Path) -> dict:
    """Write the evidence into a bundle folder; returns its ``meta["evidence"]`` entry."""
    np.save(folder / IDS, np.ascontiguousarray(ev.ids), allow_pickle=False)
    np.save(folder / LINES, np.ascontiguousarray(ev.line_starts), allow_pickle=False)
    size = (folder / IDS).stat().st_size + (folder / LINES).stat().st_size
    return {
        "tokens": ev.n_tokens,
        "lines": ev.n_lines,
        "words": len(ev.words),
        "window": ev.window,
        "sentences": ev.sentences,
        "corpus": ev.corpus,
        "bytes": int(size),
    }


def open_evidence(folder: Path, es: EmbeddingSet, meta: dict) -> Evidence | None:
    """The bundle's corpus, memory-mapped; None when it keeps none. Raises BundleError if damaged."""
    if not (folder / IDS).is_file():
        return None
    from .formats._util import DAMAGED_NPY

    try:
        ids = np.load(folder / IDS, mmap_mode="r", allow_pickle=False)
        starts = np.load(folder / LINES, mmap_mode="r", allow_pickle=False)
    except FileNotFoundError:
        raise BundleError(f"{folder}: {IDS} without {LINES}; re-save the bundle") from None
    except (ValueError, *DAMAGED_NPY) as exc:
        raise BundleError(f"{folder}: the stored corpus is unreadable ({exc}); re-save the bundle") from None
    ok = (
        isinstance(meta, dict)
        and meta.get("words") == len(es)
        and isinstance(ids, np.ndarray)
        and ids.ndim == 1
        and ids.dtype in (np.uint16, np.int32)
        and isinstance(starts, np.ndarray)
        and starts.ndim == 1
        and starts.dtype == np.int64
        and (starts.size == 0 or (starts[0] == 0 and starts[-1] < max(ids.size, 1)))
    )
    if not ok:
        raise BundleError(f"{folder}: the stored corpus does not match the vocabulary; re-save the bundle")
    return Evidence(
        ids,
        starts,
        es.words,
        es.key_to_index,
        _window(meta.get("window")),
        bool(meta.get("sentences", True)),
        str(meta.get("corpus", "")),
    )


def open_extras(folder: Path, es: EmbeddingSet) -> None:
    """Attach the bundle's evidence and snapshots to ``es`` (None when absent); a damaged one is
    left off and said in ``meta["evidence_problem"]`` / ``meta["snapshots_problem"]``."""
    from .snapshots import open_snapshots

    try:
        es.evidence = open_evidence(folder, es, es.meta.get("evidence", {}))
    except BundleError as exc:
        es.meta["evidence_problem"] = str(exc)
    try:
        es.snapshots = open_snapshots(folder, len(es), es.dim, es.meta.get("snapshots", {}))
    except BundleError as exc:
        es.meta["snapshots_problem"] = str(exc)


def extras(es: EmbeddingSet) -> Callable[[Path], dict] | None:
    """For ``core.bundle.save(extras=...)``: writes the set's evidence and snapshots, if it has any."""
    if es.evidence is None and es.snapshots is None:
        return None

    def write_all(folder: Path) -> dict:
        from . import snapshots

        added = {}
        if es.evidence is not None:
            added["evidence"] = write(es.evidence, folder)
        if es.snapshots is not None:
            added["snapshots"] = snapshots.write(es.snapshots, folder)
        return added

    return write_all


# -- attaching a corpus to a set that has none -----------------------------------------------------
def encode_corpus(es: EmbeddingSet, sources: Source | Sequence[Source], progress=None) -> Evidence:
    """Read corpus files and encode them over ``es``'s vocabulary, as its tokens were made (case
    folded unless the set kept case)."""
    from .corpus import read_corpus
    from .query import keeps_case
    from .vocab import encode_lines

    keep = keeps_case(es)
    if keep is None:  # unknown: a set with capitalised frequent words kept case
        keep = any(w != w.lower() for w in es.words[:1000])
    corpus = read_corpus(sources, lowercase=not keep, progress=progress)
    remap = np.array([es.key_to_index.get(w, -1) for w in corpus.words], dtype=np.int32)
    if not (remap >= 0).any():
        raise CorpusError(f"{corpus.name}: none of its words is in the set's vocabulary; attach the set's own corpus")
    params = es.meta.get("params", {})
    return from_stream(
        *encode_lines(corpus.ids, remap, corpus.line_starts),
        es,
        _window(params.get("window") if isinstance(params, dict) else None),
        True,
        corpus.name,
    )


def attach_corpus(path: str | os.PathLike, sources: Source | Sequence[Source], progress=None) -> Evidence:
    """Encode corpus files over the bundle's vocabulary and add them to the bundle, atomically: a
    new folder holding hard links to the bundle's files (copies where links fail), the corpus and
    an updated ``meta.json`` replaces the old one in one rename."""
    import shutil

    from .atomic import atomic_dir
    from .bundle import META, open_bundle

    p = Path(path)
    es = open_bundle(p)
    ev = encode_corpus(es, sources, progress)
    meta = json.loads((p / META).read_text(encoding="utf-8"))  # as stored, without open's notes
    with atomic_dir(p, fsync=True) as tmp:
        for f in p.iterdir():
            if f.is_file() and f.name not in (META, IDS, LINES):
                try:
                    os.link(f, tmp / f.name)  # the vectors are not copied; memory maps of them stay valid
                except OSError:
                    shutil.copy2(f, tmp / f.name)
        meta["evidence"] = write(ev, tmp)
        (tmp / META).write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
    return ev


def attach_to_set(name: str, sources: Source | Sequence[Source], progress=None) -> Evidence:
    """:func:`attach_corpus` for a workspace set; the sample set is read-only."""
    from . import workspace

    return attach_corpus(workspace._writable(name), sources, progress)
