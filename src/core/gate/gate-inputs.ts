import metricsSchema from '../../../schemas/metrics.schema.json' with { type: 'json' };
import validationSchema from '../../../schemas/validation.schema.json' with { type: 'json' };
import { InputError } from '../errors.js';
import { assertMatchesSchema } from '../json-schema.js';

/** What the gate reads of metrics.json (schemas/metrics.schema.json). */
export type Interval = [number, number] | null;

export interface MetricValue {
  value: number | null;
  interval: Interval;
}

export interface MetricDelta {
  delta: number;
  interval: Interval;
  pValue?: number | null;
  test?: string;
}

export interface Comparison {
  role: 'baseline' | 'trivial' | 'naive';
  name: string;
  metrics: Record<string, MetricValue>;
  deltas: Record<string, MetricDelta>;
}

export interface SliceMetrics {
  column: string;
  /** The value (text columns) or the bin "[low, high)" (numeric columns): what names the slice. */
  label: string;
  n: number;
  small?: boolean;
  metrics: Record<string, MetricValue>;
}

export interface GateMetrics {
  task: string;
  n: number;
  model?: { sizeBytes?: number };
  metrics: Record<string, MetricValue>;
  comparisons: Comparison[];
  slices?: SliceMetrics[];
}

/** What the gate reads of validation.json (schemas/validation.schema.json). */
export interface GateValidation {
  passed: boolean;
  failedRules: string[];
  driftedColumns: string[];
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`is not valid JSON: ${(error as Error).message}`, { file });
  }
}

/** Slices are checked here too, so a file written before they reached the schema is still read safely. */
function checkSlices(metrics: GateMetrics, file: string): void {
  if (metrics.slices === undefined) return;
  if (!Array.isArray(metrics.slices)) throw new InputError('must be an array', { file, key: 'slices' });
  for (const [index, slice] of metrics.slices.entries()) {
    const key = `slices[${index}]`;
    if (typeof slice?.column !== 'string')
      throw new InputError('must be a string', { file, key: `${key}.column` });
    if (typeof slice.n !== 'number') throw new InputError('must be a number', { file, key: `${key}.n` });
    if (typeof slice.metrics !== 'object' || slice.metrics === null) {
      throw new InputError('must be an object', { file, key: `${key}.metrics` });
    }
  }
}

export function parseMetrics(text: string, file: string): GateMetrics {
  const metrics = assertMatchesSchema<GateMetrics>(metricsSchema, parseJson(text, file), file);
  checkSlices(metrics, file);
  return metrics;
}

export function parseValidation(text: string, file: string): GateValidation {
  return assertMatchesSchema<GateValidation>(validationSchema, parseJson(text, file), file);
}
