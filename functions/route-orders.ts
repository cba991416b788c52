/**
 * Orders queue → a committed routing decision, exactly once per order version (the logic and
 * its reasoning live in lib/worker/route-order.ts). Partial batch failures: a record that throws
 * (throttling, a timeout, a transaction that lost a race) goes back to the queue alone; after
 * the queue's max receives it lands in the DLQ and the order is marked `failed`.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { route, reservationsOf } from '#routing/route.ts';
import { loadConfig } from '#shared/config.ts';
import { QUEUES } from '#shared/definitions.ts';
import { OrderMessage } from '#shared/messages.ts';
import { METRICS } from '#shared/metrics.ts';
import { createDocumentClient } from '#store/client.ts';
import { routeAndCommit } from '#store/commit.ts';
import { createOrderStore } from '#store/orders.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';
import { recordDecisionMetrics, type MetricSink } from '#worker/metrics.ts';
import { processOrderMessage, type WorkerPorts } from '#worker/route-order.ts';

const config = loadConfig(['tableName', 'notificationsQueueUrl', 'snapshotTtlSeconds']);
const logger = new Logger({ serviceName: 'silkroute-router' });
const metrics = new Metrics({ namespace: METRICS.namespace, serviceName: METRICS.service });
const store = { doc: createDocumentClient(), tableName: config.tableName };
const sqs = new SQSClient({});
const orders = createOrderStore(store);
// One cache per container: a warm router does not read the network for every order.
const snapshots = createSnapshotLoader({ ...store, ttlSeconds: config.snapshotTtlSeconds });
const processor = new BatchProcessor(EventType.SQS);
/** Long enough for a crashed winner's message to come back; shorter than the visibility timeout. */
const NOTIFY_GRACE_MS = 60_000;

const sink: MetricSink = {
  put(name, unit, value, dimensions) {
    if (dimensions === undefined) {
      metrics.addMetric(name, unit, value);
      return;
    }
    const single = metrics.singleMetric();
    single.addDimensions(dimensions);
    single.addMetric(name, unit, value);
  },
};

const ports: WorkerPorts = {
  getOrder: (orderId) => orders.getOrder(orderId),
  async routeAndCommit(order, now, { freshNetwork }) {
    const outcome = await routeAndCommit({
      ...store,
      order,
      now,
      loader: snapshots,
      route: (snapshot) => route(order.order, snapshot, now),
      reservationsOf,
      fresh: freshNetwork,
    });
    if (outcome.kind === 'committed') {
      const { fx } = await snapshots.load(order.sellerId, now);
      recordDecisionMetrics(sink, outcome.decision, order.receivedAt, fx, outcome.attempts > 1);
    }
    return outcome;
  },
  async sendNotification(message) {
    await sqs.send(new SendMessageCommand({ QueueUrl: config.notificationsQueueUrl, MessageBody: JSON.stringify(message) }));
  },
  markNotified: (orderId, version) => orders.markNotified(orderId, version),
};

async function recordHandler(record: SQSRecord): Promise<void> {
  let message: OrderMessage;
  try {
    message = OrderMessage.parse(JSON.parse(record.body));
  } catch (error) {
    logger.error('unreadable order message; it will end in the DLQ', { sqsMessageId: record.messageId, error: error as Error });
    throw error;
  }
  const log = logger.createChild({ persistentKeys: { orderId: message.orderId } });
  try {
    const outcome = await processOrderMessage(message, ports, { now: new Date(), notifyGraceMs: NOTIFY_GRACE_MS });
    log.info('order message processed', {
      outcome: outcome.kind,
      ...(outcome.kind === 'decided'
        ? { status: outcome.decision.status, routeId: outcome.decision.chosen?.routeId, decisionVersion: outcome.decisionVersion }
        : outcome),
    });
  } catch (error) {
    const receives = Number(record.attributes.ApproximateReceiveCount);
    if (receives >= QUEUES.orders.maxReceiveCount) {
      // This was the last try: SQS moves the message to the DLQ; say so on the order, too.
      await orders
        .markFailed(message.orderId, `routing failed ${receives} times: ${(error as Error).message}`)
        .catch((markError: unknown) => log.error('could not mark the order failed', { error: markError as Error }));
    }
    log.warn('order not routed; SQS will retry it', { receives, error: error as Error });
    throw error;
  }
}

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  // throwOnFullBatchFailure: false — a batch whose every record failed (one throttled record, a
  // concurrent duplicate waiting for its winner's notification) is reported record by record like
  // any partial failure: SQS retries the same messages, and the function's Errors alarm (threshold 1)
  // stays for real faults instead of paging on an expected retry.
  .handler((event, context) =>
    processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false }),
  );
