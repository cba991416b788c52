/**
 * Exactly once under at-least-once delivery, on dynalite (with its transactions) and fauxqs:
 * duplicates of an order message, sequential or concurrent, give one decision, one stock
 * decrement and one notification; 30 orders racing for 10 units give exactly 10 warehouse
 * decisions and never a negative stock. The orders are placed "now" (real clock), so their
 * default standard deadline is feasible. Parallel invocations run in separate containers (module
 * instances), as on Lambda. Races are forced, not hoped for: aws-sdk-client-mock wraps the
 * document client class and holds chosen calls (everything still goes to dynalite).
 */
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadNetworkDir } from '#network/load.ts';
import type { CanonicalOrder } from '#network/schemas.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import { route } from '#routing/route.ts';
import { FUNCTIONS } from '#shared/definitions.ts';
import { NotificationMessage } from '#shared/messages.ts';
import { keys } from '#store/keys.ts';
import { sweepReceived } from '#store/sweep.ts';
import { startPoller, type BatchOutcome } from '#infra/local/poller.ts';
import {
  DEMO_DIR,
  delivery,
  drainQueue,
  invokeRouter,
  putReceivedOrder,
  queueDepth,
  readOrder,
  readStock,
  redeliverUntilSettled,
  sendBody,
  setStock,
  startWorkerTwin,
  teeOrder,
  waitFor,
  type Delivery,
  type WorkerTwin,
} from './helpers/worker-twin.ts';

const SELLER = 'tianmen-garments';
const WAREHOUSE = 'WH-DUI';
const SKU = 'TEE-COT';
/** The demo's cheapest route for one T-shirt to Germany (events/orders/overseas-warehouse.json). */
const WAREHOUSE_ROUTE = `warehouse:${WAREHOUSE}`;

let twin: WorkerTwin;

beforeAll(async () => {
  twin = await startWorkerTwin({ now: new Date() });
});

afterAll(async () => {
  await twin?.stop();
});

const stock = () => readStock(twin, SELLER, WAREHOUSE, SKU);

type Send = (this: DynamoDBDocumentClient, command: unknown, ...rest: unknown[]) => Promise<unknown>;
const passThrough = (_command: unknown, send: () => Promise<unknown>) => send();
/** What happens to each DynamoDB call of the handlers (the test's own client is never intercepted). */
let intercept: (command: unknown, send: () => Promise<unknown>) => Promise<unknown> = passThrough;
let mock: ReturnType<typeof mockClient>;

beforeAll(() => {
  // Captured before mocking: every call goes to dynalite, some after a wait the test controls.
  const realSend = DynamoDBDocumentClient.prototype.send as unknown as Send;
  mock = mockClient(DynamoDBDocumentClient);
  mock.send.callsFake(function (this: DynamoDBDocumentClient, command: unknown, ...rest: unknown[]) {
    const send = () => realSend.call(this, command, ...rest);
    return this === twin.doc ? send() : intercept(command, send);
  } as never);
});
afterEach(() => {
  intercept = passThrough;
});
afterAll(() => mock?.restore());

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Containers A and B get the same message for a new order. Interleaving forced through the
 * document client: both read the order at version 0 before either commits, and the second
 * commit goes out once the first has finished. The clock is frozen; B decides one second after
 * A unless `sameMillisecond`.
 */
async function race(options: { sameMillisecond: boolean }) {
  await drainNotifications();
  // Enough units whatever earlier tests took; fresh containers read them uncached.
  await setStock(twin, SELLER, WAREHOUSE, SKU, 100);
  const before = 100;
  const [order] = await receivedOrders(1);
  const pk = keys.order(order!.orderId).pk;
  const isRead = (c: unknown) => c instanceof GetCommand && (c.input.Key as { pk?: string } | undefined)?.pk === pk;
  const isCommit = (c: unknown) =>
    c instanceof TransactWriteCommand && (c.input.TransactItems ?? []).some((i) => (i.Update?.Key as { pk?: string } | undefined)?.pk === pk);
  const aRead = deferred();
  const bothRead = deferred();
  let reads = 0;
  let firstCommit: Promise<unknown> | undefined;
  let commits = 0;
  intercept = async (command, send) => {
    if (isRead(command)) {
      const result = await send();
      reads += 1;
      if (reads === 1) aRead.resolve();
      if (reads === 2) bothRead.resolve();
      return result;
    }
    if (isCommit(command)) {
      commits += 1;
      await bothRead.promise;
      if (firstCommit === undefined) return (firstCommit = send());
      await firstCommit.catch(() => undefined);
      return send();
    }
    return send();
  };

  const [a, b] = [await twin.container(), await twin.container()];
  expect(a).not.toBe(b);
  const body = { orderId: order!.orderId, afterVersion: 0 };
  const deliveries = [delivery(body), delivery(body)] as const;
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    const first = invokeRouter(a, [deliveries[0]]);
    // A has taken its clock reading (before reading the order); B decides later, or not.
    await aRead.promise;
    if (!options.sameMillisecond) vi.setSystemTime(Date.now() + 1000);
    const failedIds = (await Promise.all([first, invokeRouter(b, [deliveries[1]])])).flat();
    const failed = deliveries.filter((d) => failedIds.includes(d.messageId));
    await redeliverUntilSettled(a, failed);
    const notifications = await drainNotifications();
    const late = {
      failed: await invokeRouter(b, [{ ...deliveries[0], receiveCount: 2 }]),
      notifications: await drainNotifications(),
    };
    return { orderId: order!.orderId, before, commits, failedDeliveries: failed.length, notifications, late };
  } finally {
    vi.useRealTimers();
  }
}

