"""A 100-tree, depth-6 binary TreeEnsembleClassifier over the demo weather columns, for bench/evaluate.

    /usr/bin/python3 bench/evaluate/make_tree_model.py OUT.onnx
Random splits (seeded), the layout of our own models: one [N,1] float input per column, Concat,
Imputer, outputs `label` and `probabilities`. Leaf weights sit on class id 0 with LOGISTIC, so the
runtime returns [1 - p, p] (DESIGN.md, known traps). Stand-in until `mlops train` builds one.
"""
import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

FEATURES = {
    "temperature_c": (-15, 30),
    "humidity": (0.3, 1.0),
    "wind_speed_kmph": (0, 40),
    "wind_bearing_degrees": (0, 360),
    "visibility_km": (0, 16),
    "pressure_millibars": (990, 1030),
}
TREES, DEPTH = 100, 6
rng = np.random.default_rng(3)
names = list(FEATURES)
attrs = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes",
                         "nodes_truenodeids", "nodes_falsenodeids", "class_treeids", "class_nodeids", "class_ids", "class_weights"]}
for tree in range(TREES):
    internal = 2 ** DEPTH - 1
    for node in range(2 ** (DEPTH + 1) - 1):
        attrs["nodes_treeids"].append(tree)
        attrs["nodes_nodeids"].append(node)
        if node < internal:
            feature = int(rng.integers(len(names)))
            low, high = FEATURES[names[feature]]
            attrs["nodes_featureids"].append(feature)
            attrs["nodes_values"].append(float(rng.uniform(low, high)))
            attrs["nodes_modes"].append("BRANCH_LEQ")
            attrs["nodes_truenodeids"].append(2 * node + 1)
            attrs["nodes_falsenodeids"].append(2 * node + 2)
        else:
            attrs["nodes_featureids"].append(0)
            attrs["nodes_values"].append(0.0)
            attrs["nodes_modes"].append("LEAF")
            attrs["nodes_truenodeids"].append(0)
            attrs["nodes_falsenodeids"].append(0)
            attrs["class_treeids"].append(tree)
            attrs["class_nodeids"].append(node)
            attrs["class_ids"].append(0)
            attrs["class_weights"].append(float(rng.normal(0, 0.1)))
nodes = [
    helper.make_node("Concat", names, ["features"], axis=1),
    helper.make_node("Imputer", ["features"], ["imputed"], domain="ai.onnx.ml",
                     imputed_value_floats=[float(np.mean(FEATURES[n])) for n in names], replaced_value_float=float("nan")),
    helper.make_node("TreeEnsembleClassifier", ["imputed"], ["label", "probabilities"], domain="ai.onnx.ml",
                     classlabels_int64s=[0, 1], post_transform="LOGISTIC", **attrs),
]
graph = helper.make_graph(
    nodes, "bench_trees",
    [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["N", 1]) for n in names],
    [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
     helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2])],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15), helper.make_opsetid("ai.onnx.ml", 2)])
model.ir_version = 8
for key, value in {"mlops.classes": json.dumps(["0", "1"]), "mlops.features": json.dumps(names)}.items():
    entry = model.metadata_props.add()
    entry.key, entry.value = key, value
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
