/**
 * The order item (keys.order): reading it, listing a seller's orders through gsi1, and the
 * small status updates outside a decision commit (failed, notified). Decisions themselves are
 * written by commit.ts, in one transaction with their reservations.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { TABLE } from '#shared/definitions.ts';
import { ValidationError } from '#shared/errors.ts';
import { batchGetAll, type Item, type StoreContext } from './batch.ts';
import { keys } from './keys.ts';
import type { OrderRecord } from './order-record.ts';

/** Attributes of the item that are storage, not part of the record. */
const STORAGE_ATTRIBUTES = ['pk', 'sk', 'kind', 'gsi1pk', 'gsi1sk', 'rcvpk', 'rcvsk', 'sweptAt', 'sweeps', 'expiresAt'] as const;

/**
 * The table item for an order record: its key, the seller-orders index attributes (gsi1:
 * newest first by placedAt) and the record's fields. Intake writes new orders with this.
 */
export function orderItem(record: OrderRecord): Item {
  return {
    ...record,
    ...keys.order(record.orderId),
    ...keys.sellerOrdersIndex(record.sellerId, record.order.placedAt, record.orderId),
    // Sparse: only a received order is in the sweep's index.
    ...(record.status === 'received' ? keys.receivedIndex(record.orderId, record.receivedAt) : {}),
    kind: 'order',
  };
}

/** The order record held by an order item (storage attributes removed). */
export function recordFromItem(item: Item): OrderRecord {
  const copy: Item = { ...item };
  for (const name of STORAGE_ATTRIBUTES) delete copy[name];
  return copy as unknown as OrderRecord;
}

export interface SellerOrdersPage {
  readonly orders: readonly OrderRecord[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  readonly cursor?: string;
}

export interface OrderStore {
  /** The order, read consistently (a worker must see the version it is about to commit after). */
  getOrder(orderId: string): Promise<OrderRecord | undefined>;
  /** The order when it belongs to `sellerId`; undefined when missing or another seller's. */
  getOrderForSeller(orderId: string, sellerId: string): Promise<OrderRecord | undefined>;
  /**
   * Marks an undecided order failed (its message reached the DLQ) with a plain-words note.
   * Returns false when the order is missing or already decided: a decision is never overwritten.
   */
  markFailed(orderId: string, note: string, now?: Date): Promise<boolean>;
  /** Records that decision `decisionVersion`'s notification is on its way; never moves backwards. */
  markNotified(orderId: string, decisionVersion: number): Promise<void>;
  /** A seller's orders, newest first (gsi1), `limit` per page. */
  listSellerOrders(sellerId: string, options?: { limit?: number; cursor?: string }): Promise<SellerOrdersPage>;
}

/** The order repository over one table. */
export function createOrderStore(ctx: StoreContext): OrderStore {
  async function getOrder(orderId: string): Promise<OrderRecord | undefined> {
    const { Item: found } = await ctx.doc.send(
      new GetCommand({ TableName: ctx.tableName, Key: keys.order(orderId), ConsistentRead: true }),
    );
    return found === undefined ? undefined : recordFromItem(found);
  }

  return {
    getOrder,

    async getOrderForSeller(orderId, sellerId) {
      const record = await getOrder(orderId);
      return record?.sellerId === sellerId ? record : undefined;
    },

    async markFailed(orderId, note, now = new Date()) {
      return conditional(
        ctx.doc.send(
          new UpdateCommand({
            TableName: ctx.tableName,
            Key: keys.order(orderId),
            UpdateExpression: 'SET #status = :failed, note = :note, updatedAt = :now REMOVE rcvpk, rcvsk',
            ConditionExpression: 'attribute_exists(pk) AND NOT (#status IN (:routed, :unroutable))',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':failed': 'failed',
              ':note': note,
              ':now': now.toISOString(),
              ':routed': 'routed',
              ':unroutable': 'unroutable',
            },
          }),
        ),
      );
    },

    async markNotified(orderId, decisionVersion) {
      await conditional(
        ctx.doc.send(
          new UpdateCommand({
            TableName: ctx.tableName,
            Key: keys.order(orderId),
            UpdateExpression: 'SET notifiedVersion = :v',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(notifiedVersion) OR notifiedVersion < :v)',
            ExpressionAttributeValues: { ':v': decisionVersion },
          }),
        ),
      );
    },

    async listSellerOrders(sellerId, options = {}) {
      const index = TABLE.globalSecondaryIndexes[0];
      const pk = keys.sellerOrdersIndex(sellerId, '', '').gsi1pk;
      const page = await ctx.doc.send(
        new QueryCommand({
          TableName: ctx.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': index.partitionKey.name },
          ExpressionAttributeValues: { ':pk': pk },
          ScanIndexForward: false,
          Limit: Math.min(Math.max(options.limit ?? 50, 1), 100),
          ExclusiveStartKey: options.cursor === undefined ? undefined : decodeCursor(options.cursor, pk),
        }),
      );
      // The index holds keys only; the records come by key, in the index's order.
      const found = await batchGetAll(ctx, (page.Items ?? []).map((i) => ({ pk: i.pk as string, sk: i.sk as string })));
      const byPk = new Map(found.map((item) => [item.pk as string, item]));
      return {
        orders: (page.Items ?? []).flatMap((i) => {
          const item = byPk.get(i.pk as string);
          return item === undefined ? [] : [recordFromItem(item)];
        }),
        cursor: page.LastEvaluatedKey === undefined ? undefined : encodeCursor(page.LastEvaluatedKey),
      };
    },
  };
}

/** Runs a conditional write: true when applied, false when its condition did not hold. */
async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    // By name too: errors re-thrown by middleware or mocks are not always the SDK's class.
    if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') {
      return false;
    }
    throw error;
  }
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A cursor is only valid for the seller it was issued to. */
function decodeCursor(cursor: string, gsi1pk: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof key === 'object' && key !== null && (key as Item).gsi1pk === gsi1pk) return key as Record<string, unknown>;
  } catch {
    // fall through: reported below with the same message
  }
  throw new ValidationError([{ path: 'cursor', message: 'not a cursor returned by this API' }]);
}
