import { Ajv2020, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { InputError } from './errors.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (instance: Ajv2020) => void)(ajv);

const compiled = new WeakMap<object, ValidateFunction>();

export function compileSchema(schema: AnySchema): ValidateFunction {
  const key = schema as object;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

/** "/metrics/0/min" style paths read better as "metrics[0].min" in messages that name the key. */
export function keyPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

export function describeSchemaError(error: ErrorObject): { key: string; message: string } {
  const base = keyPath(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    return { key: base ? `${base}.${extra}` : extra, message: 'is not a known key' };
  }
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return { key: base ? `${base}.${missing}` : missing, message: 'is required' };
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((value) =>
      JSON.stringify(value),
    );
    return { key: base || '(root)', message: `must be one of ${allowed.join(', ')}` };
  }
  return { key: base || '(root)', message: error.message ?? 'is invalid' };
}

/** Validates a document against a schema, throwing an InputError that names the file and the first bad key. */
export function assertMatchesSchema<T>(schema: AnySchema, value: unknown, file: string): T {
  const validate = compileSchema(schema);
  if (!validate(value)) {
    const described = (validate.errors ?? []).map(describeSchemaError);
    const [first] = described;
    const others = described.length > 1 ? ` (and ${described.length - 1} more problem(s))` : '';
    throw new InputError(`${first.message}${others}`, { file, key: first.key });
  }
  return value as T;
}
