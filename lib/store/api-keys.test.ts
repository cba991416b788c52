/**
 * API keys: created with 256 random bits and shown once (stored as a hash), listed by key id,
 * revoked so the API refuses them within API_KEY_CACHE_SECONDS; weak keys refused outside the demo.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import {
  API_KEY_CACHE_SECONDS,
  createApiKeyStore,
  createSellerApiKey,
  estimateKeyEntropyBits,
  generateApiKey,
  hashApiKey,
  listSellerApiKeys,
  MIN_IMPORTED_KEY_BITS,
  revokeSellerApiKey,
  UnknownSellerError,
  weakKeyProblem,
} from './api-keys.ts';
import { keys } from './keys.ts';
import { scanAll, freshTable, NOW, tinyNetwork } from './test-fixtures.ts';
import { writeReference } from './reference.ts';
import type { StoreContext } from './batch.ts';

let dynalite: DynaliteHandle;
let ctx: StoreContext;
beforeAll(async () => {
  dynalite = await startDynalite();
  ctx = await freshTable(dynalite.endpoint);
  await writeReference(ctx, tinyNetwork());
});
afterAll(async () => dynalite.stop());

describe('API keys', () => {
  it('creates a 256-bit key for an existing seller, stored only as its hash, and refuses an unknown seller', async () => {
    const { apiKey, keyId } = await createSellerApiKey(ctx, 'S1', NOW);
    expect(apiKey).toMatch(/^srk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(apiKey.slice(4), 'base64url')).toHaveLength(32);
    expect(keyId).toBe(hashApiKey(apiKey).slice(0, 12));
    const items = await scanAll(ctx);
    expect(JSON.stringify(items)).not.toContain(apiKey);
    const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.apiKey(hashApiKey(apiKey)) }));
    expect(Item).toMatchObject({ sellerId: 'S1', keyId });
    expect(await listSellerApiKeys(ctx, 'S1')).toContainEqual({ keyId, sellerId: 'S1', createdAt: NOW.toISOString() });
    await expect(createSellerApiKey(ctx, 'nobody', NOW)).rejects.toBeInstanceOf(UnknownSellerError);
    // Two keys never collide.
    expect(generateApiKey()).not.toBe(generateApiKey());
  });

  it('a revoked key is refused within API_KEY_CACHE_SECONDS by a warm container that had trusted it', async () => {
    let now = 1_000_000;
    const store = createApiKeyStore({ ...ctx, clock: () => now });
    const { apiKey, keyId } = await createSellerApiKey(ctx, 'S1', NOW);
    expect(await store.sellerFor(apiKey)).toBe('S1');
    expect(await revokeSellerApiKey(ctx, 'S1', keyId)).toBe(true);
    expect(await revokeSellerApiKey(ctx, 'S1', keyId)).toBe(false);
    now += API_KEY_CACHE_SECONDS * 1000;
    expect(await store.sellerFor(apiKey)).toBeUndefined();
    expect(API_KEY_CACHE_SECONDS).toBeLessThanOrEqual(5);
    expect((await listSellerApiKeys(ctx, 'S1')).map((k) => k.keyId)).not.toContain(keyId);
  });

  it('an unknown key is remembered as unknown for a second only, so a new key works at once', async () => {
    let now = 2_000_000;
    const store = createApiKeyStore({ ...ctx, clock: () => now });
    const { apiKey } = await createSellerApiKey(ctx, 'S1', NOW);
    const other = createApiKeyStore({ ...ctx, clock: () => now });
    expect(await other.sellerFor('srk_unknown')).toBeUndefined();
    now += 1000;
    expect(await store.sellerFor(apiKey)).toBe('S1');
  });

  it('measures entropy: generated keys pass the bar, the demo pattern and short keys do not', () => {
    for (let i = 0; i < 20; i++) expect(estimateKeyEntropyBits(generateApiKey())).toBeGreaterThanOrEqual(MIN_IMPORTED_KEY_BITS + 40);
    expect(weakKeyProblem(generateApiKey())).toBeUndefined();
    for (const weak of ['demo-key-tianmen-garments-0001', 'demo-key-yiwu-goods-erp-0003', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '0123456789abcdef']) {
      expect(weakKeyProblem(weak), weak).toMatch(/at least 128 bits of entropy outside the demo; this one has about \d+/);
    }
  });
});
