/**
 * The seller API: the api routes of ROUTES (lib/shared/definitions.ts) as data for
 * @middy/http-router, each to its operation's handler in lib/api/routes.ts; clients built once per container.
 */
import './cold-start.ts';
import { Logger } from '@aws-lambda-powertools/logger';
import { httpRouterFunction } from './http-router.ts';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createApiRoutes } from '#api/routes.ts';
import { WEBHOOK_PAYLOADS } from '#marketplaces/webhook.ts';
import { route } from '#routing/route.ts';
import { loadConfig } from '#shared/config.ts';
import { createApiKeyStore } from '#store/api-keys.ts';
import { createDocumentClient } from '#store/client.ts';
import { createOrderStore } from '#store/orders.ts';
import { createSqsOutbox } from '#store/outbox.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';
import { cancelOrder, confirmShipment } from '#store/fulfilment.ts';
import { reportStock } from '#store/stock.ts';
import { bookInbound } from '#store/inbound.ts';
import { actionLinkUsedAt, useActionLink } from '#store/action-links.ts';
import { createLinkSecret } from '#store/link-secret.ts';
import { act, type ActPorts } from '#orders/act.ts';

const logger = new Logger({ serviceName: 'silkroute-api' });
const config = loadConfig(['tableName', 'ordersQueueUrl', 'snapshotTtlSeconds', 'actionLinkSigningName']);
const doc = createDocumentClient();
const outbox = createSqsOutbox({ sqs: new SQSClient({}), ordersQueueUrl: config.ordersQueueUrl });

const orders = createOrderStore({ doc, tableName: config.tableName });
const actPorts: ActPorts = {
  secret: createLinkSecret(config.actionLinkSigningName),
  orders,
  useOnce: (token, claims, now) => useActionLink({ doc, tableName: config.tableName }, token, claims.orderId, claims.exp, now),
  sendOrderMessage: outbox.sendOrder,
  usedAt: (token) => actionLinkUsedAt({ doc, tableName: config.tableName }, token),
};

const routes = createApiRoutes({
  apiKeys: createApiKeyStore({ doc, tableName: config.tableName }),
  orders,
  actions: { act: (token, method, now) => act(token, method, actPorts, now) },
  snapshots: createSnapshotLoader({ doc, tableName: config.tableName, ttlSeconds: config.snapshotTtlSeconds }),
  route,
  sendOrderMessage: outbox.sendOrder,
  webhookPayloads: WEBHOOK_PAYLOADS,
  fulfilment: {
    reportStock: (sellerId, reports) => reportStock({ doc, tableName: config.tableName }, sellerId, reports),
    confirmShipment: (input) => confirmShipment({ doc, tableName: config.tableName }, input),
    cancelOrder: (input) => cancelOrder({ doc, tableName: config.tableName }, input),
    bookInbound: (input) => bookInbound({ doc, tableName: config.tableName }, input),
  },
});

export const handler = httpRouterFunction(logger, routes);
