"""The producer's side of training never loads TensorFlow (its tests stay fast)."""

import subprocess
import sys

from tests.helpers import ROOT


def test_spans_and_params_import_without_tensorflow():
    code = (
        "import sys, numpy as np; from core.params import TrainParams; from core import spans; "
        "from core.vocab import Vocab; "
        "v = Vocab(['a', 'b', 'c'], np.array([5, 3, 2])); p = TrainParams(span=2, window=1, sample=0); "
        "c = next(spans.chunks(np.array([0, 1, 2, 1, 0], np.int32), v.keep_probs(0), spans.noise_table(v), p, "
        "np.random.default_rng(0))); "
        "assert isinstance(c, spans.Chunk) and isinstance(c.arrays.plan0, spans.MergePlan); "
        "print('tensorflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
