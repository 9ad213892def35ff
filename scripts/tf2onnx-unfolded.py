"""Runs tf2onnx on a TensorFlow graph without TensorFlow's constant folding.

    tf2onnx-unfolded.py TF2ONNX_ARGS...   (scripts/models runs it in its TensorFlow venv)

tf2onnx optimises a graph with TensorFlow's Grappler before converting it,
and Grappler's `constfold` pass computes constant subgraphs with
TensorFlow's own CPU kernels. Those kernels take different code paths on
different CPUs (an AVX-512 reciprocal or a fused multiply-add where another
CPU has none), so the folded numbers -- the SSD detector's anchor centres
and sizes, its box-coder scales turned into reciprocals -- differ in their
last bits from machine to machine, and so would the converted file's
SHA-256 that crates/models/manifest.tsv pins. Without that pass those few
operations stay in the ONNX graph (ONNX Runtime folds them when it loads the
model).

tf2onnx then folds constant subgraphs once more, also with TensorFlow's
kernels (tf_utils.compute_const_folding_using_tf, one small session per
node). That is kept only where it is exact on every CPU: moving, slicing,
casting and integer arithmetic. A value any floating-point computation fed
(Sqrt, RealDiv, Exp, ...) is left to the graph too. What tf2onnx folds
afterwards itself, in NumPy (transposes, reshapes, elementwise Mul/Add/Sub,
a batch norm's scale through sqrt and division), is correctly rounded IEEE
arithmetic, so every machine writes the same bytes.
"""

import sys

import tensorflow as tf
import tf2onnx.tf_loader
from tensorflow.core.protobuf import config_pb2, meta_graph_pb2
from tensorflow.python.grappler import tf_optimizer


def optimize_without_folding(input_names, output_names, graph_def):
    """tf2onnx's Grappler step (tf_loader.tf_optimize_grappler for TF 2.x)
    with `constfold` left out."""
    config = config_pb2.ConfigProto()
    config.graph_options.infer_shapes = True
    rewrite = config.graph_options.rewrite_options
    rewrite.optimizers[:] = ["function", "dependency"]
    rewrite.experimental_disable_folding_quantization_emulation = True
    meta_graph = tf.compat.v1.train.export_meta_graph(graph_def=graph_def)
    fetch = meta_graph_pb2.CollectionDef()
    for name in input_names + output_names:
        fetch.node_list.value.append(name)
    meta_graph.collection_def["train_op"].CopyFrom(fetch)
    return tf_optimizer.OptimizeGraph(config, meta_graph)


# Ops whose result is bit-exact on every CPU whatever the dtype: they move,
# select or convert values without computing new ones.
EXACT_ANY_DTYPE = {
    "Const", "ConstV2", "Identity", "Shape", "Size", "Rank", "Cast", "Reshape",
    "StridedSlice", "Slice", "Pack", "Unpack", "ConcatV2", "Concat",
    "ExpandDims", "Squeeze", "Transpose", "Fill", "Tile", "GatherV2",
    "Gather", "ZerosLike", "OnesLike", "Split", "SplitV", "BroadcastTo",
}


# Ops whose result depends on their input's shape only, never its values.
SHAPE_ONLY = {"Shape", "Size", "Rank"}


def computed_inexactly(graph):
    """Names of the tensors whose value some floating-point computation
    (other than moving or casting) fed, in `graph`."""
    tainted = set()
    for op in graph.get_operations():  # topological order
        if op.type in SHAPE_ONLY:
            continue
        floating = any(out.dtype.is_floating for out in op.outputs)
        if (floating and op.type not in EXACT_ANY_DTYPE) or any(
            i.name in tainted for i in op.inputs
        ):
            tainted.update(out.name for out in op.outputs)
    return tainted


def exact_folding(fold):
    """tf2onnx's TensorFlow-kernel folding, keeping only exact values."""

    def folded(graph, const_node_values, graph_outputs):
        values, dtypes = fold(graph, const_node_values, graph_outputs)
        inexact = computed_inexactly(graph)
        dropped = sorted(name for name in values if name in inexact)
        for name in dropped:
            del values[name]
        print(f"tf2onnx-unfolded: left {len(dropped)} inexact folds to the graph",
              file=sys.stderr)
        return values, dtypes

    return folded


tf2onnx.tf_loader.tf_optimize_grappler = optimize_without_folding

import tf2onnx.tfonnx  # noqa: E402

tf2onnx.tfonnx.compute_const_folding_using_tf = exact_folding(
    tf2onnx.tfonnx.compute_const_folding_using_tf
)

from tf2onnx import convert  # noqa: E402  (after the patch it must see)

sys.argv = ["tf2onnx.convert", *sys.argv[1:]]
convert.main()
