/**
 * The `silkroute` command line (ROUTING.md §8): quote, validate, demo, import, keys, connections. All logic lives
 * here, in-process and testable; bin/silkroute.ts only wires it to the real process.
 *
 * Exit codes: 0 done (a routed or an unroutable quote alike), 2 bad input (usage, data
 * directory, order file) with a message on stderr naming the file and field, 1 internal fault.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { loadNetworkDir } from '#network/load.ts';
import { orderLabel, Platform, ShippingRules, type CanonicalOrder } from '#network/schemas.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision } from '#routing/decision.ts';
import { route as defaultRoute } from '#routing/route.ts';
import { ENV, TABLE } from '#shared/definitions.ts';
import { ValidationError, formatIssue } from '#shared/errors.ts';
import type { importNetworkDir as importNetworkDirOfStore } from '#store/import.ts';
import { parseNow, readOrderFile } from './order-file.ts';
import { planCommand, reportCommand, simulateCommand } from './planning.ts';
import type { DemoRow } from './table.ts';
import { formatDemoTable } from './table.ts';

/** The routing core's entry point (lib/routing/route.ts). */
export type RouteFn = (order: CanonicalOrder, snapshot: NetworkSnapshot, now: Date) => Decision;
/** lib/store/import.ts's importer, as the CLI calls it (it prints whatever summary comes back). */
export type ImportFn = (...args: Parameters<typeof importNetworkDirOfStore>) => Promise<unknown>;

/** lib/store/export.ts: the stored network, read back. */
export type ExportFn = (options: { endpoint?: string; tableName: string }) => Promise<import('#network/types.ts').NetworkFiles>;

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
  /** Override the exporter (tests); default: lib/store/export.ts. */
  readonly readStoredNetwork?: ExportFn;
}

const TOP_HELP = `silkroute — route cross-border orders: direct parcel, EU overseas warehouse or Yixin'ou rail

Usage: silkroute <command> [options]

Commands:
  quote     Price one order against a network (data directory or workbook); prints the decision JSON
  validate  Check a network data directory, workbook or CSV file; prints a summary or every issue
  demo      Quote every sample order and print a table of the chosen routes
  import    Load a network data directory or workbook into the DynamoDB table
  template  Write the network workbook (.xlsx) to fill in, empty or from a data directory
  export    Write the network stored in the DynamoDB table as a workbook (.xlsx)
  keys      Create, list or revoke a seller's API keys (create shows the key once)
  connections  Register a shop whose webhook secret is in Secrets Manager
  plan      What to load on each lane's next train, from routing history
  report    Shipping spend against the all-direct and in-stock baselines
  simulate  Route a seeded month of demo orders and write the history
  digest    Send the daily digest of sellers on notifications mode "digest" now (--now)

Run "silkroute <command> --help" for a command's options.
Exit codes: 0 done, 2 bad input (message on stderr), 1 internal fault.
`;

