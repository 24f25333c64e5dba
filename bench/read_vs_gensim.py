"""Reading a corpus: ours (``core.corpus.read_corpus``) against gensim's ``build_vocab`` on the
same file, in the same run; and what joining phrases (``core.phrases``) adds to our read.

    python3 ../shared/bench/get_bench_data.py DIR ; python3 bench/man_corpus.py DIR
    python3 bench/read_vs_gensim.py --data DIR [--files gcide.txt man.txt] [--repeats 3]

Each measurement runs in a fresh process (imports not counted: both libraries are loaded before
the clock starts), alternating who goes first; medians are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(who: str, path: str) -> dict:
    import time

    if who == "gensim":
        from gensim.models import Word2Vec
        from gensim.models.word2vec import LineSentence

        model = Word2Vec(vector_size=100, min_count=5, workers=2)
        t = time.perf_counter()
        model.build_vocab(LineSentence(path))
        return {"sec": time.perf_counter() - t, "tokens": int(model.corpus_total_words)}
    sys.path.insert(0, str(ROOT))
    from core.corpus import read_corpus
    from core.phrases import join_phrases

    t = time.perf_counter()
    c = read_corpus(path)
    read = time.perf_counter() - t
    t = time.perf_counter()
    joined = join_phrases(c, 1)
    phrases = time.perf_counter() - t
    return {"sec": read, "tokens": c.n_tokens, "phrases_sec": phrases, "phrases": len(joined.words) - len(c.words)}


def measure(who: str, path: Path) -> dict:
    r = subprocess.run([sys.executable, __file__, "_child", who, str(path)], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"{who} failed: {r.stderr[-1500:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="~/.cache/w2v-bench")
    ap.add_argument("--files", nargs="+", default=["gcide.txt", "man.txt"])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    for name in args.files:
        path = Path(os.path.expanduser(args.data)) / name
        runs: dict[str, list[dict]] = {"gensim": [], "ours": []}
        for rep in range(args.repeats):
            for who in ("gensim", "ours") if rep % 2 == 0 else ("ours", "gensim"):
                runs[who].append(measure(who, path))
        g = statistics.median(r["sec"] for r in runs["gensim"])
        o = statistics.median(r["sec"] for r in runs["ours"])
        ph = statistics.median(r["phrases_sec"] for r in runs["ours"])
        print(
            f"{name:<10} {runs['ours'][0]['tokens']:>10,} tokens (gensim counts {runs['gensim'][0]['tokens']:,})  "
            f"gensim build_vocab {g:5.2f} s  ours {o:5.2f} s  ratio {g / o:4.2f}x  "
            f"| phrases {ph:4.2f} s = +{100 * ph / o:3.0f}% of our read ({runs['ours'][0]['phrases']:,} phrases)",
            flush=True,
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        print(json.dumps(child(sys.argv[2], sys.argv[3])))
    else:
        main()
