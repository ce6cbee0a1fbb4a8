import type { PairedTestResult } from './paired-test.js';

/**
 * McNemar's exact test for two classifiers' accuracies on the same rows: among the rows where
 * exactly one model is right (b rows only A, c rows only B), under "no difference" b ~ Binomial(b + c, ½).
 * p = min(1, 2·P(X ≤ min(b, c))) (the exact two-sided binomial test, scipy.stats.binomtest).
 *
 * The returned `delta` is (b − c) / n, the accuracy difference A − B; `interval` is null here: the
 * caller takes the paired-bootstrap interval of the accuracy delta. No discordant rows → pValue 1.
 */
export function mcnemarExactTest(correctA: ArrayLike<number>, correctB: ArrayLike<number>): PairedTestResult {
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < correctA.length; i++) {
    if (correctA[i] && !correctB[i]) onlyA++;
    else if (!correctA[i] && correctB[i]) onlyB++;
  }
  const n = correctA.length;
  return {
    delta: n ? (onlyA - onlyB) / n : Number.NaN,
    interval: null,
    pValue: binomialTwoSidedHalf(Math.min(onlyA, onlyB), onlyA + onlyB),
    test: 'mcnemar',
  };
}

/** min(1, 2·P(X ≤ k)) for X ~ Binomial(m, ½), summed in log space so large m neither under- nor overflows. */
export function binomialTwoSidedHalf(k: number, m: number): number {
  if (m === 0 || 2 * k >= m) return 1;
  let logTerm = m * Math.log(0.5);
  let logSum = logTerm;
  for (let i = 0; i < k; i++) {
    logTerm += Math.log(m - i) - Math.log(i + 1);
    logSum = logAdd(logSum, logTerm);
  }
  return Math.min(1, 2 * Math.exp(logSum));
}

function logAdd(a: number, b: number): number {
  const high = Math.max(a, b);
  return high + Math.log1p(Math.exp(Math.min(a, b) - high));
}
