import { isAbsolute, relative, resolve, dirname, win32 } from 'node:path';
import { InputError } from '../errors.js';
import { allGraphs, type ModelProto } from './inspect-model.js';

/**
 * The external-data files a model references, refusing any location that escapes the model's
 * folder: an absolute path, a drive letter, or one that climbs out through '..'. Loading such a
 * model would let it read an arbitrary file on the runner into its weights.
 */
export function checkExternalData(model: ModelProto, modelPath: string): string[] {
  const folder = resolve(dirname(modelPath));
  const locations = new Set<string>();
  for (const graph of allGraphs(model.graph)) {
    const tensors = [
      ...(graph.initializer ?? []),
      ...(graph.sparseInitializer ?? []).flatMap((sparse) => [sparse.values, sparse.indices]),
    ];
    for (const tensor of tensors) {
      const location = tensor?.externalData?.find((entry) => entry.key === 'location')?.value;
      if (location === undefined || location === null) continue;
      const target = resolve(folder, location);
      const escapes =
        isAbsolute(location) ||
        win32.isAbsolute(location) ||
        location.split(/[\\/]/).includes('..') ||
        relative(folder, target).startsWith('..');
      if (escapes) {
        throw new InputError(
          `refusing to load: tensor "${tensor?.name}" keeps its data at "${location}", outside the model's folder`,
          { file: modelPath },
        );
      }
      locations.add(location);
    }
  }
  return [...locations];
}
