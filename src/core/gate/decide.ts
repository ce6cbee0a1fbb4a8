import type { Interval } from './gate-inputs.js';
import type { DecideOn, Severity, Verdict } from './policy.js';

/**
 * Where a measured quantity stands against a limit. `beyond`: on the bad side (for decide_on: interval,
 * the whole interval is); `inconclusive`: the point estimate is on the bad side but the interval still
 * reaches the limit, so the data cannot tell; `within`: the point estimate is on the good side.
 */
export type Standing = 'within' | 'beyond' | 'inconclusive';

export interface Judgement {
  standing: Standing;
  /** `point` also when interval was asked for but none was measured. */
  decidedOn: DecideOn;
}

export interface Measured {
  point: number;
  interval: Interval;
}

/**
 * Judges `measured` against `limit`. `badSide: 'above'` for upper limits (max, allowed drop),
 * `'below'` for lower limits (min). Equal to the limit is within.
 */
export function judge(
  measured: Measured,
  limit: number,
  badSide: 'above' | 'below',
  decideOn: DecideOn,
): Judgement {
  const beyond = (value: number) => (badSide === 'above' ? value > limit : value < limit);
  const pointBeyond = beyond(measured.point);
  if (decideOn === 'point' || !measured.interval) {
    return { standing: pointBeyond ? 'beyond' : 'within', decidedOn: 'point' };
  }
  const [low, high] = measured.interval;
  const nearest = badSide === 'above' ? low : high;
  if (beyond(nearest)) return { standing: 'beyond', decidedOn: 'interval' };
  return { standing: pointBeyond ? 'inconclusive' : 'within', decidedOn: 'interval' };
}

/** A rule breaks only when its limit is clearly passed; a not-conclusive result passes and says so. */
export function verdictOf(
  { standing }: Judgement,
  severity: Severity,
): { verdict: Verdict; inconclusive?: true } {
  if (standing === 'beyond') return { verdict: severity };
  return standing === 'inconclusive' ? { verdict: 'pass', inconclusive: true } : { verdict: 'pass' };
}
