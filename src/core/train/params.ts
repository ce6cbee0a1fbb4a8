import { InputError } from '../errors.js';

/** How one parameter is read from its key=value string. */
export type ParamSpec =
  | { kind: 'number'; min?: number; max?: number; exclusiveMin?: boolean; description: string }
  | { kind: 'integer'; min?: number; max?: number; description: string }
  | { kind: 'choice'; choices: string[]; description: string }
  | { kind: 'boolean'; description: string };

export type ParamSpecs<P> = { [K in keyof P]: ParamSpec };

function parseValue(key: string, text: string, spec: ParamSpec): number | string | boolean {
  const bad = (expected: string) => new InputError(`must be ${expected}, got "${text}"`, { key });
  switch (spec.kind) {
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw bad('true or false');
    case 'choice':
      if (!spec.choices.includes(text)) throw bad(`one of ${spec.choices.join(', ')}`);
      return text;
    case 'number':
    case 'integer': {
      const value = Number(text);
      const whole = spec.kind === 'integer';
      const range = [
        spec.min !== undefined && `${'exclusiveMin' in spec && spec.exclusiveMin ? '>' : '≥'} ${spec.min}`,
        spec.max !== undefined && `≤ ${spec.max}`,
      ]
        .filter(Boolean)
        .join(' and ');
      const expected = `${whole ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}`;
      if (text.trim() === '' || !Number.isFinite(value) || (whole && !Number.isInteger(value)))
        throw bad(expected);
      const exclusive = 'exclusiveMin' in spec && spec.exclusiveMin;
      if (spec.min !== undefined && (exclusive ? value <= spec.min : value < spec.min)) throw bad(expected);
      if (spec.max !== undefined && value > spec.max) throw bad(expected);
      return value;
    }
  }
}

/**
 * Reads user key=value strings against the specs, starting from the defaults; an unknown key is
 * bad usage and the message lists the valid ones.
 */
export function parseParamsWith<P extends object>(
  algorithm: string,
  raw: Record<string, string>,
  specs: ParamSpecs<P>,
  defaults: P,
): P {
  const params: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  const valid = Object.keys(specs);
  for (const [key, text] of Object.entries(raw)) {
    const spec = (specs as Record<string, ParamSpec>)[key];
    if (!spec) {
      throw new InputError(`unknown parameter for ${algorithm}; valid parameters: ${valid.join(', ')}`, {
        key,
      });
    }
    params[key] = parseValue(key, text, spec);
  }
  return params as P;
}

/** Parses repeated `key=value` strings (CLI --param, one per line in the action). */
export function parseKeyValues(pairs: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new InputError(`parameter must look like key=value, got "${pair}"`, { key: pair });
    const key = pair.slice(0, at).trim();
    if (key in result) throw new InputError('parameter given twice', { key });
    result[key] = pair.slice(at + 1).trim();
  }
  return result;
}
