/**
 * The planning routes of the seller API (GET /v1/plans, GET /v1/reports/savings): the planning
 * routes of ROUTES as data for @middy/http-router, each to its handler in lib/api/planning.ts;
 * clients built once per container. Its own function: a plan prices every SKU and destination
 * through the routing core, which wants more memory and time than a quote.
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createPlanningRoutes } from '#api/planning.ts';
import { HttpError } from '#http/errors.ts';
import { httpErrors } from '#http/http.ts';
import { loadConfig } from '#shared/config.ts';
import { createApiKeyStore } from '#store/api-keys.ts';
import { createDocumentClient } from '#store/client.ts';
import { createHistoryReader } from '#store/planning.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';

const logger = new Logger({ serviceName: 'silkroute-planning' });
const config = loadConfig(['tableName', 'snapshotTtlSeconds']);
const doc = createDocumentClient();
const store = { doc, tableName: config.tableName };

const routes = createPlanningRoutes({
  apiKeys: createApiKeyStore(store),
  history: createHistoryReader(store),
  snapshots: createSnapshotLoader({ ...store, ttlSeconds: config.snapshotTtlSeconds }),
});

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(httpErrors(logger))
  .handler(
    httpRouterHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({
      routes: routes.map((r) => ({ method: r.method, path: r.path, handler: r.handler })),
      notFoundResponse: ({ method, path }) => {
        throw new HttpError(404, 'not-found', `No route for ${method} ${path}.`);
      },
    }),
  );
