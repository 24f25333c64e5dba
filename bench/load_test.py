"""Many users at once: 10 sessions browse Neighbours and Vector space while one session trains.

Starts `streamlit run app.py` on a free port with a temporary workspace. The browsing sessions
are real Streamlit sessions: each speaks the app's own websocket protocol (``/_stcore/stream``,
the protobuf messages the browser sends and receives). Each of the 10 users opens links one
after another, as a person following links to words would: a new session, the page run with the
word in the URL, the time until the run's ``script_finished``; a run that sends an exception, or
no neighbour list where one is due, counts as an error. The training session is a real browser (Playwright, Debian's
Chromium) that starts a long job on the Train page, as a user would.

Phase 1 (idle): the sessions browse for ``--seconds``; phase 2: the same while the job trains.
Every page of the app is also asked for once per session in each phase. Reports the neighbour-
table time (median, p95) per phase and the ratio of the p95s.

    python -m bench.load_test [--sessions 10] [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.idle_cpu import CHROMIUM, CHROMIUM_ARGS, free_port

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["", "corpus", "train", "library", "neighbours", "space", "evaluate", "compare", "quiz"]
WORDS = ["king", "queen", "man", "woman", "paris", "berlin", "france", "germany", "dog", "cat"]


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)  # neighbour-table runs, seconds
    space: list[float] = field(default_factory=list)
    pages: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Session:
    """One browser tab's worth of the protocol: a websocket, reruns of pages by URL."""

    def __init__(self, port: int):
        from websockets.sync.client import connect

        url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.ws = connect(url, subprotocols=["streamlit"], max_size=None)  # type: ignore[list-item]

    def run(self, page: str, query: str, timeout: float = 120) -> tuple[float, list[str], int]:
        """Rerun ``page`` with ``query``; (seconds, exception messages, tables and buttons drawn)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        start = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        errors, frames = [], 0
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(self.ws.recv(timeout=timeout))
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                which = el.WhichOneof("type")
                if which == "exception":
                    errors.append(el.exception.message[:200])
                elif which in ("arrow_data_frame", "button"):  # tables; neighbour words are buttons
                    frames += 1
            elif kind == "script_finished":
                return time.perf_counter() - start, errors, frames

    def close(self) -> None:
        self.ws.close()


def once(port: int, page: str, query: str) -> tuple[float, list[str], int]:
    """A user opening a link: a new session, one run of the page, closed."""
    s = Session(port)
    try:
        return s.run(page, query)
    finally:
        s.close()


def browse(port: int, stop: threading.Event, tally: Tally, seed: int, sweep: bool) -> None:
    rng = random.Random(seed)
    try:
        for page in PAGES if sweep else []:  # every page answers
            _, errors, _ = once(port, page, "set=sample")
            with tally.lock:
                tally.pages += 1
                tally.errors += [f"/{page}: {e}" for e in errors]
        n = 0
        while not stop.is_set():
            word = rng.choice(WORDS)
            if n % 4 == 3:
                secs, errors, _ = once(port, "space", f"set=sample&word={word}")
                with tally.lock:
                    tally.space.append(secs)
                    tally.errors += [f"/space: {e}" for e in errors]
            else:
                secs, errors, shown = once(port, "neighbours", f"set=sample&word={word}")
                with tally.lock:
                    tally.times.append(secs)
                    tally.errors += [f"/neighbours: {e}" for e in errors]
                    if shown < 10:  # the default 10 neighbours, each a button
                        tally.errors.append(f"/neighbours?word={word}: no neighbour list")
            n += 1
            time.sleep(rng.uniform(0.2, 1.0))  # a person reads the table before the next word
    except Exception as exc:  # a dropped connection is an error of the run, not of the bench
        with tally.lock:
            tally.errors.append(f"session {seed}: {type(exc).__name__}: {exc}")


def phase(port: int, sessions: int, seconds: float, sweep: bool = True) -> Tally:
    """Every session opens every page once (together), then all browse for ``seconds``."""
    tally, stop = Tally(), threading.Event()
    if sweep:
        stop.set()  # each session's loop ends at once: only the sweep runs
        threads = [threading.Thread(target=browse, args=(port, stop, tally, i, True)) for i in range(sessions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(600)
        stop = threading.Event()
    threads = [threading.Thread(target=browse, args=(port, stop, tally, i, False)) for i in range(sessions)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(180)
    return tally


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) >= 2 else float("nan")


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def show(label: str, t: Tally) -> None:
    print(
        f"{label:<22} neighbour runs {len(t.times):4d}  median {1000 * median(t.times):6.0f} ms  "
        f"p95 {1000 * p95(t.times):6.0f} ms | space runs {len(t.space):3d}  median "
        f"{1000 * median(t.space):6.0f} ms | pages answered {t.pages} | errors {len(t.errors)}"
    )
    for e in t.errors[:10]:
        print("   ", e)


def wait_for(url: str, limit: float = 60) -> None:
    deadline = time.time() + limit
    while True:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return
        except OSError:
            if time.time() > deadline:
                sys.exit("streamlit did not start")
            time.sleep(0.3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=60, help="length of each phase (default 60)")
    ap.add_argument("--epochs", type=int, default=100, help="epochs of the job on the sample corpus (default 100)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as ws:
        env = {**os.environ, "W2V_WORKSPACE": ws}
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
        cmd += ["--server.headless", "true", "--server.address", "127.0.0.1"]
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(url)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url + "/train")
                page.get_by_role("button", name="Use the sample corpus").click(timeout=60_000)
                page.get_by_role("button", name="Start training").wait_for(timeout=60_000)
                phase(port, 1, 20)  # warm-up: caches filled, first imports done
                idle = phase(port, args.sessions, args.seconds)
                show("idle", idle)
                page.get_by_role("textbox", name="Name of the new set").fill("load")
                page.get_by_role("spinbutton", name="Epochs").fill(str(args.epochs))
                page.get_by_role("button", name="Start training").click()
                page.get_by_text("training", exact=False).first.wait_for(timeout=60_000)
                started = time.time()
                busy = phase(port, args.sessions, args.seconds)
                still = page.get_by_role("button", name="Stop training").count() > 0
                show("while one trains", busy)
                print(f"the job ran for the whole phase: {still} ({time.time() - started:.0f} s after Start)")
                ratio = p95(busy.times) / p95(idle.times)
                print(f"p95 ratio (training / idle): {ratio:.2f}")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    if idle.errors or busy.errors or ratio > 1.5:
        sys.exit(1)


if __name__ == "__main__":
    main()
