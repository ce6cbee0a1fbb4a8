import { readFile } from 'node:fs/promises';
import metricsSchema from '../../schemas/metrics.schema.json' with { type: 'json' };
import { assertMatchesSchema } from '../../src/core/json-schema.js';
import { evaluate } from '../../src/core/evaluate/evaluate.js';
import { classificationMetrics } from '../../src/core/evaluate/classification-metrics.js';
import { prepareClassification } from '../../src/core/evaluate/classification-rows.js';
import { prepareRegression, regressionMetrics } from '../../src/core/evaluate/regression-metrics.js';
import { demoData, fixture, parseCsv, sigmoid } from './support.js';

const quick = {
  bootstrap: { resamples: 200, seed: 5 },
  latency: { singleRowRuns: 20, warmup: 2, batchRuns: 3, batchRows: 100 },
};
let data: Awaited<ReturnType<typeof demoData>>;

beforeAll(async () => {
  data = await demoData();
});

describe('evaluate (real DuckDB and onnxruntime-node)', () => {
  test('our own binary model: named inputs, baseline deltas, slices; metrics follow from the written predictions', async () => {
    const { document, predictionsCsv } = await evaluate({
      model: fixture('own-binary.onnx'),
      baseline: fixture('own-binary-baseline.onnx'),
      data: data.test,
      target: 'rain_within_4h',
      slices: ['station', 'humidity'],
      predictions: true,
      ...quick,
    });
    assertMatchesSchema(metricsSchema, document, 'metrics.json');
    expect(document.task).toBe('binary');
    expect(document.classes).toEqual(['0', '1']);

    const source = parseCsv(await readFile(data.test, 'utf8'));
    const predictions = parseCsv(predictionsCsv!);
    expect(predictions).toHaveLength(source.length);
    predictions.forEach((row, index) => {
      // The hand-written model: softmax over two linear scores = sigmoid(12·humidity − 0.2·visibility − 9.4), NaN imputed.
      const humidity = source[index].humidity === '' ? 0.75 : Number(source[index].humidity);
      const visibility = source[index].visibility_km === '' ? 10 : Number(source[index].visibility_km);
      expect(row.actual).toBe(source[index].rain_within_4h);
      expect(Number(row.prob_1)).toBeCloseTo(sigmoid(12 * humidity - 0.2 * visibility - 9.4), 5);
    });
    const recomputed = classificationMetrics(
      prepareClassification({
        classes: ['0', '1'],
        actual: Int32Array.from(predictions, (row) => Number(row.actual)),
        predicted: Int32Array.from(predictions, (row) => Number(row.predicted)),
        probabilities: Float64Array.from(
          predictions.flatMap((row) => [Number(row.prob_0), Number(row.prob_1)]),
        ),
      }),
    );
    for (const [name, value] of Object.entries(recomputed))
      expect(document.metrics[name].value).toBeCloseTo(value, 12);
    for (const name of Object.keys(recomputed)) {
      const { value, interval } = document.metrics[name];
      expect(interval![0]).toBeLessThanOrEqual(value! + 1e-12);
      expect(interval![1]).toBeGreaterThanOrEqual(value! - 1e-12);
    }

    const [comparison] = document.comparisons;
    expect(comparison.role).toBe('baseline');
    expect(comparison.deltas.roc_auc.test).toBe('delong');
    expect(comparison.deltas.accuracy.test).toBe('mcnemar');
    expect(comparison.deltas.roc_auc.delta).toBeCloseTo(
      document.metrics.roc_auc.value! - comparison.metrics.roc_auc.value!,
      12,
    );

    const stations = document.slices.filter((slice) => slice.column === 'station');
    expect(stations.map((slice) => slice.value).sort()).toEqual(
      [...new Set(source.map((row) => row.station))].sort(),
    );
    expect(stations.reduce((sum, slice) => sum + slice.n, 0)).toBe(source.length);
    const humidity = document.slices.filter((slice) => slice.column === 'humidity');
    expect(humidity.reduce((sum, slice) => sum + slice.n, 0)).toBe(source.length);
    expect(humidity.some((slice) => slice.label === '(missing)')).toBe(true);
    for (const slice of document.slices) expect(slice.small).toBe(slice.n < 100);

    expect(document.metrics.latency_p95_ms.value).toBeGreaterThan(0);
    expect(document.metrics.model_size_bytes.value).toBe(
      (await readFile(fixture('own-binary.onnx'))).byteLength,
    );
    expect(document.model.opset['ai.onnx.ml']).toBe(2);
  });

  test('an skl2onnx-style model: [N,F] float input fed with --features, ZipMap probabilities read', async () => {
    const { document, predictionsCsv } = await evaluate({
      model: fixture('skl2onnx-binary.onnx'),
      data: data.complete,
      target: 'rain_within_4h',
      slices: [],
      features: ['humidity', 'visibility_km', 'pressure_millibars'],
      predictions: true,
      ...quick,
    });
    expect(document.model.binding).toContain('float_input');
    const source = parseCsv(await readFile(data.complete, 'utf8'));
    parseCsv(predictionsCsv!).forEach((row, index) => {
      const { humidity, visibility_km: visibility, pressure_millibars: pressure } = source[index];
      const logit = 8 * Number(humidity) - 0.3 * Number(visibility) - 0.04 * Number(pressure) + 36;
      expect(Number(row.prob_1)).toBeCloseTo(sigmoid(logit), 4);
    });
  });

  test('a multiclass model takes its class order from the classifier node', async () => {
    const { document } = await evaluate({
      model: fixture('own-multiclass.onnx'),
      data: data.test,
      target: 'weather_type',
      slices: [],
      ...quick,
    });
    expect(document.task).toBe('multiclass');
    expect(document.classes).toEqual(['clear', 'cloudy', 'fog', 'rain', 'snow']);
    expect(document.confusionMatrix!.matrix.flat().reduce((a, b) => a + b, 0)).toBe(document.n);
  });

  test('a regressor: values match the hand-written model and the metrics follow from them', async () => {
    const { document, predictionsCsv } = await evaluate({
      model: fixture('own-regressor.onnx'),
      data: data.test,
      target: 'temperature_in_4h_c',
      slices: ['station'],
      predictions: true,
      ...quick,
    });
    const source = parseCsv(await readFile(data.test, 'utf8'));
    const rows = parseCsv(predictionsCsv!);
    rows.forEach((row, index) => {
      const temperature = source[index].temperature_c === '' ? 8 : Number(source[index].temperature_c);
      const humidity = source[index].humidity === '' ? 0.75 : Number(source[index].humidity);
      expect(Number(row.predicted)).toBeCloseTo(0.95 * temperature - 1.5 * humidity + 1, 4);
    });
    const recomputed = regressionMetrics(
      prepareRegression({
        actual: Float64Array.from(rows, (row) => Number(row.actual)),
        predicted: Float64Array.from(rows, (row) => Number(row.predicted)),
      }),
    );
    for (const [name, value] of Object.entries(recomputed))
      expect(document.metrics[name].value).toBeCloseTo(value, 10);
  });

  test('the same inputs and seed give the same metrics (latency aside)', async () => {
    const run = () =>
      evaluate({
        model: fixture('own-binary.onnx'),
        data: data.test,
        target: 'rain_within_4h',
        slices: ['station'],
        ...quick,
      });
    const strip = ({ document }: Awaited<ReturnType<typeof run>>) => ({
      ...document,
      latency: null,
      metrics: Object.fromEntries(
        Object.entries(document.metrics).filter(([name]) => !/latency|rows_per_second/.test(name)),
      ),
    });
    expect(strip(await run())).toEqual(strip(await run()));
  });
});