const HELP = {
  quote: `Usage: silkroute quote --data <dir|file.xlsx> --order <file> [--now <ISO-8601>]

Prints the routing decision (ROUTING.md §5) as JSON on stdout, and nothing else.
  --data <dir>     network data directory (ROUTING.md §6), e.g. data/demo, or a workbook,
                   e.g. data/demo/network.xlsx
  --order <file>   canonical order JSON (ROUTING.md §7), e.g. events/orders/direct-parcel.json
  --now <time>     decide as of this moment, e.g. 2026-11-23T09:00:00+08:00 (default: the clock);
                   with it the output is byte-for-byte reproducible
Exit 0 for routed and unroutable alike, 2 for bad input, 1 for an internal fault.
`,
  validate: `Usage: silkroute validate (--data <dir> | --xlsx <file> | --csv <file>) [--now <ISO-8601>]

Validates every file of a network data directory (connections.json too, when present) and
prints "ok: ..." with counts, or every issue as "<file>: <path>: <problem>" (exit 2); in a
workbook or CSV file every issue names its cell: "skus!F12 weightG: <problem>".
  --data <dir>     network data directory, e.g. data/demo (a <name>.csv stands in for a
                   missing <name>.json, e.g. skus.csv)
  --xlsx <file>    a network workbook, e.g. data/demo/network.xlsx ("silkroute template")
  --csv <file>     one data file as CSV, named after it (skus.csv, stock.csv), checked on its
                   own: cross-file references are checked with --data
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
  import: `Usage: silkroute import (--data <dir> | --xlsx <file>) [--endpoint <url>] [--table <name>] [--secrets-prefix <prefix>] [--now <ISO-8601>]

Validates a network data directory and writes it to the DynamoDB table: reference data,
stock, rail departures and connections.
  --data <dir>       network data directory, e.g. data/demo
  --xlsx <file>      a network workbook instead, e.g. data/demo/network.xlsx; it must have a
                     connections sheet (importing without one removes every stored shop)
  --endpoint <url>   DynamoDB endpoint, e.g. http://127.0.0.1:4567 for the local twin
                     (default: the AWS SDK's own configuration)
  --table <name>     table name (default: $${ENV.tableName}, else ${TABLE.id})
  --secrets-prefix <prefix>
                     also write each connection's webhook secret to Secrets Manager as
                     <prefix><platform>/<shop> (the stack output WebhookSecretsPrefix, e.g.
                     silkroute/prod/webhooks/); without it only the table is written
  --now <time>       expand rail schedules as of this moment (default: the clock)
  --demo             the data holds demo credentials: connections.json may carry webhook secrets
                     and API keys in clear (implied by a loopback --endpoint, the local twin).
                     Otherwise a connections.json is refused: secrets live in Secrets Manager
                     only ("silkroute connections add"), keys come from "silkroute keys create"
`,
  keys: `Usage: silkroute keys create --seller <id> [--endpoint <url>] [--table <name>]
       silkroute keys list   --seller <id> [--endpoint <url>] [--table <name>]
       silkroute keys revoke --seller <id> --key-id <id> [--endpoint <url>] [--table <name>]

create  makes a 256-bit random API key for the seller, prints it once on stdout (it is stored
        only as its SHA-256) and its key id on stderr
list    prints the seller's key ids and when each was created (never a key)
revoke  deletes the key; the API refuses it within a few seconds
`,
  connections: `Usage: silkroute connections add --platform <shopify|woocommerce|standard|amazon|tiktok-shop> --shop <shop> --seller <id>
                           --secrets-prefix <prefix> [--endpoint <url>] [--table <name>]
                           [--allow-services <id,...>] [--allow-carriers <name,...>] [--shipping-note <text>]

Registers a shop for a seller. The webhook secret is never passed here: create it in Secrets
Manager as <prefix><platform>/<shop> with the value {"current": "<secret>"} (the name is printed);
Amazon: the seller's LWA refresh token plus "clientId" and "clientSecret"; TikTok Shop: the app
secret plus "appKey", "shopCipher" and "accessToken" (docs/decisions/0043). --allow-* are the
marketplace's shipping rules: no route uses a service or carrier they do not list (ADR 0044).
`,
  template: `Usage: silkroute template --xlsx <file> [--data <dir>]

Writes the network workbook: a sheet per data file (skus, stock, parcel-services, ...) and
per nested list (parcel-services.rates, ...), row 1 the field names, row 2 the same in Chinese
with units, data from row 3; notes and data validation on the columns.
  --xlsx <file>    the workbook to write, e.g. network.xlsx
  --data <dir>     fill it from this data directory (default: empty)
  --now <time>     validate --data as of this moment (default: the clock)
`,
  export: `Usage: silkroute export --xlsx <file> [--endpoint <url>] [--table <name>]

Writes the network stored in the table (sellers, SKUs, stock, parcel services, rail lanes,
warehouses, duties, FX) as a workbook that "silkroute import --xlsx" reads back. Connections
are left out: the table keeps only hashes of API keys and names of webhook secrets.
  --xlsx <file>      the workbook to write
  --endpoint <url>   DynamoDB endpoint, e.g. http://127.0.0.1:4567 for the local twin
  --table <name>     table name (default: $${ENV.tableName}, else ${TABLE.id})
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
  digest: `Usage: silkroute digest --now <ISO-8601> [--seller <id>] [--endpoint <url>] [--ses-endpoint <url>]
                        [--table <name>] [--from <address>]

Sends the daily digest of each seller on notifications mode "digest" for the period that ended
last at its digest hour before --now, at once instead of at the hour; once per period, as the
scheduled run (a second call reports it already sent).
  --now <time>           the moment to send as of, e.g. 2026-12-03T01:05:00Z
  --seller <id>          only this seller (default: every seller on digest)
  --endpoint <url>       DynamoDB endpoint, e.g. http://127.0.0.1:4567 for the local twin
  --ses-endpoint <url>   SES endpoint, e.g. the twin's http://127.0.0.1:4568
  --table <name>         table name (default: $${ENV.tableName}, else ${TABLE.id})
  --from <address>       sender address (default: $${ENV.emailFrom}, else routing@silkroute.example)
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
    const { values, positionals } = parseOptions(cmd, rest);
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
      case 'keys':
        return await keysCommand(values, positionals, io);
      case 'connections':
        return await connectionsCommand(values, positionals, io);
      case 'template':
        return await templateCommand(values, io);
      case 'export':
        return await exportCommand(values, io);
      case 'plan':
        return await planCommand(values, nowOf(values, io), planningIo(io));
      case 'report':
        return await reportCommand(values, nowOf(values, io), planningIo(io));
      case 'simulate':
        return await simulateCommand(values, nowOf(values, io), planningIo(io));
      case 'digest':
        return await digestCommand(values, io);
    }
  } catch (err) {
    const mistake = setupMistake(err, rest);
    if (mistake !== undefined) {
      io.stderr(`silkroute ${cmd}: ${mistake}\n`);
      return 2;
    }
    return reportError(cmd, err, io);
  }
}

/** The value of `--name <v>` or `--name=<v>` in the raw arguments. */
function argOf(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i]!.startsWith(`--${name}=`)) return args[i]!.slice(name.length + 3);
  }
  return undefined;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * A mistake in how the command was set up — no endpoint or region, an endpoint nothing answers
 * at, a table that is not there — in words that say what to do (exit 2, ROUTING.md §8: the user's
 * to fix), instead of the SDK's "internal error: Region is missing" (docs/decisions/0050).
 */
export function setupMistake(err: unknown, args: readonly string[]): string | undefined {
  const chain: { name?: string; code?: string; message?: string }[] = [];
  for (let e: unknown = err; e !== null && typeof e === 'object' && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e as never);
  const endpoint = argOf(args, 'endpoint');
  const twin = 'run `npm start` (it prints its DynamoDB endpoint) and pass that as --endpoint';
  if (chain.some((e) => /Region is missing/i.test(e.message ?? '') || e.name === 'CredentialsProviderError')) {
    return `no DynamoDB endpoint: pass --endpoint or --table. For the local twin, ${twin}; for AWS, set AWS_REGION (or AWS_PROFILE) and credentials, and --table <the stack's table>.`;
  }
  const down = chain.find((e) => UNREACHABLE.has(e.code ?? '') || [...UNREACHABLE].some((c) => (e.message ?? '').includes(c)));
  if (down !== undefined) {
    const code = down.code ?? [...UNREACHABLE].find((c) => (down.message ?? '').includes(c));
    const where = endpoint ?? 'the DynamoDB endpoint of AWS_REGION';
    return `nothing answers at ${where} (${code}): is the twin running? ${endpoint === undefined ? 'For the local twin, ' : 'If it is the local twin, '}${twin}.`;
  }
  if (chain.some((e) => e.name === 'ResourceNotFoundException')) {
    const table = argOf(args, 'table') ?? process.env[ENV.tableName] ?? TABLE.id;
    return `table ${table} does not exist${endpoint === undefined ? '' : ` at ${endpoint}`}: pass --table with the table of your stack, or --endpoint of the running twin (\`npm start\`).`;
  }
  return undefined;
}

