import { readFile } from 'node:fs/promises';
import profileSchema from '../../../schemas/profile.schema.json' with { type: 'json' };
import { InputError } from '../errors.js';
import { withoutBom } from '../io/text.js';
import { assertMatchesSchema } from '../json-schema.js';
import { formatPValue } from '../report/markdown.js';
import { TOOL_VERSION } from '../version.js';
import { mapOnConnections } from './concurrent.js';
import { evaluateContract, type Check, type Verdict } from './checks.js';
import { checkContractSchema, declaredTypes, loadContract, type Contract } from './contract.js';
import {
  computeDrift,
  driftAlongsideProfile,
  type DriftEntry,
  type DriftSide,
  type DriftSkip,
} from './drift.js';
import { checkGzip, isGzip } from './gzip-check.js';
import { inferContract } from './infer-contract.js';
import { profileScan, type AlongsidePass, type Profile } from './profile.js';
import type { CsvSniff } from './csv-reader.js';
import { attachDataset, isFloatType, openEngine, sha256File, sniffAhead, type Engine } from './reader.js';
import { countsOf, q, queryObjects, scanDataset, streamRows, type CountedColumn, type Scan } from './scan.js';

export type FailOn = 'error' | 'warning' | 'never';

export interface ValidateOptions {
  data: string;
  contract?: string;
  reference?: string;
  inferContract?: boolean;
}

export interface Validation {
  schemaVersion: 1;
  tool: { name: 'mlops-actions'; version: string };
  passed: boolean;
  data: { path: string; format: string; sha256: string; rows: number; bytes: number };
  contract: { path: string } | null;
  reference: { path: string; kind: 'data' | 'profile'; rows: number } | null;
  checks: Check[];
  drift: DriftEntry[];
  driftSkipped: DriftSkip[];
  failedRules: string[];
  warnings: string[];
  driftedColumns: string[];
  durationMs: number;
}

export interface ValidateResult {
  validation: Validation;
  profile: Profile;
  inferredContract?: Record<string, unknown>;
}

/** Exit code of a finished validation: 1 when it failed under the fail-on policy. */
export function exitCodeFor(validation: Validation, failOn: FailOn): number {
  if (failOn === 'never') return 0;
  if (validation.failedRules.length) return 1;
  if (failOn === 'warning' && validation.warnings.length) return 1;
  return 0;
}

export function parseFailOn(value: string | undefined, name = 'fail-on'): FailOn {
  const text = (value ?? 'error').trim().toLowerCase() || 'error';
  if (text === 'error' || text === 'warning' || text === 'never') return text;
  throw new InputError(`${name} must be error, warning or never, got "${value}"`);
}

/** Columns the contract wants as text whatever they look like (kept verbatim: leading zeros, codes). */
function textColumns(contract: Contract | undefined): string[] {
  if (!contract) return [];
  return Object.entries(contract.properties)
    .filter(([, schema]) => {
      const types = declaredTypes(schema);
      types.delete('null');
      return types.size === 1 && types.has('string');
    })
    .map(([name]) => name);
}

function keysOf(contract: Contract | undefined): string[][] {
  return (contract?.dataset.unique ?? []).map((entry) => (typeof entry === 'string' ? [entry] : entry));
}

/** Connections the per-column checks of a scanned file run on side by side. */
const CHECK_LANES = 4;

/** How a column's values read as numbers that may be NaN or ±Infinity; null when they cannot be. */
function numberReading(column: CountedColumn): ((x: string) => string) | null {
  if (isFloatType(column.sqlType)) return (x) => x;
  if (column.kind !== 'string') return null;
  return (x) => `TRY_CAST(${x} AS DOUBLE)`;
}

