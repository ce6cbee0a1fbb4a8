import { InputError } from '../../errors.js';

/**
 * Bytes one tree node adds to model.onnx: its seven nodes_* entries plus, for a leaf, its
 * class/target weight entries. Measured on exported forests: 23.7–26.3 bytes per node, growing
 * slowly with the node ids' varint length.
 */
export const ONNX_BYTES_PER_NODE = 26;

/**
 * JavaScript heap that encoding one node takes at its peak. Each attribute is encoded on its own
 * (src/core/onnx/builder.ts), so the protobuf writer's object per value lives for one attribute at a
 * time: a 1.24-million-node forest trained, encoded and passed onnxruntime's check in a 400 MB heap
 * (it needed more than 1.2 GB per million nodes when the whole model was encoded at once).
 */
export const EXPORT_HEAP_BYTES_PER_NODE = 320;

/**
 * Default forest size limit: 4 million nodes, ~104 MB of ONNX and ~1.3 GB of heap to export, which
 * fits Node's default heap limit (a quarter of the RAM, at most ~4 GB) on a 7 GB CI runner. Fully
 * grown regression forests reach it first: 100 trees on 10,800 rows made 1.24 million nodes.
 */
export const DEFAULT_MAX_TOTAL_NODES = 4_000_000;

/** Highest accepted limit: ~1 GB of ONNX, half protobuf's 2 GB ceiling for one file. */
export const MAX_TOTAL_NODES_CEILING = 40_000_000;

function megabytes(bytes: number): string {
  const mb = bytes / 1e6;
  return mb >= 10 ? `${Math.round(mb).toLocaleString('en-US')} MB` : `${mb.toPrecision(2)} MB`;
}

/** The error for a forest that outgrew `max_total_nodes` while growing tree `treeNumber` (1-based). */
export function nodeBudgetExceeded(maxTotalNodes: number, treeNumber: number, treeCount: number): InputError {
  return new InputError(
    `random-forest would exceed ${maxTotalNodes.toLocaleString('en-US')} nodes ` +
      `(~${megabytes(maxTotalNodes * ONNX_BYTES_PER_NODE)} of ONNX, ` +
      `~${megabytes(maxTotalNodes * EXPORT_HEAP_BYTES_PER_NODE)} of memory to export) ` +
      `at tree ${treeNumber} of ${treeCount}; fully grown trees have about 2 nodes per distinct training row. ` +
      'Set max_depth (e.g. 12), min_samples_leaf (e.g. 5) or n_estimators lower, ' +
      'or raise max_total_nodes if the machine has the memory',
    { key: 'max_total_nodes' },
  );
}
