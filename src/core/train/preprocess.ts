import type { LoadedColumn, LoadedTable } from './load-columns.js';
import type { FeatureColumn } from './columns.js';
import type { DesignMatrix } from './model-types.js';

/** One-hot encoding keeps the most frequent categories; the rest encode as all zeros, like unseen ones. */
export const MAX_CATEGORIES = 50;

export interface NumericFeaturePlan {
  name: string;
  sqlType: string;
  kind: 'numeric';
  /** Median of the training rows (float32), written where the value is missing. */
  impute: number;
  /** Standardisation for linear models: (x − mean) × scale, scale = 1 / std (1 for a constant column). */
  scaling?: { mean: number; scale: number };
  missingInTrain: number;
}

export interface CategoricalFeaturePlan {
  name: string;
  sqlType: string;
  kind: 'categorical';
  /** One-hot columns in this order (sorted); anything else, unseen values included, is all zeros. */
  categories: string[];
  /** Distinct training values beyond MAX_CATEGORIES that encode as all zeros. */
  droppedCategories: number;
}

export type FeaturePlan = NumericFeaturePlan | CategoricalFeaturePlan;

/** What the pipeline learned from the training rows; the ONNX graph and the design matrix both follow it. */
export interface PreprocessingPlan {
  numeric: NumericFeaturePlan[];
  categorical: CategoricalFeaturePlan[];
  /** Design-matrix columns: numeric features first, then each categorical block, as in the graph. */
  columnNames: string[];
}

function median(values: Float64Array, rows: Int32Array): { median: number; missing: number } {
  const present = new Float64Array(rows.length);
  let count = 0;
  for (const row of rows) {
    const value = values[row];
    if (!Number.isNaN(value)) present[count++] = value;
  }
  if (count === 0) return { median: 0, missing: rows.length };
  const sorted = present.subarray(0, count).sort();
  const middle = count >> 1;
  const value = count % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median: Math.fround(value), missing: rows.length - count };
}

/** Population mean and std of the imputed training values, as sklearn's StandardScaler computes them. */
function standardisation(values: Float64Array, rows: Int32Array, impute: number) {
  let sum = 0;
  for (const row of rows) {
    const value = values[row];
    sum += Number.isNaN(value) ? impute : value;
  }
  const mean = sum / rows.length;
  let squares = 0;
  for (const row of rows) {
    const value = values[row];
    const deviation = (Number.isNaN(value) ? impute : value) - mean;
    squares += deviation * deviation;
  }
  const std = Math.sqrt(squares / rows.length);
  return { mean: Math.fround(mean), scale: Math.fround(std > 1e-12 ? 1 / std : 1) };
}

function topCategories(column: Extract<LoadedColumn, { kind: 'categorical' }>, rows: Int32Array) {
  const counts = new Float64Array(column.dictionary.length);
  for (const row of rows) counts[column.codes[row]]++;
  const seen = column.dictionary
    .map((value, code) => ({ value, count: counts[code] }))
    .filter((entry) => entry.count > 0);
  seen.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const kept = seen.slice(0, MAX_CATEGORIES).map((entry) => entry.value);
  return { categories: kept.sort(), droppedCategories: seen.length - kept.length };
}

/** Learns imputation values, categories and (for linear models) scaling from the training rows only. */
export function fitPreprocessing(
  table: LoadedTable,
  features: FeatureColumn[],
  trainRows: Int32Array,
  options: { scale: boolean },
): PreprocessingPlan {
  const numeric: NumericFeaturePlan[] = [];
  const categorical: CategoricalFeaturePlan[] = [];
  features.forEach((feature, index) => {
    const column = table.features[index];
    if (column.kind === 'numeric') {
      const { median: impute, missing } = median(column.values, trainRows);
      numeric.push({
        name: feature.name,
        sqlType: feature.sqlType,
        kind: 'numeric',
        impute,
        ...(options.scale ? { scaling: standardisation(column.values, trainRows, impute) } : {}),
        missingInTrain: missing,
      });
    } else {
      categorical.push({
        name: feature.name,
        sqlType: feature.sqlType,
        kind: 'categorical',
        ...topCategories(column, trainRows),
      });
    }
  });
  const columnNames = [
    ...numeric.map((plan) => plan.name),
    ...categorical.flatMap((plan) => plan.categories.map((category) => `${plan.name}=${category}`)),
  ];
  return { numeric, categorical, columnNames };
}

/**
 * The design matrix of the given table rows, computed as the ONNX graph computes it: impute,
 * then scale with float32 constants, then one-hot blocks.
 */
export function buildDesignMatrix(
  table: LoadedTable,
  features: FeatureColumn[],
  plan: PreprocessingPlan,
  rows: Int32Array,
): DesignMatrix {
  const cols = plan.columnNames.length;
  const values = new Float64Array(rows.length * cols);
  const columnOf = new Map(features.map((feature, index) => [feature.name, table.features[index]]));
  plan.numeric.forEach((feature, col) => {
    const source = (columnOf.get(feature.name) as Extract<LoadedColumn, { kind: 'numeric' }>).values;
    const mean = feature.scaling?.mean ?? 0;
    const scale = feature.scaling?.scale ?? 1;
    for (let at = 0; at < rows.length; at++) {
      const raw = source[rows[at]];
      const value = Number.isNaN(raw) ? feature.impute : raw;
      values[at * cols + col] = feature.scaling ? Math.fround(Math.fround(value - mean) * scale) : value;
    }
  });
  let offset = plan.numeric.length;
  for (const feature of plan.categorical) {
    const source = columnOf.get(feature.name) as Extract<LoadedColumn, { kind: 'categorical' }>;
    const position = new Map(feature.categories.map((category, at) => [category, at]));
    const codeToPosition = Int32Array.from(source.dictionary, (value) => position.get(value) ?? -1);
    for (let at = 0; at < rows.length; at++) {
      const hot = codeToPosition[source.codes[rows[at]]];
      if (hot >= 0) values[at * cols + offset + hot] = 1;
    }
    offset += feature.categories.length;
  }
  return { rows: rows.length, cols, values, columnNames: plan.columnNames };
}