/** The count of NaN or ±Infinity cells of one column (0 for a text column that is not all numbers). */
async function nonFiniteCells(
  engine: Engine,
  column: CountedColumn,
  numericText: Set<string>,
): Promise<number> {
  const value = numberReading(column);
  if (!value) return 0;
  if (!isFloatType(column.sqlType) && !numericText.has(column.name)) {
    // A text column whose every value reads as a number, some as inf/nan: a numeric column with non-finite cells.
    const [shape] = await queryObjects(
      engine,
      `SELECT count(*) FILTER (WHERE v IS NOT NULL) AS present, count(*) FILTER (WHERE TRY_CAST(v AS DOUBLE) IS NOT NULL) AS numbers
       FROM ${countsOf(column)}`,
    );
    if (Number(shape.present) === 0 || Number(shape.present) !== Number(shape.numbers)) return 0;
  }
  const [row] = await queryObjects(
    engine,
    `SELECT coalesce(sum(n), 0) AS bad FROM ${countsOf(column)} WHERE isnan(${value('v')}) OR isinf(${value('v')})`,
  );
  return Number(row.bad);
}

/** NaN and ±Infinity are not values a contract or a profile can reason about: refuse them, naming the first. */
async function refuseNonFinite(engine: Engine, scan: Scan, contract: Contract | undefined): Promise<void> {
  const numericText = new Set(
    Object.entries(contract?.properties ?? {})
      .filter(([, schema]) => {
        const types = declaredTypes(schema);
        return (types.has('number') || types.has('integer')) && !types.has('string');
      })
      .map(([name]) => name),
  );
  const bad = await mapOnConnections(engine, scan.columns, CHECK_LANES, (own, column) =>
    nonFiniteCells(own, column, numericText),
  );
  const index = bad.findIndex((count) => count > 0);
  if (index < 0) return;
  const column = scan.columns[index];
  const value = numberReading(column)!;
  let first: Record<string, unknown> | undefined;
  await streamRows(
    engine,
    scan.dataset,
    `${q(column.name)} AS v`,
    `isnan(${value('v')}) OR isinf(${value('v')})`,
    (rows) => {
      first = rows[0];
      return false;
    },
  );
  throw new InputError(
    `${first ? JSON.stringify(String(first.v)) : 'NaN or Infinity'} is not a finite number (NaN or ±Infinity, such as an overflowing 1e999), which a contract or profile cannot check (${bad[index]} such cell(s)); write a missing value as an empty cell`,
    { file: scan.dataset.file, ...(first ? { row: Number(first.__row) } : {}), column: column.name },
  );
}

/** A data file counted and checked for non-finite numbers; its sha256 is computed alongside. */
interface ScannedFile {
  scan: Scan;
  sha256: Promise<string>;
}

async function scanFile(
  engine: Engine,
  file: string,
  view: string,
  contract: Contract | undefined,
  role: string,
  sniffed: Promise<CsvSniff | undefined>,
  onCounting?: () => void,
): Promise<ScannedFile> {
  // Hashing (and a gzip file's integrity check) read the file on the JS side while DuckDB scans it.
  const sha256 = sha256File(file);
  sha256.catch(() => undefined);
  const whole = isGzip(file) ? checkGzip(file) : Promise.resolve();
  whole.catch(() => undefined);
  try {
    const textOptions = { textColumns: textColumns(contract) };
    const dataset = await attachDataset(engine, file, view, { ...textOptions, sniffed: await sniffed });
    if (role === 'data' && contract) {
      const names = new Set(dataset.columns.map((column) => column.name));
      const absent = contract.required.filter((name) => !names.has(name));
      if (absent.length) {
        throw new InputError(
          `the contract requires column ${absent.map((name) => `"${name}"`).join(', ')}, which the data lacks (columns: ${[...names].join(', ')})`,
          { file, column: absent[0] },
        );
      }
    }
    const scan = await scanDataset(engine, dataset, {
      ...textOptions,
      keys: role === 'data' ? keysOf(contract) : [],
      onCounting,
    });
    if (scan.rows === 0) throw new InputError('has no data rows (only a header, or nothing)', { file });
    await refuseNonFinite(engine, scan, contract);
    return { scan, sha256 };
  } finally {
    // A cut gzip stream makes DuckDB report whatever the cut left (or nothing): its error wins.
    await whole;
  }
}

