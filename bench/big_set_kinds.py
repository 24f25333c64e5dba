"""Big sets of three kinds of vectors: import until the search index is ready, reopen, latency, recall.

    python3 bench/big_set_kinds.py --trained BUNDLE [--n 400000] [--dim 300] [--kinds ...]

BUNDLE: a set trained on the benchmark corpus with ``--dim`` dimensions (for example
``python -m core train gcide.txt --dim 300 --out BUNDLE``), whose vectors are resampled.
Kinds (each n x dim, written as word2vec text with 6 decimals):
- clustered: bench.big_sets.make_vectors (cluster centres plus noise, decaying spectrum);
- lowrank: a rank-50 Gaussian signal plus isotropic noise of the same total variance (no clusters);
- trained: rows of the trained set plus Gaussian noise drawn from its own covariance (scaled
  by 0.35), so the spectrum, norms and neighbourhoods are those of real trained vectors.
Per kind: `python -m core import` timed to its return (the set is searchable exactly then), the time
from the import's start until the background index is in place, then in a fresh process the
reopen time and `neighbors(k=10)` p50/p95 over --queries words with recall@10 against exact cosine,
each query timed right after an exact one (which scans the whole matrix, so caches are cold), then
the same queries back to back.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.big_sets import in_child, make_vectors, write_text  # noqa: E402
from core import bundle  # noqa: E402


def lowrank(n: int, dim: int, rank: int = 50, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    basis = rng.standard_normal((rank, dim), dtype=np.float32) / np.sqrt(rank)
    out = np.empty((n, dim), np.float32)
    for s in range(0, n, 50_000):
        e = min(n, s + 50_000)
        signal = rng.standard_normal((e - s, rank), dtype=np.float32) @ basis
        noise = rng.standard_normal((e - s, dim), dtype=np.float32) * np.sqrt(signal.var())
        out[s:e] = signal + noise
    return out


def resampled(trained: Path, n: int, dim: int, seed: int = 2) -> np.ndarray:
    import core

    t = np.asarray(core.load(trained).vectors, dtype=np.float32)
    if t.shape[1] != dim:
        raise SystemExit(f"{trained}: {t.shape[1]} dimensions, not {dim}; train it with --dim {dim}")
    rng = np.random.default_rng(seed)
    centred = t - t.mean(0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    scale = (s / np.sqrt(len(t)))[:, None] * vt  # rows: the covariance's square root
    out = np.empty((n, dim), np.float32)
    for a in range(0, n, 50_000):
        b = min(n, a + 50_000)
        base = t[rng.integers(0, len(t), b - a)]
        out[a:b] = base + 0.35 * (rng.standard_normal((b - a, dim), dtype=np.float32) @ scale)
    return out


SEARCH = """
import json, time, numpy as np
t=time.perf_counter(); import core; es=core.load({out!r}); reopen=time.perf_counter()-t
rng=np.random.default_rng(7); qs=[es.words[i] for i in rng.choice(len(es), {queries}, replace=False)]
for w in qs[:20]: es.neighbors(w, k=10)  # the first touches of the memory map
lat=[]; hits=0
for w in qs:  # each query after an exact one, which scans the whole matrix: caches cold
    t=time.perf_counter(); got=es.neighbors(w, k=10); lat.append(time.perf_counter()-t)
    hits += len({{a for a,_ in got}} & {{a for a,_ in es.neighbors(w, k=10, exact=True)}})
warm=[]
for w in qs:  # back to back, as a user's queries with nothing heavy between them
    t=time.perf_counter(); es.neighbors(w, k=10); warm.append(time.perf_counter()-t)
print(json.dumps({{"reopen": reopen, "p50": float(np.percentile(lat,50)), "p95": float(np.percentile(lat,95)),
  "warm_p50": float(np.percentile(warm,50)), "warm_p95": float(np.percentile(warm,95)),
  "recall": hits/(10*len(qs)), "ann": es.ann is not None, "kind": es.ann.kind if es.ann else "exact"}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400_000)
    ap.add_argument("--dim", type=int, default=300)
    ap.add_argument("--kinds", nargs="+", default=["clustered", "lowrank", "trained"])
    ap.add_argument("--trained", type=Path, help="bundle trained on the benchmark corpus (for the 'trained' kind)")
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--tmp", default=None)
    args = ap.parse_args()
    tmp = Path(args.tmp or tempfile.mkdtemp(prefix="bigkinds-"))
    tmp.mkdir(parents=True, exist_ok=True)
    words = [f"w{i}" for i in range(args.n)]
    for kind in args.kinds:
        path = tmp / f"{kind}-{args.n}x{args.dim}.txt"
        if not path.exists():
            if kind == "clustered":
                x = make_vectors(args.n, args.dim)
            elif kind == "lowrank":
                x = lowrank(args.n, args.dim)
            else:
                if args.trained is None:
                    raise SystemExit("--trained BUNDLE is needed for the 'trained' kind")
                x = resampled(args.trained, args.n, args.dim)
            write_text(path, words, x)
            del x
        out = tmp / f"bundle-{kind}"
        t0 = time.perf_counter()
        argv = [sys.executable, "-m", "core", "import", str(path), "--format", "word2vec", "--out", str(out), "--force"]
        r = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
        if r.returncode:
            raise SystemExit(r.stderr[-2000:])
        returned = time.perf_counter() - t0
        while not bundle.index_ready(out) or bundle.index_building(out):
            time.sleep(0.2)
        ready = time.perf_counter() - t0
        q = in_child(SEARCH.format(out=str(out), queries=args.queries))
        print(
            f"{kind:<10} {args.n:,} x {args.dim}: import returned {returned:.1f} s, index ready {ready:.1f} s, "
            f"reopen {q['reopen'] * 1e3:.0f} ms, after exact queries p50 {q['p50'] * 1e3:.2f} ms p95 "
            f"{q['p95'] * 1e3:.2f} ms, back to back p50 {q['warm_p50'] * 1e3:.2f} ms p95 {q['warm_p95'] * 1e3:.2f} ms, "
            f"recall@10 {q['recall']:.4f} (index: {q['kind']})",
            flush=True,
        )
        print(json.dumps({"kind": kind, "returned_s": returned, "ready_s": ready, **q}), flush=True)


if __name__ == "__main__":
    main()
