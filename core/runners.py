"""How a training job is run: in a training process of its own (``python -m core.worker``),
watched for crashes, kills and hangs, with one process started ahead of time so that the next job
does not wait for TensorFlow; or, for tests of the queue's own logic, in a thread."""

from __future__ import annotations

import contextlib
import os
import queue as _q
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from . import worker
from .job import SAVING, STOPPED, Job

CANCEL_GRACE = 5.0  # seconds a cancelled training process has to stop by itself before it is killed
ROOT = Path(__file__).resolve().parent.parent  # the project: the training process imports `core` from here


def exit_reason(returncode: int, output: list[str]) -> str:
    """Why a training process ended without its last message, in one line."""
    if returncode < 0:
        sig = -returncode
        if sig == signal.SIGKILL:
            return f"the training process was killed (signal {sig}), perhaps out of memory; nothing was saved"
        try:
            name = f", {signal.Signals(sig).name}"
        except ValueError:
            name = ""
        return f"the training process was killed (signal {sig}{name}); nothing was saved"
    last = next((line.strip() for line in reversed(output) if line.strip()), "")
    said = f": {last[:200]}" if last else ""
    return f"the training process ended unexpectedly (exit code {returncode}{said}); nothing was saved"


def hang_reason(seconds: float) -> str:
    return f"the training process stopped responding for {seconds:g} s and was stopped; nothing was saved"


Handle = Callable[[tuple], None]  # takes a worker message (see core.worker) about the running job


class ThreadRunner:
    """Runs the trainer in a thread of this process. For tests of the queue's own logic (a
    scripted trainer steps a job through its stages); the app always uses processes."""

    def __init__(self, load_trainer: Callable[[], Callable]):
        self._load_trainer = load_trainer
        self._train: Callable | None = None
        self._load_lock = threading.Lock()
        self._loading = threading.Lock()
        self._warming: threading.Thread | None = None

    def ready(self) -> bool:
        return self._train is not None

    def warm_up(self) -> None:
        with self._load_lock:
            if self._warming is None and self._train is None:
                self._warming = threading.Thread(target=self._trainer, name="w2v-warm-up", daemon=True)
                self._warming.start()

    def _trainer(self) -> Callable:
        with self._loading:  # one load; a job that needs it meanwhile waits for that one
            if self._train is None:
                self._train = self._load_trainer()
            return self._train

    def run(self, job: Job, spec: dict, handle: Handle) -> tuple[str, str]:
        train = self._trainer()  # waits for warm_up()'s load if that is still running
        return worker.run_job(train, spec, handle, job.cancel)

    def idle_pid(self) -> int | None:
        return None

    def after_job(self) -> None: ...

    def retire_idle(self, idle_after: float) -> None: ...

    def close(self) -> None: ...


