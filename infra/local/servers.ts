/**
 * The twin's protocol servers, in-process on loopback: dynalite (DynamoDB), fauxqs (SQS),
 * aws-ses-v2-local (SES v2 with its web inbox) and our Secrets Manager twin. In-process keeps
 * `npm start` one Node process that Ctrl-C fully stops; loopback keeps them off the network.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from 'fauxqs';
import type { TwinEndpoints } from './env.ts';
import { assertPortFree, closeServer, isAddressInUse, listen, PortInUseError } from './net.ts';
import { startSecretsManager } from './secrets-manager.ts';

const require = createRequire(import.meta.url);

export interface LocalServer {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

type DynaliteFactory = (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  path?: string;
}) => Server;

/**
 * dynalite, tables ACTIVE at once (it is CommonJS without types, hence require). In memory, or
 * with `path` in a LevelDB directory (classic-level): the data survives a crash and a restart.
 */
export async function startDynamoDbServer(options: { port?: number; host?: string; path?: string } = {}): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const dynalite = require('dynalite') as DynaliteFactory;
  if (options.path !== undefined) mkdirSync(options.path, { recursive: true });
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path === undefined ? {} : { path: options.path }) });
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  return { endpoint: `http://${host}:${port}`, port, stop: () => closeServer(server) };
}

/**
 * fauxqs, SQS only. Built with buildApp and listened on loopback ourselves: startFauxqs binds
 * 0.0.0.0, which would expose the queues to the network. Its queue store is made to build
 * queue URLs from the request's Host (http://127.0.0.1:<port>/000000000000/<name>) instead of
 * `sqs.<region>.localhost`: the SDK sends to the QueueUrl's host when the endpoint comes from
 * the environment, and `*.localhost` does not resolve everywhere.
 */
export async function startSqsServer(options: { port?: number; host?: string } = {}): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  // SqsStore is not in fauxqs's export map; load it by file URL next to the package entry.
  const storeUrl = new URL('./sqs/sqsStore.js', import.meta.resolve('fauxqs'));
  const { SqsStore } = (await import(storeUrl.href)) as { SqsStore: new () => { host: string } };
  const sqsStore = new SqsStore();
  sqsStore.host = '';
  const app = buildApp({
    logger: false,
    defaultRegion: 'eu-central-1',
    // buildApp creates whichever store is not given (each falls back on its own).
    stores: { sqsStore } as unknown as NonNullable<Parameters<typeof buildApp>[0]>['stores'],
  });
  await app.listen({ port: options.port ?? 0, host });
  const port = (app.server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    stop: async () => {
      await app.close();
    },
  };
}

type SesFactory = (config: { host: string; port: number }) => Promise<Server>;

/**
 * aws-ses-v2-local: the SES v2 API, its web inbox at `/` and its JSON store at `GET /store`.
 * Its express listen swallows "address in use", so the port is probed first and checked after.
 */
export async function startSesServer(
  options: { port?: number; host?: string; portVariable?: string } = {},
): Promise<LocalServer & { readonly inboxUrl: string }> {
  const host = options.host ?? '127.0.0.1';
  const wanted = options.port ?? 0;
  const variable = options.portVariable ?? 'SES_PORT';
  await assertPortFree(wanted, variable, host);
  const start = (require('aws-ses-v2-local') as { default: SesFactory }).default;
  const server = await start({ host, port: wanted });
  if (!server.listening) {
    await closeServer(server);
    throw new PortInUseError(wanted, variable);
  }
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${host}:${port}`;
  return { endpoint, inboxUrl: endpoint, port, stop: () => closeServer(server) };
}

export interface TwinServers {
  readonly endpoints: TwinEndpoints;
  /** The SES web inbox, e.g. http://127.0.0.1:8005. */
  readonly inboxUrl: string;
  /** Stops every server (idempotent). */
  stop(): Promise<void>;
}

/**
 * Starts all four servers. Internal ones take ephemeral ports; the SES inbox takes `sesPort`
 * (SES_PORT, default 8005, 0 in tests). If one fails, the others are stopped before rethrowing.
 */
export async function startServers(options: { sesPort: number; host?: string; stateDir?: string }): Promise<TwinServers> {
  const host = options.host ?? '127.0.0.1';
  // With a state directory: DynamoDB in LevelDB, secrets in a JSON file (SQS stays in memory;
  // the outbox sweep re-queues what it lost, and the inbox is kept by infra/local/inbox-store.ts).
  const state = options.stateDir;
  if (state !== undefined) mkdirSync(state, { recursive: true });
  const results = await Promise.allSettled([
    startDynamoDbServer({ host, ...(state === undefined ? {} : { path: join(state, 'dynamodb') }) }),
    startSqsServer({ host }),
    startSesServer({ host, port: options.sesPort }),
    startSecretsManager({ host, ...(state === undefined ? {} : { file: join(state, 'secrets.json') }) }),
  ]);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = async () => {
    await Promise.allSettled(started.map((s) => s.stop()));
  };
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined) {
    await stopAll();
    throw isAddressInUse(failure.reason) ? new PortInUseError(options.sesPort, 'SES_PORT', { cause: failure.reason }) : failure.reason;
  }
  const [dynamodb, sqs, ses, secrets] = results.map((r) => (r as PromiseFulfilledResult<LocalServer>).value) as [
    LocalServer,
    LocalServer,
    LocalServer & { inboxUrl: string },
    LocalServer,
  ];
  let stopped: Promise<void> | undefined;
  return {
    endpoints: { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, sesv2: ses.endpoint, secretsManager: secrets.endpoint },
    inboxUrl: ses.inboxUrl,
    stop: () => (stopped ??= stopAll()),
  };
}
