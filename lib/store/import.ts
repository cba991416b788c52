/**
 * `silkroute import`: a validated data directory into the table (and webhook secrets into
 * Secrets Manager). Idempotent: importing the same directory twice changes nothing — records
 * are put whole, stock's on-hand is SET to the file's count (the warehouse's count is the truth;
 * reservations are kept, lib/store/stock.ts),
 * capacity is SET while what is already reserved on a departure is kept. Records the
 * directory no longer has are deleted in the partitions it owns (NETWORK, its sellers', the
 * connection registry), so a removed warehouse or a replaced API key does not linger.
 */
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadNetworkDir } from '#network/load.ts';
import type { Connection } from '#network/schemas.ts';
import { ENV } from '#shared/definitions.ts';
import { SilkrouteError, ValidationError, type Issue } from '#shared/errors.ts';
import { hashApiKey, weakKeyProblem } from './api-keys.ts';
import { batchWriteAll, queryAll, type Item, type StoreContext, type WriteRequest } from './batch.ts';
import { createDocumentClient } from './client.ts';
import { keys, type Key } from './keys.ts';
import { explicitDepartures, referenceItemsByFile, setDepartureCapacity } from './reference.ts';
import { reportStock } from './stock.ts';
import { bookInbound, resolveInboundLot, type BookInboundInput, type InboundLine } from './inbound.ts';
import { readFile } from 'node:fs/promises';

/** Used when neither the option nor WEBHOOK_SECRETS_PREFIX is set: the local twin's prefix. */
export const DEFAULT_SECRETS_PREFIX = 'silkroute/local/webhooks/';

export interface ImportOptions {
  /** DynamoDB endpoint (e.g. the twin's dynalite); default: the SDK's standard configuration. */
  readonly endpoint?: string;
  readonly tableName: string;
  /** Validation and schedule expansion are as of this moment. */
  readonly now: Date;
  /** Use this client instead of building one (tests, the twin). */
  readonly doc?: DynamoDBDocumentClient;
  /** When given, each connection's webhook secret is written to Secrets Manager. */
  readonly secrets?: SecretsManagerClient;
  /** Secret names are `<secretsPrefix><platform>/<shop>`; default WEBHOOK_SECRETS_PREFIX, then DEFAULT_SECRETS_PREFIX. */
  readonly secretsPrefix?: string;
  /** Progress lines ("skus.json: 10 items") and the summary line. */
  readonly log?: (line: string) => void;
  /**
   * The demo (the local twin, a loopback endpoint): connections.json may carry webhook secrets and
   * API keys in clear. Otherwise a connections.json is refused — secrets live in Secrets Manager
   * only, keys come from `silkroute keys create` — and every connection is reported.
   */
  readonly demo?: boolean;
}

export interface ImportSummary {
  readonly table: string;
  /** Items written per data file (connections.json: connection + API key items). */
  readonly files: Readonly<Record<string, number>>;
  /** Capacity items of explicit departures set. */
  readonly departures: number;
  /** Items deleted because the directory no longer has them. */
  readonly deleted: number;
  readonly secrets: { readonly created: number; readonly updated: number; readonly unchanged: number };
}

/**
 * Validates `dir` (loadNetworkDir) and writes it to the table; throws ValidationError naming
 * file and field before writing anything when the directory is invalid.
 * @example await importNetworkDir('data/demo', { tableName: 'SilkrouteTable', now: new Date() })
 */
