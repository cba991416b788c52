/**
 * Notifications queue → one email per routing decision, in the seller's language, via SES v2
 * (the use case: lib/orders/notify.ts; exactly-once: lib/store/notifications.ts). A record that
 * throws (SES refused or throttled, another delivery is sending the same email right now, the
 * decision is not readable yet) goes back to the queue alone, after max receives to its DLQ.
 */
import './cold-start.ts';
import { Logger } from '@aws-lambda-powertools/logger';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createDecisionMailer } from '#email/mailer.ts';
import { createSesSender } from '#email/ses.ts';
import { notifyDecision, type NotifyPorts } from '#orders/notify.ts';
import { loadConfig } from '#shared/config.ts';
import { NotificationMessage } from '#shared/messages.ts';
import { createDocumentClient } from '#store/client.ts';
import { createEmailLedger, createNotificationStore } from '#store/notifications.ts';
import { createOrderStore } from '#store/orders.ts';
import { createLinkSecret } from '#store/link-secret.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';
import { sqsBatchHandler } from './sqs-batch.ts';

const config = loadConfig(['tableName', 'emailFrom', 'snapshotTtlSeconds', 'actionLinkSigningName', 'publicApiUrl']);
const logger = new Logger({ serviceName: 'silkroute-email' });
const store = { doc: createDocumentClient(), tableName: config.tableName };
const ports: Omit<NotifyPorts, 'log'> = {
  orders: createOrderStore(store),
  snapshots: createSnapshotLoader({ ...store, ttlSeconds: config.snapshotTtlSeconds }),
  ledger: createEmailLedger(createNotificationStore(store)),
  mailer: createDecisionMailer(createSesSender({ ses: new SESv2Client({}), from: config.emailFrom }), {
    baseUrl: config.publicApiUrl,
    secret: createLinkSecret(config.actionLinkSigningName),
  }),
};

export const handler = sqsBatchHandler({
  logger,
  schema: NotificationMessage,
  noun: 'notification message',
  keysOf: (message) => ({ orderId: message.orderId, decisionVersion: message.decisionVersion }),
  retryLine: 'notification not sent; SQS will retry it',
  // One at a time: the SES send rate is the quota that matters, and maxConcurrency caps the rest.
  processInParallel: false,
  handle: async (message, log) => void (await notifyDecision(message, { ...ports, log }, new Date())),
});
