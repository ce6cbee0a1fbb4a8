import { InputError } from '../../errors.js';

/** Converts one user value (a key=value string) to a typed param, or throws InputError naming the key. */
export type ParamParser<T> = (value: string, key: string) => T;

/**
 * Parses key=value strings against the defaults: every key must be known (or an alias of a known
 * key); the message of an unknown key lists the valid ones.
 */
export function parseKeyValueParams<P extends object>(
  raw: Record<string, string>,
  defaults: P,
  parsers: { [K in keyof P]: ParamParser<P[K]> },
  aliases: Record<string, keyof P & string> = {},
): P {
  const params = { ...defaults };
  const valid = Object.keys(parsers).concat(Object.keys(aliases)).sort();
  for (const [key, value] of Object.entries(raw)) {
    const name = (aliases[key] ?? key) as keyof P & string;
    if (!Object.prototype.hasOwnProperty.call(parsers, name))
      throw new InputError(`unknown parameter; valid parameters: ${valid.join(', ')}`, { key });
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

/** One of a fixed set of words. */
export function oneOf<T extends string>(choices: readonly T[]): ParamParser<T> {
  return (value, key) => {
    const word = value.toLowerCase();
    if (!(choices as readonly string[]).includes(word))
      throw new InputError(`expected one of ${choices.join(', ')}, got "${value}"`, { key });
    return word as T;
  };
}

/** true/false (also 1/0, yes/no). */
export const booleanParam: ParamParser<boolean> = (value, key) => {
  const word = value.toLowerCase();
  if (['true', '1', 'yes'].includes(word)) return true;
  if (['false', '0', 'no'].includes(word)) return false;
  throw new InputError(`expected true or false, got "${value}"`, { key });
};
