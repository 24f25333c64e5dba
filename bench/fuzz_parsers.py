"""The fuzz run of every parser (issue 17): the properties of tests/core/test_fuzz_parsers.py with
many more examples (by default 1,200 per parser and 300 for .keras models: 11,100 in all).

Each property: random bytes or a mutated small valid file either reads into a valid result or
raises one of the project's own errors (a ``W2VError`` with a one-line message), within a time
limit per call. Prints, per parser, the examples run (calls, shrinking included), the wall time
and the failures found (each with hypothesis' smallest failing example); exits 1 if any. A failure
already reported can be counted instead (``--known REGEX``), so that the run looks for others;
it still makes the exit status 1.

    python -m bench.fuzz_parsers [--examples 1200] [--keras-examples 300] [--only corpus-zip,npy] [--known RE]

Failing examples are kept in hypothesis' database (.hypothesis/), so the next run and the test
suite try them first.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def describe(exc: BaseException) -> list[str]:
    """One entry per distinct failure hypothesis reports (it groups several in an ExceptionGroup)."""
    if isinstance(exc, BaseExceptionGroup):
        return [line for sub in exc.exceptions for line in describe(sub)]
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    where = traceback.extract_tb(exc.__traceback__)
    frames = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in where if "/hypothesis/" not in f.filename]
    return [f"{text}\n      at {' <- '.join(reversed(frames[-4:]))}"]  # the text holds hypothesis' notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=int, default=1200, help="examples per parser (default 1200)")
    ap.add_argument("--keras-examples", type=int, default=300, help="examples of .keras models (default 300)")
    ap.add_argument("--time-limit", type=float, default=20, help="seconds per call (Keras: 3x; default 20)")
    ap.add_argument("--only", default="", help="comma-separated parsers to run (default: all)")
    ap.add_argument(
        "--known",
        default="",
        help="regular expression of a failure already reported ('Type: message'): counted, and the run goes on",
    )
    args = ap.parse_args(argv)
    # read by the test module when it is imported
    os.environ["W2V_FUZZ_EXAMPLES"] = str(args.examples)
    os.environ["W2V_FUZZ_KERAS_EXAMPLES"] = str(args.keras_examples)
    os.environ["W2V_FUZZ_TIME_LIMIT"] = str(args.time_limit)
    os.environ["W2V_FUZZ_KNOWN"] = args.known
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)  # hypothesis' database lives in .hypothesis/ at the top of the repository
    from tests.core import test_fuzz_parsers as fuzz

    only = [p for p in args.only.split(",") if p]
    unknown = sorted(set(only) - set(fuzz.FUZZ_TESTS))
    if unknown:
        ap.error(f"unknown parser(s) {', '.join(unknown)}; choose from {', '.join(fuzz.FUZZ_TESTS)}")
    print(f"{'parser':<14}{'examples':>10}{'wall s':>9}{'failures':>10}", flush=True)
    total_runs, total_time, found = 0, 0.0, []
    for name, test in fuzz.FUZZ_TESTS.items():
        if only and name not in only:
            continue
        before = fuzz.RUNS[name]
        t = time.perf_counter()
        try:
            test()
            failures: list[str] = []
        except Exception as exc:  # noqa: BLE001 - every failure is reported, then the next parser runs
            failures = describe(exc)
        wall = time.perf_counter() - t
        runs = fuzz.RUNS[name] - before
        total_runs, total_time = total_runs + runs, total_time + wall
        found += [(name, f) for f in failures]
        print(f"{name:<14}{runs:>10,}{wall:>9.1f}{len(failures):>10}", flush=True)
    print(f"{'total':<14}{total_runs:>10,}{total_time:>9.1f}{len(found):>10}")
    for name, failure in found:
        print(f"\n[{name}] {failure}")
    for what, hits in fuzz.KNOWN.items():
        print(f"\nknown failure (--known), {hits:,} examples: {what}")
    return 1 if found or fuzz.KNOWN else 0


if __name__ == "__main__":
    sys.exit(main())
