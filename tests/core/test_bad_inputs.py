"""Every malformed file gets a one-line error naming the file, the line and the problem, through
the CLI, and nothing is written (issue 17's vector files; more in test_bad_vectors_bundles.py)."""

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
    # issue 17: vector files
    "header count low": ("word2vec", "1 3\na 1 2 3\nb 1 2 3\n", r"line 1: the header says 1 words but the file has 2"),
    "header dims huge": ("word2vec", "1 99999999999\na 1 2\n", r"line 1: the header says 99999999999 dimensions"),
    "word with a space": (
        "word2vec",
        "3 2\nnew york 1 2\nb 1 2\nc 3 4\n",
        r"line 2: 3 numbers, expected 2 .*a word holding a space, which word2vec text cannot hold",
    ),
    "word with a tab": ("glove", "a\tb 1 2\nc 1 2\n", r"line 1: the word 'a\\tb' contains a tab or line break"),
    "empty word": ("glove", " 1 2\nb 1 2\n", r"line 1: the word is empty"),
    "blank line": ("glove", "a 1 2\n\nb 1 2\n", r"line 2: blank line"),
    "beyond float32": ("glove", "a 1 2\nb 1e39 2\n", r"line 2: contains NaN or infinite values \(or numbers beyond"),
    "not utf-8": ("glove", b"a 1 2\n\xe9t\xe9 1 2\n", r"line 2: not valid UTF-8"),
    "w2v duplicate": ("word2vec", "2 1\na 1\na 2\n", r"line 3: the word 'a' already appeared as line 2"),
    "binary header huge": ("word2vec-bin", b"99999999999 99999999999\na ", r"says 99999999999 words but the file ends"),
    "binary nan": ("word2vec-bin", b"1 2\na " + np.array([1, np.nan], "<f4").tobytes(), r"row 0: contains NaN"),
    "binary duplicate": (
        "word2vec-bin",
        b"2 1\na " + np.ones(1, "<f4").tobytes() + b"a " + np.ones(1, "<f4").tobytes(),
        r"word 2: the word 'a' already appeared as word 1",
    ),
    "binary tail": ("word2vec-bin", b"1 1\na " + np.ones(2, "<f4").tobytes(), r"4 bytes follow the 1 words"),
    "tsv nan": ("tsv", ("1\t2\nnan\t2\n", "a\nb\n"), r"vectors\.tsv, line 2: 'nan' is not a finite number"),
    "tsv not a number": ("tsv", ("1\t2\nx\t2\n", "a\nb\n"), r"vectors\.tsv, line 2: 'x' is not a number"),
    "tsv metadata short": ("tsv", ("1\t2\n3\t4\n", "a\n"), r"metadata\.tsv: 1 words but vectors\.tsv has 2 rows"),
    "tsv metadata long": ("tsv", ("1\t2\n3\t4\n", "a\nb\nc\n"), r"3 words but vectors\.tsv has 2 rows"),
    "tsv metadata duplicate": ("tsv", ("1\t2\n3\t4\n", "a\na\n"), r"metadata\.tsv, line 2: the word 'a' already"),
    "tsv metadata empty word": ("tsv", ("1\t2\n3\t4\n", "a\n\n"), r"metadata\.tsv, line 2: the word is empty"),
    "tsv metadata tab in word": (
        "tsv",
        ("1\t2\n3\t4\n", "word\tcount\nnew\tyork\t1\nb\t2\n"),
        r"metadata\.tsv, line 2: 3 tab-separated fields, expected 2 like the header \(a ragged row; a word cannot",
    ),
    "tsv metadata tab, one column": ("tsv", ("1\t2\n3\t4\n", "a\nb\tc\n"), r"line 2: the word 'b\\tc' contains a tab"),
    "npy vocab longer": ("npy", (np.zeros((2, 2), np.float32), "a\nb\nc\n"), r"3 words but m\.npy has 2 rows"),
    "npy pickled": ("npy", (np.array([[{"x": 1}, None]], dtype=object), "a\n"), r"never unpickled"),
    "npy nan": ("npy", (np.array([[1, 2], [np.inf, 0]], np.float32), "a\nb\n"), r"m\.npy, row 1: contains NaN"),
    "npy beyond float32": ("npy", (np.array([[1e300, 0], [1, 1]]), "a\nb\n"), r"row 0: contains NaN or infinite"),
    "npy 1-D": ("npy", (np.zeros(3, np.float32), "a\nb\nc\n"), r"expected a 2-D matrix .* got shape \(3,\)"),
    "npy text": ("npy", (np.array([["a", "b"]]), "a\n"), r"dtype <U1 is not numeric"),
    "npy duplicate": ("npy", (np.zeros((2, 2), np.float32), "a\na\n"), r"m\.vocab\.txt, line 2: the word 'a' already"),
    "npy empty word": ("npy", (np.zeros((2, 2), np.float32), "a\n\n"), r"m\.vocab\.txt, line 2: the word is empty"),
    "npy tab in word": ("npy", (np.zeros((2, 2), np.float32), "a\tb\nc\n"), r"line 1: the word 'a\\tb' contains a tab"),
    "npy not npy": ("npy", (b"PK\x03\x04 not an array", "a\n"), r"m\.npy: not a readable \.npy file"),
    "npy truncated": ("npy", ("truncated", "a\nb\n"), r"m\.npy: not a readable \.npy file"),
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
        vectors, metadata = content or ("1\t2\n3\n", "a\nb\n")
        (src / "vectors.tsv").write_text(vectors)
        (src / "metadata.tsv").write_text(metadata)
    elif fmt == "npy":
        src = tmp_path / "m.npy"
        matrix, words = content or (np.zeros((3, 2), np.float32), "a\nb\n")
        if isinstance(matrix, bytes):
            src.write_bytes(matrix)
        elif isinstance(matrix, str):  # a valid header, then half the data
            np.save(src, np.zeros((2, 50), np.float32))
            src.write_bytes(src.read_bytes()[:-100])
        else:
            np.save(src, matrix, allow_pickle=matrix.dtype == object)
        (tmp_path / "m.vocab.txt").write_text(words)
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