export async function importNetworkDir(dir: string, options: ImportOptions): Promise<ImportSummary> {
  const log = options.log ?? (() => {});
  const { files, connections, snapshot } = await loadNetworkDir(dir, { now: options.now, requireConnections: false });
  // Every file is validated before the first write: a bad inbound.json leaves the table as it was.
  const inbound = /\.xlsx$/i.test(dir) ? undefined : await readInboundFile(join(dir, 'inbound.json'), snapshot, options.now);
  // Without a connections.json the connections in the table are left as they are (a deploy
  // registers them with `silkroute connections add`); with one, they are its to set and prune.
  // A workbook always carries its connections sheet (`import --xlsx` refuses one without it).
  const hasConnectionsFile = /\.xlsx$/i.test(dir) || existsSync(join(dir, 'connections.json'));
  if (hasConnectionsFile && options.demo !== true) refuseCredentialsInFile(connections, options.secretsPrefix ?? process.env[ENV.secretsPrefix] ?? DEFAULT_SECRETS_PREFIX);
  const doc = options.doc ?? createDocumentClient(options.endpoint === undefined ? {} : { config: { endpoint: options.endpoint } });
  const ctx: StoreContext = { doc, tableName: options.tableName };
  const prefix = options.secretsPrefix ?? process.env[ENV.secretsPrefix] ?? DEFAULT_SECRETS_PREFIX;

  const counts: Record<string, number> = {};
  const wanted = new Set<string>();
  const put = async (file: string, items: readonly Item[], line = `${file}: ${items.length} ${items.length === 1 ? 'item' : 'items'}`) => {
    for (const entry of items) wanted.add(keyOf(entry as Key));
    await batchWriteAll(ctx, items.map((Item) => ({ PutRequest: { Item } })));
    counts[file] = items.length;
    log(line);
  };

  for (const { file, items } of referenceItemsByFile(files)) {
    if (file !== 'stock.json') {
      await put(file, items);
      continue;
    }
    // Stock is a report of on-hand as of now: it never touches reservations (lib/store/stock.ts).
    for (const entry of items) wanted.add(keyOf(entry as Key));
    let reserved = 0;
    let stale = 0;
    const sellers = [...new Set(files.stock.map((s) => s.sellerId))];
    for (const sellerId of sellers) {
      const reports = files.stock
        .filter((s) => s.sellerId === sellerId)
        .map((s) => ({ warehouseId: s.warehouseId, sku: s.sku, onHand: s.available, asOf: options.now.toISOString() }));
      const result = await reportStock(ctx, sellerId, reports);
      reserved += result.reserved;
      stale += result.stale;
      for (const s of result.short ?? []) log(`stock.json: ${s.warehouseId}/${s.sku} has ${s.onHand} on hand but ${s.reserved} reserved by open orders: ${s.shortBy} short, none available`);
    }
    counts[file] = items.length;
    log(
      `${file}: on-hand of ${items.length} ${items.length === 1 ? 'item' : 'items'} set; ${reserved} ${reserved === 1 ? 'unit' : 'units'} reserved by open orders kept${
        stale > 0 ? `; ${stale} older than the stored count left as they are` : ''
      }`,
    );
  }
  const departures = explicitDepartures(files);
  for (const departure of departures) await setDepartureCapacity(ctx, departure);
  if (departures.length > 0) log(`rail-lanes.json: capacity of ${departures.length} explicit departures set`);

  // inbound.json, validated before anything was written (above): each lot booked on its departure once.
  if (inbound !== undefined) {
    let booked = 0;
    for (const input of inbound) if ((await bookInbound(ctx, input)).kind === 'booked') booked += 1;
    counts['inbound.json'] = inbound.length;
    log(`inbound.json: ${inbound.length} lots in transit (${booked} newly booked on their departures)`);
  }

  // Connections last: once a shop's connection exists its webhooks are accepted, so the
  // seller's data must already be there.
  const previous = !hasConnectionsFile ? [] : await queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.connectionRegistry('', '').pk },
    ConsistentRead: true,
  });
  const connectionRecords = connections.flatMap((c) => connectionItems(c, prefix));
  if (hasConnectionsFile) await put(
    'connections.json',
    connectionRecords,
    `connections.json: ${connections.length} connections (${connectionRecords.length} items: connection, API key hash, registry)`,
  );
  const secrets = { created: 0, updated: 0, unchanged: 0 };
  if (options.secrets !== undefined) {
    for (const connection of connections) {
      secrets[await writeSecret(options.secrets, secretNameOf(prefix, connection), connection)] += 1;
    }
    log(`secrets: ${secrets.created} created, ${secrets.updated} updated, ${secrets.unchanged} unchanged`);
  }

  // Deletes come after the writes, so a reader never sees a gap where a record is being replaced.
  const stale: Key[] = [];
  const owned = await Promise.all([
    queryKeys(ctx, keys.network('FX').pk),
    ...files.sellers.map((s) => queryKeys(ctx, keys.seller(s.id).pk)),
  ]);
  let keptHeld = 0;
  for (const key of owned.flat()) {
    if (wanted.has(keyOf(key))) continue;
    // A SKU gone from stock.json that open orders still hold units of: its ledger stays.
    if (key.sk.startsWith('STOCK#') && (key.reserved ?? 0) > 0) {
      keptHeld += 1;
      continue;
    }
    stale.push({ pk: key.pk, sk: key.sk });
  }
  if (keptHeld > 0) log(`stock.json: kept ${keptHeld} stock ${keptHeld === 1 ? 'item' : 'items'} no longer in stock.json: orders still hold units of ${keptHeld === 1 ? 'it' : 'them'}`);
  for (const entry of previous) {
    const registry = { pk: String(entry.pk), sk: String(entry.sk) };
    const connection = { pk: String(entry.connectionPk), sk: String(entry.connectionSk) };
    const apiKey = keys.apiKey(String(entry.apiKeyHash));
    for (const key of [registry, connection, apiKey]) {
      if (!wanted.has(keyOf(key)) && !stale.some((s) => keyOf(s) === keyOf(key))) stale.push(key);
    }
  }
  await batchWriteAll(ctx, stale.map((Key): WriteRequest => ({ DeleteRequest: { Key } })));
  if (stale.length > 0) log(`deleted ${stale.length} items the directory no longer has`);

  const summary: ImportSummary = {
    table: options.tableName,
    files: counts,
    departures: departures.length,
    deleted: stale.length,
    secrets,
  };
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  log(`imported ${total} items into ${options.tableName}`);
  return summary;
}

