"""Writing files and folders so that a reader sees the old version or the new one, never half.

Output goes to a hidden temporary (``.NAME.tmp-*``) beside the target and is renamed into place.
A folder that already exists is first moved aside to ``.NAME.old-*``; :func:`recover` puts it
back if the process stopped between those two renames. Used by ``core.bundle`` and
``core.formats``.
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_file(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; it replaces ``path`` only if the block succeeds."""
    target = Path(path).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.tmp-", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_dir(path: str | os.PathLike, fsync: bool = False) -> Iterator[Path]:
    """Yield a temporary folder next to ``path``; it replaces ``path`` (a whole folder) only if
    the block succeeds. ``fsync``: flush every file to disk before the rename."""
    target = Path(path).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield tmp
        if fsync:
            for p in (f for f in tmp.iterdir() if f.is_file()):
                with open(p, "rb") as f:
                    os.fsync(f.fileno())
        _swap_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_into_place(tmp: Path, target: Path) -> None:
    if not target.exists():
        os.rename(tmp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)  # between these two renames, recover() puts `old` back if needed
    os.rename(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def recover(path: str | os.PathLike) -> None:
    """Put back a previous folder left aside by a write that stopped between its two renames."""
    target = Path(path).absolute()
    if target.exists():
        return
    olds = sorted(glob.glob(glob.escape(str(target.parent / f".{target.name}.old-")) + "*"), key=os.path.getmtime)
    if olds:
        os.rename(olds[-1], target)
