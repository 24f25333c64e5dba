"""A second real English corpus for the benchmarks, of another kind than gcide's one long line:
the text of this machine's English manual pages, one troff text line per line (short lines,
technical English), cut at about ``--tokens`` tokens. Built from /usr/share/man, not committed.

    python3 bench/man_corpus.py DIR [--tokens 1500000]     # writes DIR/man.txt
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

ESCAPES = re.compile(r"\\f[BIRP]|\\f\(..|\\\(..|\\[*n]\(..|\\[-e&|^%]|\\s[+-]?\d")


def text_lines(page: Path):
    try:
        with gzip.open(page, "rt", encoding="utf-8", errors="replace") as f:
            raw = f.read()
    except (OSError, EOFError):
        return
    for line in raw.splitlines():
        if line.startswith((".", "'")):  # requests and macros: .TH, .SH headings keep their words
            head, _, rest = line.partition(" ")
            if head not in (".SH", ".SS", ".B", ".I", ".BR", ".IR", ".IP", ".TP"):
                continue
            line = rest.replace('"', "")
        line = ESCAPES.sub("", line).strip()
        if line:
            yield line


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--tokens", type=int, default=1_500_000)
    args = ap.parse_args()
    out = Path(args.dir) / "man.txt"
    n = lines = 0
    with open(out, "w", encoding="utf-8") as f:
        for page in sorted(Path("/usr/share/man").glob("man[1-8]/*.gz")):
            for line in text_lines(page):
                f.write(line + "\n")
                n += len(line.split())
                lines += 1
            if n >= args.tokens:
                break
    print(f"{out}: {lines:,} lines, about {n:,} tokens")


if __name__ == "__main__":
    main()
