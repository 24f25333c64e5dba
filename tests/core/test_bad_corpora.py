"""Corpora a shared server must survive (issue 17): each is read correctly, or refused with one
line that names the file and says what to do, before much work is spent on it."""

from __future__ import annotations

import gzip
import io
import os
import struct
import zipfile

import numpy as np
import pytest

from core import cli, corpus
from core.corpus import read_corpus
from core.errors import CorpusError
from core.sources import BLOCK, shown_name


def refused(source, match: str, **kw) -> str:
    with pytest.raises(CorpusError, match=match) as e:
        read_corpus(source, **kw)
    message = str(e.value)
    assert "\n" not in message and "\r" not in message, message
    assert isinstance(e.value, ValueError)
    return message


def up(name: str, data: bytes):
    """An upload as the page passes it: a name (a label only) and a BytesIO."""
    return (name, io.BytesIO(data))


# --- what is not text -------------------------------------------------------------------------


def test_an_empty_file_is_refused_as_empty(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert refused(tmp_path / "empty.txt", "is empty").startswith("empty.txt: is empty; choose a file")
    refused(up("e.gz", gzip.compress(b"")), "e.gz: is empty")


def test_a_binary_file_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    refused(up("photo.txt", png), r"photo\.txt: contains NUL bytes, so it is not a text file; upload UTF-8 text")


def test_mostly_undecodable_text_is_refused_but_a_few_bad_bytes_are_not():
    latin1 = ("café crème brûlée à la française " * 2000).encode("latin-1")  # ~12% undecodable
    refused(up("latin1.txt", latin1), r"latin1\.txt: is not UTF-8 text \([\d,]+ of [\d,]+ characters undecodable\)")
    rng = np.random.default_rng(0)
    refused(up("noise.txt", bytes(rng.integers(1, 256, 200_000, dtype=np.uint8))), "not UTF-8 text")
    nearly = ("good words here " * 500).encode() + b"\xff\xfe"  # two bad bytes in 8,000
    assert set(read_corpus(up("ok.txt", nearly)).words) == {"good", "words", "here"}


def test_only_punctuation_has_no_words():
    message = refused(up("marks.txt", b"!!! ... ,,, --- ''' \xe2\x80\x94 ??? \n" * 100), "no words found")
    assert message == (
        "marks.txt: no words found (only spaces, punctuation or symbols); "
        "the corpus must contain words made of letters or digits"
    )


@pytest.mark.slow  # trains nothing, but the CLI's train command imports TensorFlow
def test_fewer_words_than_min_count_is_one_line_from_the_cli(tmp_path, capsys):
    (tmp_path / "tiny.txt").write_text("a b c a\n")
    assert cli.main(["train", str(tmp_path / "tiny.txt"), "--out", str(tmp_path / "out"), "--min-count", "3"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "error: no word occurs at least 3 times (the most frequent occurs 2); lower min_count or use a larger corpus\n"
    )
    assert not (tmp_path / "out").exists()


# --- one enormous line ------------------------------------------------------------------------


@pytest.fixture
def largest_block(monkeypatch):
    """Records the longest text handed to the tokenizer: the reader's memory per step."""
    seen = [0]
    real = corpus.prepare

    def spy(text, lowercase=True):
        seen[0] = max(seen[0], len(text))
        return real(text, lowercase)

    monkeypatch.setattr(corpus, "prepare", spy)
    return seen


def test_a_50_mb_line_is_read_in_blocks_with_no_token_split(tmp_path, largest_block):
    # 50 MB and not one line end; word lengths 1-13 so words straddle every 1 MiB boundary
    vocab = [f"w{i}{'x' * (i % 12)}" for i in range(997)]
    n = 0
    with open(tmp_path / "line.txt", "w", encoding="utf-8") as f:
        chunk = " ".join(vocab) + " "
        while f.tell() < 50_000_000:
            f.write(chunk)
            n += len(vocab)
    c = read_corpus(tmp_path / "line.txt")
    assert c.n_tokens == n and sorted(c.words) == sorted(vocab)  # a split word would add fragments
    assert (c.counts == n // len(vocab)).all()
    assert 0 < largest_block[0] <= BLOCK + 64  # one block (plus a carried partial word), never the line


def test_a_line_without_spaces_is_cut_at_punctuation_and_keeps_inner_marks(largest_block):
    # no space or line end at all: the reader must cut after a comma, never inside "stop-motion"
    # (a hyphen) or "don't" (an apostrophe) or inside a two-byte "é"
    unit = "ab,stop-motion,don't,café;"
    text = unit * (3 * BLOCK // len(unit))
    c = read_corpus(up("csv.txt", text.encode()))
    assert sorted(c.words) == sorted(["ab", "stop-motion", "don't", "café"])
    assert c.n_tokens == 4 * text.count(";")
    assert 0 < largest_block[0] <= BLOCK + len(unit)
    # the same with tabs as the only separators
    c = read_corpus(up("tabs.txt", b"\t".join([b"ab", b"cd"] * 1_500_000)))
    assert c.words == ["ab", "cd"] and c.n_tokens == 3_000_000


def test_a_run_of_characters_too_long_to_be_a_word_is_refused(largest_block):
    refused(up("dna.txt", b"ACGT" * (BLOCK // 2)), r"dna\.txt: holds over 1,048,576 characters in a row")
    assert largest_block[0] == 0  # refused, never tokenised


# --- compressed bombs -------------------------------------------------------------------------


@pytest.fixture
def member_opens(monkeypatch):
    """Counts the zip members opened for reading (each open decompresses data)."""
    opened: list[str] = []
    real = zipfile.ZipFile.open

    def spy(self, name, *a, **kw):
        opened.append(getattr(name, "filename", name))
        return real(self, name, *a, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return opened


def zip_of(path, members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def streamed_zip(path, total: int, piece: bytes = b"a " * 500_000):
    """A zip with one member of ``total`` bytes of ``piece`` repeated, written in pieces."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z, z.open("bomb.txt", "w") as f:
        for _ in range(total // len(piece)):
            f.write(piece)
    return path


def test_a_zip_bomb_is_refused_from_its_declared_size_before_anything_is_decompressed(tmp_path, member_opens):
    # 300 MB of text in about 300 KB: refused against a 100 MB limit on its headers alone
    bomb = streamed_zip(tmp_path / "bomb.zip", 300_000_000)
    assert bomb.stat().st_size < 1_000_000
    member_opens.clear()  # writing it opened it
    message = refused(bomb, "declares 300,000,000 bytes", max_bytes=100_000_000)
    assert message == (
        "bomb.zip: the zip archive declares 300,000,000 bytes of content, so the decompressed text exceeds "
        "the limit of 100,000,000 bytes; split the corpus or raise the limit"
    )
    assert member_opens == []
    # under the (default 2 GiB) limit but compressed like no text is: refused on its ratio
    message = refused(bomb, r"bomb\.zip:bomb\.txt: declares 300,000,000 bytes compressed [\d,]+:1")
    assert "zip bomb" in message and member_opens == []


def test_the_declared_size_counts_the_files_read_before_the_zip(tmp_path, member_opens):
    (tmp_path / "a.txt").write_text("word " * 200_000)  # 1 MB
    z = zip_of(tmp_path / "b.zip", {"b.txt": "other text here " * 40_000})  # 640 KB
    member_opens.clear()
    refused(
        [tmp_path / "a.txt", z],
        "declares 640,000 bytes of content, so the decompressed text with the files "
        "read before it exceeds the limit of 1,500,000",
        max_bytes=1_500_000,
    )
    assert member_opens == []


def counting(monkeypatch, cls) -> list[int]:
    """Patches ``cls.read`` to record how many bytes each call returned."""
    sizes: list[int] = []
    real = cls.read

    def read(self, n=-1):
        data = real(self, n)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(cls, "read", read)
    return sizes


def patch_sizes(data: bytes, size: int) -> bytes:
    """The same zip with every header declaring ``size`` uncompressed bytes: headers that lie."""
    out = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(sig)
        while at >= 0:
            out[at + offset : at + offset + 4] = struct.pack("<I", size)
            at = out.find(sig, at + 4)
    return bytes(out)


def test_a_zip_whose_headers_lie_stops_at_the_declared_size(tmp_path, monkeypatch):
    honest = zip_of(tmp_path / "z.zip", {"t.txt": "a " * 5_000_000}).read_bytes()  # 10 MB, ~10 KB zipped
    lying = patch_sizes(honest, 1_000)
    decompressed: list[int] = []
    real = zipfile.ZipExtFile._update_crc  # sees every decompressed piece, before the CRC check raises
    monkeypatch.setattr(
        zipfile.ZipExtFile, "_update_crc", lambda self, data: [decompressed.append(len(data)), real(self, data)]
    )
    refused(up("liar.zip", lying), r"liar\.zip:t\.txt: the compressed data is damaged .*CRC")
    assert 0 < sum(decompressed) <= 1_000  # zipfile stops at the declared size; the CRC then fails


def test_a_gzip_bomb_stops_right_at_the_limit(tmp_path, monkeypatch):
    # gzip declares no reliable size: the streamed count is the guard, checked on every block
    with gzip.open(tmp_path / "bomb.gz", "wb") as f:
        for _ in range(30):
            f.write(b"a " * 500_000)  # 30 MB
    assert (tmp_path / "bomb.gz").stat().st_size < 100_000
    decompressed = counting(monkeypatch, gzip.GzipFile)
    refused(
        tmp_path / "bomb.gz",
        "bomb.gz: the decompressed text exceeds the limit of 10,000,000 bytes",
        max_bytes=10_000_000,
    )
    assert sum(decompressed) == 10_000_001  # one byte past the limit, not a block past it


def test_a_truncated_gz_is_damaged_wherever_it_is_cut():
    data = gzip.compress(b"hello world " * 10_000)
    for cut in (2, 10, 20, len(data) // 2, len(data) - 8, len(data) - 1):
        message = refused(up("cut.gz", data[:cut]), "cut.gz: the compressed data is damaged")
        assert "truncated" in message or "re-create" in message, (cut, message)


# --- what a zip holds ---------------------------------------------------------------------------


def test_a_zip_member_that_is_not_text_is_refused_before_the_text_is_read(tmp_path, largest_block):
    z = zip_of(
        tmp_path / "mixed.zip",
        {"notes/big.txt": "many words " * 300_000, "notes/figure.png": b"\x89PNG\r\n\x1a\n\x00\x00" * 100},
    )
    message = refused(z, r"mixed\.zip:notes/figure\.png: contains NUL bytes")
    assert message.endswith("remove it from the zip archive (only text files are read)")
    assert largest_block[0] == 0  # big.txt, first in the archive, was not tokenised
    z = zip_of(
        tmp_path / "inner.zip", {"a.txt": "text", "b.zip": zip_of(tmp_path / "b.zip", {"c.txt": "x"}).read_bytes()}
    )
    refused(z, r"inner\.zip:b\.zip: contains NUL bytes")  # zips inside zips are not opened


def test_folders_inside_a_zip_are_read_and_named_in_the_label(tmp_path):
    z = zip_of(
        tmp_path / "tree.zip", {"top.txt": "one two", "a/b/c/deep.txt": "three four", "a/": "", ".hidden": "x y"}
    )
    c = read_corpus(z)
    assert c.words == ["one", "two", "three", "four"]
    z = zip_of(tmp_path / "bad.zip", {"a/b/deep.txt": "fine", "a/b/c/bin.dat": b"\x00\x01"})
    refused(z, r"bad\.zip:a/b/c/bin\.dat: contains NUL bytes")


def test_zip_member_names_are_only_labels_and_nothing_is_written(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    names = ["../../escape.txt", "/etc/evil.txt", "..\\..\\win.txt", "a/../../up.txt"]
    z = zip_of(tmp_path / "slip.zip", {n: f"word{i} text" for i, n in enumerate(names)})
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    c = read_corpus(z)
    assert c.words == ["word0", "text", "word1", "word2", "word3"]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing extracted
    assert not os.path.exists("/etc/evil.txt")
    # a member name with control characters shows escaped, on one line
    z = zip_of(tmp_path / "ctl.zip", {"evil\n\x1b[31mred\u202e.txt": b"\x00bin"})
    message = refused(z, "contains NUL bytes")
    assert message.startswith("ctl.zip:evil\\n\\x1b[31mred\\u202e.txt: ")


def test_encrypted_and_unusually_compressed_members_are_refused(tmp_path, member_opens):
    data = bytearray(zip_of(tmp_path / "e.zip", {"secret.txt": "text"}).read_bytes())
    at = data.find(b"PK\x01\x02")
    data[at + 8] |= 0x1  # the central directory's "encrypted" flag
    member_opens.clear()
    refused(up("e.zip", bytes(data)), r"e\.zip:secret\.txt: is encrypted; upload an archive without a password")
    z = zip_of(tmp_path / "bz.zip", {"t.txt": "words " * 1000}, compression=zipfile.ZIP_BZIP2)
    member_opens.clear()
    refused(z, r"bz\.zip:t\.txt: uses a compression method other than deflate")
    assert member_opens == []  # both refused on their headers


def test_an_empty_or_broken_zip_is_refused(tmp_path):
    zip_of(tmp_path / "none.zip", {})
    refused(tmp_path / "none.zip", "none.zip: the zip archive holds no files")
    zip_of(tmp_path / "dirs.zip", {"a/": "", "__MACOSX/._a": b"\x00"})
    refused(tmp_path / "dirs.zip", "holds no files")
    refused(up("cut.zip", zip_of(tmp_path / "c.zip", {"a.txt": "x" * 1000}).read_bytes()[:60]), "not a valid zip")


# --- file names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, shown",
    [
        ("../../x.txt", "../../x.txt"),
        ("/etc/passwd", "/etc/passwd"),
        ("a\x00b.txt", "a\\x00b.txt"),
        ("con\x07trol.txt", "con\\x07trol.txt"),
        ("two\nlines.txt", "two\\nlines.txt"),
        ("cr\r\x1b[2Kgone.txt", "cr\\r\\x1b[2Kgone.txt"),
        ("rtl\u202etxt.exe", "rtl\\u202etxt.exe"),
        ("naïve 東京.txt", "naïve 東京.txt"),
    ],
)
def test_upload_names_are_labels_shown_escaped_never_paths(name, shown, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    c = read_corpus(up(name, b"hello world"))
    assert c.name == shown and c.words == ["hello", "world"]
    message = refused(up(name, b"\x00\x01"), "NUL bytes")
    assert message.startswith(shown + ": ")
    assert list(tmp_path.iterdir()) == []  # the name was never opened or created


def test_a_path_with_control_characters_is_read_and_labelled_escaped(tmp_path):
    p = tmp_path / "odd\nname\x07.txt"
    p.write_text("some words")
    assert read_corpus(p).name == "odd\\nname\\x07.txt"
    with pytest.raises(FileNotFoundError) as e:
        read_corpus(tmp_path / "gone\n.txt")
    assert "\n" not in str(e.value) and "gone\\n.txt: no such file" in str(e.value)


def test_long_names_are_shortened_in_labels():
    assert len(shown_name("x" * 5000 + ".txt")) == 200 and shown_name("x" * 5000).endswith("...")


def test_uploaded_file_objects_are_read_from_the_start_and_left_open():
    f = io.BytesIO(b"one two three")
    f.seek(5)
    c = read_corpus([("a.txt", f)])
    assert c.words == ["one", "two", "three"] and not f.closed
