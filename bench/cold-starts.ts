/**
 * Cold starts against an SDK-only baseline (issue 18, item 3). For each function, a fresh Node
 * process imports the bundle `npm run synth` builds and handles ONE real event against the local
 * twin's servers (a signed Shopify webhook, a quote, the order message that webhook queued, the
 * notification its decision queued); the time from before the import to the handler's answer is
 * the function's cold start as far as the code controls it. The baseline is a bundle built the
 * same way (esbuild, minified ESM, the same banner and source maps) of nothing but the AWS SDK
 * clients that function uses, making one request with each: what any function with those
 * clients pays. The ratio is what our code adds on top; the target is ≤ 1.5×.
 *
 * Runs alternate function and baseline, so a noisy neighbour slows both; figures are medians.
 * Merged into bench/results.json as `coldStarts: { <fn>: { ms, sdkOnlyMs, ratio, importMs,
 * eventMs } }`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { APIGatewayProxyEventV2, SQSRecord } from 'aws-lambda';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { build } from 'esbuild';
import { buildApp, cdkJsonContext, PROJECT_ROOT } from '#infra/app.ts';
import { bundleSizes } from '#infra/bundle-sizes.ts';
import { TWIN_CREDENTIALS, TWIN_REGION } from '#infra/local/env.ts';
import { buildEvent } from '#infra/local/gateway.ts';
import { toRecord } from '#infra/local/poller.ts';
import { Delivery, prepareDelivery } from '#infra/local/replay.ts';
import { startTwin } from '#infra/local/start.ts';
import { Connection } from '#network/schemas.ts';
import { ESM_REQUIRE_BANNER } from '#infra/constructs/silkroute-function.ts';

const execFileAsync = promisify(execFile);
const RESULTS = path.join(PROJECT_ROOT, 'bench/results.json');
export const COLD_START_TARGET_RATIO = 1.5;

/** The clients each function constructs, and the one request the baseline makes with each. */
const BASELINE_CALLS = {
  dynamodb: {
    imports: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
    setup: 'const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
    call: "await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'BENCH', sk: 'BENCH' } }));",
  },
  sqs: {
    imports: "import { SQSClient, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';",
    setup: 'const sqs = new SQSClient({});',
    call: "await sqs.send(new GetQueueAttributesCommand({ QueueUrl: process.env.ORDERS_QUEUE_URL, AttributeNames: ['ApproximateNumberOfMessages'] }));",
  },
  secrets: {
    imports: "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
    setup: 'const secrets = new SecretsManagerClient({});',
    call: 'await secrets.send(new GetSecretValueCommand({ SecretId: process.env.BENCH_SECRET_ID })).catch(() => undefined);',
  },
  ses: {
    imports: "import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';",
    setup: 'const ses = new SESv2Client({});',
    call: "await ses.send(new SendEmailCommand({ FromEmailAddress: process.env.EMAIL_FROM, Destination: { ToAddresses: ['bench@example.com'] }, Content: { Simple: { Subject: { Data: 'bench' }, Body: { Text: { Data: 'bench' } } } } }));",
  },
} as const;
type Client = keyof typeof BASELINE_CALLS;

const MEASURED = {
  webhooks: ['dynamodb', 'sqs', 'secrets'],
  api: ['dynamodb'],
  router: ['dynamodb', 'sqs'],
  email: ['dynamodb', 'ses'],
} as const satisfies Record<string, readonly Client[]>;
type Measured = keyof typeof MEASURED;

export interface ColdStart {
  /** Median import + first event of the function's bundle, ms. */
  readonly ms: number;
  /** Median import + one request per client of the SDK-only bundle, ms. */
  readonly sdkOnlyMs: number;
  readonly ratio: number;
  readonly importMs: number;
  readonly eventMs: number;
}

/** The baseline's source: import the clients, construct them, one request each in the handler. */
export function baselineSource(clients: readonly Client[]): string {
  const parts = clients.map((c) => BASELINE_CALLS[c]);
  return [
    ...parts.map((p) => p.imports),
    ...parts.map((p) => p.setup),
    `export const handler = async () => { ${parts.map((p) => p.call).join(' ')} return { ok: true }; };`,
  ].join('\n');
}