async function profileFile(
  engine: Engine,
  { scan, sha256 }: ScannedFile,
  alongside?: Map<string, AlongsidePass>,
): Promise<DriftSide> {
  const profile = await profileScan(
    engine,
    scan,
    {
      path: scan.dataset.file,
      format: scan.dataset.format,
      bytes: scan.dataset.bytes,
      sha256: await sha256,
      rows: scan.rows,
    },
    alongside,
  );
  return { scan, profile };
}

/** A promise that can tell whether it has settled. */
interface Tracked<T> {
  promise: Promise<T>;
  settled: boolean;
}

function tracked<T>(promise: Promise<T>): Tracked<T> {
  const state: Tracked<T> = { promise, settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

/** Profile of the data, and drift against the reference when there is one. */
async function profileAndDrift(
  engine: Engine,
  scanned: ScannedFile,
  referencing: Tracked<DriftSide> | undefined,
  options: ValidateOptions,
  contract: Contract | undefined,
): Promise<{
  current: DriftSide;
  reference: Validation['reference'];
  drift: DriftEntry[];
  driftSkipped: DriftSkip[];
}> {
  if (!referencing || !options.reference) {
    return { current: await profileFile(engine, scanned), reference: null, drift: [], driftSkipped: [] };
  }
  const settings = contract?.dataset.drift;
  // A reference that is ready (a small one usually is by now) is read in the passes that profile the
  // data's numeric columns, one ordered pass each; a larger one is not waited for: the data is
  // profiled meanwhile, and drift makes its own passes.
  const early = referencing.settled ? await referencing.promise : undefined;
  const shared = early ? driftAlongsideProfile(scanned.scan, early, settings) : undefined;
  const current = await profileFile(engine, scanned, shared?.alongside);
  const referenceSide = early ?? (await referencing.promise);
  const { entries, skipped } = await computeDrift(engine, current, referenceSide, settings, shared?.measured);
  return {
    current,
    reference: {
      path: options.reference,
      kind: referenceSide.scan ? 'data' : 'profile',
      rows: referenceSide.profile.rows,
    },
    drift: entries,
    driftSkipped: skipped,
  };
}

/** The reference side of drift: a saved profile, or a data file scanned and profiled on a connection of its own. */
async function referenceSide(
  engine: Engine,
  file: string,
  contract: Contract | undefined,
  saved: Profile | undefined,
  sniffed: Promise<CsvSniff | undefined>,
): Promise<DriftSide> {
  if (saved) return { profile: saved };
  return profileFile(engine, await scanFile(engine, file, 'reference', contract, 'reference', sniffed));
}

function driftCheck(entry: DriftEntry, severity: Verdict): Check {
  return {
    name: `drift:${entry.column}`,
    kind: 'drift',
    column: entry.column,
    observed: entry.decidedBy === 'p_value' ? entry.pValueAdjusted : entry.value,
    limit: entry.threshold,
    verdict: entry.drifted ? severity : 'pass',
    detail: `${entry.statistic} ${entry.decidedBy === 'p_value' ? `p = ${formatPValue(entry.pValueAdjusted)} (adjusted)` : `= ${entry.value.toFixed(4)}`} ${entry.drifted ? 'beyond' : 'within'} ${entry.decidedBy === 'p_value' ? 'α' : 'threshold'} ${entry.threshold}`,
  };
}

async function loadProfile(file: string): Promise<Profile> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new InputError('reference profile not found or not readable', { file });
  });
  let document: unknown;
  try {
    document = JSON.parse(withoutBom(text));
  } catch (error) {
    throw new InputError(`is not valid JSON: ${(error as Error).message}`, { file });
  }
  return assertMatchesSchema<Profile>(profileSchema, document, file);
}

