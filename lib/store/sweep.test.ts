/**
 * The outbox sweep against real protocol servers (dynalite, fauxqs): an order recorded while the
 * SQS send failed is found through the sparse `received` index and queued again, once per
 * interval; a decided, failed or pending order is not in the index at all.
 */
import { PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalOrder } from '#network/schemas.ts';
import { SWEEP, TABLE } from '#shared/definitions.ts';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { createDocumentClient } from './client.ts';
import { commitDecision } from './commit.ts';
import { createIntake } from '#orders/intake.ts';
import { createIntakeRecorder, type IntakeInput } from './intake.ts';
import { createSqsOutbox } from './outbox.ts';
import { keys, receivedShard } from './keys.ts';
import { createOrderStore } from './orders.ts';
import { sweepReceived } from './sweep.ts';
import { ensureTable } from './table.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import { decision, tinyNetwork } from './test-fixtures.ts';

const T0 = new Date('2026-11-23T02:10:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
let dynamo: DynaliteHandle;
let fauxqs: FauxqsServer;
let sqs: SQSClient;
let queueUrl: string;
let tableSeq = 0;
let tableName: string;
let doc: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  dynamo = await startDynalite();
  doc = createDocumentClient({ client: dynamo.client });
  fauxqs = await startFauxqs({ port: 0, logger: false });
  sqs = new SQSClient({ endpoint: `http://127.0.0.1:${fauxqs.port}`, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  queueUrl = fauxqs.createQueue('sweep-orders').queueUrl;
});
afterAll(async () => {
  sqs?.destroy();
  await fauxqs?.stop();
  await dynamo?.stop();
});
beforeEach(async () => {
  tableName = `sweep-${++tableSeq}`;
  await ensureTable(dynamo.client, tableName);
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
});

function order(n: number, overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return {
    orderId: `ord_sweep${String(n).padStart(4, '0')}`,
    sellerId: 'S1',
    marketplace: 'woocommerce',
    externalId: `wc-${n}`,
    orderNumber: `WC-${1000 + n}`,
    placedAt: '2026-11-23T02:05:00.000Z',
    currency: 'EUR',
    shipTo: { country: 'DE', postalCode: '10115' },
    lines: [{ sku: 'A', qty: 1 }],
    ...overrides,
  };
}
function input(n: number, overrides: Partial<IntakeInput> = {}): IntakeInput {
  return { source: { platform: 'woocommerce', shop: 'shop.example' }, deliveryId: `d-${n}`, order: order(n), status: 'received', update: false, ...overrides };
}

/** Intake whose SQS send always fails: the WooCommerce probe (200 answered, nothing queued). */
function brokenIntake(at: Date) {
  const broken = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  mockClient(broken).on(SendMessageCommand).rejects(Object.assign(new Error('sqs down'), { name: 'ServiceUnavailable' }));
  return createIntake({
    recorder: createIntakeRecorder({ doc, tableName, clock: () => at }),
    outbox: createSqsOutbox({ sqs: broken, ordersQueueUrl: queueUrl }),
    clock: () => at,
  });
}

async function receiveAll(): Promise<{ orderId: string; afterVersion: number }[]> {
  const out: { orderId: string; afterVersion: number }[] = [];
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!Messages?.length) return out;
    for (const m of Messages) out.push(JSON.parse(m.Body!) as { orderId: string; afterVersion: number });
  }
}

const sweep = (now: Date, extra: { maxOrders?: number } = {}) =>
  sweepReceived({ doc, tableName, sqs, ordersQueueUrl: queueUrl, now, ...extra });

