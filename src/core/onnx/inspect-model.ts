import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;

const DATA_TYPE_NAMES: Record<number, string> = {
  1: 'float',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'double',
  12: 'uint32',
  13: 'uint64',
};

/** One graph input or output as a user reads it: tensor element type and shape, or a sequence/map. */
export interface ValueSignature {
  name: string;
  kind: 'tensor' | 'sequence' | 'map' | 'other';
  /** Element type of a tensor (float, double, int64, string, …). */
  elementType: string | null;
  /** Dimensions: a number, a symbolic name, or null when unknown. */
  shape: (number | string | null)[] | null;
}

export interface ModelSignature {
  inputs: ValueSignature[];
  outputs: ValueSignature[];
  /** Opset version per operator domain ('ai.onnx' for the default domain). */
  opset: Record<string, number>;
  metadata: Record<string, string>;
  producer: string;
}

/** protobufjs decodes int64 fields as Long objects when the long package is present. */
export function int64ToNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return Number(value);
}

function describeType(name: string, type: onnxProto.onnx.ITypeProto | null | undefined): ValueSignature {
  if (type?.tensorType) {
    const dims = type.tensorType.shape?.dim;
    return {
      name,
      kind: 'tensor',
      elementType: DATA_TYPE_NAMES[type.tensorType.elemType ?? 0] ?? 'unknown',
      shape: dims
        ? dims.map((dim) =>
            dim.dimParam ? dim.dimParam : dim.dimValue != null ? int64ToNumber(dim.dimValue) : null,
          )
        : null,
    };
  }
  if (type?.sequenceType) return { name, kind: 'sequence', elementType: null, shape: null };
  if (type?.mapType) return { name, kind: 'map', elementType: null, shape: null };
  return { name, kind: 'other', elementType: null, shape: null };
}

/** Inputs (without the initializers older IR versions list among them), outputs, opsets and metadata. */
export function inspectModel(model: ModelProto): ModelSignature {
  const graph = model.graph ?? {};
  const initializers = new Set((graph.initializer ?? []).map((tensor) => tensor.name));
  return {
    inputs: (graph.input ?? [])
      .filter((input) => !initializers.has(input.name))
      .map((input) => describeType(input.name ?? '', input.type)),
    outputs: (graph.output ?? []).map((output) => describeType(output.name ?? '', output.type)),
    opset: Object.fromEntries(
      (model.opsetImport ?? []).map((entry) => [entry.domain || 'ai.onnx', int64ToNumber(entry.version)]),
    ),
    metadata: Object.fromEntries(
      (model.metadataProps ?? []).map((entry) => [entry.key ?? '', entry.value ?? '']),
    ),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
  };
}

/** "name: float[N,3]" for error messages and reports. */
export function describeValue(value: ValueSignature): string {
  if (value.kind !== 'tensor') return `${value.name}: ${value.kind}`;
  const shape = value.shape ? `[${value.shape.map((dim) => dim ?? '?').join(',')}]` : '';
  return `${value.name}: ${value.elementType}${shape}`;
}

export function decodeModelProto(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

export function encodeModelProto(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** Every graph of the model: the main graph and the subgraphs held by node attributes (If, Loop, Scan). */
export function allGraphs(graph: GraphProto | null | undefined): GraphProto[] {
  if (!graph) return [];
  const nested = (graph.node ?? []).flatMap((node) =>
    (node.attribute ?? []).flatMap((attribute) => [
      ...(attribute.g ? allGraphs(attribute.g) : []),
      ...(attribute.graphs ?? []).flatMap((sub) => allGraphs(sub)),
    ]),
  );
  return [graph, ...nested];
}

/** The value of a node attribute as plain data (ints as numbers, strings decoded as UTF-8). */
export function attributeValue(node: onnxProto.onnx.INodeProto, name: string): unknown {
  const attribute = (node.attribute ?? []).find((candidate) => candidate.name === name);
  if (!attribute) return undefined;
  const text = new TextDecoder();
  if (attribute.strings?.length) return attribute.strings.map((bytes) => text.decode(bytes));
  if (attribute.ints?.length) return attribute.ints.map(int64ToNumber);
  if (attribute.floats?.length) return attribute.floats;
  if (attribute.s?.length) return text.decode(attribute.s);
  if (attribute.i != null) return int64ToNumber(attribute.i);
  return undefined;
}