/** What a fresh process runs: time the import and one event, print the figures as JSON. */
const CHILD = `
const t0 = performance.now();
const mod = await import(process.env.BENCH_BUNDLE);
const t1 = performance.now();
const event = JSON.parse((await import('node:fs')).readFileSync(process.env.BENCH_EVENT, 'utf8'));
const context = { functionName: 'bench', functionVersion: '$LATEST', awsRequestId: 'bench', invokedFunctionArn: 'arn:aws:lambda:eu-central-1:000000000000:function:bench', memoryLimitInMB: '1024', logGroupName: 'bench', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 30000, done() {}, fail() {}, succeed() {} };
const result = await mod.handler(event, context);
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, eventMs: t2 - t1, result }) + '\\n');
process.exit(0);
`;

interface ChildRun {
  readonly importMs: number;
  readonly eventMs: number;
  readonly result: unknown;
  /** What the process logged: shown when its event failed. */
  readonly log?: string;
}

/**
 * Asynchronous on purpose: the twin's servers live in this process, and a blocking spawn would
 * leave the child's requests unanswered.
 */
async function runChild(label: string, bundle: string, event: unknown, env: NodeJS.ProcessEnv, dir: string): Promise<ChildRun> {
  const eventFile = path.join(dir, `event-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(eventFile, JSON.stringify(event));
  // BENCH_CPU_PROFILE=<dir>: every child writes a V8 CPU profile there (for finding what to cut).
  const profile = process.env.BENCH_CPU_PROFILE;
  const flags = profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.join(profile, label)}`, '--cpu-prof-interval=100'];
  const run = await execFileAsync(process.execPath, [...flags, '--input-type=module', '-e', CHILD], {
    env: { ...env, BENCH_BUNDLE: bundle, BENCH_EVENT: eventFile },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stderr?: string; message: string }) => {
    throw new Error(`cold start of ${bundle} failed: ${error.stderr ?? error.message}`);
  });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  return { ...(JSON.parse(line) as ChildRun), log: `${run.stdout}${run.stderr}` };
}

/** Fails loudly when an event did not do its work: a fast error is not a fast cold start. */
function assertHandled(name: Measured, run: ChildRun): void {
  const result = run.result;
  const fail = (what: string) => new Error(`${name} ${what}\n${run.log?.slice(-3000) ?? ''}`);
  if (name === 'webhooks' || name === 'api') {
    const status = (result as { statusCode?: number }).statusCode ?? 0;
    if (status < 200 || status >= 300) throw fail(`answered ${status}: ${JSON.stringify(result).slice(0, 300)}`);
  } else {
    const failures = (result as { batchItemFailures?: unknown[] }).batchItemFailures ?? [];
    if (failures.length > 0) throw fail(`failed its record: ${JSON.stringify(result)}`);
  }
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const round1 = (x: number): number => Math.round(x * 10) / 10;

async function receive(sqs: SQSClient, queueUrl: string, count: number): Promise<SQSRecord[]> {
  const records: SQSRecord[] = [];
  for (let attempt = 0; attempt < 40 && records.length < count; attempt++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: Math.min(10, count - records.length), WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'], VisibilityTimeout: 900 }),
    );
    records.push(...Messages.map((m) => toRecord(m, `arn:aws:sqs:${TWIN_REGION}:000000000000:${queueUrl.split('/').pop()}`, TWIN_REGION)));
  }
  if (records.length < count) throw new Error(`expected ${count} messages on ${queueUrl}, got ${records.length}`);
  return records;
}