type Values = Record<string, string | boolean | undefined>;

function parseOptions(command: Command, args: readonly string[]): { values: Values; positionals: string[] } {
  const text = { type: 'string' } as const;
  const options = {
    help: { type: 'boolean', short: 'h' },
    now: text,
    ...(command === 'quote' ? { data: text, order: text } : {}),
    ...(command === 'validate' ? { data: text, xlsx: text, csv: text } : {}),
    ...(command === 'demo' ? { data: text, orders: text } : {}),
    ...(command === 'import' ? { data: text, xlsx: text, endpoint: text, table: text, 'secrets-prefix': text, demo: { type: 'boolean' } } : {}),
    ...(command === 'keys' ? { seller: text, 'key-id': text, endpoint: text, table: text } : {}),
    ...(command === 'connections' ? { platform: text, shop: text, seller: text, 'secrets-prefix': text, endpoint: text, table: text, 'allow-services': text, 'allow-carriers': text, 'shipping-note': text } : {}),
    ...(command === 'template' ? { xlsx: text, data: text } : {}),
    ...(command === 'export' ? { xlsx: text, endpoint: text, table: text } : {}),
    ...(command === 'digest' ? { seller: text, endpoint: text, 'ses-endpoint': text, table: text, from: text } : {}),
    ...(command === 'plan'
      ? { data: text, history: text, lane: text, departure: text, seller: text, capacity: text, 'service-level': text, window: text, departures: text, stock: text, inbound: text, format: text }
      : {}),
    ...(command === 'report' ? { data: text, history: text, from: text, to: text, seller: text, format: text } : {}),
    ...(command === 'simulate' ? { data: text, out: text, days: text, seed: text, 'follow-plan': { type: 'boolean' } as const, 'stock-out': text } : {}),
  } as const;
  try {
    const parsed = parseArgs({ args: [...args], options: options as ParseArgsOptionsConfig, strict: true, allowPositionals: command === 'keys' || command === 'connections' });
    return { values: parsed.values as Values, positionals: parsed.positionals };
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
  if (typeof values.csv === 'string') {
    const { validateCsvFile } = await import('#network/sheets/index.ts');
    const { file, records } = await validateCsvFile(values.csv);
    io.stdout(`ok: ${basename(values.csv)}: ${records} ${records === 1 ? 'record' : 'records'} of ${file} (cross-file references are checked with --data)\n`);
    return 0;
  }
  const dataDir = dataSource('validate', values);
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
    // The sample's file and the number its seller knows the order by (#1038, SO-2026-11-0193).
    rows.push({ label: `${basename(name, '.json')} ${orderLabel(order)}`, decision: route(order, buildSnapshot(files, now), now) });
  }
  io.stdout(formatDemoTable(rows));
  if (bad.length === 0) return 0;
  io.stderr(bad.map((e) => e.issues.map(formatIssue).join('\n')).join('\n') + '\n');
  return 2;
}

