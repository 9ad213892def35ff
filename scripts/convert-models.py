"""Turns model files that ship in a framework's own format into what
bonafide runs: ONNX graphs and plain label lists. Called by `scripts/models`
(with numpy and onnx pinned in .tools/models-venv); each output's SHA-256 is
then checked against crates/models/manifest.tsv like every other file.

    convert-models.py imagenet-concepts SRC_synsets.txt OUT.tsv
    convert-models.py minilm SRC.safetensors OUT.onnx
    convert-models.py clip-u8 SRC.onnx OUT.onnx
    convert-models.py canonical SRC.onnx OUT.onnx

No PyTorch is needed (nor available offline): the checkpoint is read with
numpy and the graph written node by node with onnx.helper, following the
published architecture (BERT as in sentence-transformers' all-MiniLM-L6-v2,
with mean pooling and L2 normalisation).

`clip-u8` rewrites the int8 CLIP tower's weights from signed to unsigned
bytes (each weight and its zero point plus 128: the same products exactly).
ONNX Runtime multiplies unsigned activations by signed weights with
`vpmaddubsw` on CPUs without VNNI, whose 16-bit sums saturate: on such a CPU
(AVX2 only) the signed model's embeddings have cosine 0.3–0.6 to what a
VNNI CPU computes. Unsigned × unsigned takes a kernel that cannot saturate,
so every CPU computes the same embedding.

`canonical` rewrites what tf2onnx made (scripts/models runs it in its own
TensorFlow venv) so that the same source always gives the same bytes:
tf2onnx numbers the names it invents from sets of Python objects, so two
runs differ in names and initialiser order though not in the graph. Every
name becomes its rank in first use, node names and doc strings go, and
initialisers are sorted by their new names. A graph output made by
QuantizeLinear/DequantizeLinear (an int8 TFLite classifier's softmax comes
out as uint8) is taken from the float tensor they requantise instead, so
every output bonafide reads is a float at full precision.
"""

import collections
import json
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


# --- checkpoints --------------------------------------------------------------------------


def load_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        body = f.read()
    dtypes = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        out[name] = np.frombuffer(body[start:end], dtype=dtypes[meta["dtype"]]).reshape(meta["shape"])
    return out


# --- graph building -----------------------------------------------------------------------


