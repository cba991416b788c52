/**
 * Orders queue → a committed routing decision, exactly once per order version (the use case and
 * its reasoning: lib/orders/route-order.ts). This file only wires ports to adapters. After the
 * queue's max receives a failing record lands in the DLQ and the order is marked `failed`.
 */
import './cold-start.ts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import { routeOrder, type RoutePorts } from '#orders/route-order.ts';
import { loadConfig } from '#shared/config.ts';
import { QUEUES } from '#shared/definitions.ts';
import { OrderMessage } from '#shared/messages.ts';
import { METRICS } from '#shared/metrics.ts';
import { createDocumentClient } from '#store/client.ts';
import { createDecisionCommitter } from '#store/commit.ts';
import { createOrderStore } from '#store/orders.ts';
import { createSqsOutbox } from '#store/outbox.ts';
import { createHotItems } from '#store/shards.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';
import { sqsBatchHandler } from './sqs-batch.ts';

const config = loadConfig(['tableName', 'notificationsQueueUrl', 'snapshotTtlSeconds']);
const logger = new Logger({ serviceName: 'silkroute-router' });
const metrics = new Metrics({ namespace: METRICS.namespace, serviceName: METRICS.service });
const store = { doc: createDocumentClient(), tableName: config.tableName };
/** Long enough for a crashed winner's message to come back; shorter than the visibility timeout. */
const NOTIFY_GRACE_MS = 60_000;

const ports: RoutePorts = {
  orders: createOrderStore(store),
  // One cache per container: a warm router does not read the network for every order.
  snapshots: createSnapshotLoader({ ...store, ttlSeconds: config.snapshotTtlSeconds }),
  // Per container: its commits on one item queue in memory; hot SKUs go to escrow shards (ADR 0051).
  committer: createDecisionCommitter({ ...store, hotItems: createHotItems(store) }),
  outbox: createSqsOutbox({ sqs: new SQSClient({}), notificationsQueueUrl: config.notificationsQueueUrl }),
  metrics: {
    put(name, unit, value, dimensions) {
      if (dimensions === undefined) return void metrics.addMetric(name, unit, value);
      const single = metrics.singleMetric();
      single.addDimensions(dimensions);
      single.addMetric(name, unit, value);
    },
  },
};

export const handler = sqsBatchHandler({
  logger,
  schema: OrderMessage,
  noun: 'order message',
  keysOf: (message) => ({ orderId: message.orderId }),
  retryLine: 'order not routed; SQS will retry it',
  maxReceiveCount: QUEUES.orders.maxReceiveCount,
  onLastReceive: (message, error, receives) => ports.orders.markFailed(message.orderId, `routing failed ${receives} times: ${error.message}`),
  use: [logMetrics(metrics)],
  async handle(message, log) {
    const outcome = await routeOrder(message, ports, { now: new Date(), notifyGraceMs: NOTIFY_GRACE_MS });
    log.info('order message processed', {
      outcome: outcome.kind,
      ...(outcome.kind === 'decided'
        ? { status: outcome.decision.status, routeId: outcome.decision.chosen?.routeId, decisionVersion: outcome.decisionVersion }
        : outcome),
    });
  },
});
