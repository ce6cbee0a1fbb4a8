import { InputError } from '../errors.js';
import type { Verdict } from './policy.js';

/** When the gate's step (or the CLI) exits 1: on a failing check, also on a warning, or never. */
export type FailOn = 'fail' | 'warn' | 'never';

const FAIL_ON: readonly FailOn[] = ['fail', 'warn', 'never'];

/** `source` names where the value came from in messages (`--fail-on`, `input "fail-on"`). */
export function parseFailOn(value: string, source: string): FailOn {
  if ((FAIL_ON as readonly string[]).includes(value)) return value as FailOn;
  throw new InputError(`${source} must be one of ${FAIL_ON.join(', ')} (got "${value}")`);
}

export function gateExitCode(verdict: Verdict, failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  return verdict === 'fail' || (failOn === 'warn' && verdict === 'warn') ? 1 : 0;
}
