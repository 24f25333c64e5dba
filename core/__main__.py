import os
import sys

from .cli import main

code = main()
if "tensorflow" in sys.modules:
    # TensorFlow's own teardown at interpreter exit takes about half a second (bench/RESULTS.md),
    # after the work is done: every file is written, synced and closed by now, so leave at once
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
sys.exit(code)
