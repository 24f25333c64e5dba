"""The ``contexts`` command: evidence from the corpus a bundle keeps.

``contexts DIR WORD``: up to ``-n`` example lines holding WORD (its in-vocabulary tokens, cut to
``--width`` tokens on each side, joined by spaces), one a line. ``contexts DIR WORD WORD2``: first
the ``--shared`` context words the two share most within the training window, each with its count
(the smaller of the two co-occurrence counts; both in brackets), then ``-n`` lines where WORD
occurs with one of them and ``-n`` where WORD2 does. ``--json``: ``{"lines": [...], "shared":
[{"word": ..., "count": ...}, ...]}`` (``shared`` only with WORD2; its lines are WORD's, then WORD2's).
"""

from __future__ import annotations

import argparse
import json

from .errors import InvalidArgumentError


def add_parsers(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("contexts", help="example lines of a word, and the contexts two words share")
    c.add_argument("dir", metavar="DIR")
    c.add_argument("word", metavar="WORD")
    c.add_argument("word2", metavar="WORD2", nargs="?", help="a second word: the context words they share")
    c.add_argument("-n", type=int, default=5, help="example lines (per word; default 5)")
    c.add_argument("--shared", type=int, default=10, metavar="K", help="shared context words to list (default 10)")
    c.add_argument("--width", type=int, default=10, help="tokens shown on each side of the word (default 10)")
    c.add_argument("--window", type=int, default=None, help="context window (default: the training window)")
    c.add_argument("--json", action="store_true")


def run_contexts(args) -> int:
    from . import evidence, load

    if args.n < 1:
        raise InvalidArgumentError(f"-n must be 1 or more (got {args.n})")
    ev = evidence.require(load(args.dir))
    if args.word2 is None:
        lines = evidence.example_lines(ev, args.word, n=args.n, width=args.width)
        if args.json:
            print(json.dumps({"lines": [x.text for x in lines]}, ensure_ascii=False))
        else:
            for x in lines:
                print(x.text)
        return 0
    shared = evidence.shared_contexts(ev, args.word, args.word2, window=args.window, n=args.shared)
    with_words = [c.word for c in shared.contexts]
    lines = []
    if with_words:  # no shared context: no line shows one
        for w in (args.word, args.word2):
            lines += evidence.example_lines(
                ev, w, n=args.n, width=args.width, with_words=with_words, window=shared.window
            )
    if args.json:
        out = {
            "lines": [x.text for x in lines],
            "shared": [{"word": c.word, "count": c.count} for c in shared.contexts],
        }
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"shared contexts of {args.word!r} and {args.word2!r} (within {shared.window} words):")
    for w, counted, total in (
        (args.word, shared.counted_a, shared.occurrences_a),
        (args.word2, shared.counted_b, shared.occurrences_b),
    ):
        if counted < total:
            print(f"  (counted over {counted:,} of the {total:,} occurrences of {w!r}, evenly spread)")
    width = max((len(c.word) for c in shared.contexts), default=4)
    for c in shared.contexts:
        print(f"  {c.word:<{width}}  {c.count:>6}  ({args.word} {c.count_a}, {args.word2} {c.count_b})")
    if not shared.contexts:
        print("  (none)")
    print("lines:")
    for x in lines:
        print(x.text)
    return 0
