/**
 * The routing worker on real protocols, for test/worker-*.test.ts: an in-process dynalite
 * (patched with transactions) and fauxqs, the table and queues built from the shared
 * definitions by the twin's own resources.ts, the demo network imported, and the handler module
 * loaded as Lambda loads it — configuration from the environment, clients from the SDK's
 * standard endpoint variables (the twin's env.ts builds the map).
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { CanonicalOrder } from '#network/schemas.ts';
import { FUNCTIONS } from '#shared/definitions.ts';
import type { OrderMessage } from '#shared/messages.ts';
import { createDocumentClient } from '#store/client.ts';
import { importNetworkDir } from '#store/import.ts';
import { keys } from '#store/keys.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { orderItem, recordFromItem } from '#store/orders.ts';
import { applyEnv, TWIN_CREDENTIALS, TWIN_REGION, twinEnv } from '#infra/local/env.ts';
import { invoke } from '#infra/local/lambda.ts';
import { toRecord } from '#infra/local/poller.ts';
import { createResources, type TwinResources } from '#infra/local/resources.ts';
import { startSqsServer, type LocalServer } from '#infra/local/servers.ts';
import { startDynalite, type DynaliteHandle } from './dynalite.ts';

export type RouterHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface WorkerTwin {
  readonly db: DynaliteHandle;
  readonly sqsServer: LocalServer;
  /** A client on fauxqs for the test's own sends, receives and counts. */
  readonly sqs: SQSClient;
  /** The test's own document client (not the handler's). */
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly resources: TwinResources;
  /** functions/route-orders.ts's handler, imported after the environment was set. */
  readonly handler: RouterHandler;
  /**
   * Another warm container: a fresh instance of the handler module (its own clients, snapshot
   * cache and BatchProcessor). Lambda never runs two invocations in one container at once — the
   * module-scope BatchProcessor keeps per-invocation state — so parallel invocations need one each.
   */
  container(): Promise<RouterHandler>;
  stop(): Promise<void>;
}

/** Where the demo network lives, from the repository root (vitest runs there). */
export const DEMO_DIR = 'data/demo';

/**
 * Starts dynalite and fauxqs, creates the table and queues, imports the demo as of `now`, sets
 * the handler's environment and imports the handler. Call once per test file: the handler module
 * (and its snapshot cache) lives for the whole file, like a warm Lambda container.
 */
export async function startWorkerTwin(options: { now: Date }): Promise<WorkerTwin> {
  const db = await startDynalite();
  let sqsServer: LocalServer | undefined;
  let sqs: SQSClient | undefined;
  try {
    sqsServer = await startSqsServer();
    sqs = new SQSClient({ region: TWIN_REGION, credentials: TWIN_CREDENTIALS, endpoint: sqsServer.endpoint });
    const resources = await createResources({ dynamodb: db.client, sqs });
    const doc = createDocumentClient({ client: db.client });
    await importNetworkDir(DEMO_DIR, { tableName: resources.tableName, now: options.now, doc, demo: true });

    // Handlers log at WARN on the twin; the expected failures of these tests would flood the output.
    process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
    applyEnv(
      twinEnv({
        endpoints: {
          dynamodb: db.endpoint,
          sqs: sqsServer.endpoint,
          // The router uses neither; nothing listens here, so a stray call fails loudly.
          sesv2: 'http://127.0.0.1:9',
          secretsManager: 'http://127.0.0.1:9',
        },
        tableName: resources.tableName,
        ordersQueueUrl: resources.queues.orders.url,
        notificationsQueueUrl: resources.queues.notifications.url,
      }),
    );
    const { handler } = (await import('../../functions/route-orders.ts')) as { handler: RouterHandler };
    let containers = 0;
    const started = { db, sqsServer, sqs };
    return {
      db,
      sqsServer,
      sqs,
      doc,
      tableName: resources.tableName,
      resources,
      handler,
      async container() {
        containers += 1;
        // A distinct specifier is a distinct module instance, as a second container loads it.
        const url = `../../functions/route-orders.ts?container=${containers}`;
        return ((await import(/* @vite-ignore */ url)) as { handler: RouterHandler }).handler;
      },
      async stop() {
        started.sqs.destroy();
        await started.sqsServer.stop();
        await started.db.stop();
      },
    };
  } catch (error) {
    sqs?.destroy();
    await sqsServer?.stop();
    await db.stop();
    throw error;
  }
}

/** Polls `probe` every 50 ms until it returns a value; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string | (() => string),
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// --- orders ----------------------------------------------------------------------------------

/** A T-shirt order of tianmen-garments to Germany (the demo's WH-DUI fast mover), fresh ids. */
export function teeOrder(placedAt: Date, overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  const externalId = `T-${randomUUID().slice(0, 8)}`;
  return {
    orderId: `ord_test_${externalId.toLowerCase()}`,
    sellerId: 'tianmen-garments',
    marketplace: 'shopify',
    externalId,
    placedAt: placedAt.toISOString(),
    currency: 'EUR',
    shipTo: { country: 'DE', postalCode: '10115' },
    lines: [{ sku: 'TEE-COT', qty: 1 }],
    ...overrides,
  };
}

