import { beforeAll, describe, expect, it } from 'vitest';
import { loadNetworkDir } from '#network/load.ts';
import type { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { route } from '#routing/route.ts';
import { toMinor } from '#routing/money.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { laterDateAdvice, stockAdvice } from './advice.ts';
import { renderDecisionEmail } from './render.ts';

/** Monday 23 Nov 2026, 16:00 in Yiwu. */
const NOW = new Date('2026-11-23T08:00:00Z');
let demo: NetworkSnapshot;
beforeAll(async () => {
  demo = (await loadNetworkDir('data/demo', { now: NOW })).snapshot;
});

const base = { marketplace: 'shopify', placedAt: '2026-11-23T07:30:00Z', sellerId: 'yiwu-goods' } as const;
/** A golf umbrella to Spain: no warehouse holds one, so it goes as a parcel today. */
const UMBRELLA: CanonicalOrder = { ...base, orderId: 'o-umb', externalId: '2001', shipTo: { country: 'ES' }, lines: [{ sku: 'UMB-GOLF', qty: 1 }] };

function withStock(network: NetworkSnapshot, warehouseId: string, sku: string, available: number): NetworkSnapshot {
  return {
    ...network,
    stock: [...network.stock.filter((s) => !(s.sellerId === 'yiwu-goods' && s.warehouseId === warehouseId && s.sku === sku)), { sellerId: 'yiwu-goods', warehouseId, sku, available }],
  };
}

describe('stock advice, computed by routing the order again', () => {
  it('names the stock that makes the next order like this cheaper, with the saving the router computes', () => {
    const today = route(UMBRELLA, demo, NOW).chosen!;
    const advice = stockAdvice(UMBRELLA, demo, NOW);
    expect(advice.length).toBeGreaterThan(0);
    for (const a of advice) {
      const stocked = route(UMBRELLA, withStock(demo, a.warehouseId, 'UMB-GOLF', 1), NOW).chosen!;
      expect(a.adds).toEqual([{ sku: 'UMB-GOLF', qty: 1 }]);
      expect(a.routed.routeId).toBe(stocked.routeId);
      expect(a.routed.routeId).toBe(`warehouse:${a.warehouseId}`);
      expect(a.savingMinor).toBe(toMinor(today.cost.total, today.cost.currency) - toMinor(stocked.cost.total, stocked.cost.currency));
      expect(a.savingMinor).toBeGreaterThan(0);
      // The train that brings it leaves later than now and is in the warehouse after it departs.
      expect(Date.parse(a.restock!.departure.cutoffAt)).toBeGreaterThan(NOW.getTime());
      expect(a.restock!.inWarehouse > a.restock!.departure.departsAt.slice(0, 10)).toBe(true);
    }
    // Cheapest first.
    expect(advice.map((a) => a.routed.total)).toEqual([...advice.map((a) => a.routed.total)].sort((x, y) => x - y));
  });

  it('says nothing when stock would not make the order cheaper', () => {
    // Plenty of umbrellas in Madrid already: that is today's route; stocking Duisburg would cost more.
    const stocked = withStock(demo, 'WH-MAD', 'UMB-GOLF', 50);
    const today = route(UMBRELLA, stocked, NOW).chosen!;
    expect(today.routeId).toBe('warehouse:WH-MAD');
    expect(stockAdvice(UMBRELLA, stocked, NOW)).toEqual([]);
  });

  it('gives no stock advice while a SKU is unknown: nothing routes until the catalogue knows it', () => {
    const order = { ...UMBRELLA, lines: [...UMBRELLA.lines, { sku: 'NOPE-1', qty: 1 }] };
    expect(stockAdvice(order, demo, NOW)).toEqual([]);
  });

  it('moves the promised date only to what the router then accepts', () => {
    const late: CanonicalOrder = { ...UMBRELLA, deliverBy: '2026-11-24' };
    expect(route(late, demo, NOW).status).toBe('unroutable');
    const fastest = route({ ...late, deliverBy: undefined } as never, demo, NOW).candidates.filter((c) => c.feasible).map((c) => c.eta!.latest).sort()[0]!;
    const later = laterDateAdvice(late, demo, NOW, fastest)!;
    expect(later.deliverBy).toBe(fastest);
    expect(later.routed.latestEta <= fastest).toBe(true);
    expect(laterDateAdvice(late, demo, NOW, '2026-11-24')).toBeUndefined();
  });
});

describe('the advice in the email', () => {
  function email(order: CanonicalOrder, language: 'zh-CN' | 'en', network = demo) {
    const net = { ...network, sellers: network.sellers.map((s) => (s.id === order.sellerId ? { ...s, language, reportCurrency: language === 'zh-CN' ? 'CNY' : 'EUR' } : s)) };
    const decision = route(order, net, NOW);
    const record: OrderRecord = {
      orderId: order.orderId,
      sellerId: order.sellerId,
      status: decision.status,
      order,
      source: { platform: 'shopify', shop: 'demo-shop' },
      receivedAt: order.placedAt,
      updatedAt: decision.decidedAt,
      decisionVersion: 1,
      decision,
    };
    return { net, text: renderDecisionEmail({ order: record, decision, network: net, now: NOW }).text };
  }

  it('tells a routed order what stock would make the next one like it cheaper, once, with the figures', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const { net, text } = email(UMBRELLA, language);
      const [best] = stockAdvice(UMBRELLA, net, NOW);
      const saves = new Intl.NumberFormat(language === 'zh-CN' ? 'zh-CN' : 'en-GB', { style: 'currency', currency: best!.routed.currency }).format(best!.savingMinor! / 100);
      if (language === 'zh-CN') {
        expect(text).toContain(`在马德里海外仓备货：1 件 UMB-GOLF，同样的订单每单省 ${saves}`);
        expect(text.match(/同样的订单每单省/g)).toHaveLength(1);
      } else {
        expect(text).toContain(`Stock 1 × UMB-GOLF in the Madrid overseas warehouse: the next order like this saves ${saves}`);
        expect(text.match(/the next order like this saves/g)).toHaveLength(1);
      }
    }
  });
});
