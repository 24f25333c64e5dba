"""What the fuzz run of the parsers found, kept as regression tests, and checks of the fuzz
property itself (its time limit and what it lets pass): see tests/core/test_fuzz_parsers.py."""

from __future__ import annotations

import contextlib
import io
import signal
import time
from collections.abc import Callable

import pytest

from core.corpus import read_corpus
from core.errors import CorpusError, FormatError
from tests.core.fuzz_inputs import (
    folder,
    zipped,
)
from tests.core.test_fuzz_parsers import Hang, outcome, time_limit


def test_a_zip_upload_whose_central_directory_is_one_byte_off_is_refused() -> None:
    # found by the fuzz run: zipfile seeks to offset -1, and a BytesIO (an upload) says ValueError
    data = zipped([("a.txt", b"hi")])
    at = data.rfind(b"PK\x05\x06") + 16  # the end record's offset of the central directory
    data = data[:at] + (int.from_bytes(data[at : at + 4], "little") + 1).to_bytes(4, "little") + data[at + 4 :]
    with folder() as d:
        (d / "c.zip").write_bytes(data)
        with pytest.raises(CorpusError, match=r"c\.zip:a\.txt: cannot be opened"):
            read_corpus(d / "c.zip")
    with pytest.raises(CorpusError, match=r"c\.zip:a\.txt: "):
        read_corpus(("c.zip", io.BytesIO(data)))


def test_a_zip_needing_a_newer_zip_version_is_refused() -> None:
    # found by the fuzz run: zipfile raises NotImplementedError("zip file version 6.4") on opening
    data = bytearray(zipped([("a.txt", b"hi")]))
    data[data.find(b"PK\x01\x02") + 6] = 64  # the central directory's "version needed to extract"
    with pytest.raises(CorpusError, match=r"c\.zip: "):
        read_corpus(("c.zip", io.BytesIO(bytes(data))))


def test_the_time_limit_stops_a_hang_and_restores_an_outer_alarm() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 5)
        t = time.monotonic()
        try:
            with time_limit(0.2, "sleeper"):
                while True:
                    time.sleep(0.01)
        except Hang as exc:
            assert "sleeper: still running after 0.2 s" in str(exc)
        assert time.monotonic() - t < 3
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 5  # the outer alarm runs again
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []


def test_only_the_projects_errors_with_one_line_messages_pass() -> None:
    def raising(exc: Exception) -> Callable[[], None]:
        def call() -> None:
            raise exc

        return call

    assert outcome("self-check", raising(FormatError("v.txt, line 2: bad; fix it"))) is None
    with pytest.raises(ValueError, match="raw"):
        outcome("self-check", raising(ValueError("raw")))
    with pytest.raises(AssertionError, match="control character"):
        outcome("self-check", raising(FormatError("two\nlines")))

    def swallowing() -> None:
        with contextlib.suppress(Exception):  # as a parser wrapping every error would
            time.sleep(5)

    with pytest.raises(Hang):
        outcome("self-check", swallowing, limit=0.2)
