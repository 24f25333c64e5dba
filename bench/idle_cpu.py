"""What an open Train page costs the server when nothing is training.

Starts `streamlit run app.py` on a free port with a temporary workspace, opens the Train page
in headless Chromium (Playwright, Debian's /usr/bin/chromium), chooses the sample corpus, waits
for the server to settle (the page loads TensorFlow in the background), then measures the server
process's CPU time over N seconds. With --after-job it then trains a quick set on the sample
corpus, waits for the end state, and measures again.

    python -m bench.idle_cpu [--seconds 20] [--after-job]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.test_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 (one list of launch flags)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process (all its threads), in seconds."""
    try:
        import psutil

        t = psutil.Process(pid).cpu_times()
        return t.user + t.system
    except ImportError:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def measure(pid: int, seconds: float) -> float:
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return cpu_seconds(pid) - before


def settle(pid: int, limit: float = 90, quiet: float = 0.05) -> float:
    """Wait until two 1-s windows in a row cost under ``quiet`` CPU seconds; returns the wait."""
    start, calm = time.time(), 0
    while calm < 2 and time.time() - start < limit:
        calm = calm + 1 if measure(pid, 1.0) < quiet else 0
    return time.time() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def report(label: str, used: float, seconds: float) -> None:
    print(f"{label:<34} {used:6.2f} CPU s in {seconds:.0f} s = {100 * used / seconds:5.1f}% of one core")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=20, help="length of each measurement (default 20)")
    ap.add_argument("--after-job", action="store_true", help="also measure after a short job has finished")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as ws:
        env = {**os.environ, "W2V_WORKSPACE": ws, "TF_CPP_MIN_LOG_LEVEL": "3"}
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
        cmd += ["--server.headless", "true", "--server.address", "127.0.0.1"]
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 60
            while True:
                try:
                    urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                    break
                except OSError:
                    if time.time() > deadline:
                        sys.exit("streamlit did not start")
                    time.sleep(0.3)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url + "/train")
                page.get_by_role("button", name="Use the sample corpus").click(timeout=60_000)
                page.get_by_role("button", name="Start training").wait_for(timeout=60_000)
                print(f"server settled after {settle(server.pid):.0f} s (TensorFlow loads in the background)")
                report("Train page open, no job:", measure(server.pid, args.seconds), args.seconds)

                if args.after_job:
                    page.get_by_role("textbox", name="Name of the new set").fill("bench")
                    page.get_by_role("spinbutton", name="Epochs").fill("1")
                    page.get_by_role("button", name="Start training").click()
                    started = time.time()
                    page.get_by_text("'bench' is saved").wait_for(timeout=300_000)
                    print(f"short job finished and shown after {time.time() - started:.1f} s")
                    settle(server.pid, limit=30)
                    report("Train page open, job finished:", measure(server.pid, args.seconds), args.seconds)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
