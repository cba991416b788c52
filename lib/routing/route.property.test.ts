/**
 * Properties of route() over generated networks and orders (fast-check): the decision is the
 * cheapest feasible candidate, every amount adds up, the output is reproducible byte for byte,
 * the split search is exhaustive (checked against brute force), and more stock or more time
 * never makes the chosen route dearer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalOrder, Duties, ParcelService, Seller, Sku, StockRecord, Warehouse } from '#network/schemas.ts';
import type { NetworkSnapshot, ResolvedRailLane } from '#network/types.ts';
import { Decision as DecisionSchema, ReasonParams, targetOf, type Candidate, type Cost, type Decision, type RoutePart } from './decision.ts';
import { reasonMessage } from './reasons.ts';
import { reservationsOf, route } from './route.ts';
import { compile } from './compile.ts';
import { makePart } from './shipment.ts';
import { createContext, evaluate } from './sources.ts';

const DAY = 86_400_000;
const BASE = Date.parse('2026-07-01T00:00:00Z'); // the duty reform: generated `now`s fall on both sides
const COUNTRIES = ['DE', 'ES', 'FR', 'US'] as const;
const HS = ['610910', '620443', '660191', '950300', '850760', '6109100010', '420222'] as const;
const cents = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((c) => c / 100);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const skuArb = fc.record({
  weightG: fc.integer({ min: 10, max: 900 }),
  dimsCm: fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 20 })),
  value: fc.integer({ min: 1, max: 8000 }).map((c) => c / 100),
  currency: fc.constantFrom('EUR', 'CNY', 'USD'),
  battery: fc.constantFrom('none', 'none', 'none', 'contained', 'standalone') as fc.Arbitrary<Sku['battery']>,
  hsCode: fc.constantFrom(...HS),
});

const batteryRule = fc.record({ allowed: fc.boolean(), surcharge: fc.option(cents(5), { nil: undefined }) });
const rateArb = fc.record({
  perParcel: cents(30),
  perKg: cents(90),
  minCharge: fc.option(cents(40), { nil: undefined }),
  tMin: fc.integer({ min: 1, max: 12 }),
  tSpan: fc.integer({ min: 0, max: 10 }),
});
const serviceArb = fc.record({
  currency: fc.constantFrom('CNY', 'EUR'),
  divisor: fc.constantFrom(null, 5000, 8000),
  minChargeableG: fc.constantFrom(0, 50, 500),
  weightStepG: fc.constantFrom(1, 10, 100, 500),
  maxWeightG: fc.constantFrom(2000, 5000, 30000),
  maxLongest: fc.option(fc.constantFrom(40, 60, 100), { nil: undefined }),
  maxSum: fc.option(fc.constantFrom(90, 150), { nil: undefined }),
  handlingDays: fc.integer({ min: 0, max: 2 }),
  contained: batteryRule,
  standalone: batteryRule,
  rates: fc.tuple(...COUNTRIES.map(() => fc.option(rateArb, { nil: undefined }))),
});
const lastMileArb = fc.record({
  steps: fc.array(fc.integer({ min: 500, max: 4000 }), { minLength: 1, maxLength: 3 }),
  prices: fc.array(cents(15), { minLength: 3, maxLength: 3 }),
  tMin: fc.integer({ min: 0, max: 4 }),
  tSpan: fc.integer({ min: 0, max: 3 }),
});
const warehouseArb = fc.record({
  currency: fc.constantFrom('EUR', 'PLN'),
  processingDays: fc.integer({ min: 0, max: 2 }),
  inboundDays: fc.integer({ min: 0, max: 3 }),
  fees: fc.tuple(cents(0.1), cents(1), fc.integer({ min: 0, max: 90 }), cents(3), cents(1), cents(0.5)),
  lastMile: fc.tuple(...COUNTRIES.map(() => fc.option(lastMileArb, { nil: undefined }))),
});
const laneArb = fc.record({
  warehouse: fc.nat(),
  currency: fc.constantFrom('EUR', 'USD'),
  perCbm: cents(300),
  kgPerCbm: fc.integer({ min: 200, max: 600 }),
  share: fc.integer({ min: 0, max: 100 }).map((p) => p / 100),
  // One transit time per lane, as a timetable has: trains arrive in the order they leave.
  transitDays: fc.integer({ min: 10, max: 20 }),
  departures: fc.array(
    fc.record({
      dayOffset: fc.integer({ min: -2, max: 12 }),
      cutoffHours: fc.integer({ min: 0, max: 48 }),
      remainingLitres: fc.integer({ min: 0, max: 400 }),
    }),
    { maxLength: 4 },
  ),
});
const dutyArb = fc.record({
  vatRate: fc.integer({ min: 0, max: 25 }).map((p) => p / 100),
  vatOnDuty: fc.boolean(),
  lowValue: fc.option(fc.record({ thresholdEur: fc.constantFrom(22, 150), flat: cents(5) }), { nil: undefined }),
  brokerage: cents(10),
  handling: fc.option(cents(3), { nil: undefined }),
  national: fc.option(cents(3), { nil: undefined }),
});

const worldArb = fc.record({
  reportCurrency: fc.constantFrom('EUR', 'CNY', 'USD', 'PLN'),
  serviceLevels: fc.option(fc.record({ economy: fc.integer({ min: 15, max: 40 }), standard: fc.integer({ min: 7, max: 25 }), express: fc.integer({ min: 2, max: 10 }) }), { nil: undefined }),
  skus: fc.array(skuArb, { minLength: 1, maxLength: 5 }),
  services: fc.array(serviceArb, { minLength: 1, maxLength: 3 }),
  warehouses: fc.array(warehouseArb, { minLength: 1, maxLength: 2 }),
  lanes: fc.array(laneArb, { maxLength: 2 }),
  stock: fc.array(fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined, freq: 4 }), { minLength: 10, maxLength: 10 }),
  duties: fc.tuple(...COUNTRIES.map(() => fc.option(dutyArb, { nil: undefined }))),
  fx: fc.record({ CNY: fc.integer({ min: 700, max: 900 }), USD: fc.integer({ min: 100, max: 130 }), PLN: fc.integer({ min: 400, max: 450 }) }),
  nowHours: fc.integer({ min: -20 * 24, max: 20 * 24 }),
  lines: fc.array(fc.record({ sku: fc.nat(), qty: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 4 }),
  country: fc.constantFrom('DE', 'ES', 'FR', 'DE', 'ES', 'US'),
  deliverInDays: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
  serviceLevel: fc.option(fc.constantFrom('economy', 'standard', 'express') as fc.Arbitrary<'economy' | 'standard' | 'express'>, { nil: undefined }),
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

/** The generated world as a snapshot, an order and `now`. */
function build(w: World): { network: NetworkSnapshot; order: CanonicalOrder; now: Date } {
  const now = new Date(BASE + w.nowHours * 3_600_000);
  const seller: Seller = { id: 'S', name: 'Seller', email: 's@example.com', language: 'en', reportCurrency: w.reportCurrency, origin: 'O', ...(w.serviceLevels ? { serviceLevels: w.serviceLevels } : {}) };
  const skus: Sku[] = w.skus.map((s, i) => ({
    sellerId: 'S', sku: `K${i}`, title: `K${i}`, hsCode: s.hsCode, weightG: s.weightG, dimsCm: [...s.dimsCm],
    customsValue: { amount: s.value, currency: s.currency }, battery: s.battery,
  }));
  const parcelServices: ParcelService[] = w.services.map((s, i) => {
    const rates: ParcelService['rates'] = {};
    COUNTRIES.forEach((c, k) => {
      const r = s.rates[k];
      if (r) rates[c] = { perParcel: r.perParcel, perKg: r.perKg, transitDays: [r.tMin, r.tMin + r.tSpan], ...(r.minCharge === undefined ? {} : { minCharge: r.minCharge }) };
    });
    const rule = (b: { allowed: boolean; surcharge: number | undefined }) => ({ allowed: b.allowed, ...(b.surcharge === undefined ? {} : { surchargePerParcel: b.surcharge }) });
    return {
      id: `P${i}`, carrier: 'C', name: `P${i}`, origin: i === 2 ? 'ELSEWHERE' : 'O', currency: s.currency, volumetricDivisor: s.divisor,
      minChargeableG: s.minChargeableG, weightStepG: s.weightStepG, maxWeightG: s.maxWeightG,
      ...(s.maxLongest === undefined ? {} : { maxLongestSideCm: s.maxLongest }), ...(s.maxSum === undefined ? {} : { maxSumOfSidesCm: s.maxSum }),
      handlingDays: s.handlingDays, battery: { contained: rule(s.contained), standalone: rule(s.standalone) }, rates,
    };
  });
  const warehouses: Warehouse[] = w.warehouses.map((wh, i) => {
    const lastMile: Warehouse['lastMile'] = {};
    COUNTRIES.forEach((c, k) => {
      const lm = wh.lastMile[k];
      if (!lm) return;
      let max = 0;
      lastMile[c] = { carrier: 'L', transitDays: [lm.tMin, lm.tMin + lm.tSpan], bands: lm.steps.map((step, b) => ({ maxWeightG: (max += step), price: lm.prices[b]! })) };
    });
    const [inbound, storage, dwell, first, extra, packaging] = wh.fees;
    return {
      id: `W${i}`, name: `W${i}`, country: 'DE', currency: wh.currency, processingDays: wh.processingDays, inboundDays: wh.inboundDays,
      fees: { inboundPerUnit: inbound, storagePerCbmDay: storage, expectedDwellDays: dwell, pickPackFirstItem: first, pickPackExtraItem: extra, packaging },
      lastMile,
    };
  });
  const railLanes: ResolvedRailLane[] = warehouses.length === 0 ? [] : w.lanes.map((l, i) => ({
    id: `L${i}`, name: `L${i}`, origin: 'O', warehouseId: `W${l.warehouse % warehouses.length}`, currency: l.currency,
    perCbm: l.perCbm, kgPerCbm: l.kgPerCbm, customsFreightShare: l.share,
    departures: l.departures
      .map((d, k) => {
        const departs = Math.floor(now.getTime() / DAY) * DAY + d.dayOffset * DAY + 2 * 3_600_000;
        return {
          id: `L${i}-D${k}`, laneId: `L${i}`, departsAt: new Date(departs).toISOString(), cutoffAt: new Date(departs - d.cutoffHours * 3_600_000).toISOString(),
          transitDays: l.transitDays, capacityLitres: 1000, remainingLitres: d.remainingLitres,
        };
      })
      .sort((a, b) => Date.parse(a.departsAt) - Date.parse(b.departsAt) || (a.id < b.id ? -1 : 1)),
  }));
  const stock: StockRecord[] = [];
  warehouses.forEach((wh, i) => skus.forEach((s, k) => {
    const available = w.stock[(i * 5 + k) % w.stock.length];
    if (available !== undefined) stock.push({ sellerId: 'S', warehouseId: wh.id, sku: s.sku, available });
  }));
  // One customs union for every country with rules (import rules v2): its low-value row and
  // handling fee are the first generated ones; VAT, brokerage and national fees stay per country.
  const countries: Duties['countries'] = {};
  const defined = w.duties.filter((d) => d !== undefined);
  const low = defined.find((d) => d.lowValue !== undefined)?.lowValue;
  const handling = defined.find((d) => d.handling !== undefined)?.handling;
  COUNTRIES.forEach((c, k) => {
    const d = w.duties[k];
    if (!d) return;
    countries[c] = {
      union: 'EU', vatRate: d.vatRate, vatOnDuty: d.vatOnDuty, brokerageFeeEur: d.brokerage,
      ...(d.national === undefined ? {} : { fees: [{ name: 'national-fee', amountEur: d.national, per: d.vatOnDuty ? 'consignment' : 'tariff-line' }] }),
    };
  });
  const duties: Duties = {
    countries,
    unions: {
      EU: {
        tariffRates: { '61': 0.12, '62': 0.12, '6601': 0.047, '9503': 0.047, '850760': 0.027 },
        defaultTariffRate: 0.04,
        lowValue: low === undefined ? [] : [{ from: '2026-07-01', threshold: { amount: low.thresholdEur, currency: 'EUR' }, scope: 'all', duty: { perTariffLine: low.flat } }],
        ...(handling === undefined ? {} : { fees: [{ name: 'handling-fee', amountEur: handling, per: 'consignment' as const }] }),
      },
    },
  };
  const network: NetworkSnapshot = {
    asOf: now.toISOString(), sellers: [seller], skus, parcelServices, railLanes, warehouses, stock,
    duties,
    fx: { base: 'EUR', asOf: '2026-01-05', rates: { CNY: w.fx.CNY / 100, USD: w.fx.USD / 100, PLN: w.fx.PLN / 100 } },
  };
  const order: CanonicalOrder = {
    orderId: 'O-1', sellerId: 'S', marketplace: 'gen', externalId: 'x', placedAt: now.toISOString(), shipTo: { country: w.country },
    lines: w.lines.map((l) => ({ sku: `K${l.sku % skus.length}`, qty: l.qty })),
    ...(w.deliverInDays === undefined ? {} : { deliverBy: day(now.getTime() + w.deliverInDays * DAY) }),
    ...(w.serviceLevel === undefined ? {} : { serviceLevel: w.serviceLevel }),
  };
  return { network, order, now };
}

