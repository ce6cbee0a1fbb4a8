import { formatNumber } from '../report/markdown.js';
import type { Interval } from './gate-inputs.js';
import type { Judgement, Measured } from './decide.js';
import type { DecideOn } from './policy.js';

export function formatInterval(interval: Interval): string {
  return interval ? `[${formatNumber(interval[0])}, ${formatNumber(interval[1])}]` : '—';
}

/**
 * The one-line reason of a judged bound, e.g. "roc_auc drop vs baseline 0.012 breaks max_drop 0: its whole
 * 95% interval [0.004, 0.02] is beyond it".
 */
export function boundReason(
  subject: string,
  measured: Measured,
  limit: string,
  judgement: Judgement,
  wanted: DecideOn,
): string {
  const head = `${subject} ${formatNumber(measured.point)}`;
  const interval = formatInterval(measured.interval);
  const pointOnly =
    wanted === 'interval' && judgement.decidedOn === 'point'
      ? ' (no interval measured: decided on the point estimate)'
      : '';
  switch (judgement.standing) {
    case 'within':
      return `${head} meets ${limit}${pointOnly}`;
    case 'inconclusive':
      return `${head} is past ${limit} but its 95% interval ${interval} reaches it: not conclusive, so it passes`;
    case 'beyond':
      return judgement.decidedOn === 'interval'
        ? `${head} breaks ${limit}: its whole 95% interval ${interval} is beyond it`
        : `${head} breaks ${limit}${pointOnly}`;
  }
}
