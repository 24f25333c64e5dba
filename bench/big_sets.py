"""Big embedding sets: import, reopen, query latency and recall, PCA; against gensim and the seed.

    python3 bench/big_sets.py [--n 400000] [--dim 300] [--gensim-n 100000]

Generates a word-vector-like set (clustered, with a decaying spectrum like real embeddings), writes
it as word2vec text, then measures in the same run:
- import of a --gensim-n x dim text file: gensim's load_word2vec_format vs ours (numbers compared);
- import + ANN index of the full n x dim file, with the peak memory of the import;
- reopening the saved bundle (a fresh process) and query p50/p95 through core.load().neighbors,
  with recall@10 against exact cosine; the seed's scikit-learn ball_tree on the same vectors;
- PCA of all n words.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_vectors(n: int, dim: int, seed: int = 0) -> np.ndarray:
    """Clustered vectors with a decaying per-dimension scale, in float32."""
    rng = np.random.default_rng(seed)
    scale = (1 / np.sqrt(np.arange(1, dim + 1))).astype(np.float32)
    centres = rng.standard_normal((max(1, n // 100), dim), dtype=np.float32) * scale
    out = np.empty((n, dim), dtype=np.float32)
    for s in range(0, n, 50_000):
        e = min(n, s + 50_000)
        noise = rng.standard_normal((e - s, dim), dtype=np.float32) * scale * 0.7
        out[s:e] = centres[rng.integers(0, len(centres), e - s)] + noise
    return out


def write_text(path: Path, words: list[str], x: np.ndarray) -> None:
    import pandas as pd

    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{len(words)} {x.shape[1]}\n")
    for s in range(0, len(words), 50_000):
        df = pd.DataFrame(x[s : s + 50_000])
        df.insert(0, "w", words[s : s + 50_000])
        df.to_csv(path, mode="a", sep=" ", header=False, index=False, float_format="%.6f")


_HWM = """
for _l in open("/proc/self/status"):
    if _l.startswith("VmHWM"):
        print("HWM", int(_l.split()[1]))
