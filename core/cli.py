"""Command-line interface: ``python -m core train|import|export|info|neighbors|analogy`` (and the
commands of ``cli_maps``, ``cli_compare`` and ``cli_evidence``).

Errors print one line on stderr and exit with status 1 (2 for bad usage); nothing is left behind.
The query commands never import TensorFlow, so they answer quickly.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import cli_compare, cli_evidence, cli_maps
from .errors import OutputExistsError, W2VError
from .params import CHOICES, TrainParams

PROG = "python -m core"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


def _add_train_options(t: argparse.ArgumentParser) -> None:
    """One option per TrainParams field: its default and help text live in core.params only."""
    for name, default, text in TrainParams.options():
        flag = "--" + name.replace("_", "-")
        shown = "" if default is None or "default" in text else f" (default {default})"
        if name in CHOICES:
            t.add_argument(flag, choices=CHOICES[name], default=default, help=text + shown)
        elif name == "phrases":  # a bare --phrases is one pass
            t.add_argument(flag, type=int, nargs="?", const=1, default=default, metavar="PASSES", help=text + shown)
        else:
            t.add_argument(flag, type=float if isinstance(default, float) else int, default=default, help=text + shown)


def _add_index_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--index",
        choices=["background", "now", "none"],
        default="background",
        help="the search index of a big set (50,000 words or more): built by a background process "
        "after the save, searching exactly until it is ready (default); before the command returns; or not at all",
    )


def _parser() -> argparse.ArgumentParser:
    ap = _Parser(prog=PROG, description="Word2Vec Explorer: train, convert and query word vectors.")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=_Parser)

    t = sub.add_parser("train", help="train vectors on text files (.txt, .gz, .zip)")
    t.add_argument("corpus", nargs="+", metavar="CORPUS")
    t.add_argument("--out", required=True, metavar="DIR", help="bundle folder to write")
    t.add_argument("--force", action="store_true", help="replace the bundle at --out if there is one")
    _add_train_options(t)
    t.add_argument("--keep-case", action="store_true", help="do not lowercase the text")
    t.add_argument("--max-bytes", type=int, default=None, help="limit on decompressed text (default 2 GiB)")
    _add_index_option(t)

    i = sub.add_parser("import", help="convert a vector file into a bundle")
    i.add_argument("file", metavar="FILE")
    i.add_argument("--format", required=True, choices=["npy", "word2vec", "word2vec-bin", "glove", "tsv", "keras"])
    i.add_argument("--out", required=True, metavar="DIR")
    i.add_argument("--force", action="store_true", help="replace the bundle at --out if there is one")
    i.add_argument("--vocab", metavar="FILE", help="word list for npy / keras (one word per line)")
    i.add_argument("--layer", metavar="NAME", help="Embedding layer to take from a .keras model")
    _add_index_option(i)

    e = sub.add_parser("export", help="write a bundle in another format")
    e.add_argument("dir", metavar="DIR")
    e.add_argument("--format", required=True, choices=["npy", "word2vec", "word2vec-bin", "glove", "tsv"])
    e.add_argument("--out", required=True, metavar="PATH", help="file (tsv: folder) to write; never inside a bundle")
    e.add_argument("--force", action="store_true", help="replace --out if it exists")

    x = sub.add_parser("index", help="(re)build the approximate search index of a bundle")
    x.add_argument("dir", metavar="DIR")
    x.add_argument("--if-missing", action="store_true", help="only if the bundle has no index yet")

    f = sub.add_parser("info", help="describe a bundle")
    f.add_argument("dir", metavar="DIR")

    n = sub.add_parser("neighbors", help="nearest words to a word")
    n.add_argument("dir", metavar="DIR")
    n.add_argument("word", metavar="WORD")
    n.add_argument("-k", type=int, default=10)
    n.add_argument("--metric", choices=["cosine", "euclidean", "dot"], default="cosine")
    n.add_argument("--exact", action="store_true", help="exact search even when an index exists")
    n.add_argument(
        "--snapshot", type=int, metavar="I", help="answer from training snapshot I (0-based), among its words"
    )
    n.add_argument("--json", action="store_true")

    a = sub.add_parser("analogy", help='"A is to B as C is to ?"')
    a.add_argument("dir", metavar="DIR")
    a.add_argument("a", metavar="A")
    a.add_argument("b", metavar="B")
    a.add_argument("c", metavar="C")
    a.add_argument("-k", type=int, default=10)
    a.add_argument("--method", choices=["add", "mul"], default="add")
    a.add_argument("--json", action="store_true")

    cli_maps.add_parsers(sub)
    cli_compare.add_parsers(sub)
    cli_evidence.add_parsers(sub)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {
            "train": _train,
            "import": _import,
            "export": _export,
            "info": _info,
            "index": _index,
            "neighbors": _neighbors,
            "analogy": _analogy,
            "map": cli_maps.run_map,
            "axes": cli_maps.run_axes,
            "compare": cli_compare.run_compare,
            "contexts": cli_evidence.run_contexts,
        }[args.command](args)
    except W2VError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted; nothing was saved", file=sys.stderr)
        return 130
    except MemoryError:
        print("error: out of memory; use a smaller corpus, --max-vocab or fewer --dim", file=sys.stderr)
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}; check the path and permissions", file=sys.stderr)
    except Exception as exc:  # a bug: still one line, with the type to report
        print(f"error: unexpected {type(exc).__name__}: {exc}; please report this", file=sys.stderr)
    return 1


def _check_out(out: str, force: bool = False) -> None:
    from .bundle import is_bundle

    p = Path(out)
    if p.exists() and not (p.is_dir() and (is_bundle(p) or not any(p.iterdir()))):
        raise OutputExistsError(f"{out}: exists and is not a bundle; choose another --out")
    if is_bundle(p) and not force:
        raise OutputExistsError(f"{out}: a bundle exists there; choose another --out, or pass --force to replace it")


def _bar(desc: str, unit: str = "%"):
    from tqdm import tqdm

    return tqdm(
        total=100,
        desc=desc,
        unit=unit,
        file=sys.stderr,
        leave=False,
        disable=None,
        bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}",
    )


def _fraction(bar):
    """A progress(done, total) callback driving a percentage bar."""
    return lambda done, total: bar.update(100 * done / max(total, 1) - bar.n)


def _train(args) -> int:
    from .bundle import save
    from .corpus import DEFAULT_MAX_BYTES
    from .preread import read_while

    given = {name: getattr(args, name) for name, _, _ in TrainParams.options()}
    if given["threads"] is None:
        del given["threads"]  # the field's own default: all cores
    params = TrainParams(**given).validate()  # before the corpus is read: bad values fail at once
    _check_out(args.out, args.force)
    with _bar("reading") as bar:  # TensorFlow loads meanwhile (core.preread), only for training
        corpus = read_while(
            lambda: importlib.import_module(f"{__package__}.train"),
            args.corpus,
            lowercase=not args.keep_case,
            max_bytes=args.max_bytes or DEFAULT_MAX_BYTES,
            progress=_fraction(bar),
        )
    from .train import train

    with _bar("training") as bar:

        def report(p):
            bar.update(100 * p.fraction - bar.n)
            bar.set_postfix_str(f"{p.words_per_sec:,.0f} words/s, loss {p.loss:.3f}, ETA {p.eta_sec:.0f}s")

        es = train(corpus, params, progress=report)
    with _bar("saving" if args.index != "now" else "building the search index") as bar:
        from .evidence_bundle import extras  # the kept corpus and snapshots, in the same atomic save

        save(es, args.out, index=_index_now(args, len(es)), progress=_fraction(bar), extras=extras(es))
    print(
        f"saved {len(es):,} words x {es.dim} dims to {args.out} "
        f"({corpus.n_tokens:,} tokens, {es.meta['training_seconds']:.1f} s){_index_later(args, len(es))}",
        file=sys.stderr,
    )
    return 0


def _index_now(args, n_words: int) -> bool:
    from .ann import wants_index

    return args.index == "now" and wants_index(n_words)


def _index_later(args, n_words: int) -> str:
    """Start the background index build if it is wanted; what to tell the user about it."""
    from .ann import wants_index

    if args.index != "background" or not wants_index(n_words):
        return ""
    import subprocess

    # a process of its own (not a thread): the command returns now, and the build outlives it
    subprocess.Popen(
        [sys.executable, "-m", __package__, "index", os.path.abspath(args.out), "--if-missing"],
        cwd=Path(__file__).resolve().parent.parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return f"; search is exact until its index, building in the background, is ready (`{PROG} info` says)"


def _import(args) -> int:
    from . import formats
    from .bundle import save

    _check_out(args.out, args.force)
    with _bar(f"reading {os.path.basename(args.file)}"):  # transient; cleared when done
        es = formats.read(args.file, args.format, vocab=args.vocab, layer=args.layer, workers=os.cpu_count() or 1)
    with _bar("saving" if args.index != "now" else "building the search index") as bar:
        save(
            es,
            args.out,
            meta={"source": f"imported from {args.format}", "imported_file": os.path.basename(args.file)},
            index=_index_now(args, len(es)),
            progress=_fraction(bar),
        )
    print(f"imported {len(es):,} words x {es.dim} dims into {args.out}{_index_later(args, len(es))}", file=sys.stderr)
    return 0


def _export(args) -> int:
    from . import formats, load

    written = formats.write(load(args.dir), args.out, args.format, overwrite=args.force)
    print("wrote " + ", ".join(str(p) for p in written), file=sys.stderr)
    return 0


def _index(args) -> int:
    from .bundle import index_ready, rebuild_index

    if args.if_missing and index_ready(args.dir):
        return 0
    with _bar("building the search index") as bar:
        rebuild_index(args.dir, progress=_fraction(bar))
    print(f"rebuilt the search index of {args.dir}", file=sys.stderr)
    return 0


def _info(args) -> int:
    from . import load

    es = load(args.dir)
    m = es.meta
    size = sum(f.stat().st_size for f in Path(args.dir).iterdir() if f.is_file())
    print(f"words:      {len(es):,}\ndimensions: {es.dim}\nsize:       {size / 1e6:.1f} MB")
    for key, label in (
        ("source", "source"),
        ("created", "created"),
        ("tensorflow_version", "tensorflow"),
        ("training_seconds", "trained in"),
    ):
        if key in m:
            print(f"{label + ':':<12}{m[key]}")
    if "corpus" in m:
        c = m["corpus"]
        print(f"corpus:     {c.get('name')} ({c.get('tokens', 0):,} tokens, sha256 {c.get('sha256', '')[:16]}...)")
    if "params" in m:
        print("params:     " + ", ".join(f"{k}={v}" for k, v in m["params"].items()))
    from .bundle import index_building

    index = f"approximate ({es.ann.kind}, exact re-ranking)" if es.ann is not None else "exact"
    if es.ann is None and index_building(args.dir):
        index += " (its index is being built)"
    print(f"search:     {index}" + (f" -- {m['index_problem']}" if "index_problem" in m else ""))
    if (ev := es.evidence) is not None:
        mb = ev.nbytes / 1e6
        print(f"corpus kept: {ev.n_tokens:,} tokens in {ev.n_lines:,} lines ({mb:.1f} MB), window {ev.window}")
    if (sn := es.snapshots) is not None:
        at = ", ".join(f"{f:.0%}" for f in sn.fractions)
        print(f"snapshots:  {len(sn)} of the {sn.rows.size:,} most frequent words ({sn.nbytes / 1e6:.1f} MB) at {at}")
    for key in ("evidence_problem", "snapshots_problem"):
        if key in m:
            print(f"problem:    {m[key]}")
    print("top words:  " + " ".join(es.words[:10]))
    return 0


def _print_pairs(pairs, as_json: bool) -> int:
    if as_json:
        print(json.dumps([{"word": w, "score": s} for w, s in pairs]))
    else:
        width = max((len(w) for w, _ in pairs), default=4)
        for w, s in pairs:
            print(f"{w:<{width}}  {s:.4f}")
    return 0


def _neighbors(args) -> int:
    from . import load

    es = load(args.dir)
    if args.snapshot is not None:
        from .snapshots import snapshot_set

        es = snapshot_set(es, args.word, args.snapshot)
    return _print_pairs(es.neighbors(args.word, k=args.k, metric=args.metric, exact=args.exact), args.json)


def _analogy(args) -> int:
    from . import load

    return _print_pairs(load(args.dir).analogy(args.a, args.b, args.c, k=args.k, method=args.method), args.json)
