import { join } from 'node:path';
import { InputError } from '../errors.js';
import { toJson, writeOutputs } from '../io/atomic-write.js';
import { trainWithCommand } from './command-mode.js';
import { parseKeyValues } from './params.js';
import { DEFAULT_ALGORITHM } from './registry.js';
import { trainBuiltIn } from './pipeline.js';
import type { TrainingRecord } from './training-record.js';

/** What the CLI and the action both pass: the user's options as strings, plus the environment for command mode. */
export interface TrainingRequest {
  data?: string;
  target?: string;
  /** Built-in algorithm (default gradient-boosting); not with `command`. */
  algorithm?: string;
  /** Comma-separated feature columns. */
  features?: string;
  /** key=value strings. */
  params: string[];
  seed: string;
  command?: string;
  out: string;
  env: Record<string, string | undefined>;
}

export interface TrainingOutcome {
  training: TrainingRecord;
  notes: string[];
  modelPath: string;
  trainingPath: string;
}

export function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(seed) || seed > 0xffffffff) {
    throw new InputError(`must be a whole number from 0 to 4294967295, got "${text}"`, { key: 'seed' });
  }
  return seed;
}

function parseFeatures(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/** Trains (built-in or command mode) and writes model.onnx and training.json together, or nothing. */
export async function runTraining(request: TrainingRequest): Promise<TrainingOutcome> {
  const seed = parseSeed(request.seed);
  const params = parseKeyValues(request.params);
  const files = {
    modelPath: join(request.out, 'model.onnx'),
    trainingPath: join(request.out, 'training.json'),
  };
  if (request.command !== undefined) {
    if (request.command.trim() === '')
      throw new InputError('the training command is empty', { key: 'command' });
    for (const [key, value] of [
      ['algorithm', request.algorithm],
      ['features', request.features],
    ] as const) {
      if (value !== undefined)
        throw new InputError(
          `--${key} applies to the built-in trainers only; a training command decides for itself (pass it settings with --param, which it reads as MLOPS_PARAMS)`,
          { key },
        );
    }
    const { model, training } = await trainWithCommand({
      command: request.command,
      out: request.out,
      data: request.data,
      target: request.target,
      params,
      seed,
      baseEnv: request.env,
    });
    await writeOutputs(request.out, { 'model.onnx': model, 'training.json': toJson(training) });
    return { training, notes: [], ...files };
  }
  if (!request.data)
    throw new InputError('--data is required (or --command to run your own trainer)', { key: 'data' });
  if (!request.target) throw new InputError('--target is required', { key: 'target' });
  const { model, training, notes } = await trainBuiltIn({
    data: request.data,
    target: request.target,
    algorithm: request.algorithm ?? DEFAULT_ALGORITHM,
    features: parseFeatures(request.features),
    params,
    seed,
  });
  await writeOutputs(request.out, { 'model.onnx': model, 'training.json': toJson(training) });
  return { training, notes, ...files };
}
