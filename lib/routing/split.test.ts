/**
 * ROUTING.md §3, "split" (issue 11, item 2): a parcel service may carry several parcels of one
 * order, each its own parcel for weight, size, freight, tariff lines and fees; parts from one
 * warehouse or on one departure stay one shipment. Figures worked by hand (CNY at 8.2 per euro).
 */
import { describe, expect, it } from 'vitest';
import type { NetworkSnapshot } from '#network/types.ts';
import type { Candidate, Decision } from './decision.ts';
import { route } from './route.ts';
import { fixtureNetwork, NOW, order } from './test-fixtures.ts';

function candidate(d: Decision, routeId: string): Candidate {
  const c = d.candidates.find((x) => x.routeId === routeId);
  if (c === undefined) throw new Error(`no candidate ${routeId} among ${d.candidates.map((x) => x.routeId).join(', ')}`);
  return c;
}
/** The fixture network with only the named parcel services. */
function onlyServices(...ids: string[]): NetworkSnapshot {
  const n = fixtureNetwork();
  return { ...n, parcelServices: n.parcelServices.filter((s) => ids.includes(s.id)) };
}

// HOODIE (tianmen): 650 g, 35 × 30 × 8 cm, held by no warehouse; to Germany, standard service
// level (placed 2026-11-23, due by 2026-12-13: rail arrives too late).
// Two hoodies on CN-STD: 1300 g actual, 2 × 8400 cm³ / 8000 = 2100 g volumetric →
//   ¥17 + ¥58 × 2.1 = ¥138.8 → 16.93; low value (13.42 ≤ 150): duty 3 × 1 HS code + VAT 19 % 0.57 = 20.50
const TWO_HOODIES_CN_STD = 20.5;

