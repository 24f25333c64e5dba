"""Generate the bundled sample: an English-like corpus with planted structure, and vectors
trained on it with the project's own command line. From the repository's root:

    python sample_data/generate.py    # writes sample_data/corpus.txt.gz, then runs the command below
    python -m core train sample_data/corpus.txt.gz --out sample_data/sample --seed 1 --force

The corpus is deterministic (``make_corpus()`` gives the same text every time, and the file the
same bytes); the set has 1,879 words (min_count 5) from 539,710 tokens (0.8 MB gzipped) in
themes: people (royalty, family and jobs in gender pairs such as king/queen, actor/actress, and
first names), countries with capitals, nationalities and cities, animals (with plurals), foods,
colours, clothes, vehicles, instruments, sports, feelings, verbs in four tenses and adjectives
with comparatives. Retraining it with the default settings takes about 23 s of CPU time,
TensorFlow's import included (under 30 s on 2 idle cores); ``main`` refuses a set whose
vectors are not all finite.
The sentences and how they are drawn: ``sample_data/sentences.py``.
"""

from __future__ import annotations

import gzip
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sample_data.sentences import make_corpus  # noqa: E402
from sample_data.themes import ANALOGIES  # noqa: E402

TRAIN = ["train", "sample_data/corpus.txt.gz", "--out", "sample_data/sample", "--seed", "1", "--force"]


def main() -> None:
    import numpy as np

    import core
    from core.cli import main as cli

    corpus_path = HERE / "corpus.txt.gz"
    # mtime=0: the same corpus gives the same bytes, so regenerating changes nothing in git
    with gzip.GzipFile(corpus_path, "wb", compresslevel=9, mtime=0) as f:
        f.write(make_corpus().encode("utf-8"))
    os.chdir(HERE.parent)  # TRAIN's paths are the repository's
    if cli(TRAIN):
        raise SystemExit("training the sample failed")
    es = core.load(HERE / "sample")
    if not np.isfinite(es.vectors).all():
        raise SystemExit("the trained sample has vectors that are not finite")
    print(f"{len(es):,} words, {es.meta['corpus']['tokens']:,} tokens, {corpus_path.stat().st_size / 1e6:.2f} MB")
    for a, b, c, want in ANALOGIES:
        got = [w for w, _ in es.analogy(a, b, c, k=3)]
        print(f"{a}:{b}::{c}:{want}", "ok" if want in got else "MISSED", got)


if __name__ == "__main__":
    main()
