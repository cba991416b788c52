/**
 * Issue 12 item 3 (ADR 0032): a warehouse may promise units still on a train. Short stock now
 * plus an inbound lot covering the rest is feasible, with the ETA counted from the lot's arrival.
 */
import { describe, expect, it } from 'vitest';
import type { InboundSupply, NetworkSnapshot } from '#network/types.ts';
import type { Candidate, Decision } from './decision.ts';
import { route } from './route.ts';
import { fixtureNetwork, NOW, order } from './test-fixtures.ts';

function candidate(d: Decision, routeId: string): Candidate {
  const c = d.candidates.find((x) => x.routeId === routeId);
  if (c === undefined) throw new Error(`no candidate ${routeId}`);
  return c;
}
function withStock(n: NetworkSnapshot, available: number): NetworkSnapshot {
  const stock = n.stock.filter((s) => !(s.sellerId === 'yiwu' && s.warehouseId === 'WH-MAD' && s.sku === 'UMB-3F'));
  return { ...n, stock: [...stock, { sellerId: 'yiwu', warehouseId: 'WH-MAD', sku: 'UMB-3F', available }] };
}
const lot = (lotId: string, remaining: number, arrivesOn: string): InboundSupply => ({ sellerId: 'yiwu', warehouseId: 'WH-MAD', sku: 'UMB-3F', lotId, remaining, arrivesOn });
const dayDiff = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / 86_400_000;
const FAR = { deliverBy: '2027-03-31' };

describe('promising units still on a train', () => {
  it('is feasible when an inbound lot covers the shortfall, with the ETA counted from its arrival', () => {
    const inStock = route(order('yiwu', 'ES', [['UMB-3F', 3]], FAR), withStock(fixtureNetwork(), 3), NOW);
    const now = candidate(inStock, 'warehouse:WH-MAD');
    expect(now.feasible).toBe(true);
    // 1 unit now, 2 on lot P-1 arriving 2026-12-10 (17 days after NOW's 2026-11-23)
    const net = { ...withStock(fixtureNetwork(), 1), inbound: [lot('P-1', 2, '2026-12-10')] };
    const later = candidate(route(order('yiwu', 'ES', [['UMB-3F', 3]], FAR), net, NOW), 'warehouse:WH-MAD');
    expect(later.feasible, JSON.stringify(later.reasons)).toBe(true);
    expect(dayDiff(later.eta!.earliest, now.eta!.earliest)).toBe(17);
    expect(dayDiff(later.eta!.latest, now.eta!.latest)).toBe(17);
    expect(later.cost).toEqual(now.cost);
  });

  it('counts from the latest lot the shortfall needs, earliest lots first', () => {
    const base = candidate(route(order('yiwu', 'ES', [['UMB-3F', 4]], FAR), withStock(fixtureNetwork(), 4), NOW), 'warehouse:WH-MAD');
    const net = { ...withStock(fixtureNetwork(), 0), inbound: [lot('P-2', 5, '2026-12-20'), lot('P-1', 2, '2026-12-01')] };
    const c = candidate(route(order('yiwu', 'ES', [['UMB-3F', 4]], FAR), net, NOW), 'warehouse:WH-MAD');
    // P-1 (2, 8 days out) is not enough: P-2 (27 days out) is needed too
    expect(dayDiff(c.eta!.latest, base.eta!.latest)).toBe(27);
    const two = candidate(route(order('yiwu', 'ES', [['UMB-3F', 2]], FAR), net, NOW), 'warehouse:WH-MAD');
    expect(dayDiff(two.eta!.latest, base.eta!.latest)).toBe(8);
  });

  it('is not feasible without a lot, or when the lots fall short', () => {
    const none = candidate(route(order('yiwu', 'ES', [['UMB-3F', 3]], FAR), withStock(fixtureNetwork(), 1), NOW), 'warehouse:WH-MAD');
    expect(none.feasible).toBe(false);
    expect(none.reasons?.map((r) => r.code)).toEqual(['no-stock']);
    const short = { ...withStock(fixtureNetwork(), 1), inbound: [lot('P-1', 1, '2026-12-10')] };
    const c = candidate(route(order('yiwu', 'ES', [['UMB-3F', 3]], FAR), short, NOW), 'warehouse:WH-MAD');
    expect(c.feasible).toBe(false);
    expect(c.reasons?.[0]?.params).toEqual({ warehouseId: 'WH-MAD', sku: 'UMB-3F', available: 1, needed: 3 });
  });

  it('is not feasible when the lot arrives too late for the deadline', () => {
    const net = { ...withStock(fixtureNetwork(), 1), inbound: [lot('P-1', 2, '2026-12-28')] };
    const c = candidate(route(order('yiwu', 'ES', [['UMB-3F', 3]], { deliverBy: '2026-12-24' }), net, NOW), 'warehouse:WH-MAD');
    expect(c.feasible).toBe(false);
    expect(c.reasons?.map((r) => r.code)).toEqual(['missed-deadline']);
  });
});

