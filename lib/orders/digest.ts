/**
 * The daily digest use case (issue 14 item 5): for each seller on `digest` whose local digest hour
 * it is (or any digest seller, on demand with `force`), one email about the period that just
 * ended — exactly once per period whatever retries, through the same email ledger as decisions
 * (the marker is keyed `digest:<sellerId>` at version YYYYMMDD of the period's local date).
 */
import { orderLabel, type Seller } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { summarizeDigest, type DigestEntry, type DigestSummary } from '#routing/digest-summary.ts';
import type { OrderRecord } from '#store/order-record.ts';
import type { EmailLedger, Log, SnapshotSource } from './ports.ts';
import { digestPeriod, isDigestDue, preferencesOf } from './preferences.ts';

export interface DigestPorts {
  readonly sellers: () => Promise<readonly string[]>;
  readonly orders: {
    listSellerOrders(sellerId: string, options?: { limit?: number; cursor?: string }): Promise<{ orders: readonly OrderRecord[]; cursor?: string }>;
  };
  readonly snapshots: Pick<SnapshotSource, 'load'>;
  readonly ledger: EmailLedger;
  readonly mailer: {
    send(input: { summary: DigestSummary; seller: Seller; network: NetworkSnapshot; now: Date; date: string }): Promise<{ messageId: string; to: string; subject: string }>;
  };
  readonly log: Log;
}

export type DigestOutcome =
  | { readonly sellerId: string; readonly kind: 'sent'; readonly date: string; readonly messageId: string; readonly orders: number }
  | { readonly sellerId: string; readonly kind: 'already-sent'; readonly date: string }
  | { readonly sellerId: string; readonly kind: 'not-due' | 'not-digest' };

/** The ledger key of one seller's digest: never an order id (those have no colon prefix `digest:`). */
export function digestMarker(sellerId: string, date: string): { orderId: string; decisionVersion: number } {
  return { orderId: `digest:${sellerId}`, decisionVersion: Number(date.replaceAll('-', '')) };
}

/** A period's orders: pages of the seller's orders (newest placed first) until they were placed two days before it began. */
async function ordersOf(ports: DigestPorts, sellerId: string, start: Date, end: Date): Promise<DigestEntry[]> {
  const entries: DigestEntry[] = [];
  const stopBefore = start.getTime() - 2 * 86_400_000;
  let cursor: string | undefined;
  do {
    const page = await ports.orders.listSellerOrders(sellerId, { limit: 100, ...(cursor !== undefined && { cursor }) });
    for (const record of page.orders) {
      const at = Date.parse(record.decision?.decidedAt ?? record.updatedAt ?? record.order.placedAt);
      if (at >= start.getTime() && at < end.getTime() && (record.status === 'routed' || record.status === 'unroutable' || record.status === 'failed')) {
        entries.push({
          orderId: record.order.externalId,
          orderNumber: orderLabel(record.order),
          status: record.status,
          ...(record.decision !== undefined && { decision: record.decision }),
          ...(record.note !== undefined && { note: record.note }),
        });
      }
    }
    const last = page.orders.at(-1);
    cursor = last !== undefined && Date.parse(last.order.placedAt) < stopBefore ? undefined : page.cursor;
  } while (cursor !== undefined);
  return entries;
}

export async function sendDigests(ports: DigestPorts, now: Date, options: { force?: boolean; sellerId?: string } = {}): Promise<DigestOutcome[]> {
  const ids = options.sellerId !== undefined ? [options.sellerId] : await ports.sellers();
  const outcomes: DigestOutcome[] = [];
  for (const sellerId of ids) {
    const network = await ports.snapshots.load(sellerId, now);
    const seller = network.sellers.find((s) => s.id === sellerId);
    const prefs = preferencesOf(seller);
    if (seller === undefined || prefs.mode !== 'digest') {
      outcomes.push({ sellerId, kind: 'not-digest' });
      continue;
    }
    if (options.force !== true && !isDigestDue(prefs, now)) {
      outcomes.push({ sellerId, kind: 'not-due' });
      continue;
    }
    const period = digestPeriod(prefs, now);
    let count = 0;
    const result = await ports.ledger.sendOnce({
      ...digestMarker(sellerId, period.date),
      now,
      send: async () => {
        const entries = await ordersOf(ports, sellerId, period.start, period.end);
        count = entries.length;
        const summary = summarizeDigest(sellerId, period, entries, network);
        return (await ports.mailer.send({ summary, seller, network, now, date: period.date })).messageId;
      },
    });
    if (result.kind === 'sent') {
      ports.log.info('digest sent', { sellerId, date: period.date, orders: count, sesMessageId: result.messageId });
      outcomes.push({ sellerId, kind: 'sent', date: period.date, messageId: result.messageId, orders: count });
    } else {
      outcomes.push({ sellerId, kind: 'already-sent', date: period.date });
    }
  }
  return outcomes;
}
