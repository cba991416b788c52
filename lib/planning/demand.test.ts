import { describe, expect, it } from 'vitest';
import { fixtureNetwork } from '#routing/test-fixtures.ts';
import { collectDemand, demand } from './demand.ts';
import { parseHistoryLine, formatHistoryLine } from './history.ts';
import { dailyOrders, decisionOf, oneLine, routed } from './test-helpers.ts';

const NOW = new Date('2026-12-01T06:00:00Z');
const DAY = 86_400_000;
const dayStart = (n: number) => new Date(Date.UTC(2026, 11, 1) - n * DAY + 3_600_000);

describe('demand from routing history', () => {
  it('counts units per day over the window of whole days before now, per seller, SKU and country', () => {
    // 28 days of T-shirts to Germany: 2, 4, 2, 4 … units, plus two days to France.
    const perDay = Array.from({ length: 28 }, (_, i) => (i % 2 === 0 ? 2 : 4));
    const history = routed(
      [
        ...dailyOrders('tianmen', 'TEE-COT', 'DE', NOW, perDay),
        oneLine('fr-1', 'tianmen', 'TEE-COT', 3, 'FR', dayStart(2)),
        oneLine('fr-2', 'tianmen', 'TEE-COT', 1, 'FR', dayStart(1)),
        // Outside the window: today (not a whole day yet) and 29 days ago.
        oneLine('today', 'tianmen', 'TEE-COT', 50, 'DE', new Date('2026-12-01T01:00:00Z')),
        oneLine('old', 'tianmen', 'TEE-COT', 50, 'DE', dayStart(29)),
      ],
      fixtureNetwork(),
    );
    const rows = demand(history, { now: NOW });
    expect(rows.map((r) => [r.sku, r.country, r.orders, r.days])).toEqual([
      ['TEE-COT', 'DE', 84, 28],
      ['TEE-COT', 'FR', 2, 28],
    ]);
    expect(rows[0]!.unitsPerDay).toBeCloseTo(3, 9);
    expect(rows[1]!.unitsPerDay).toBeCloseTo(4 / 28, 9);
    // An alternating 2/4 is not a weekly pattern; its deviation is about 1.
    expect(rows[0]!.weekly).toBeNull();
    expect(rows[0]!.sdPerDay).toBeCloseTo(Math.sqrt((28 * 1) / 27), 9);
  });

  it('rests the figures on the days history covers, not the whole window', () => {
    const history = routed(dailyOrders('tianmen', 'TEE-COT', 'DE', NOW, [5, 5, 5, 5, 5, 5, 5]), fixtureNetwork());
    const [row] = demand(history, { now: NOW, windowDays: 28 });
    expect(row!.days).toBe(7);
    expect(row!.unitsPerDay).toBeCloseTo(5, 9);
  });

  it('counts orders a warehouse lost for lack of stock, reading the reason\'s params', () => {
    const o1 = oneLine('a', 'tianmen', 'HOODIE', 2, 'DE', dayStart(3));
    const o2 = { ...oneLine('b', 'tianmen', 'TEE-COT', 1, 'DE', dayStart(2)), lines: [{ sku: 'TEE-COT', qty: 1 }, { sku: 'HOODIE', qty: 1 }] };
    const noHoodie = { code: 'no-stock', message: 'WH-DUI has 0 of HOODIE, needs 2', params: { warehouseId: 'WH-DUI', sku: 'HOODIE', available: 0, needed: 2 } };
    const history = [
      decisionOf(o1, { mode: 'direct-parcel', from: 'CN-YIW', total: 9 }, [
        { routeId: 'direct:CN-STD', mode: 'direct-parcel', feasible: true, cost: { total: 9, currency: 'EUR' } },
        { routeId: 'warehouse:WH-DUI', mode: 'overseas-warehouse', feasible: false, reasons: [noHoodie] },
      ]),
      // Two lines, only the hoodie short: the T-shirt's demand counts, its stock was not short.
      decisionOf(o2, undefined, [{ routeId: 'warehouse:WH-DUI', mode: 'overseas-warehouse', feasible: false, reasons: [noHoodie] }]),
    ];
    const table = collectDemand(history, { now: NOW });
    const hoodie = [...table.series.values()].find((s) => s.sku === 'HOODIE')!;
    expect(hoodie.lost?.get('WH-DUI')).toEqual({ routed: 1, unroutable: 1, units: 3 });
    expect([...table.series.values()].find((s) => s.sku === 'TEE-COT')!.lost).toBeNull();
    expect(demand(table, { now: NOW }).find((r) => r.sku === 'HOODIE')!.lostPerWeek).toEqual({ 'WH-DUI': (2 * 7) / 3 });
  });

  it('without params takes the warehouse from the route id and every line as short', () => {
    const o = { ...oneLine('c', 'yiwu', 'UMB-3F', 1, 'ES', dayStart(1)), lines: [{ sku: 'UMB-3F', qty: 1 }, { sku: 'CLIPS-6', qty: 2 }] };
    const history = [
      decisionOf(o, { mode: 'direct-parcel', from: 'CN-YIW', total: 5 }, [
        { routeId: 'warehouse:WH-MAD', mode: 'overseas-warehouse', feasible: false, reasons: [{ code: 'no-stock', message: 'WH-MAD has 0 of UMB-3F, needs 1' }] },
      ]),
    ];
    const table = collectDemand(history, { now: NOW });
    for (const s of table.series.values()) expect(s.lost?.get('WH-MAD')?.routed).toBe(1);
  });

  it('does not count a warehouse the order shipped from in the end (a split took the rest)', () => {
    const o = oneLine('d', 'yiwu', 'UMB-3F', 3, 'ES', dayStart(1));
    const entry = decisionOf(o, { mode: 'overseas-warehouse', from: 'WH-MAD', total: 5 }, [
      { routeId: 'warehouse:WH-MAD', mode: 'overseas-warehouse', feasible: false, reasons: [{ code: 'no-stock', message: 'short', params: { warehouseId: 'WH-MAD', sku: 'UMB-3F' } }] },
    ]);
    expect([...collectDemand([entry], { now: NOW }).series.values()][0]!.lost).toBeNull();
  });

  it('counts what the routing core itself says is short', () => {
    // The fixture has no hoodies at WH-DUI: every hoodie to Germany is lost there.
    const history = routed(dailyOrders('tianmen', 'HOODIE', 'DE', NOW, [1, 2, 1, 2, 1, 2, 1]), fixtureNetwork());
    const [row] = demand(history, { now: NOW });
    expect(row!.lostPerWeek['WH-DUI']).toBe(10);
  });
});

