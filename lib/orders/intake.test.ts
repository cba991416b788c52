import { PurgeQueueCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalOrder } from '#network/schemas.ts';
import { TransientError } from '#shared/errors.ts';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { createDocumentClient } from '#store/client.ts';
import { DELIVERY_TTL_SECONDS, createIntakeRecorder, materialDifferences, type IntakeInput } from '#store/intake.ts';
import { keys } from '#store/keys.ts';
import { createSqsOutbox } from '#store/outbox.ts';
import { ensureTable } from '#store/table.ts';
import { createIntake as createIntakeUseCase } from './intake.ts';

/** The use case over the real adapters: the recorder on dynalite, the outbox on fauxqs. */
function createIntake(o: { doc: ReturnType<typeof createDocumentClient>; tableName: string; sqs: SQSClient; ordersQueueUrl: string; clock: () => Date }) {
  return createIntakeUseCase({
    recorder: createIntakeRecorder({ doc: o.doc, tableName: o.tableName, clock: o.clock }),
    outbox: createSqsOutbox({ sqs: o.sqs, ordersQueueUrl: o.ordersQueueUrl }),
    clock: o.clock,
  });
}

const now = new Date('2026-11-23T02:10:00Z');
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
  queueUrl = fauxqs.createQueue('intake-orders').queueUrl;
});
afterAll(async () => {
  sqs?.destroy();
  await fauxqs?.stop();
  await dynamo?.stop();
});
beforeEach(async () => {
  tableName = `intake-${++tableSeq}`;
  await ensureTable(dynamo.client, tableName);
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
});

