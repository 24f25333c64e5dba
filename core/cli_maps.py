"""The map commands of the CLI: ``map`` (PCA, t-SNE, UMAP) and ``axes`` (semantic axes).

Both write ``word,x,y[,z]`` CSV, one row per word, in the order of the word file or by frequency.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from .errors import InvalidArgumentError, MissingFileError, OutputExistsError


def add_parsers(sub: argparse._SubParsersAction) -> None:
    m = sub.add_parser("map", help="coordinates of a 2-D or 3-D map of the vectors (CSV)")
    m.add_argument("dir", metavar="DIR")
    m.add_argument("--method", required=True, choices=["pca", "tsne", "umap"])
    _points(m)
    m.add_argument("--dims", type=int, choices=[2, 3], default=2, help="2 or 3 (default 2)")
    m.add_argument("--seed", type=int, default=0, help="same seed, same layout (default 0)")
    _out(m)

    a = sub.add_parser("axes", help="words placed by their cosine with two directions (CSV)")
    a.add_argument("dir", metavar="DIR")
    a.add_argument("--x", required=True, metavar="FROM:TO", help="e.g. man:woman, or boy,girl:king,queen")
    a.add_argument("--y", required=True, metavar="FROM:TO", help="e.g. poor:rich, or a formula: king-man+woman")
    _points(a)
    _out(a)


def _points(p: argparse.ArgumentParser) -> None:
    which = p.add_mutually_exclusive_group()
    which.add_argument("--top", type=int, default=None, metavar="N", help="the N most frequent words (default 1000)")
    which.add_argument("--words", metavar="FILE", help="a word list, one word per line")


def _out(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="FILE.csv")
    p.add_argument("--force", action="store_true", help="replace FILE.csv if it exists")


def _rows(es, args) -> np.ndarray:
    from .projection import choose_rows
    from .query import normalize_word

    if args.words is None:
        top = 1000 if args.top is None else args.top
        if top < 1:
            raise InvalidArgumentError(f"--top must be at least 1 (got {top})")
        return choose_rows(es, top_n=top)
    try:
        text = Path(args.words).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MissingFileError(f"{args.words}: no such file; give a word list, one word per line") from None
    except UnicodeDecodeError:
        raise InvalidArgumentError(f"{args.words}: not UTF-8 text; save the word list as UTF-8") from None
    typed = [line.strip() for line in text.splitlines() if line.strip()]
    if not typed:
        raise InvalidArgumentError(f"{args.words}: holds no words; give one word per line")
    return choose_rows(es, words=[normalize_word(es, w) for w in typed])


def _write(text: str, out: str, force: bool) -> None:
    from .atomic import atomic_file

    if Path(out).exists() and not force:
        raise OutputExistsError(f"{out}: exists; pass --force to replace it")
    if Path(out).is_dir():
        raise OutputExistsError(f"{out}: is a folder; give a file name such as map.csv")
    with atomic_file(out) as tmp:
        tmp.write_text(text, encoding="utf-8")


def run_map(args) -> int:
    from . import load
    from .projection import layout

    es = load(args.dir)
    rows = _rows(es, args)
    result = layout(es, rows, method=args.method, dims=args.dims, seed=args.seed)
    _write(result.to_csv(), args.out, args.force)
    print(f"wrote {len(result.words):,} words ({args.method}, {args.dims}-D) to {args.out}", file=sys.stderr)
    return 0


def run_axes(args) -> int:
    from . import load
    from .axes import axes_layout, parse_axis

    es = load(args.dir)
    x, y = parse_axis(es, args.x), parse_axis(es, args.y)
    result = axes_layout(es, _rows(es, args), x, y)
    _write(result.to_csv(), args.out, args.force)
    print(f"wrote {len(result.words):,} words on x = {x.title}, y = {y.title} to {args.out}", file=sys.stderr)
    return 0
