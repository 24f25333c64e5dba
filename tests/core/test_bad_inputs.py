"""Every malformed file gets a one-line error naming the file, the line and the problem, through
the CLI, and nothing is written."""

import numpy as np
import pytest

from core import cli

W2V_CASES = {
    "ragged row": ("word2vec", "2 3\na 1 2 3\nb 1 2\n", r"v\.txt, line 3: 2 numbers, expected 3"),
    "long row": ("word2vec", "2 3\na 1 2 3\nb 1 2 3 4\n", r"v\.txt, line 3: 4 numbers, expected 3"),
    "header count": ("word2vec", "3 3\na 1 2 3\nb 1 2 3\n", r"line 1: the header says 3 words but the file has 2"),
    "header dims": (
        "word2vec",
        "2 4\na 1 2 3\nb 1 2 3\n",
        r"line 1: the header says 4 dimensions but the rows hold 3 numbers",
    ),
    "no header": ("word2vec", "a 1 2 3\nb 1 2 3\n", r"line 1: expected the header"),
    "not a number": ("word2vec", "2 3\na 1 2 3\nb 1 x 3\n", r"line 3: 'x' is not a number"),
    "nan": ("word2vec", "2 3\na 1 2 3\nb 1 nan 3\n", r"line 3: 'nan' is not a finite number"),
    "inf": ("glove", "a 1 2 3\nb 1 2 -inf\n", r"line 2: '-inf' is not a finite number"),
    "duplicate": ("glove", "a 1 2 3\nb 1 2 3\na 4 5 6\n", r"line 3: the word 'a' already appeared as line 1"),
    "glove ragged": ("glove", "a 1 2 3\nb 1 2\n", r"line 2: 2 numbers, expected 3"),
    "binary truncated": (
        "word2vec-bin",
        b"3 2\na " + np.ones(2, "<f4").tobytes(),
        r"the header says 3 words but the file ends after 1",
    ),
    "tsv ragged": ("tsv", None, r"vectors\.tsv, line 2: 1 numbers, expected 2"),
    "npy vocab length": ("npy", None, r"2 words but m\.npy has 3 rows"),
}


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    err = capsys.readouterr().err
    return code, err


@pytest.mark.parametrize("case", list(W2V_CASES))
def test_bad_file_message_and_nothing_written(tmp_path, capsys, case):
    fmt, content, pattern = W2V_CASES[case]
    src = tmp_path / ("v.bin" if fmt == "word2vec-bin" else "v.txt")
    if fmt == "tsv":
        src = tmp_path / "proj"
        src.mkdir()
        (src / "vectors.tsv").write_text("1\t2\n3\n")
        (src / "metadata.tsv").write_text("a\nb\n")
    elif fmt == "npy":
        src = tmp_path / "m.npy"
        np.save(src, np.zeros((3, 2), np.float32))
        (tmp_path / "m.vocab.txt").write_text("a\nb\n")
    elif isinstance(content, bytes):
        src.write_bytes(content)
    else:
        src.write_text(content)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, err = run(capsys, "import", src, "--format", fmt, "--out", tmp_path / "out")
    assert code != 0
    import re

    assert re.search(pattern, err), err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no bundle, no temp folder


def test_usage_errors_are_one_line(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["neighbors"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "required" in err
