/**
 * The outbox sweep. Intake records an order and then sends its message; if the send fails (or
 * the process dies, or SQS loses the message — the twin's queue lives in memory) the order would
 * stay `received` forever. The sweep reads the sparse `received` index (only undecided orders
 * are in it, oldest first per shard), and queues again each order received longer than
 * `olderThanSeconds` ago — at most once per that interval per order, claimed with a conditional
 * `sweptAt` stamp so two overlapping runs do not both send. Exactly-once holds whatever it sends:
 * the worker decides an order version once (lib/worker/route-order.ts) and the commit is
 * conditional on the version.
 */
import { type SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SWEEP, TABLE } from '#shared/definitions.ts';
import type { StoreContext } from './batch.ts';
import { keys } from './keys.ts';
import { createSqsOutbox } from './outbox.ts';

const INDEX = TABLE.globalSecondaryIndexes[1];

export interface SweepOptions extends StoreContext {
  readonly sqs: SQSClient;
  readonly ordersQueueUrl: string;
  readonly now: Date;
  /** Default SWEEP.olderThanSeconds. */
  readonly olderThanSeconds?: number;
  /** Default SWEEP.maxOrdersPerRun. */
  readonly maxOrders?: number;
}

export interface SweepResult {
  /** Orders whose message was sent again. */
  readonly requeued: readonly string[];
  /** Stale entries not sent: decided meanwhile, or swept recently by another run. */
  readonly skipped: number;
  /** Orders whose claim or send failed this run (the next run tries again). */
  readonly failed: readonly { readonly orderId: string; readonly error: string }[];
  /** Age of the oldest undecided order in seconds (0 when there is none): the alarm's metric. */
  readonly oldestAgeSeconds: number;
  /** Undecided orders past the threshold (at most maxOrders were looked at). */
  readonly stale: number;
}

interface Entry {
  readonly orderId: string;
  readonly receivedAt: string;
}

function entryOf(item: Record<string, unknown>): Entry | undefined {
  const pk = item.pk as string | undefined;
  const sk = item[INDEX.sortKey.name] as string | undefined;
  if (pk === undefined || sk === undefined || !pk.startsWith('ORDER#')) return undefined;
  const orderId = pk.slice('ORDER#'.length);
  return { orderId, receivedAt: sk.slice(0, sk.length - orderId.length - 1) };
}

function shardKey(shard: number): string {
  return `RECEIVED#${shard}`;
}

/** The oldest entry of each shard (one item per shard, from the index's sort order). */
async function oldestReceivedAt(ctx: StoreContext): Promise<string | undefined> {
  const oldest = await Promise.all(
    Array.from({ length: SWEEP.shards }, async (_, shard) => {
      const { Items } = await ctx.doc.send(
        new QueryCommand({
          TableName: ctx.tableName,
          IndexName: INDEX.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': INDEX.partitionKey.name },
          ExpressionAttributeValues: { ':pk': shardKey(shard) },
          ScanIndexForward: true,
          Limit: 1,
        }),
      );
      const first = Items?.[0];
      return first === undefined ? undefined : entryOf(first)?.receivedAt;
    }),
  );
  return oldest.filter((a): a is string => a !== undefined).sort()[0];
}

/** Entries of one shard received before `cutoff`, oldest first, up to `limit`. */
async function staleEntries(ctx: StoreContext, shard: number, cutoff: string, limit: number): Promise<Entry[]> {
  const out: Entry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: INDEX.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk < :cutoff',
        ExpressionAttributeNames: { '#pk': INDEX.partitionKey.name, '#sk': INDEX.sortKey.name },
        ExpressionAttributeValues: { ':pk': shardKey(shard), ':cutoff': cutoff },
        ScanIndexForward: true,
        Limit: Math.min(100, limit - out.length),
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const entry = entryOf(item);
      if (entry !== undefined) out.push(entry);
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined && out.length < limit);
  return out;
}

/**
 * Claims the order for one re-send: only while it is still received and was not swept within
 * the interval. Returns the version to route after, or undefined when there is nothing to do.
 */
async function claim(ctx: StoreContext, orderId: string, now: Date, cutoff: string): Promise<number | undefined> {
  try {
    const { Attributes } = await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: keys.order(orderId),
        UpdateExpression: 'SET sweptAt = :now ADD sweeps :one',
        ConditionExpression: '#status = :received AND attribute_exists(#rcvpk) AND (attribute_not_exists(sweptAt) OR sweptAt < :cutoff)',
        ExpressionAttributeNames: { '#status': 'status', '#rcvpk': INDEX.partitionKey.name },
        ExpressionAttributeValues: { ':now': now.toISOString(), ':one': 1, ':received': 'received', ':cutoff': cutoff },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return typeof Attributes?.decisionVersion === 'number' ? Attributes.decisionVersion : 0;
  } catch (error) {
    const name = (error as { name?: string }).name;
    // Decided meanwhile, swept by an overlapping run, or being committed right now: not ours.
    if (name === 'ConditionalCheckFailedException' || name === 'TransactionConflictException') return undefined;
    throw error;
  }
}

/** One sweep run: re-queues what is stale and measures the oldest undecided order. */
export async function sweepReceived(options: SweepOptions): Promise<SweepResult> {
  const olderThan = options.olderThanSeconds ?? SWEEP.olderThanSeconds;
  const maxOrders = Math.max(1, options.maxOrders ?? SWEEP.maxOrdersPerRun);
  const now = options.now;
  const cutoff = new Date(now.getTime() - olderThan * 1000).toISOString();
  // The sort key is `<receivedAt>#<orderId>`: "<receivedAt>" < cutoff exactly when the key is,
  // except for equal timestamps, which sort after the cutoff ('#' > '') — not yet stale.
  const perShard = Math.ceil(maxOrders / SWEEP.shards);
  const shards = await Promise.all(
    Array.from({ length: SWEEP.shards }, (_, shard) => staleEntries(options, shard, cutoff, perShard)),
  );
  const stale = shards.flat().sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));

  const requeued: string[] = [];
  const failed: { orderId: string; error: string }[] = [];
  let skipped = 0;
  for (const entry of stale.slice(0, maxOrders)) {
    try {
      const afterVersion = await claim(options, entry.orderId, now, cutoff);
      if (afterVersion === undefined) {
        skipped += 1;
        continue;
      }
      await createSqsOutbox({ sqs: options.sqs, ordersQueueUrl: options.ordersQueueUrl }).sendOrder({ orderId: entry.orderId, afterVersion });
      requeued.push(entry.orderId);
    } catch (error) {
      // Claimed but not sent: the claim expires after the interval and the next run sends it.
      failed.push({ orderId: entry.orderId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  const oldest = await oldestReceivedAt(options);
  const oldestAgeSeconds = oldest === undefined ? 0 : Math.max(0, Math.floor((now.getTime() - Date.parse(oldest)) / 1000));
  return { requeued, skipped, failed, oldestAgeSeconds, stale: stale.length };
}