class Worker:
    """One training process (``python -m core.worker``) and its connection."""

    def __init__(self, trainer: str):
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "core.worker", str(theirs.fileno()), trainer],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # a Ctrl-C meant for the server does not reach it; it ends with the server
            )
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.started = time.monotonic()
        self.ready = threading.Event()
        self.messages: _q.Queue[tuple] = _q.Queue()
        self.output: deque[str] = deque(maxlen=20)  # its last lines of output, for a crash's reason
        threading.Thread(target=self._read, name=f"w2v-worker-{self.proc.pid}", daemon=True).start()
        self._drainer = threading.Thread(target=self._drain, name=f"w2v-worker-out-{self.proc.pid}", daemon=True)
        self._drainer.start()

    def _read(self) -> None:
        while True:
            try:
                msg = self.conn.recv()
            except (EOFError, OSError):
                self.messages.put(("eof",))
                return
            if msg[0] == "ready":
                self.ready.set()
            self.messages.put(msg)

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.output.append(line.decode("utf-8", "replace"))

    def last_words(self) -> list[str]:
        """Its last lines of output, once it has ended."""
        self._drainer.join(2)
        return list(self.output)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, msg: tuple) -> None:
        with contextlib.suppress(OSError):  # it has ended: its reader reports that
            self.conn.send(msg)

    def wait(self, timeout: float) -> int:
        """Its exit code, killing it if it has not ended within ``timeout`` seconds."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return self.kill()

    def kill(self) -> int:
        self.proc.kill()
        return self.proc.wait()

    def stop(self) -> None:
        """End an idle process: closing the connection makes it exit; kill it if it does not."""
        self.conn.close()
        self.wait(5)


class ProcessRunner:
    """Runs each job in a training process of its own, watched for crashes, kills and hangs."""

    def __init__(self, trainer: str, hang_after: float):
        self.trainer, self.hang_after = trainer, hang_after
        self._lock = threading.Lock()
        self._idle: Worker | None = None  # started ahead of time; takes the next job
        self._current: Worker | None = None
        self._asked = time.monotonic()  # when warm_up() was last called
        self._closed = False

    def ready(self) -> bool:
        with self._lock:
            return self._idle is not None and self._idle.ready.is_set() and self._idle.alive()

    def idle_pid(self) -> int | None:
        with self._lock:
            return self._idle.proc.pid if self._idle is not None else None

    def warm_up(self) -> None:
        with self._lock:
            self._asked = time.monotonic()
            if not self._closed and (self._idle is None or not self._idle.alive()):
                if self._idle is not None:
                    self._idle.conn.close()
                self._idle = Worker(self.trainer)

    def after_job(self) -> None:
        self.warm_up()  # the next job (or the next user) does not wait for TensorFlow

    def retire_idle(self, idle_after: float) -> None:
        """Stop the idle process when nobody asked for one for ``idle_after`` seconds (its memory)."""
        with self._lock:
            w = self._idle
            if w is None or time.monotonic() - max(w.started, self._asked) < idle_after:
                return
            self._idle = None
        w.stop()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = [w for w in (self._idle, self._current) if w is not None]
            self._idle = None
        for w in workers:
            w.kill()

    def run(self, job: Job, spec: dict, handle: Handle) -> tuple[str, str]:
        with self._lock:
            w, self._idle = self._idle, None
            if w is None or not w.alive():  # none yet, or it ended while idle (killed, out of memory)
                if w is not None:
                    w.conn.close()
                w = Worker(self.trainer)
            self._current = w
        job.pid = w.proc.pid
        try:
            return self._watch(w, job, spec, handle)
        finally:
            if w.alive():
                w.kill()  # only after an error of this thread: the process has ended otherwise
            w.conn.close()
            with self._lock:
                self._current = None

    def _watch(self, w: Worker, job: Job, spec: dict, handle: Handle) -> tuple[str, str]:
        w.send(("job", spec))
        last = time.monotonic()  # the last message: silence longer than hang_after is a hang
        cancelled_at = 0.0
        while True:
            try:
                msg: tuple | None = w.messages.get(timeout=0.2)
            except _q.Empty:
                msg = None
            now = time.monotonic()
            if msg is not None:
                last = now
                if msg[0] == "eof":
                    rc = w.wait(10)
                    if job.cancel.is_set():  # stopped on request (or the queue is closing)
                        return "cancelled", STOPPED
                    return "failed", exit_reason(rc, w.last_words())
                if msg[0] == "end":
                    w.wait(10)
                    return msg[1], msg[2]
                handle(msg)
            if job.cancel.is_set():
                if not cancelled_at:
                    cancelled_at = now
                    w.send(("cancel",))
                elif now - cancelled_at > CANCEL_GRACE and not job.stage.startswith(SAVING):
                    w.kill()  # it did not stop by itself (still loading, or busy in one long step)
                    return "cancelled", STOPPED
            if now - last > self.hang_after:
                w.kill()
                return "failed", hang_reason(self.hang_after)
