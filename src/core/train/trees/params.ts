import { InputError } from '../../errors.js';

/** Converts one user value (a key=value string) to a typed param, or throws InputError naming the key. */
export type ParamParser<T> = (value: string, key: string) => T;

/**
 * Parses key=value strings against the defaults: every key must be known; the message of an
 * unknown key lists the valid ones. (The tree params need `none` and `auto` values, which the
 * pipeline's shared spec kinds do not have.)
 */
export function parseKeyValueParams<P extends object>(
  raw: Record<string, string>,
  defaults: P,
  parsers: { [K in keyof P]: ParamParser<P[K]> },
): P {
  const params = { ...defaults };
  const valid = Object.keys(parsers);
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.prototype.hasOwnProperty.call(parsers, key))
      throw new InputError(`unknown parameter; valid parameters: ${valid.join(', ')}`, { key });
    const name = key as keyof P & string;
    params[name] = parsers[name](value.trim(), key);
  }
  return params;
}

function parseNumber(value: string, key: string): number {
  const parsed = value === '' ? NaN : Number(value);
  if (!Number.isFinite(parsed)) throw new InputError(`expected a number, got "${value}"`, { key });
  return parsed;
}

/** A number in [min, max] (bounds inclusive unless `exclusiveMin`). */
export function numberIn(min: number, max: number, exclusiveMin = false): ParamParser<number> {
  return (value, key) => {
    const parsed = parseNumber(value, key);
    if (parsed > max || parsed < min || (exclusiveMin && parsed === min))
      throw new InputError(
        `expected a number in ${exclusiveMin ? '(' : '['}${min}, ${max}], got "${value}"`,
        {
          key,
        },
      );
    return parsed;
  };
}

/** An integer in [min, max]. */
export function integerIn(min: number, max = Number.MAX_SAFE_INTEGER): ParamParser<number> {
  return (value, key) => {
    const parsed = parseNumber(value, key);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new InputError(`expected an integer in [${min}, ${max}], got "${value}"`, { key });
    return parsed;
  };
}

/** An integer, or `none` (no limit) as null. */
export function integerOrNone(min: number): ParamParser<number | null> {
  const integer = integerIn(min);
  return (value, key) => (value.toLowerCase() === 'none' ? null : integer(value, key));
}

/** true/false (also 1/0, yes/no). */
export const booleanParam: ParamParser<boolean> = (value, key) => {
  const word = value.toLowerCase();
  if (['true', '1', 'yes'].includes(word)) return true;
  if (['false', '0', 'no'].includes(word)) return false;
  throw new InputError(`expected true or false, got "${value}"`, { key });
};
