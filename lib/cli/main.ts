/**
 * The `silkroute` command line (ROUTING.md §8): quote, validate, demo, import. All logic lives
 * here, in-process and testable; bin/silkroute.ts only wires it to the real process.
 *
 * Exit codes: 0 done (a routed or an unroutable quote alike), 2 bad input (usage, data
 * directory, order file) with a message on stderr naming the file and field, 1 internal fault.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadNetworkDir } from '#network/load.ts';
import type { CanonicalOrder } from '#network/schemas.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision } from '#routing/decision.ts';
import { route as defaultRoute } from '#routing/route.ts';
import { ENV, TABLE } from '#shared/definitions.ts';
import { ValidationError, formatIssue } from '#shared/errors.ts';
import { parseNow, readOrderFile } from './order-file.ts';
import { planCommand, reportCommand, simulateCommand } from './planning.ts';
import type { DemoRow } from './table.ts';
import { formatDemoTable } from './table.ts';

/** The routing core's entry point (lib/routing/route.ts). */
export type RouteFn = (order: CanonicalOrder, snapshot: NetworkSnapshot, now: Date) => Decision;
/** lib/store/import.ts: load a data directory into the table. */
export type ImportFn = (
  dir: string,
  options: {
    endpoint?: string;
    tableName: string;
    now: Date;
    log?: (line: string) => void;
    /** Webhook secrets go to Secrets Manager under this prefix when a client is given. */
    secrets?: import('@aws-sdk/client-secrets-manager').SecretsManagerClient;
    secretsPrefix?: string;
  },
) => Promise<unknown>;

/** Where the CLI writes and what it depends on; tests pass fakes, bin/silkroute.ts the process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The clock, used only when `--now` is absent. */
  readonly clock?: () => Date;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Override the routing engine (tests); default: lib/routing/route.ts. */
  readonly route?: RouteFn;
  /** Override the importer (tests); default: lib/store/import.ts. */
  readonly importNetworkDir?: ImportFn;
}

const TOP_HELP = `silkroute — route cross-border orders: direct parcel, EU overseas warehouse or Yixin'ou rail

Usage: silkroute <command> [options]

Commands:
  quote     Price one order against a network data directory; prints the decision JSON
  validate  Check a network data directory; prints a summary or every issue
  demo      Quote every sample order and print a table of the chosen routes
  import    Load a network data directory into the DynamoDB table
  plan      What to load on each lane's next train, from routing history
  report    Shipping spend against the all-direct and in-stock baselines
  simulate  Route a seeded month of demo orders and write the history

Run "silkroute <command> --help" for a command's options.
Exit codes: 0 done, 2 bad input (message on stderr), 1 internal fault.
`;