/**
 * `<prefix><platform>/<shop>`: the Secrets Manager name of a connection's webhook secret.
 * Secret names allow only letters, digits and `/_+=.@-`, and a WooCommerce shop is a URL, so
 * any other character (and `_` itself, to stay unambiguous) is written `_xx` in hex.
 * @example secretNameOf('silkroute/dev/webhooks/', { platform: 'woocommerce', shop: 'https://a.example' })
 *   === 'silkroute/dev/webhooks/woocommerce/https_3a//a.example'
 */
export function secretNameOf(prefix: string, connection: Pick<Connection, 'platform' | 'shop'>): string {
  const shop = connection.shop.replace(/[^A-Za-z0-9/+=.@-]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `_${b.toString(16).padStart(2, '0')}`).join(''),
  );
  return `${prefix}${connection.platform}/${shop}`;
}

/** The connection item, its API key item (hash only) and its registry entry. */
function connectionItems(c: Connection, prefix: string): Item[] {
  const connectionKey = keys.connection(c.platform, c.shop);
  const apiKeyHash = hashApiKey(c.apiKey);
  return [
    { ...connectionKey, kind: 'connection', platform: c.platform, shop: c.shop, sellerId: c.sellerId, secretName: secretNameOf(prefix, c) },
    { ...keys.apiKey(apiKeyHash), kind: 'apiKey', sellerId: c.sellerId },
    {
      ...keys.connectionRegistry(c.platform, c.shop),
      kind: 'connectionRegistry',
      connectionPk: connectionKey.pk,
      connectionSk: connectionKey.sk,
      apiKeyHash,
    },
  ];
}

/** Creates the secret, or puts a new version when its value changed; an unchanged value is left alone. */
async function writeSecret(
  client: SecretsManagerClient,
  name: string,
  connection: Connection,
): Promise<'created' | 'updated' | 'unchanged'> {
  const value = JSON.stringify(
    connection.previousSecret === undefined
      ? { current: connection.secret }
      : { current: connection.secret, previous: connection.previousSecret },
  );
  let current: string | undefined;
  try {
    current = (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    await client.send(
      new CreateSecretCommand({ Name: name, SecretString: value, Description: `Silkroute webhook secret for ${connection.platform} shop ${connection.shop}` }),
    );
    return 'created';
  }
  if (current === value) return 'unchanged';
  await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
  return 'updated';
}

async function queryKeys(ctx: StoreContext, pk: string): Promise<(Key & { reserved?: number })[]> {
  const items = await queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ProjectionExpression: 'pk, sk, reserved',
    ConsistentRead: true,
  });
  // Inbound lots (lib/store/inbound.ts) are booked through the API, not the directory: never pruned.
  return items
    .filter((i) => !String(i.sk).startsWith('INBOUND#'))
    .map((i) => ({ pk: String(i.pk), sk: String(i.sk), ...(typeof i.reserved === 'number' ? { reserved: i.reserved } : {}) }));
}

/**
 * The optional inbound.json, parsed and resolved against the network (undefined without one).
 * Throws ValidationError naming each bad lot or line, before the import writes anything.
 */
