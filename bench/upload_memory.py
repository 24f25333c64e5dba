"""What reading a corpus upload costs in memory (issue 17).

Streamlit hands the Corpus page each upload as an ``UploadedFile``, a ``BytesIO`` over the
uploaded bytes. This generates a corpus of about ``--mb`` megabytes (random words with a Zipf-like
spread, lines of 5-30 words) into a temporary file, then, in a fresh child process, loads it into
a ``BytesIO`` as Streamlit holds it, hashes it as the page does (``sha256_of``) and reads it with
``read_corpus``. The child reports its resident memory before the read and its peak during it,
so the figure is what the read adds on top of the upload itself, next to the id stream's own
size (4 bytes a token), the floor for any reader.

    python -m bench.upload_memory [--mb 200]
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


def generate(path: Path, mb: int, seed: int = 0) -> int:
    """Write about ``mb`` megabytes of words to ``path`` in pieces; returns the size in bytes."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocab = ["".join(rng.choice(letters, size=int(rng.integers(2, 10)))) for _ in range(50_000)]
    weights = 1.0 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    target = mb * 1_000_000
    with open(path, "w", encoding="utf-8") as f:
        while f.tell() < target:
            words = np.array(vocab, dtype=object)[rng.choice(len(vocab), size=200_000, p=weights)]
            lengths = rng.integers(5, 31, size=len(words) // 5)
            out, start = [], 0
            for n in lengths:
                out.append(" ".join(words[start : start + n]))
                start += n
                if start >= len(words):
                    break
            f.write("\n".join(out) + "\n")
    return path.stat().st_size


CHILD = r"""
import io, json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from core.corpus import read_corpus
from core.sources import sha256_of

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1e6

with open(sys.argv[1], "rb") as f:
    upload = io.BytesIO(f.read())  # as Streamlit's UploadedFile holds it
before = rss_mb()
t = time.perf_counter()
sha256_of(upload)  # the page's duplicate check
corpus = read_corpus([("upload.txt", upload)])
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # kB on Linux
print(json.dumps({"before_mb": before, "peak_mb": peak, "after_mb": rss_mb(), "seconds": seconds,
                  "tokens": corpus.n_tokens, "words": len(corpus.words), "ids_mb": corpus.ids.nbytes / 1e6}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=int, default=200, help="corpus size in megabytes (default 200)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        t = time.perf_counter()
        size = generate(path, args.mb)
        print(f"generated {size / 1e6:.0f} MB in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        r = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), str(ROOT)], capture_output=True, text=True, env=env, check=True
        )
    m = json.loads(r.stdout)
    added = m["peak_mb"] - m["before_mb"]
    file_mb = size / 1e6
    print(f"upload            {file_mb:8.0f} MB  ({m['tokens']:,} tokens, {m['words']:,} distinct words)")
    print(f"process before    {m['before_mb']:8.0f} MB  (interpreter, numpy, the upload's BytesIO)")
    print(f"peak while read   {m['peak_mb']:8.0f} MB")
    print(f"added by the read {added:8.0f} MB  = {added / file_mb:.2f} x the upload")
    print(f"  of which ids    {m['ids_mb']:8.0f} MB  (int32 id stream, kept as the result)")
    print(f"after the read    {m['after_mb']:8.0f} MB  ({m['seconds']:.1f} s for hash + read)")


if __name__ == "__main__":
    main()
