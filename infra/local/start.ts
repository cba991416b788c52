/**
 * `npm start`: the whole service on one machine with no AWS account. Starts the protocol
 * servers, creates the table and queues from the shared definitions, loads the demo network,
 * mounts the handlers behind the local gateway and SQS pollers, replays the sample webhooks,
 * prints the decisions and one `ready:` line, and serves until Ctrl-C.
 */
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomBytes } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { catchAllRoutes, ENV, FUNCTIONS, QUEUES, ROUTES, TABLE, type FunctionName } from '#shared/definitions.ts';
import { importNetworkDir } from '#store/import.ts';
import { createOrderStore } from '#store/orders.ts';
import { loadNetworkDir } from '#network/load.ts';
import { simulate } from '#planning/simulate.ts';
import { writeDecidedOrders, type StoredHistoryEntry } from '#store/planning.ts';
import { HANDLERS } from '../../functions/registry.ts';
import { applyEnv, TWIN_ACTION_LINK_NAME, TWIN_CREDENTIALS, TWIN_REGION, TWIN_SECRETS_PREFIX, twinEnv, type TwinEndpoints } from './env.ts';
import { startGateway, type Gateway } from './gateway.ts';
import { persistInbox, stopPersistingInbox } from './inbox-store.ts';
import type { LambdaHandler } from './lambda.ts';
import { assertPortFree, portFromEnv, PortInUseError } from './net.ts';
import { startPoller, type Poller } from './poller.ts';
import { formatDecisionTable, loadConnections, replayWebhooks, waitForDecisions } from './replay.ts';
import { startPlatformStandIns, type PlatformStandIns } from './platforms.ts';
import { authoriseDemoConnections, loadPlatformSamples, replayPlatformOrders } from './platform-replay.ts';
import { createReporter } from './reporter.ts';
import { createResources, type TwinResources } from './resources.ts';
import { startSchedule, type LocalSchedule } from './scheduler.ts';
import { startServers, type TwinServers } from './servers.ts';
import { seedTrainLot, stockDemo, trainDemo, type TrainLot } from './stock-demo.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface TwinOptions {
  /** API gateway port (PORT, default 3000; 0 = ephemeral). */
  readonly port: number;
  /** SES inbox port (SES_PORT, default 8005; 0 = ephemeral). */
  readonly sesPort: number;
  /** Repository root; data and sample webhooks are resolved from it (handlers: functions/registry.ts). */
  readonly root?: string;
  /** Network data to import (default data/demo). */
  readonly dataDir?: string;
  /** Sample webhooks to replay (default events/webhooks); `false` skips the replay. */
  readonly eventsDir?: string | false;
  /** Marketplace samples (Amazon, TikTok Shop) to replay through the platform stand-ins (default events/platforms, none when eventsDir is false); `false` skips them. */
  readonly platformEventsDir?: string | false;
  /** How long to wait for the replayed orders to be routed. */
  readonly replayWaitMs?: number;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
  /**
   * Where the twin keeps its data (DynamoDB in LevelDB, secrets, the inbox); `npm start` uses
   * `.twin/` under the repository (SILKROUTE_TWIN_DIR moves it). Default: in memory only.
   */
  readonly stateDir?: string;
  /** Delete stateDir first (`npm start -- --fresh`). */
  readonly fresh?: boolean;
  /** Interval of the scheduled functions (default FUNCTIONS[x].schedule.everyMinutes). */
  readonly scheduleEveryMs?: number;
  /** Passed to the handlers as SWEEP_OLDER_THAN_SECONDS (default SWEEP.olderThanSeconds). */
  readonly sweepOlderThanSeconds?: number;
  /** Every queue's visibility timeout (default QUEUES[x].visibilityTimeoutSeconds): short, a redelivery takes seconds. */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Days of simulated routing history (`silkroute simulate`, seed 1, ending now) written as
   * decided orders on a fresh start, so GET /v1/plans and /v1/reports/savings show something
   * (`npm start`: 30). Default 0: none.
   */
  readonly simulatedDays?: number;
  /** One line on `out` per webhook received, decision made and email sent (default true). */
  readonly report?: boolean;
  /**
   * Poll the queues into the handlers (default true). `false` leaves the messages on the queues
   * for the caller: the cold-start bench hands each one to a fresh process.
   */
  readonly pollers?: boolean;
}

