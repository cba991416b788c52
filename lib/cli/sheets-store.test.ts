import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { loadNetworkDir } from '#network/load.ts';
import type { NetworkFiles } from '#network/types.ts';
import { readStoredNetwork } from '#store/export.ts';
import { ensureTable } from '#store/table.ts';
import { runCli } from './main.ts';

const DATA = fileURLToPath(new URL('../../data/demo', import.meta.url));
const NOW = '2026-11-23T09:00:00+08:00';
let dynalite: DynaliteHandle;
let dir: string;

beforeAll(async () => {
  dynalite = await startDynalite();
  dir = await mkdtemp(join(tmpdir(), 'silkroute-sheets-store-'));
});
afterAll(async () => {
  await dynalite.stop();
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

/** The stored order is by key, a directory's by line: compare record sets. */
function sorted(files: NetworkFiles): NetworkFiles {
  const by = <T>(list: readonly T[], key: (t: T) => string) => [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    ...files,
    sellers: by(files.sellers, (s) => s.id),
    skus: by(files.skus, (s) => `${s.sellerId}\u0000${s.sku}`),
    stock: by(files.stock, (s) => `${s.sellerId}\u0000${s.warehouseId}\u0000${s.sku}`),
    parcelServices: by(files.parcelServices, (s) => s.id),
    railLanes: by(files.railLanes, (l) => l.id),
    warehouses: by(files.warehouses, (w) => w.id),
  };
}

describe('import --xlsx and export --xlsx (dynalite)', () => {
  it('imports the demo workbook, exports it back with every value, and re-imports the export only with a connections sheet', async () => {
    const table = 'sheets-round-trip';
    await ensureTable(dynalite.client, table);
    const workbook = join(dir, 'network.xlsx');
    expect((await cli(['template', '--data', DATA, '--xlsx', workbook])).code).toBe(0);

    const imported = await cli(['import', '--xlsx', workbook, '--endpoint', dynalite.endpoint, '--table', table, '--now', NOW]);
    expect(imported.stderr).toContain('skus.json: 10 items');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ table, files: { 'skus.json': 10, 'sellers.json': 4 /* items: 2 sellers + their NETWORK references */, 'connections.json': 9 } });

    const exported = join(dir, 'exported.xlsx');
    const out = await cli(['export', '--xlsx', exported, '--endpoint', dynalite.endpoint, '--table', table]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`wrote ${exported} from ${table}: 2 sellers, 10 SKUs`);
    const demo = await loadNetworkDir(DATA, { now: new Date(NOW) });
    const back = await loadNetworkDir(exported, { now: new Date(NOW) });
    expect(sorted(back.files)).toEqual(sorted(demo.files));
    expect(back.connections).toEqual([]);

    // The export has no connections sheet: importing it would revoke every shop, so it is refused.
    const before = await dynalite.client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }));
    const refused = await cli(['import', '--xlsx', exported, '--endpoint', dynalite.endpoint, '--table', table, '--now', NOW]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('sheet "connections": missing: importing without it would remove every stored shop connection and API key');
    const after = await dynalite.client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }));
    expect(after.Count).toBe(before.Count);
  });

  it('writes nothing when a sheet is invalid', async () => {
    const table = 'sheets-invalid';
    await ensureTable(dynalite.client, table);
    const workbook = join(dir, 'template.xlsx');
    expect((await cli(['template', '--xlsx', workbook])).code).toBe(0);
    const result = await cli(['import', '--xlsx', workbook, '--endpoint', dynalite.endpoint, '--table', table, '--now', NOW]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('fx!A3 base: required (expected "EUR")');
    const scan = await dynalite.client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }));
    expect(scan.Count).toBe(0);
  });

  it('says so when the table holds no network, exit 2', async () => {
    await ensureTable(dynalite.client, 'sheets-empty');
    const result = await cli(['export', '--xlsx', join(dir, 'empty.xlsx'), '--endpoint', dynalite.endpoint, '--table', 'sheets-empty']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--table: sheets-empty: the network has no duties or FX item: import a data directory first');
  });

  it('reads the stored network with the reference readers, sellers in id order', async () => {
    const table = 'sheets-read';
    await ensureTable(dynalite.client, table);
    expect((await cli(['import', '--data', DATA, '--endpoint', dynalite.endpoint, '--table', table, '--now', NOW])).code).toBe(0);
    const { documentClient } = await import('#store/test-fixtures.ts');
    const files = await readStoredNetwork({ tableName: table, doc: documentClient(dynalite.endpoint) });
    expect(files.sellers.map((s) => s.id)).toEqual(['tianmen-garments', 'yiwu-goods']);
    expect(files.skus).toHaveLength(10);
  });
});
