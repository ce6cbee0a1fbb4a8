import type { Engine } from './reader.js';

/**
 * Runs `work` for every item on up to `width` connections of the engine at once (the engine's own
 * and further ones), results in the items' order. The profile and drift ask many small queries, one
 * column at a time; side by side they overlap each other's round trips and use both cores. When an
 * item fails, the lanes take no new items, every running query settles, and then the first error is
 * thrown: the caller closes the engine next, and closing a connection under a running query crashes
 * or hangs DuckDB.
 */
export async function mapOnConnections<T, R>(
  engine: Engine,
  items: T[],
  width: number,
  work: (engine: Engine, item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (own: Engine) => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await work(own, items[index]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(width, items.length));
  const engines = [engine];
  for (let lane = 1; lane < lanes; lane++) engines.push({ ...engine, connection: await engine.connect() });
  await Promise.all(engines.map(worker));
  if (failure) throw failure.error;
  return results;
}
