import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSecretsManager, type SecretsManagerTwin } from '#infra/local/secrets-manager.ts';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { createApiKeyStore, hashApiKey } from './api-keys.ts';
import { createDocumentClient } from './client.ts';
import { ConnectionSecretError, createConnectionStore } from './connections.ts';
import { keys } from './keys.ts';
import { ensureTable } from './table.ts';

const tableName = 'connections';
let dynamo: DynaliteHandle;
let secretsTwin: SecretsManagerTwin;
let sm: SecretsManagerClient;
let doc: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  dynamo = await startDynalite();
  doc = createDocumentClient({ client: dynamo.client });
  await ensureTable(dynamo.client, tableName);
  secretsTwin = await startSecretsManager();
  sm = new SecretsManagerClient({ endpoint: secretsTwin.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  // The layout the import writes (lib/store/import.ts).
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.connection('shopify', 'tianmen-garments.myshopify.com'), platform: 'shopify', shop: 'tianmen-garments.myshopify.com', sellerId: 'tianmen-garments', secretName: 'silkroute/test/webhooks/shopify/tianmen-garments.myshopify.com' },
    }),
  );
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.connection('woocommerce', 'https://broken.example'), platform: 'woocommerce', shop: 'https://broken.example', sellerId: 'yiwu-goods', secretName: 'silkroute/test/webhooks/woocommerce/missing' },
    }),
  );
  await sm.send(new CreateSecretCommand({ Name: 'silkroute/test/webhooks/shopify/tianmen-garments.myshopify.com', SecretString: JSON.stringify({ current: 'new-secret', previous: 'old-secret' }) }));
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.apiKey(hashApiKey('demo-key-tianmen-garments-0001')), sellerId: 'tianmen-garments' } }));
});
afterAll(async () => {
  sm?.destroy();
  await secretsTwin?.stop();
  await dynamo?.stop();
});

function provider() {
  // Powertools' SecretsProvider over the SDK client, as in the Lambda (where the endpoint comes from the environment).
  return new SecretsProvider({ awsSdkV3Client: sm });
}