async function importCommand(values: Values, io: CliIo): Promise<number> {
  const dataDir = dataSource('import', values);
  if (typeof values.xlsx === 'string') await requireConnectionsSheet(values.xlsx);
  const now = nowOf(values, io);
  const tableName = typeof values.table === 'string' ? values.table : (io.env?.[ENV.tableName] ?? TABLE.id);
  let importNetworkDir = io.importNetworkDir;
  if (importNetworkDir === undefined) {
    // Dynamic: the store's importer brings the AWS SDK, which quote and validate never need.
    importNetworkDir = (await import('#store/import.ts')).importNetworkDir;
    // The SDK reads region and credentials from the process environment only.
    if (typeof values.endpoint === 'string') Object.assign(process.env, localAwsDefaults(values.endpoint, process.env));
  }
  const secretsPrefix = values['secrets-prefix'];
  const secrets =
    typeof secretsPrefix === 'string'
      ? { secrets: new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({}), secretsPrefix }
      : {};
  // The local twin (a loopback endpoint) is the demo; anything else must say so with --demo.
  const demo = values.demo === true || (typeof values.endpoint === 'string' && isLoopback(values.endpoint));
  const summary = await importNetworkDir(dataDir, {
    ...(typeof values.endpoint === 'string' ? { endpoint: values.endpoint } : {}),
    ...secrets,
    ...(demo ? { demo: true } : {}),
    tableName,
    now,
    log: (line) => io.stderr(`${line}\n`),
  });
  io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}