/** Notification bodies queued so far, as `orderId@version` (drains the queue). */
async function drainNotifications(): Promise<string[]> {
  const bodies = await drainQueue(twin.sqs, twin.resources.queues.notifications.url);
  return bodies.map((b) => NotificationMessage.parse(JSON.parse(b))).map((n) => `${n.orderId}@${n.decisionVersion}`);
}

async function receivedOrders(count: number): Promise<CanonicalOrder[]> {
  const orders = Array.from({ length: count }, () => teeOrder(new Date()));
  for (const order of orders) await putReceivedOrder(twin, order, new Date());
  return orders;
}

describe('duplicate deliveries of an order message', () => {
  it('five sequential deliveries through the orders queue give one decision, one unit taken and one notification', async () => {
    await drainNotifications();
    const [order] = await receivedOrders(1);
    const before = await stock();
    const body = JSON.stringify({ orderId: order!.orderId, afterVersion: 0 });
    for (let i = 0; i < 5; i += 1) await sendBody(twin.sqs, twin.resources.queues.orders.url, body);

    const outcomes: BatchOutcome[] = [];
    const problems: string[] = [];
    const poller = await startPoller({
      sqs: twin.sqs,
      queueUrl: twin.resources.queues.orders.url,
      handler: twin.handler,
      // One message per invocation: five separate batches, one after the other.
      batchSize: 1,
      maxBatchingWindowSeconds: 0,
      functionName: FUNCTIONS.router.id,
      timeoutSeconds: FUNCTIONS.router.timeoutSeconds,
      waitTimeSeconds: 1,
      onBatch: (o) => outcomes.push(o),
      log: (line) => problems.push(line),
    });
    try {
      await waitFor(
        async () => (outcomes.length >= 5 && (await queueDepth(twin.sqs, twin.resources.queues.orders.url)) === 0 ? true : undefined),
        () => `five batches and an empty orders queue (batches so far: ${outcomes.length}; ${problems.join(' | ') || 'no problems'})`,
      );
    } finally {
      await poller.stop();
    }

    expect(outcomes.map((o) => o.messageIds.length)).toEqual([1, 1, 1, 1, 1]);
    expect(new Set(outcomes.flatMap((o) => o.messageIds)).size).toBe(5);
    // Duplicates are settled, not failed: every delivery was deleted at once.
    expect(outcomes.flatMap((o) => o.retried)).toEqual([]);
    expect(problems).toEqual([]);

    const record = await readOrder(twin, order!.orderId);
    expect(record).toMatchObject({ status: 'routed', decisionVersion: 1, notifiedVersion: 1 });
    expect(record!.decision!.chosen!.routeId).toBe(WAREHOUSE_ROUTE);
    expect(record!.reservations!.stock).toEqual([{ warehouseId: WAREHOUSE, sku: SKU, qty: 1 }]);
    expect(await stock()).toBe(before! - 1);
    expect(await drainNotifications()).toEqual([`${order!.orderId}@1`]);
  });

  it('an order the outbox sweep queues again, while its first message is also delivered, gives one decision, one unit and one notification', async () => {
    await drainNotifications();
    const receivedAt = new Date(Date.now() - 10 * 60_000);
    const order = teeOrder(receivedAt);
    await putReceivedOrder(twin, order, receivedAt);
    const before = await stock();
    // A queue of its own: nothing else (no poller of another test) may take these messages.
    const { QueueUrl: queueUrl } = await twin.sqs.send(new CreateQueueCommand({ QueueName: 'SweptOrders' }));
    // The first message got through after all, and the sweep (10 min later) sends its own.
    await sendBody(twin.sqs, queueUrl!, JSON.stringify({ orderId: order.orderId, afterVersion: 0 }));
    const sweep = await sweepReceived({ doc: twin.doc, tableName: twin.tableName, sqs: twin.sqs, ordersQueueUrl: queueUrl!, now: new Date() });
    expect(sweep.requeued).toContain(order.orderId);

    // Both messages as the router receives them, one invocation each; neither fails.
    const bodies = (await drainQueue(twin.sqs, queueUrl!)).filter((b) => b.includes(order.orderId));
    expect(bodies.map((b) => JSON.parse(b))).toEqual([
      { orderId: order.orderId, afterVersion: 0 },
      { orderId: order.orderId, afterVersion: 0 },
    ]);
    for (const body of bodies) expect(await invokeRouter(twin.handler, [delivery(body)])).toEqual([]);
    const record = await readOrder(twin, order.orderId);
    expect(record).toMatchObject({ status: 'routed', decisionVersion: 1, notifiedVersion: 1 });
    expect(await stock()).toBe(before! - 1);
    expect(await drainNotifications()).toEqual([`${order.orderId}@1`]);
    // Decided: out of the sweep's index, so the next run sends nothing for it.
    const after = await sweepReceived({ doc: twin.doc, tableName: twin.tableName, sqs: twin.sqs, ordersQueueUrl: queueUrl!, now: new Date(Date.now() + 60 * 60_000) });
    await drainQueue(twin.sqs, queueUrl!);
    expect(after.requeued).not.toContain(order.orderId);
  });

  it('two containers receiving the same message at once (both read version 0 before either commits) give one decision, one unit taken and one notification', async () => {
    const { orderId, before, commits, failedDeliveries, notifications, late } = await race({ sameMillisecond: false });
    // A real race: both containers routed the order and tried to commit version 1.
    expect(commits).toBe(2);
    // The loser fails its record with NotificationPendingError only while the winner has not yet
    // marked the notification sent; the winner itself never fails.
    expect(failedDeliveries).toBeLessThanOrEqual(1);
    expect(await readOrder(twin, orderId)).toMatchObject({ status: 'routed', decisionVersion: 1, notifiedVersion: 1 });
    expect(await stock()).toBe(before - 1);
    expect(notifications).toEqual([`${orderId}@1`]);
    // A late redelivery of the settled message changes nothing.
    expect(late).toEqual({ failed: [], notifications: [] });
    expect(await stock()).toBe(before - 1);
  });
});

