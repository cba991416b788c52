import { fileURLToPath } from 'node:url';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#store/keys.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { createApiKeyStore } from '#store/api-keys.ts';
import { createDocumentClient } from '#store/client.ts';
import { ensureTable } from '#store/table.ts';
import { runCli } from './main.ts';

const DATA = fileURLToPath(new URL('../../data/demo', import.meta.url));
let dynalite: DynaliteHandle;

beforeAll(async () => {
  dynalite = await startDynalite();
  await ensureTable(dynalite.client, 'cli-import');
});
afterAll(async () => {
  await dynalite.stop();
});

describe('silkroute import (real importer, dynalite)', () => {
  it('writes the demo network into the table named by --table at --endpoint', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      ['import', '--data', DATA, '--endpoint', dynalite.endpoint, '--table', 'cli-import', '--now', '2026-11-23T09:00:00+08:00'],
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} },
    );
    expect(stderr).toContain('skus.json: 10 items');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ table: 'cli-import', files: { 'skus.json': 10, 'sellers.json': 4 /* items: 2 sellers + their NETWORK references */ } });
    const scan = await dynalite.client.send(new ScanCommand({ TableName: 'cli-import', Select: 'COUNT' }));
    expect(scan.Count).toBeGreaterThanOrEqual(10 + 2);
  });
});

describe('silkroute keys (real store, dynalite)', () => {
  const cli = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
    return { code, stdout, stderr };
  };
  const at = () => ['--endpoint', dynalite.endpoint, '--table', 'cli-import'];

  it('creates a key shown once, lists it by id, revokes it, and refuses an unknown seller or key', async () => {
    expect((await cli(['import', '--data', DATA, ...at()])).code).toBe(0);
    const created = await cli(['keys', 'create', '--seller', 'yiwu-goods', ...at()]);
    expect(created.code).toBe(0);
    const apiKey = created.stdout.trim();
    expect(apiKey).toMatch(/^srk_[A-Za-z0-9_-]{43}$/);
    const keyId = /created key ([0-9a-f]{12}) for yiwu-goods/.exec(created.stderr)?.[1];
    expect(keyId).toBeDefined();
    const store = createApiKeyStore({ doc: createDocumentClient({ client: dynalite.client }), tableName: 'cli-import' });
    expect(await store.sellerFor(apiKey)).toBe('yiwu-goods');

    const listed = await cli(['keys', 'list', '--seller', 'yiwu-goods', ...at()]);
    expect(listed.stdout).toContain(keyId);
    expect(listed.stdout).not.toContain(apiKey);

    const revoked = await cli(['keys', 'revoke', '--seller', 'yiwu-goods', '--key-id', keyId!, ...at()]);
    expect([revoked.code, revoked.stderr]).toEqual([0, `revoked key ${keyId} of yiwu-goods; the API refuses it within 5 s\n`]);
    const fresh = createApiKeyStore({ doc: createDocumentClient({ client: dynalite.client }), tableName: 'cli-import' });
    expect(await fresh.sellerFor(apiKey)).toBeUndefined();

    const again = await cli(['keys', 'revoke', '--seller', 'yiwu-goods', '--key-id', keyId!, ...at()]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`--key-id: seller yiwu-goods has no key ${keyId}`);
    const nobody = await cli(['keys', 'create', '--seller', 'nobody', ...at()]);
    expect([nobody.code, nobody.stdout]).toEqual([2, '']);
    expect(nobody.stderr).toContain('no seller "nobody"');
    expect((await cli(['keys', 'rotate', '--seller', 'x'])).code).toBe(2);
  });

  it('registers a shop whose secret lives in Secrets Manager, printing the secret name only', async () => {
    const added = await cli(['connections', 'add', '--platform', 'woocommerce', '--shop', 'https://new.example', '--seller', 'yiwu-goods', '--secrets-prefix', 'silkroute/prod/webhooks/', ...at()]);
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('silkroute/prod/webhooks/woocommerce/https_3a//new.example\n');
  });

  it('registers an Amazon seller with the marketplace\'s shipping rules, and refuses a malformed rule naming the option', async () => {
    const added = await cli(['connections', 'add', '--platform', 'amazon', '--shop', 'A3TH9S8BH6GOGM', '--seller', 'yiwu-goods', '--secrets-prefix', 'silkroute/prod/webhooks/', '--allow-carriers', 'YunExpress, DHL', ...at()]);
    expect([added.code, added.stdout]).toEqual([0, 'silkroute/prod/webhooks/amazon/A3TH9S8BH6GOGM\n']);
    const doc = createDocumentClient({ client: dynalite.client });
    const { Item } = await doc.send(new GetCommand({ TableName: 'cli-import', Key: keys.connection('amazon', 'A3TH9S8BH6GOGM') }));
    expect(Item?.shipping).toEqual({ carriers: ['YunExpress', 'DHL'] });
    const bad = await cli(['connections', 'add', '--platform', 'amazon', '--shop', 'X', '--seller', 'yiwu-goods', '--secrets-prefix', 'p/', '--allow-carriers', 'A;B', ...at()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--allow-carriers');
    expect((await cli(['connections', 'add', '--platform', 'etsy', '--shop', 'X', '--seller', 'yiwu-goods', '--secrets-prefix', 'p/', ...at()])).stderr).toContain('tiktok-shop');
  });
});