const RUNS = { numRuns: 150 };
const shipments = (c: Candidate) => (c.mode === 'split' ? c.routeId.split('+').length : 1);
/** The documented ranking: cheaper, then earlier latest ETA, then fewer shipments, then route id. */
function rank(a: Candidate, b: Candidate): number {
  return (
    a.cost!.total - b.cost!.total ||
    (a.eta!.latest < b.eta!.latest ? -1 : a.eta!.latest > b.eta!.latest ? 1 : 0) ||
    shipments(a) - shipments(b) ||
    (a.routeId < b.routeId ? -1 : a.routeId > b.routeId ? 1 : 0)
  );
}
const minor = (x: number) => Math.round(x * 100);
function expectExact(cost: Cost): void {
  for (const x of [cost.total, ...cost.components.map((c) => c.amount)]) {
    expect(String(x)).toMatch(/^\d+(\.\d{1,2})?$/);
  }
  expect(cost.components.reduce((s, c) => s + minor(c.amount), 0)).toBe(minor(cost.total));
}

/** The ids an entry carries are the ones its route id names (the id grammar is decision.ts's), and the ones its mode needs. */
function expectIds(entry: RoutePart): void {
  if (entry.mode === 'split') return;
  const { serviceId, warehouseId, departureId, laneId } = entry;
  const derived = targetOf({ routeId: entry.routeId, mode: entry.mode });
  if (entry.mode === 'direct-parcel') expect({ serviceId, warehouseId, departureId, laneId }).toEqual({ serviceId: derived.serviceId, warehouseId: undefined, departureId: undefined, laneId: undefined });
  if (entry.mode === 'overseas-warehouse') expect({ serviceId, warehouseId, departureId, laneId }).toEqual({ serviceId: undefined, warehouseId: derived.warehouseId, departureId: undefined, laneId: undefined });
  if (entry.mode === 'rail-to-warehouse') {
    expect(laneId).toBeDefined();
    expect(warehouseId).toBeDefined();
    expect(entry.routeId).toBe(`rail:${departureId ?? laneId}`);
  }
}

