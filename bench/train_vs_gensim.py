"""Training speed and quality: our TensorFlow trainer against gensim, same parameters, same run.

    python3 ../shared/bench/get_bench_data.py ~/.cache/w2v-bench
    python3 bench/train_vs_gensim.py --data ~/.cache/w2v-bench [--models skipgram cbow]

Each trainer runs end to end in its own process, timed from process start to saved result:
ours is the real command line (``python -m core train``, TensorFlow's import included), gensim a
script that imports gensim, trains and saves. Peak memory is the process's own high-water mark
(with its children, e.g. our corpus reader). Quality is measured by the same
code (core.evaluate) on both sets: WordSim-353 and SimLex-999 Spearman, and analogy accuracy over
the 30,000 most frequent words.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARAMS = dict(dim=100, window=5, negative=5, min_count=5, sample=1e-3, epochs=5)


def run_gensim(corpus: Path, out: Path, model: str, threads: int) -> dict:
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    t0 = time.perf_counter()
    w2v = Word2Vec(
        LineSentence(str(corpus)),
        vector_size=PARAMS["dim"],
        window=PARAMS["window"],
        negative=PARAMS["negative"],
        min_count=PARAMS["min_count"],
        sample=PARAMS["sample"],
        epochs=PARAMS["epochs"],
        workers=threads,
        sg=int(model == "skipgram"),
        hs=0,
        seed=1,
    )
    w2v.wv.save_word2vec_format(str(out), binary=True)
    wall = time.perf_counter() - t0
    return {"wall": wall, "words": int(w2v.corpus_total_words), "vocab": len(w2v.wv)}


def ours_command(corpus: Path, out: Path, model: str, threads: int, extra: dict) -> list[str]:
    opts = {**PARAMS, **extra, "model": model, "threads": threads, "seed": 1}
    cmd = [sys.executable, "-m", "core", "train", str(corpus), "--out", str(out), "--force"]
    for k, v in opts.items():
        cmd += [f"--{k.replace('_', '-')}", str(v)]
    return cmd


def child(args) -> None:
    extra = json.loads(args.extra)
    del extra  # gensim takes PARAMS only
    res = run_gensim(Path(args.corpus), Path(args.out), args.model, args.threads)
    print("RESULT " + json.dumps(res))


def measure(who: str, corpus: Path, out: Path, model: str, threads: int, extra: dict) -> dict:
    if who == "ours":
        cmd = ours_command(corpus, out, model, threads, extra)
    else:
        cmd = [sys.executable, __file__, "_child", who, str(corpus), str(out), model, str(threads), json.dumps(extra)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)  # this process's own rusage: its peak memory
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    out_text, err_text = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    if proc.returncode != 0:
        raise SystemExit(f"{who} {model} failed (status {proc.returncode}): {err_text[-2000:]}")
    res = {"wall": wall, "peak_mb": usage.ru_maxrss / 1024}
    if who == "ours":
        import core

        meta = core.load(out).meta
        res.update(words=meta["corpus"]["tokens"], train=meta["training_seconds"])
    else:
        res.update(json.loads(next(ln for ln in out_text.splitlines() if ln.startswith("RESULT "))[7:]))
        res["wall"] = wall
    return res


def quality(path: Path, who: str, evaldir: Path) -> dict:
    import core
    from core import formats
    from core.evaluate import analogies, word_pairs

    es = formats.read(path, "word2vec-bin") if who == "gensim" else core.load(path)
    return {
        "ws353": word_pairs(es, evaldir / "wordsim353.tsv").spearman,
        "simlex": word_pairs(es, evaldir / "simlex999.txt").spearman,
        "analogy": analogies(es, evaldir / "questions-words.txt", restrict_vocab=30_000).accuracy,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="~/.cache/w2v-bench", help="folder made by get_bench_data.py")
    ap.add_argument("--corpus", default="gcide.txt", help="file in --data to train on (default gcide.txt)")
    ap.add_argument("--models", nargs="+", default=["skipgram", "cbow"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--extra", default="{}", help="JSON of extra TrainParams for our trainer")
    ap.add_argument("--skip-gensim", action="store_true")
    ap.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="runs of each trainer, alternating; wall times on a shared VM vary by 15-30%%",
    )
    args = ap.parse_args()
    data = Path(os.path.expanduser(args.data))
    corpus, evaldir, out = data / args.corpus, data / "eval", Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    extra = json.loads(args.extra)
    whos = ["ours"] if args.skip_gensim else ["gensim", "ours"]
    for model in args.models:
        runs: dict[str, list[dict]] = {who: [] for who in whos}
        for rep in range(args.repeats):
            # alternate who goes first, so that a drift in the machine's speed hits both alike
            for who in whos if rep % 2 == 0 else whos[::-1]:
                path = out / (f"{who}-{model}" + (".bin" if who == "gensim" else ""))
                r = measure(who, corpus, path, model, args.threads, extra)
                r.update(quality(path, who, evaldir), words_per_sec=r["words"] * PARAMS["epochs"] / r["wall"])
                runs[who].append(r)
                print(
                    f"{model:8} {who:6} wall {r['wall']:7.1f} s  {r['words_per_sec']:9,.0f} words/s  "
                    f"peak {r['peak_mb']:6.0f} MB  WS353 {r['ws353']:.3f}  SimLex {r['simlex']:.3f}  "
                    f"analogy {r['analogy']:.3f}",
                    flush=True,
                )
        if not args.skip_gensim:
            g, o = (_summary(runs[who]) for who in whos)
            won = sum(ro["wall"] < rg["wall"] for rg, ro in zip(runs["gensim"], runs["ours"], strict=True))
            print(
                f"{model:8} ratio  speed (gensim wall / ours, medians of {args.repeats}) {g['wall'] / o['wall']:.2f}  "
                f"(ours faster in {won} of {args.repeats} pairs)  "
                f"memory (ours / gensim, largest peaks) {o['peak_mb'] / g['peak_mb']:.2f}  "
                f"quality deltas (medians) WS353 {o['ws353'] - g['ws353']:+.3f}  "
                f"SimLex {o['simlex'] - g['simlex']:+.3f}  "
                f"analogy {o['analogy'] - g['analogy']:+.3f}",
                flush=True,
            )


def _summary(runs: list[dict]) -> dict:
    """Median wall time and quality, largest peak memory, over repeated runs."""
    med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "ws353", "simlex", "analogy")}
    return {**med, "peak_mb": max(r["peak_mb"] for r in runs)}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        ap = argparse.ArgumentParser()
        for name in ("who", "corpus", "out", "model"):
            ap.add_argument(name)
        ap.add_argument("threads", type=int)
        ap.add_argument("extra")
        child(ap.parse_args(sys.argv[2:]))
    else:
        main()
