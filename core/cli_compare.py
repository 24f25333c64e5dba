"""The ``compare`` command: how much two bundles agree on each shared word's neighbours.

Text output: a line saying which words were compared, the mean overlap, then the ``--top`` words
with the lowest overlap (most changed) first. ``--json``: ``{"shared_words": N, "mean_overlap":
x, "words": [{"word": ..., "overlap": ...}, ...]}``, lowest overlap first, where N is the number
of shared words compared (the mean's words). Ties: the more frequent word (in A) first.
"""

from __future__ import annotations

import argparse
import json

from .compare import DEFAULT_LIMIT
from .errors import InvalidArgumentError


def add_parsers(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("compare", help="neighbour overlap of the words two bundles share")
    c.add_argument("dir_a", metavar="DIR_A")
    c.add_argument("dir_b", metavar="DIR_B")
    c.add_argument("-k", type=int, default=10, help="neighbours per word (default 10)")
    c.add_argument("--top", type=int, default=50, metavar="N", help="most changed words to list (default 50; 0 = all)")
    c.add_argument(
        "--words",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"compare the N most frequent shared words, neighbours searched among them (default {DEFAULT_LIMIT:,}; "
        "0 = all)",
    )
    c.add_argument("--json", action="store_true")


def run_compare(args) -> int:
    from . import load
    from .compare import neighbour_overlap

    if args.top < 0:
        raise InvalidArgumentError(f"--top must be 0 (all) or more (got {args.top})")
    if args.words < 0:
        raise InvalidArgumentError(f"--words must be 0 (all) or more (got {args.words})")
    es_a, es_b = load(args.dir_a), load(args.dir_b)
    report = neighbour_overlap(es_a, es_b, k=args.k, limit=args.words)
    top = args.top or None
    if args.json:
        print(json.dumps(report.to_json(top)))
        return 0
    n, total = len(report.vocab), report.vocab.total_shared
    which = f"all {n:,}" if n == total else f"the {n:,} most frequent (in A) of {total:,}"
    print(f"shared words: {which}; k = {report.k}, neighbours searched among the compared words")
    print(f"mean overlap: {report.mean_overlap:.4f}")
    rows = report.most_changed(top)
    print(f"most changed ({len(rows):,}, lowest overlap first):")
    width = max((len(e.word) for e in rows), default=4)
    for e in rows:
        print(f"{e.word:<{width}}  {e.overlap:.4f}")
    return 0