describe('sweepReceived', () => {
  it('queues again an order recorded while the send failed, once it is older than the threshold, and once per interval', async () => {
    const result = await brokenIntake(T0).record(input(1));
    expect(result).toMatchObject({ outcome: 'accepted', status: 'received', queue: 'failed' });

    // Too young: the send may still be in flight elsewhere.
    const early = await sweep(minutes(1));
    expect(early.requeued).toEqual([]);
    expect(early.oldestAgeSeconds).toBe(60);

    const due = await sweep(minutes(6));
    expect(due.requeued).toEqual([order(1).orderId]);
    expect(await receiveAll()).toEqual([{ orderId: order(1).orderId, afterVersion: 0 }]);
    expect(due.oldestAgeSeconds).toBe(360);

    // A second run within the interval (or an overlapping one) does not send it again.
    const again = await sweep(minutes(7));
    expect(again.requeued).toEqual([]);
    expect(again.skipped).toBe(1);
    expect(await receiveAll()).toEqual([]);

    // Still undecided an interval later: sent once more.
    const later = await sweep(minutes(12));
    expect(later.requeued).toEqual([order(1).orderId]);
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.order(order(1).orderId), ConsistentRead: true }));
    expect(Item).toMatchObject({ sweeps: 2, sweptAt: minutes(12).toISOString() });
  });

  it('leaves decided, failed and pending orders out of the index, so nothing is sent for them', async () => {
    const intake = brokenIntake(T0);
    await intake.record(input(1));
    await intake.record(input(2));
    await intake.record(input(3, { status: 'pending' }));
    const ctx = { doc, tableName };
    const store = createOrderStore(ctx);
    const first = (await store.getOrder(order(1).orderId))!;
    await commitDecision({
      ...ctx,
      order: first,
      decision: decision(first.orderId, 'direct:P1', 'direct-parcel'),
      reservations: { stock: [], capacity: [] },
      expectedVersion: 0,
      snapshot: buildSnapshot(tinyNetwork(), T0),
    });
    expect(await store.markFailed(order(2).orderId, 'poison')).toBe(true);
    const index = TABLE.globalSecondaryIndexes[1];
    const entries = await Promise.all(
      Array.from({ length: SWEEP.shards }, (_, shard) =>
        doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: index.indexName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': index.partitionKey.name },
            ExpressionAttributeValues: { ':pk': `RECEIVED#${shard}` },
          }),
        ),
      ),
    );
    expect(entries.flatMap((e) => e.Items ?? [])).toEqual([]);
    const result = await sweep(minutes(60));
    expect(result).toMatchObject({ requeued: [], stale: 0, oldestAgeSeconds: 0 });
    expect(await receiveAll()).toEqual([]);
  });

  it('a pending order enters the index when its paid update promotes it, aged from then', async () => {
    await brokenIntake(T0).record(input(1, { status: 'pending' }));
    await brokenIntake(minutes(10)).record(input(1, { deliveryId: 'd-paid', update: true }));
    const result = await sweep(minutes(12));
    expect(result.oldestAgeSeconds).toBe(120);
    expect(result.requeued).toEqual([]);
    expect((await sweep(minutes(16))).requeued).toEqual([order(1).orderId]);
  });

  it('takes the oldest first across shards and at most maxOrders per run', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => i);
    for (const i of ids) await brokenIntake(minutes(i)).record(input(i));
    expect(new Set(ids.map((i) => receivedShard(order(i).orderId))).size).toBeGreaterThan(1);
    const result = await sweep(minutes(30), { maxOrders: 8 });
    expect(result.stale).toBeGreaterThanOrEqual(8);
    expect(result.requeued).toHaveLength(8);
    expect(result.oldestAgeSeconds).toBe(30 * 60);
    const rest = await sweep(minutes(31));
    expect(new Set([...result.requeued, ...rest.requeued])).toEqual(new Set(ids.map((i) => order(i).orderId)));
  });

  it('counts a send that failed and leaves it to the next run', async () => {
    await brokenIntake(T0).record(input(1));
    const broken = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    mockClient(broken).on(SendMessageCommand).rejects(new Error('still down'));
    const failed = await sweepReceived({ doc, tableName, sqs: broken, ordersQueueUrl: queueUrl, now: minutes(6) });
    expect(failed.failed).toEqual([{ orderId: order(1).orderId, error: 'still down' }]);
    expect((await sweep(minutes(12))).requeued).toEqual([order(1).orderId]);
  });
});

describe('retention of buyer data', () => {
  it('the order item and its business key expire after RETENTION.buyerDataDays (or the configured days); the decision record does not', async () => {
    const { RETENTION } = await import('#shared/definitions.ts');
    const at = Math.floor(T0.getTime() / 1000);
    await brokenIntake(T0).record(input(1));
    const ctx = { doc, tableName };
    const read = async (key: { pk: string; sk: string }) => (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
    const orderKey = keys.order(order(1).orderId);
    expect((await read(orderKey))?.expiresAt).toBe(at + RETENTION.buyerDataDays * 86_400);
    expect(RETENTION.buyerDataDays).toBe(400);
    expect((await read(keys.externalOrder('woocommerce', 'shop.example', 'wc-1')))?.expiresAt).toBe(at + 400 * 86_400);

    const thirty = createIntake({
      recorder: createIntakeRecorder({ doc, tableName, clock: () => T0, retentionDays: 30 }),
      outbox: createSqsOutbox({ sqs, ordersQueueUrl: queueUrl }),
      clock: () => T0,
    });
    await thirty.record(input(2));
    expect((await read(keys.order(order(2).orderId)))?.expiresAt).toBe(at + 30 * 86_400);

    const record = (await createOrderStore(ctx).getOrder(order(1).orderId))!;
    expect(record).not.toHaveProperty('expiresAt');
    const made = decision(record.orderId, 'direct:P1', 'direct-parcel');
    await commitDecision({ ...ctx, order: record, decision: made, reservations: { stock: [], capacity: [] }, expectedVersion: 0, snapshot: buildSnapshot(tinyNetwork(), T0) });
    const kept = await read(keys.decisionRecord(record.orderId, 1));
    // The order number is the shop's, not the buyer's: the reports can name the order after the order item expired.
    expect(kept).toMatchObject({ kind: 'decision', orderId: record.orderId, orderNumber: 'WC-1001', sellerId: 'S1', country: 'DE', decisionVersion: 1, status: made.status, decision: made });
    expect(kept).not.toHaveProperty('expiresAt');
    expect(JSON.stringify(kept)).not.toContain('10115');
  });
});