/** validate-data: contract, profile and drift of one data file; plain data in, plain data out. */
export async function validateData(options: ValidateOptions): Promise<ValidateResult> {
  const started = performance.now();
  const engine = await openEngine();
  const referenceIsProfile = options.reference !== undefined && /\.json$/i.test(options.reference);
  // The small reference file is scanned alongside the data file (off the critical path), on a connection of its own.
  const referenceEngine =
    options.reference && !referenceIsProfile ? { ...engine, connection: await engine.connect() } : undefined;
  // The files are sniffed while the contract loads (compiling it keeps the JavaScript thread busy).
  const dataSniff = sniffAhead(engine, options.data);
  const referenceSniff = referenceEngine
    ? sniffAhead(referenceEngine, options.reference!)
    : Promise.resolve(undefined);
  let referencing: Promise<DriftSide> | undefined;
  let checking: Promise<Check[]> = Promise.resolve([]);
  try {
    const contract = options.contract ? await loadContract(options.contract) : undefined;
    const referenceProfile = referenceIsProfile ? await loadProfile(options.reference!) : undefined;
    referencing = options.reference
      ? referenceSide(
          referenceEngine ?? engine,
          options.reference,
          contract,
          referenceProfile,
          referenceSniff,
        )
      : undefined;
    referencing?.catch(() => undefined);
    const referenceTracked = referencing && tracked(referencing);
    // The contract's JSON Schema compiles while DuckDB counts the data; its problems still come first.
    let schemaChecked = false;
    let schemaProblem: unknown;
    const checkSchema = () => {
      if (schemaChecked || !contract) return;
      schemaChecked = true;
      try {
        checkContractSchema(contract);
      } catch (error) {
        schemaProblem = error;
      }
    };
    const [scanning] = await Promise.allSettled([
      scanFile(engine, options.data, 'data', contract, 'data', dataSniff, checkSchema),
    ]);
    checkSchema();
    if (schemaProblem) throw schemaProblem;
    if (scanning.status === 'rejected') throw scanning.reason;
    const scanned = scanning.value;
    // The contract's queries (its example-row scan above all, one core in file order) run on a
    // connection of their own while the profile and drift run on the engine's.
    if (contract)
      checking = engine
        .connect()
        .then((connection) => evaluateContract({ ...engine, connection }, scanned.scan, contract));
    const profiling = profileAndDrift(engine, scanned, referenceTracked, options, contract);
    // A contract error comes first, as the contract is checked first.
    const [checked, profiled] = await Promise.allSettled([checking, profiling]);
    if (checked.status === 'rejected') throw checked.reason;
    if (profiled.status === 'rejected') throw profiled.reason;
    const { current, reference, drift, driftSkipped } = profiled.value;
    const checks = checked.value;
    const severity: Verdict = contract?.dataset.drift?.severity ?? 'warn';
    checks.push(...drift.map((entry) => driftCheck(entry, severity)));
    // Failed rules first, in the order they were checked.
    checks.sort((a, b) => rank(a.verdict) - rank(b.verdict));
    const failedRules = checks.filter((check) => check.verdict === 'fail').map((check) => check.name);
    const warnings = checks.filter((check) => check.verdict === 'warn').map((check) => check.name);
    const validation: Validation = {
      schemaVersion: 1,
      tool: { name: 'mlops-actions', version: TOOL_VERSION },
      passed: failedRules.length === 0,
      data: {
        path: options.data,
        format: scanned.scan.dataset.format,
        sha256: current.profile.source!.sha256,
        rows: scanned.scan.rows,
        bytes: scanned.scan.dataset.bytes,
      },
      contract: options.contract ? { path: options.contract } : null,
      reference,
      checks,
      drift,
      driftSkipped,
      failedRules,
      warnings,
      driftedColumns: drift.filter((entry) => entry.drifted).map((entry) => entry.column),
      durationMs: Math.round(performance.now() - started),
    };
    return {
      validation,
      profile: current.profile,
      ...(options.inferContract ? { inferredContract: inferContract(current.profile, options.data) } : {}),
    };
  } finally {
    // Every query settles before the engine closes.
    await Promise.allSettled([dataSniff, referenceSniff, referencing, checking]);
    await engine.close();
  }
}

function rank(verdict: Verdict): number {
  return verdict === 'fail' ? 0 : verdict === 'warn' ? 1 : 2;
}
