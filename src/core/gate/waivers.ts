import type { GateCheck, WaiverStatus } from './gate-result.js';
import type { Waiver } from './policy.js';

/** A waiver names a rule (roc_auc), one check (roc_auc.max_drop) or a slice of a rule (f1@station=naantali). */
function covers(waiver: Waiver, check: GateCheck): boolean {
  const target = check.name.slice(0, check.name.length - check.check.length - 1);
  return waiver.rule === check.rule || waiver.rule === check.name || waiver.rule === target;
}

/**
 * Turns the warn/fail checks that an unexpired waiver covers into passes marked `waived`. A waiver holds
 * through its `until` day (UTC); `today` is YYYY-MM-DD.
 */
export function applyWaivers(
  checks: GateCheck[],
  waivers: Waiver[],
  today: string,
): { checks: GateCheck[]; waivers: WaiverStatus[] } {
  const statuses = waivers.map((waiver) => ({
    rule: waiver.rule,
    until: waiver.until,
    reason: waiver.reason,
    expired: today > waiver.until,
    applied: [] as string[],
    line: waiver.line,
  }));
  const judged = checks.map((check) => {
    if (check.verdict === 'pass') return check;
    const index = waivers.findIndex((waiver, at) => !statuses[at].expired && covers(waiver, check));
    if (index < 0) return check;
    const { until, reason } = waivers[index];
    statuses[index].applied.push(check.name);
    return {
      ...check,
      verdict: 'pass' as const,
      waived: true,
      waiver: { until, reason },
      reason: `waived until ${until} (${reason}); would ${check.verdict}: ${check.reason}`,
    };
  });
  return { checks: judged, waivers: statuses };
}
