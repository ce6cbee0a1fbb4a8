import type { ColumnProfile, Profile } from './profile.js';

/** Categories are listed as an enum when there are at most this many (and each was seen a few times). */
export const ENUM_MAX_VALUES = 20;
/** Observed numeric ranges are widened by this share of their span on each side. */
export const RANGE_MARGIN = 0.1;

function roundOutward(value: number, step: number, direction: 'down' | 'up'): number {
  const rounded = direction === 'down' ? Math.floor(value / step) * step : Math.ceil(value / step) * step;
  return Number(rounded.toPrecision(12));
}

function numericSchema(column: ColumnProfile): Record<string, unknown> {
  const numeric = column.numeric!;
  const integer =
    /INT/i.test(column.sqlType) || (numeric.cdf.exact && numeric.cdf.values.every(Number.isInteger));
  const schema: Record<string, unknown> = { type: integer ? 'integer' : 'number' };
  if (integer && numeric.cdf.exact && numeric.cdf.values.length <= 10) {
    schema.enum = numeric.cdf.values;
    return schema;
  }
  const span = numeric.max - numeric.min;
  const scale = span > 0 ? span : Math.abs(numeric.max) || 1;
  const margin = RANGE_MARGIN * scale;
  const step = integer
    ? Math.max(1, 10 ** Math.floor(Math.log10(margin)))
    : 10 ** Math.floor(Math.log10(margin));
  let minimum = roundOutward(numeric.min - margin, step, 'down');
  let maximum = roundOutward(numeric.max + margin, step, 'up');
  // The margin does not cross a natural bound: 0 for a column never negative, 1 for a fraction (0…1).
  if (numeric.min >= 0 && minimum < 0) minimum = 0;
  if (numeric.min >= 0 && numeric.max <= 1 && maximum > 1) maximum = 1;
  schema.minimum = minimum;
  schema.maximum = maximum;
  return schema;
}

const DATETIME_FORMATS: [RegExp, string][] = [
  [/^DATE$/i, 'date'],
  [/WITH TIME ZONE/i, 'date-time'],
  [/^TIMESTAMP/i, 'iso-date-time'],
  [/^TIME$/i, 'iso-time'],
];

function columnSchema(column: ColumnProfile): Record<string, unknown> {
  switch (column.kind) {
    case 'numeric':
      return column.numeric ? numericSchema(column) : { type: 'number' };
    case 'categorical': {
      if (/^BOOLEAN$/i.test(column.sqlType)) return { type: 'boolean' };
      const categories = column.categories;
      if (
        categories?.complete &&
        categories.values.length <= ENUM_MAX_VALUES &&
        categories.values.every((entry) => entry.count >= 5)
      ) {
        return { type: 'string', enum: categories.values.map((entry) => entry.value).sort() };
      }
      return { type: 'string' };
    }
    case 'datetime': {
      const format = DATETIME_FORMATS.find(([pattern]) => pattern.test(column.sqlType))?.[1];
      return format ? { type: 'string', format } : { type: 'string' };
    }
    default:
      return /^STRUCT|^MAP|^JSON/i.test(column.sqlType)
        ? { type: 'object' }
        : /\[\]$/.test(column.sqlType)
          ? { type: 'array' }
          : {};
  }
}

/**
 * Drafts a contract from a profile, like TFDV's schema inference: types, observed ranges widened by a
 * margin, categories when few, required when never missing, and a missing-fraction limit for the
 * columns with gaps. Meant for a person to review and commit, not to be trusted blindly.
 */
export function inferContract(profile: Profile, dataPath: string): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const maxMissingFraction: Record<string, number> = {};
  const unique: string[] = [];
  for (const column of profile.columns) {
    const schema = columnSchema(column);
    if (column.missing === 0) {
      required.push(column.name);
    } else {
      if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
      if (Array.isArray(schema.enum)) schema.enum = [...schema.enum, null];
      const fraction = column.missing / Math.max(1, profile.rows);
      maxMissingFraction[column.name] = Math.min(1, Number((2 * fraction + 0.01).toFixed(4)));
    }
    // Integers, text and times (one reading per timestamp) whose every value differs look like keys.
    const identifierLike =
      column.kind === 'categorical' || column.kind === 'datetime' || /INT/i.test(column.sqlType);
    if (identifierLike && column.distinctExact && column.distinct === profile.rows && profile.rows > 1)
      unique.push(column.name);
    properties[column.name] = schema;
  }
  const dataset: Record<string, unknown> = { rows: { min: 1 } };
  if (unique.length) dataset.unique = unique;
  if (Object.keys(maxMissingFraction).length) dataset.maxMissingFraction = maxMissingFraction;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `Data contract for ${dataPath}`,
    description: `Drafted by mlops validate-data --infer-contract from ${profile.rows} rows; review the ranges and categories before committing it.`,
    type: 'object',
    properties,
    required,
    'x-dataset': dataset,
  };
}