describe('route() properties', () => {
  it('chooses the cheapest feasible candidate, with reasons for every infeasible one and exact sums', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { network, order, now } = build(w);
        const d = route(order, network, now);
        expect(DecisionSchema.parse(d)).toEqual(d);
        const feasible = d.candidates.filter((c) => c.feasible);
        expect(d.status === 'unroutable').toBe(feasible.length === 0);
        for (const c of d.candidates) {
          if (c.feasible) {
            expect(c.reasons).toBeUndefined();
            expectExact(c.cost!);
            expect(c.cost!.currency).toBe(w.reportCurrency);
          } else {
            expect(c.reasons!.length).toBeGreaterThanOrEqual(1);
            expect(c.cost).toBeUndefined();
            // every reason carries its facts as data, in its code's shape (ROUTING.md §5)
            for (const r of c.reasons!) {
              expect(ReasonParams[r.code].strict().parse(r.params)).toEqual(r.params);
              // the params are the whole fact: the sentence is written from them alone
              expect(reasonMessage(r.code, r.params as never)).toBe(r.message);
            }
          }
          expectIds(c);
          for (const p of c.parts ?? []) expectIds(p);
        }
        expect(new Set(d.candidates.map((c) => c.routeId)).size).toBe(d.candidates.length);
        if (d.chosen === undefined) {
          expect(d.savingsVsDirect).toBeUndefined();
          return;
        }
        const best = [...feasible].sort(rank)[0]!;
        expect(d.chosen.routeId).toBe(best.routeId);
        expect(d.chosen.cost).toEqual(best.cost);
        expect(d.chosen.eta).toEqual(best.eta);
        expectExact(d.chosen.cost);
        // shipments add up to the chosen cost and carry each order line exactly once
        expect(d.chosen.shipments.reduce((s, x) => s + minor(x.cost.total), 0)).toBe(minor(d.chosen.cost.total));
        for (const s of d.chosen.shipments) {
          expectExact(s.cost);
          expectIds(s);
        }
        const shipped = d.chosen.shipments.flatMap((s) => s.lines.map((l) => `${l.sku}×${l.qty}`)).sort();
        expect(shipped).toEqual(order.lines.map((l) => `${l.sku}×${l.qty}`).sort());
        expect(d.chosen.eta.latest).toBe(d.chosen.shipments.map((s) => s.eta.latest).sort().at(-1));
        const direct = feasible.filter((c) => c.mode === 'direct-parcel').map((c) => minor(c.cost!.total));
        if (direct.length === 0) expect(d.savingsVsDirect).toBeUndefined();
        else expect(minor(d.savingsVsDirect!.amount)).toBe(Math.min(...direct) - minor(d.chosen.cost.total));
        // reservations never take more than there is
        const r = reservationsOf(d, network);
        for (const s of r.stock) {
          const have = network.stock.find((x) => x.warehouseId === s.warehouseId && x.sku === s.sku)?.available ?? 0;
          expect(s.qty).toBeLessThanOrEqual(have);
        }
        for (const c of r.capacity) {
          const dep = network.railLanes.flatMap((l) => l.departures).find((x) => x.id === c.departureId)!;
          expect(c.litres).toBeLessThanOrEqual(dep.remainingLitres);
        }
      }),
      RUNS,
    );
  });

  it('gives the same JSON bytes for the same input, whether or not the snapshot was compiled before', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { network, order, now } = build(w);
        const first = JSON.stringify(route(order, network, now));
        expect(JSON.stringify(route(order, network, now))).toBe(first);
        expect(JSON.stringify(route(structuredClone(order), structuredClone(network), new Date(now.getTime())))).toBe(first);
      }),
      { numRuns: 60 },
    );
  });

  it('finds the best split that brute force over every partition finds', () => {
    fc.assert(
      fc.property(worldArb.filter((w) => w.lines.length >= 2), (w) => {
        const { network, order, now } = build(w);
        const d = route(order, network, now);
        const split = d.candidates.find((c) => c.mode === 'split');
        // Each block of a partition priced as its own shipment of this order (so the threshold
        // test stays the whole order's, ROUTING.md §3): its routes and their totals.
        const net = compile(network);
        const ctx = createContext(net, net.sellers.get('S')!, order, net.skus.get('S')!, now);
        const blockRoutes = (block: number[]) =>
          ctx.sources
            .map((src) => evaluate(ctx, src, makePart(ctx, block), null))
            .filter((q) => q !== undefined)
            .map((q) => ({ routeId: q.routeId, total: q.total }));
        let best = Infinity;
        for (const partition of partitions(order.lines.map((_, i) => i))) {
          if (partition.length < 2) continue;
          const options = partition.map(blockRoutes);
          const assign = (k: number, used: Set<string>, sum: number): void => {
            if (k === options.length) {
              best = Math.min(best, sum);
              return;
            }
            for (const o of options[k]!) {
              // a parcel service may carry several parcels; a warehouse or departure one part (§3)
              const once = !o.routeId.startsWith('direct:');
              if (once && used.has(o.routeId)) continue;
              if (once) used.add(o.routeId);
              assign(k + 1, used, sum + o.total);
              if (once) used.delete(o.routeId);
            }
          };
          assign(0, new Set(), 0);
        }
        if (best === Infinity) expect(split).toBeUndefined();
        else expect(minor(split!.cost!.total)).toBe(best);
      }),
      { numRuns: 80 },
    );
  });

  it('never chooses a dearer route when there is more stock', () => {
    fc.assert(
      fc.property(worldArb, fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 10, maxLength: 10 }), (w, extra) => {
        const { network, order, now } = build(w);
        const more: NetworkSnapshot = {
          ...network,
          stock: network.warehouses.flatMap((wh, i) =>
            network.skus.map((s, k) => ({
              sellerId: 'S', warehouseId: wh.id, sku: s.sku,
              available: (network.stock.find((r) => r.warehouseId === wh.id && r.sku === s.sku)?.available ?? 0) + extra[(i * 5 + k) % extra.length]!,
            })),
          ),
        };
        const before = route(order, network, now);
        const after = route(order, more, now);
        if (before.chosen === undefined) return;
        expect(after.chosen).toBeDefined();
        expect(minor(after.chosen!.cost.total)).toBeLessThanOrEqual(minor(before.chosen.cost.total));
      }),
      RUNS,
    );
  });

  it('never chooses a dearer route when the deadline is later', () => {
    fc.assert(
      fc.property(worldArb, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 30 }), (w, days, later) => {
        const { network, order, now } = build(w);
        const by = (n: number) => ({ ...order, deliverBy: day(now.getTime() + n * DAY) });
        const before = route(by(days), network, now);
        const after = route(by(days + later), network, now);
        if (before.chosen === undefined) return;
        expect(after.chosen).toBeDefined();
        expect(minor(after.chosen!.cost.total)).toBeLessThanOrEqual(minor(before.chosen.cost.total));
      }),
      RUNS,
    );
  });
});

/** Every set partition of `items` (blocks in order of their first item). */
function* partitions(items: readonly number[]): Generator<number[][]> {
  if (items.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = items as [number, ...number[]];
  for (const p of partitions(rest)) {
    yield [[first], ...p];
    for (let i = 0; i < p.length; i++) yield [...p.slice(0, i), [first, ...p[i]!], ...p.slice(i + 1)];
  }
}
