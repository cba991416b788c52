/**
 * Marketplace notifications queue → the order fetched from its platform and recorded by the
 * intake (the use case: lib/marketplaces/fetch-intake.ts; ADR 0043). Amazon's ORDER_CHANGE
 * notifications arrive here from SP-API itself; TikTok Shop webhooks from functions/webhooks.ts.
 *
 * A 429 from a platform never loses the order: the message's visibility is set to a backoff
 * (MARKETPLACE_THROTTLE_BACKOFF_SECONDS doubled per receive, or the platform's Retry-After, at
 * most MARKETPLACE_APIS.maxBackoffSeconds) and the record is reported failed, so SQS keeps it and
 * hands it back later; after QUEUES.marketplace.maxReceiveCount receives it waits in the DLQ.
 * Records are handled one after another: SP-API's getOrder allows 0.5 requests per second.
 */
import './cold-start.ts';
import { Logger } from '@aws-lambda-powertools/logger';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createFetchIntake, MarketplaceMessage, noticeOf } from '#marketplaces/fetch-intake.ts';
import { createLwaTokens, createSpApi, createTikTokShopApi, ThrottledError } from '#marketplaces/platform-api.ts';
import { createIntake } from '#orders/intake.ts';
import { loadConfig } from '#shared/config.ts';
import { MARKETPLACE_APIS, QUEUES } from '#shared/definitions.ts';
import { createDocumentClient } from '#store/client.ts';
import { createConnectionStore } from '#store/connections.ts';
import { cancelOrder } from '#store/fulfilment.ts';
import { createIntakeRecorder } from '#store/intake.ts';
import { createSqsOutbox } from '#store/outbox.ts';
import { sqsBatchHandler } from './sqs-batch.ts';

const config = loadConfig([
  'tableName',
  'ordersQueueUrl',
  'secretsPrefix',
  'buyerDataRetentionDays',
  'marketplaceQueueUrl',
  'amazonLwaTokenUrl',
  'amazonSpApiUrl',
  'tiktokShopApiUrl',
  'throttleBackoffSeconds',
]);
const logger = new Logger({ serviceName: 'silkroute-marketplace-fetch' });
const doc = createDocumentClient();
const sqs = new SQSClient({});

const fetchIntake = createFetchIntake({
  connections: createConnectionStore({ doc, tableName: config.tableName, secretsPrefix: config.secretsPrefix }),
  intake: createIntake({
    recorder: createIntakeRecorder({ doc, tableName: config.tableName, retentionDays: config.buyerDataRetentionDays }),
    outbox: createSqsOutbox({ sqs, ordersQueueUrl: config.ordersQueueUrl }),
  }),
  cancel: (input) => cancelOrder({ doc, tableName: config.tableName }, input),
  // One token cache per container: a warm fetcher asks Login with Amazon once an hour per seller.
  amazon: createSpApi({ baseUrl: config.amazonSpApiUrl, tokens: createLwaTokens({ tokenUrl: config.amazonLwaTokenUrl }) }),
  tiktokShop: createTikTokShopApi({ baseUrl: config.tiktokShopApiUrl }),
});

/** Seconds a throttled message waits before its next receive. */
export function backoffSeconds(receives: number, baseSeconds: number, retryAfterSeconds?: number): number {
  const doubled = baseSeconds * 2 ** Math.max(0, receives - 1);
  return Math.ceil(Math.min(MARKETPLACE_APIS.maxBackoffSeconds, Math.max(doubled, retryAfterSeconds ?? 0)));
}

export const handler = sqsBatchHandler({
  logger,
  schema: MarketplaceMessage,
  noun: 'marketplace notification',
  keysOf: (message) => {
    const notice = noticeOf(message);
    return { platform: notice.platform, shop: notice.shop, externalId: notice.externalId };
  },
  retryLine: 'marketplace order not recorded; SQS will deliver the notification again',
  maxReceiveCount: QUEUES.marketplace.maxReceiveCount,
  processInParallel: false,
  async handle(message, log, record) {
    try {
      const outcome = await fetchIntake(message);
      log.info('marketplace notification processed', { ...outcome });
    } catch (error) {
      if (error instanceof ThrottledError) {
        const receives = Number(record.attributes.ApproximateReceiveCount);
        const seconds = backoffSeconds(receives, config.throttleBackoffSeconds, error.retryAfterSeconds);
        // Failing to set the delay only means the default visibility timeout applies: still not lost.
        await sqs
          .send(new ChangeMessageVisibilityCommand({ QueueUrl: config.marketplaceQueueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }))
          .catch((visibilityError: unknown) => log.warn('could not delay the throttled notification', { error: visibilityError as Error }));
        log.warn('platform API throttled; the notification waits on the queue', { receives, delaySeconds: seconds });
      }
      throw error;
    }
  },
});