function isLoopback(endpoint: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/** The table the store commands (keys, connections) work on, with a client for --endpoint. */
async function storeContext(values: Values, io: CliIo) {
  const tableName = typeof values.table === 'string' ? values.table : (io.env?.[ENV.tableName] ?? TABLE.id);
  if (typeof values.endpoint === 'string') Object.assign(process.env, localAwsDefaults(values.endpoint, process.env));
  const { createDocumentClient } = (await import('#store/client.ts')) as typeof import('#store/client.ts');
  const doc = createDocumentClient(typeof values.endpoint === 'string' ? { config: { endpoint: values.endpoint } } : {});
  return { doc, tableName };
}

async function digestCommand(values: Values, io: CliIo): Promise<number> {
  const nowText = required('digest', values, 'now');
  if (Number.isNaN(Date.parse(nowText))) throw new ValidationError([{ path: '--now', message: 'expected an ISO-8601 time such as 2026-12-03T01:05:00Z' }]);
  const now = new Date(nowText);
  const ctx = await storeContext(values, io);
  const [{ SESv2Client }, { createSesSender }, { createDigestMailer }, { sendDigests }, notifications, { createOrderStore }, { listSellerIds }, { createSnapshotLoader }] =
    await Promise.all([
      import('@aws-sdk/client-sesv2'),
      import('#email/ses.ts'),
      import('#email/digest.ts'),
      import('#orders/digest.ts'),
      import('#store/notifications.ts'),
      import('#store/orders.ts'),
      import('#store/reference.ts'),
      import('#store/snapshot.ts'),
    ]);
  const sesEndpoint = typeof values['ses-endpoint'] === 'string' ? values['ses-endpoint'] : undefined;
  const ses = new SESv2Client(sesEndpoint === undefined ? {} : { endpoint: sesEndpoint });
  const from = typeof values.from === 'string' ? values.from : (io.env?.[ENV.emailFrom] ?? 'routing@silkroute.example');
  try {
    const outcomes = await sendDigests(
      {
        sellers: () => listSellerIds(ctx),
        orders: createOrderStore(ctx),
        snapshots: createSnapshotLoader({ ...ctx, ttlSeconds: 0 }),
        ledger: notifications.createEmailLedger(notifications.createNotificationStore(ctx)),
        mailer: createDigestMailer(createSesSender({ ses, from })),
        log: { info: () => undefined, warn: (m: string) => io.stderr(`${m}\n`) },
      },
      now,
      { force: true, ...(typeof values.seller === 'string' && { sellerId: values.seller }) },
    );
    for (const o of outcomes) {
      const line =
        o.kind === 'sent'
          ? `${o.sellerId}: digest of ${o.date} sent (${o.orders} orders, message ${o.messageId})`
          : o.kind === 'already-sent'
            ? `${o.sellerId}: digest of ${o.date} was already sent`
            : `${o.sellerId}: not on digest (notifications mode)`;
      io.stdout(`${line}\n`);
    }
    return 0;
  } finally {
    ses.destroy();
    ctx.doc.destroy();
  }
}

async function keysCommand(values: Values, positionals: readonly string[], io: CliIo): Promise<number> {
  const [action, ...extra] = positionals;
  if (action === undefined || !['create', 'list', 'revoke'].includes(action) || extra.length > 0) {
    throw usage('keys', action === undefined ? 'missing create, list or revoke' : `unknown keys action "${[action, ...extra].join(' ')}"`);
  }
  const seller = required('keys', values, 'seller');
  const store = (await import('#store/api-keys.ts')) as typeof import('#store/api-keys.ts');
  const ctx = await storeContext(values, io);
  try {
    if (action === 'create') {
      const now = (io.clock ?? (() => new Date()))();
      const { apiKey, keyId } = await store.createSellerApiKey(ctx, seller, now).catch((error: unknown) => {
        if (error instanceof store.UnknownSellerError) throw new ValidationError([{ path: '--seller', message: error.message }]);
        throw error;
      });
      io.stderr(`created key ${keyId} for ${seller}; it is shown once, below, and stored only as its SHA-256
`);
      io.stdout(`${apiKey}
`);
      return 0;
    }
    if (action === 'list') {
      for (const key of await store.listSellerApiKeys(ctx, seller)) io.stdout(`${key.keyId}  created ${key.createdAt}
`);
      return 0;
    }
    const keyId = required('keys', values, 'key-id');
    if (!(await store.revokeSellerApiKey(ctx, seller, keyId))) {
      throw new ValidationError([{ path: '--key-id', message: `seller ${seller} has no key ${keyId} ("silkroute keys list --seller ${seller}")` }]);
    }
    io.stderr(`revoked key ${keyId} of ${seller}; the API refuses it within ${store.API_KEY_CACHE_SECONDS} s
`);
    return 0;
  } finally {
    ctx.doc.destroy();
  }
}

async function connectionsCommand(values: Values, positionals: readonly string[], io: CliIo): Promise<number> {
  if (positionals.length !== 1 || positionals[0] !== 'add') throw usage('connections', 'expected "connections add"');
  const platform = required('connections', values, 'platform');
  const known = Platform.safeParse(platform);
  if (!known.success) {
    throw new ValidationError([{ path: '--platform', message: `expected one of ${Platform.options.join(', ')}, got "${platform}"` }]);
  }
  // The marketplace's shipping rules (ADR 0044): comma-separated lists, as in the spreadsheet.
  const list = (name: string) => (typeof values[name] === 'string' ? String(values[name]).split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined);
  const services = list('allow-services');
  const carriers = list('allow-carriers');
  const note = typeof values['shipping-note'] === 'string' ? String(values['shipping-note']) : undefined;
  let shipping: ShippingRules | undefined;
  if (services !== undefined || carriers !== undefined) {
    const parsed = ShippingRules.safeParse({ ...(services?.length ? { services } : {}), ...(carriers?.length ? { carriers } : {}), ...(note === undefined ? {} : { note }) });
    if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ path: `--allow-${String(i.path[0] ?? 'services')}`, message: i.message })));
    shipping = parsed.data;
  }
  const shop = required('connections', values, 'shop');
  const seller = required('connections', values, 'seller');
  const prefix = required('connections', values, 'secrets-prefix');
  const { addConnection } = (await import('#store/import.ts')) as typeof import('#store/import.ts');
  const ctx = await storeContext(values, io);
  try {
    const secretName = await addConnection(ctx, { platform: known.data, shop, sellerId: seller, ...(shipping === undefined ? {} : { shipping }) }, prefix);
    io.stdout(`${secretName}
`);
    io.stderr(`registered ${platform} shop ${shop} for ${seller}; create the secret ${secretName} in Secrets Manager as {"current": "<secret>"}
`);
    return 0;
  } finally {
    ctx.doc.destroy();
  }
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

