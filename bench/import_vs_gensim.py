"""Importing a word2vec text file: `python -m core import` against gensim's load_word2vec_format.

    python3 bench/import_vs_gensim.py [--n 50000] [--dim 300] [--repeats 3]

Both sides end to end, each in a fresh process timed from its start to its end: gensim's a process
that imports gensim and loads the file; ours the real command, which returns once the bundle is
saved and searchable (exactly; a set of 50,000 words or more gets its search index from a
background process afterwards). Then, in a new process, the bundle is opened and one exact query
answered (the set is queryable at once), and the time until the background index is ready is
noted; the next run waits for it, so no measurement shares the CPU with a build. Runs alternate
gensim and ours; the ratio is of the medians. Vectors: bench.big_sets.make_vectors (clustered).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.big_sets import make_vectors, write_text  # noqa: E402
from core import ann, bundle  # noqa: E402

GENSIM = "from gensim.models import KeyedVectors; KeyedVectors.load_word2vec_format({path!r})"
QUERY = "import core, json; es = core.load({out!r}); print(json.dumps(es.neighbors({word!r}, k=10, exact=True)))"


def timed(argv: list[str]) -> float:
    t = time.perf_counter()
    r = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr[-2000:])
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--dim", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--tmp", default=None)
    args = ap.parse_args()
    tmp = Path(args.tmp or tempfile.mkdtemp(prefix="import-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / f"vectors-{args.n}x{args.dim}.txt"
    if not path.exists():
        write_text(path, [f"w{i}" for i in range(args.n)], make_vectors(args.n, args.dim))
    print(f"{path.name}: {path.stat().st_size / 1e6:.0f} MB")
    theirs, ours, query, ready = [], [], [], []
    for _ in range(args.repeats):
        theirs.append(timed([sys.executable, "-c", GENSIM.format(path=str(path))]))
        out = tmp / "bundle"
        t0 = time.perf_counter()
        ours.append(
            timed(
                [
                    sys.executable,
                    "-m",
                    "core",
                    "import",
                    str(path),
                    "--format",
                    "word2vec",
                    "--out",
                    str(out),
                    "--force",
                ]
            )
        )
        query.append(timed([sys.executable, "-c", QUERY.format(out=str(out), word="w7")]))
        while bundle.index_building(out) or (ann.wants_index(args.n) and not bundle.index_ready(out)):
            time.sleep(0.1)
        ready.append(time.perf_counter() - t0)
        print(
            f"gensim {theirs[-1]:.2f} s  ours {ours[-1]:.2f} s  then open + exact query {query[-1]:.2f} s  "
            f"index ready {ready[-1]:.1f} s after the import began",
            flush=True,
        )
    g, o = statistics.median(theirs), statistics.median(ours)
    print(
        json.dumps(
            {
                "gensim_s": g,
                "ours_s": o,
                "ratio": g / o,
                "query_s": statistics.median(query),
                "index_ready_s": statistics.median(ready),
            }
        )
    )
    print(f"ratio (gensim / ours, medians of {args.repeats}): {g / o:.1f}x")


if __name__ == "__main__":
    main()
