/**
 * Routing throughput on the demo network, one core: single-line orders over every SKU and
 * country, five-line and eight-line orders (which run the exhaustive split search, up to its
 * 8-line limit). Each workload is warmed up, then measured for at least `seconds` of wall time in
 * slices interleaved with a fixed calibration workload (bench/calibration.ts), and reported
 * beside its ratio to it. Run through `npm run bench`.
 */
import { loadNetworkDir } from '#network/load.ts';
import type { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { route } from '#routing/route.ts';
import { interleaved } from './calibration.ts';

export interface RoutingBenchResult {
  readonly singleLinePerSec: number;
  readonly fiveLinePerSec: number;
  readonly eightLinePerSec: number;
  /** Calibration units per second, measured interleaved with each workload (their mean). */
  readonly calibrationPerSec: number;
  /** Each figure ÷ the calibration rate of its own slices: what compares across runs and machines. */
  readonly perCalibration: { readonly singleLine: number; readonly fiveLine: number; readonly eightLine: number };
}

export interface RoutingBenchOptions {
  /** Measured time per workload after warm-up (default 2 s). */
  readonly seconds?: number;
  readonly dataDir?: string;
  readonly now?: Date;
}

const COUNTRIES = ['ES', 'DE', 'FR', 'PL', 'IT', 'NL'];

/** A small deterministic generator (mulberry32), so every run routes the same orders. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeOrder(id: number, sellerId: string, country: string, lines: [string, number][], now: Date): CanonicalOrder {
  return {
    orderId: `bench-${id}`,
    sellerId,
    marketplace: 'bench',
    externalId: String(id),
    placedAt: now.toISOString(),
    shipTo: { country },
    lines: lines.map(([sku, qty]) => ({ sku, qty })),
  };
}

/** Every seller's SKU to every country, quantities 1–3. */
export function singleLineOrders(network: NetworkSnapshot, now: Date): CanonicalOrder[] {
  const out: CanonicalOrder[] = [];
  for (const sku of network.skus) {
    for (const country of COUNTRIES) {
      for (const qty of [1, 2, 3]) out.push(makeOrder(out.length, sku.sellerId, country, [[sku.sku, qty]], now));
    }
  }
  return out;
}

/** `lines` lines (default five) of one seller's SKUs (repeats allowed), random countries and quantities. */
export function fiveLineOrders(network: NetworkSnapshot, now: Date, count = 300, linesPerOrder = 5): CanonicalOrder[] {
  const next = random(20261123 + linesPerOrder - 5);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const sellers = network.sellers.map((s) => ({ id: s.id, skus: network.skus.filter((k) => k.sellerId === s.id).map((k) => k.sku) }));
  const out: CanonicalOrder[] = [];
  while (out.length < count) {
    const seller = pick(sellers);
    if (seller.skus.length === 0) continue;
    const lines: [string, number][] = [];
    for (let i = 0; i < linesPerOrder; i++) lines.push([pick(seller.skus), 1 + Math.floor(next() * 3)]);
    out.push(makeOrder(out.length, seller.id, pick(COUNTRIES), lines, now));
  }
  return out;
}

/**
 * Decisions per second routing `orders` round-robin, in slices interleaved with the calibration
 * workload for ≥ `seconds` in all, after a warm-up of both.
 */
export function measure(orders: readonly CanonicalOrder[], network: NetworkSnapshot, now: Date, seconds: number) {
  let sink = 0;
  const result = interleaved(
    () => {
      // The clock is read once per pass over the orders: reading it costs more than a decision.
      for (const order of orders) sink += route(order, network, now).candidates.length;
      return orders.length;
    },
    { rounds: 20, sliceMs: (seconds * 1000) / 20 },
  );
  if (sink === 0) throw new Error('bench: no candidates at all — is the demo network empty?');
  return result;
}

/** Run the three workloads on the demo network. */
export async function benchRouting(options: RoutingBenchOptions = {}): Promise<RoutingBenchResult & { orders: { single: number; five: number; eight: number; routedShare: number } }> {
  const now = options.now ?? new Date('2026-11-23T08:00:00Z');
  const seconds = options.seconds ?? 2;
  const { snapshot } = await loadNetworkDir(options.dataDir ?? 'data/demo', { now });
  const single = singleLineOrders(snapshot, now);
  const five = fiveLineOrders(snapshot, now);
  const eight = fiveLineOrders(snapshot, now, 100, 8);
  const all = [...single, ...five, ...eight];
  const routed = all.filter((o) => route(o, snapshot, now).status === 'routed').length;
  const s1 = measure(single, snapshot, now, seconds);
  const s5 = measure(five, snapshot, now, seconds);
  const s8 = measure(eight, snapshot, now, seconds);
  return {
    singleLinePerSec: s1.perSec,
    fiveLinePerSec: s5.perSec,
    eightLinePerSec: s8.perSec,
    calibrationPerSec: Math.round((s1.calibrationPerSec + s5.calibrationPerSec + s8.calibrationPerSec) / 3),
    perCalibration: { singleLine: s1.ratio, fiveLine: s5.ratio, eightLine: s8.ratio },
    orders: { single: single.length, five: five.length, eight: eight.length, routedShare: routed / all.length },
  };
}