/** `--data <dir>` or `--xlsx <file>` (one of them): what loadNetworkDir reads. */
function dataSource(command: Command, values: Values): string {
  const xlsx = values.xlsx;
  if (typeof xlsx === 'string' && xlsx !== '') {
    if (typeof values.data === 'string') throw usage(command, 'give --data or --xlsx, not both');
    if (!/\.(xlsx|xlsm)$/i.test(xlsx)) throw usage(command, `--xlsx expects an .xlsx workbook, got "${xlsx}"`);
    return xlsx;
  }
  if (typeof values.data !== 'string' || values.data === '') {
    throw usage(command, command === 'validate' ? 'missing --data, --xlsx or --csv' : 'missing --data or --xlsx');
  }
  return values.data;
}

/**
 * The importer deletes stored connections the data no longer has, so a workbook without a
 * connections sheet (an export, which cannot hold secrets) would remove every shop: refuse it.
 */
async function requireConnectionsSheet(file: string): Promise<void> {
  const { workbookSheetNames } = await import('#network/sheets/index.ts');
  const names = await workbookSheetNames(file);
  if (!names.has('connections')) {
    throw new ValidationError([
      {
        file,
        path: 'sheet "connections"',
        message:
          'missing: importing without it would remove every stored shop connection and API key. Add the connections sheet (with secrets and API keys; an export leaves it out), e.g. from "silkroute template --xlsx"',
      },
    ]);
  }
}