describe('several parcels on one parcel service', () => {
  it('splits an order over the postal line’s 2 kg into two parcels of the same service instead of express', () => {
    // Four hoodies, 2.6 kg: too heavy for one CN-STD parcel. Before, a split could use CN-STD only
    // once, so the second line went by DHL: 3360 g volumetric → 3500 g, ¥128 + ¥104 × 3.5 = ¥492
    // → 60.00 + 3.57 = 63.57, the split 84.07 (DHL for all four: 7000 g, ¥856 → 104.39 + 3.57 = 107.96).
    const d = route(order('tianmen', 'DE', [['HOODIE', 2], ['HOODIE', 2]]), onlyServices('CN-STD', 'DHL-EXP'), NOW);
    expect(candidate(d, 'direct:DHL-EXP').cost?.total).toBe(107.96);
    expect(candidate(d, 'direct:CN-STD').reasons?.map((r) => r.code)).toEqual(['overweight']);
    expect(d.chosen?.routeId).toBe('split:direct:CN-STD+direct:CN-STD');
    expect(d.chosen?.mode).toBe('split');
    expect(d.chosen?.cost.total).toBe(2 * TWO_HOODIES_CN_STD);
    // each parcel its own: freight, duty per tariff line and VAT on it, twice
    expect(d.chosen?.cost.components).toEqual([
      { name: 'freight', amount: 33.86 },
      { name: 'duty', amount: 6 },
      { name: 'vat-on-duty', amount: 1.14 },
    ]);
    expect(d.chosen?.shipments.map((s) => [s.routeId, s.serviceId, s.lines, s.cost.total])).toEqual([
      ['direct:CN-STD', 'CN-STD', [{ sku: 'HOODIE', qty: 2 }], TWO_HOODIES_CN_STD],
      ['direct:CN-STD', 'CN-STD', [{ sku: 'HOODIE', qty: 2 }], TWO_HOODIES_CN_STD],
    ]);
    const split = candidate(d, 'split:direct:CN-STD+direct:CN-STD');
    expect(split.parts?.map((p) => p.routeId)).toEqual(['direct:CN-STD', 'direct:CN-STD']);
    expect(d.savingsVsDirect?.amount).toBe(66.96); // 107.96 − 41.00
  });

  it('routes an order no single parcel can carry when the only postal line may take two parcels', () => {
    // Only CN-STD: before, the four hoodies were unroutable (one parcel is overweight, a split
    // could not use the service twice).
    const d = route(order('tianmen', 'DE', [['HOODIE', 2], ['HOODIE', 2]]), onlyServices('CN-STD'), NOW);
    expect(d.status).toBe('routed');
    expect(d.chosen?.routeId).toBe('split:direct:CN-STD+direct:CN-STD');
    expect(d.chosen?.cost.total).toBe(2 * TWO_HOODIES_CN_STD);
  });

  it('takes as many parcels as the weight needs, and groups the lines into as few as fit', () => {
    // 2 + 1 + 1 hoodies: two parcels (a third would add a parcel fee). {2} + {1, 1} = 20.50 × 2 = 41.00;
    // {2, 1} + {1} is a cent less by rounding: 1950 g, 3150 g volumetric → ¥17 + ¥58 × 3.15 = ¥199.7
    // → 24.35 + 3.57 = 27.92, and one hoodie 1050 g → ¥77.9 → 9.50 + 3.57 = 13.07: 40.99
    const d = route(order('tianmen', 'DE', [['HOODIE', 2], ['HOODIE', 1], ['HOODIE', 1]]), onlyServices('CN-STD'), NOW);
    expect(d.chosen?.routeId).toBe('split:direct:CN-STD+direct:CN-STD');
    expect(d.chosen?.cost.total).toBe(40.99);
    expect(d.chosen?.shipments.map((s) => [s.lines.map((l) => l.qty), s.cost.total])).toEqual([[[2, 1], 27.92], [[1], 13.07]]);
    // 3 × 2 hoodies: three parcels
    const three = route(order('tianmen', 'DE', [['HOODIE', 2], ['HOODIE', 2], ['HOODIE', 2]]), onlyServices('CN-STD'), NOW);
    expect(three.chosen?.routeId).toBe('split:direct:CN-STD+direct:CN-STD+direct:CN-STD');
    expect(three.chosen?.cost.total).toBe(3 * TWO_HOODIES_CN_STD);
  });

  it('keeps one parcel when it fits: a second parcel on the same service costs its parcel fee again', () => {
    // One hoodie per parcel: 1050 g volumetric → ¥17 + ¥58 × 1.05 = ¥77.9 → 9.50 + 3.57 = 13.07 each, 26.14;
    // both in one parcel: 20.50
    const d = route(order('tianmen', 'DE', [['HOODIE', 1], ['HOODIE', 1]]), onlyServices('CN-STD', 'DHL-EXP'), NOW);
    expect(d.chosen?.routeId).toBe('direct:CN-STD');
    expect(d.chosen?.cost.total).toBe(TWO_HOODIES_CN_STD);
    expect(candidate(d, 'split:direct:CN-STD+direct:CN-STD').cost?.total).toBe(26.14);
  });

  it('never splits one warehouse’s or one departure’s goods into two shipments', () => {
    // 15 + 10 clips with 20 in WH-DUI and none elsewhere: WH-DUI cannot ship the lines as two parts
    const n = fixtureNetwork();
    for (const s of n.stock) if (s.sku === 'CLIPS-6') s.available = s.warehouseId === 'WH-DUI' ? 20 : 0;
    const d = route(order('yiwu', 'DE', [['CLIPS-6', 15], ['CLIPS-6', 10]], { serviceLevel: 'express' }), n, NOW);
    for (const c of d.candidates) {
      const parts = (c.parts ?? []).map((p) => p.routeId).filter((id) => !id.startsWith('direct:'));
      expect(new Set(parts).size).toBe(parts.length);
    }
    expect(d.candidates.some((c) => c.routeId.includes('warehouse:WH-DUI+warehouse:WH-DUI'))).toBe(false);
  });
});
