/**
 * POST /webhooks/shopify | /webhooks/woocommerce | /webhooks/orders — verify, normalise, record
 * durably, queue, answer. Kept light for the cold start (Shopify allows 5 s including it): no
 * routing core, no CDK; the clients are built once per container.
 */
import './cold-start.ts';
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { httpErrors } from '#http/http.ts';
import { createWebhookHandler } from '#marketplaces/webhook.ts';
import { loadConfig } from '#shared/config.ts';
import { createDocumentClient } from '#store/client.ts';
import { createConnectionStore } from '#store/connections.ts';
import { createIntake } from '#orders/intake.ts';
import { createIntakeRecorder } from '#store/intake.ts';
import { createSqsOutbox } from '#store/outbox.ts';
import { cancelOrder } from '#store/fulfilment.ts';

const logger = new Logger({ serviceName: 'silkroute-webhooks' });
const config = loadConfig(['tableName', 'ordersQueueUrl', 'secretsPrefix', 'buyerDataRetentionDays']);
// Shopify waits 5 s in all: a hung dependency must fail in time for a 503 (it retries), not a
// timeout; middy's early timeout answers 503 for whatever is still slower.
const requestHandler = { connectionTimeout: 1_000, requestTimeout: 1_500 };
const doc = createDocumentClient({ config: { requestHandler, maxAttempts: 2 } });

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(httpErrors(logger))
  .handler(
    createWebhookHandler({
      log: logger,
      connections: createConnectionStore({ doc, tableName: config.tableName, secretsPrefix: config.secretsPrefix }),
      intake: createIntake({
        recorder: createIntakeRecorder({ doc, tableName: config.tableName, retentionDays: config.buyerDataRetentionDays }),
        outbox: createSqsOutbox({ sqs: new SQSClient({ requestHandler, maxAttempts: 2 }), ordersQueueUrl: config.ordersQueueUrl }),
      }),
      cancel: (input) => cancelOrder({ doc, tableName: config.tableName }, input),
    }),
  );