const HELP = {
  quote: `Usage: silkroute quote --data <dir> --order <file> [--now <ISO-8601>]

Prints the routing decision (ROUTING.md §5) as JSON on stdout, and nothing else.
  --data <dir>     network data directory (ROUTING.md §6), e.g. data/demo
  --order <file>   canonical order JSON (ROUTING.md §7), e.g. events/orders/direct-parcel.json
  --now <time>     decide as of this moment, e.g. 2026-11-23T09:00:00+08:00 (default: the clock);
                   with it the output is byte-for-byte reproducible
Exit 0 for routed and unroutable alike, 2 for bad input, 1 for an internal fault.
`,
  validate: `Usage: silkroute validate --data <dir> [--now <ISO-8601>]

Validates every file of a network data directory (connections.json too, when present) and
prints "ok: ..." with counts, or every issue as "<file>: <path>: <problem>" (exit 2).
  --data <dir>     network data directory, e.g. data/demo
  --now <time>     expand rail schedules as of this moment (default: the clock)
`,
  demo: `Usage: silkroute demo [--data data/demo] [--orders events/orders] [--now <ISO-8601>]

Quotes every *.json order in --orders against --data and prints one row per order: the
chosen mode and route, its total, the latest ETA, the runner-up and the saving against the
cheapest direct parcel; then why each unroutable order could not be routed.
  --data <dir>     network data directory (default: data/demo)
  --orders <dir>   directory of canonical order files (default: events/orders)
  --now <time>     decide every order as of this moment (default: each order's placedAt, so the
                   samples keep their meaning whatever today's date is)
`,
  import: `Usage: silkroute import --data <dir> [--endpoint <url>] [--table <name>] [--secrets-prefix <prefix>] [--now <ISO-8601>]

Validates a network data directory and writes it to the DynamoDB table: reference data,
stock, rail departures and connections.
  --data <dir>       network data directory, e.g. data/demo
  --endpoint <url>   DynamoDB endpoint, e.g. http://127.0.0.1:4567 for the local twin
                     (default: the AWS SDK's own configuration)
  --table <name>     table name (default: $${ENV.tableName}, else ${TABLE.id})
  --secrets-prefix <prefix>
                     also write each connection's webhook secret to Secrets Manager as
                     <prefix><platform>/<shop> (the stack output WebhookSecretsPrefix, e.g.
                     silkroute/prod/webhooks/); without it only the table is written
  --now <time>       expand rail schedules as of this moment (default: the clock)
`,
  plan: `Usage: silkroute plan --data <dir> --history <file> [--now <ISO-8601>] [--lane <id>]
                      [--departure <id>] [--seller <id>] [--capacity <m³>] [--format table|json]

For each lane's next departure not yet cut off, per seller: which SKUs and how many units to
load so that the expected saving (cheapest direct parcel minus the warehouse route, priced by
the router) minus storage is the largest within the capacity, covering demand until the next
train's goods arrive plus safety stock. Every line says why.
  --data <dir>          network data directory, e.g. data/demo
  --history <file>      routing history, one {"order","decision"} JSON per line
                        (what "silkroute simulate" writes)
  --now <time>          plan as of this moment (default: the clock); with it the output is
                        byte-for-byte reproducible
  --lane <id>           only this rail lane          --departure <id>  only this departure
  --seller <id>         only this seller
  --capacity <m³>       the m³ the seller booked on each departure (default: what it has left)
  --service-level <%>   chance of not running out before the next train's goods (default 95)
  --window <days>       days of history demand is measured over (default 28)
  --departures <n>      departures per lane, each counting the earlier plans (default 1)
  --stock <file>        on-hand stock, stock.json format (default: the data directory's)
  --inbound <file>      units on their way: [{ sellerId?, warehouseId, sku, units, arrivesOn }]
  --format table|json   a readable table (default) or JSON
`,
  report: `Usage: silkroute report --data <dir> --history <file> [--from <ISO>] [--to <ISO>] [--format table|json|svg]

Per seller: orders by mode, what they cost, against two baselines from the same decisions (all
by the cheapest direct parcel; warehouse only when in stock), and the saving missed because a
warehouse lacked stock. --format svg prints a chart.
  --data <dir>      network data directory (prices the missed saving)
  --history <file>  routing history, one {"order","decision"} JSON per line
  --from, --to      decisions at or after / before these moments (default: all)
  --seller <id>     only this seller
  --now <time>      expand the network as of this moment (default: the clock)
`,
  simulate: `Usage: silkroute simulate --data <dir> --out <file> [--days 30] [--seed <n>] [--now <ISO-8601>] [--follow-plan]

Generates --days days of realistic orders for the data's sellers, ending at --now, routes each
through the router with stock drawn down as it goes, and writes one history line per decision.
The same data, days, seed and --now give the same file.
  --follow-plan         load each departure's plan before its cut-off (stock arrives with it)
  --stock-out <file>    also write the stock left at the end, stock.json format (for plan --stock)
`,
} as const;
type Command = keyof typeof HELP;

const usage = (command: string, message: string) =>
  new ValidationError([{ path: '', message: `${message} (see "silkroute ${command} --help")` }]);

