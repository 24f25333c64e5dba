import gzip
import io
import zipfile

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.corpus import read_corpus, tokenize
from core.errors import CorpusError
from core.tokens import _TOKEN, LINE_END


def test_tokenize_is_unicode_aware_and_keeps_inner_apostrophes_and_hyphens():
    assert tokenize("Don't stop-motion ÉCOLE naïve 42nd -edge- 'quoted' a_b") == [
        "don't",
        "stop-motion",
        "école",
        "naïve",
        "42nd",
        "edge",
        "quoted",
        "a",
        "b",
    ]
    assert tokenize("Paris ΑΘΗΝΑ", lowercase=False) == ["Paris", "ΑΘΗΝΑ"]
    assert tokenize("東京 москва") == ["東京", "москва"]


@given(st.text(alphabet="ab1é_-'\u2019 .\n", max_size=40) | st.text(alphabet="aZ9_-' .\n", max_size=40))
def test_tokens_are_runs_of_letters_and_digits_joined_by_single_inner_marks(text):
    # the tokenizer's regex uses possessive quantifiers (for speed); this spells out its rule
    def word(c):
        return c.isalnum() and c != "_"

    want, cur = [], ""
    for i, c in enumerate(text):
        if word(c) or (c in "-'\u2019" and cur and i + 1 < len(text) and word(text[i + 1])):
            cur += c
        elif cur:
            want, cur = want + [cur], ""
    assert tokenize(text, lowercase=False) == want + ([cur] if cur else [])


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60), st.booleans())
def test_ascii_fast_path_finds_the_same_tokens_as_the_unicode_rule(text, lowercase):
    want = _TOKEN.findall(text.lower() if lowercase else text)
    assert tokenize(text, lowercase) == want


@given(st.text(alphabet=st.sampled_from("ab- '\n\u00e9\u2019.A"), max_size=60))
def test_line_ends_are_marked_between_the_tokens_of_each_line(text):
    # the ASCII path (text without é or ’) and the expression path alike
    got = tokenize(text, line_ends=True)
    lines, cur = [], []
    for t in got:
        if t == LINE_END:
            lines.append(cur)
            cur = []
        else:
            cur.append(t)
    lines.append(cur)
    assert lines == [tokenize(line) for line in text.split("\n")]


def test_line_starts_are_recorded_across_blocks_and_files(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one two\n\n three\n" + "x " * 700_000 + "\nlast")  # a line longer than a block
    b.write_text("first of b\n")
    c = read_corpus([a, b])
    assert c.line_starts.tolist() == [0, 2, 3, 700_003, 700_004]
    assert c.words[c.ids[700_004]] == "first"


def test_reads_txt_gz_zip_and_many_files_alike(tmp_path):
    text = "the cat sat\non the mat the end\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    with gzip.open(tmp_path / "a.gz", "wt", encoding="utf-8") as f:
        f.write(text)
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as z:
        z.writestr("part1.txt", "the cat sat\n")
        z.writestr("dir/part2.txt", "on the mat the end\n")
        z.writestr("__MACOSX/._junk", b"\x00\x01")
    want = tokenize(text)
    for name in ("a.txt", "a.gz", "a.zip"):
        c = read_corpus(tmp_path / name)
        assert [c.words[i] for i in c.ids] == want, name
        assert c.counts[c.words.index("the")] == 3
    both = read_corpus([tmp_path / "a.txt", tmp_path / "a.gz"])
    assert both.n_tokens == 2 * len(want)


def test_bom_is_ignored_and_uploaded_file_objects_work():
    c = read_corpus(("up.txt", io.BytesIO("\ufeffhello world".encode("utf-8"))))
    assert c.words == ["hello", "world"]


def test_words_are_not_split_across_read_blocks(tmp_path):
    # > 1 MiB so the reader needs several blocks; every token is the same long word
    word = "abcdefghijklmnopqrstuvwxyz" * 3
    (tmp_path / "big.txt").write_text((word + " ") * 20_000, encoding="utf-8")
    c = read_corpus(tmp_path / "big.txt")
    assert c.words == [word] and c.n_tokens == 20_000
    assert c.ids.dtype == np.int32


def test_hash_identifies_the_bytes(tmp_path):
    (tmp_path / "a.txt").write_text("one two", encoding="utf-8")
    (tmp_path / "b.txt").write_text("one three", encoding="utf-8")
    import hashlib

    assert read_corpus(tmp_path / "a.txt").sha256 == hashlib.sha256(b"one two").hexdigest()
    assert read_corpus(tmp_path / "a.txt").sha256 != read_corpus(tmp_path / "b.txt").sha256


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"abc\x00\x01\x02def" * 10, "NUL bytes"),
        (bytes(range(128, 256)) * 10, "not UTF-8 text"),
        (b"  \n\t ", "no words found"),
    ],
)
def test_non_text_is_refused(tmp_path, payload, message):
    (tmp_path / "x.txt").write_bytes(payload)
    with pytest.raises(CorpusError, match=message) as e:
        read_corpus(tmp_path / "x.txt")
    assert "x.txt" in str(e.value) and "\n" not in str(e.value)


