import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeDemoData } from '../../examples/demo-data/write.js';
import { DEMO_COLUMNS } from '../../examples/demo-data/weather.js';

async function query(sql: string) {
  const instance = await DuckDBInstance.create();
  const connection = await instance.connect();
  const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson();
  connection.closeSync();
  instance.closeSync();
  return rows as Record<string, string | number | null>[];
}

describe('demo weather data', () => {
  let dir: string;
  let files: Awaited<ReturnType<typeof writeDemoData>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-demo-'));
    files = await writeDemoData({ dir, rows: 6000, seed: 7, layout: 'splits' });
  });

  test('train and test hold the requested rows, split by whole days', async () => {
    expect(files.train.rows + files.test.rows).toBe(6000);
    expect(files.train.rows / 6000).toBeGreaterThan(0.55);
    const [overlap] = await query(`
      SELECT count(*) AS days FROM
        (SELECT DISTINCT CAST(timestamp AS DATE) d FROM read_csv('${files.train.path}')) a
        JOIN (SELECT DISTINCT CAST(timestamp AS DATE) d FROM read_csv('${files.test.path}')) b USING (d)`);
    expect(Number(overlap.days)).toBe(0);
  });

  test('has the documented columns, gaps in sensor readings, and both targets', async () => {
    const header = (await readFile(files.train.path, 'utf8')).split('\n', 1)[0];
    expect(header.split(',')).toEqual([...DEMO_COLUMNS]);
    const [stats] = await query(`
      SELECT avg(rain_within_4h) AS rain_rate,
             avg(CASE WHEN humidity IS NULL THEN 1 ELSE 0 END) AS humidity_missing,
             count(DISTINCT station) AS stations,
             corr(temperature_c, temperature_in_4h_c) AS persistence
      FROM read_csv('${files.train.path}')`);
    expect(Number(stats.rain_rate)).toBeGreaterThan(0.1);
    expect(Number(stats.rain_rate)).toBeLessThan(0.5);
    expect(Number(stats.humidity_missing)).toBeGreaterThan(0.005);
    expect(Number(stats.stations)).toBe(4);
    expect(Number(stats.persistence)).toBeGreaterThan(0.6);
  });

  test('the rain target looks forward: it is 1 exactly when rain or snow falls in the next 4 hours', async () => {
    const single = await writeDemoData({ dir: join(dir, 'single'), rows: 4000, seed: 11, layout: 'single' });
    const [check] = await query(`
      WITH rows AS (SELECT *, row_number() OVER () AS i FROM read_csv('${single.weather.path}')),
      station_rows AS (SELECT *, row_number() OVER (PARTITION BY station ORDER BY i) AS hour FROM rows),
      expected AS (
        SELECT a.hour, a.station, a.rain_within_4h,
               max(CASE WHEN b.weather_type IN ('rain', 'snow') THEN 1 ELSE 0 END) AS rain_ahead
        FROM station_rows a JOIN station_rows b ON a.station = b.station AND b.hour BETWEEN a.hour + 1 AND a.hour + 4
        GROUP BY ALL HAVING count(*) = 4)
      SELECT count(*) AS rows, sum(CASE WHEN rain_within_4h = rain_ahead THEN 1 ELSE 0 END) AS agree FROM expected`);
    expect(Number(check.rows)).toBeGreaterThan(3900);
    expect(Number(check.agree)).toBe(Number(check.rows));
  });

  test('production data drifts: warmer, an unseen station, invalid zero pressure readings', async () => {
    const [train] = await query(`SELECT avg(temperature_c) t FROM read_csv('${files.train.path}')`);
    const [production] = await query(`
      SELECT avg(temperature_c) t, count(*) FILTER (WHERE station = 'uusikaupunki') new_station,
             count(*) FILTER (WHERE pressure_millibars = 0) zero_pressure
      FROM read_csv('${files.production.path}')`);
    expect(Number(production.new_station)).toBeGreaterThan(0);
    expect(Number(production.zero_pressure)).toBeGreaterThan(0);
    expect(Number(production.t)).not.toBeCloseTo(Number(train.t), 0);
  });

  test('the same seed gives byte-identical files; another seed does not', async () => {
    const again = await writeDemoData({ dir: join(dir, 'again'), rows: 6000, seed: 7, layout: 'splits' });
    const other = await writeDemoData({ dir: join(dir, 'other'), rows: 6000, seed: 8, layout: 'splits' });
    const original = await readFile(files.train.path);
    expect((await readFile(again.train.path)).equals(original)).toBe(true);
    expect((await readFile(other.train.path)).equals(original)).toBe(false);
  });
});
