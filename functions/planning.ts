/**
 * The planning routes of the seller API (GET /v1/plans, GET /v1/reports/savings): the planning
 * routes of ROUTES as data for @middy/http-router, each to its handler in lib/api/planning.ts;
 * clients built once per container. Its own function: a plan prices every SKU and destination
 * through the routing core, which wants more memory and time than a quote.
 */
import './cold-start.ts';
import { Logger } from '@aws-lambda-powertools/logger';
import { httpRouterFunction } from './http-router.ts';
import { createPlanningRoutes } from '#api/planning.ts';
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

export const handler = httpRouterFunction(logger, routes);
