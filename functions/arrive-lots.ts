/**
 * Scheduled (EventBridge Scheduler every FUNCTIONS.arrivals.schedule.everyMinutes; a timer on the
 * twin): inbound lots whose arrival day has come become stock at their warehouse, once
 * (lib/store/arrivals.ts, docs/decisions/0036-lot-ledger-and-arrival.md).
 */
import './cold-start.ts';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConfig } from '#shared/config.ts';
import { createDocumentClient } from '#store/client.ts';
import { sweepArrivals, type ArrivalSweepResult } from '#store/arrivals.ts';

const config = loadConfig(['tableName']);
const logger = new Logger({ serviceName: 'silkroute-arrivals' });
const store = { doc: createDocumentClient(), tableName: config.tableName };

export const handler = middy<unknown, ArrivalSweepResult, Error, Context>()
  .use(injectLambdaContext(logger))
  .handler(async () => {
    const result = await sweepArrivals(store, new Date());
    if (result.arrived.length > 0) logger.info('inbound lots arrived', { arrived: result.arrived });
    // A seller that failed is retried by the next run (the move is idempotent).
    if (result.failed.length > 0) logger.warn('inbound lots not moved', { failed: result.failed });
    return result;
  });