describe('history lines', () => {
  it('read back what was written, params and unknown keys included', () => {
    const [entry] = routed([oneLine('e', 'tianmen', 'HOODIE', 1, 'DE', dayStart(1))], fixtureNetwork());
    const withParams = {
      ...entry!,
      decision: {
        ...entry!.decision,
        candidates: entry!.decision.candidates.map((c) => ({ ...c, reasons: c.reasons?.map((r) => ({ ...r, params: { warehouseId: 'WH-DUI' } })) })),
        customsFuture: { kept: true },
      },
    };
    const text = formatHistoryLine(withParams);
    const back = parseHistoryLine(text, 1);
    expect(back).toEqual(withParams);
  });
  it('name the line and the field of a bad line', () => {
    expect(parseHistoryLine('{"order": 1}', 7)).toEqual(expect.arrayContaining([expect.objectContaining({ line: 7, path: 'order' })]));
    expect(parseHistoryLine('{oops', 3)).toEqual([expect.objectContaining({ line: 3, message: expect.stringMatching(/^not JSON/) })]);
    expect(parseHistoryLine('   ', 4)).toBeUndefined();
  });
  it('refuse a decision that belongs to another order', () => {
    const [entry] = routed([oneLine('f', 'tianmen', 'TEE-COT', 1, 'DE', dayStart(1))], fixtureNetwork());
    const bad = JSON.stringify({ ...entry!, decision: { ...entry!.decision, orderId: 'other' } });
    expect(parseHistoryLine(bad, 2)).toEqual([expect.objectContaining({ path: 'decision', message: expect.stringMatching(/orderId/) })]);
  });
});
