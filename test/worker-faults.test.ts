/**
 * Faults the local servers cannot produce, injected with aws-sdk-client-mock on the document
 * client class the handler uses — every call not faulted passes through to the real dynalite —
 * and poison messages on a real fauxqs queue driven by the twin's poller: a throttled record
 * fails alone and succeeds on its retry; poison ends in the DLQ after the queue's max receives,
 * an order whose routing keeps failing is marked `failed` on its last receive, nothing else is lost.
 */
import {
  ProvisionedThroughputExceededException,
  ThrottlingException,
  type DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, QUEUES } from '#shared/definitions.ts';
import { NotificationMessage } from '#shared/messages.ts';
import { keys } from '#store/keys.ts';
import { startPoller, type BatchOutcome } from '#infra/local/poller.ts';
import { createQueue } from '#infra/local/resources.ts';
import {
  delivery,
  drainQueue,
  invokeRouter,
  invokeRouterRaw,
  putReceivedOrder,
  queueDepth,
  readOrder,
  readStock,
  sendBody,
  startWorkerTwin,
  teeOrder,
  waitFor,
  type WorkerTwin,
} from './helpers/worker-twin.ts';

type Send = (this: DynamoDBDocumentClient, command: unknown, ...rest: unknown[]) => Promise<unknown>;
/** Returns the error to throw instead of sending, or undefined to pass the call through. */
type Fault = (command: unknown) => DynamoDBServiceException | undefined;

let twin: WorkerTwin;
let mock: ReturnType<typeof mockClient>;
let fault: Fault = () => undefined;
let faulted = 0;

beforeAll(async () => {
  twin = await startWorkerTwin({ now: new Date() });
  // Captured before mocking: the real send, to which every call not faulted goes.
  const realSend = DynamoDBDocumentClient.prototype.send as unknown as Send;
  mock = mockClient(DynamoDBDocumentClient);
  mock.send.callsFake(function (this: DynamoDBDocumentClient, command: unknown, ...rest: unknown[]) {
    // The test's own reads and writes are never faulted, only the handler's.
    const error = this === twin.doc ? undefined : fault(command);
    if (error !== undefined) {
      faulted += 1;
      return Promise.reject(error);
    }
    return realSend.call(this, command, ...rest);
  } as never);
});

afterEach(() => {
  fault = () => undefined;
  faulted = 0;
});

afterAll(async () => {
  mock?.restore();
  await twin?.stop();
});

const orderPk = (orderId: string) => keys.order(orderId).pk;

/** The handler reading this order's item. */
const isGetOf = (orderId: string) => (command: unknown) =>
  command instanceof GetCommand && (command.input.Key as { pk?: string } | undefined)?.pk === orderPk(orderId);

/** The handler committing a decision of this order. */
const isCommitOf = (orderId: string) => (command: unknown) =>
  command instanceof TransactWriteCommand &&
  (command.input.TransactItems ?? []).some((item) => (item.Update?.Key as { pk?: string } | undefined)?.pk === orderPk(orderId));

const throttles = {
  ProvisionedThroughputExceededException: () =>
    new ProvisionedThroughputExceededException({
      message: 'The level of configured provisioned throughput for the table was exceeded.',
      $metadata: { httpStatusCode: 400 },
    }),
  ThrottlingException: () =>
    new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: { httpStatusCode: 400 } }),
} as const;

const stock = () => readStock(twin, 'tianmen-garments', 'WH-DUI', 'TEE-COT');

async function notifications(): Promise<string[]> {
  const bodies = await drainQueue(twin.sqs, twin.resources.queues.notifications.url);
  return bodies.map((b) => NotificationMessage.parse(JSON.parse(b))).map((n) => `${n.orderId}@${n.decisionVersion}`).sort();
}

async function receivedOrders(count: number) {
  const orders = Array.from({ length: count }, () => teeOrder(new Date()));
  for (const order of orders) await putReceivedOrder(twin, order, new Date());
  return orders;
}

describe('DynamoDB throttling on one record of a batch', () => {
  it.each([
    { error: 'ProvisionedThroughputExceededException', on: 'reading the order', match: isGetOf },
    { error: 'ThrottlingException', on: 'committing the decision', match: isCommitOf },
  ] as const)('$error while $on fails that record alone; the other nine are routed and the retry succeeds', async ({ error, match }) => {
    await notifications();
    const orders = await receivedOrders(10);
    const victim = orders[3]!;
    const before = await stock();
    const deliveries = orders.map((o) => delivery({ orderId: o.orderId, afterVersion: 0 }));
    const victimDelivery = deliveries[3]!;
    const matches = match(victim.orderId);
    fault = (command) => (matches(command) ? throttles[error]() : undefined);

    const response = await invokeRouterRaw(twin.handler, deliveries);
    expect(faulted).toBeGreaterThan(0);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: victimDelivery.messageId }]);
    for (const order of orders) {
      const record = await readOrder(twin, order.orderId);
      if (order === victim) expect(record).toMatchObject({ status: 'received', decisionVersion: 0 });
      else expect(record).toMatchObject({ status: 'routed', decisionVersion: 1, notifiedVersion: 1 });
    }
    // The throttled order took nothing; the nine took one unit each.
    expect(await stock()).toBe(before! - 9);
    expect(await notifications()).toEqual(orders.filter((o) => o !== victim).map((o) => `${o.orderId}@1`).sort());

    // The throttling is over when SQS delivers the record again.
    fault = () => undefined;
    expect(await invokeRouter(twin.handler, [{ ...victimDelivery, receiveCount: 2 }])).toEqual([]);
    expect(await readOrder(twin, victim.orderId)).toMatchObject({ status: 'routed', decisionVersion: 1, notifiedVersion: 1 });
    expect(await stock()).toBe(before! - 10);
    expect(await notifications()).toEqual([`${victim.orderId}@1`]);
  });
});

