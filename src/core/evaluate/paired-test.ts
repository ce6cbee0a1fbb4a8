/** A paired comparison of two models on the same rows: delta = first model minus second. */
export interface PairedTestResult {
  delta: number;
  /** 95% interval of the delta, or null where it is undefined. */
  interval: [number, number] | null;
  /** Two-sided p-value of "no difference", or null where it is undefined. */
  pValue: number | null;
  test: 'delong' | 'mcnemar' | 'paired-bootstrap';
}
