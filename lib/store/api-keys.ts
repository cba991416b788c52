/**
 * API keys → seller. Keys are stored by their SHA-256 (hex) only, as
 * `{ ...keys.apiKey(hash), sellerId }`; a key in clear never touches the table or a log.
 * `silkroute keys create --seller` makes one (256 random bits, shown once) and lists it in the
 * seller's key registry (`keys.sellerApiKey`), so `keys revoke` can remove it by its key id; the
 * import writes the demo's keys from connections.json. A lookup is trusted for a few seconds
 * only, so a revoked key stops working within API_KEY_CACHE_SECONDS.
 */
import { createHash, randomBytes } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SilkrouteError } from '#shared/errors.ts';
import { keys } from './keys.ts';

/** How long a warm container trusts a key it found: the most a revoked key keeps working. */
export const API_KEY_CACHE_SECONDS = 5;
/** How long an unknown key is remembered as unknown (a flood of bad keys costs one read per second). */
export const UNKNOWN_KEY_CACHE_SECONDS = 1;
/** Keys imported from a file must carry at least this much (estimated) entropy outside the demo. */
export const MIN_IMPORTED_KEY_BITS = 128;
const KEY_PREFIX = 'srk_';

/** SHA-256 hex of an API key: the only form in which keys are stored or compared. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

export interface ApiKeyStore {
  /** The seller the key belongs to, or undefined for an unknown key. */
  sellerFor(apiKey: string): Promise<string | undefined>;
}

export interface ApiKeyStoreOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  /** How long a warm container trusts a lookup (a revoked key keeps working at most this long). */
  readonly maxAgeSeconds?: number;
  /** How long an unknown key stays unknown without a read. */
  readonly unknownMaxAgeSeconds?: number;
  readonly clock?: () => number;
}

/** An API key store over the table, with a short positive and a shorter negative cache. */
export function createApiKeyStore(options: ApiKeyStoreOptions): ApiKeyStore {
  const { doc, tableName } = options;
  const maxAgeMs = (options.maxAgeSeconds ?? API_KEY_CACHE_SECONDS) * 1000;
  const unknownMaxAgeMs = (options.unknownMaxAgeSeconds ?? UNKNOWN_KEY_CACHE_SECONDS) * 1000;
  const clock = options.clock ?? Date.now;
  const cache = new TtlCache<string | undefined>();
  return {
    async sellerFor(apiKey) {
      const hash = hashApiKey(apiKey);
      const cached = cache.get(hash, clock());
      if (cached !== undefined) return cached.value;
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.apiKey(hash) }));
      const sellerId = typeof Item?.sellerId === 'string' && Item.sellerId !== '' ? Item.sellerId : undefined;
      cache.set(hash, sellerId, sellerId === undefined ? unknownMaxAgeMs : maxAgeMs, clock());
      return sellerId;
    },
  };
}

/** A new API key: `srk_` + 256 random bits in base64url (43 characters). */
export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The short public name of a key (its hash's first 12 hex digits): safe to show, log and revoke by. */
export function apiKeyId(apiKey: string): string {
  return hashApiKey(apiKey).slice(0, 12);
}

/**
 * An estimate of a key's entropy in bits: its length times the Shannon entropy of its own
 * character distribution. Generous to random keys (a 256-bit base64url key scores about 220),
 * hard on patterned ones (`demo-key-tianmen-garments-0001` scores about 110).
 */
export function estimateKeyEntropyBits(key: string): number {
  const counts = new Map<string, number>();
  for (const c of key) counts.set(c, (counts.get(c) ?? 0) + 1);
  const n = [...key].length;
  let perChar = 0;
  for (const count of counts.values()) perChar -= (count / n) * Math.log2(count / n);
  return Math.round(perChar * n);
}

/** Why an imported key is too weak to stand for a seller outside the demo, or undefined when it is strong enough. */
export function weakKeyProblem(key: string): string | undefined {
  const bits = estimateKeyEntropyBits(key);
  if (bits >= MIN_IMPORTED_KEY_BITS) return undefined;
  return `an API key needs at least ${MIN_IMPORTED_KEY_BITS} bits of entropy outside the demo; this one has about ${bits} (create one with "silkroute keys create --seller <id>")`;
}

/** A seller's key as the registry lists it: never the key, never the full hash. */
export interface ListedApiKey {
  readonly keyId: string;
  readonly sellerId: string;
  readonly createdAt: string;
}

export class UnknownSellerError extends SilkrouteError {
  override readonly name: string = 'UnknownSellerError';
}

/**
 * Creates a key for a seller that exists in the table: its hash item and its registry entry in
 * one transaction. Returns the key — the only time it is ever available in clear.
 */
export async function createSellerApiKey(
  ctx: { readonly doc: DynamoDBDocumentClient; readonly tableName: string },
  sellerId: string,
  now: Date = new Date(),
): Promise<{ readonly apiKey: string; readonly keyId: string }> {
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.seller(sellerId), ConsistentRead: true }));
  if (Item === undefined) throw new UnknownSellerError(`no seller "${sellerId}" in table ${ctx.tableName}; import the seller first`);
  const apiKey = generateApiKey();
  const hash = hashApiKey(apiKey);
  const keyId = hash.slice(0, 12);
  const createdAt = now.toISOString();
  await ctx.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: ctx.tableName,
            Item: { ...keys.apiKey(hash), kind: 'apiKey', sellerId, keyId, createdAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: ctx.tableName,
            Item: { ...keys.sellerApiKey(sellerId, keyId), kind: 'sellerApiKey', sellerId, keyId, apiKeyHash: hash, createdAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  );
  return { apiKey, keyId };
}

/** A seller's keys created with createSellerApiKey, oldest first. */
export async function listSellerApiKeys(ctx: { readonly doc: DynamoDBDocumentClient; readonly tableName: string }, sellerId: string): Promise<ListedApiKey[]> {
  const { Items } = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.sellerApiKey(sellerId, '').pk },
      ConsistentRead: true,
    }),
  );
  return (Items ?? [])
    .map((i) => ({ keyId: String(i.keyId), sellerId: String(i.sellerId), createdAt: String(i.createdAt) }))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/**
 * Revokes a seller's key by its key id: the hash item and the registry entry go in one
 * transaction. Returns false when the seller has no such key. Lookups stop finding it at once;
 * warm API containers stop trusting it within API_KEY_CACHE_SECONDS.
 */
export async function revokeSellerApiKey(
  ctx: { readonly doc: DynamoDBDocumentClient; readonly tableName: string },
  sellerId: string,
  keyId: string,
): Promise<boolean> {
  const registryKey = keys.sellerApiKey(sellerId, keyId);
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: registryKey, ConsistentRead: true }));
  if (Item === undefined || typeof Item.apiKeyHash !== 'string') return false;
  await ctx.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Delete: { TableName: ctx.tableName, Key: keys.apiKey(Item.apiKeyHash) } },
        { Delete: { TableName: ctx.tableName, Key: registryKey } },
      ],
    }),
  );
  return true;
}

/**
 * A small bounded cache with per-entry expiry, for what a warm container may reuse for a while
 * (connection records, API key lookups). The oldest entry goes first when full.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #maxEntries: number;

  constructor(maxEntries = 1000) {
    this.#maxEntries = maxEntries;
  }

  /** The live entry, if any (an expired one is dropped). */
  get(key: string, nowMs: number): { value: V } | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= nowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return { value: entry.value };
  }

  /** Stores a value for ttlMs. */
  set(key: string, value: V, ttlMs: number, nowMs: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt: nowMs + ttlMs });
  }
}
