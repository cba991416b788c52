/**
 * The routing worker end to end on real protocols: the sample orders of events/orders recorded
 * by intake (dynalite) and queued (fauxqs), the router handler driven by the twin's SQS poller,
 * each order decided in the mode events/orders/README.md promises, with its stock and rail
 * capacity reserved and one notification per decision.
 *
 * The clock: the samples were placed on 2026-11-23 (Beijing morning) with deadlines, so they are
 * decided with Date faked (and still advancing) from the moment the last sample was placed —
 * every sample is then minutes old, as in production. Only Date is faked: timers, sockets and
 * fauxqs's visibility timeouts run on real time, offset consistently with the fake clock.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readOrderFile } from '../lib/cli/order-file.ts';
import type { CanonicalOrder } from '#network/schemas.ts';
import { FUNCTIONS } from '#shared/definitions.ts';
import { NotificationMessage } from '#shared/messages.ts';
import { createIntake } from '#orders/intake.ts';
import { createIntakeRecorder } from '#store/intake.ts';
import { createSqsOutbox } from '#store/outbox.ts';
import { keys } from '#store/keys.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { loadConnections } from '#infra/local/replay.ts';
import { startPoller, type BatchOutcome } from '#infra/local/poller.ts';
import { DEMO_DIR, drainQueue, queueDepth, readOrder, readStock, startWorkerTwin, waitFor, type WorkerTwin } from './helpers/worker-twin.ts';

const ORDERS_DIR = 'events/orders';

/** `| \`file.json\` | mode | ... |` rows of events/orders/README.md: the mode each sample must end in. */
async function promisedModes(): Promise<Map<string, string>> {
  const text = await readFile(join(ORDERS_DIR, 'README.md'), 'utf8');
  return new Map([...text.matchAll(/^\| `([^`]+\.json)` \| ([a-z-]+) \|/gm)].map((m) => [m[1]!, m[2]!]));
}

/** Demo stock as the file has it, before any decision. */
async function demoStock(): Promise<{ sellerId: string; warehouseId: string; sku: string; available: number }[]> {
  return JSON.parse(await readFile(join(DEMO_DIR, 'stock.json'), 'utf8')) as never;
}

let twin: WorkerTwin;
let samples: { file: string; mode: string; order: CanonicalOrder }[];

beforeAll(async () => {
  const promised = await promisedModes();
  const files = (await readdir(ORDERS_DIR)).filter((f) => f.endsWith('.json')).sort();
  // Guard the guard: a sample without a promise, or a promise without a file, would go untested.
  expect([...promised.keys()].sort()).toEqual(files);
  samples = await Promise.all(files.map(async (file) => ({ file, mode: promised.get(file)!, order: await readOrderFile(join(ORDERS_DIR, file)) })));
  const lastPlaced = Math.max(...samples.map((s) => Date.parse(s.order.placedAt)));
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(lastPlaced);
  twin = await startWorkerTwin({ now: new Date() });
});

afterAll(async () => {
  await twin?.stop();
  vi.useRealTimers();
});

describe('routing worker on dynalite and fauxqs, driven by the twin poller', () => {
  it('decides every sample order once, in the mode its README promises, and queues one notification per decision', async () => {
    const connections = await loadConnections(DEMO_DIR);
    const intake = createIntake({
      recorder: createIntakeRecorder({ doc: twin.doc, tableName: twin.tableName }),
      outbox: createSqsOutbox({ sqs: twin.sqs, ordersQueueUrl: twin.resources.queues.orders.url }),
    });
    for (const { file, order } of samples) {
      const shop = connections.find((c) => c.platform === order.marketplace && c.sellerId === order.sellerId);
      expect(shop, `${file}: no connection for ${order.marketplace}/${order.sellerId}`).toBeDefined();
      const result = await intake.record({ source: { platform: shop!.platform, shop: shop!.shop }, order, status: 'received', update: false });
      // Intake sent { orderId, afterVersion: 0 } to the orders queue.
      expect(result).toMatchObject({ outcome: 'accepted', orderId: order.orderId, queue: 'sent' });
    }

    const outcomes: BatchOutcome[] = [];
    const problems: string[] = [];
    const router = FUNCTIONS.router;
    const poller = await startPoller({
      sqs: twin.sqs,
      queueUrl: twin.resources.queues.orders.url,
      handler: twin.handler,
      batchSize: router.sqs.batchSize,
      maxBatchingWindowSeconds: router.sqs.maxBatchingWindowSeconds,
      functionName: router.id,
      timeoutSeconds: router.timeoutSeconds,
      waitTimeSeconds: 1,
      onBatch: (o) => outcomes.push(o),
      log: (line) => problems.push(line),
    });
    const records = new Map<string, OrderRecord>();
    try {
      await waitFor(
        async () => {
          for (const { order } of samples) {
            const record = await readOrder(twin, order.orderId);
            if (record?.status !== 'routed' && record?.status !== 'unroutable') return undefined;
            records.set(order.orderId, record);
          }
          return (await queueDepth(twin.sqs, twin.resources.queues.orders.url)) === 0 ? true : undefined;
        },
        () => `every sample decided and the orders queue empty (decided: ${records.size}/${samples.length}; poller: ${problems.join(' | ') || 'no problems'})`,
        20_000,
      );
    } finally {
      await poller.stop();
    }
    // Read again: a record seen decided above may have been read between commit and markNotified.
    for (const { order } of samples) records.set(order.orderId, (await readOrder(twin, order.orderId))!);

    // The happy path needs no retry: every message was deleted after its first invocation.
    expect(problems).toEqual([]);
    expect(outcomes.flatMap((o) => o.retried)).toEqual([]);
    expect(outcomes.flatMap((o) => o.deleted)).toHaveLength(samples.length);

    for (const { file, mode, order } of samples) {
      const record = records.get(order.orderId)!;
      const decision = record.decision!;
      const got = decision.status === 'unroutable' ? 'unroutable' : decision.chosen!.mode;
      expect({ file, mode: got }).toEqual({ file, mode });
      expect(record.status).toBe(decision.status);
      expect(record.decisionVersion).toBe(1);
      expect(record.notifiedVersion).toBe(1);
      expect(decision.orderId).toBe(order.orderId);
      if (decision.status === 'unroutable') {
        // The seller is told why each route failed.
        expect(decision.candidates.length).toBeGreaterThan(0);
        for (const c of decision.candidates) expect(c.reasons?.length ?? 0, `${file}: ${c.routeId}`).toBeGreaterThan(0);
        expect(record.reservations).toEqual({ stock: [], capacity: [] });
      }
    }

    // Stock in the table is the file's stock minus exactly what the decisions reserved.
    const taken = new Map<string, number>();
    const litres = new Map<string, number>();
    for (const record of records.values()) {
      for (const r of record.reservations?.stock ?? []) {
        const id = `${record.sellerId}|${r.warehouseId}|${r.sku}`;
        taken.set(id, (taken.get(id) ?? 0) + r.qty);
      }
      for (const r of record.reservations?.capacity ?? []) litres.set(r.departureId, (litres.get(r.departureId) ?? 0) + r.litres);
    }
    // The warehouse and split samples take stock, the rail sample books a train.
    expect(taken.size).toBeGreaterThanOrEqual(2);
    expect(litres.size).toBeGreaterThanOrEqual(1);
    for (const s of await demoStock()) {
      const id = `${s.sellerId}|${s.warehouseId}|${s.sku}`;
      expect({ id, available: await readStock(twin, s.sellerId, s.warehouseId, s.sku) }).toEqual({
        id,
        available: s.available - (taken.get(id) ?? 0),
      });
    }
    for (const [departureId, booked] of litres) {
      const { Item } = await twin.doc.send(
        new GetCommand({ TableName: twin.tableName, Key: keys.departure(departureId), ConsistentRead: true }),
      );
      expect({ departureId, usedLitres: Item?.usedLitres }).toEqual({ departureId, usedLitres: booked });
    }

    // One notification per decision, naming the order and its version; nothing else.
    const notifications = (await drainQueue(twin.sqs, twin.resources.queues.notifications.url)).map((b) =>
      NotificationMessage.parse(JSON.parse(b)),
    );
    expect(notifications.map((n) => `${n.orderId}@${n.decisionVersion}`).sort()).toEqual(
      samples.map((s) => `${s.order.orderId}@1`).sort(),
    );
    expect(await queueDepth(twin.sqs, twin.resources.queues.orders.dlqUrl)).toBe(0);
  });
});
