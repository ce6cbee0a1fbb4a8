import { SeededRandom } from '../../src/core/random.js';

/**
 * A synthetic hourly weather feed shaped like the book's Port of Turku case: several stations, a
 * latent moisture process and pressure swings that drive rain, sensor gaps, and two targets that
 * look forward in time (the book's own shift looked backward; ours does not).
 */
export const DEMO_COLUMNS = [
  'timestamp',
  'station',
  'temperature_c',
  'humidity',
  'wind_speed_kmph',
  'wind_bearing_degrees',
  'visibility_km',
  'pressure_millibars',
  'weather_type',
  'rain_within_4h',
  'temperature_in_4h_c',
] as const;

export const DEMO_TARGETS = { classification: 'rain_within_4h', regression: 'temperature_in_4h_c' } as const;
export const DEMO_FEATURES = DEMO_COLUMNS.filter(
  (column) =>
    column !== 'timestamp' && column !== DEMO_TARGETS.classification && column !== DEMO_TARGETS.regression,
);

export type DemoRow = (string | number | null)[];

export interface WeatherScenario {
  stations: { name: string; temperatureOffset: number }[];
  startTime: Date;
  /** Production drift: warmer, a biased humidity sensor, more gaps, invalid zero pressure readings. */
  warming: number;
  humidityBias: number;
  missingScale: number;
  zeroPressureRate: number;
}

export const TRAINING_SCENARIO: WeatherScenario = {
  stations: [
    { name: 'turku_harbour', temperatureOffset: 0 },
    { name: 'turku_airport', temperatureOffset: -0.8 },
    { name: 'naantali', temperatureOffset: 0.3 },
    { name: 'parainen', temperatureOffset: 0.6 },
  ],
  startTime: new Date(Date.UTC(2016, 0, 1)),
  warming: 0,
  humidityBias: 0,
  missingScale: 1,
  zeroPressureRate: 0,
};

export const PRODUCTION_SCENARIO: WeatherScenario = {
  stations: [...TRAINING_SCENARIO.stations, { name: 'uusikaupunki', temperatureOffset: -0.4 }],
  startTime: new Date(Date.UTC(2019, 5, 1)),
  warming: 3,
  humidityBias: 0.06,
  missingScale: 3,
  zeroPressureRate: 0.015,
};

interface StationState {
  temperatureAnomaly: number;
  pressureAnomaly: number;
  pressureHistory: number[];
  moisture: number;
  raining: boolean;
}

interface Observation {
  time: Date;
  temperature: number;
  humidity: number;
  windSpeed: number;
  windBearing: number;
  visibility: number;
  pressure: number;
  precipitating: boolean;
}

const HOUR_MS = 3_600_000;
const LOOKAHEAD_HOURS = 4;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function observe(
  state: StationState,
  time: Date,
  offset: number,
  scenario: WeatherScenario,
  random: SeededRandom,
) {
  const dayOfYear = (time.getTime() - Date.UTC(time.getUTCFullYear(), 0, 1)) / (24 * HOUR_MS);
  const hour = time.getUTCHours();
  state.temperatureAnomaly = 0.97 * state.temperatureAnomaly + 0.6 * random.normal();
  state.pressureAnomaly = 0.98 * state.pressureAnomaly + 1.6 * random.normal();
  state.moisture = 0.95 * state.moisture + 0.3 * random.normal();
  const pressure = 1013 + state.pressureAnomaly;
  const pressureDrop = (state.pressureHistory[0] ?? pressure) - pressure;
  state.pressureHistory.push(pressure);
  if (state.pressureHistory.length > 3) state.pressureHistory.shift();

  const rainHazard = state.raining
    ? sigmoid(1.2 + 0.8 * state.moisture + 0.05 * (1010 - pressure))
    : sigmoid(-4.2 + 1.3 * state.moisture + 0.07 * (1010 - pressure) + 0.45 * pressureDrop);
  state.raining = random.chance(rainHazard);

  const temperature =
    5.5 +
    scenario.warming +
    offset +
    11 * Math.sin((2 * Math.PI * (dayOfYear - 110)) / 365) +
    3 * Math.sin((2 * Math.PI * (hour - 9)) / 24) +
    state.temperatureAnomaly -
    (state.raining ? 1.5 : 0);
  const humidity = clamp(
    sigmoid(
      0.9 +
        0.9 * state.moisture +
        (state.raining ? 1.2 : 0) -
        0.04 * (temperature - 10) +
        0.25 * random.normal(),
    ) + scenario.humidityBias,
    0.12,
    1,
  );
  const windSpeed = Math.abs(9 + 1.1 * Math.max(pressureDrop, 0) * 3 + 5 * random.normal());
  const windBearing = Math.round((((225 + 70 * random.normal()) % 360) + 360) % 360) % 360;
  const visibility = clamp(
    16.1 - 9 * Math.max(humidity - 0.8, 0) * 5 - (state.raining ? 4 : 0) + random.normal(),
    0.1,
    16.1,
  );
  return {
    time,
    temperature,
    humidity,
    windSpeed,
    windBearing,
    visibility,
    pressure,
    precipitating: state.raining,
  } satisfies Observation;
}

