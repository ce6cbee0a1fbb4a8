import * as core from '@actions/core';
import type { Validation } from '../core/data/validate.js';
import { shownValue } from '../core/report/markdown.js';

/** GitHub shows a limited number of annotations per step; these caps keep the important ones visible. */
export const ANNOTATIONS_PER_RULE = 10;
export const ANNOTATIONS_TOTAL = 50;

/** The line of a data row in its file: a header line comes first in CSV/TSV; JSONL has one row per line. */
function lineOf(format: string, row: number): number | undefined {
  if (format === 'csv' || format === 'tsv') return row + 1;
  if (format === 'jsonl') return row;
  return undefined;
}

/** Failing rows become ::error annotations on the data file; warnings become ::warning. */
export function annotateValidation(validation: Validation): void {
  let emitted = 0;
  const file = validation.data.path;
  for (const check of validation.checks) {
    if (check.verdict === 'pass') continue;
    const annotate = check.verdict === 'fail' ? core.error : core.warning;
    const samples = check.samples ?? [];
    if (!samples.length) {
      if (emitted++ < ANNOTATIONS_TOTAL)
        annotate(`${check.name}: ${check.detail}`, { file, title: check.name });
      continue;
    }
    for (const sample of samples.slice(0, ANNOTATIONS_PER_RULE)) {
      if (emitted++ >= ANNOTATIONS_TOTAL) return;
      const line = lineOf(validation.data.format, sample.row);
      annotate(
        `row ${sample.row}${sample.column ? `, column ${sample.column}` : ''}: ${sample.message ?? check.detail} (value ${shownValue(sample.value)})`,
        { file, title: check.name, ...(line !== undefined ? { startLine: line } : {}) },
      );
    }
  }
}