/**
 * Run the CLI with `argv` (without node and script) and return the exit code.
 * @example await runCli(['quote', '--data', 'data/demo', '--order', 'o.json'], io) // 0
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr(TOP_HELP);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(TOP_HELP);
    return 0;
  }
  if (!Object.hasOwn(HELP, command)) {
    io.stderr(`silkroute: unknown command "${command}"\n\n${TOP_HELP}`);
    return 2;
  }
  const cmd = command as Command;
  try {
    const values = parseOptions(cmd, rest);
    if (values.help === true) {
      io.stdout(HELP[cmd]);
      return 0;
    }
    switch (cmd) {
      case 'quote':
        return await quote(values, io);
      case 'validate':
        return await validate(values, io);
      case 'demo':
        return await demo(values, io);
      case 'import':
        return await importCommand(values, io);
      case 'plan':
        return await planCommand(values, nowOf(values, io), planningIo(io));
      case 'report':
        return await reportCommand(values, nowOf(values, io), planningIo(io));
      case 'simulate':
        return await simulateCommand(values, nowOf(values, io), planningIo(io));
    }
  } catch (err) {
    return reportError(cmd, err, io);
  }
}

type Values = Record<string, string | boolean | undefined>;

function parseOptions(command: Command, args: readonly string[]): Values {
  const text = { type: 'string' } as const;
  const options = {
    help: { type: 'boolean', short: 'h' },
    now: text,
    ...(command === 'quote' ? { data: text, order: text } : {}),
    ...(command === 'validate' ? { data: text } : {}),
    ...(command === 'demo' ? { data: text, orders: text } : {}),
    ...(command === 'import' ? { data: text, endpoint: text, table: text, 'secrets-prefix': text } : {}),
    ...(command === 'plan'
      ? { data: text, history: text, lane: text, departure: text, seller: text, capacity: text, 'service-level': text, window: text, departures: text, stock: text, inbound: text, format: text }
      : {}),
    ...(command === 'report' ? { data: text, history: text, from: text, to: text, seller: text, format: text } : {}),
    ...(command === 'simulate' ? { data: text, out: text, days: text, seed: text, 'follow-plan': { type: 'boolean' } as const, 'stock-out': text } : {}),
  } as const;
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as Values;
  } catch (err) {
    // node:util wraps its own wording ("Unknown option '--x'. To specify a positional...").
    const message = (err as Error).message.split('. ')[0] ?? 'bad arguments';
    throw usage(command, message);
  }
}

function required(command: Command, values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw usage(command, `missing --${name}`);
  return value;
}

function nowOf(values: Values, io: CliIo): Date {
  return typeof values.now === 'string' ? parseNow(values.now) : (io.clock ?? (() => new Date()))();
}

function planningIo(io: CliIo) {
  return { stdout: io.stdout, stderr: io.stderr, ...(io.route === undefined ? {} : { route: io.route }) };
}

async function routeFn(io: CliIo): Promise<RouteFn> {
  return io.route ?? defaultRoute;
}

async function quote(values: Values, io: CliIo): Promise<number> {
  const dataDir = required('quote', values, 'data');
  const orderFile = required('quote', values, 'order');
  const now = nowOf(values, io);
  // Read both before failing so one run reports the order's and the data's issues together.
  const [order, network] = await Promise.allSettled([readOrderFile(orderFile), loadNetworkDir(dataDir, { now })]);
  const invalid = [order, network].flatMap((r) =>
    r.status === 'rejected' && r.reason instanceof ValidationError ? r.reason.issues : [],
  );
  if (invalid.length > 0) throw new ValidationError(invalid);
  if (order.status === 'rejected') throw order.reason;
  if (network.status === 'rejected') throw network.reason;
  const route = await routeFn(io);
  const decision = route(order.value, network.value.snapshot, now);
  io.stdout(`${JSON.stringify(decision, null, 2)}\n`);
  return 0;
}

async function validate(values: Values, io: CliIo): Promise<number> {
  const dataDir = required('validate', values, 'data');
  const { files, snapshot, connections } = await loadNetworkDir(dataDir, { now: nowOf(values, io) });
  const departures = snapshot.railLanes.reduce((n, l) => n + l.departures.length, 0);
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  io.stdout(
    `ok: ${[
      plural(files.sellers.length, 'seller'),
      plural(files.skus.length, 'SKU'),
      plural(files.parcelServices.length, 'parcel service'),
      `${plural(files.railLanes.length, 'rail lane')} (${plural(departures, 'departure')} ahead)`,
      plural(files.warehouses.length, 'warehouse'),
      plural(files.stock.length, 'stock record'),
      plural(Object.keys(files.duties.countries).length, 'duty country', 'duty countries'),
      plural(Object.keys(files.fx.rates).length + 1, 'currency', 'currencies'),
      plural(connections.length, 'connection'),
    ].join(', ')}\n`,
  );
  return 0;
}

async function demo(values: Values, io: CliIo): Promise<number> {
  const dataDir = typeof values.data === 'string' ? values.data : 'data/demo';
  const ordersDir = typeof values.orders === 'string' ? values.orders : 'events/orders';
  const fixedNow = typeof values.now === 'string' ? parseNow(values.now) : undefined;
  let names: string[];
  try {
    names = (await readdir(ordersDir)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    throw new ValidationError([{ file: ordersDir, path: '', message: 'cannot read the orders directory' }], { cause: err });
  }
  if (names.length === 0) throw new ValidationError([{ file: ordersDir, path: '', message: 'no *.json orders found' }]);
  // Validate the network once; each order then gets a snapshot as of its own moment.
  const { files } = await loadNetworkDir(dataDir, { now: fixedNow ?? (io.clock ?? (() => new Date()))() });
  const route = await routeFn(io);
  const rows: DemoRow[] = [];
  const bad: ValidationError[] = [];
  for (const name of names) {
    let order: CanonicalOrder;
    try {
      order = await readOrderFile(join(ordersDir, name));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      bad.push(err);
      continue;
    }
    const now = fixedNow ?? new Date(order.placedAt);
    rows.push({ label: basename(name, '.json'), decision: route(order, buildSnapshot(files, now), now) });
  }
  io.stdout(formatDemoTable(rows));
  if (bad.length === 0) return 0;
  io.stderr(bad.map((e) => e.issues.map(formatIssue).join('\n')).join('\n') + '\n');
  return 2;
}

async function importCommand(values: Values, io: CliIo): Promise<number> {
  const dataDir = required('import', values, 'data');
  const now = nowOf(values, io);
  const tableName = typeof values.table === 'string' ? values.table : (io.env?.[ENV.tableName] ?? TABLE.id);
  let importNetworkDir = io.importNetworkDir;
  if (importNetworkDir === undefined) {
    // Dynamic: the store's importer brings the AWS SDK, which quote and validate never need.
    const specifier = '#store/import.ts';
    const mod = (await import(specifier)) as { importNetworkDir?: ImportFn };
    if (typeof mod.importNetworkDir !== 'function') throw new Error('lib/store/import.ts does not export importNetworkDir()');
    importNetworkDir = mod.importNetworkDir;
    // The SDK reads region and credentials from the process environment only.
    if (typeof values.endpoint === 'string') Object.assign(process.env, localAwsDefaults(values.endpoint, process.env));
  }
  const secretsPrefix = values['secrets-prefix'];
  const secrets =
    typeof secretsPrefix === 'string'
      ? { secrets: new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({}), secretsPrefix }
      : {};
  const summary = await importNetworkDir(dataDir, {
    ...(typeof values.endpoint === 'string' ? { endpoint: values.endpoint } : {}),
    ...secrets,
    tableName,
    now,
    log: (line) => io.stderr(`${line}\n`),
  });
  io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}

/**
 * Environment defaults for a loopback DynamoDB endpoint (the local twin's dynalite): any region
 * and dummy credentials, so importing into the twin needs no AWS account. Nothing for a remote
 * endpoint, and nothing the environment already sets.
 * @example localAwsDefaults('http://127.0.0.1:4567', {}) // { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', ... }
 */