describe('connection store (dynalite + Secrets Manager twin + Powertools Parameters)', () => {
  it('resolves a connection with its seller and both secrets of a rotation', async () => {
    const store = createConnectionStore({ doc, tableName, secrets: provider() });
    expect(await store.get('shopify', 'tianmen-garments.myshopify.com')).toEqual({
      platform: 'shopify',
      shop: 'tianmen-garments.myshopify.com',
      sellerId: 'tianmen-garments',
      secretName: 'silkroute/test/webhooks/shopify/tianmen-garments.myshopify.com',
      secrets: { current: 'new-secret', previous: 'old-secret' },
    });
  });

  it('resolves a TikTok Shop connection with its shipping rules and the credentials kept beside its secret (ADR 0043)', async () => {
    const secretName = 'silkroute/test/webhooks/tiktok-shop/7494049642642441621';
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.connection('tiktok-shop', '7494049642642441621'),
          platform: 'tiktok-shop',
          shop: '7494049642642441621',
          sellerId: 'yiwu-goods',
          secretName,
          shipping: { carriers: ['TikTok Shop Logistics'], note: 'platform logistics only' },
        },
      }),
    );
    await sm.send(new CreateSecretCommand({ Name: secretName, SecretString: JSON.stringify({ current: 'app-secret', appKey: '6a6xxx', shopCipher: 'ROW_x', accessToken: 'ROW_token' }) }));
    const store = createConnectionStore({ doc, tableName, secrets: provider() });
    expect(await store.get('tiktok-shop', '7494049642642441621')).toEqual({
      platform: 'tiktok-shop',
      shop: '7494049642642441621',
      sellerId: 'yiwu-goods',
      secretName,
      shipping: { carriers: ['TikTok Shop Logistics'], note: 'platform logistics only' },
      secrets: { current: 'app-secret' },
      credentials: { appKey: '6a6xxx', shopCipher: 'ROW_x', accessToken: 'ROW_token' },
    });
  });

  it('an unknown shop is undefined, and asking again within a minute does not read the table', async () => {
    const store = createConnectionStore({ doc, tableName, secrets: provider() });
    const send = vi.spyOn(doc, 'send');
    try {
      expect(await store.get('shopify', 'nobody.myshopify.com')).toBeUndefined();
      expect(await store.get('shopify', 'nobody.myshopify.com')).toBeUndefined();
      expect(send).toHaveBeenCalledTimes(1);
    } finally {
      send.mockRestore();
    }
  });

  it('caches the secret for maxAge, and refresh fetches a rotated one at most once per interval', async () => {
    let clock = 1_000_000;
    const store = createConnectionStore({ doc, tableName, secrets: provider(), clock: () => clock, refreshIntervalSeconds: 30 });
    const first = (await store.get('shopify', 'tianmen-garments.myshopify.com'))!;
    await sm.send(new PutSecretValueCommand({ SecretId: first.secretName, SecretString: JSON.stringify({ current: 'newest-secret', previous: 'new-secret' }) }));
    expect((await store.get('shopify', 'tianmen-garments.myshopify.com'))!.secrets.current).toBe('new-secret');
    const refreshed = await store.refresh(first);
    expect(refreshed?.secrets).toEqual({ current: 'newest-secret', previous: 'new-secret' });
    expect(await store.refresh(first)).toBeUndefined();
    clock += 31_000;
    expect(await store.refresh(first)).toBeDefined();
  });

  it('a connection whose secret is missing or malformed is our fault, a ConnectionSecretError', async () => {
    const store = createConnectionStore({ doc, tableName, secrets: provider() });
    await expect(store.get('woocommerce', 'https://broken.example')).rejects.toBeInstanceOf(ConnectionSecretError);
    const malformed = createConnectionStore({ doc, tableName, secrets: { get: async () => '{"previous":"x"}' } });
    await expect(malformed.get('shopify', 'tianmen-garments.myshopify.com')).rejects.toThrow(/is not \{"current","previous"\?\}/);
    const notJson = createConnectionStore({ doc, tableName, secrets: { get: async () => 'plain-secret' } });
    await expect(notJson.get('shopify', 'tianmen-garments.myshopify.com')).rejects.toThrow(/is not JSON/);
  });

  it('reads secrets only under its WEBHOOK_SECRETS_PREFIX, refusing others by name before any call', async () => {
    let calls = 0;
    const counting = { get: async () => (calls++, JSON.stringify({ current: 'c' })) };
    const ours = createConnectionStore({ doc, tableName, secrets: counting, secretsPrefix: 'silkroute/test/webhooks/' });
    await expect(ours.get('shopify', 'tianmen-garments.myshopify.com')).resolves.toMatchObject({ secrets: { current: 'c' } });
    expect(calls).toBe(1);
    const otherStage = createConnectionStore({ doc, tableName, secrets: counting, secretsPrefix: 'silkroute/prod/webhooks/' });
    const refused = otherStage.get('shopify', 'tianmen-garments.myshopify.com');
    await expect(refused).rejects.toBeInstanceOf(ConnectionSecretError);
    await expect(refused).rejects.toThrow(/silkroute\/test\/webhooks\/shopify\/tianmen-garments\.myshopify\.com is not under silkroute\/prod\/webhooks\//);
    expect(calls).toBe(1);
  });
});

describe('API key store', () => {
  it('hashes with SHA-256 hex', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('maps a key to its seller by hash, an unknown key to undefined, and caches lookups', async () => {
    const store = createApiKeyStore({ doc, tableName });
    const send = vi.spyOn(doc, 'send');
    try {
      expect(await store.sellerFor('demo-key-tianmen-garments-0001')).toBe('tianmen-garments');
      expect(await store.sellerFor('demo-key-tianmen-garments-0001')).toBe('tianmen-garments');
      expect(await store.sellerFor('demo-key-tianmen-garments-0002')).toBeUndefined();
      expect(send).toHaveBeenCalledTimes(2);
    } finally {
      send.mockRestore();
    }
  });
});
