/**
 * The statistics behind drift, as plain functions of counts. Where scipy.stats has the same test, the
 * method follows it (ks_2samp with method "auto", chi2_contingency with Yates' correction for one
 * degree of freedom) and tests/fixtures/drift/ holds scipy's values for the same data.
 */

// ---------- special functions ----------

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularized upper incomplete gamma Q(a, x) (series below a + 1, continued fraction above). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Survival function of the chi-square distribution (scipy.stats.chi2.sf). */
export function chi2Sf(statistic: number, dof: number): number {
  if (dof <= 0) return Number.NaN;
  return Math.min(1, Math.max(0, gammaQ(dof / 2, statistic / 2)));
}

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

// ---------- Kolmogorov-Smirnov ----------

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** P(D ≥ h/n) for two samples of equal size n (the proportion of lattice paths leaving the band). */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D ≥ d) for samples of sizes m and n, by counting the lattice paths from (0,0) to (m,n) that stay
 * strictly inside |x/m − y/n| < h/lcm; the recursion tracks the complement directly (the
 * numerically stable form of Hodges' inside method), column by column over a sliding window.
 */
function probOutsideInside(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const size = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(Math.max(size, n + 2)).fill(1);
  for (let j = minj; j < maxj; j++) a[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let value = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      value = (a[jj + minj - lastminj] * i + value * j) / (i + j);
      a[jj] = value;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1];
}

/** Exact two-sided p-value of the two-sample KS test (scipy's "exact" method), or null when it overflows. */
export function ksExactPValue(n1: number, n2: number, d: number): number | null {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideInside(n1, n2, g, h);
  return Number.isFinite(p) && p >= 0 && p <= 1 ? p : null;
}

/** One-sided Smirnov survival function P(D⁺_n ≥ d), exact (Birnbaum–Tingey), in log space. */
export function smirnovSf(n: number, d: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const last = Math.floor(n * (1 - d));
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    const a = 1 - d - j / n;
    const b = d + j / n;
    if (a <= 0) continue;
    sum += Math.exp(logChoose(n, j) + (n - j) * Math.log(a) + (j - 1) * Math.log(b));
  }
  return Math.min(1, d * sum);
}

/** Kolmogorov CDF P(D_n ≤ d) by the Durbin matrix (Marsaglia–Tsang–Wang), scaled against overflow. */
function kolmogorovDurbin(n: number, d: number): number {
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1];
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];
  const multiply = (A: Float64Array, B: Float64Array) => {
    const C = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
      for (let l = 0; l < m; l++) {
        const a = A[i * m + l];
        if (a === 0) continue;
        for (let j = 0; j < m; j++) C[i * m + j] += a * B[l * m + j];
      }
    return C;
  };
  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let base = H;
  let exponent = 0;
  let baseExponent = 0;
  const SCALE = 2 ** 128;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2) {
      power = multiply(power, base);
      exponent += baseExponent;
    }
    base = multiply(base, base);
    baseExponent *= 2;
    if (Math.abs(base[(k - 1) * m + (k - 1)]) > SCALE) {
      for (let i = 0; i < base.length; i++) base[i] /= SCALE;
      baseExponent += 128;
    }
  }
  let p = power[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < 2 ** -128) {
      p *= SCALE;
      exponent -= 128;
    }
  }
  return p * 2 ** exponent;
}

/** Pelz–Good asymptotic for the Kolmogorov CDF P(D_n ≤ x), for large n. */
function kolmogorovPelzGood(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI ** 2;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qpower + coefficients[i];
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * sqrt2pi) / divisors[i];
  q = Math.exp(-pi2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qk = q ** k2;
    k2extra += k2 * qk;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
  }
  K[2] += (k2extra * pi2 * sqrt2pi) / (-36 * z3);
  K[3] += (k3extra * pi2 * sqrt2pi) / (216 * z6);
  return K[0] + K[1] / Math.sqrt(n) + K[2] / n + K[3] / n ** 1.5;
}

