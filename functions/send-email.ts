/**
 * Notifications queue → one email per routing decision, in the seller's language, via SES v2.
 * Partial batch failures: a record that throws (SES refused or throttled, another delivery is
 * sending the same email right now, the decision is not readable yet) goes back to the queue
 * alone, and after the queue's max receives to its dead-letter queue. Exactly-once per decision
 * is lib/store/notifications.ts's job; this file only wires it.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { processNotification } from '#email/notify.ts';
import { createSesSender } from '#email/ses.ts';
import { loadConfig } from '#shared/config.ts';
import { NotificationMessage } from '#shared/messages.ts';
import { createDocumentClient } from '#store/client.ts';
import { createNotificationStore } from '#store/notifications.ts';
import { createOrderStore } from '#store/orders.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';

const config = loadConfig(['tableName', 'emailFrom', 'snapshotTtlSeconds']);
const logger = new Logger({ serviceName: 'silkroute-email' });
const doc = createDocumentClient();
const store = { doc, tableName: config.tableName };
const orders = createOrderStore(store);
const snapshots = createSnapshotLoader({ ...store, ttlSeconds: config.snapshotTtlSeconds });
const notifications = createNotificationStore(store);
const sendEmail = createSesSender({ ses: new SESv2Client({}), from: config.emailFrom });
const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord): Promise<void> {
  let message: NotificationMessage;
  try {
    message = NotificationMessage.parse(JSON.parse(record.body));
  } catch (error) {
    logger.error('unreadable notification message; it will end in the DLQ', { sqsMessageId: record.messageId, error: error as Error });
    throw error;
  }
  // Every line about this record carries its order, also when records of a batch interleave.
  const log = logger.createChild({ persistentKeys: { orderId: message.orderId, decisionVersion: message.decisionVersion } });
  try {
    await processNotification(
      message,
      {
        getOrder: (orderId) => orders.getOrder(orderId),
        loadSnapshot: (sellerId, now) => snapshots.load(sellerId, now),
        notifications,
        sendEmail,
        log,
      },
      new Date(),
    );
  } catch (error) {
    log.warn('notification not sent; SQS will retry it', { sqsMessageId: record.messageId, error: error as Error });
    throw error;
  }
}

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger))
  .handler((event, context) =>
    // One at a time: the SES send rate is the quota that matters, and maxConcurrency caps the rest.
    processPartialResponse(event, recordHandler, processor, {
      context,
      processInParallel: false,
      // A batch whose every record failed is still a partial-failure answer, not a function error:
      // a lone retried record must not trip the Errors alarm.
      throwOnFullBatchFailure: false,
    }),
  );
