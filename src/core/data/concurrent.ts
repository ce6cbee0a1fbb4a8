import type { Engine } from './reader.js';

/**
 * Runs `work` for every item on up to `width` connections of the engine at once (the engine's own
 * and further ones), results in the items' order. The profile and drift ask many small queries, one
 * column at a time; side by side they overlap each other's round trips and use both cores.
 */
export async function mapOnConnections<T, R>(
  engine: Engine,
  items: T[],
  width: number,
  work: (engine: Engine, item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (own: Engine) => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(own, items[index]);
    }
  };
  const lanes = Math.max(1, Math.min(width, items.length));
  const engines = [engine];
  for (let lane = 1; lane < lanes; lane++) engines.push({ ...engine, connection: await engine.connect() });
  await Promise.all(engines.map(worker));
  return results;
}
