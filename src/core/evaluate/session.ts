import * as ort from 'onnxruntime-node';
import { InputError } from '../errors.js';
import { decodeModelProto, encodeModelProto } from '../onnx/inspect-model.js';
import type { LoadedModel } from '../onnx/load-model.js';

const FLOAT = 1;

/**
 * An onnxruntime-node session for the model. `exposed` tensors are added to the graph's outputs on
 * an in-memory copy (onnxruntime-node cannot return a ZipMap's sequence of maps, but can return the
 * tensor that feeds it). Models with external data load from their path so the runtime finds it.
 */
export async function createSession(model: LoadedModel, exposed: string[]): Promise<ort.InferenceSession> {
  try {
    if (exposed.length) {
      const copy = decodeModelProto(model.bytes);
      for (const name of exposed)
        (copy.graph!.output ??= []).push({ name, type: { tensorType: { elemType: FLOAT } } } as never);
      return await ort.InferenceSession.create(encodeModelProto(copy));
    }
    if (model.externalData.length) return await ort.InferenceSession.create(model.path);
    return await ort.InferenceSession.create(model.bytes);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new InputError(`onnxruntime cannot load the model: ${message}`, { file: model.path });
  }
}
