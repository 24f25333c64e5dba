"""The workspace: one bundle per sub-folder of ``$W2V_WORKSPACE`` (default ``./workspace``),
plus the bundled sample, which is always listed and read-only.

Bundle names are checked by one function, :func:`check_name`, so a name typed by a user can
never reach outside the workspace. Uploaded file names are never paths either: an upload is
written under a safe name of one path component (:func:`upload_file_name`) in a private
temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from . import bundle
from .errors import (
    FormatError,
    InvalidNameError,
    ReadOnlyError,
    SetExistsError,
    SetNotFoundError,
    UploadError,
    W2VError,
)

SAMPLE_NAME = "sample"
SAMPLE_PATH = Path(__file__).resolve().parent.parent / "sample_data" / "sample"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def root() -> Path:
    return Path(os.environ.get("W2V_WORKSPACE", "workspace")).absolute()


def check_name(name: str) -> str:
    """Return ``name`` if it is a valid bundle name, else raise a clear error."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):  # fullmatch: "$" would let "a\n" in
        raise InvalidNameError(
            f"{name!r} is not a valid name; use 1-64 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    return name


def slugify(text: str) -> str:
    """A valid name made from free text (e.g. a file name)."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")[:64]
    return slug or "vectors"


def path_of(name: str) -> Path:
    if name == SAMPLE_NAME:
        return SAMPLE_PATH
    p = (root() / check_name(name)).resolve()
    if p.parent != root().resolve():  # belt and braces: symlinks cannot lead out either
        raise InvalidNameError(f"{name!r} points outside the workspace; choose another name")
    return p


@dataclass
class Entry:
    name: str
    path: Path
    meta: dict
    size_bytes: int
    read_only: bool


def entries() -> list[Entry]:
    """The sample first, then the workspace bundles by name. Damaged bundles are skipped."""
    out = []
    for name, path, ro in [(SAMPLE_NAME, SAMPLE_PATH, True)] + [
        (p.name, p, False) for p in sorted(root().glob("*")) if p.is_dir() and _NAME.fullmatch(p.name)
    ]:
        if not bundle.is_bundle(path):
            continue
        try:
            meta = bundle.read_meta(path)
        except W2VError:
            continue
        size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
        out.append(Entry(name, path, meta, size, ro))
    return out


def exists(name: str) -> bool:
    return name == SAMPLE_NAME or bundle.is_bundle(path_of(name))


def free_name(base: str) -> str:
    """``base`` or ``base-2``, ``base-3``... whichever is not taken yet."""
    base = slugify(base)[:58]
    name, n = base, 2
    while exists(name):
        name, n = f"{base}-{n}", n + 1
    return name


def _writable(name: str) -> Path:
    if name == SAMPLE_NAME:
        raise ReadOnlyError("the sample set is read-only; export it or train a new set instead")
    p = path_of(name)
    if not bundle.is_bundle(p):
        raise SetNotFoundError(f"no set named {name!r} in the workspace; check the name in the Library")
    return p


def rename(old: str, new: str) -> None:
    src = _writable(old)
    dst = path_of(check_name(new))
    if new == SAMPLE_NAME or dst.exists():
        raise SetExistsError(f"a set named {new!r} already exists; choose another name")
    os.rename(src, dst)


def delete(name: str) -> None:
    shutil.rmtree(_writable(name))


def clean_stale_temp(max_age_sec: float = 3600) -> int:
    """Remove temporary folders left by saves that were killed (older than ``max_age_sec``)."""
    removed = 0
    if not root().exists():
        return 0
    for p in root().glob(".*.tmp-*"):
        if time.time() - p.stat().st_mtime > max_age_sec:
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
            removed += 1
    return removed


def upload_file_name(name: str) -> str:
    """A safe file name for an upload named ``name`` by the browser: its last component only
    (after ``/`` or ``\\``), control and reserved characters as ``_``, no leading dots (so never
    ``.`` or ``..`` or hidden), at most 100 characters with the extension kept; "upload" if
    nothing is left. Extensions and the Projector names (vectors.tsv...) stay as they were."""
    base = re.split(r"[/\\]", str(name))[-1]
    base = "".join("_" if not c.isprintable() or c in ':*?"<>|' else c for c in base)
    base = base.lstrip(". ").rstrip(" ")
    if len(base) > 100:
        stem, dot, ext = base.rpartition(".")
        base = stem[: 99 - len(ext)] + dot + ext if dot and len(ext) <= 16 else base[:100]
    return base or "upload"


def import_uploads(files: Mapping[str, bytes | IO[bytes]], fmt: str, name: str, layer: str | None = None) -> Path:
    """Import uploaded files (name -> bytes or a binary file object) as bundle ``name``; returns
    its path. The names are the browser's and only labels: each file is written under
    :func:`upload_file_name` in a temporary folder that is removed afterwards.

    npy: the ``.npy`` plus a vocabulary file; tsv: ``vectors.tsv`` plus ``metadata.tsv``;
    keras: the ``.keras`` model plus an optional vocabulary file; others: the one file.
    """
    import tempfile

    from . import formats

    target = path_of(check_name(name))
    if name == SAMPLE_NAME or target.exists():
        raise SetExistsError(f"a set named {name!r} already exists; choose another name")
    if not files:
        raise UploadError("no file was uploaded; choose the files to import first")
    safe: dict[str, bytes | IO[bytes]] = {}
    for fname, data in files.items():
        local = upload_file_name(fname)
        if local in safe:
            raise UploadError(f"two uploaded files are both named {local!r}; upload each file once, or rename one")
        safe[local] = data
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for local, data in safe.items():
            p = Path(tmp) / local  # one path component, never a path from the user
            if isinstance(data, bytes | bytearray | memoryview):
                p.write_bytes(data)
            else:
                data.seek(0)
                with open(p, "wb") as out:
                    shutil.copyfileobj(data, out, 1 << 20)
            paths.append(p)
        main, vocab = _pick_files(paths, fmt)
        try:
            es = formats.read(Path(tmp) if fmt == "tsv" else main, fmt, vocab=vocab, layer=layer or None)
        except FormatError as exc:
            raise FormatError(_as_uploaded(str(exc), tmp)) from None
        bundle.save(es, target, meta={"name": name, "source": f"imported from {fmt}", "imported_file": main.name})
    return target


def _as_uploaded(message: str, folder: str) -> str:
    """A reader's message as the uploader sees it: file names without the server's temporary
    folder, and the page's controls instead of command-line options."""
    message = message.replace(folder + os.sep, "").replace(folder, "the upload")
    for cli, page in (
        ("pass --vocab FILE", "upload a vocabulary file with it"),
        ("--vocab FILE", "a vocabulary file"),
        ("with --layer NAME", "in the Keras layer box"),
    ):
        message = message.replace(cli, page)
    return message


def _pick_files(paths: list[Path], fmt: str) -> tuple[Path, Path | None]:
    by_ext = {".npy": "npy", ".keras": "keras"}
    if fmt == "tsv":
        names = {p.name for p in paths}
        if not {"vectors.tsv", "metadata.tsv"} <= names:
            raise UploadError("the Projector format needs two files named vectors.tsv and metadata.tsv; upload both")
        return paths[0].parent / "vectors.tsv", None
    if fmt in by_ext.values():
        ext = next(e for e, f in by_ext.items() if f == fmt)
        main = [p for p in paths if p.suffix == ext]
        if len(main) != 1:
            raise UploadError(f"upload exactly one {ext} file (got {len(main)})")
        others = [p for p in paths if p != main[0]]
        if fmt == "npy" and not others:
            raise UploadError("the npy format needs a vocabulary file too (one word per line); upload it with the .npy")
        return main[0], (others[0] if others else None)
    if len(paths) != 1:
        raise UploadError(f"the {fmt} format is a single file; upload one file")
    return paths[0], None


def export_bytes(name: str, fmt: str) -> tuple[str, bytes]:
    """The set ``name`` in ``fmt`` as one download: a single file, or a .zip for several files."""
    import io
    import tempfile
    import zipfile

    from . import formats

    es = bundle.open_bundle(path_of(name))
    # word2vec and GloVe are both text: the name tells them apart
    ext = {"npy": ".npy", "word2vec": ".word2vec.txt", "word2vec-bin": ".bin", "glove": ".glove.txt", "tsv": ""}[fmt]
    with tempfile.TemporaryDirectory() as tmp:
        written = formats.write(es, Path(tmp) / f"{name}{ext}", fmt)
        if len(written) == 1:
            return written[0].name, written[0].read_bytes()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for p in written:
                z.write(p, p.name)
        return f"{name}-{fmt}.zip", buf.getvalue()
