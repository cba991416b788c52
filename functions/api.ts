/**
 * The seller API: POST /v1/quotes, GET /v1/orders/{orderId}, POST /v1/orders/{orderId}/reroute,
 * GET /openapi.json — a router over lib/api/routes.ts, clients built once per container.
 */
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { httpErrors } from '#api/http.ts';
import { createApiRoutes } from '#api/routes.ts';
import { route } from '#routing/route.ts';
import { HttpError } from '#shared/errors.ts';
import { loadConfig } from '#shared/config.ts';
import { createApiKeyStore } from '#store/api-keys.ts';
import { createDocumentClient } from '#store/client.ts';
import { sendOrderMessage } from '#store/intake.ts';
import { createOrderStore } from '#store/orders.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';

const config = loadConfig(['tableName', 'ordersQueueUrl', 'snapshotTtlSeconds']);
const doc = createDocumentClient();
const sqs = new SQSClient({});

const routes = createApiRoutes({
  apiKeys: createApiKeyStore({ doc, tableName: config.tableName }),
  orders: createOrderStore({ doc, tableName: config.tableName }),
  snapshots: createSnapshotLoader({ doc, tableName: config.tableName, ttlSeconds: config.snapshotTtlSeconds }),
  route,
  sendOrderMessage: (message) => sendOrderMessage(sqs, config.ordersQueueUrl, message),
});

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpErrors())
  .handler(
    httpRouterHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({
      routes: routes.map((r) => ({ method: r.method, path: r.path, handler: r.handler })),
      notFoundResponse: ({ method, path }) => {
        throw new HttpError(404, 'not-found', `No route for ${method} ${path}.`);
      },
    }),
  );