async function templateCommand(values: Values, io: CliIo): Promise<number> {
  const out = required('template', values, 'xlsx');
  const sheets = await import('#network/sheets/index.ts');
  if (typeof values.data === 'string') {
    const { files, connections } = await loadNetworkDir(values.data, { now: nowOf(values, io) });
    await sheets.writeNetworkWorkbook(out, { files, connections });
    io.stdout(`wrote ${out} from ${values.data}\n`);
  } else {
    await sheets.writeNetworkWorkbook(out);
    io.stdout(`wrote ${out}: the empty network workbook (fill it in from row 3, then "silkroute validate --xlsx ${out}")\n`);
  }
  return 0;
}

async function exportCommand(values: Values, io: CliIo): Promise<number> {
  const out = required('export', values, 'xlsx');
  const tableName = typeof values.table === 'string' ? values.table : (io.env?.[ENV.tableName] ?? TABLE.id);
  let readStored = io.readStoredNetwork;
  if (readStored === undefined) {
    const specifier = '#store/export.ts';
    const mod = (await import(specifier)) as { readStoredNetwork?: ExportFn };
    if (typeof mod.readStoredNetwork !== 'function') throw new Error('lib/store/export.ts does not export readStoredNetwork()');
    readStored = mod.readStoredNetwork;
    if (typeof values.endpoint === 'string') Object.assign(process.env, localAwsDefaults(values.endpoint, process.env));
  }
  let files: import('#network/types.ts').NetworkFiles;
  try {
    files = await readStored({ ...(typeof values.endpoint === 'string' ? { endpoint: values.endpoint } : {}), tableName });
  } catch (err) {
    // An empty table (nothing imported yet) is the user's to fix, not a fault of ours.
    if (err instanceof Error && err.name === 'MissingDataError') throw new ValidationError([{ path: '--table', message: `${tableName}: ${err.message}` }], { cause: err });
    throw err;
  }
  const { writeNetworkWorkbook } = await import('#network/sheets/index.ts');
  await writeNetworkWorkbook(out, { files });
  io.stdout(
    `wrote ${out} from ${tableName}: ${files.sellers.length} sellers, ${files.skus.length} SKUs, ${files.stock.length} stock records, ` +
      `${files.parcelServices.length} parcel services, ${files.railLanes.length} rail lanes, ${files.warehouses.length} warehouses ` +
      `(no connections: add that sheet before importing it)\n`,
  );
  return 0;
}
