"""Which ANN library? hnswlib vs faiss (HNSW) vs usearch on the same word-vector-like set.

    python3 bench/ann_choice.py [--n 400000] [--dim 300]

Same graph settings for all three (M=16 links, efConstruction=128), 2 threads. Reports build time,
index reopen time, query p50/p95 (one query at a time, as the app asks) at the smallest ef that
reaches recall@10 >= 0.99 after exact re-ranking of the candidates, against exact cosine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.big_sets import make_vectors  # noqa: E402

M, EFC, THREADS = 16, 128, 2


def exact_topk(unit: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    s = unit[queries] @ unit.T
    s[np.arange(len(queries)), queries] = -np.inf
    return np.argsort(-s, axis=1)[:, :k]


def rerank(unit, q, cand, k, self_row):
    cand = cand[(cand >= 0) & (cand != self_row)]
    return cand[np.argsort(-(unit[cand] @ q))][:k]


def evaluate(search, unit, queries, truth, k=10, efs=(32, 48, 64, 96, 128, 192, 256)):
    for ef in efs:
        times, hits = [], 0
        for qi, t in zip(queries, truth, strict=True):
            t0 = time.perf_counter()
            got = rerank(unit, unit[qi], search(unit[qi], 3 * k, ef), k, qi)
            times.append(time.perf_counter() - t0)
            hits += len(set(got) & set(t))
        recall = hits / truth.size
        if recall >= 0.99:
            break
    return ef, recall, np.percentile(times, 50) * 1e3, np.percentile(times, 95) * 1e3


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400_000)
    ap.add_argument("--dim", type=int, default=300)
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args()
    unit = make_vectors(args.n, args.dim)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    rng = np.random.default_rng(1)
    queries = rng.choice(args.n, args.queries, replace=False)
    truth = exact_topk(unit, queries, 10)
    tmp = Path(tempfile.mkdtemp())
    print(f"{args.n:,} x {args.dim}, M={M}, efConstruction={EFC}, {THREADS} threads")

    import hnswlib

    t0 = time.perf_counter()
    h = hnswlib.Index(space="ip", dim=args.dim)
    h.init_index(max_elements=args.n, M=M, ef_construction=EFC)
    h.set_num_threads(THREADS)
    h.add_items(unit, np.arange(args.n))
    build = time.perf_counter() - t0
    h.save_index(str(tmp / "h.bin"))
    t0 = time.perf_counter()
    h2 = hnswlib.Index(space="ip", dim=args.dim)
    h2.load_index(str(tmp / "h.bin"))
    reopen = time.perf_counter() - t0
    h2.set_num_threads(1)

    def hs(q, k, ef):
        h2.set_ef(ef)
        return h2.knn_query(q, k=k)[0][0].astype(np.int64)

    report("hnswlib", build, reopen, evaluate(hs, unit, queries, truth), tmp / "h.bin")

    import faiss

    faiss.omp_set_num_threads(THREADS)
    t0 = time.perf_counter()
    f = faiss.IndexHNSWFlat(args.dim, M, faiss.METRIC_INNER_PRODUCT)
    f.hnsw.efConstruction = EFC
    f.add(unit)
    build = time.perf_counter() - t0
    faiss.write_index(f, str(tmp / "f.index"))
    t0 = time.perf_counter()
    f2 = faiss.read_index(str(tmp / "f.index"), faiss.IO_FLAG_MMAP)
    reopen = time.perf_counter() - t0
    faiss.omp_set_num_threads(1)

    def fs(q, k, ef):
        f2.hnsw.efSearch = ef
        return f2.search(q[None, :], k)[1][0].astype(np.int64)

    report("faiss", build, reopen, evaluate(fs, unit, queries, truth), tmp / "f.index")

    from usearch.index import Index

    for dtype in ("f32", "f16"):
        t0 = time.perf_counter()
        u = Index(ndim=args.dim, metric="ip", dtype=dtype, connectivity=M, expansion_add=EFC)
        u.add(np.arange(args.n), unit, threads=THREADS)
        build = time.perf_counter() - t0
        u.save(str(tmp / f"u-{dtype}.usearch"))
        t0 = time.perf_counter()
        u2 = Index.restore(str(tmp / f"u-{dtype}.usearch"), view=True)
        reopen = time.perf_counter() - t0

        def us(q, k, ef, u2=u2):
            u2.expansion_search = ef
            return np.asarray(u2.search(q, k, threads=1).keys, dtype=np.int64)

        report(f"usearch-{dtype}", build, reopen, evaluate(us, unit, queries, truth), tmp / f"u-{dtype}.usearch")


def report(name, build, reopen, ev, path) -> None:
    ef, recall, p50, p95 = ev
    print(
        f"{name:13} build {build:6.1f} s  reopen {reopen * 1e3:7.1f} ms  size {os.path.getsize(path) / 1e6:6.0f} MB  "
        f"ef {ef:4d}  recall@10 {recall:.4f}  p50 {p50:.2f} ms  p95 {p95:.2f} ms",
        flush=True,
    )


if __name__ == "__main__":
    main()