def test_decompressed_size_limit_stops_zip_bombs(tmp_path):
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", "a " * 2_000_000)  # 4 MB of text, a few KB compressed
    assert (tmp_path / "bomb.zip").stat().st_size < 50_000
    with pytest.raises(CorpusError, match="exceeds the limit of 1,000,000 bytes"):
        read_corpus(tmp_path / "bomb.zip", max_bytes=1_000_000)


def test_missing_damaged_and_empty_inputs(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.txt: no such file; check the path"):
        read_corpus(tmp_path / "nope.txt")
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(CorpusError, match="not a valid zip"):
        read_corpus(tmp_path / "bad.zip")
    (tmp_path / "bad.gz").write_bytes(gzip.compress(b"hello world " * 100)[:40])
    with pytest.raises(CorpusError, match="damaged"):
        read_corpus(tmp_path / "bad.gz")
    with pytest.raises(CorpusError, match="no corpus files"):
        read_corpus([])


def test_the_characters_made_spaces_part_tokens_as_a_space_does_lowercased_too():
    from core.tokens import _PARTING

    parting = [chr(c) for c in range(128, 0x110000) if not 0xD800 <= c < 0xE000 and _PARTING.match(chr(c))]
    assert "\u201c" in parting and "\u2013" in parting and "\u2019" not in parting and "é" not in parting
    for c in parting:  # around letters, as themselves and lowercased, they part tokens like a space
        assert tokenize(f"a{c}b", lowercase=False) == tokenize(f"a{c}b") == ["a", "b"], hex(ord(c))


def reference_read(text: str, lowercase: bool = True) -> tuple[list[str], list[int], list[int]]:
    """words, ids and line starts by the plain rule: the expression on each line, a dict in order."""
    index: dict[str, int] = {}
    ids, starts = [], []
    for line in text.split("\n"):
        toks = _TOKEN.findall(line.lower() if lowercase else line)
        if toks:
            starts.append(len(ids))
        ids += [index.setdefault(t, len(index)) for t in toks]
    return list(index), ids, starts


WORDISH = st.text(alphabet=st.sampled_from("abcXYZ019'-"), min_size=1, max_size=24)
# non-ASCII gaps: a letter, the apostrophe that joins, and characters that only part tokens (curly
# quotes, a dash, a no-break space, a circled letter: a symbol whose lowercase differs)
GAPS = st.sampled_from(
    [" ", "  ", "\n", " \n ", ".", "--", "\t", "é", "\u2019", "_", "\u201c", "\u2013", "\xa0", "\u24b6"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(WORDISH, GAPS), max_size=80),
    st.sampled_from([16, 64, 1 << 20]),
    st.booleans(),
    st.sampled_from([0, 2, 256]),
    st.booleans(),
)
# two tokens with one lookup number in a block: the second stays out of the arrays, and when a later
# block meets it again it must still be known
@example([("abcabc01x", " "), ("abcabc01y", "\n")] * 8, 64, True, 0, True)
def test_the_fast_reader_gives_the_plain_rules_words_ids_and_lines(parts, block, lowercase, runs, collide):
    import core.sources
    import core.tokens

    text = "".join(w + g for w, g in parts)
    if not _TOKEN.findall(text):
        return  # no words: refused (tested elsewhere)
    old, core.sources.BLOCK = core.sources.BLOCK, block  # many blocks: words seen again and anew across them
    # runs: how many runs of non-ASCII lines a block may hold before it goes through the expression whole
    old_runs, core.tokens._MAX_RUNS = core.tokens._MAX_RUNS, runs
    # collide: tokens whose first 8 bytes agree share a lookup number, as distinct tokens rarely do
    old_mix, core.tokens._MIX = core.tokens._MIX, np.uint64(0) if collide else core.tokens._MIX
    try:
        c = read_corpus(("t.txt", io.BytesIO(text.encode())), lowercase=lowercase)
    finally:
        core.sources.BLOCK, core.tokens._MAX_RUNS, core.tokens._MIX = old, old_runs, old_mix
    words, ids, starts = reference_read(text, lowercase)
    assert (c.words, c.ids.tolist(), c.line_starts.tolist()) == (words, ids, starts)