describe('poison messages on the orders queue', () => {
  it('end in the DLQ after max receives, an order that keeps failing is marked failed, the rest are routed once', async () => {
    await notifications();
    const maxReceiveCount = QUEUES.orders.maxReceiveCount;
    // The orders queue's redrive policy with a one-second visibility, so five receives take seconds.
    const queue = await createQueue(twin.sqs, {
      ...QUEUES.orders,
      id: 'OrdersQueueFaultTest',
      deadLetterQueueId: 'OrdersQueueFaultTestDLQ',
      visibilityTimeoutSeconds: 1,
      retentionDays: 1,
    });
    const good = await receivedOrders(3);
    const [stuck] = await receivedOrders(1);
    // Its commit is throttled on every attempt: DynamoDB never lets this one through.
    const stuckCommit = isCommitOf(stuck!.orderId);
    fault = (command) => (stuckCommit(command) ? throttles.ThrottlingException() : undefined);
    const missingId = 'ord_test_never_recorded';
    const poison = ['{"orderId": "ord_test_truncated', JSON.stringify({ orderId: missingId, afterVersion: 0 })];
    const stuckBody = JSON.stringify({ orderId: stuck!.orderId, afterVersion: 0 });
    const goodBodies = good.map((o) => JSON.stringify({ orderId: o.orderId, afterVersion: 0 }));
    for (const body of [...goodBodies, ...poison, stuckBody]) await sendBody(twin.sqs, queue.url, body);

    const receives = new Map<string, string[]>();
    const outcomes: BatchOutcome[] = [];
    const poller = await startPoller({
      sqs: twin.sqs,
      queueUrl: queue.url,
      handler: (event: SQSEvent, context) => {
        for (const r of event.Records) receives.set(r.body, [...(receives.get(r.body) ?? []), r.attributes.ApproximateReceiveCount]);
        return twin.handler(event, context);
      },
      batchSize: FUNCTIONS.router.sqs.batchSize,
      maxBatchingWindowSeconds: 0,
      functionName: FUNCTIONS.router.id,
      timeoutSeconds: FUNCTIONS.router.timeoutSeconds,
      waitTimeSeconds: 1,
      onBatch: (o) => outcomes.push(o),
      log: () => {},
    });
    try {
      await waitFor(
        async () =>
          (await queueDepth(twin.sqs, queue.dlqUrl)) === 3 && (await queueDepth(twin.sqs, queue.url)) === 0 ? true : undefined,
        () => `three messages in the DLQ and none left on the queue (receives so far: ${JSON.stringify(Object.fromEntries(receives))})`,
        25_000,
      );
    } finally {
      await poller.stop();
    }

    // Later batches hold only failing records: still reported record by record, never an
    // invocation error (which would page the function's Errors alarm for an expected retry).
    expect(outcomes.length).toBeGreaterThanOrEqual(maxReceiveCount);
    expect(outcomes.filter((o) => o.error !== undefined).map((o) => o.error)).toEqual([]);
    expect(outcomes.filter((o) => o.deleted.length === 0).length).toBeGreaterThan(0);

    // Poison and the stuck order: received exactly maxReceiveCount times, then dead-lettered.
    const counts = Array.from({ length: maxReceiveCount }, (_, i) => String(i + 1));
    for (const body of [...poison, stuckBody]) expect({ body, receives: receives.get(body) }).toEqual({ body, receives: counts });
    expect((await drainQueue(twin.sqs, queue.dlqUrl)).sort()).toEqual([...poison, stuckBody].sort());

    // The stuck order says why on its last receive; the missing one was not invented.
    const stuckRecord = await readOrder(twin, stuck!.orderId);
    expect(stuckRecord).toMatchObject({ status: 'failed', decisionVersion: 0 });
    expect(stuckRecord!.note).toMatch(new RegExp(`routing failed ${maxReceiveCount} times`));
    expect(await readOrder(twin, missingId)).toBeUndefined();
    const { Item } = await twin.doc.send(new GetCommand({ TableName: twin.tableName, Key: keys.order(missingId) }));
    expect(Item).toBeUndefined();

    // The good orders were routed on their first receive, once, with one notification each.
    for (const [i, order] of good.entries()) {
      expect(receives.get(goodBodies[i]!)).toEqual(['1']);
      expect(await readOrder(twin, order.orderId)).toMatchObject({ status: 'routed', decisionVersion: 1, notifiedVersion: 1 });
    }
    expect(await notifications()).toEqual(good.map((o) => `${o.orderId}@1`).sort());
  });
});