export interface Twin {
  readonly apiUrl: string;
  readonly inboxUrl: string;
  readonly endpoints: TwinEndpoints;
  readonly resources: TwinResources;
  /** The stand-ins of the platforms' order APIs (Login with Amazon, SP-API, TikTok Shop). */
  readonly platforms: PlatformStandIns;
  /** True when the data was kept from an earlier run (nothing imported, the sweep recovered). */
  readonly restarted: boolean;
  /** Runs a scheduled function now, as its timer would (e.g. `runSchedule('sweep')`). */
  runSchedule(name: FunctionName, event?: unknown): Promise<unknown>;
  /** Stops pollers, gateway and every server (idempotent). */
  stop(): Promise<void>;
}

/** Starts the whole twin; on any failure stops what was started and rethrows. */
export async function startTwin(options: TwinOptions): Promise<Twin> {
  const out = options.out ?? ((line: string) => console.log(line));
  const err = options.err ?? ((line: string) => console.error(line));
  const root = options.root ?? ROOT;
  // The fixed ports first: a taken port should fail in milliseconds, before anything starts.
  await assertPortFree(options.port, 'PORT');
  await assertPortFree(options.sesPort, 'SES_PORT');

  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        err(`stop: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  try {
    if (options.stateDir !== undefined && options.fresh === true) rmSync(options.stateDir, { recursive: true, force: true });
    const servers: TwinServers = await startServers({
      sesPort: options.sesPort,
      ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
    });
    cleanups.push(() => servers.stop());
    if (options.stateDir !== undefined) {
      const kept = persistInbox(join(options.stateDir, 'inbox.jsonl'));
      cleanups.push(async () => stopPersistingInbox());
      if (kept > 0) out(`inbox: ${kept} emails kept from the last run`);
    }
    const clientConfig = { region: TWIN_REGION, credentials: TWIN_CREDENTIALS };
    const dynamodb = new DynamoDBClient({ ...clientConfig, endpoint: servers.endpoints.dynamodb });
    const sqs = new SQSClient({ ...clientConfig, endpoint: servers.endpoints.sqs });
    const secrets = new SecretsManagerClient({ ...clientConfig, endpoint: servers.endpoints.secretsManager });
    cleanups.push(async () => {
      dynamodb.destroy();
      sqs.destroy();
      secrets.destroy();
    });

    const restarted = await tableExists(dynamodb);
    const resources = await createResources({ dynamodb, sqs }, options.visibilityTimeoutSeconds);
    const platforms = await startPlatformStandIns();
    cleanups.push(() => platforms.stop());
    await ensureLinkSecret(secrets);
    // The gateway first, its handlers looked up per request: the links in emails need its URL in
    // the environment before any handler is imported (handlers read their configuration at init).
    const handlers = new Map<FunctionName, LambdaHandler<never, unknown>>();
    const gateway: Gateway = await startGateway({
      port: options.port,
      portVariable: 'PORT',
      log: err,
      // As infra/constructs/api.ts: the declared routes, and an ANY per path for the 405.
      routes: [...ROUTES, ...catchAllRoutes().map((r) => ({ ...r, method: 'ANY' }))].map((route) => {
        const fn = FUNCTIONS[route.function];
        return {
          method: route.method,
          path: route.path,
          functionName: fn.id,
          timeoutSeconds: fn.timeoutSeconds,
          memoryMb: fn.memoryMb,
          handler: ((event, context) => (handlers.get(route.function) as LambdaHandler<APIGatewayProxyEventV2, unknown>)(event, context)) as LambdaHandler<APIGatewayProxyEventV2, unknown>,
        };
      }),
    });
    cleanups.push(() => gateway.stop());
    applyEnv({
      ...twinEnv({
        endpoints: servers.endpoints,
        tableName: resources.tableName,
        ordersQueueUrl: resources.queues.orders.url,
        notificationsQueueUrl: resources.queues.notifications.url,
        marketplaceQueueUrl: resources.queues.marketplace.url,
        platforms: platforms.urls,
        ...(options.sweepOlderThanSeconds === undefined ? {} : { sweepOlderThanSeconds: options.sweepOlderThanSeconds }),
      }),
      // Links in emails point at this gateway.
      [ENV.publicApiUrl]: gateway.url,
    });

    const dataDir = resolve(root, options.dataDir ?? 'data/demo');
    let trainLot: TrainLot | undefined;
    if (restarted) {
      // Importing again would set stock and capacity back and undo the reservations of the orders kept.
      out(`kept the data in ${relativeTo(root, options.stateDir ?? '')} from the last run (npm start -- --fresh starts over)`);
    } else {
      await importData(root, dataDir, resources.tableName, dynamodb, secrets, out);
      if ((options.simulatedDays ?? 0) > 0) await seedHistory(dataDir, options.simulatedDays!, resources.tableName, dynamodb, out);
      // A replenishment already on its way by rail, for the train demo after the replay (issue 12).
      trainLot = await seedTrainLot({ doc: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }), tableName: resources.tableName }, dataDir, new Date(), out);
    }

    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      handlers.set(name, (await HANDLERS[name]()) as LambdaHandler<never, unknown>);
    }
    if (options.report !== false) {
      // One line per webhook, decision and email, observed from outside the handlers (reporter.ts).
      const orders = createOrderStore({ doc: DynamoDBDocumentClient.from(dynamodb), tableName: resources.tableName });
      const reporter = createReporter({ out, getOrder: (id) => orders.getOrder(id) });
      cleanups.push(async () => reporter.stop());
      handlers.set('webhooks', reporter.webhooks(handlers.get('webhooks') as LambdaHandler<APIGatewayProxyEventV2, unknown>) as LambdaHandler<never, unknown>);
      handlers.set('router', reporter.router(handlers.get('router') as LambdaHandler<SQSEvent, unknown>) as LambdaHandler<never, unknown>);
    }

    const pollers: Poller[] = [];
    cleanups.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    });
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const fn = FUNCTIONS[name];
      const handler = handlers.get(name);
      if (!('sqs' in fn) || handler === undefined || options.pollers === false) continue;
      pollers.push(
        await startPoller({
          sqs,
          queueUrl: resources.queues[fn.sqs.queue].url,
          handler: handler as LambdaHandler<SQSEvent, unknown>,
          batchSize: fn.sqs.batchSize,
          maxBatchingWindowSeconds: fn.sqs.maxBatchingWindowSeconds,
          visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? QUEUES[fn.sqs.queue].visibilityTimeoutSeconds,
          functionName: fn.id,
          timeoutSeconds: fn.timeoutSeconds,
          memoryMb: fn.memoryMb,
          log: err,
        }),
      );
    }

    const schedules = new Map<FunctionName, LocalSchedule>();
    cleanups.push(async () => {
      await Promise.all([...schedules.values()].map((schedule) => schedule.stop()));
    });
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const fn = FUNCTIONS[name] as (typeof FUNCTIONS)[FunctionName] & { schedule?: { everyMinutes: number } };
      const handler = handlers.get(name);
      if (fn.schedule === undefined || handler === undefined) continue;
      schedules.set(
        name,
        startSchedule({
          handler: handler as LambdaHandler<unknown, unknown>,
          everyMs: options.scheduleEveryMs ?? fn.schedule.everyMinutes * 60_000,
          functionName: fn.id,
          timeoutSeconds: fn.timeoutSeconds,
          memoryMb: fn.memoryMb,
          log: err,
        }),
      );
    }
    const runSchedule = async (name: FunctionName, event?: unknown): Promise<unknown> => {
      const schedule = schedules.get(name);
      if (schedule === undefined) throw new Error(`${name} has no schedule on this twin`);
      return schedule.runNow(event);
    };
    if (restarted && schedules.has('sweep')) {
      // The queues are new: every order still received lost its message with the last process.
      const swept = (await runSchedule('sweep', { olderThanSeconds: 0 })) as { requeued?: readonly string[] } | undefined;
      out(`sweep: queued ${swept?.requeued?.length ?? 0} undecided orders again after the restart`);
    }

    // The demo sellers authorised the app on Amazon and TikTok Shop (their credentials are in connections.json).
    const connections = await loadConnections(dataDir).catch(() => []);
    authoriseDemoConnections(platforms, connections);
    // `eventsDir: false` means no replay at all unless the marketplace samples are asked for by name.
    const platformEventsDir = options.platformEventsDir ?? (options.eventsDir === false ? false : 'events/platforms');
    if (options.eventsDir !== false || platformEventsDir !== false) {
      const marketplace = {
        platforms,
        sqs,
        marketplaceQueueUrl: resources.queues.marketplace.url,
        dir: platformEventsDir === false ? undefined : platformEventsDir,
      };
      await replay(root, options.eventsDir === false ? undefined : (options.eventsDir ?? 'events/webhooks'), dataDir, gateway.url, options.replayWaitMs, out, err, marketplace, trainLot === undefined ? undefined : { lot: trainLot, inboxUrl: servers.inboxUrl });
    }

    let stopped: Promise<void> | undefined;
    return {
      apiUrl: gateway.url,
      inboxUrl: servers.inboxUrl,
      endpoints: servers.endpoints,
      resources,
      platforms,
      restarted,
      runSchedule,
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function tableExists(dynamodb: DynamoDBClient): Promise<boolean> {
  try {
    await dynamodb.send(new DescribeTableCommand({ TableName: TABLE.id }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}

/** The one-click links' signing key, as an operator creates it in AWS: random, once (kept across restarts with the state). */
async function ensureLinkSecret(secrets: SecretsManagerClient): Promise<void> {
  try {
    await secrets.send(new CreateSecretCommand({ Name: TWIN_ACTION_LINK_NAME, SecretString: randomBytes(32).toString('base64url') }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceExistsException') throw error;
  }
}

async function importData(
  root: string,
  dataDir: string,
  tableName: string,
  dynamodb: DynamoDBClient,
  secrets: SecretsManagerClient,
  out: (line: string) => void,
): Promise<void> {
  out(`importing ${relativeTo(root, dataDir)}`);
  // Validation errors in the demo data are real errors: they propagate and stop the start.
  await importNetworkDir(dataDir, {
    tableName,
    now: new Date(),
    doc: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    secrets,
    secretsPrefix: TWIN_SECRETS_PREFIX,
    // The twin is the demo: its connections.json carries the demo's secrets and keys.
    demo: true,
    log: (line: string) => out(`  ${line}`),
  });
}

/** A simulated month of decided orders, so the plan and the savings report have a history to read. */
async function seedHistory(dataDir: string, days: number, tableName: string, dynamodb: DynamoDBClient, out: (line: string) => void): Promise<void> {
  const now = new Date();
  const { files } = await loadNetworkDir(dataDir, { now });
  const { history } = simulate({ files, days, now, seed: 1 });
  const doc = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  // simulate() routes with the core: its decisions are whole Decisions, typed as the history's looser shape.
  await writeDecidedOrders({ doc, tableName }, history as unknown as StoredHistoryEntry[], { platform: 'simulated', shop: 'silkroute simulate' });
  out(`  simulated history: ${history.length} decided orders over the last ${days} days (silkroute simulate --seed 1)`);
}

async function replay(
  root: string,
  eventsDir: string | undefined,
  dataDir: string,
  apiUrl: string,
  waitMs: number | undefined,
  out: (line: string) => void,
  err: (line: string) => void,
  marketplace: { platforms: PlatformStandIns; sqs: SQSClient; marketplaceQueueUrl: string; dir: string | undefined },
  train?: { lot: TrainLot; inboxUrl: string },
): Promise<void> {
  let connections;
  try {
    connections = await loadConnections(dataDir);
  } catch (error) {
    err(`warning: cannot read ${relativeTo(root, join(dataDir, 'connections.json'))}, sample webhooks not replayed: ${brief(error)}`);
    return;
  }
  const dir = eventsDir === undefined ? undefined : resolve(root, eventsDir);
  const webhooks = dir === undefined ? [] : await replayWebhooks({ apiUrl, eventsDir: dir, connections, lookup: false });
  const platformDir = marketplace.dir === undefined ? undefined : resolve(root, marketplace.dir);
  const fetched =
    platformDir === undefined
      ? []
      : await replayPlatformOrders({ apiUrl, standIns: marketplace.platforms, connections, sqs: marketplace.sqs, marketplaceQueueUrl: marketplace.marketplaceQueueUrl, samples: await loadPlatformSamples(platformDir) });
  const results = await waitForDecisions(apiUrl, [...webhooks, ...fetched], waitMs);
  if (results.length === 0) {
    err(`warning: no sample webhooks in ${relativeTo(root, dir ?? platformDir ?? '')}`);
    return;
  }
  out('');
  const sources = [dir, platformDir].filter((d): d is string => d !== undefined).map((d) => relativeTo(root, d));
  out(`replayed ${results.length} sample webhooks and marketplace notifications from ${sources.join(' and ')}:`);
  out(formatDecisionTable(results));
  out('');
  await stockDemo(apiUrl, results, out);
  if (train !== undefined) await trainDemo({ apiUrl, inboxUrl: train.inboxUrl, connections, lot: train.lot, ...(waitMs === undefined ? {} : { waitMs }) }, out);
}

function relativeTo(root: string, path: string): string {
  return path.startsWith(root + '/') ? path.slice(root.length + 1) : path;
}

function brief(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** The npm start entry point: env ports, ready line, graceful stop on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let twin: Twin;
  try {
    twin = await startTwin({
      port: portFromEnv(process.env, 'PORT', 3000),
      sesPort: portFromEnv(process.env, 'SES_PORT', 8005),
      // On disk under the project, so a crash or Ctrl-C loses nothing acknowledged.
      stateDir: resolve(process.env.SILKROUTE_TWIN_DIR ?? join(ROOT, '.twin')),
      fresh: process.argv.includes('--fresh'),
      ...(process.env.SWEEP_OLDER_THAN_SECONDS === undefined ? {} : { sweepOlderThanSeconds: Number(process.env.SWEEP_OLDER_THAN_SECONDS) }),
      simulatedDays: 30,
    });
  } catch (error) {
    console.error(error instanceof PortInUseError ? `error: ${error.message}` : `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
    return;
  }
  const e = twin.endpoints;
  console.log(`endpoints: dynamodb ${e.dynamodb} sqs ${e.sqs} sesv2 ${e.sesv2} secretsmanager ${e.secretsManager}`);
  console.log(`started in ${process.uptime().toFixed(1)} s; Ctrl-C stops`);
  console.log(`plans: curl -H 'Authorization: Bearer demo-key-tianmen-garments-0001' ${twin.apiUrl}/v1/plans · savings report: ${twin.apiUrl}/v1/reports/savings?format=html (same header)`);
  console.log(`ready: api ${twin.apiUrl} inbox ${twin.inboxUrl}`);

  let stoppingSince: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // A second Ctrl-C: the user wants out now. One arriving at once is the same Ctrl-C
      // delivered twice (terminal to the process group, and npm forwarding it): ignore it.
      if (Date.now() - stoppingSince > 1000) process.exit(130);
      return;
    }
    stoppingSince = Date.now();
    console.log(`${signal}: stopping`);
    void twin.stop().then(
      () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        // Everything is closed, so the event loop empties and Node exits 0 by itself. If some
        // handle is still open, say which instead of hanging (the timer does not keep us alive).
        setTimeout(() => {
          console.error(`still open after stop: ${process.getActiveResourcesInfo().join(', ')}`);
          process.exit(1);
        }, 5000).unref();
      },
      (error: unknown) => {
        console.error(`error while stopping: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

if (import.meta.main) await main();
