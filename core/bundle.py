"""The on-disk bundle: a folder with ``vectors.npy``, ``vocab.tsv`` and ``meta.json``.

Saving writes a hidden temporary folder next to the target and renames it into place, so an
interrupted save never leaves a half bundle and never damages the previous one. Opening memory-maps
the matrix and validates shapes and values before anything is used.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .atomic import atomic_dir, recover
from .embeddings import EmbeddingSet
from .errors import BundleError, FormatError, MissingFileError, OutputExistsError
from .formats._util import DAMAGED_NPY, UNSTORABLE, has_unstorable

FORMAT_VERSION = 1
VECTORS, VOCAB, META = "vectors.npy", "vocab.tsv", "meta.json"
_CHUNK_ROWS = 65536


def is_bundle(path: str | os.PathLike) -> bool:
    p = Path(path)
    return all((p / n).is_file() for n in (VECTORS, VOCAB, META))


def save(
    es: EmbeddingSet,
    path: str | os.PathLike,
    meta: dict | None = None,
    index: bool | None = None,
    progress=None,
    exclusive: bool = False,
    extras: Callable[[Path], Mapping | None] | None = None,
) -> Path:
    """Write ``es`` as a bundle at ``path`` atomically; returns the path.

    ``meta`` is merged over ``es.meta``; format version, shape, a sha256 of the vectors and the
    creation time are added. ``index``: build the ANN search index (default: for sets of
    ``core.ann.MIN_WORDS`` words or more); it is part of the same atomic rename.
    ``progress(done, total)`` reports the index build, in rows.
    ``exclusive``: never replace; if something is at ``path`` before the save or appears there
    while it writes (another session saving the same name), raise :class:`OutputExistsError`
    and leave that other bundle as it is. Of two exclusive saves of one name, one wins.
    ``extras(folder)``: writes more files into the temporary folder before the rename (the kept
    corpus and training snapshots: ``core.evidence_bundle.extras``); what it returns is merged into the
    metadata, which otherwise loses the entries of files this save does not write.
    """
    from . import ann

    target = Path(path).absolute()
    if has_unstorable(es.words):  # one search of all the words; then the first such word is named
        w = next(w for w in es.words if any(ch in w for ch in UNSTORABLE))
        raise BundleError(
            f"the word {w!r} contains a tab or line break, which a bundle cannot store; clean the vocabulary first"
        )
    if exclusive:
        recover(target)  # a bundle left aside by an interrupted replace still counts
        if os.path.lexists(target):
            raise _exists(target)
    with _new_dir(target) if exclusive else atomic_dir(target, fsync=True) as tmp:
        _write_vectors(es, tmp / VECTORS)
        with open(tmp / VOCAB, "w", encoding="utf-8", newline="\n") as f:
            f.write("word\tcount\n")
            counts = es.counts
            for i, w in enumerate(es.words):
                f.write(f"{w}\t{'' if counts is None else int(counts[i])}\n")
        info = {**es.meta, **(meta or {})}
        for key in ("index_problem", "evidence_problem", "snapshots_problem", "evidence", "snapshots"):
            info.pop(key, None)  # notes made on open, and entries of files only `extras` writes
        if extras is not None:
            info.update(extras(tmp) or {})
        sha = ann.vectors_sha256(es.vectors)
        info.update(format_version=FORMAT_VERSION, words=len(es), dimensions=es.dim, vectors_sha256=sha)
        info.setdefault("created", _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"))
        with open(tmp / META, "w", encoding="utf-8") as f:
            json.dump(info, f, indent=2, sort_keys=True)
        if ann.wants_index(len(es)) if index is None else index:
            ann.AnnIndex.build(es.vectors, progress=progress).save(tmp, sha)
    return target


def _exists(target: Path) -> OutputExistsError:
    return OutputExistsError(f"{target}: exists already (another session may have just saved it); choose another name")


@contextmanager
def _new_dir(target: Path) -> Iterator[Path]:
    """Like ``atomic_dir``, but the final rename never replaces anything: renaming a folder onto
    an existing non-empty folder (or a file) fails on POSIX, atomically, so when two saves race
    for one name exactly one rename succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield tmp
        for f in (f for f in tmp.iterdir() if f.is_file()):
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        if os.path.lexists(target):  # also an empty folder, which rename would replace
            raise _exists(target)
        try:
            os.rename(tmp, target)
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EISDIR):
                raise _exists(target) from None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_vectors(es: EmbeddingSet, path: Path) -> None:
    # written in chunks (memory stays flat when the source is itself a memory map), by write():
    # several times faster than filling a new memory map, whose every page faults first
    n, dim = es.vectors.shape
    with open(path, "wb") as f:
        np.lib.format.write_array_header_1_0(f, {"descr": "<f4", "fortran_order": False, "shape": (n, dim)})
        for start in range(0, n, _CHUNK_ROWS):
            f.write(np.ascontiguousarray(es.vectors[start : start + _CHUNK_ROWS], dtype="<f4").data)


