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
    return { name, type: AttributeType.STRINGS, strings: attribute.strings.map((text) => utf8.encode(text)) };
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

/** Node names are derived from their position, so the same graph always encodes to the same bytes. */
function encodeNode(node: OnnxNodeSpec, index: number): onnxProto.onnx.INodeProto {
  return {
    name: `${node.opType}_${index}`,
    opType: node.opType,
    domain: node.domain,
    input: node.inputs,
    output: node.outputs,
    attribute: node.attributes.map(encodeAttribute),
  };
}

/** Encodes a model as ONNX protobuf bytes; no timestamps or random ids, so equal specs give equal bytes. */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: ONNX_VERSIONS.irVersion,
    producerName: 'mlops-actions',
    producerVersion: spec.producerVersion,
    docString: spec.docString ?? '',
    opsetImport: [
      { domain: '', version: ONNX_VERSIONS.opset },
      { domain: 'ai.onnx.ml', version: ONNX_VERSIONS.mlOpset },
    ],
    metadataProps: spec.metadata.map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.graphName,
      input: spec.inputs.map(encodeValueInfo),
      output: spec.outputs.map(encodeValueInfo),
      node: spec.nodes.map(encodeNode),
      initializer: spec.initializers.map(encodeInitializer),
    },
  });
  return onnx.ModelProto.encode(model).finish();
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
