/**
 * Planning at scale, one core (issue 13): demand from a month of 1,000,000 routing decisions,
 * then the load plan of every lane's next departure for 10,000 SKUs, on the demo network grown
 * to 10,000 SKUs (the demo's ten, each in 1,000 sizes). The decisions are synthesised as the
 * router stores them — the cheapest direct parcel, the warehouse's candidate either feasible or
 * short of stock with its params — and streamed (a generator), as a history file is read: a
 * million stored decisions would not fit a Lambda's memory, nor need to. The history fold's
 * time includes making the decisions, so it overstates. Then the demo month of
 * `silkroute simulate` with and without following the plan, for the README's figures.
 * Run through `npm run bench`; merged into bench/results.json as `{ "planning": {...} }`.
 */
import { loadNetworkDir } from '#network/load.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { collectDemand } from '#planning/demand.ts';
import type { HistoryEntry } from '#planning/history.ts';
import { plan } from '#planning/plan.ts';
import { report, type SellerSavings } from '#planning/report.ts';
import { simulate } from '#planning/simulate.ts';
import { seededRandom } from '#planning/stats.ts';

const DAY = 86_400_000;
const COUNTRIES = ['DE', 'FR', 'ES', 'IT', 'NL', 'PL'];

export interface PlanningBenchResult {
  readonly skus: number;
  readonly decisions: number;
  /** Folding the history into daily demand series (decisions synthesised on the way). */
  readonly demandMs: number;
  /** Of which making the decisions: a pass of the generator alone. */
  readonly synthesisMs: number;
  /** Pricing every SKU and destination through the router and loading each departure. */
  readonly planMs: number;
  readonly totalMs: number;
  /** The same as CPU time of this process (what one core spent, whatever else the machine runs). */
  readonly cpuMs: { readonly demand: number; readonly synthesis: number; readonly plan: number; readonly total: number };
  readonly departures: number;
  readonly linesPlanned: number;
  readonly demoMonth: Readonly<Record<string, { readonly currency: string; readonly followingPlan: number; readonly allDirect: number; readonly warehouseWhenInStock: number; readonly withoutPlan: number }>>;
}

/** The demo network with every SKU in `sizes` variants, a little larger or smaller each. */
export function grownNetwork(network: NetworkSnapshot, sizes: number): NetworkSnapshot {
  const skus = network.skus.flatMap((s) =>
    Array.from({ length: sizes }, (_, i) => {
      const f = 0.8 + (0.4 * i) / sizes;
      return { ...s, sku: `${s.sku}-${String(i).padStart(4, '0')}`, weightG: Math.round(s.weightG * f), dimsCm: s.dimsCm.map((d) => Math.round(d * f * 10) / 10) };
    }),
  );
  const stock = skus.filter((_, i) => i % 3 === 0).map((s) => ({ sellerId: s.sellerId, warehouseId: 'WH-DUI', sku: s.sku, available: 20 }));
  return { ...network, skus, stock };
}

