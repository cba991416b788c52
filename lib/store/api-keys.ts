/**
 * API keys → seller. Keys are stored by their SHA-256 (hex) only, as
 * `{ ...keys.apiKey(hash), sellerId }` (written by the import, lib/store/import.ts); a key in
 * clear never touches the table or a log.
 */
import { createHash } from 'node:crypto';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';

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
  readonly clock?: () => number;
}

/** An API key store over the table, with a short positive and negative cache. */
export function createApiKeyStore(options: ApiKeyStoreOptions): ApiKeyStore {
  const { doc, tableName } = options;
  const maxAgeMs = (options.maxAgeSeconds ?? 60) * 1000;
  const clock = options.clock ?? Date.now;
  const cache = new TtlCache<string | undefined>();
  return {
    async sellerFor(apiKey) {
      const hash = hashApiKey(apiKey);
      const cached = cache.get(hash, clock());
      if (cached !== undefined) return cached.value;
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.apiKey(hash) }));
      const sellerId = typeof Item?.sellerId === 'string' && Item.sellerId !== '' ? Item.sellerId : undefined;
      cache.set(hash, sellerId, maxAgeMs, clock());
      return sellerId;
    },
  };
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