describe('drawFromLots', () => {
  it('takes the shortfall earliest arrival first, no more than each lot holds', async () => {
    const { drawFromLots, lotsCoverDay } = await import('./warehouse.ts');
    const lots = [
      { lotId: 'P-1', remaining: 2, arrivesDay: 10, arrivesOn: '1970-01-11' },
      { lotId: 'P-2', remaining: 5, arrivesDay: 20, arrivesOn: '1970-01-21' },
    ];
    expect(drawFromLots(lots, 4).map((d) => [d.lot.lotId, d.qty])).toEqual([['P-1', 2], ['P-2', 2]]);
    expect(drawFromLots(lots, 1).map((d) => [d.lot.lotId, d.qty])).toEqual([['P-1', 1]]);
    expect(lotsCoverDay(lots, 7)).toBe(20);
    expect(lotsCoverDay(lots, 8)).toBe(-1);
  });
});

describe('the lot named in the decision', () => {
  it('names the lot units on the warehouse shipment, and the reservations take them from the lot, the rest from the shelf', async () => {
    const { reservationsOf } = await import('./route.ts');
    // Lots landing soon: the warehouse stays the cheapest, earliest route.
    const net = { ...withStock(fixtureNetwork(), 1), inbound: [lot('P-2', 5, '2026-11-25'), lot('P-1', 1, '2026-11-24')] };
    const d = route(order('yiwu', 'ES', [['UMB-3F', 4]], FAR), net, NOW);
    expect(d.chosen?.routeId).toBe('warehouse:WH-MAD');
    const shipment = d.chosen?.shipments.find((s) => s.mode === 'overseas-warehouse');
    expect(shipment, JSON.stringify(d.chosen)).toBeDefined();
    expect(shipment!.inbound).toEqual([
      { lotId: 'P-1', sku: 'UMB-3F', qty: 1, arrivesOn: '2026-11-24' },
      { lotId: 'P-2', sku: 'UMB-3F', qty: 2, arrivesOn: '2026-11-25' },
    ]);
    const r = reservationsOf(d, net);
    expect(r.stock).toEqual([{ warehouseId: 'WH-MAD', sku: 'UMB-3F', qty: 1 }]);
    expect(r.inbound).toEqual([
      { lotId: 'P-1', warehouseId: 'WH-MAD', sku: 'UMB-3F', qty: 1 },
      { lotId: 'P-2', warehouseId: 'WH-MAD', sku: 'UMB-3F', qty: 2 },
    ]);
  });

  it('names no lot when the shelf covers the order', async () => {
    const { reservationsOf } = await import('./route.ts');
    const net = { ...withStock(fixtureNetwork(), 9), inbound: [lot('P-1', 5, '2026-12-01')] };
    const d = route(order('yiwu', 'ES', [['UMB-3F', 4]], FAR), net, NOW);
    const shipment = d.chosen?.shipments.find((s) => s.mode === 'overseas-warehouse');
    expect(shipment).toBeDefined();
    expect(shipment!.inbound).toBeUndefined();
    expect(reservationsOf(d, net).inbound).toBeUndefined();
  });
});
