/**
 * Marketplace connections: which seller a (platform, shop) belongs to and where its webhook
 * secret lives. The record is written by the import (lib/store/import.ts) as
 * `{ ...keys.connection(platform, shop), platform, shop, sellerId, secretName }`; the secret value
 * is JSON `{"current": "...", "previous"?: "..."}` in Secrets Manager, read through Powertools
 * Parameters with a maxAge cache. The SDK takes its endpoint from the environment, so the local
 * twin's Secrets Manager serves the same code.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
// A namespace import lets esbuild drop what is unused (the named `z` drags in all of zod and its locales).
import * as z from 'zod';
import { ConnectionCredentials, ShippingRules, type Platform } from '#network/schemas.ts';
import { SilkrouteError } from '#shared/errors.ts';
import type { WebhookSecrets } from '#marketplaces/signature.ts';
import { keys } from './keys.ts';
import { TtlCache } from './api-keys.ts';

/** The connection item, as stored. */
export interface ConnectionRecord {
  readonly platform: Platform;
  readonly shop: string;
  readonly sellerId: string;
  readonly secretName: string;
  /** The marketplace's shipping rules (ADR 0044); absent: every service is allowed. */
  readonly shipping?: ShippingRules;
}

export interface ResolvedConnection extends ConnectionRecord {
  readonly secrets: WebhookSecrets;
  /** What fetching orders needs besides the secret (Amazon's LWA app, TikTok Shop's app key and shop token; ADR 0043). */
  readonly credentials?: ConnectionCredentials;
}

/** Where secret values come from (Powertools' SecretsProvider has this shape). */
export interface SecretSource {
  get(name: string, options: { maxAge: number; forceFetch?: boolean }): Promise<unknown>;
}

/** A connection exists but its secret is missing or malformed: our configuration, not the sender's fault. */
export class ConnectionSecretError extends SilkrouteError {
  override readonly name: string = 'ConnectionSecretError';
}

const SecretValue = ConnectionCredentials.extend({ current: z.string().min(1), previous: z.string().min(1).optional() });

export interface ConnectionStore {
  /** The connection with its secrets, or undefined when no such shop is connected. */
  get(platform: Platform, shop: string): Promise<ResolvedConnection | undefined>;
  /**
   * The same connection with its secrets fetched again, bypassing the cache — for a signature
   * that failed while a rotation may be under way. At most once per interval per secret, so
   * forged requests cannot turn into a Secrets Manager call each.
   */
  refresh(connection: ResolvedConnection): Promise<ResolvedConnection | undefined>;
}

export interface ConnectionStoreOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Defaults to a Powertools SecretsProvider with the SDK's default client. */
  readonly secrets?: SecretSource;
  /** How long a warm container reuses a secret value and a connection record. */
  readonly maxAgeSeconds?: number;
  readonly refreshIntervalSeconds?: number;
  readonly clock?: () => number;
  /**
   * WEBHOOK_SECRETS_PREFIX: the only names this function may read (its IAM grant). A connection
   * naming a secret elsewhere is refused as a ConnectionSecretError naming both, before any call
   * that IAM would deny with a bare AccessDenied. No check when absent (tools, tests).
   */
  readonly secretsPrefix?: string;
}

/** A connection store reading the table and Secrets Manager, caching both for maxAgeSeconds. */
export function createConnectionStore(options: ConnectionStoreOptions): ConnectionStore {
  const { doc, tableName } = options;
  const maxAge = options.maxAgeSeconds ?? 300;
  const refreshIntervalMs = (options.refreshIntervalSeconds ?? 30) * 1000;
  const clock = options.clock ?? Date.now;
  let secrets = options.secrets;
  const records = new TtlCache<ConnectionRecord | undefined>();
  const lastForced = new TtlCache<true>();

  async function readSecret(name: string, forceFetch: boolean): Promise<{ secrets: WebhookSecrets; credentials?: ConnectionCredentials }> {
    if (options.secretsPrefix !== undefined && !name.startsWith(options.secretsPrefix)) {
      throw new ConnectionSecretError(`webhook secret ${name} is not under ${options.secretsPrefix}, the only prefix this function may read`);
    }
    // Created on first use: a container that never verifies a webhook never builds the client.
    secrets ??= new SecretsProvider();
    let raw: unknown;
    try {
      raw = await secrets.get(name, { maxAge, forceFetch });
    } catch (error) {
      throw new ConnectionSecretError(`webhook secret ${name} could not be read`, { cause: error });
    }
    const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : undefined;
    let parsed: unknown;
    try {
      parsed = text === undefined ? undefined : JSON.parse(text);
    } catch (error) {
      throw new ConnectionSecretError(`webhook secret ${name} is not JSON`, { cause: error });
    }
    const value = SecretValue.safeParse(parsed);
    if (!value.success) throw new ConnectionSecretError(`webhook secret ${name} is not {"current","previous"?}`);
    const { current, previous, ...credentials } = value.data;
    return { secrets: previous === undefined ? { current } : { current, previous }, ...(Object.keys(credentials).length > 0 ? { credentials } : {}) };
  }

  async function readRecord(platform: Platform, shop: string): Promise<ConnectionRecord | undefined> {
    const cacheKey = `${platform}#${shop}`;
    const cached = records.get(cacheKey, clock());
    if (cached !== undefined) return cached.value;
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.connection(platform, shop) }));
    const record =
      Item === undefined
        ? undefined
        : {
            platform,
            shop,
            sellerId: String(Item.sellerId),
            secretName: String(Item.secretName),
            // A malformed stored rule is dropped rather than trusted half-way; the import validated it.
            ...(Item.shipping === undefined ? {} : ShippingRules.safeParse(Item.shipping).success ? { shipping: ShippingRules.parse(Item.shipping) } : {}),
          };
    // Unknown shops are remembered briefly too, so a flood of made-up shop names costs one read each per minute.
    records.set(cacheKey, record, (record === undefined ? 60 : maxAge) * 1000, clock());
    return record;
  }

  return {
    async get(platform, shop) {
      const record = await readRecord(platform, shop);
      if (record === undefined) return undefined;
      return { ...record, ...(await readSecret(record.secretName, false)) };
    },
    async refresh(connection) {
      const now = clock();
      if (lastForced.get(connection.secretName, now) !== undefined) return undefined;
      lastForced.set(connection.secretName, true, refreshIntervalMs, now);
      return { ...connection, ...(await readSecret(connection.secretName, true)) };
    },
  };
}
