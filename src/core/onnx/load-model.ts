import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { decodeModelProto, inspectModel, type ModelProto, type ModelSignature } from './inspect-model.js';
import { checkExternalData } from './safety.js';

/** A model file read, decoded and checked, ready for a session; nothing of it has run yet. */
export interface LoadedModel {
  path: string;
  bytes: Uint8Array;
  sha256: string;
  sizeBytes: number;
  proto: ModelProto;
  signature: ModelSignature;
  /** External-data files (inside the model's folder) the model needs next to it. */
  externalData: string[];
}

/**
 * Reads and decodes an ONNX file. A missing file, bytes that are not an ONNX model (a protobuf
 * without a graph, or no protobuf at all) and external data outside the model's folder are
 * InputErrors naming the file.
 */
export async function loadModel(path: string): Promise<LoadedModel> {
  const info = await stat(path).catch(() => {
    throw new InputError('model file not found or not readable', { file: path });
  });
  if (!info.isFile()) throw new InputError('model path is not a regular file', { file: path });
  const bytes = new Uint8Array(await readFile(path));
  let proto: ModelProto;
  try {
    proto = decodeModelProto(bytes);
  } catch (error) {
    throw new InputError(
      `not an ONNX model (cannot decode: ${error instanceof Error ? error.message : error})`,
      {
        file: path,
      },
    );
  }
  const signature = inspectModel(proto);
  if (!proto.graph || !proto.graph.node?.length || !signature.outputs.length || !signature.inputs.length) {
    throw new InputError('not an ONNX model (no graph with inputs, nodes and outputs)', { file: path });
  }
  return {
    path,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sizeBytes: bytes.byteLength,
    proto,
    signature,
    externalData: checkExternalData(proto, path),
  };
}
