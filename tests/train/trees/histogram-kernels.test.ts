import { execFileSync } from 'node:child_process';
import { histogramKernelsModule, kernelMemory } from '../../../src/core/train/trees/histogram-kernels.js';

describe('histogram kernels', () => {
  test('the committed WebAssembly bytes are what the .wat source compiles to', () => {
    // Exits 1 (and execFileSync throws) when histogram-kernels-wasm.ts is stale.
    expect(() =>
      execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
    expect(histogramKernelsModule()).toBeInstanceOf(WebAssembly.Module);
  });

  test('lays regions out 16-byte aligned, one after another', () => {
    const { memory, addresses } = kernelMemory([5, 16, 1]);
    expect(addresses).toEqual([0, 16, 32]);
    expect(memory.buffer.byteLength).toBe(65_536);
  });

  test('refuses more working memory than 32-bit addresses reach, naming the limit', () => {
    expect(() => kernelMemory([3 * 2 ** 30, 2 * 2 ** 30])).toThrow(/at most 4 GiB/);
  });
});
