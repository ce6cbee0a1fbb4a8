import onnxProto from 'onnx-proto';
import type { OnnxAttribute, OnnxNodeSpec } from '../train/model-types.js';

const { onnx } = onnxProto;

/**
 * ONNX versions every model we write declares: IR 8 (onnx 1.10–1.12, the schema onnx-proto ships),
 * opset 17 and ai.onnx.ml 3. They cover every operator we emit (Imputer, Scaler, OneHotEncoder,
 * LinearClassifier/Regressor, TreeEnsembleClassifier/Regressor, Concat, Flatten, Gather) and run on
 * onnxruntime-node 1.30.
 */
export const ONNX_VERSIONS = { irVersion: 8, opset: 17, mlOpset: 3 } as const;

export type ElementType = 'float' | 'string' | 'int64';

/** A graph input or output: name, element type and shape (a string is a symbolic dimension such as "N"). */
export interface ValueSpec {
  name: string;
  type: ElementType;
  shape: (number | string)[];
}

/** A constant tensor stored in the graph (class labels, reshape targets). */
export type InitializerSpec =
  | { name: string; type: 'int64'; dims: number[]; values: number[] }
  | { name: string; type: 'float'; dims: number[]; values: number[] }
  | { name: string; type: 'string'; dims: number[]; values: string[] };

export interface ModelSpec {
  graphName: string;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: OnnxNodeSpec[];
  initializers: InitializerSpec[];
  /** Written in the order given (keep it stable: the bytes must be deterministic). */
  metadata: [string, string][];
  producerVersion: string;
  docString?: string;
}

const ELEMENT_TYPE = {
  float: onnx.TensorProto.DataType.FLOAT,
  string: onnx.TensorProto.DataType.STRING,
  int64: onnx.TensorProto.DataType.INT64,
} as const;

const utf8 = new TextEncoder();

function encodeAttribute(attribute: OnnxAttribute): onnxProto.onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  const { name } = attribute;
  if (attribute.i !== undefined) return { name, type: AttributeType.INT, i: attribute.i };
  if (attribute.f !== undefined) return { name, type: AttributeType.FLOAT, f: attribute.f };
  if (attribute.s !== undefined) return { name, type: AttributeType.STRING, s: utf8.encode(attribute.s) };
  if (attribute.ints !== undefined) return { name, type: AttributeType.INTS, ints: attribute.ints };
  if (attribute.floats !== undefined) return { name, type: AttributeType.FLOATS, floats: attribute.floats };
  if (attribute.strings !== undefined) {
    // One byte array per distinct string: a tree ensemble's nodes_modes repeats two words a million times.
    const encoded = new Map<string, Uint8Array>();
    const bytesOf = (text: string) => encoded.get(text) ?? encoded.set(text, utf8.encode(text)).get(text)!;
    return { name, type: AttributeType.STRINGS, strings: attribute.strings.map(bytesOf) };
  }
  throw new Error(`ONNX attribute "${name}" has no value`);
}

function encodeValueInfo({ name, type, shape }: ValueSpec): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPE[type],
        shape: {
          dim: shape.map((dimension) =>
            typeof dimension === 'number' ? { dimValue: dimension } : { dimParam: dimension },
          ),
        },
      },
    },
  };
}

function encodeInitializer(spec: InitializerSpec): onnxProto.onnx.ITensorProto {
  const base = { name: spec.name, dims: spec.dims, dataType: ELEMENT_TYPE[spec.type] };
  switch (spec.type) {
    case 'int64':
      return { ...base, int64Data: spec.values };
    case 'float':
      return { ...base, floatData: spec.values };
    case 'string':
      return { ...base, stringData: spec.values.map((text) => utf8.encode(text)) };
  }
}

/** Field numbers and wire type of the embedded messages spliced in by hand (onnx.proto). */
const NODE_ATTRIBUTE_TAG = (5 << 3) | 2;
const GRAPH_NODE_TAG = (1 << 3) | 2;
const MODEL_GRAPH_TAG = (7 << 3) | 2;

/**
 * A node's bytes, each attribute encoded on its own: protobufjs keeps an operation object per value
 * until a message is finished, ~130 bytes per number, and a forest's attributes hold millions of
 * numbers. Fields go in field-number order (input 1 … op_type 4, attribute 5, domain 7), as
 * protobufjs writes them, so the bytes are those of encoding the whole node at once. Node names
 * come from their position, so the same graph always encodes to the same bytes.
 */
function encodeNode(node: OnnxNodeSpec, index: number): Uint8Array {
  const writer = onnx.NodeProto.encode({
    name: `${node.opType}_${index}`,
    opType: node.opType,
    input: node.inputs,
    output: node.outputs,
  });
  for (const attribute of node.attributes)
    writer.uint32(NODE_ATTRIBUTE_TAG).bytes(onnx.AttributeProto.encode(encodeAttribute(attribute)).finish());
  return onnx.NodeProto.encode({ domain: node.domain }, writer).finish();
}

/**
 * Encodes a model as ONNX protobuf bytes; no timestamps or random ids, so equal specs give equal
 * bytes. Nodes are encoded one at a time (see encodeNode) and spliced in field-number order, through
 * the writers the generated encoders return.
 */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const graph = onnx.GraphProto.encode({});
  spec.nodes.forEach((node, index) => graph.uint32(GRAPH_NODE_TAG).bytes(encodeNode(node, index)));
  onnx.GraphProto.encode(
    {
      name: spec.graphName,
      input: spec.inputs.map(encodeValueInfo),
      output: spec.outputs.map(encodeValueInfo),
      initializer: spec.initializers.map(encodeInitializer),
    },
    graph,
  );
  const model = onnx.ModelProto.encode({
    irVersion: ONNX_VERSIONS.irVersion,
    producerName: 'mlops-actions',
    producerVersion: spec.producerVersion,
    docString: spec.docString ?? '',
  });
  model.uint32(MODEL_GRAPH_TAG).bytes(graph.finish());
  return onnx.ModelProto.encode(
    {
      opsetImport: [
        { domain: '', version: ONNX_VERSIONS.opset },
        { domain: 'ai.onnx.ml', version: ONNX_VERSIONS.mlOpset },
      ],
      metadataProps: spec.metadata.map(([key, value]) => ({ key, value })),
    },
    model,
  ).finish();
}

/** Decodes ONNX bytes, or returns undefined when they are not a model with a non-empty graph. */
export function decodeModel(bytes: Uint8Array): onnxProto.onnx.ModelProto | undefined {
  try {
    const model = onnx.ModelProto.decode(bytes);
    return (model.graph?.node?.length ?? 0) > 0 && (model.graph?.output?.length ?? 0) > 0 ? model : undefined;
  } catch {
    return undefined;
  }
}
