/**
 * Small statistics the planner needs, hand-written because each is a few lines and the
 * libraries that have them bring far more than they give: the normal quantile (safety stock
 * for a service level), a weekday test (is there a weekly pattern?) and a seeded generator.
 */

/**
 * The standard normal quantile Φ⁻¹(p), by Acklam's rational approximation (relative error
 * < 1.2e-9 over (0, 1)), which is far finer than any demand forecast.
 * @example normalQuantile(0.95) // 1.6448536…
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Upper 1 % points of F(6, n) (standard tables), by n; between rows interpolated in 1/n. */
const F6_01: readonly [number, number][] = [
  [7, 7.19], [8, 6.37], [9, 5.8], [10, 5.39], [12, 4.82], [14, 4.46], [16, 4.2], [18, 4.01], [20, 3.87],
  [24, 3.67], [30, 3.47], [40, 3.29], [60, 3.12], [120, 2.96], [Infinity, 2.8],
];

/** The 1 % critical value of F with 6 and `df2` degrees of freedom. */
export function f6Critical(df2: number): number {
  if (df2 < 7) return Infinity;
  for (let i = 1; i < F6_01.length; i++) {
    const [n1, f1] = F6_01[i - 1]!;
    const [n2, f2] = F6_01[i]!;
    if (df2 <= n2) {
      const t = (1 / n1 - 1 / df2) / (1 / n1 - (n2 === Infinity ? 0 : 1 / n2));
      return f1 + (f2 - f1) * t;
    }
  }
  return 2.8;
}

export interface DailyStats {
  /** Mean units per day over the observed days. */
  readonly unitsPerDay: number;
  /** Standard deviation of a day's units (after the weekly pattern when there is one). */
  readonly sdPerDay: number;
  /**
   * Multipliers of the mean by UTC weekday (index 0 = Monday), averaging 1, when a one-way
   * analysis of variance by weekday is significant at 1 % over at least two weeks; else null.
   */
  readonly weekly: readonly number[] | null;
}

/**
 * Mean, variability and weekly pattern of a daily series. `weekdayOf0` is the weekday
 * (0 = Monday) of `daily[0]`.
 * @example dailyStats([3, 5, 4, 4], 0) // { unitsPerDay: 4, sdPerDay: 0.816…, weekly: null }
 */
export function dailyStats(daily: ArrayLike<number>, weekdayOf0: number): DailyStats {
  const n = daily.length;
  if (n === 0) return { unitsPerDay: 0, sdPerDay: 0, weekly: null };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += daily[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (daily[i]! - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  if (n < 14 || mean === 0) return { unitsPerDay: mean, sdPerDay: sd, weekly: null };
  const groupSum = [0, 0, 0, 0, 0, 0, 0];
  const groupN = [0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const g = (weekdayOf0 + i) % 7;
    groupSum[g]! += daily[i]!;
    groupN[g]! += 1;
  }
  const groupMean = groupSum.map((s, g) => s / groupN[g]!);
  let ssWithin = 0;
  for (let i = 0; i < n; i++) ssWithin += (daily[i]! - groupMean[(weekdayOf0 + i) % 7]!) ** 2;
  const ssBetween = ss - ssWithin;
  const df2 = n - 7;
  const residualSd = Math.sqrt(ssWithin / df2);
  const significant = ssWithin === 0 ? ssBetween > 0 : ssBetween / 6 / (ssWithin / df2) > f6Critical(df2);
  if (!significant) return { unitsPerDay: mean, sdPerDay: sd, weekly: null };
  // Normalise over the weekdays, not the days, so the factors average exactly 1 whatever
  // weekday the window starts on.
  const avg = groupMean.reduce((s, m) => s + m, 0) / 7;
  return { unitsPerDay: mean, sdPerDay: residualSd, weekly: groupMean.map((m) => m / avg) };
}

/** A small seeded generator (mulberry32): the same seed gives the same sequence in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson draw with mean `lambda` (Knuth's product method in chunks, exact for any mean). */
export function poisson(random: () => number, lambda: number): number {
  let k = 0;
  let left = lambda;
  while (left > 0) {
    const step = Math.min(left, 30);
    left -= step;
    const limit = Math.exp(-step);
    let p = random();
    while (p > limit) {
      k++;
      p *= random();
    }
  }
  return k;
}
