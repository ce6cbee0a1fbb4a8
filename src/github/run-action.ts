import * as core from '@actions/core';
import { InputError } from '../core/errors.js';

/**
 * Runs an action entry as the runner expects: a thrown InputError fails the step with exit code 2
 * and a one-line message; the entry itself sets exit code 1 when the data/model/gate fails its rules.
 */
export async function runAction(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setFailed(error instanceof InputError ? message : `internal error: ${message}`);
    process.exitCode = 2;
  }
}

/** Reads an input as @actions/core does; empty means "not given". */
export function optionalInput(name: string): string | undefined {
  const value = core.getInput(name);
  return value === '' ? undefined : value;
}

/** A required input whose absence is bad usage (exit 2), named as in action.yml. */
export function requiredInput(name: string): string {
  const value = core.getInput(name);
  if (value === '') throw new InputError(`input "${name}" is required`);
  return value;
}

/** `fail-on`-style inputs and multi-value inputs (one per line or comma-separated). */
export function listInput(name: string): string[] {
  return core
    .getInput(name)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}