/** Survival function of the two-sided one-sample Kolmogorov statistic, P(D_n ≥ x) (scipy.stats.kstwo.sf). */
export function kolmogorovSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let logProb = 0;
    for (let i = 1; i <= n; i++) logProb += Math.log((i / n) * (2 * t - 1));
    return 1 - Math.exp(logProb);
  }
  if (t >= n - 1) return Math.min(1, 2 * (1 - x) ** n);
  if (x >= 0.5) return Math.min(1, 2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return Math.min(1, 2 * smirnovSf(n, x));
  let cdf: number;
  if (nx2 >= 18) cdf = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = kolmogorovDurbin(n, x);
  else cdf = kolmogorovPelzGood(n, x);
  return Math.min(1, Math.max(0, 1 - cdf));
}

/** Two-sided p-value of ks_2samp(method="auto"): exact up to 10,000 rows per side, else the asymptotic kstwo. */
export function ksPValue(n1: number, n2: number, d: number): number {
  if (Math.max(n1, n2) <= 10000) {
    const exact = ksExactPValue(n1, n2, d);
    if (exact !== null) return Math.min(1, Math.max(0, exact));
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  return Math.min(1, Math.max(0, kolmogorovSf(Math.round(en), d)));
}

// ---------- chi-square on a 2×k table ----------

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

/** scipy.stats.chi2_contingency([reference, current]) with its default Yates correction when dof = 1. */
export function chiSquareTwoRows(reference: number[], current: number[]): ChiSquareResult {
  const columns = reference.map((value, index) => value + current[index]);
  const kept = columns.map((total, index) => index).filter((index) => columns[index] > 0);
  const rows = [kept.map((index) => reference[index]), kept.map((index) => current[index])];
  const rowTotals = rows.map((row) => row.reduce((sum, value) => sum + value, 0));
  const total = rowTotals[0] + rowTotals[1];
  const dof = kept.length - 1;
  if (dof <= 0 || rowTotals[0] === 0 || rowTotals[1] === 0)
    return { statistic: 0, pValue: 1, dof: Math.max(dof, 0) };
  let statistic = 0;
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < kept.length; c++) {
      const expected = (rowTotals[r] * columns[kept[c]]) / total;
      let observed = rows[r][c];
      if (dof === 1) {
        const difference = expected - observed;
        observed += Math.sign(difference) * Math.min(0.5, Math.abs(difference));
      }
      statistic += (observed - expected) ** 2 / expected;
    }
  }
  return { statistic, pValue: chi2Sf(statistic, dof), dof };
}

// ---------- distances on shared bins ----------

/** Evidently's floor for an empty bin in PSI (a fraction of zero would make PSI infinite). */
export const PSI_EPSILON = 0.0001;

function fractions(counts: number[]): number[] {
  const total = counts.reduce((sum, value) => sum + value, 0);
  return counts.map((value) => (total ? value / total : 0));
}

/** Population stability index, Σ (c − r) ln(c / r), empty bins floored at PSI_EPSILON. */
export function psi(reference: number[], current: number[]): number {
  const r = fractions(reference).map((value) => (value === 0 ? PSI_EPSILON : value));
  const c = fractions(current).map((value) => (value === 0 ? PSI_EPSILON : value));
  return r.reduce((sum, value, index) => sum + (c[index] - value) * Math.log(c[index] / value), 0);
}

/** Jensen–Shannon distance with natural logarithms (scipy.spatial.distance.jensenshannon). */
export function jensenShannon(reference: number[], current: number[]): number {
  const p = fractions(reference);
  const q = fractions(current);
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    if (p[i] > 0) divergence += 0.5 * p[i] * Math.log(p[i] / m);
    if (q[i] > 0) divergence += 0.5 * q[i] * Math.log(q[i] / m);
  }
  return Math.sqrt(Math.max(0, divergence));
}

/** Benjamini–Hochberg adjusted p-values, in the input order (nulls stay null). */
export function benjaminiHochberg(pValues: (number | null)[]): (number | null)[] {
  const indexed = pValues
    .map((value, index) => ({ value, index }))
    .filter(
      (entry): entry is { value: number; index: number } =>
        entry.value !== null && Number.isFinite(entry.value),
    )
    .sort((a, b) => a.value - b.value);
  const m = indexed.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { value, index } = indexed[rank - 1];
    running = Math.min(running, (value * m) / rank);
    adjusted[index] = Math.min(1, running);
  }
  return adjusted;
}
