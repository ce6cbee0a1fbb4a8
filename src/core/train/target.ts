import { InputError } from '../errors.js';
import type { RawTarget } from './load-columns.js';
import type { Task } from './model-types.js';

/** Integer targets with at most this many distinct values are classes when the algorithm can classify. */
export const MAX_INTEGER_CLASSES = 20;
/** A classifier-only algorithm refuses targets with more classes than this. */
export const MAX_CLASSES = 100;

export type ClassLabel = string | number;

export interface PreparedTarget {
  task: Task;
  /** Class labels in index order (numbers ascending, text by code point); null for regression. */
  classes: ClassLabel[] | null;
  /** Class index (classifiers) or value (regressors), for the rows in `rows`. */
  y: Float64Array;
  /** Rows of the table that have a target value, ascending. */
  rows: Int32Array;
  missing: number;
}

export interface TargetContext {
  name: string;
  sqlType: string;
  file: string;
  algorithm: string;
  tasks: Task['kind'][];
}

/** The text form of a SQL type the target is read as: numbers stay numbers; text and booleans are labels. */
export function targetReadKind(sqlType: string): 'numeric' | 'text' | 'unsupported' {
  if (sqlType === 'BOOLEAN' || /^(VARCHAR|ENUM.*)$/.test(sqlType)) return 'text';
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/.test(
      sqlType,
    )
  ) {
    return 'numeric';
  }
  return 'unsupported';
}

function presentRows(target: RawTarget): Int32Array {
  const rows: number[] = [];
  if (target.kind === 'numeric') {
    target.values.forEach((value, row) => {
      if (!Number.isNaN(value)) rows.push(row);
    });
  } else {
    target.values.forEach((value, row) => {
      if (value !== null) rows.push(row);
    });
  }
  return Int32Array.from(rows);
}

/** Distinct values up to `limit + 1` (enough to tell "more than limit"), and whether all are whole numbers. */
function distinctNumbers(values: Float64Array, rows: Int32Array, limit: number) {
  const distinct = new Set<number>();
  let integers = true;
  for (const row of rows) {
    const value = values[row];
    if (integers && !Number.isInteger(value)) integers = false;
    if (distinct.size <= limit) distinct.add(value);
  }
  return { distinct, integers };
}

function classify(
  labels: ClassLabel[],
  indexOf: (row: number) => number,
  rows: Int32Array,
  context: TargetContext,
) {
  if (labels.length < 2) {
    throw new InputError(
      `target has a single class (${JSON.stringify(labels[0])}); a classifier needs at least two classes`,
      { file: context.file, column: context.name },
    );
  }
  const y = new Float64Array(rows.length);
  rows.forEach((row, at) => (y[at] = indexOf(row)));
  const task: Task =
    labels.length === 2
      ? { kind: 'binary', classCount: 2 }
      : { kind: 'multiclass', classCount: labels.length };
  return { task, classes: labels, y };
}

/**
 * Decides classification or regression and encodes the target. Rows without a target are left
 * out (and counted). Text and boolean targets are classes; an integer target with few distinct
 * values is classes when the algorithm classifies; regression needs a numeric target.
 */
export function prepareTarget(raw: RawTarget, context: TargetContext): PreparedTarget {
  const { file, name: column, algorithm, tasks } = context;
  const rows = presentRows(raw);
  const missing = raw.values.length - rows.length;
  if (raw.values.length === 0) throw new InputError('the data has no rows', { file });
  if (rows.length === 0)
    throw new InputError('the target has no values (every row is missing it)', { file, column });
  const canClassify = tasks.includes('binary') || tasks.includes('multiclass');
  const canRegress = tasks.includes('regression');

  if (raw.kind === 'text') {
    if (!canClassify) {
      throw new InputError(
        `${algorithm} needs a numeric target, but this column holds text (${context.sqlType})`,
        {
          file,
          column,
        },
      );
    }
    const labels = [...new Set(Array.from(rows, (row) => raw.values[row] as string))].sort();
    checkClassCount(labels.length, context);
    const index = new Map(labels.map((label, at) => [label, at]));
    return {
      ...classify(labels, (row) => index.get(raw.values[row] as string)!, rows, context),
      rows,
      missing,
    };
  }

  const { distinct, integers } = distinctNumbers(raw.values, rows, MAX_CLASSES);
  if (distinct.size < 2) {
    throw new InputError(`the target is constant (${[...distinct][0]}); there is nothing to learn`, {
      file,
      column,
    });
  }
  const looksLikeClasses = integers && distinct.size <= (canRegress ? MAX_INTEGER_CLASSES : MAX_CLASSES);
  if (canClassify && (looksLikeClasses || !canRegress)) {
    if (!looksLikeClasses) {
      throw new InputError(
        `${algorithm} is a classifier, but the target holds ${integers ? `more than ${MAX_CLASSES} distinct` : 'non-integer'} numbers; use linear-regression (or gradient-boosting/random-forest) for a numeric target`,
        { file, column },
      );
    }
    const labels = [...distinct].sort((a, b) => a - b);
    const index = new Map(labels.map((label, at) => [label, at]));
    return { ...classify(labels, (row) => index.get(raw.values[row])!, rows, context), rows, missing };
  }
  const y = new Float64Array(rows.length);
  rows.forEach((row, at) => (y[at] = raw.values[row]));
  return { task: { kind: 'regression' }, classes: null, y, rows, missing };
}

function checkClassCount(count: number, context: TargetContext): void {
  if (count > MAX_CLASSES) {
    throw new InputError(
      `the target has ${count} distinct values; classifiers take at most ${MAX_CLASSES} classes`,
      {
        file: context.file,
        column: context.name,
      },
    );
  }
}
