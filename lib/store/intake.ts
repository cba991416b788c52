/**
 * The durable half of order intake (the IntakeRecorder port; the use case is lib/orders/intake.ts):
 * durable and idempotent BEFORE a webhook is answered. One TransactWriteItems puts the
 * delivery-dedup item (7-day TTL), the business-key item and the order item, each only if absent;
 * the answer says whether the order is to be queued, and once it was, `markQueued` stamps the
 * order item `queuedAt`. A retried delivery or a second delivery of the same order is a
 * `duplicate`; if that order is still `received` and was never stamped, it is to be queued again
 * — which covers a crash or an SQS fault between the write and the send without sending a message
 * per retry (the worker routes an order version once, however many messages arrive).
 */
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CanonicalOrder, Platform } from '#network/schemas.ts';
import { TransientError } from '#shared/errors.ts';
import { RETENTION } from '#shared/definitions.ts';
import { retryingConflicts, TransactionConflictError } from './conflict-retry.ts';
import { keys } from './keys.ts';
import type { OrderRecord, OrderStatus } from './order-record.ts';
import { orderItem, recordFromItem } from './orders.ts';

/** How long a delivery id is remembered (Shopify retries for 4 hours; 7 days is ample). */
export const DELIVERY_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface IntakeInput {
  readonly source: { readonly platform: Platform; readonly shop: string };
  /** The sender's delivery id; scoped to the shop here, since some platforms count per site. */
  readonly deliveryId?: string;
  /** The canonical order, its orderId derived from the business key. */
  readonly order: CanonicalOrder;
  readonly status: 'received' | 'pending';
  readonly note?: string;
  /** An update (orders/paid, order.updated) only promotes a pending order; it is never a conflict. */
  readonly update: boolean;
}

/** What was recorded; `enqueue`: the order is to go to the orders queue now. */
export type RecordedIntake =
  | {
      readonly outcome: 'accepted' | 'duplicate';
      readonly orderId: string;
      readonly status: OrderStatus;
      readonly enqueue: boolean;
    }
  | {
      readonly outcome: 'conflict';
      readonly orderId: string;
      readonly status: OrderStatus;
      /** What differs from the recorded order: `lines`, `shipTo`. */
      readonly differences: readonly string[];
    };

export interface IntakeRecorder {
  /** Records the order durably. Throws only when nothing durable happened. */
  record(input: IntakeInput): Promise<RecordedIntake>;
  /** Stamps the order item `queuedAt` (no-op for a missing order). */
  markQueued(orderId: string, at: Date): Promise<void>;
}

export interface IntakeRecorderOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock?: () => Date;
  /** Days until the order item (buyer data) and its business key expire; default RETENTION.buyerDataDays. */
  readonly retentionDays?: number;
}

/**
 * What makes two copies of an order different orders: the lines (SKU and quantity, in any order)
 * or the destination. Prices, timestamps and currency may be re-rendered by a sender; they are not.
 */
export function materialDifferences(a: CanonicalOrder, b: CanonicalOrder): string[] {
  const lines = (o: CanonicalOrder) => {
    const qty = new Map<string, number>();
    for (const line of o.lines) qty.set(line.sku, (qty.get(line.sku) ?? 0) + line.qty);
    return [...qty].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([sku, q]) => `${sku}×${q}`).join(',');
  };
  const postal = (o: CanonicalOrder) => (o.shipTo.postalCode ?? '').replace(/\s+/g, '').toUpperCase();
  const out: string[] = [];
  if (lines(a) !== lines(b)) out.push('lines');
  if (a.shipTo.country !== b.shipTo.country || postal(a) !== postal(b)) out.push('shipTo');
  return out;
}

interface CancelledTransaction {
  readonly name: string;
  readonly CancellationReasons?: readonly { Code?: string }[];
}

function cancellation(error: unknown): CancelledTransaction | undefined {
  const e = error as CancelledTransaction | undefined;
  return e?.name === 'TransactionCanceledException' ? e : undefined;
}