/** Puts the order as intake records it: `received`, decision version 0. */
export async function putReceivedOrder(twin: Pick<WorkerTwin, 'doc' | 'tableName'>, order: CanonicalOrder, now: Date): Promise<void> {
  const record: OrderRecord = {
    orderId: order.orderId,
    sellerId: order.sellerId,
    status: 'received',
    order,
    source: { platform: order.marketplace, shop: 'test-shop' },
    receivedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    decisionVersion: 0,
  };
  await twin.doc.send(new PutCommand({ TableName: twin.tableName, Item: orderItem(record), ConditionExpression: 'attribute_not_exists(pk)' }));
}

/** The order item as a record (consistent read), or undefined. */
export async function readOrder(twin: Pick<WorkerTwin, 'doc' | 'tableName'>, orderId: string): Promise<OrderRecord | undefined> {
  const { Item } = await twin.doc.send(new GetCommand({ TableName: twin.tableName, Key: keys.order(orderId), ConsistentRead: true }));
  return Item === undefined ? undefined : recordFromItem(Item);
}

/** Units available of `sku` at `warehouseId` (undefined when the stock item is missing). */
export async function readStock(
  twin: Pick<WorkerTwin, 'doc' | 'tableName'>,
  sellerId: string,
  warehouseId: string,
  sku: string,
): Promise<number | undefined> {
  const { Item } = await twin.doc.send(
    new GetCommand({ TableName: twin.tableName, Key: keys.stock(sellerId, warehouseId, sku), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : (Item.available as number);
}

/** Sets the units available of an existing stock item (as a warehouse count would). */
export async function setStock(
  twin: Pick<WorkerTwin, 'doc' | 'tableName'>,
  sellerId: string,
  warehouseId: string,
  sku: string,
  available: number,
): Promise<void> {
  await twin.doc.send(
    new UpdateCommand({
      TableName: twin.tableName,
      Key: keys.stock(sellerId, warehouseId, sku),
      UpdateExpression: 'SET available = :n',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':n': available },
    }),
  );
}

// --- SQS -------------------------------------------------------------------------------------

/** Sends one raw body to a queue. */
export async function sendBody(sqs: SQSClient, queueUrl: string, body: string): Promise<void> {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

/** Visible + in flight + delayed messages of a queue. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/**
 * Receives and deletes every visible message of a queue; returns their bodies. Only for queues
 * nothing else consumes, after every producer finished (fauxqs answers short polls exactly).
 */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => m.Body ?? ''));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}

// --- invoking the handler directly -----------------------------------------------------------

const ORDERS_QUEUE_ARN = `arn:aws:sqs:${TWIN_REGION}:000000000000:OrdersQueue`;

/** One delivery of a message: the same messageId on every delivery, the receive count given. */
export interface Delivery {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
}

/** A first delivery of `message` (a new message id). */
export function delivery(message: OrderMessage | string): Delivery {
  return { messageId: randomUUID(), body: typeof message === 'string' ? message : JSON.stringify(message), receiveCount: 1 };
}

/** The SQS record Lambda would build for this delivery (shaped by the twin's poller). */
export function recordOf(d: Delivery): SQSRecord {
  const message: Message = {
    MessageId: d.messageId,
    ReceiptHandle: `${d.messageId}#${d.receiveCount}`,
    Body: d.body,
    Attributes: {
      ApproximateReceiveCount: String(d.receiveCount),
      SentTimestamp: String(Date.now()),
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      SenderId: 'AIDATEST',
    },
  };
  return toRecord(message, ORDERS_QUEUE_ARN, TWIN_REGION);
}

/** Invokes the handler once with these deliveries (router timeout); its response as Lambda returns it. */
export async function invokeRouterRaw(handler: RouterHandler, deliveries: readonly Delivery[]): Promise<SQSBatchResponse> {
  return invoke(handler, { Records: deliveries.map(recordOf) }, {
    functionName: FUNCTIONS.router.id,
    timeoutSeconds: FUNCTIONS.router.timeoutSeconds,
    memoryMb: FUNCTIONS.router.memoryMb,
  });
}

/**
 * Invokes the handler once; returns the message ids SQS would deliver again. An invocation
 * error is not swallowed: the router reports even a batch whose every record failed as
 * batchItemFailures, so a throw here is a fault the test should see.
 */
export async function invokeRouter(handler: RouterHandler, deliveries: readonly Delivery[]): Promise<string[]> {
  const result = await invokeRouterRaw(handler, deliveries);
  return (result?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
}

/**
 * Delivers again, like SQS after the visibility timeout, every delivery the handler reported
 * failed (receive count + 1), until none fail; throws after `maxReceives`. Returns how many
 * times each message was received.
 */
export async function redeliverUntilSettled(
  handler: RouterHandler,
  failed: readonly Delivery[],
  maxReceives = 4,
): Promise<Map<string, number>> {
  const receives = new Map(failed.map((d) => [d.messageId, d.receiveCount]));
  let pending = [...failed];
  while (pending.length > 0) {
    pending = pending.map((d) => ({ ...d, receiveCount: d.receiveCount + 1 }));
    const over = pending.find((d) => d.receiveCount > maxReceives);
    if (over !== undefined) throw new Error(`message ${over.messageId} (${over.body}) still failing after ${maxReceives} receives`);
    for (const d of pending) receives.set(d.messageId, d.receiveCount);
    const again = new Set(await invokeRouter(handler, pending));
    pending = pending.filter((d) => again.has(d.messageId));
  }
  return receives;
}
