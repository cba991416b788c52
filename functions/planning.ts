/**
 * The planning routes of the seller API (GET /v1/plans, GET /v1/reports/savings, POST
 * /v1/plans/{departureId}/accept and the accept link's pages): the planning
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
import { bookInbound, readLot } from '#store/inbound.ts';
import { createLinkSecret } from '#store/link-secret.ts';
import { createHistoryReader } from '#store/planning.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';

const logger = new Logger({ serviceName: 'silkroute-planning' });
const config = loadConfig(['tableName', 'snapshotTtlSeconds', 'actionLinkSigningName']);
const doc = createDocumentClient();
const store = { doc, tableName: config.tableName };

const routes = createPlanningRoutes({
  apiKeys: createApiKeyStore(store),
  history: createHistoryReader(store),
  snapshots: createSnapshotLoader({ ...store, ttlSeconds: config.snapshotTtlSeconds }),
  inbound: { bookInbound: (input) => bookInbound(store, input), readLot: (sellerId, lotId) => readLot(store, sellerId, lotId) },
  linkSecret: createLinkSecret(config.actionLinkSigningName),
});

export const handler = httpRouterFunction(logger, routes);
