import { cellFrom, cellSelect, type CellContext } from './cells.js';
import { columnKind, type Dataset, type Engine } from './reader.js';
import { columnExpression, q, streamRows } from './scan.js';

/** Up to this many example rows are shown per failing rule. */
export const MAX_SAMPLES = 20;

export interface Sample {
  row: number;
  column: string;
  value: unknown;
  message?: string;
}

/** The rows one rule wants examples of: a predicate over the data view's row, and the columns to show. */
export interface ExampleQuery {
  rowPredicate: string;
  columns: string[];
}

/**
 * One scan of the data file in file order for the first targets[i] rows matching queries[i], stopping
 * once every target is met. Reading the file in order is one core's work, whatever the number of
 * queries: one scan serves every rule.
 */
export async function scanExamples(
  engine: Engine,
  dataset: Dataset,
  queries: ExampleQuery[],
  contexts: Map<string, CellContext>,
  targets: number[],
): Promise<Sample[][]> {
  const found: Sample[][] = queries.map(() => []);
  const missing = () => queries.some((query, index) => found[index].length < targets[index]);
  if (!missing()) return found;
  const kinds = new Map(dataset.columns.map((column) => [column.name, columnKind(column.sqlType)]));
  const shown = [...new Set(queries.flatMap((query) => query.columns))];
  const selectList = [
    ...queries.map((query, index) => `(${query.rowPredicate}) AS ${q(`r${index}`)}`),
    ...shown.map((name, index) => {
      const context = contexts.get(name);
      const expression = columnExpression(name, kinds.get(name)!);
      return context ? cellSelect(context, expression, `s${index}`) : `${expression} AS ${q(`s${index}`)}`;
    }),
  ].join(', ');
  const where = queries.map((query, index) => q(`r${index}`)).join(' OR ');
  const valueOf = (row: Record<string, unknown>, name: string) => {
    const index = shown.indexOf(name);
    const context = contexts.get(name);
    const value = context ? cellFrom(context, row, `s${index}`) : row[`s${index}`];
    return value === undefined ? null : value;
  };
  await streamRows(engine, dataset, selectList, where, (rows) => {
    for (const row of rows) {
      queries.forEach(({ columns }, index) => {
        if (row[`r${index}`] !== true || found[index].length >= targets[index]) return;
        const value =
          columns.length === 1
            ? valueOf(row, columns[0])
            : Object.fromEntries(columns.map((name) => [name, valueOf(row, name)]));
        found[index].push({ row: Number(row.__row), column: columns.join('+'), value });
      });
    }
    return missing();
  });
  return found;
}
