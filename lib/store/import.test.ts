import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import type { Connection } from '#network/schemas.ts';
import { ValidationError } from '#shared/errors.ts';
import { hashApiKey } from './api-keys.ts';
import { addConnection, importNetworkDir, secretNameOf } from './import.ts';
import { keys } from './keys.ts';
import { NOW, freshTable, scanAll } from './test-fixtures.ts';

let dynalite: DynaliteHandle;
let workDir: string;

beforeAll(async () => {
  dynalite = await startDynalite();
  workDir = await mkdtemp(join(tmpdir(), 'silkroute-import-'));
});
afterAll(async () => {
  await dynalite.stop();
  await rm(workDir, { recursive: true, force: true });
});

/** A Secrets Manager that keeps values in a map and, like AWS, refuses names with other characters. */
function fakeSecretsManager() {
  const values = new Map<string, string>();
  const client = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(client);
  const fail = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 } });
  const validName = (name: string) => {
    if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) throw fail('ValidationException');
  };
  mock.on(GetSecretValueCommand).callsFake((input: { SecretId: string }) => {
    const value = values.get(input.SecretId);
    if (value === undefined) throw fail('ResourceNotFoundException');
    return { SecretString: value };
  });
  mock.on(CreateSecretCommand).callsFake((input: { Name: string; SecretString: string }) => {
    validName(input.Name);
    if (values.has(input.Name)) throw fail('ResourceExistsException');
    values.set(input.Name, input.SecretString);
    return {};
  });
  mock.on(PutSecretValueCommand).callsFake((input: { SecretId: string; SecretString: string }) => {
    if (!values.has(input.SecretId)) throw fail('ResourceNotFoundException');
    values.set(input.SecretId, input.SecretString);
    return {};
  });
  return { client, mock, values };
}