export function localAwsDefaults(
  endpoint: string,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    throw new ValidationError([{ path: '--endpoint', message: `expected a URL such as http://127.0.0.1:4567, got "${endpoint}"` }]);
  }
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) return {};
  const out: Record<string, string> = {};
  if (env.AWS_REGION === undefined && env.AWS_DEFAULT_REGION === undefined) out.AWS_REGION = 'us-east-1';
  if (env.AWS_ACCESS_KEY_ID === undefined && env.AWS_PROFILE === undefined) {
    out.AWS_ACCESS_KEY_ID = 'local';
    out.AWS_SECRET_ACCESS_KEY = 'local';
  }
  return out;
}

function reportError(command: Command, err: unknown, io: CliIo): number {
  if (err instanceof ValidationError) {
    io.stderr(`silkroute ${command}: ${err.issues.length === 1 ? 'invalid input' : `${err.issues.length} problems`}\n`);
    io.stderr(err.issues.map((i) => `  ${formatIssue(i)}`).join('\n') + '\n');
    return 2;
  }
  // A fault of ours: say what broke, keep the stack for whoever debugs it, never exit 2.
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`silkroute ${command}: internal error: ${message}\n`);
  if (io.env?.SILKROUTE_DEBUG !== undefined && err instanceof Error && err.stack !== undefined) io.stderr(`${err.stack}\n`);
  return 1;
}
