/**
 * The promises of the load plan (issue 13), over random histories, stock, inbound and
 * capacities on the routing fixture network: it never exceeds the capacity given, never plans a
 * SKU whose warehouse route loses to the direct parcel (checked against the routing core
 * directly, not against the planner's own figures), more capacity never lowers the expected
 * saving, and the same inputs — in any line order — give the same plan.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NetworkSnapshot } from '#network/types.ts';
import { route } from '#routing/route.ts';
import { fixtureNetwork, NOW } from '#routing/test-fixtures.ts';
import { toMinor } from '#routing/money.ts';
import type { HistoryEntry } from './history.ts';
import { plan, type PlanInput } from './plan.ts';
import { dailyOrders, oneLine, routed } from './test-helpers.ts';

const network = fixtureNetwork();
const COUNTRIES = ['DE', 'ES', 'FR', 'IT', 'NL', 'PL'];
const ample: NetworkSnapshot = {
  ...network,
  stock: network.skus.flatMap((s) => network.warehouses.map((w) => ({ sellerId: s.sellerId, warehouseId: w.id, sku: s.sku, available: 1_000_000 }))),
};

// Route every (SKU, country) day series once: properties then draw from these decided lines.
const pool = new Map<string, HistoryEntry[]>();
for (const s of network.skus) {
  for (const c of COUNTRIES) {
    const perDay = Array.from({ length: 28 }, (_, i) => 1 + ((i * 7 + s.sku.length + c.charCodeAt(0)) % 5));
    pool.set(`${s.sellerId}|${s.sku}|${c}`, routed(dailyOrders(s.sellerId, s.sku, c, NOW, perDay), network));
  }
}
const keys = [...pool.keys()].sort();

const scenario = fc.record({
  picks: fc.uniqueArray(fc.constantFrom(...keys), { minLength: 1, maxLength: 12 }),
  thin: fc.integer({ min: 1, max: 3 }),
  onHand: fc.array(fc.record({ key: fc.constantFrom(...keys), wh: fc.constantFrom('WH-DUI', 'WH-MAD'), units: fc.integer({ min: 0, max: 300 }) }), { maxLength: 6 }),
  inbound: fc.array(fc.record({ key: fc.constantFrom(...keys), wh: fc.constantFrom('WH-DUI', 'WH-MAD'), units: fc.integer({ min: 0, max: 200 }), day: fc.integer({ min: 0, max: 30 }) }), { maxLength: 4 }),
  capacity: fc.double({ min: 0, max: 1.5, noNaN: true }),
  more: fc.double({ min: 0, max: 2, noNaN: true }),
  serviceLevel: fc.constantFrom(0.8, 0.95, 0.99),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function inputOf(s: Scenario): PlanInput {
  // Every `thin`-th line of each picked series: varied demand levels from the same decisions.
  const history = s.picks.flatMap((k) => pool.get(k)!.filter((_, i) => i % s.thin === 0));
  const split = (k: string) => k.split('|') as [string, string, string];
  return {
    history,
    network,
    now: NOW,
    serviceLevel: s.serviceLevel,
    departuresPerLane: 2,
    onHand: s.onHand.map((o) => ({ sellerId: split(o.key)[0], warehouseId: o.wh, sku: split(o.key)[1], units: o.units })),
    inbound: s.inbound.map((o) => ({ sellerId: split(o.key)[0], warehouseId: o.wh, sku: split(o.key)[1], units: o.units, arrivesOn: new Date(Date.UTC(2026, 11, 1 + o.day)).toISOString().slice(0, 10) })),
  };
}

const cheaper = new Map<string, boolean>();
/** The routing core's own verdict: one unit from this warehouse beats every direct parcel. */
function warehouseBeatsDirect(sellerId: string, sku: string, country: string, warehouseId: string, day: string): boolean {
  const key = [sellerId, sku, country, warehouseId, day].join('|');
  let v = cheaper.get(key);
  if (v === undefined) {
    const at = new Date(`${day}T12:00:00Z`);
    const d = route(oneLine('check', sellerId, sku, 1, country, at), ample, at);
    const wh = d.candidates.find((c) => c.routeId === `warehouse:${warehouseId}` && c.feasible);
    const direct = d.candidates.filter((c) => c.mode === 'direct-parcel' && c.feasible).map((c) => toMinor(c.cost!.total, c.cost!.currency));
    // No direct parcel at all (a power bank) is a route the warehouse cannot lose to.
    v = wh !== undefined && (direct.length === 0 || toMinor(wh.cost!.total, wh.cost!.currency) < Math.min(...direct));
    cheaper.set(key, v);
  }
  return v;
}

