import { mapOnConnections } from '../../src/core/data/concurrent.js';
import type { Engine } from '../../src/core/data/reader.js';

/** An engine whose connections are plain markers: mapOnConnections only hands them to the work. */
function fakeEngine(): Engine {
  let opened = 0;
  return {
    connection: { lane: opened++ },
    folder: '',
    connect: async () => ({ lane: opened++ }),
    close: async () => undefined,
  } as unknown as Engine;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapOnConnections', () => {
  test('results come back in the items order', async () => {
    const results = await mapOnConnections(fakeEngine(), [30, 10, 20, 5], 2, async (_engine, ms) => {
      await sleep(ms);
      return ms * 2;
    });
    expect(results).toEqual([60, 20, 40, 10]);
  });

  test('a failure waits for the running items, takes no new ones, then throws the first error', async () => {
    const settled: number[] = [];
    const started: number[] = [];
    const run = mapOnConnections(fakeEngine(), [0, 1, 2, 3, 4], 2, async (_engine, item) => {
      started.push(item);
      if (item === 0) {
        await sleep(5);
        throw new Error('query 0 failed');
      }
      await sleep(40);
      settled.push(item);
      return item;
    });
    await expect(run).rejects.toThrow('query 0 failed');
    // Item 1 was running on the other lane when item 0 failed: it settled before the rejection.
    expect(settled).toEqual([1]);
    expect(started).toEqual([0, 1]);
  });
});
