import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { TrainingCurvePoint } from './model-types.js';
import type { FeaturePlan } from './preprocess.js';
import type { ClassLabel } from './target.js';

export const TRAINING_SCHEMA_VERSION = 1;

export interface FeatureRecord {
  name: string;
  sqlType: string;
  kind: 'numeric' | 'categorical';
  preprocessing: {
    impute?: { strategy: 'median'; value: number; missingInTrain: number };
    scale?: { mean: number; scale: number };
    oneHot?: { categories: string[]; droppedCategories: number; unknown: 'all-zeros' };
  };
}

export interface ModelRecord {
  file: 'model.onnx';
  sha256: string;
  bytes: number;
  inputs: { name: string; type: string; shape: (number | string)[] }[];
  outputs: { name: string; type: string; shape: (number | string)[] }[];
}

export interface BuiltInTrainingRecord {
  schemaVersion: number;
  mode: 'built-in';
  algorithm: string;
  params: Record<string, unknown>;
  seed: number;
  task: 'binary' | 'multiclass' | 'regression';
  target: { name: string; sqlType: string; missingRows: number };
  classes: ClassLabel[] | null;
  features: FeatureRecord[];
  skippedColumns: { name: string; reason: string }[];
  data: { file: string; sha256: string; rows: number };
  split: {
    method: 'stratified' | 'random';
    validationFraction: number;
    seed: number;
    trainRows: number;
    validationRows: number;
  };
  validationMetrics: Record<string, number>;
  estimator: Record<string, unknown>;
  curve: TrainingCurvePoint[];
  exportCheck: { rows: number; maxDifference: number; tolerance: number };
  model: ModelRecord;
  durationMs: number;
  tool: { name: 'mlops-actions'; version: string };
}

export interface CommandTrainingRecord {
  schemaVersion: number;
  mode: 'command';
  command: string;
  exitCode: number;
  params: Record<string, string>;
  seed: number;
  data: { file: string; sha256: string } | null;
  target: string | null;
  model: ModelRecord;
  durationMs: number;
  tool: { name: 'mlops-actions'; version: string };
}

export type TrainingRecord = BuiltInTrainingRecord | CommandTrainingRecord;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The sha256 of a file's bytes, streamed (data files can be larger than memory). */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function featureRecord(plan: FeaturePlan): FeatureRecord {
  if (plan.kind === 'numeric') {
    return {
      name: plan.name,
      sqlType: plan.sqlType,
      kind: 'numeric',
      preprocessing: {
        impute: { strategy: 'median', value: plan.impute, missingInTrain: plan.missingInTrain },
        ...(plan.scaling ? { scale: plan.scaling } : {}),
      },
    };
  }
  return {
    name: plan.name,
    sqlType: plan.sqlType,
    kind: 'categorical',
    preprocessing: {
      oneHot: {
        categories: plan.categories,
        droppedCategories: plan.droppedCategories,
        unknown: 'all-zeros',
      },
    },
  };
}