function order(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return {
    orderId: 'ord_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    sellerId: 'tianmen-garments',
    marketplace: 'shopify',
    externalId: '5820012349001',
    placedAt: '2026-11-23T02:05:00.000Z',
    currency: 'EUR',
    shipTo: { country: 'DE', postalCode: '10115' },
    lines: [
      { sku: 'TEE-COT', qty: 3 },
      { sku: 'HOODIE', qty: 1 },
    ],
    ...overrides,
  };
}
function input(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    source: { platform: 'shopify', shop: 'tianmen-garments.myshopify.com' },
    deliveryId: 'delivery-1',
    order: order(),
    status: 'received',
    update: false,
    ...overrides,
  };
}
async function messages(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }));
    if (!Messages?.length) return out;
    out.push(...Messages.map((m) => JSON.parse(m.Body!)));
  }
}
async function items(): Promise<Record<string, unknown>[]> {
  return (await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
}

describe('intake (dynalite + fauxqs)', () => {
  it('records order, business key and delivery in one go, then queues { orderId, afterVersion: 0 }', async () => {
    const intake = createIntake({ doc, tableName, sqs, ordersQueueUrl: queueUrl, clock: () => now });
    const result = await intake.record(input());
    expect(result).toEqual({ outcome: 'accepted', orderId: order().orderId, status: 'received', queue: 'sent' });
    const all = await items();
    const orderItem = all.find((i) => i.pk === keys.order(order().orderId).pk)!;
    expect(orderItem).toMatchObject({
      status: 'received',
      decisionVersion: 0,
      sellerId: 'tianmen-garments',
      source: { platform: 'shopify', shop: 'tianmen-garments.myshopify.com' },
      ...keys.sellerOrdersIndex('tianmen-garments', order().placedAt, order().orderId),
      receivedAt: now.toISOString(),
      queuedAt: now.toISOString(),
    });
    expect(all.find((i) => i.pk === keys.externalOrder('shopify', 'tianmen-garments.myshopify.com', '5820012349001').pk)).toMatchObject({ orderId: order().orderId });
    const delivery = all.find((i) => String(i.pk).startsWith('DELIVERY#'))!;
    expect(delivery.pk).toBe(keys.delivery('shopify', 'tianmen-garments.myshopify.com#delivery-1').pk);
    expect(delivery.expiresAt).toBe(Math.floor(now.getTime() / 1000) + DELIVERY_TTL_SECONDS);
    expect(await messages()).toEqual([{ orderId: order().orderId, afterVersion: 0 }]);
  });

  it('the same delivery 5 times and once under a new id: one order, one message', async () => {
    const intake = createIntake({ doc, tableName, sqs, ordersQueueUrl: queueUrl, clock: () => now });
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await intake.record(input()));
    results.push(await intake.record(input({ deliveryId: 'delivery-2' })));
    expect(results.map((r) => r.outcome)).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(new Set(results.map((r) => r.orderId))).toEqual(new Set([order().orderId]));
    expect((await items()).filter((i) => i.sk === 'ORDER')).toHaveLength(1);
    expect(await messages()).toHaveLength(1);
  });

  it('re-sends the message of a received order whose first send failed, once', async () => {
    const mock = mockClient(SQSClient);
    try {
      mock.on(SendMessageCommand).rejects(Object.assign(new Error('SQS down'), { name: 'ServiceUnavailable', $fault: 'server' }));
      const failing = createIntake({ doc, tableName, sqs: new SQSClient({ region: 'us-east-1' }), ordersQueueUrl: queueUrl, clock: () => now });
      const first = await failing.record(input());
      expect(first).toMatchObject({ outcome: 'accepted', queue: 'failed' });
    } finally {
      mock.restore();
    }
    expect(await messages()).toHaveLength(0);
    const intake = createIntake({ doc, tableName, sqs, ordersQueueUrl: queueUrl, clock: () => now });
    expect(await intake.record(input())).toMatchObject({ outcome: 'duplicate', queue: 'sent' });
    expect(await intake.record(input())).toMatchObject({ outcome: 'duplicate', queue: 'not-needed' });
    expect(await messages()).toEqual([{ orderId: order().orderId, afterVersion: 0 }]);
  });

  it('a different order under the same business key is a conflict naming what differs', async () => {
    const intake = createIntake({ doc, tableName, sqs, ordersQueueUrl: queueUrl, clock: () => now });
    await intake.record(input());
    const changed = order({ lines: [{ sku: 'TEE-COT', qty: 4 }], shipTo: { country: 'AT' } });
    const result = await intake.record(input({ deliveryId: 'delivery-9', order: changed }));
    expect(result).toEqual({ outcome: 'conflict', orderId: order().orderId, status: 'received', differences: ['lines', 'shipTo'] });
    // An update (orders/paid) of a received order is a plain duplicate, never a conflict.
    expect(await intake.record(input({ deliveryId: 'delivery-10', order: changed, update: true }))).toMatchObject({ outcome: 'duplicate' });
    expect((await items()).find((i) => i.sk === 'ORDER')).toMatchObject({ order: { lines: order().lines } });
  });

  it('records an unpaid order as pending without queueing; orders/paid moves it to received and queues it', async () => {
    const intake = createIntake({ doc, tableName, sqs, ordersQueueUrl: queueUrl, clock: () => now });
    const pending = await intake.record(input({ status: 'pending', note: 'financial_status "pending"' }));
    expect(pending).toEqual({ outcome: 'accepted', orderId: order().orderId, status: 'pending', queue: 'not-needed' });
    expect(await messages()).toHaveLength(0);
    expect(await intake.record(input({ deliveryId: 'delivery-1b', status: 'pending' }))).toMatchObject({ outcome: 'duplicate', status: 'pending', queue: 'not-needed' });

    const paidOrder = order({ lines: [{ sku: 'TEE-COT', qty: 2 }] });
    const paid = await intake.record(input({ deliveryId: 'paid-1', order: paidOrder, update: true }));
    expect(paid).toEqual({ outcome: 'accepted', orderId: order().orderId, status: 'received', queue: 'sent' });
    const item = (await items()).find((i) => i.sk === 'ORDER')!;
    expect(item.status).toBe('received');
    expect(item.note).toBeUndefined();
    expect(item.order).toMatchObject({ lines: [{ sku: 'TEE-COT', qty: 2 }] });
    expect(await intake.record(input({ deliveryId: 'paid-1', order: paidOrder, update: true }))).toMatchObject({ outcome: 'duplicate' });
    expect(await messages()).toEqual([{ orderId: order().orderId, afterVersion: 0 }]);
  });

  it('a DynamoDB fault is a TransientError and queues nothing', async () => {
    const broken = createDocumentClient({
      config: { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 },
    });
    const intake = createIntake({ doc: broken, tableName, sqs, ordersQueueUrl: queueUrl, clock: () => now });
    await expect(intake.record(input())).rejects.toBeInstanceOf(TransientError);
    expect(await messages()).toHaveLength(0);
  });
});

describe('materialDifferences', () => {
  it('ignores line order, split lines, prices and postal code spacing; sees quantities and destination', () => {
    const a = order({ shipTo: { country: 'NL', postalCode: '1012 AB' } });
    const b = order({
      shipTo: { country: 'NL', postalCode: '1012ab' },
      lines: [{ sku: 'HOODIE', qty: 1, unitPrice: { amount: 20, currency: 'EUR' } }, { sku: 'TEE-COT', qty: 1 }, { sku: 'TEE-COT', qty: 2 }],
    });
    expect(materialDifferences(a, b)).toEqual([]);
    expect(materialDifferences(a, order({ ...b, lines: [{ sku: 'HOODIE', qty: 1 }] }))).toEqual(['lines']);
    expect(materialDifferences(a, order({ shipTo: { country: 'NL', postalCode: '1013 AB' } }))).toEqual(['shipTo']);
  });
});

describe('concurrent copies of one delivery', () => {
  it('ten at once: one accepted, nine duplicates, none a fault — conflicts between them are retried', async () => {
    const intake = createIntake({ doc, tableName, sqs, ordersQueueUrl: queueUrl, clock: () => now });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => intake.record(input())));
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const outcomes = results.map((r) => (r as PromiseFulfilledResult<{ outcome: string }>).value.outcome);
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
  });
});
