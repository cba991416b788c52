/**
 * `silkroute simulate` (issue 13, item 5): a seeded month of realistic orders for the demo
 * sellers, routed one by one through the routing core as the service would — stock drawn down by
 * every warehouse shipment, rail capacity by every train booking — and written as routing
 * history (docs/decisions/0019-routing-history-lines.md). With `followPlan`, each departure's
 * load plan is made shortly before its cut-off from the history so far and loaded: its units
 * book the train and become stock on arrival, which is how the plan proves its worth.
 * Pure and deterministic: the same files, days, seed and `now` give the same history.
 */
import type { CanonicalOrder, StockRecord } from '#network/schemas.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import type { NetworkFiles, NetworkSnapshot } from '#network/types.ts';
import { reservationsOf, route as coreRoute } from '#routing/route.ts';
import { DAY_MS } from './demand.ts';
import type { HistoryEntry } from './history.ts';
import { plan, type DeparturePlan, type InboundLot, type RouteFn } from './plan.ts';
import { poisson, seededRandom } from './stats.ts';

/** Units a day per demo SKU; a SKU of other data gets DEFAULT_RATE. */
const RATES: Readonly<Record<string, number>> = {
  'TEE-COT': 36, 'DRESS-PLY': 14, HOODIE: 10,
  'SOCKS-5': 18, 'UMB-3F': 7, 'UMB-GOLF': 2, 'BLOCKS-500': 5, 'BAUBLES-12': 9, 'CLIPS-6': 14, 'PWR-10K': 4,
};
const DEFAULT_RATE = 3;
/** Share of orders per destination (other countries of the data get 0.05). */
const COUNTRY_WEIGHT: Readonly<Record<string, number>> = { DE: 0.3, FR: 0.17, ES: 0.15, IT: 0.14, NL: 0.12, PL: 0.12 };
/** Online shoppers order most on Sunday evening and Monday, least on Saturday (Mon..Sun). */
const WEEKDAY = [1.15, 1.05, 1.0, 0.95, 0.9, 0.8, 1.15];
/** A unit's sale price over its customs value, for the order lines' unitPrice. */
const MARKUP = 3.5;

export interface SimulateInput {
  readonly files: NetworkFiles;
  readonly days: number;
  /** The simulated period ends here (exclusive). */
  readonly now: Date;
  readonly seed?: number;
  /** Load each departure's plan before its cut-off (default: never replenish). */
  readonly followPlan?: { readonly capacityCbm?: number; readonly serviceLevel?: number };
  readonly route?: RouteFn;
}

export interface SimulateResult {
  readonly history: HistoryEntry[];
  /** Stock left at the end, as `stock.json` records. */
  readonly stock: StockRecord[];
  /** Planned lots still on their way at the end. */
  readonly inbound: InboundLot[];
  /** Every plan loaded (with followPlan). */
  readonly loads: DeparturePlan[];
}

/**
 * Simulate `days` days of orders ending at `now`.
 * @example simulate({ files, days: 30, now: new Date('2026-12-01T00:00:00Z'), seed: 1 }).history.length // ≈ 3,000
 */
