import metricsSchema from '../../../schemas/metrics.schema.json' with { type: 'json' };
import { assertMatchesSchema } from '../json-schema.js';
import { toJson } from '../io/atomic-write.js';
import { evaluationHtml } from '../report/evaluation-html.js';
import { evaluationMarkdown } from '../report/evaluation-markdown.js';
import type { MetricsDocument } from './metrics-document.js';

/** The files an evaluation writes into its output folder. */
export const EVALUATION_FILES = ['metrics.json', 'report.md', 'report.html'];

/** metrics.json, report.md and report.html of an evaluation; metrics.json is checked against its schema first. */
export function evaluationFiles(document: MetricsDocument): Record<string, string> {
  assertMatchesSchema(metricsSchema, document, 'metrics.json');
  return {
    'metrics.json': toJson(document),
    'report.md': evaluationMarkdown(document),
    'report.html': evaluationHtml(document),
  };
}

/** Headline values as action outputs: kebab-case metric names, only the metrics this task has. */
export function headlineOutputs(document: MetricsDocument): Record<string, string> {
  return Object.fromEntries(
    Object.entries(document.metrics)
      .filter(([, metric]) => metric.value !== null)
      .map(([name, metric]) => [name.replaceAll('_', '-'), String(metric.value)]),
  );
}