function weatherType(observation: Observation, moisture: number): string {
  if (observation.precipitating) return observation.temperature <= 1 ? 'snow' : 'rain';
  if (observation.visibility < 2) return 'fog';
  return moisture > 0.3 ? 'cloudy' : 'clear';
}

function format(value: number, digits: number): string {
  return value.toFixed(digits);
}

function timestamp(time: Date): string {
  return time.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Yields rows in time order (every station each hour), never holding more than a few hours in memory,
 * so millions of rows can be streamed to disk. Missing readings are null.
 */
export function* generateWeather(
  rowCount: number,
  seed: number,
  scenario: WeatherScenario,
): Generator<DemoRow> {
  const random = new SeededRandom(seed);
  const stations = scenario.stations.map(() => ({
    temperatureAnomaly: 0,
    pressureAnomaly: 0,
    pressureHistory: [] as number[],
    moisture: 0,
    raining: false,
  }));
  const pending: { observation: Observation; station: number; moisture: number }[][] = [];
  let emitted = 0;
  for (let hourIndex = 0; emitted < rowCount; hourIndex++) {
    const time = new Date(scenario.startTime.getTime() + hourIndex * HOUR_MS);
    pending.push(
      scenario.stations.map((station, index) => {
        const observation = observe(stations[index], time, station.temperatureOffset, scenario, random);
        return { observation, station: index, moisture: stations[index].moisture };
      }),
    );
    if (pending.length <= LOOKAHEAD_HOURS) continue;
    const current = pending.shift()!;
    for (const { observation, station, moisture } of current) {
      if (emitted >= rowCount) break;
      const future = pending.map((hour) => hour[station].observation);
      yield toRow(observation, scenario.stations[station].name, moisture, future, scenario, random);
      emitted++;
    }
  }
}

function toRow(
  observation: Observation,
  station: string,
  moisture: number,
  future: Observation[],
  scenario: WeatherScenario,
  random: SeededRandom,
): DemoRow {
  const missing = (rate: number) => random.chance(rate * scenario.missingScale);
  const pressure = random.chance(scenario.zeroPressureRate) ? 0 : observation.pressure;
  return [
    timestamp(observation.time),
    station,
    format(observation.temperature, 2),
    missing(0.02) ? null : format(observation.humidity, 2),
    format(observation.windSpeed, 2),
    observation.windBearing,
    missing(0.03) ? null : format(observation.visibility, 2),
    missing(0.01) ? null : format(pressure, 2),
    weatherType(observation, moisture),
    future.some((hour) => hour.precipitating) ? 1 : 0,
    format(future[LOOKAHEAD_HOURS - 1].temperature, 2),
  ];
}
