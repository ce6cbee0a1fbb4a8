import { InputError } from '../core/errors.js';

/** Exit codes of the CLI contract: 0 passed, 1 the data/model/gate failed its rules, 2 bad usage or input. */
export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

/**
 * Runs a command body and turns its outcome into the process exit code. Errors print one line on
 * stderr (no stack trace, unless MLOPS_DEBUG=1); a command's own verdict comes back as its exit code.
 */
export function runCommand<A extends unknown[]>(body: (...args: A) => Promise<number>) {
  return async (...args: A): Promise<void> => {
    try {
      process.exitCode = await body(...args);
    } catch (error) {
      process.exitCode = EXIT.usage;
      if (process.env.MLOPS_DEBUG === '1') console.error(error);
      const message = error instanceof Error ? error.message : String(error);
      console.error(error instanceof InputError ? `error: ${message}` : `error (internal): ${message}`);
    }
  };
}

/** Commander collects repeatable options through this reducer. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
