"""The TensorFlow ops the trainer uses, loaded without TensorFlow's package ``__init__``.

``import tensorflow`` imports some 1,600 modules (Lite, TPU, distribution strategies, feature
columns, ...), about 1.4 s of every training process's start that the trainer never uses
(bench/RESULTS.md). Here the package is entered through a stand-in module, only the ~380 modules
behind the ops below are imported, TensorFlow 2's behaviour is switched on as its ``__init__``
does, and the trainer gets a namespace holding the same functions as ``tf.*`` (or the ones that
``tf.*``'s weak-tensor wrappers call, which differ only under NumPy-style promotion). The stand-in
stays in ``sys.modules`` so that TensorFlow's own lazy imports keep working; anything else that
reaches for ``tensorflow`` later (Keras, a test) makes it import the whole package, as usual.
Where these internal modules are not where this TensorFlow keeps them, :func:`load` raises
ImportError and the caller imports the whole package instead.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types


class _StandIn(types.ModuleType):
    """``tensorflow`` until something other than the trainer wants it whole."""

    def __getattr__(self, name: str):
        return getattr(whole(), name)


def whole_loaded() -> bool:
    """Whether the real ``tensorflow`` package (not the stand-in) is imported."""
    return "tensorflow" in sys.modules and not isinstance(sys.modules["tensorflow"], _StandIn)


def whole() -> types.ModuleType:
    """The real ``tensorflow`` package (imported now if only the stand-in was)."""
    if isinstance(sys.modules.get("tensorflow"), _StandIn):
        del sys.modules["tensorflow"]  # its submodules stay imported; the package's __init__ reuses them
    return importlib.import_module("tensorflow")


def load() -> types.SimpleNamespace:
    """The trainer's ``tf``: the ops it uses, the same objects as ``tensorflow``'s own."""
    if "tensorflow" not in sys.modules:
        spec = importlib.util.find_spec("tensorflow")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("TensorFlow is not installed")
        stand_in = _StandIn("tensorflow")
        stand_in.__path__ = list(spec.submodule_search_locations)
        stand_in.__spec__ = spec
        sys.modules["tensorflow"] = stand_in
    try:
        return _namespace()
    except (ImportError, AttributeError):
        if isinstance(sys.modules.get("tensorflow"), _StandIn):
            del sys.modules["tensorflow"]
        raise ImportError("this TensorFlow keeps its ops elsewhere") from None


def _namespace() -> types.SimpleNamespace:
    from tensorflow.python import tf2
    from tensorflow.python.compat import v2_compat

    tf2.enable()  # as tensorflow/__init__ does: eager execution, resource variables, control flow v2
    v2_compat.enable_v2_behavior()
    from tensorflow.python.eager.polymorphic_function import polymorphic_function
    from tensorflow.python.framework import config, constant_op, dtypes, indexed_slices, tensor, versions
    from tensorflow.python.ops import array_ops, gen_math_ops, math_ops, variables, while_loop
    from tensorflow.python.platform import tf_logging
    from tensorflow.python.util import nest

    ns = types.SimpleNamespace
    return ns(
        __version__=versions.__version__,
        float32=dtypes.float32,
        int32=dtypes.int32,
        Tensor=tensor.Tensor,
        TensorSpec=tensor.TensorSpec,
        Variable=variables.Variable,
        IndexedSlices=indexed_slices.IndexedSlices,
        function=polymorphic_function.function,
        constant=constant_op.constant,
        zeros=array_ops.zeros,
        gather=array_ops.gather_v2,
        reshape=array_ops.reshape,
        concat=array_ops.concat,
        shape=array_ops.shape_v2,
        cast=math_ops.cast,
        matmul=math_ops.matmul,
        reduce_sum=math_ops.reduce_sum,
        sigmoid=math_ops.sigmoid,
        maximum=gen_math_ops.maximum,
        while_loop=while_loop.while_loop_v2,
        math=ns(softplus=math_ops.softplus, segment_sum=gen_math_ops.segment_sum),
        nest=ns(map_structure=nest.map_structure),
        config=ns(
            threading=ns(
                set_intra_op_parallelism_threads=config.set_intra_op_parallelism_threads,
                set_inter_op_parallelism_threads=config.set_inter_op_parallelism_threads,
            ),
            list_physical_devices=config.list_physical_devices,
        ),
        get_logger=tf_logging.get_logger,
    )