const savings = (p: ReturnType<typeof plan>) => p.departures.map((d) => toMinor(d.expectedSaving.amount, d.expectedSaving.currency));

describe('load plan properties', () => {
  it('never exceeds the capacity given', () => {
    let planned = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const p = plan({ ...inputOf(s), capacityCbm: s.capacity });
        const cm3 = new Map(network.skus.map((k) => [`${k.sellerId}|${k.sku}`, k.dimsCm.reduce((a, b) => a * b, 1)]));
        for (const d of p.departures) {
          expect(d.usedCbm).toBeLessThanOrEqual(s.capacity + 1e-12);
          const exact = d.lines.reduce((sum, l) => sum + l.units * cm3.get(`${d.sellerId}|${l.sku}`)!, 0);
          expect(exact).toBeLessThanOrEqual(s.capacity * 1e6 + 1e-6);
          for (const l of d.lines) expect(Number.isInteger(l.units) && l.units > 0).toBe(true);
          planned += d.lines.length;
        }
      }),
      { numRuns: 60 },
    );
    // Not vacuous: the scenarios do load trains (how many depends on the random capacities).
    expect(planned).toBeGreaterThan(0);
  });

  it('never plans a SKU whose warehouse route loses to the direct parcel', () => {
    let refused = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const p = plan(inputOf(s));
        for (const d of p.departures) {
          for (const l of d.lines) {
            expect(l.destinations.length).toBeGreaterThan(0);
            for (const c of l.destinations) expect(warehouseBeatsDirect(d.sellerId, l.sku, c, d.warehouseId, d.arrivesOn)).toBe(true);
            expect(l.savingPerUnit.amount).toBeGreaterThan(0);
          }
          refused += d.notPlanned.filter((n) => n.why.includes('the direct parcel is cheaper')).length;
        }
      }),
      { numRuns: 60 },
    );
    // Not vacuous: some SKU-country pairs of the fixture do lose to the direct parcel.
    expect(refused).toBeGreaterThan(0);
  });

  it('more capacity never lowers the expected saving', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        // One departure per lane: a later departure's plan depends on the earlier one's load.
        const base = { ...inputOf(s), departuresPerLane: 1 };
        const small = savings(plan({ ...base, capacityCbm: s.capacity }));
        const large = savings(plan({ ...base, capacityCbm: s.capacity + s.more }));
        small.forEach((x, i) => expect(large[i]!).toBeGreaterThanOrEqual(x));
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same plan for the same inputs, whatever order the history lines come in', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (s, seed) => {
        const input = inputOf(s);
        const lines = [...(input.history as HistoryEntry[])];
        // A seeded shuffle of the lines.
        let a = seed | 0;
        for (let i = lines.length - 1; i > 0; i--) {
          a = (Math.imul(a, 1103515245) + 12345) | 0;
          const j = Math.abs(a) % (i + 1);
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        }
        const one = JSON.stringify(plan(input));
        expect(JSON.stringify(plan(input))).toBe(one);
        expect(JSON.stringify(plan({ ...input, history: lines }))).toBe(one);
      }),
      { numRuns: 40 },
    );
  });
});
