/**
 * Test helpers for lib/planning: history lines made by the routing core itself (so tests see
 * the decisions the service stores), and hand-made ones where a test needs a precise reason.
 */
import type { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { route } from '#routing/route.ts';
import type { HistoryDecisionT, HistoryEntry } from './history.ts';

const DAY = 86_400_000;

/** An order of one line, placed `at`. */
export function oneLine(id: string, sellerId: string, sku: string, qty: number, country: string, at: Date): CanonicalOrder {
  return { orderId: id, sellerId, marketplace: 'test', externalId: id, placedAt: at.toISOString(), shipTo: { country }, lines: [{ sku, qty }] };
}

/** Route each order through the core as of its placedAt, against `network` unchanged. */
export function routed(orders: readonly CanonicalOrder[], network: NetworkSnapshot): HistoryEntry[] {
  return orders.map((order) => ({ order, decision: route(order, network, new Date(order.placedAt)) }));
}

/**
 * `perDay[i]` single-unit orders of one SKU to one country on day i of the `days` days before
 * `now`'s UTC day, spread over the day.
 */
export function dailyOrders(sellerId: string, sku: string, country: string, now: Date, perDay: readonly number[]): CanonicalOrder[] {
  const start = Math.floor(now.getTime() / DAY) * DAY - perDay.length * DAY;
  const out: CanonicalOrder[] = [];
  perDay.forEach((n, day) => {
    for (let k = 0; k < n; k++) out.push(oneLine(`${sku}-${country}-${day}-${k}`, sellerId, sku, 1, country, new Date(start + day * DAY + Math.floor(((k + 0.5) * DAY) / Math.max(1, n)))));
  });
  return out;
}

/** A decision by hand: routed by `chosenMode` from `from` (or unroutable), with the given candidates. */
export function decisionOf(order: CanonicalOrder, chosen: { mode: string; from: string; total: number } | undefined, candidates: HistoryDecisionT['candidates']): HistoryEntry {
  const decision: HistoryDecisionT = {
    orderId: order.orderId,
    sellerId: order.sellerId,
    decidedAt: order.placedAt,
    status: chosen === undefined ? 'unroutable' : 'routed',
    ...(chosen === undefined
      ? {}
      : {
          chosen: {
            routeId: `${chosen.mode === 'direct-parcel' ? 'direct' : 'warehouse'}:${chosen.from}`,
            mode: chosen.mode,
            cost: { total: chosen.total, currency: 'EUR' },
            shipments: [{ routeId: 'x', mode: chosen.mode, from: chosen.from, lines: order.lines.map((l) => ({ sku: l.sku, qty: l.qty })) }],
          },
        }),
    candidates,
  };
  return { order, decision };
}