/** `count` decisions over the 30 days before `now`, spread over every SKU and country. */
export function* syntheticHistory(network: NetworkSnapshot, count: number, now: Date): Generator<HistoryEntry> {
  const random = seededRandom(20261202);
  const start = Math.floor(now.getTime() / DAY) * DAY - 30 * DAY;
  const skus = network.skus;
  const currency = new Map(network.sellers.map((s) => [s.id, s.reportCurrency]));
  // Candidates as the router writes them, made once per SKU, stock state and quantity (they are
  // read, never changed): what varies per decision is the order.
  const variants = new Map<string, { candidates: HistoryEntry['decision']['candidates']; chosen: NonNullable<HistoryEntry['decision']['chosen']> }>();
  const variant = (sku: string, sellerId: string, inStock: boolean, qty: number) => {
    const key = `${sku}|${inStock}|${qty}`;
    let v = variants.get(key);
    if (v === undefined) {
      const cur = currency.get(sellerId)!;
      const direct = { routeId: 'direct:CN-STD', mode: 'direct-parcel', feasible: true, cost: { total: 7.06, currency: cur } };
      const warehouse = inStock
        ? { routeId: 'warehouse:WH-DUI', mode: 'overseas-warehouse', feasible: true, cost: { total: 6.1, currency: cur } }
        : { routeId: 'warehouse:WH-DUI', mode: 'overseas-warehouse', feasible: false, reasons: [{ code: 'no-stock', message: `WH-DUI has 0 of ${sku}, needs ${qty}`, params: { warehouseId: 'WH-DUI', sku, available: 0, needed: qty } }] };
      const c = inStock ? warehouse : direct;
      const from = inStock ? 'WH-DUI' : 'CN-YIW';
      v = {
        candidates: inStock ? [warehouse, direct] : [direct, warehouse],
        chosen: { routeId: c.routeId, mode: c.mode, cost: c.cost!, shipments: [{ routeId: c.routeId, mode: c.mode, from, lines: [{ sku, qty }] }] },
      };
      variants.set(key, v);
    }
    return v;
  };
  for (let i = 0; i < count; i++) {
    const sku = skus[Math.floor(random() * skus.length)]!;
    const country = COUNTRIES[Math.floor(random() * COUNTRIES.length)]!;
    const placedAt = new Date(start + Math.floor((i / count) * 30 * DAY)).toISOString();
    const qty = random() < 0.8 ? 1 : 2;
    const orderId = `b${i}`;
    const v = variant(sku.sku, sku.sellerId, random() < 0.4, qty);
    yield {
      order: { orderId, sellerId: sku.sellerId, marketplace: 'bench', externalId: orderId, placedAt, shipTo: { country }, lines: [{ sku: sku.sku, qty }] },
      decision: { orderId, sellerId: sku.sellerId, decidedAt: placedAt, status: 'routed', chosen: v.chosen, candidates: v.candidates },
    };
  }
}

export async function benchPlanning(options: { dataDir: string; decisions?: number; sizes?: number; now?: Date }): Promise<PlanningBenchResult> {
  const now = options.now ?? new Date('2026-12-01T00:00:00Z');
  const count = options.decisions ?? 1_000_000;
  const { files, snapshot } = await loadNetworkDir(options.dataDir, { now });
  const network = grownNetwork(snapshot, options.sizes ?? 1000);
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const [s0, sc0] = [performance.now(), cpu()];
  let made = 0;
  for (const _ of syntheticHistory(network, count, now)) made++;
  const [s1, sc1] = [performance.now(), cpu()];
  if (made !== count) throw new Error(`bench: made ${made} decisions, wanted ${count}`);
  const [t0, c0] = [performance.now(), cpu()];
  const table = collectDemand(syntheticHistory(network, count, now), { now });
  const [t1, c1] = [performance.now(), cpu()];
  const p = plan({ history: table, network, now });
  const [t2, c2] = [performance.now(), cpu()];

  const from = new Date(now.getTime() - 28 * DAY).toISOString();
  const withoutPlan = report({ history: simulate({ files, days: 56, now, seed: 1 }).history, network: snapshot, from });
  const followingPlan = report({ history: simulate({ files, days: 56, now, seed: 1, followPlan: {} }).history, network: snapshot, from });
  const demoMonth: Record<string, PlanningBenchResult['demoMonth'][string]> = {};
  for (const s of followingPlan.sellers) {
    const base = withoutPlan.sellers.find((x) => x.sellerId === s.sellerId) as SellerSavings;
    demoMonth[s.sellerId] = {
      currency: s.currency,
      followingPlan: s.spend.amount,
      allDirect: s.baselines.allDirect.amount,
      warehouseWhenInStock: base.baselines.warehouseWhenInStock.amount,
      withoutPlan: base.spend.amount,
    };
  }
  return {
    skus: network.skus.length,
    decisions: count,
    demandMs: Math.round(t1 - t0),
    synthesisMs: Math.round(s1 - s0),
    planMs: Math.round(t2 - t1),
    totalMs: Math.round(t2 - t0),
    cpuMs: { demand: Math.round(c1 - c0), synthesis: Math.round(sc1 - sc0), plan: Math.round(c2 - c1), total: Math.round(c2 - c0) },
    departures: p.departures.length,
    linesPlanned: p.departures.reduce((n, d) => n + d.lines.length, 0),
    demoMonth,
  };
}
