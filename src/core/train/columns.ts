import { InputError } from '../errors.js';
import type { ColumnInfo } from '../data/source.js';

/** numeric → a float input; categorical → a string input; other types (dates, lists, blobs) are not features. */
export type ColumnKind = 'numeric' | 'categorical' | 'unsupported';

const NUMERIC_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*|BOOLEAN)$/;
const CATEGORICAL_TYPES = /^(VARCHAR|ENUM.*)$/;

export function columnKind(sqlType: string): ColumnKind {
  if (NUMERIC_TYPES.test(sqlType)) return 'numeric';
  if (CATEGORICAL_TYPES.test(sqlType)) return 'categorical';
  return 'unsupported';
}

export interface FeatureColumn {
  name: string;
  sqlType: string;
  kind: 'numeric' | 'categorical';
}

export interface FeatureSelection {
  features: FeatureColumn[];
  /** Columns left out of the default selection, with the reason (the CLI prints them). */
  skipped: { name: string; reason: string }[];
}

/**
 * The feature columns: the explicit list when given (every name must exist and have a usable
 * type), otherwise every column but the target whose type a model can take (dates and timestamps
 * are skipped: a model trained on them does not generalise to the future).
 */
export function selectFeatures(
  columns: ColumnInfo[],
  target: string,
  explicit: string[] | undefined,
  file: string,
): FeatureSelection {
  const byName = new Map(columns.map((column) => [column.name, column]));
  if (explicit) {
    if (explicit.length === 0) throw new InputError('--features lists no columns', { file, key: 'features' });
    const seen = new Set<string>();
    const features = explicit.map((name) => {
      const column = byName.get(name);
      if (!column) {
        throw new InputError(`feature column not found (columns: ${columns.map((c) => c.name).join(', ')})`, {
          file,
          column: name,
        });
      }
      if (name === target)
        throw new InputError('the target cannot also be a feature', { file, column: name });
      if (seen.has(name)) throw new InputError('feature listed twice', { file, column: name });
      seen.add(name);
      const kind = columnKind(column.sqlType);
      if (kind === 'unsupported') {
        throw new InputError(
          `a ${column.sqlType} column cannot be a feature (numeric or text columns only)`,
          {
            file,
            column: name,
          },
        );
      }
      return { name, sqlType: column.sqlType, kind };
    });
    return { features, skipped: [] };
  }
  const features: FeatureColumn[] = [];
  const skipped: FeatureSelection['skipped'] = [];
  for (const column of columns) {
    if (column.name === target) continue;
    const kind = columnKind(column.sqlType);
    if (kind === 'unsupported') skipped.push({ name: column.name, reason: `${column.sqlType} column` });
    else features.push({ name: column.name, sqlType: column.sqlType, kind });
  }
  if (features.length === 0) {
    throw new InputError('no usable feature columns (numeric or text) besides the target', {
      file,
      column: target,
    });
  }
  return { features, skipped };
}