export async function benchColdStarts(runs = 7): Promise<Record<Measured, ColdStart>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'silkroute-cold-'));
  const twin = await startTwin({ port: 0, sesPort: 0, eventsDir: false, pollers: false, sweepOlderThanSeconds: 86_400, out: () => {}, err: () => {} });
  const sqs = new SQSClient({ region: TWIN_REGION, credentials: TWIN_CREDENTIALS, endpoint: twin.endpoints.sqs });
  try {
    const { app, stack } = buildApp({ outdir: path.join(dir, 'cdk.out'), env: {}, context: cdkJsonContext() });
    const sizes = bundleSizes(app.synth(), stack);
    const baselines: Record<string, string> = {};
    for (const [name, clients] of Object.entries(MEASURED)) {
      const outfile = path.join(dir, `baseline-${name}.mjs`);
      await build({
        stdin: { contents: baselineSource(clients), resolveDir: PROJECT_ROOT, loader: 'js' },
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: { js: ESM_REQUIRE_BANNER },
        minify: true,
        sourcemap: 'linked',
        sourcesContent: false,
        outfile,
        logLevel: 'silent',
      });
      baselines[name] = outfile;
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
      BENCH_SECRET_ID: 'silkroute/bench/none',
    };

    // One distinct order per run, so every router and email run does real work.
    const connections = Connection.array().parse(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'data/demo/connections.json'), 'utf8')));
    const sample = Delivery.parse(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'events/webhooks/shopify-orders-create.json'), 'utf8')));
    const secret = connections.find((c) => c.platform === 'shopify' && c.shop === sample.shop)?.secret;
    if (secret === undefined) throw new Error(`no demo connection for ${sample.shop}`);
    const webhookEvents: APIGatewayProxyEventV2[] = [];
    for (let i = 0; i < runs; i++) {
      const id = 7_000_000_000_000 + i;
      const body = { ...(sample.body as Record<string, unknown>), id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#B${1000 + i}`, order_number: 1000 + i };
      // Without the sample's fixed webhook id, each delivery gets its own (derived from the body).
      const headers = Object.fromEntries(Object.entries(sample.headers).filter(([h]) => h.toLowerCase() !== 'x-shopify-webhook-id'));
      const request = prepareDelivery({ ...sample, headers, body }, secret, new Date(), `cold-start-${i}`);
      const rawHeaders = Object.entries(request.headers).flat();
      webhookEvents.push(
        buildEvent(
          { method: 'POST', url: request.path, rawHeaders, body: Buffer.from(request.body), sourceIp: '127.0.0.1', protocol: 'HTTP/1.1', port: 443 },
          { routeKey: `POST ${request.path}`, pathParameters: {} },
        ),
      );
    }
    const quoteEvent = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'events/apigw/api-quote.json'), 'utf8')) as unknown;

    const samples: Record<Measured, { fn: ChildRun[]; base: ChildRun[] }> = {
      webhooks: { fn: [], base: [] },
      api: { fn: [], base: [] },
      router: { fn: [], base: [] },
      email: { fn: [], base: [] },
    };
    const measure = async (name: Measured, events: readonly unknown[]) => {
      for (const event of events) {
        const fn = await runChild(name, path.join(sizes[name].assetDir, 'index.mjs'), event, env, dir);
        assertHandled(name, fn);
        samples[name].fn.push(fn);
        samples[name].base.push(await runChild(`${name}-sdk-only`, baselines[name]!, {}, env, dir));
      }
    };
    await measure('webhooks', webhookEvents);
    await measure('api', Array.from({ length: runs }, () => quoteEvent));
    await measure('router', (await receive(sqs, twin.resources.queues.orders.url, runs)).map((r) => ({ Records: [r] })));
    await measure('email', (await receive(sqs, twin.resources.queues.notifications.url, runs)).map((r) => ({ Records: [r] })));

    const result = {} as Record<Measured, ColdStart>;
    for (const name of Object.keys(MEASURED) as Measured[]) {
      const total = (r: ChildRun) => r.importMs + r.eventMs;
      const ms = median(samples[name].fn.map(total));
      const sdkOnlyMs = median(samples[name].base.map(total));
      result[name] = {
        ms: round1(ms),
        sdkOnlyMs: round1(sdkOnlyMs),
        ratio: Math.round((ms / sdkOnlyMs) * 100) / 100,
        importMs: round1(median(samples[name].fn.map((r) => r.importMs))),
        eventMs: round1(median(samples[name].fn.map((r) => r.eventMs))),
      };
    }
    return result;
  } finally {
    sqs.destroy();
    await twin.stop();
    // A profile's positions need the bundles' source maps: kept beside the profiles.
    if (process.env.BENCH_CPU_PROFILE === undefined) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`bundles and source maps kept in ${dir}`);
  }
}

export function formatColdStarts(result: Record<string, ColdStart>): string {
  const lines = [`${'function'.padEnd(10)}${'import+event'.padStart(14)}${'(import)'.padStart(10)}${'SDK only'.padStart(10)}${'ratio'.padStart(8)}   target ≤ ${COLD_START_TARGET_RATIO}×`];
  for (const [name, r] of Object.entries(result)) {
    lines.push(
      `${name.padEnd(10)}${`${r.ms} ms`.padStart(14)}${`${r.importMs}`.padStart(10)}${`${r.sdkOnlyMs} ms`.padStart(10)}${`${r.ratio}×`.padStart(8)}   ${r.ratio <= COLD_START_TARGET_RATIO ? 'ok' : 'ABOVE TARGET'}`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const coldStarts = await benchColdStarts(Number(process.env.BENCH_COLD_RUNS ?? 7));
  console.log(`cold starts: a fresh Node ${process.versions.node} process, import + one event, median of runs alternating with the SDK-only baseline`);
  console.log(formatColdStarts(coldStarts));
  const previous = fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(RESULTS, `${JSON.stringify({ ...previous, coldStarts }, null, 2)}\n`);
}