class Graph:
    """Nodes and initialisers with generated names."""

    def __init__(self):
        self.nodes, self.inits, self.n = [], [], 0

    def name(self, hint):
        self.n += 1
        return f"{hint}_{self.n}"

    def const(self, array, hint="c"):
        name = self.name(hint)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, op_type, inputs, hint=None, **attrs):
        out = self.name(hint or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attrs))
        return out

    def model(self, inputs, outputs, graph_name, doc):
        graph = helper.make_graph(self.nodes, graph_name, inputs, outputs, self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
        model.doc_string = doc
        model.producer_name = "bonafide scripts/convert-models.py"
        onnx.checker.check_model(model)
        return model


# --- ImageNet class names ---------------------------------------------------------------


def imagenet_concepts(src, out):
    """The 1000 ImageNet-1k classes in index order (WordNet ids sorted, the
    order ImageNet classifiers are trained in), one line each: display
    name, every lemma, and WordNet's definition, tab-separated — the words task texts are matched
    against. SRC is the synset list; the lemma and definition tables lie
    beside it."""
    folder = src.rsplit("/", 1)[0]
    wnids = open(src).read().split()
    table = lambda name: dict(line.rstrip("\n").split("\t", 1) for line in open(f"{folder}/{name}"))
    lemmas, definitions = table("imagenet_synset_to_lemma.txt"), table("imagenet_synset_to_definition.txt")
    assert len(wnids) == 1000 and wnids == sorted(wnids), "ImageNet-1k ids, sorted"
    with open(out, "w") as f:
        for w in wnids:
            f.write(f"{lemmas[w].split(',')[0].strip()}\t{lemmas[w]}\t{definitions[w]}\n")


# --- all-MiniLM-L6-v2 (BERT, 6 layers, 384 wide, 12 heads) ---------------------------------


def minilm(src, out):
    w = load_safetensors(src)
    g = Graph()
    hidden, heads = 384, 12
    head = hidden // heads

    def linear(x, prefix):
        y = g.op("MatMul", [x, g.const(w[prefix + ".weight"].T.copy(), "w")], "matmul")
        return g.op("Add", [y, g.const(w[prefix + ".bias"], "b")], "bias")

    def layer_norm(x, prefix):
        return g.op("LayerNormalization", [x, g.const(w[prefix + ".weight"]), g.const(w[prefix + ".bias"])], "ln",
                    axis=-1, epsilon=1e-12)

    def split_heads(x):  # [B, L, 384] -> [B, 12, L, 32]
        y = g.op("Reshape", [x, g.const(np.array([0, -1, heads, head], dtype=np.int64))], "heads")
        return g.op("Transpose", [y], "heads_t", perm=[0, 2, 1, 3])

    ids, mask = "input_ids", "attention_mask"
    positions = g.op("Range", [g.const(np.int64(0)), g.op("Gather", [g.op("Shape", [ids]), g.const(np.int64(1))], "len"), g.const(np.int64(1))], "pos")
    x = g.op("Gather", [g.const(w["embeddings.word_embeddings.weight"]), ids], "tok")
    x = g.op("Add", [x, g.op("Gather", [g.const(w["embeddings.position_embeddings.weight"]), positions], "pos_emb")], "emb")
    x = g.op("Add", [x, g.const(w["embeddings.token_type_embeddings.weight"][0])], "emb_type")
    x = layer_norm(x, "embeddings.LayerNorm")

    mask_f = g.op("Cast", [mask], "mask_f", to=TensorProto.FLOAT)
    # [B, L] -> [B, 1, 1, L]; 0 where attended, -10000 where padding (as BERT).
    bias = g.op("Mul", [g.op("Sub", [g.const(np.float32(1)), mask_f], "inv"), g.const(np.float32(-10000.0))], "mask_bias")
    bias = g.op("Unsqueeze", [bias, g.const(np.array([1, 2], dtype=np.int64))], "mask_bias4")
    for i in range(6):
        p = f"encoder.layer.{i}"
        q = split_heads(linear(x, f"{p}.attention.self.query"))
        k = split_heads(linear(x, f"{p}.attention.self.key"))
        v = split_heads(linear(x, f"{p}.attention.self.value"))
        scores = g.op("MatMul", [q, g.op("Transpose", [k], "k_t", perm=[0, 1, 3, 2])], "scores")
        scores = g.op("Add", [g.op("Div", [scores, g.const(np.float32(np.sqrt(head)))], "scaled"), bias], "masked")
        probs = g.op("Softmax", [scores], "attn", axis=-1)
        ctx = g.op("Transpose", [g.op("MatMul", [probs, v], "ctx")], "ctx_t", perm=[0, 2, 1, 3])
        ctx = g.op("Reshape", [ctx, g.const(np.array([0, -1, hidden], dtype=np.int64))], "ctx_flat")
        x = layer_norm(g.op("Add", [x, linear(ctx, f"{p}.attention.output.dense")], "res1"), f"{p}.attention.output.LayerNorm")
        h = linear(x, f"{p}.intermediate.dense")
        # Exact GELU: x/2 (1 + erf(x / sqrt 2)).
        erf = g.op("Erf", [g.op("Div", [h, g.const(np.float32(np.sqrt(2.0)))], "gelu_in")], "erf")
        h = g.op("Mul", [g.op("Mul", [h, g.const(np.float32(0.5))], "half"), g.op("Add", [erf, g.const(np.float32(1))], "erf1")], "gelu")
        x = layer_norm(g.op("Add", [x, linear(h, f"{p}.output.dense")], "res2"), f"{p}.output.LayerNorm")

    # Mean over attended tokens, then unit length (sentence-transformers' Pooling + Normalize).
    m = g.op("Unsqueeze", [mask_f, g.const(np.array([2], dtype=np.int64))], "mask3")
    summed = g.op("ReduceSum", [g.op("Mul", [x, m], "masked_tokens"), g.const(np.array([1], dtype=np.int64))], "sum", keepdims=0)
    count = g.op("ReduceSum", [m, g.const(np.array([1], dtype=np.int64))], "count", keepdims=0)
    mean = g.op("Div", [summed, g.op("Max", [count, g.const(np.float32(1e-9))], "count_min")], "mean")
    norm = g.op("ReduceL2", [mean], "norm", axes=[1], keepdims=1)
    g.op("Div", [mean, g.op("Max", [norm, g.const(np.float32(1e-12))], "norm_min")], "sentence")
    g.nodes[-1].output[0] = "sentence_embedding"
    model = g.model(
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", hidden])],
        "all_minilm_l6_v2",
        "sentence-transformers all-MiniLM-L6-v2: BERT uncased WordPiece ids in, mean-pooled unit-length 384-d embedding out",
    )
    onnx.save(model, out)


def clip_u8(src, out):
    model = onnx.load(src)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    users = collections.Counter(name for n in graph.node for name in n.input)
    weights = set()
    for n in graph.node:
        if n.op_type == "MatMulInteger":
            # inputs: A, B, a_zero_point, b_zero_point
            for name in (n.input[1], n.input[3]):
                if name in inits and inits[name].data_type == TensorProto.INT8:
                    weights.add(name)
    for name in sorted(weights):
        if users[name] != sum(1 for n in graph.node if n.op_type == "MatMulInteger" and name in n.input):
            raise SystemExit(f"{name} feeds something other than MatMulInteger")
        signed = numpy_helper.to_array(inits[name]).astype(np.int16)
        unsigned = numpy_helper.from_array((signed + 128).astype(np.uint8), name)
        inits[name].CopyFrom(unsigned)
    if not weights:
        raise SystemExit("no signed MatMulInteger weights found")
    onnx.save(model, out)


def float_outputs(graph):
    """Each output produced by a chain of QuantizeLinear/DequantizeLinear
    nodes is rewired to the float tensor at the chain's start, and the
    chain's nodes, with the constants only they read, go."""
    producer = {o: n for n in graph.node for o in n.output}
    for v in graph.output:
        start, chain = v.name, []
        while start in producer and producer[start].op_type in ("QuantizeLinear", "DequantizeLinear"):
            chain.append(producer[start])
            start = producer[start].input[0]
        if not chain:
            continue
        for n in chain:
            graph.node.remove(n)
        for n in graph.node:
            for i, x in enumerate(n.output):
                if x == start:
                    n.output[i] = v.name
            for i, x in enumerate(n.input):
                if x == start:
                    n.input[i] = v.name
        v.type.tensor_type.elem_type = TensorProto.FLOAT
    read = {x for n in graph.node for x in n.input}
    unused = [t for t in graph.initializer if t.name not in read]
    for t in unused:
        graph.initializer.remove(t)


def sort_nodes(graph):
    """Puts `graph`'s nodes in an order fixed by what they compute.

    tf2onnx writes independent branches in whatever order it met them,
    which changes from run to run. Each value gets a digest of how it is
    made (a graph input's name, an initialiser's contents, or its node's
    operator, attributes and input digests); the nodes are then sorted
    topologically, taking the ready node with the smallest digest first.
    """
    import hashlib
    import heapq

    digest = {v.name: hashlib.sha256(b"input:" + v.name.encode()).digest() for v in graph.input}
    for t in graph.initializer:
        a = numpy_helper.to_array(t)
        digest[t.name] = hashlib.sha256(
            str((a.dtype.str, a.shape)).encode() + a.tobytes()
        ).digest()
    digest[""] = b""
    nodes = list(graph.node)
    waiting = [len({x for x in n.input if x not in digest}) for n in nodes]
    users = collections.defaultdict(list)
    for i, n in enumerate(nodes):
        for x in set(n.input):
            if x not in digest:
                users[x].append(i)

    def node_digest(n):
        h = hashlib.sha256(f"{n.domain}:{n.op_type}".encode())
        for attr in sorted(n.attribute, key=lambda a: a.name):
            h.update(attr.SerializeToString(deterministic=True))
        for x in n.input:
            h.update(digest[x])
        return h.digest()

    ready = [(node_digest(n), i) for i, n in enumerate(nodes) if waiting[i] == 0]
    heapq.heapify(ready)
    ordered = []
    while ready:
        d, i = heapq.heappop(ready)
        ordered.append(nodes[i])
        for k, y in enumerate(nodes[i].output):
            if y == "" or y in digest:
                continue
            digest[y] = hashlib.sha256(d + str(k).encode()).digest()
            for j in users.get(y, ()):
                waiting[j] -= 1
                if waiting[j] == 0:
                    heapq.heappush(ready, (node_digest(nodes[j]), j))
    if len(ordered) != len(nodes):
        raise SystemExit("canonical: the graph has a cycle or an input no node makes")
    del graph.node[:]
    graph.node.extend(ordered)


def canonical(src, out):
    model = onnx.load(src)
    graph = model.graph
    if any(n.op_type in ("Loop", "If", "Scan") for n in graph.node):
        # Their subgraphs' outputs come in an order tf2onnx does not fix.
        raise SystemExit("canonical: control flow is not supported; cut the graph before it")
    float_outputs(graph)
    sort_nodes(graph)
    # The graph's own inputs and outputs keep their names: the code that
    # runs the model feeds and reads them by name.
    kept = {v.name for v in graph.input} | {v.name for v in graph.output}
    names = {}

    def rename(name):
        if name == "" or name in kept:
            return name
        return names.setdefault(name, f"t{len(names)}")

    def walk(g):
        for v in g.input:
            v.name = rename(v.name)
        for node in g.node:
            for i, x in enumerate(node.input):
                node.input[i] = rename(x)
            for attr in node.attribute:
                for sub in ([attr.g] if attr.HasField("g") else []) + list(attr.graphs):
                    walk(sub)
            for i, x in enumerate(node.output):
                node.output[i] = rename(x)
            node.name = ""
            node.doc_string = ""
            # An empty domain set or left unset means the same and is
            # written differently.
            if node.domain == "":
                node.ClearField("domain")
        for v in g.output:
            v.name = rename(v.name)
        for t in g.initializer:
            t.name = rename(t.name)
        for v in g.value_info:
            v.name = rename(v.name)
        order = lambda v: int(v.name[1:]) if v.name[1:].isdigit() else -1
        for field in (g.initializer, g.value_info):
            ordered = sorted(field, key=order)
            del field[:]
            field.extend(ordered)
        g.doc_string = ""

    walk(graph)
    onnx.save(model, out)


if __name__ == "__main__":
    kind, src, dst = sys.argv[1:]
    {
        "imagenet-concepts": imagenet_concepts,
        "minilm": minilm,
        "clip-u8": clip_u8,
        "canonical": canonical,
    }[kind](src, dst)