describe('contention for the last units', () => {
  it('30 orders for 10 units in three parallel batches: exactly 10 from the warehouse, 20 by the next-cheapest route, stock ends 0 and is never negative', async () => {
    await drainNotifications();
    await setStock(twin, SELLER, WAREHOUSE, SKU, 10);
    const orders = await receivedOrders(30);

    // What the router chooses for these orders once the warehouse has none (pure core, demo data).
    const now = new Date();
    const { files } = await loadNetworkDir(DEMO_DIR, { now });
    const empty = { ...files, stock: files.stock.map((s) => (s.sellerId === SELLER && s.warehouseId === WAREHOUSE && s.sku === SKU ? { ...s, available: 0 } : s)) };
    const nextRoute = route(orders[0]!, buildSnapshot(empty, now), now).chosen?.routeId;
    expect(nextRoute).toBeDefined();
    expect(nextRoute).not.toBe(WAREHOUSE_ROUTE);

    // Watch the stock item while the orders race for it.
    const seen: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.push((await stock())!);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    // Three fresh containers, as three concurrent Lambdas: each reads the 10 units and aims at them.
    const containers = [await twin.container(), await twin.container(), await twin.container()];
    const batches: Delivery[][] = [0, 1, 2].map((b) =>
      orders.slice(b * 10, b * 10 + 10).map((o) => delivery({ orderId: o.orderId, afterVersion: 0 })),
    );
    let failed: Delivery[];
    try {
      const failures = await Promise.all(batches.map((batch, i) => invokeRouter(containers[i]!, batch)));
      failed = batches.flat().filter((d) => failures.flat().includes(d.messageId));
      await redeliverUntilSettled(containers[0]!, failed);
    } finally {
      watching = false;
      await watcher;
    }
    seen.push((await stock())!);

    const routes = new Map<string, number>();
    for (const order of orders) {
      const record = await readOrder(twin, order.orderId);
      expect(record).toMatchObject({ status: 'routed', decisionVersion: 1, notifiedVersion: 1 });
      const id = record!.decision!.chosen!.routeId;
      routes.set(id, (routes.get(id) ?? 0) + 1);
    }
    expect(Object.fromEntries(routes)).toEqual({ [WAREHOUSE_ROUTE]: 10, [nextRoute!]: 20 });
    expect(await stock()).toBe(0);
    // Stock only went down, one unit per committed warehouse decision, and never below zero.
    expect(Math.min(...seen)).toBe(0);
    expect(seen.every((n, i) => i === 0 || n <= seen[i - 1]!)).toBe(true);
    expect(seen.length).toBeGreaterThan(1);
    expect((await drainNotifications()).sort()).toEqual(orders.map((o) => `${o.orderId}@1`).sort());
  });
});

describe('two containers deciding the same order in the same millisecond', () => {
  it('still take the stock once and write one decision', async () => {
    const { orderId, before } = await race({ sameMillisecond: true });
    expect(await readOrder(twin, orderId)).toMatchObject({ status: 'routed', decisionVersion: 1, notifiedVersion: 1 });
    expect(await stock()).toBe(before - 1);
  });

  // Regression: the commit token was once derived from the transaction's content, so two identical
  // same-millisecond decisions shared it and DynamoDB answered the second as a replay — both
  // deliveries believed they won and both queued a notification. Tokens are now per call.
  it('queues one notification, not one per container, when two decide identically in the same millisecond', async () => {
    const { orderId, notifications } = await race({ sameMillisecond: true });
    expect(notifications).toEqual([`${orderId}@1`]);
  });
});