export function simulate(input: SimulateInput): SimulateResult {
  if (!(Number.isInteger(input.days) && input.days >= 1 && input.days <= 366)) throw new RangeError(`days must be a whole number from 1 to 366, got ${input.days}`);
  const route = input.route ?? coreRoute;
  const random = seededRandom(input.seed ?? 1);
  const endMs = input.now.getTime();
  const startMs = endMs - input.days * DAY_MS;
  const countries = Object.keys(input.files.duties.countries).sort();
  const weights = countries.map((c) => COUNTRY_WEIGHT[c] ?? 0.05);
  const skusBySeller = new Map<string, typeof input.files.skus>();
  for (const s of input.files.skus) skusBySeller.set(s.sellerId, [...(skusBySeller.get(s.sellerId) ?? []), s]);

  const stock = new Map<string, StockRecord>();
  for (const r of input.files.stock) stock.set(`${r.sellerId}\u0000${r.warehouseId}\u0000${r.sku}`, { ...r });
  const usedLitres = new Map<string, number>();
  const capacity = new Map<string, number>();
  const lots: InboundLot[] = [];
  const loads: DeparturePlan[] = [];
  const history: HistoryEntry[] = [];
  const planned = new Set<string>();
  let seq = 0;

  const snapshotAt = (ms: number): NetworkSnapshot => {
    // Whole litres, as the snapshot keeps them (ADR 0010).
    const remainingLitres = new Map<string, number>();
    for (const [id, litres] of usedLitres) remainingLitres.set(id, (capacity.get(id) ?? 0) - litres);
    const snap = buildSnapshot({ ...input.files, stock: [...stock.values()] }, new Date(ms), { remainingLitres });
    for (const l of snap.railLanes) for (const d of l.departures) if (!capacity.has(d.id)) capacity.set(d.id, d.capacityLitres);
    return snap;
  };
  const receive = (dayMs: number) => {
    for (let i = lots.length - 1; i >= 0; i--) {
      const lot = lots[i]!;
      if (Date.parse(lot.arrivesOn) > dayMs) continue;
      const key = `${lot.sellerId}\u0000${lot.warehouseId}\u0000${lot.sku}`;
      const rec = stock.get(key) ?? { sellerId: lot.sellerId!, warehouseId: lot.warehouseId, sku: lot.sku, available: 0 };
      stock.set(key, { ...rec, available: rec.available + lot.units });
      lots.splice(i, 1);
    }
  };

  for (let day = 0; day < input.days; day++) {
    const dayStart = startMs + day * DAY_MS;
    const weekday = (new Date(dayStart).getUTCDay() + 6) % 7;
    type Event = { at: number; order?: CanonicalOrder; departureId?: string };
    const events: Event[] = [];
    for (const seller of [...input.files.sellers].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const skus = skusBySeller.get(seller.id) ?? [];
      for (const sku of skus) {
        const n = poisson(random, (RATES[sku.sku] ?? DEFAULT_RATE) * WEEKDAY[weekday]! * 0.8);
        for (let k = 0; k < n; k++) {
          const at = dayStart + Math.floor(random() * DAY_MS);
          const country = pick(random, countries, weights);
          const lines = [line(random, sku)];
          if (random() < 0.12 && skus.length > 1) {
            const other = skus[Math.floor(random() * skus.length)]!;
            if (other.sku !== sku.sku) lines.push(line(random, other));
          }
          const express = random() < 0.08;
          seq++;
          const id = `sim_${new Date(dayStart).toISOString().slice(0, 10).replaceAll('-', '')}_${String(seq).padStart(6, '0')}`;
          events.push({
            at,
            order: {
              orderId: id,
              sellerId: seller.id,
              marketplace: 'simulated',
              externalId: id,
              placedAt: new Date(at).toISOString(),
              currency: 'EUR',
              shipTo: { country },
              lines,
              ...(express ? { serviceLevel: 'express' as const } : {}),
            },
          });
        }
      }
    }
    if (input.followPlan !== undefined) {
      for (const lane of snapshotAt(dayStart).railLanes) {
        for (const d of lane.departures) {
          const cutoff = Date.parse(d.cutoffAt);
          if (cutoff >= dayStart && cutoff < dayStart + DAY_MS && !planned.has(d.id)) events.push({ at: Math.max(dayStart, cutoff - 2 * 3_600_000), departureId: d.id });
        }
      }
    }
    // A plan at the same instant as an order goes first; ids break any remaining tie.
    const idOf = (e: Event) => (e.departureId !== undefined ? `0${e.departureId}` : `1${e.order!.orderId}`);
    events.sort((a, b) => a.at - b.at || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));

    for (const e of events) {
      receive(Math.floor(e.at / DAY_MS) * DAY_MS);
      const snap = snapshotAt(e.at);
      if (e.departureId !== undefined) {
        planned.add(e.departureId);
        const p = plan({
          history,
          network: snap,
          now: new Date(e.at),
          inbound: lots,
          departureId: e.departureId,
          route,
          ...(input.followPlan?.capacityCbm === undefined ? {} : { capacityCbm: input.followPlan.capacityCbm }),
          ...(input.followPlan?.serviceLevel === undefined ? {} : { serviceLevel: input.followPlan.serviceLevel }),
        });
        for (const dp of p.departures) {
          if (dp.lines.length === 0) continue;
          loads.push(dp);
          usedLitres.set(dp.departureId, (usedLitres.get(dp.departureId) ?? 0) + Math.ceil(dp.usedCbm * 1000 - 1e-9));
          for (const l of dp.lines) lots.push({ sellerId: dp.sellerId, warehouseId: dp.warehouseId, sku: l.sku, units: l.units, arrivesOn: dp.arrivesOn });
        }
        continue;
      }
      const order = e.order!;
      const decision = route(order, snap, new Date(e.at));
      const taken = reservationsOf(decision, snap);
      for (const s of taken.stock) {
        const key = `${order.sellerId}\u0000${s.warehouseId}\u0000${s.sku}`;
        const rec = stock.get(key)!;
        stock.set(key, { ...rec, available: rec.available - s.qty });
      }
      for (const c of taken.capacity) usedLitres.set(c.departureId, (usedLitres.get(c.departureId) ?? 0) + c.litres);
      history.push({ order, decision });
    }
  }
  receive(Math.floor(endMs / DAY_MS) * DAY_MS - 1);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    history,
    stock: [...stock.values()].sort((a, b) => cmp(a.sellerId, b.sellerId) || cmp(a.warehouseId, b.warehouseId) || cmp(a.sku, b.sku)),
    inbound: lots.sort((a, b) => cmp(a.arrivesOn, b.arrivesOn) || cmp(a.warehouseId, b.warehouseId) || cmp(a.sku, b.sku)),
    loads,
  };
}

function line(random: () => number, sku: NetworkFiles['skus'][number]): CanonicalOrder['lines'][number] {
  const r = random();
  const qty = r < 0.78 ? 1 : r < 0.95 ? 2 : 3;
  const eur = Math.round(sku.customsValue.amount * MARKUP * 100) / 100;
  return { sku: sku.sku, qty, unitPrice: { amount: eur, currency: sku.customsValue.currency } };
}

function pick<T>(random: () => number, xs: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((s, w) => s + w, 0);
  let r = random() * total;
  for (let i = 0; i < xs.length; i++) {
    r -= weights[i]!;
    if (r < 0) return xs[i]!;
  }
  return xs[xs.length - 1]!;
}
