/**
 * Scheduled (EventBridge Scheduler every FUNCTIONS.sweep.schedule.everyMinutes; a timer on the
 * twin): re-queues orders left `received` past the threshold — an SQS send that failed after the
 * order was recorded, a crash between the two, a message the twin's in-memory queue lost — and
 * emits the age of the oldest undecided order, which the OldestReceivedOrder alarm watches. The
 * logic and why it keeps exactly-once: lib/store/sweep.ts.
 */
import './cold-start.ts';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadConfig } from '#shared/config.ts';
import { METRICS } from '#shared/metrics.ts';
import { createDocumentClient } from '#store/client.ts';
import { sweepReceived, type SweepResult } from '#store/sweep.ts';

const config = loadConfig(['tableName', 'ordersQueueUrl', 'sweepOlderThanSeconds']);
const logger = new Logger({ serviceName: 'silkroute-sweep' });
const metrics = new Metrics({ namespace: METRICS.namespace, serviceName: METRICS.service });
const store = { doc: createDocumentClient(), tableName: config.tableName };
const sqs = new SQSClient({});

export const handler = middy<unknown, SweepResult, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    // A recovery run may lower the threshold (the twin after a restart: its queues are new).
    const override = (event as { olderThanSeconds?: unknown } | null)?.olderThanSeconds;
    const result = await sweepReceived({
      ...store,
      sqs,
      ordersQueueUrl: config.ordersQueueUrl,
      now: new Date(),
      olderThanSeconds: typeof override === 'number' && Number.isInteger(override) && override >= 0 ? override : config.sweepOlderThanSeconds,
    });
    metrics.addMetric(METRICS.oldestReceivedOrderAgeSeconds, MetricUnit.Seconds, result.oldestAgeSeconds);
    metrics.addMetric(METRICS.ordersRequeued, MetricUnit.Count, result.requeued.length);
    if (result.requeued.length > 0 || result.failed.length > 0) {
      logger.warn('orders left received were queued again', {
        requeued: result.requeued,
        failed: result.failed,
        skipped: result.skipped,
        oldestAgeSeconds: result.oldestAgeSeconds,
      });
    }
    // A failed send is retried by the next run; the alarm on the oldest age pages if it persists.
    return result;
  });