describe('importNetworkDir', () => {
  it('imports the demo directory; importing it again changes nothing', async () => {
    const ctx = await freshTable(dynalite.endpoint);
    const secrets = fakeSecretsManager();
    const lines: string[] = [];
    const options = { tableName: ctx.tableName, now: NOW, doc: ctx.doc, secrets: secrets.client, secretsPrefix: 'silkroute/test/webhooks/', log: (l: string) => lines.push(l), demo: true };

    const first = await importNetworkDir('data/demo', options);
    expect(first.files).toMatchObject({ 'sellers.json': 4 /* 2 sellers + their NETWORK references */, 'skus.json': 10, 'stock.json': 12, 'connections.json': 15, 'fx.json': 1 });
    expect(first.secrets).toEqual({ created: 5, updated: 0, unchanged: 0 });
    expect(lines).toContain('skus.json: 10 items');
    expect(lines.at(-1)).toMatch(/^imported \d+ items into t-/);
    const before = await scanAll(ctx);

    const second = await importNetworkDir('data/demo', options);
    expect(second.deleted).toBe(0);
    expect(second.secrets).toEqual({ created: 0, updated: 0, unchanged: 5 });
    expect(await scanAll(ctx)).toEqual(before);
    expect(secrets.mock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('stores connections with their secret name, API keys only as SHA-256, secrets as {"current"}', async () => {
    const ctx = await freshTable(dynalite.endpoint);
    const secrets = fakeSecretsManager();
    await importNetworkDir('data/demo', { tableName: ctx.tableName, now: NOW, doc: ctx.doc, secrets: secrets.client, secretsPrefix: 'p/', demo: true });
    const items = await scanAll(ctx);
    const connections = JSON.parse(await readFile('data/demo/connections.json', 'utf8')) as Connection[];
    const text = JSON.stringify(items);
    for (const c of connections) {
      expect(text).not.toContain(c.apiKey);
      expect(text).not.toContain(c.secret);
      const key = keys.connection(c.platform, c.shop);
      const name = secretNameOf('p/', c);
      expect(items.find((i) => i.pk === key.pk)).toMatchObject({ sellerId: c.sellerId, platform: c.platform, shop: c.shop, secretName: name });
      expect(items.find((i) => i.pk === keys.apiKey(hashApiKey(c.apiKey)).pk)).toMatchObject({ sellerId: c.sellerId });
      // Amazon's LWA client and TikTok Shop's app key and shop token travel with the secret, never into the table.
      expect(JSON.parse(secrets.values.get(name)!)).toEqual({ current: c.secret, ...c.credentials });
      for (const value of Object.values(c.credentials ?? {})) expect(text).not.toContain(value);
    }
    expect(secretNameOf('p/', { platform: 'woocommerce', shop: 'https://shop.yiwu-goods.example' })).toBe('p/woocommerce/https_3a//shop.yiwu-goods.example');
  });

  it('re-importing with open reservations keeps every reservation and the available count; an older count changes nothing', async () => {
    const ctx = await freshTable(dynalite.endpoint);
    const options = { tableName: ctx.tableName, now: NOW, doc: ctx.doc, secrets: fakeSecretsManager().client, secretsPrefix: 'p/', demo: true };
    await importNetworkDir('data/demo', options);
    const key = keys.stock('yiwu-goods', 'WH-MAD', 'UMB-3F');
    const before = (await scanAll(ctx)).find((i) => i.pk === key.pk && i.sk === key.sk)!;
    const onHand = before.onHand as number;
    // 8 units reserved the way the commit reserves them.
    await ctx.doc.send(new UpdateCommand({ TableName: ctx.tableName, Key: key, UpdateExpression: 'SET available = available - :q, reserved = if_not_exists(reserved, :z) + :q', ExpressionAttributeValues: { ':q': 8, ':z': 0 } }));
    const lines: string[] = [];
    await importNetworkDir('data/demo', { ...options, now: new Date(NOW.getTime() + 3_600_000), log: (l) => lines.push(l) });
    const after = (await scanAll(ctx)).find((i) => i.pk === key.pk && i.sk === key.sk)!;
    expect(after).toMatchObject({ onHand, reserved: 8, available: onHand - 8 });
    expect(lines.some((l) => /stock\.json: .*8 units reserved/.test(l))).toBe(true);
    // A count older than the stored one (out-of-order delivery) changes nothing.
    await importNetworkDir('data/demo', { ...options, now: new Date(NOW.getTime() - 3_600_000) });
    expect((await scanAll(ctx)).find((i) => i.pk === key.pk && i.sk === key.sk)).toEqual(after);
  });

  it('sets stock to the file count, and deletes what the directory no longer has', async () => {
    const ctx = await freshTable(dynalite.endpoint);
    const dir = join(workDir, 'changed');
    await cp('data/demo', dir, { recursive: true });
    const secrets = fakeSecretsManager();
    const options = { tableName: ctx.tableName, now: NOW, doc: ctx.doc, secrets: secrets.client, secretsPrefix: 'p/', demo: true };
    await importNetworkDir(dir, options);
    await ctx.doc.send(
      new UpdateCommand({ TableName: ctx.tableName, Key: keys.stock('yiwu-goods', 'WH-MAD', 'UMB-3F'), UpdateExpression: 'SET available = :a', ExpressionAttributeValues: { ':a': 7 } }),
    );

    // Drop CLIPS-6 (SKU and its stock), rotate the ERP's API key and secret, remove the Shopify shop.
    const json = async (name: string) => JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>[];
    const skus = (await json('skus.json')).filter((s) => s.sku !== 'CLIPS-6');
    const stock = (await json('stock.json')).filter((s) => s.sku !== 'CLIPS-6');
    const connections = (await json('connections.json'))
      .filter((c) => c.platform !== 'shopify')
      .map((c) => (c.platform === 'standard' ? { ...c, apiKey: 'demo-key-yiwu-goods-erp-0004', secret: 'whsec_bmV3', previousSecret: c.secret } : c));
    await writeFile(join(dir, 'skus.json'), JSON.stringify(skus));
    await writeFile(join(dir, 'stock.json'), JSON.stringify(stock));
    await writeFile(join(dir, 'connections.json'), JSON.stringify(connections));
    // A later count: the import's on-hand report is as of its `now`.
    const summary = await importNetworkDir(dir, { ...options, now: new Date(NOW.getTime() + 60_000) });

    const items = await scanAll(ctx);
    const has = (key: { pk: string; sk: string }) => items.some((i) => i.pk === key.pk && i.sk === key.sk);
    expect(items.find((i) => i.pk === 'SELLER#yiwu-goods' && i.sk === 'STOCK#WH-MAD#UMB-3F')?.available).toBe(240);
    expect(has(keys.sku('yiwu-goods', 'CLIPS-6'))).toBe(false);
    expect(has(keys.stock('yiwu-goods', 'WH-MAD', 'CLIPS-6'))).toBe(false);
    expect(has(keys.sku('yiwu-goods', 'SOCKS-5'))).toBe(true);
    expect(has(keys.apiKey(hashApiKey('demo-key-yiwu-goods-erp-0003')))).toBe(false);
    expect(has(keys.apiKey(hashApiKey('demo-key-yiwu-goods-erp-0004')))).toBe(true);
    expect(has(keys.apiKey(hashApiKey('demo-key-tianmen-garments-0001')))).toBe(false);
    expect(has(keys.connection('shopify', 'tianmen-garments.myshopify.com'))).toBe(false);
    expect(has(keys.connection('standard', 'erp.yiwu-goods.example'))).toBe(true);
    // SKU + 2 stock records + the Shopify connection, key and registry entry + the old ERP key.
    expect(summary.deleted).toBe(7);
    expect(summary.secrets).toEqual({ created: 0, updated: 1, unchanged: 3 });
    const erp = secrets.values.get(secretNameOf('p/', { platform: 'standard', shop: 'erp.yiwu-goods.example' }))!;
    expect(JSON.parse(erp)).toEqual({ current: 'whsec_bmV3', previous: 'whsec_ZGVtby1zdGFuZGFyZC13ZWJob29rcy1zZWNyZXQteWl3dQ==' });
  });

  it('writes nothing when the directory is invalid', async () => {
    const ctx = await freshTable(dynalite.endpoint);
    const dir = join(workDir, 'broken');
    await cp('data/demo', dir, { recursive: true });
    await writeFile(join(dir, 'fx.json'), '{"base": "USD"}');
    await expect(importNetworkDir(dir, { tableName: ctx.tableName, now: NOW, doc: ctx.doc })).rejects.toBeInstanceOf(ValidationError);
    expect(await scanAll(ctx)).toEqual([]);
  });

  it('builds its own client from an endpoint (the CLI path)', async () => {
    const ctx = await freshTable(dynalite.endpoint);
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    try {
      const summary = await importNetworkDir('data/demo', { endpoint: dynalite.endpoint, tableName: ctx.tableName, now: NOW, demo: true });
      expect(summary.files['sellers.json']).toBe(4) // 2 sellers, each with its NETWORK reference;
    } finally {
      for (const name of ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
    expect((await scanAll(ctx)).some((i) => i.pk === 'SELLER#tianmen-garments' && i.sk === 'SELLER')).toBe(true);
  });
});

describe('importNetworkDir outside the demo', () => {
  it('refuses a connections.json with webhook secrets and weak keys, naming each, and writes nothing', async () => {
    const ctx = await freshTable(dynalite.endpoint);
    const error = (await importNetworkDir('data/demo', { tableName: ctx.tableName, now: NOW, doc: ctx.doc, secretsPrefix: 'silkroute/prod/webhooks/' }).catch(
      (e: unknown) => e,
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    const paths = error.issues.map((i) => `${i.file}: ${i.path}`);
    expect(paths).toEqual([
      'connections.json: [0].secret',
      'connections.json: [0].apiKey',
      'connections.json: [1].secret',
      'connections.json: [1].apiKey',
      'connections.json: [2].secret',
      'connections.json: [2].apiKey',
      'connections.json: [3].secret',
      'connections.json: [3].apiKey',
      'connections.json: [4].secret',
      'connections.json: [4].apiKey',
    ]);
    expect(error.issues[0]!.message).toMatch(/create the secret silkroute\/prod\/webhooks\/shopify\/tianmen-garments\.myshopify\.com in Secrets Manager/);
    expect(error.issues[1]!.message).toMatch(/silkroute keys create --seller/);
    expect(await scanAll(ctx)).toEqual([]);
  });

  it('imports a directory without connections.json and leaves registered connections alone', async () => {
    const ctx = await freshTable(dynalite.endpoint);
    const dir = join(workDir, 'deploy');
    await cp('data/demo', dir, { recursive: true });
    await rm(join(dir, 'connections.json'));
    await importNetworkDir(dir, { tableName: ctx.tableName, now: NOW, doc: ctx.doc });
    const secretName = await addConnection(ctx, { platform: 'shopify', shop: 'tianmen-garments.myshopify.com', sellerId: 'tianmen-garments' }, 'silkroute/prod/webhooks/');
    expect(secretName).toBe('silkroute/prod/webhooks/shopify/tianmen-garments.myshopify.com');
    await importNetworkDir(dir, { tableName: ctx.tableName, now: NOW, doc: ctx.doc });
    const items = await scanAll(ctx);
    expect(items.find((i) => i.pk === keys.connection('shopify', 'tianmen-garments.myshopify.com').pk)).toMatchObject({ sellerId: 'tianmen-garments', secretName });
    expect(items.some((i) => typeof i.secret === 'string' || String(i.pk).startsWith('APIKEY#'))).toBe(false);
    await expect(addConnection(ctx, { platform: 'shopify', shop: 'x.myshopify.com', sellerId: 'nobody' }, 'p/')).rejects.toThrow(/no seller "nobody"/);
  });
});