"""


def in_child(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line. Adds its peak RSS in MB.

    The peak is the child's own VmHWM: rusage from wait4 would also count the parent's pages the
    child shared between fork and exec."""
    r = subprocess.run(
        [sys.executable, "-c", code + _HWM],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    if r.returncode:
        raise SystemExit(f"child failed: {r.stderr[-2000:]}")
    lines = r.stdout.strip().splitlines()
    res = json.loads(lines[-2])
    res["peak_mb"] = int(lines[-1].split()[1]) / 1024
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400_000)
    ap.add_argument("--dim", type=int, default=300)
    ap.add_argument("--gensim-n", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--tmp", default=None)
    args = ap.parse_args()
    tmp = Path(args.tmp or tempfile.mkdtemp(prefix="bigsets-"))
    tmp.mkdir(parents=True, exist_ok=True)
    x = make_vectors(args.n, args.dim)
    words = [f"w{i}" for i in range(args.n)]
    small, big = tmp / "small.txt", tmp / "big.txt"
    if not big.exists():
        write_text(small, words[: args.gensim_n], x[: args.gensim_n])
        write_text(big, words, x)
    mb = x.nbytes / 1e6
    print(f"set: {args.n:,} x {args.dim} ({mb:.0f} MB as float32); gensim comparison on {args.gensim_n:,} x {args.dim}")

    # 1. text import, gensim vs ours, same file, same numbers
    g = in_child(f"""
import json, time; from gensim.models import KeyedVectors
t=time.perf_counter(); kv=KeyedVectors.load_word2vec_format({str(small)!r}); t=time.perf_counter()-t
import numpy as np; np.save({str(tmp / "g.npy")!r}, kv.vectors); print(json.dumps({{"sec": t}}))""")
    o = in_child(f"""
import json, time; from core import formats
t=time.perf_counter(); es=formats.read({str(small)!r}, "word2vec"); t=time.perf_counter()-t
import numpy as np; same = bool(np.array_equal(np.load({str(tmp / "g.npy")!r}), es.vectors))
print(json.dumps({{"sec": t, "same": same}}))""")
    print(
        f"import {args.gensim_n:,} x {args.dim} text: gensim {g['sec']:.1f} s, ours {o['sec']:.2f} s, "
        f"ratio {g['sec'] / o['sec']:.1f}x, identical numbers: {o['same']}"
    )

    # 2. import + index of the full set (peak memory of the import, over the interpreter's baseline)
    base = in_child("import json, numpy, pandas, core.formats; print(json.dumps({}))")["peak_mb"]
    imp = in_child(f"""
import json, time; from core import formats
t=time.perf_counter(); es=formats.read({str(big)!r}, "word2vec")
print(json.dumps({{"sec": time.perf_counter()-t}}))""")
    t0 = time.perf_counter()
    out = tmp / "bundle"
    r = subprocess.run(
        [sys.executable, "-m", "core", "import", str(big), "--format", "word2vec", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if r.returncode:
        raise SystemExit(r.stderr)
    total = time.perf_counter() - t0
    print(
        f"import {args.n:,} x {args.dim}: parse {imp['sec']:.1f} s, peak memory over baseline "
        f"{imp['peak_mb'] - base:.0f} MB = {(imp['peak_mb'] - base) / mb:.2f}x the matrix; "
        f"CLI import + index + save {total:.1f} s"
    )

    # 3. reopen in a fresh process, then queries through core.load().neighbors
    q = in_child(f"""
import json, time, numpy as np
t=time.perf_counter(); import core; es=core.load({str(out)!r}); reopen=time.perf_counter()-t
rng=np.random.default_rng(7); qs=[es.words[i] for i in rng.choice(len(es), {args.queries}, replace=False)]
for w in qs[:20]: es.neighbors(w, k=10)  # warm the memory map
lat=[]; hits=0
for w in qs:
    t=time.perf_counter(); got=es.neighbors(w, k=10); lat.append(time.perf_counter()-t)
    hits += len({{a for a,_ in got}} & {{a for a,_ in es.neighbors(w, k=10, exact=True)}})
ex=[]
for w in qs[:50]:
    t=time.perf_counter(); es.neighbors(w, k=10, exact=True); ex.append(time.perf_counter()-t)
print(json.dumps({{"reopen": reopen, "p50": float(np.percentile(lat,50)), "p95": float(np.percentile(lat,95)),
  "recall": hits/(10*len(qs)), "ann": es.ann is not None, "exact_p50": float(np.percentile(ex,50))}}))""")
    print(
        f"reopen bundle: {q['reopen'] * 1e3:.0f} ms (fresh process, index attached: {q['ann']}); "
        f"neighbors k=10: p50 {q['p50'] * 1e3:.2f} ms, p95 {q['p95'] * 1e3:.2f} ms, recall@10 {q['recall']:.4f}; "
        f"exact numpy p50 {q['exact_p50'] * 1e3:.0f} ms"
    )

    # 4. the seed's approach: scikit-learn NearestNeighbors with a ball tree
    s = in_child(f"""
import json, time, numpy as np; from sklearn.neighbors import NearestNeighbors
import core; es=core.load({str(out)!r}); v=np.asarray(es.vectors)
t=time.perf_counter(); nn=NearestNeighbors(n_neighbors=11, algorithm="ball_tree").fit(v); build=time.perf_counter()-t
lat=[]
for i in np.random.default_rng(7).choice(len(v), 20, replace=False):
    t=time.perf_counter(); nn.kneighbors(v[i:i+1]); lat.append(time.perf_counter()-t)
print(json.dumps({{"build": build, "p50": float(np.percentile(lat,50)), "p95": float(np.percentile(lat,95))}}))""")
    print(
        f"seed ball_tree: build {s['build']:.1f} s, query p50 {s['p50'] * 1e3:.0f} ms, p95 {s['p95'] * 1e3:.0f} ms "
        f"-> ours is {s['p95'] / q['p95']:.0f}x faster at p95"
    )

    # 5. PCA of the whole set, as the Vector space page would
    p = in_child(f"""
import json, time; import core; from core.projection import pca
es=core.load({str(out)!r}); t=time.perf_counter(); pca(es, top_n=len(es), components=3)
print(json.dumps({{"sec": time.perf_counter()-t}}))""")
    print(f"PCA of {args.n:,} x {args.dim} to 3-D: {p['sec']:.2f} s")


if __name__ == "__main__":
    main()
