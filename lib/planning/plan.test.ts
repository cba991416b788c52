import { describe, expect, it } from 'vitest';
import { fixtureNetwork, NOW } from '#routing/test-fixtures.ts';
import { route } from '#routing/route.ts';
import { plan } from './plan.ts';
import { dailyOrders, oneLine, routed } from './test-helpers.ts';

const constant = (n: number, days = 28) => Array.from({ length: days }, () => n);

describe('the load plan for a departure', () => {
  const network = fixtureNetwork();
  const teeDe = routed(dailyOrders('tianmen', 'TEE-COT', 'DE', NOW, constant(10)), network);

  it('covers steady demand from the arrival until the next train\'s goods arrive, minus what is there', () => {
    const p = plan({ history: teeDe, network, now: NOW, laneId: 'R2', sellerId: 'tianmen', onHand: [] });
    expect(p.departures).toHaveLength(1);
    const d = p.departures[0]!;
    // R2-2026-11-25 is the next train not cut off; it arrives 16 + 2 days later, the next one
    // (11-28) three days after that. Ten a day with no variability: 30 units, no safety stock.
    expect([d.departureId, d.arrivesOn, d.coversUntil]).toEqual(['R2-2026-11-25', '2026-12-13', '2026-12-16']);
    expect(d.lines.map((l) => [l.sku, l.units])).toEqual([['TEE-COT', 30]]);
    // 28 × 22 × 2 = 1,232 cm³ a T-shirt.
    expect(d.lines[0]!.cbm).toBeCloseTo(0.037, 3);
    expect(d.usedCbm).toBe(0.037);
    expect(d.capacityCbm).toBe(64);
  });

  it('leaves a SKU off when the stock on hand lasts until the next train\'s goods arrive', () => {
    // 500 on hand at WH-DUI: 20 days to the arrival at 10 a day leave 300, far more than 30.
    const p = plan({ history: teeDe, network, now: NOW, laneId: 'R2', sellerId: 'tianmen' });
    const d = p.departures[0]!;
    expect(d.lines).toEqual([]);
    expect(d.notPlanned).toEqual([
      {
        sku: 'TEE-COT',
        why: 'TEE-COT: on hand and inbound (300 at arrival) cover the 30 needed until 2026-12-16',
        reason: { kind: 'covered', sku: 'TEE-COT', atArrival: 300, needed: 30, until: '2026-12-16' },
      },
    ]);
  });

  it('counts inbound lots: arriving before the train they are sold first, during cover they cover', () => {
    const inbound = [
      { sellerId: 'tianmen', warehouseId: 'WH-DUI', sku: 'TEE-COT', units: 12, arrivesOn: '2026-12-14' },
      // With the next train's goods: that lot is the next cycle's, not this one's.
      { warehouseId: 'WH-DUI', sku: 'TEE-COT', units: 500, arrivesOn: '2026-12-16' },
    ];
    const p = plan({ history: teeDe, network, now: NOW, laneId: 'R2', sellerId: 'tianmen', onHand: [], inbound });
    expect(p.departures[0]!.lines.map((l) => l.units)).toEqual([18]);
  });

  it('adds safety stock for the service level from the day-to-day variability', () => {
    // 8 and 12 alternately: mean 10, sd √(28·4/27); z(95 %) = 1.6449, over the 23 days from
    // today to the next arrival.
    const history = routed(dailyOrders('tianmen', 'TEE-COT', 'DE', NOW, Array.from({ length: 28 }, (_, i) => (i % 2 ? 12 : 8))), network);
    const sd = Math.sqrt((28 * 4) / 27);
    const days = 23;
    const p95 = plan({ history, network, now: NOW, laneId: 'R2', sellerId: 'tianmen', onHand: [] });
    // The 3 days of cover start on 2026-12-13, a Sunday: an alternating series has no weekly pattern.
    expect(p95.departures[0]!.lines[0]!.units).toBe(Math.ceil(30 + 1.6448536 * sd * Math.sqrt(days)));
    const p99 = plan({ history, network, now: NOW, laneId: 'R2', sellerId: 'tianmen', onHand: [], serviceLevel: 0.99 });
    expect(p99.departures[0]!.lines[0]!.units).toBe(Math.ceil(30 + 2.3263479 * sd * Math.sqrt(days)));
  });

  it('follows the weekly pattern when the history shows one', () => {
    // 70 T-shirts every Monday, none on other days (NOW's day, 2026-11-23, is a Monday: the
    // window's Mondays are 10-26 … 11-16). The cover, Sunday 12-13 to Wednesday 12-16, holds
    // one Monday: 70 units, where a flat 10 a day would say 30.
    const perDay = Array.from({ length: 28 }, (_, i) => (i % 7 === 0 ? 70 : 0));
    const history = routed(dailyOrders('tianmen', 'TEE-COT', 'DE', NOW, perDay), network);
    const d = plan({ history, network, now: NOW, laneId: 'R2', sellerId: 'tianmen', onHand: [] }).departures[0]!;
    expect(d.lines.map((l) => [l.sku, l.units])).toEqual([['TEE-COT', 70]]);
    // The 11-28 train's cover (12-16 to 12-18, Wednesday and Thursday) holds no Monday.
    const two = plan({ history, network, now: NOW, laneId: 'R2', sellerId: 'tianmen', onHand: [], departuresPerLane: 2 });
    expect(two.departures[1]!.lines).toEqual([]);
  });

  it('says why in the seller\'s terms: orders lost for lack of stock and the saving per unit', () => {
    // No hoodies at WH-DUI in the fixture: 5 a day to Germany go direct.
    const history = routed(dailyOrders('tianmen', 'HOODIE', 'DE', NOW, constant(5)), network);
    const d = plan({ history, network, now: NOW, laneId: 'R2', sellerId: 'tianmen' }).departures[0]!;
    const [line] = d.lines;
    expect(line!.sku).toBe('HOODIE');
    expect(line!.why).toBe(`HOODIE ×${line!.units} (${line!.cbm.toFixed(2)} m³): 35 orders a week to DE went direct for lack of stock, €${line!.savingPerUnit.amount.toFixed(2)} saved each`);
    expect(d.expectedSaving).toEqual({ amount: Math.round(line!.units * line!.savingPerUnit.amount * 100) / 100, currency: 'EUR' });
  });

  it('prices the saving with the routing core: direct minus warehouse, storage for the plan\'s own dwell', () => {
    const history = routed(dailyOrders('tianmen', 'HOODIE', 'DE', NOW, constant(5)), network);
    const line = plan({ history, network, now: NOW, laneId: 'R2', sellerId: 'tianmen' }).departures[0]!.lines[0]!;
    // The same single hoodie to Germany on the arrival day, with stock at WH-DUI.
    const at = new Date('2026-12-13T12:00:00Z');
    const stocked = { ...network, stock: [...network.stock, { sellerId: 'tianmen', warehouseId: 'WH-DUI', sku: 'HOODIE', available: 10 }] };
    const d = route(oneLine('x', 'tianmen', 'HOODIE', 1, 'DE', at), stocked, at);
    const wh = d.candidates.find((c) => c.routeId === 'warehouse:WH-DUI')!.cost!;
    const direct = Math.min(...d.candidates.filter((c) => c.mode === 'direct-parcel' && c.feasible).map((c) => c.cost!.total));
    const storage = wh.components.find((c) => c.name === 'storage')?.amount ?? 0;
    // Dwell: (units / 2 + safety stock) / rate days at €0.40 per m³·day × 0.0084 m³.
    const dwell = line.units / 2 / 5;
    const expected = Math.floor((direct - wh.total + storage) * 100 - 40 * 0.0084 * dwell + 1e-9) / 100;
    expect(line.savingPerUnit.amount).toBeCloseTo(expected, 2);
    expect(line.savingPerUnit.amount).toBeGreaterThan(0);
  });

  it('never plans a SKU where the direct parcel is cheaper, and says so', () => {
    // Find a SKU and country where the routing core prefers the direct parcel even with stock.
    const ample = { ...network, stock: network.skus.flatMap((s) => network.warehouses.map((w) => ({ sellerId: s.sellerId, warehouseId: w.id, sku: s.sku, available: 1000 }))) };
    let found: { sellerId: string; sku: string; country: string } | undefined;
    for (const s of network.skus) {
      for (const country of ['DE', 'ES', 'FR', 'IT', 'NL', 'PL']) {
        const d = route(oneLine('q', s.sellerId, s.sku, 1, country, NOW), ample, NOW);
        const direct = d.candidates.filter((c) => c.mode === 'direct-parcel' && c.feasible).map((c) => c.cost!.total);
        const whs = d.candidates.filter((c) => c.mode === 'overseas-warehouse' && c.feasible).map((c) => c.cost!.total);
        if (direct.length > 0 && whs.length > 0 && Math.min(...whs) >= Math.min(...direct)) found ??= { sellerId: s.sellerId, sku: s.sku, country };
      }
    }
    expect(found).toBeDefined();
    const history = routed(dailyOrders(found!.sellerId, found!.sku, found!.country, NOW, constant(20)), network);
    const p = plan({ history, network, now: NOW, sellerId: found!.sellerId, onHand: [] });
    for (const d of p.departures) {
      expect(d.lines.map((l) => l.sku)).not.toContain(found!.sku);
    }
    const reasons = p.departures.flatMap((d) => d.notPlanned).filter((n) => n.sku === found!.sku).map((n) => n.why);
    expect(reasons.some((w) => w.includes(`the direct parcel is cheaper to ${found!.country}`) || w.includes('served better from'))).toBe(true);
  });

  it('stays within the capacity booked, putting the densest saving first', () => {
    const history = routed(
      [...dailyOrders('tianmen', 'HOODIE', 'DE', NOW, constant(5)), ...dailyOrders('tianmen', 'TEE-COT', 'DE', NOW, constant(30))],
      network,
    );
    const d = plan({ history, network, now: NOW, laneId: 'R2', sellerId: 'tianmen', onHand: [], capacityCbm: 0.05 }).departures[0]!;
    expect(d.capacityCbm).toBe(0.05);
    expect(d.usedCbm).toBeLessThanOrEqual(0.05);
    expect(d.lines.reduce((s, l) => s + l.units * 1232, 0)).toBeLessThanOrEqual(50_000);
    expect(d.lines.some((l) => l.units < l.wanted && l.why.includes(`room for ${l.units} of the ${l.wanted} wanted`))).toBe(true);
  });

  it('plans several departures of a lane, the later ones counting the earlier loads', () => {
    const p = plan({ history: teeDe, network, now: NOW, laneId: 'R2', sellerId: 'tianmen', onHand: [], departuresPerLane: 2 });
    expect(p.departures.map((d) => [d.departureId, d.lines.map((l) => l.units)])).toEqual([
      ['R2-2026-11-25', [30]],
      // 11-28 arrives 12-16 and covers until the 11-30 train's goods on 12-18: 2 days.
      ['R2-2026-11-28', [20]],
    ]);
  });

  it('values a unit that no direct parcel can carry by the sale it would otherwise lose', () => {
    // A standalone power bank: no parcel service takes it, so without stock the order is lost.
    const priced = dailyOrders('yiwu', 'PWR-10K', 'DE', NOW, constant(6)).map((o) => ({ ...o, lines: o.lines.map((l) => ({ ...l, unitPrice: { amount: 16.2, currency: 'EUR' } })) }));
    const d = plan({ history: routed(priced, network), network, now: NOW, laneId: 'R2', sellerId: 'yiwu', onHand: [] }).departures[0]!;
    const line = d.lines.find((l) => l.sku === 'PWR-10K')!;
    expect(line.units).toBe(18);
    // The fixture's 50 power banks at WH-DUI served the history, so none was lost: 42 a week sold.
    expect(line.why.startsWith('PWR-10K ×18 (0.006 m³): 42 units a week to DE, 0 on hand or inbound at arrival, €')).toBe(true);
    expect(line.why).toContain(`€${line.savingPerUnit.amount.toFixed(2)} margin each (no direct parcel takes it)`);
    // Sale €16.20 less goods €4.63 bounds the margin from above.
    expect(line.savingPerUnit.amount).toBeGreaterThan(0);
    expect(line.savingPerUnit.amount).toBeLessThan(16.2 - 4.63);
    const unpriced = plan({ history: routed(dailyOrders('yiwu', 'PWR-10K', 'DE', NOW, constant(6)), network), network, now: NOW, laneId: 'R2', sellerId: 'yiwu', onHand: [] }).departures[0]!;
    expect(unpriced.lines).toEqual([]);
    expect(unpriced.notPlanned[0]!.why).toBe('PWR-10K: no direct parcel to DE and no sale price in the history to value a unit by — plan it by hand');
  });

  it('names what is wrong with its input', () => {
    expect(() => plan({ history: [], network, now: NOW, laneId: 'R9' })).toThrow(/unknown rail lane "R9"/);
    expect(() => plan({ history: [], network, now: NOW, capacityCbm: -1 })).toThrow(/capacity: expected m³ ≥ 0/);
    expect(() => plan({ history: [], network, now: NOW, departureId: 'R2-2026-11-23' })).toThrow(/departure "R2-2026-11-23" was cut off at 2026-11-22T10:00:00Z: nothing more can be loaded/);
    expect(() => plan({ history: [], network, now: NOW, departureId: 'R2-2027-01-01' })).toThrow(/unknown departure "R2-2027-01-01"/);
    expect(() => plan({ history: [], network, now: NOW, serviceLevel: 1 })).toThrow(/serviceLevel/);
    expect(() => plan({ history: [], network, now: NOW, inbound: [{ warehouseId: 'WH-DUI', sku: 'X', units: 1.5, arrivesOn: 'soon' }] })).toThrow(/inbound\[0\]\.units[\s\S]*inbound\[0\]\.arrivesOn/);
  });
});
