/**
 * Routing throughput on the demo network, one core: single-line orders over every SKU and
 * country, and five-line orders (which run the exhaustive split search). Each workload is warmed
 * up, then measured for at least `seconds` of wall time. Run through `npm run bench`.
 */
import { loadNetworkDir } from '#network/load.ts';
import type { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { route } from '#routing/route.ts';

export interface RoutingBenchResult {
  readonly singleLinePerSec: number;
  readonly fiveLinePerSec: number;
  /** Eight-line orders: the largest the exhaustive split search takes (reported, no target). */
  readonly eightLinePerSec: number;
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

/** Five lines of one seller's SKUs (repeats allowed), random countries and quantities. */
export function fiveLineOrders(network: NetworkSnapshot, now: Date, count = 300): CanonicalOrder[] {
  return manyLineOrders(network, now, 5, count);
}

/** `lines` lines of one seller's SKUs (repeats allowed), random countries and quantities. */
export function manyLineOrders(network: NetworkSnapshot, now: Date, lineCount: number, count = 300): CanonicalOrder[] {
  const next = random(lineCount === 5 ? 20261123 : 20261123 + lineCount);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const sellers = network.sellers.map((s) => ({ id: s.id, skus: network.skus.filter((k) => k.sellerId === s.id).map((k) => k.sku) }));
  const out: CanonicalOrder[] = [];
  while (out.length < count) {
    const seller = pick(sellers);
    if (seller.skus.length === 0) continue;
    const lines: [string, number][] = [];
    for (let i = 0; i < lineCount; i++) lines.push([pick(seller.skus), 1 + Math.floor(next() * 3)]);
    out.push(makeOrder(out.length, seller.id, pick(COUNTRIES), lines, now));
  }
  return out;
}

/** Decisions per second routing `orders` round-robin for ≥ `seconds` after a warm-up. */
export function measure(orders: readonly CanonicalOrder[], network: NetworkSnapshot, now: Date, seconds: number): number {
  let sink = 0;
  const run = (minMs: number): { n: number; ms: number } => {
    const start = performance.now();
    let n = 0;
    let elapsed = 0;
    do {
      // Check the clock once per batch of orders: reading it costs more than a decision.
      for (const order of orders) {
        const d = route(order, network, now);
        sink += d.candidates.length;
      }
      n += orders.length;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    return { n, ms: elapsed };
  };
  run(Math.min(1000, seconds * 250)); // warm-up: let the JIT settle
  const { n, ms } = run(seconds * 1000);
  if (sink === 0) throw new Error('bench: no candidates at all — is the demo network empty?');
  return Math.round((n * 1000) / ms);
}

/** Run both workloads on the demo network. */
export async function benchRouting(options: RoutingBenchOptions = {}): Promise<RoutingBenchResult & { orders: { single: number; five: number; eight: number; routedShare: number } }> {
  const now = options.now ?? new Date('2026-11-23T08:00:00Z');
  const seconds = options.seconds ?? 2;
  const { snapshot } = await loadNetworkDir(options.dataDir ?? 'data/demo', { now });
  const single = singleLineOrders(snapshot, now);
  const five = fiveLineOrders(snapshot, now);
  const eight = manyLineOrders(snapshot, now, 8, 100);
  const all = [...single, ...five];
  const routed = all.filter((o) => route(o, snapshot, now).status === 'routed').length;
  return {
    singleLinePerSec: measure(single, snapshot, now, seconds),
    fiveLinePerSec: measure(five, snapshot, now, seconds),
    eightLinePerSec: measure(eight, snapshot, now, seconds),
    orders: { single: single.length, five: five.length, eight: eight.length, routedShare: routed / all.length },
  };
}