def read_meta(path: str | os.PathLike) -> dict:
    p = Path(path)
    try:
        with open(p / META, encoding="utf-8") as f:
            meta = json.load(f)
    except FileNotFoundError:
        raise BundleError(f"{p}: no {META}; this is not a saved bundle (import the file instead)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BundleError(f"{p / META}: damaged ({exc}); re-save or re-import the bundle") from None
    if not isinstance(meta, dict):
        raise BundleError(f"{p / META}: not a JSON object; re-save or re-import the bundle")
    version = meta.get("format_version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise BundleError(f"{p / META}: format_version {version!r} is not a whole number; re-save the bundle")
    for key in ("corpus", "params"):
        if not isinstance(meta.get(key, {}), dict):
            raise BundleError(f"{p / META}: {key!r} is not a JSON object; re-save or re-import the bundle")
    if version > FORMAT_VERSION:
        raise BundleError(
            f"{p}: bundle format {meta['format_version']} is newer than this program "
            f"understands ({FORMAT_VERSION}); upgrade Word2Vec Explorer"
        )
    return meta


def read_vocab(path: Path) -> tuple[list[str], np.ndarray | None]:
    try:
        with open(path, encoding="utf-8", newline="\n") as f:
            lines = f.read().split("\n")
    except FileNotFoundError:
        raise BundleError(f"{path.parent}: no {VOCAB}; the bundle is incomplete, re-save it") from None
    except UnicodeDecodeError:
        raise BundleError(f"{path}: not UTF-8 text; the bundle is damaged, re-save it") from None
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != "word\tcount":
        raise BundleError(f"{path}: line 1 must be the header 'word<TAB>count'; the bundle is damaged, re-save it")
    words, counts = [], []
    for n, line in enumerate(lines[1:], start=2):
        word, sep, count = line.partition("\t")
        if not sep or (count and not (count.isascii() and count.isdigit() and len(count) < 19)):
            raise BundleError(f"{path}, line {n}: expected 'word<TAB>count'; the bundle is damaged, re-save it")
        words.append(word)
        counts.append(count)
    if any(counts) and not all(counts):
        raise BundleError(f"{path}: some words have a count and others not; the bundle is damaged, re-save it")
    return words, (np.array(counts, dtype=np.int64) if counts and counts[0] else None)


def open_bundle(path: str | os.PathLike, *, check_values: bool = True) -> EmbeddingSet:
    """Open a bundle (memory-mapped, read-only) and validate it."""
    p = Path(path)
    recover(p)
    if not p.is_dir():
        raise MissingFileError(f"{p}: no such bundle folder; check the name (or import a file first)")
    meta = read_meta(p)
    words, counts = read_vocab(p / VOCAB)
    try:
        vectors = np.load(p / VECTORS, mmap_mode="r", allow_pickle=False)
    except FileNotFoundError:
        raise BundleError(f"{p}: no {VECTORS}; the bundle is incomplete, re-save it") from None
    except (ValueError, *DAMAGED_NPY) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        if "pickle" in first:  # numpy's own advice (allow_pickle) is not for a damaged bundle
            first = "not a .npy matrix; it is never unpickled"
        raise BundleError(f"{p / VECTORS}: unreadable ({first}); re-save the bundle") from None
    if not isinstance(vectors, np.ndarray):  # an .npz archive
        vectors.close()
        raise BundleError(f"{p / VECTORS}: not a .npy matrix; re-save the bundle")
    if vectors.dtype != np.float32:
        raise BundleError(f"{p / VECTORS}: dtype {vectors.dtype}, expected float32; re-save the bundle")
    if check_values:
        for start in range(0, vectors.shape[0] if vectors.ndim == 2 else 0, _CHUNK_ROWS):
            if not np.isfinite(vectors[start : start + _CHUNK_ROWS]).all():
                raise BundleError(f"{p / VECTORS}: contains NaN or infinite values; retrain or re-import")
    try:
        es = EmbeddingSet(words, vectors, counts, meta, source=str(p))
    except FormatError as exc:
        raise BundleError(f"{exc}; the bundle is damaged, re-save it") from None
    if meta.get("words") not in (None, len(es)) or meta.get("dimensions") not in (None, es.dim):
        raise BundleError(
            f"{p}: meta.json says {meta.get('words')} x {meta.get('dimensions')} but the "
            f"files hold {len(es)} x {es.dim}; the bundle is damaged, re-save it"
        )
    from .ann import AnnIndex

    try:
        es.ann = AnnIndex.open(p, vectors, meta)
    except BundleError as exc:  # never use an index that does not match: search exactly instead
        es.meta["index_problem"] = str(exc)
    from .evidence_bundle import open_extras

    open_extras(p, es)  # the kept corpus and snapshots, when the bundle has them
    return es


_INDEX_TMP = ".index.tmp-"


def index_ready(path: str | os.PathLike) -> bool:
    """Whether the bundle has its search index files (not whether they are sound: opening checks)."""
    from . import ann

    return (Path(path) / ann.INDEX_FILE).is_file() and (Path(path) / ann.INDEX_META).is_file()


def index_building(path: str | os.PathLike) -> bool:
    """Whether an index build (``rebuild_index``, e.g. in the background) is writing into the bundle."""
    return any(Path(path).glob(_INDEX_TMP + "*"))


def rebuild_index(path: str | os.PathLike, progress=None) -> None:
    """Build the bundle's ANN index anew from its vectors.

    The files are written apart and moved in, the sidecar first: a reader meanwhile finds no index
    (or the old one) and searches exactly. If the bundle was replaced during the build (another
    save of the name), the new index is dropped rather than put into a bundle it does not fit."""
    from . import ann

    p = Path(path)
    es = open_bundle(p)
    notes = ("index_problem", "evidence_problem", "snapshots_problem")
    meta = {k: v for k, v in es.meta.items() if k not in notes}  # as read from meta.json
    tmp = Path(tempfile.mkdtemp(prefix=_INDEX_TMP, dir=p))
    try:
        sha = ann.vectors_sha256(es.vectors)
        ann.AnnIndex.build(es.vectors, progress=progress).save(tmp, sha)
        if meta.get("vectors_sha256") != sha:
            meta["vectors_sha256"] = sha
            (tmp / META).write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
        if not tmp.exists():  # the bundle folder was replaced meanwhile (and this one removed)
            return
        for name in (ann.INDEX_META, META, ann.INDEX_FILE):
            if (tmp / name).exists():
                os.replace(tmp / name, p / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