/** True when the only reasons a transaction was cancelled are failed conditions (a duplicate, not a fault). */
function onlyConditions(error: CancelledTransaction): boolean {
  const reasons = error.CancellationReasons ?? [];
  return reasons.some((r) => r.Code === 'ConditionalCheckFailed') && reasons.every((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'None' || r.Code === undefined);
}

/** The intake recorder over one table. */
export function createIntakeRecorder(options: IntakeRecorderOptions): IntakeRecorder {
  const { doc, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  const retentionSeconds = (options.retentionDays ?? RETENTION.buyerDataDays) * 24 * 60 * 60;

  /**
   * Sends an intake transaction, again after a short pause when DynamoDB cancelled it only for a
   * conflict with another transaction on the same items (two copies of one delivery racing): the
   * second then finds the first's items and answers `duplicate`, instead of a 503 that WooCommerce
   * counts towards disabling the hook. A webhook must answer within seconds: few, short retries.
   */
  async function sendTransaction(command: () => TransactWriteCommand): Promise<void> {
    await retryingConflicts(
      async () => {
        try {
          await doc.send(command());
        } catch (error) {
          const cancelled = cancellation(error);
          const codes = (cancelled?.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
          if (cancelled !== undefined && codes.includes('TransactionConflict') && codes.every((c) => c === 'TransactionConflict' || c === 'None')) {
            throw new TransactionConflictError('intake transaction conflicted with another', { cause: error });
          }
          throw error;
        }
      },
      { maxAttempts: 5, baseMs: 10, capMs: 200 },
    );
  }

  async function readOrder(orderId: string): Promise<(OrderRecord & { queuedAt?: string }) | undefined> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.order(orderId), ConsistentRead: true }));
    return Item === undefined ? undefined : recordFromItem(Item);
  }

  function deliveryKey(input: IntakeInput) {
    return input.deliveryId === undefined ? undefined : keys.delivery(input.source.platform, `${input.source.shop}#${input.deliveryId}`);
  }

  function deliveryPut(input: IntakeInput, now: Date) {
    const key = deliveryKey(input);
    if (key === undefined) return [];
    return [
      {
        Put: {
          TableName: tableName,
          Item: {
            ...key,
            kind: 'delivery',
            orderId: input.order.orderId,
            receivedAt: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + DELIVERY_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  /** The earlier order this duplicate refers to: queued again when it is waiting and was never queued. */
  async function duplicateOf(orderId: string, existing?: OrderRecord & { queuedAt?: string }): Promise<RecordedIntake> {
    const order = existing ?? (await readOrder(orderId));
    if (order === undefined) {
      // The dedup item outlived its order (or names another id): nothing to re-send, still a duplicate.
      return { outcome: 'duplicate', orderId, status: 'received', enqueue: false };
    }
    const resend = order.status === 'received' && order.queuedAt === undefined;
    return { outcome: 'duplicate', orderId, status: order.status, enqueue: resend };
  }

  /** A pending order becomes received, taking the paid delivery's payload (it was never routed). */
  async function promote(input: IntakeInput, now: Date): Promise<RecordedIntake> {
    const orderId = input.order.orderId;
    try {
      await sendTransaction(() =>
        new TransactWriteCommand({
          TransactItems: [
            ...deliveryPut(input, now),
            {
              Update: {
                TableName: tableName,
                Key: keys.order(orderId),
                // Now received: into the sweep's sparse index, aged from the promotion.
                UpdateExpression: 'SET #status = :received, #order = :order, updatedAt = :now, rcvpk = :rcvpk, rcvsk = :rcvsk REMOVE note',
                ConditionExpression: '#status = :pending',
                ExpressionAttributeNames: { '#status': 'status', '#order': 'order' },
                ExpressionAttributeValues: {
                  ':received': 'received',
                  ':pending': 'pending',
                  ':order': input.order,
                  ':now': now.toISOString(),
                  ':rcvpk': keys.receivedIndex(orderId, now.toISOString()).rcvpk,
                  ':rcvsk': keys.receivedIndex(orderId, now.toISOString()).rcvsk,
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      const cancelled = cancellation(error);
      if (cancelled === undefined || !onlyConditions(cancelled)) throw new TransientError('intake promotion failed', { cause: error });
      // Another delivery promoted it first, or this very delivery was seen: a duplicate either way.
      return duplicateOf(orderId);
    }
    return { outcome: 'accepted', orderId, status: 'received', enqueue: true };
  }

  return {
    async markQueued(orderId, at) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.order(orderId),
          UpdateExpression: 'SET queuedAt = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':now': at.toISOString() },
        }),
      );
    },
    async record(input) {
      const now = clock();
      const { order, source } = input;
      const orderId = order.orderId;
      const record: OrderRecord = {
        orderId,
        sellerId: order.sellerId,
        status: input.status,
        order,
        source: { platform: source.platform, shop: source.shop },
        receivedAt: now.toISOString(),
        updatedAt: now.toISOString(),
        decisionVersion: 0,
        ...(input.note === undefined ? {} : { note: input.note }),
      };
      const deliveries = deliveryPut(input, now);
      // The table's TTL removes the buyer's data (the postal code) with the order item, and the
      // business key with it, so a late redelivery is a new order rather than a key without its order.
      const expiresAt = Math.floor(now.getTime() / 1000) + retentionSeconds;
      try {
        await sendTransaction(() =>
          new TransactWriteCommand({
            TransactItems: [
              ...deliveries,
              {
                Put: {
                  TableName: tableName,
                  Item: { ...keys.externalOrder(source.platform, source.shop, order.externalId), kind: 'external-order', orderId, expiresAt },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              { Put: { TableName: tableName, Item: { ...orderItem(record), expiresAt }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        );
      } catch (error) {
        const cancelled = cancellation(error);
        if (cancelled === undefined || !onlyConditions(cancelled)) throw new TransientError('intake write failed', { cause: error });
        const key = deliveryKey(input);
        if (key !== undefined && cancelled.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
          const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
          return duplicateOf(typeof Item?.orderId === 'string' ? Item.orderId : orderId);
        }
        const existing = await readOrder(orderId);
        if (existing === undefined) throw new TransientError(`business key of ${orderId} exists without its order item`, { cause: error });
        if (existing.status === 'pending' && input.status === 'received') return promote(input, now);
        if (!input.update) {
          const differences = materialDifferences(existing.order, order);
          if (differences.length > 0) return { outcome: 'conflict', orderId, status: existing.status, differences };
        }
        return duplicateOf(orderId, existing);
      }
      return { outcome: 'accepted', orderId, status: input.status, enqueue: input.status === 'received' };
    },
  };
}
