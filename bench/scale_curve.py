"""Training time and peak memory as the corpus grows: the benchmark corpus 1, 3 and 10 times over.

    python3 bench/scale_curve.py --data DIR [--copies 1 3 10] [--model skipgram] [--base-repeats 3]

Each corpus is gcide.txt repeated (one copy per line, so about 4M, 12M and 40M tokens). Each run
is the real command (`python -m core train`, gensim's parameters, 2 threads), timed from process
start to saved bundle, with the process's peak memory (its own and its reader child's). The target:
10 copies in at most about 10 times the time of one, in at most 1.5 GB + 4 bytes per token. One
copy is run first and again after the larger corpora; each point is compared with their median.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.train_vs_gensim import measure  # noqa: E402


def repeated(src: Path, copies: int, folder: Path) -> Path:
    out = folder / f"{src.stem}-x{copies}.txt"
    if copies == 1:
        return src
    if not out.exists():
        text = src.read_bytes().rstrip(b"\n") + b"\n"
        with open(out, "wb") as f:
            for _ in range(copies):
                f.write(text)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="folder made by get_bench_data.py")
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 3, 10])
    ap.add_argument("--model", default="skipgram")
    ap.add_argument("--tmp", default=None, help="where the repeated corpora go (default: --data)")
    ap.add_argument("--base-repeats", type=int, default=3, help="runs of the smallest corpus: one first, the rest last")
    args = ap.parse_args()
    data = Path(os.path.expanduser(args.data))
    folder = Path(args.tmp) if args.tmp else data
    small, *large = args.copies
    # this machine's speed moves by half within minutes (bench/RESULTS.md): the smallest corpus is
    # run before and after the larger ones, and the curve is drawn from the median of its runs
    order = [small] + large + [small] * (args.base_repeats - 1)
    runs = []
    for k in order:
        corpus = repeated(data / "gcide.txt", k, folder)
        r = measure("ours", corpus, folder / f"scale-x{k}", args.model, 2, {})
        r["budget_mb"] = 1536 + 4 * r["words"] / 2**20
        runs.append((k, r))
        print(json.dumps({"copies": k, **r}), flush=True)
    base = statistics.median(r["wall"] for k, r in runs if k == small) / small
    for k, r in runs:
        print(
            f"x{k:<3} {r['words']:>11,} tokens  wall {r['wall']:7.1f} s ({r['wall'] / (base * k):.2f} of linear "
            f"from the median x{small})  training {r['train']:6.1f} s  peak {r['peak_mb']:6.0f} MB "
            f"(budget {r['budget_mb']:,.0f} MB)",
            flush=True,
        )


if __name__ == "__main__":
    main()
