/**
 * What the load plan and the savings report read from the table (issue 13): a seller's routing
 * history — each order with its current decision, the `{ order, decision }` lines of
 * docs/decisions/0019 — over a period of `placedAt`, through the seller-orders index (gsi1:
 * one Query, keys only, then the order items by BatchGet; never a Scan); and the writer
 * that seeds the twin with a simulated month.
 */
import { gunzipSync } from 'node:zlib';
import type { CanonicalOrder } from '#network/schemas.ts';
import type { Decision } from '#routing/decision.ts';
import { TABLE } from '#shared/definitions.ts';
import { batchGetAll, batchWriteAll, queryAll, type Item, type StoreContext } from './batch.ts';
import { keys } from './keys.ts';
import type { OrderRecord } from './order-record.ts';
import { orderItem, recordFromItem } from './orders.ts';

/** One order and the decision it holds now (a rerouted order: its latest). */
export interface StoredHistoryEntry {
  readonly order: CanonicalOrder;
  readonly decision: Decision;
}

export interface HistoryReader {
  /**
   * The seller's decided orders placed in [placedFrom, placedTo) (ISO instants), oldest first.
   * Orders not decided yet (received, pending, failed) have no decision and are left out.
   */
  history(sellerId: string, period: { readonly placedFrom: string; readonly placedTo: string }): Promise<StoredHistoryEntry[]>;
}

/** The history reader over one table. */
export function createHistoryReader(ctx: StoreContext): HistoryReader {
  return {
    async history(sellerId, period) {
      const index = TABLE.globalSecondaryIndexes[0];
      const pk = keys.sellerOrdersIndex(sellerId, '', '').gsi1pk;
      // gsi1sk = <placedAt>#<orderId>: "#" sorts before every digit, so [from, to) by prefix is exact.
      const found = await queryAll(ctx, {
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': index.partitionKey.name, '#sk': index.sortKey.name },
        ExpressionAttributeValues: { ':pk': pk, ':from': period.placedFrom, ':to': period.placedTo },
      });
      const inPeriod = found.filter((k) => String(k.gsi1sk) < period.placedTo);
      const items = await batchGetAll(ctx, inPeriod.map((k) => ({ pk: String(k.pk), sk: String(k.sk) })));
      const out: StoredHistoryEntry[] = [];
      for (const item of items) {
        const record = recordFromItem(item);
        if (record.sellerId !== sellerId || record.decision === undefined) continue;
        if (record.status !== 'routed' && record.status !== 'unroutable') continue;
        out.push({ order: record.order, decision: fullDecision(item, record.decision) });
      }
      return out.sort((a, b) => cmp(a.order.placedAt, b.order.placedAt) || cmp(a.order.orderId, b.order.orderId));
    },
  };
}

/** The decision as decided: an oversized one's full form when it was kept gzipped (0027). */
function fullDecision(item: Item, stored: Decision): Decision {
  const gzip = item.decisionGzip;
  if (item.decisionStored !== 'compressed' || !(gzip instanceof Uint8Array)) return stored;
  try {
    return JSON.parse(gunzipSync(gzip).toString('utf8')) as Decision;
  } catch {
    // A damaged copy still leaves the summary, which is a valid decision.
    return stored;
  }
}

/**
 * Writes decided orders as the router would have left them (order item at decision version 1,
 * already notified, and its buyer-free decision record): how the twin is seeded with a
 * simulated month (`silkroute simulate`) so `npm start` shows a plan and a report at once.
 */
export async function writeDecidedOrders(
  ctx: StoreContext,
  entries: readonly StoredHistoryEntry[],
  source: { readonly platform: string; readonly shop: string },
): Promise<void> {
  const requests = entries.flatMap(({ order, decision }) => {
    const record: OrderRecord = {
      orderId: order.orderId,
      sellerId: order.sellerId,
      status: decision.status,
      order,
      source,
      receivedAt: order.placedAt,
      updatedAt: decision.decidedAt,
      decisionVersion: 1,
      decision,
      notifiedVersion: 1,
      reservations: { stock: [], capacity: [] },
    };
    const decisionRecord: Item = {
      ...keys.decisionRecord(order.orderId, 1),
      kind: 'decision',
      orderId: order.orderId,
      sellerId: order.sellerId,
      marketplace: order.marketplace,
      ...(order.orderNumber !== undefined && { orderNumber: order.orderNumber }),
      country: order.shipTo.country,
      decisionVersion: 1,
      status: decision.status,
      decidedAt: decision.decidedAt,
      decision,
    };
    return [{ PutRequest: { Item: orderItem(record) } }, { PutRequest: { Item: decisionRecord } }];
  });
  await batchWriteAll(ctx, requests);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
