import { fileURLToPath } from 'node:url';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
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
    expect(JSON.parse(stdout)).toMatchObject({ table: 'cli-import', files: { 'skus.json': 10, 'sellers.json': 2 } });
    const scan = await dynalite.client.send(new ScanCommand({ TableName: 'cli-import', Select: 'COUNT' }));
    expect(scan.Count).toBeGreaterThanOrEqual(10 + 2);
  });
});
