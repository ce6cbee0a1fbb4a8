import type { Curves } from './curves.js';
import type { LatencyReport } from './latency.js';
import type { MetricValue } from './metric-set.js';
import type { PairedTestResult } from './paired-test.js';
import type { BootstrapSettings } from './bootstrap.js';

/** metrics.json (schemas/metrics.schema.json). */
export interface ModelInfo {
  path: string;
  sha256: string;
  sizeBytes: number;
  opset: Record<string, number>;
  producer: string;
  inputs: string[];
  outputs: string[];
  binding: string;
}

export interface SliceEntry {
  column: string;
  value?: string | null;
  bin?: { low: number; high: number };
  label: string;
  n: number;
  small: boolean;
  metrics: Record<string, MetricValue>;
}

export interface ComparisonEntry {
  role: 'baseline';
  name: string;
  model: ModelInfo;
  metrics: Record<string, MetricValue>;
  deltas: Record<string, PairedTestResult>;
}

export interface MetricsDocument {
  schemaVersion: 1;
  tool: { name: 'mlops-actions'; version: string };
  task: 'binary' | 'multiclass' | 'regression';
  n: number;
  target: string;
  classes?: string[];
  positiveClass?: string;
  model: ModelInfo;
  data: { path: string; sha256: string; rows: number };
  metrics: Record<string, MetricValue>;
  perClass?: { class: string; precision: number; recall: number; f1: number; support: number }[];
  confusionMatrix?: { labels: string[]; matrix: number[][] };
  curves?: Curves;
  slices: SliceEntry[];
  latency: LatencyReport & { rowsPerSecond: number; inferenceMs: number };
  bootstrap: BootstrapSettings & { weights: 'poisson'; method: 'percentile'; confidence: 0.95 };
  comparisons: ComparisonEntry[];
}
