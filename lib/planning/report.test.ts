import { describe, expect, it } from 'vitest';
import { route } from '#routing/route.ts';
import { fixtureNetwork, NOW } from '#routing/test-fixtures.ts';
import { savingsChart } from './chart.ts';
import { formatReportTable } from './format.ts';
import { report } from './report.ts';
import { decisionOf, oneLine, routed } from './test-helpers.ts';

const at = (d: number) => new Date(Date.UTC(2026, 10, d, 9));
const feasible = (routeId: string, mode: string, total: number) => ({ routeId, mode, feasible: true, cost: { total, currency: 'EUR' } });
const short = { routeId: 'warehouse:WH-DUI', mode: 'overseas-warehouse', feasible: false, reasons: [{ code: 'no-stock', message: 'WH-DUI has 0 of UMB-3F, needs 1' }] };

function handHistory() {
  const o = (id: string, d: number) => oneLine(id, 'yiwu', 'UMB-3F', 1, 'DE', at(d));
  return [
    decisionOf(o('d1', 10), { mode: 'direct-parcel', from: 'CN-YIW', total: 9 }, [feasible('direct:CN-STD', 'direct-parcel', 9), short]),
    decisionOf(o('d2', 11), { mode: 'overseas-warehouse', from: 'WH-MAD', total: 6 }, [feasible('warehouse:WH-MAD', 'overseas-warehouse', 6), feasible('direct:CN-STD', 'direct-parcel', 8)]),
    decisionOf(o('d3', 12), { mode: 'rail-to-warehouse', from: 'CN-YIW', total: 5 }, [feasible('rail:R2-2026-11-25', 'rail-to-warehouse', 5), feasible('direct:YUN-DDP', 'direct-parcel', 7.5), feasible('direct:CN-STD', 'direct-parcel', 7)]),
    decisionOf(o('d4', 13), { mode: 'overseas-warehouse', from: 'WH-MAD', total: 12 }, [feasible('warehouse:WH-MAD', 'overseas-warehouse', 12)]),
    decisionOf(o('d5', 14), undefined, [short]),
    // Outside the period asked for.
    decisionOf(o('d6', 20), { mode: 'direct-parcel', from: 'CN-YIW', total: 100 }, [feasible('direct:CN-STD', 'direct-parcel', 100)]),
  ];
}

describe('the savings report', () => {
  it('adds up spend and both baselines from the same decisions', () => {
    const r = report({ history: handHistory(), from: '2026-11-01T00:00:00Z', to: '2026-11-20T00:00:00Z' });
    expect(r.sellers).toHaveLength(1);
    const s = r.sellers[0]!;
    expect(s.orders).toEqual({ total: 5, routed: 4, unroutable: 1, byMode: { 'direct-parcel': 1, 'overseas-warehouse': 2, 'rail-to-warehouse': 1, unroutable: 1 } });
    expect(s.spend).toEqual({ amount: 32, currency: 'EUR' });
    // All direct: 9 + 8 + 7 + 12 (the power bank has no direct parcel: its own cost).
    expect(s.baselines.allDirect).toEqual({ amount: 36, currency: 'EUR', saved: 4, ordersWithoutDirect: 1 });
    // Warehouse when in stock: 9 + 6 + 7 (no train) + 12.
    expect(s.baselines.warehouseWhenInStock).toEqual({ amount: 34, currency: 'EUR', saved: 2 });
    // No network: the stock-short orders are counted, not priced.
    expect(s.missedForStock).toEqual({ orders: 2, unroutable: 1, amount: null, currency: 'EUR' });
    expect(s.daily.map((d) => [d.day, d.orders, d.spend])).toEqual([
      ['2026-11-10', 1, 9], ['2026-11-11', 1, 6], ['2026-11-12', 1, 5], ['2026-11-13', 1, 12], ['2026-11-14', 1, 0],
    ]);
  });

  it('prices the saving missed for lack of stock with the routing core', () => {
    const network = fixtureNetwork();
    // No hoodies at WH-DUI: two hoodies to Germany go direct.
    const history = routed([oneLine('h1', 'tianmen', 'HOODIE', 1, 'DE', NOW), oneLine('h2', 'tianmen', 'HOODIE', 1, 'DE', new Date(NOW.getTime() + 60_000))], network);
    expect(history[0]!.decision.chosen!.mode).toBe('direct-parcel');
    const r = report({ history, network });
    const stocked = { ...network, stock: [...network.stock, { sellerId: 'tianmen', warehouseId: 'WH-DUI', sku: 'HOODIE', available: 5 }] };
    const withStock = route(history[0]!.order, stocked, NOW).chosen!;
    expect(withStock.mode).toBe('overseas-warehouse');
    const each = history[0]!.decision.chosen!.cost.total - withStock.cost.total;
    expect(r.sellers[0]!.missedForStock.orders).toBe(2);
    expect(r.sellers[0]!.missedForStock.amount).toBeCloseTo(2 * each, 2);
  });

  it('names a bad period bound', () => {
    expect(() => report({ history: [], from: 'last week' })).toThrow(/--from: expected an ISO-8601 date/);
  });

  it('prints a table and a chart a reader can trust', () => {
    const r = report({ history: handHistory(), to: '2026-11-20T00:00:00Z' });
    const table = formatReportTable(r);
    expect(table).toContain('baseline: all direct               €36.00  saved €4.00 (1 order had no direct parcel)');
    expect(table).toContain('missed for lack of stock              n/a  2 orders, 1 of them not routable at all');
    const svg = savingsChart({ ...r, sellers: r.sellers.map((s) => ({ ...s, sellerId: 'yiwu <&> "goods"' })) });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('yiwu &lt;&amp;&gt; &quot;goods&quot; (EUR)');
    expect(svg).not.toContain('<&>');
    // Three bars (no network: no "with the stock" bar), scaled to the largest: all direct.
    const widths = [...svg.matchAll(/<rect x="230" y="\d+" width="(\d+)" height="16" fill="#(b0b7c3|7d8ca3|2f6fb3)"\/>/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([370, Math.round((370 * 34) / 36), Math.round((370 * 32) / 36)]);
  });
});
