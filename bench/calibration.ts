/**
 * A fixed CPU workload to measure beside every speed figure (issue 18, item 5). This machine is
 * shared: the same routing bench gave 76k and 152k decisions/s on one day. A figure divided by
 * the calibration's rate, measured in the same run and interleaved with it slice by slice, moves
 * only when the code does, so figures compare across runs and machines.
 *
 * The workload imitates the routing core's mix without calling any of our code (which would make
 * the yardstick move with the thing measured): small objects allocated and dropped, integer
 * arithmetic, a short sort, string keys in a Map. Fixed inputs, fixed work per unit.
 */

/** One unit of calibration work; returns a value so the JIT cannot drop it. */
export function calibrationUnit(seed: number): number {
  const items: { id: string; weight: number; cost: number }[] = [];
  let x = seed | 0;
  for (let i = 0; i < 24; i++) {
    x = (Math.imul(x ^ (x >>> 13), 0x5bd1e995) + i) | 0;
    items.push({ id: `k${x & 1023}`, weight: (x >>> 3) & 4095, cost: ((x >>> 7) & 65535) / 100 });
  }
  items.sort((a, b) => a.weight - b.weight || a.cost - b.cost);
  const byKey = new Map<string, number>();
  let total = 0;
  for (const item of items) {
    const sum = (byKey.get(item.id) ?? 0) + Math.round(item.cost * 100);
    byKey.set(item.id, sum);
    total += Math.max(sum, item.weight * 3);
  }
  return total + byKey.size;
}

export interface Interleaved {
  /** Units of the measured workload per second. */
  readonly perSec: number;
  /** Calibration units per second over the same slices. */
  readonly calibrationPerSec: number;
  /** perSec ÷ calibrationPerSec: comparable across runs and machines. */
  readonly ratio: number;
}

/**
 * Runs `work` (returns how many units it did) and the calibration alternately, `rounds` slices
 * of ≥ `sliceMs` each, after one warm-up slice of both. Both see the same neighbours.
 */
export function interleaved(work: () => number, options: { rounds?: number; sliceMs?: number } = {}): Interleaved {
  const rounds = options.rounds ?? 8;
  const sliceMs = options.sliceMs ?? 250;
  let sink = 0;
  const slice = (fn: () => number): { n: number; ms: number } => {
    const start = performance.now();
    let n = 0;
    let ms = 0;
    do {
      n += fn();
      ms = performance.now() - start;
    } while (ms < sliceMs);
    return { n, ms };
  };
  let seed = 1;
  const calibrate = () => {
    for (let i = 0; i < 64; i++) sink += calibrationUnit(seed++);
    return 64;
  };
  slice(work);
  slice(calibrate);
  let workN = 0;
  let workMs = 0;
  let calN = 0;
  let calMs = 0;
  for (let r = 0; r < rounds; r++) {
    const w = slice(work);
    workN += w.n;
    workMs += w.ms;
    const c = slice(calibrate);
    calN += c.n;
    calMs += c.ms;
  }
  if (sink === 0) throw new Error('calibration produced nothing');
  const perSec = Math.round((workN * 1000) / workMs);
  const calibrationPerSec = Math.round((calN * 1000) / calMs);
  return { perSec, calibrationPerSec, ratio: Math.round((perSec / calibrationPerSec) * 1e4) / 1e4 };
}
