import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import onnxProto from 'onnx-proto';
import { InputError } from '../errors.js';
import { makeFolder } from '../io/atomic-write.js';
import { decodeModel } from '../onnx/builder.js';
import { TOOL_VERSION } from '../version.js';
import {
  TRAINING_SCHEMA_VERSION,
  fileSha256,
  sha256,
  type CommandTrainingRecord,
  type ModelRecord,
} from './training-record.js';

export interface CommandTrainOptions {
  command: string;
  /** The folder the command writes model.onnx into (MLOPS_OUTPUT_DIR). */
  out: string;
  data?: string;
  target?: string;
  params: Record<string, string>;
  seed: number;
  /** The environment the command inherits (the adapter passes its own). */
  baseEnv: Record<string, string | undefined>;
}

const ELEMENT_TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(onnxProto.onnx.TensorProto.DataType).map(([name, id]) => [id, name.toLowerCase()]),
);

function signature(values: onnxProto.onnx.IValueInfoProto[] | null | undefined) {
  return (values ?? []).map((value) => ({
    name: value.name ?? '',
    type: ELEMENT_TYPE_NAMES[value.type?.tensorType?.elemType ?? 0] ?? 'unknown',
    shape: (value.type?.tensorType?.shape?.dim ?? []).map((dim) =>
      dim.dimParam
        ? dim.dimParam
        : dim.dimValue !== undefined && dim.dimValue !== null
          ? Number(dim.dimValue)
          : '?',
    ),
  }));
}

/** A shell reports a child killed by signal n as exit code 128 + n: say which signal that was. */
function signalNote(exitCode: number): string {
  const name = Object.entries(constants.signals).find(([, number]) => number === exitCode - 128)?.[0];
  return name ? ` (killed by ${killedBy(name)})` : '';
}

function killedBy(signal: string): string {
  return signal === 'SIGKILL' ? 'SIGKILL, which is often the out-of-memory killer' : signal;
}

/** Runs a shell command with the output streaming through; resolves with how it ended. */
function runShell(
  command: string,
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'inherit', 'inherit'], env });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal }));
  });
}

/**
 * Command mode: the user's trainer runs with MLOPS_DATA, MLOPS_TARGET, MLOPS_OUTPUT_DIR,
 * MLOPS_PARAMS (JSON) and MLOPS_SEED; it must leave a valid ONNX model at
 * MLOPS_OUTPUT_DIR/model.onnx, written by this run.
 */
export async function trainWithCommand(
  options: CommandTrainOptions,
): Promise<{ model: Uint8Array; training: CommandTrainingRecord }> {
  const started = performance.now();
  const outputDir = resolve(options.out);
  const modelPath = join(outputDir, 'model.onnx');
  if (options.data) {
    const data = await stat(options.data).catch(() => undefined);
    if (!data?.isFile()) throw new InputError('file not found or not readable', { file: options.data });
  }
  await makeFolder(outputDir);
  const before = await stat(modelPath).catch(() => undefined);
  const env = {
    ...options.baseEnv,
    MLOPS_OUTPUT_DIR: outputDir,
    MLOPS_PARAMS: JSON.stringify(options.params),
    MLOPS_SEED: String(options.seed),
    ...(options.data ? { MLOPS_DATA: resolve(options.data) } : {}),
    ...(options.target ? { MLOPS_TARGET: options.target } : {}),
  };
  const ended = await runShell(options.command, env);
  const durationMs = Math.round(performance.now() - started);
  if (ended.signal)
    throw new InputError(`the training command was killed by ${killedBy(ended.signal)}`, { key: 'command' });
  const exitCode = ended.code ?? 1;
  if (exitCode !== 0)
    throw new InputError(`the training command failed with exit code ${exitCode}${signalNote(exitCode)}`, {
      key: 'command',
    });
  const after = await stat(modelPath).catch(() => undefined);
  if (!after)
    throw new InputError('the training command finished but wrote no model.onnx', { file: modelPath });
  if (before && after.mtimeMs === before.mtimeMs && after.size === before.size) {
    throw new InputError(
      'the training command did not write model.onnx (the file there is from an earlier run)',
      {
        file: modelPath,
      },
    );
  }
  const model = new Uint8Array(await readFile(modelPath));
  const decoded = decodeModel(model);
  if (!decoded) {
    throw new InputError(
      'not a valid ONNX model (it does not decode as an ONNX ModelProto with a non-empty graph)',
      {
        file: modelPath,
      },
    );
  }
  const modelRecord: ModelRecord = {
    file: 'model.onnx',
    sha256: sha256(model),
    bytes: model.length,
    inputs: signature(decoded.graph?.input),
    outputs: signature(decoded.graph?.output),
  };
  const training: CommandTrainingRecord = {
    schemaVersion: TRAINING_SCHEMA_VERSION,
    mode: 'command',
    command: options.command,
    exitCode,
    params: options.params,
    seed: options.seed,
    data: options.data ? { file: options.data, sha256: await fileSha256(options.data) } : null,
    target: options.target ?? null,
    model: modelRecord,
    durationMs,
    tool: { name: 'mlops-actions', version: TOOL_VERSION },
  };
  return { model, training };
}