async function readInboundFile(file: string, snapshot: Parameters<typeof resolveInboundLot>[0], now: Date): Promise<BookInboundInput[] | undefined> {
  if (!existsSync(file)) return undefined;
  let lots: unknown;
  try {
    lots = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    throw new ValidationError([{ file: 'inbound.json', path: '', message: `is not valid JSON (${(error as Error).message})` }]);
  }
  if (!Array.isArray(lots)) throw new ValidationError([{ file: 'inbound.json', path: '', message: 'expected an array of lots' }]);
  const issues: Issue[] = [];
  const inputs: BookInboundInput[] = [];
  lots.forEach((raw, i) => {
    const lot = raw as { lotId?: unknown; sellerId?: unknown; departureId?: unknown; warehouseId?: unknown; lines?: unknown };
    if (typeof lot.lotId !== 'string' || lot.lotId.trim() === '' || typeof lot.sellerId !== 'string' || typeof lot.departureId !== 'string' || typeof lot.warehouseId !== 'string' || !Array.isArray(lot.lines)) {
      issues.push({ file: 'inbound.json', path: `[${i}]`, message: 'expected { lotId, sellerId, departureId, warehouseId, lines: [{ sku, qty }] }' });
      return;
    }
    const lineIssues: Issue[] = [];
    if (lot.lines.length === 0) lineIssues.push({ file: 'inbound.json', path: `[${i}].lines`, message: 'is empty: a lot carries at least one line' });
    (lot.lines as { sku?: unknown; qty?: unknown }[]).forEach((line, j) => {
      if (typeof line?.sku !== 'string') lineIssues.push({ file: 'inbound.json', path: `[${i}].lines[${j}].sku`, message: 'expected a SKU' });
      if (typeof line?.qty !== 'number' || !Number.isInteger(line.qty) || line.qty <= 0) lineIssues.push({ file: 'inbound.json', path: `[${i}].lines[${j}].qty`, message: `expected a whole number above 0, got ${JSON.stringify(line?.qty)}` });
    });
    if (lineIssues.length > 0) {
      issues.push(...lineIssues);
      return;
    }
    const resolved = resolveInboundLot(snapshot, lot.sellerId, { lotId: lot.lotId, departureId: lot.departureId, warehouseId: lot.warehouseId, lines: lot.lines as InboundLine[] }, now);
    if (resolved.ok) inputs.push(resolved.input);
    else for (const issue of resolved.issues) issues.push({ file: 'inbound.json', path: `[${i}].${issue.path}`, message: issue.message });
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return inputs;
}

/** Outside the demo a file may not hold a webhook secret or an API key: each one is named, with what to do instead. */
function refuseCredentialsInFile(connections: readonly Connection[], prefix: string): void {
  const issues: Issue[] = [];
  connections.forEach((c, i) => {
    issues.push({
      file: 'connections.json',
      path: `[${i}].secret`,
      message: `webhook secrets are not kept in files for a deploy: create the secret ${secretNameOf(prefix, c)} in Secrets Manager and register the shop with "silkroute connections add" (docs/operations.md#connecting-a-shop)`,
    });
    const weak = weakKeyProblem(c.apiKey);
    if (weak !== undefined) issues.push({ file: 'connections.json', path: `[${i}].apiKey`, message: weak });
  });
  if (issues.length > 0) throw new ValidationError(issues);
}

/**
 * `silkroute connections add`: registers a shop for a seller that exists, pointing at the secret
 * the operator created in Secrets Manager (`<prefix><platform>/<shop>`, JSON
 * `{"current": "..."}`); nothing secret passes through here. Returns the secret name.
 */
export async function addConnection(
  ctx: StoreContext,
  connection: { readonly platform: Connection['platform']; readonly shop: string; readonly sellerId: string },
  prefix: string,
): Promise<string> {
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.seller(connection.sellerId), ConsistentRead: true }));
  if (Item === undefined) throw new SilkrouteError(`no seller "${connection.sellerId}" in table ${ctx.tableName}; import the seller first`);
  const secretName = secretNameOf(prefix, connection);
  await ctx.doc.send(
    new PutCommand({
      TableName: ctx.tableName,
      Item: { ...keys.connection(connection.platform, connection.shop), kind: 'connection', ...connection, secretName },
    }),
  );
  return secretName;
}

function keyOf(key: Key): string {
  return `${key.pk}\u0000${key.sk}`;
}
