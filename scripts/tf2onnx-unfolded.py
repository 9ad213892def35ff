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
model), and what tf2onnx folds itself (transposes, reshapes) is exact, so
every machine writes the same bytes.
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


tf2onnx.tf_loader.tf_optimize_grappler = optimize_without_folding

from tf2onnx import convert  # noqa: E402  (after the patch it must see)

sys.argv = ["tf2onnx.convert", *sys.argv[1:]]
convert.main()
