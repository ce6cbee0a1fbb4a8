import { readError } from '../data/read-errors.js';
import { sqlIdentifier, type DataSource } from '../data/source.js';
import type { FeatureColumn } from './columns.js';

/** A numeric column as float32-rounded values (the model's inputs are float32), NaN where missing. */
export interface NumericColumn {
  kind: 'numeric';
  values: Float64Array;
}

/** A text column dictionary-encoded: codes index `dictionary`; a missing value is the empty string. */
export interface CategoricalColumn {
  kind: 'categorical';
  codes: Int32Array;
  dictionary: string[];
}

export type LoadedColumn = NumericColumn | CategoricalColumn;

/** The raw target: numbers (NaN where missing) or text (null where missing). */
export type RawTarget =
  { kind: 'numeric'; values: Float64Array } | { kind: 'text'; values: (string | null)[] };

export interface LoadedTable {
  rows: number;
  features: LoadedColumn[];
  target: RawTarget;
}

class GrowingFloats {
  values = new Float64Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  finish(): Float64Array {
    return this.values.slice(0, this.length);
  }
}

class GrowingCodes {
  codes = new Int32Array(1 << 16);
  length = 0;
  readonly index = new Map<string, number>();
  readonly dictionary: string[] = [];

  push(value: string): void {
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(value);
      this.index.set(value, code);
    }
    if (this.length === this.codes.length) {
      const grown = new Int32Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[this.length++] = code;
  }

  finish(): CategoricalColumn {
    return { kind: 'categorical', codes: this.codes.slice(0, this.length), dictionary: this.dictionary };
  }
}

function selectExpression(name: string, kind: 'numeric' | 'categorical'): string {
  return kind === 'numeric'
    ? `CAST(${sqlIdentifier(name)} AS DOUBLE)`
    : `CAST(${sqlIdentifier(name)} AS VARCHAR)`;
}

/**
 * Copies the feature and target columns out of DuckDB chunk by chunk into typed arrays (no row
 * objects: a million rows stay a few flat arrays).
 */
export async function loadColumns(
  source: DataSource,
  features: FeatureColumn[],
  target: { name: string; kind: 'numeric' | 'text' },
): Promise<LoadedTable> {
  const expressions = [
    ...features.map((feature) => selectExpression(feature.name, feature.kind)),
    selectExpression(target.name, target.kind === 'numeric' ? 'numeric' : 'categorical'),
  ];
  const numericSinks = features.map((feature) =>
    feature.kind === 'numeric' ? new GrowingFloats() : undefined,
  );
  const textSinks = features.map((feature) =>
    feature.kind === 'categorical' ? new GrowingCodes() : undefined,
  );
  const targetNumbers = new GrowingFloats();
  const targetTexts: (string | null)[] = [];
  try {
    // A materialised result scans the file with all threads (a streamed one reads on one); the
    // chunks are then copied into typed arrays, which hold the training data anyway.
    const result = await source.connection.run(`SELECT ${expressions.join(', ')} FROM source`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const rowCount = chunk.rowCount;
      features.forEach((_, column) => {
        const vector = chunk.getColumnVector(column);
        const numbers = numericSinks[column];
        const texts = textSinks[column];
        if (numbers) {
          for (let row = 0; row < rowCount; row++) {
            const value = vector.getItem(row) as number | null;
            numbers.push(value === null ? NaN : Math.fround(value));
          }
        } else if (texts) {
          for (let row = 0; row < rowCount; row++) texts.push((vector.getItem(row) as string | null) ?? '');
        }
      });
      const targetVector = chunk.getColumnVector(features.length);
      for (let row = 0; row < rowCount; row++) {
        const value = targetVector.getItem(row) as number | string | null;
        if (target.kind === 'numeric') targetNumbers.push(value === null ? NaN : (value as number));
        else targetTexts.push(value as string | null);
      }
    }
  } catch (error) {
    throw readError(source, error);
  }
  const columns = features.map((_, column): LoadedColumn => {
    const numbers = numericSinks[column];
    if (numbers) return { kind: 'numeric', values: numbers.finish() };
    return textSinks[column]!.finish();
  });
  const rawTarget: RawTarget =
    target.kind === 'numeric'
      ? { kind: 'numeric', values: targetNumbers.finish() }
      : { kind: 'text', values: targetTexts };
  return { rows: rawTarget.values.length, features: columns, target: rawTarget };
}
