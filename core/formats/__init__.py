"""Import and export of the vector formats people already hold; all speak `EmbeddingSet`.

=============  ======  ======  ==============================================================
format         read    write   files
=============  ======  ======  ==============================================================
npy            yes     yes     ``X.npy`` + vocabulary, one word per line (``X.vocab.txt``)
word2vec       yes     yes     text with a ``COUNT DIM`` header (gensim-compatible bytes)
word2vec-bin   yes     yes     binary word2vec (gensim-compatible bytes)
glove          yes     yes     text, no header
tsv            yes     yes     Projector folder: vectors.tsv, metadata.tsv, projector_config.pbtxt
keras          yes     no      ``.keras`` model: its Embedding layer (+ TextVectorization vocab)
=============  ======  ======  ==============================================================
"""

from __future__ import annotations

import os
from pathlib import Path

from ..embeddings import EmbeddingSet
from ..errors import FormatError, InvalidArgumentError, MissingFileError, OutputExistsError

READ_FORMATS = ("npy", "word2vec", "word2vec-bin", "glove", "tsv", "keras")
WRITE_FORMATS = ("npy", "word2vec", "word2vec-bin", "glove", "tsv")


def read(
    path: str | os.PathLike,
    fmt: str,
    vocab: str | os.PathLike | None = None,
    layer: str | None = None,
    workers: int = 1,
) -> EmbeddingSet:
    """Read a foreign vector file. ``vocab`` is the word list for npy/keras (and tsv metadata).
    ``workers`` > 1 parses word2vec text in that many forked processes: only where no other
    threads run (the command line), since a forked child can inherit a lock another thread held."""
    if fmt not in READ_FORMATS:
        raise InvalidArgumentError(f"unknown format {fmt!r}; choose one of {', '.join(READ_FORMATS)}")
    p = Path(path)
    if not p.exists():
        raise MissingFileError(f"{p}: no such file; check the path")
    if fmt in ("word2vec", "glove", "word2vec-bin", "npy", "keras") and p.is_dir():
        raise FormatError(f"{p}: is a folder; give the {fmt} file itself")
    # the readers (and pandas, 0.3 s) load when a format is used: a bundle's save needs none of them
    from .binary import read_word2vec_bin
    from .npy import read_npy
    from .text import read_glove, read_word2vec
    from .tsv import read_tsv

    if fmt == "npy":
        return read_npy(p, vocab)
    if fmt == "tsv":
        return read_tsv(p, vocab)
    if fmt == "keras":
        from .keras_model import read_keras

        return read_keras(p, vocab, layer)
    if vocab is not None:
        raise InvalidArgumentError(f"--vocab is only for npy, tsv and keras; {fmt} files hold their words")
    if fmt == "word2vec":
        return read_word2vec(p, workers)
    return {"glove": read_glove, "word2vec-bin": read_word2vec_bin}[fmt](p)


def write(es: EmbeddingSet, path: str | os.PathLike, fmt: str, overwrite: bool = False) -> list[Path]:
    """Write ``es`` in ``fmt`` (atomically); returns the files written.

    Never writes into a bundle's folder (nor onto one). An existing file is replaced only with
    ``overwrite`` (the CLI's ``--force``); a tsv folder only if it holds nothing but Projector files.
    """
    if fmt not in WRITE_FORMATS:
        raise InvalidArgumentError(f"cannot export to {fmt!r}; choose one of {', '.join(WRITE_FORMATS)}")
    _check_outputs(_outputs(Path(path), fmt), fmt, overwrite)
    from .binary import write_word2vec_bin
    from .npy import write_npy
    from .text import write_glove, write_word2vec
    from .tsv import write_tsv

    if fmt == "npy":
        return write_npy(es, path)
    if fmt == "tsv":
        return write_tsv(es, path)
    if fmt in ("word2vec", "glove") or fmt == "word2vec-bin":
        for w in es.words:
            if not w or any(ch.isspace() for ch in w):
                raise FormatError(f"the word {w!r} is empty or contains whitespace; {fmt} files cannot hold it")
    {"word2vec": write_word2vec, "glove": write_glove, "word2vec-bin": write_word2vec_bin}[fmt](es, path)
    return [Path(path)]


_PROJECTOR_FILES = {"vectors.tsv", "metadata.tsv", "projector_config.pbtxt"}


def _outputs(p: Path, fmt: str) -> list[Path]:
    """The paths ``write`` would create: npy adds ``.npy`` and writes the vocabulary beside it."""
    if fmt == "npy":
        from .npy import vocab_path_for

        p = p if p.suffix == ".npy" else p.with_name(p.name + ".npy")
        return [p, vocab_path_for(p)]
    return [p]


def _check_outputs(outputs: list[Path], fmt: str, overwrite: bool) -> None:
    from ..bundle import is_bundle

    for out in outputs:
        real = out.resolve()  # symlinks and ".." resolved: the folder really written into
        for folder in (real, *real.parents):
            if is_bundle(folder):
                where = "is a bundle" if folder == real else f"is inside the bundle {folder}"
                raise OutputExistsError(f"{out}: {where}, whose files an export never replaces; choose another path")
        if not out.exists() and not out.is_symlink():
            continue
        if fmt == "tsv" and out.is_dir():
            others = sorted(p.name for p in out.iterdir() if p.name not in _PROJECTOR_FILES)
            if others:
                raise OutputExistsError(
                    f"{out}: is a folder holding other files ({', '.join(others[:3])}); "
                    "choose a new or empty folder for the Projector files"
                )
            if not any(out.iterdir()):
                continue
        elif fmt == "tsv":
            raise OutputExistsError(f"{out}: is a file, and the Projector format writes a folder; choose another --out")
        elif out.is_dir():
            raise OutputExistsError(f"{out}: is a folder; give a file name for the {fmt} file")
        if not overwrite:
            raise OutputExistsError(f"{out}: exists; choose another --out, or pass --force to replace it")


def guess_format(path: str | os.PathLike, head: bytes | None = None) -> str | None:
    """A likely format from the name and, for text, the first line (read from ``head`` if given,
    else from the file): used by the app's uploader."""
    p = Path(path)
    if p.is_dir() or p.name in ("vectors.tsv", "metadata.tsv"):
        return "tsv"
    ext = p.suffix.lower()
    if ext == ".npy":
        return "npy"
    if ext == ".keras":
        return "keras"
    if ext == ".bin":
        return "word2vec-bin"
    if ext in (".txt", ".vec", ".w2v", ".glove"):
        if head is None:
            try:
                with open(p, "rb") as f:
                    head = f.readline()
            except OSError:
                return None
        first = head.split(b"\n", 1)[0].split()
        return "word2vec" if len(first) == 2 and all(h.isdigit() for h in first) else "glove"
    return None
