/**
 * Issue 12's rough edges, each written failing first:
 * - a count below what is reserved never shows a negative `available`: it reads 0 and says by how much the order book is short;
 * - a bad inbound.json writes nothing (not even stock) on `silkroute import`;
 * - a SKU removed from stock.json keeps its stock item while orders hold units of it.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { loadNetworkDir } from '#network/load.ts';
import { ValidationError } from '#shared/errors.ts';
import { commitDecision } from './commit.ts';
import { importNetworkDir } from './import.ts';
import { keys } from './keys.ts';
import { orderItem } from './orders.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import { readStockLevels, reportOnHand, reportStock } from './stock.ts';
import { NOW, decision, orderRecord, scanAll, takeStock, tinyNetwork, tinyTableWith } from './test-fixtures.ts';

let dynalite: DynaliteHandle;
let dir: string;
beforeAll(async () => {
  dynalite = await startDynalite();
  dir = await mkdtemp(join(tmpdir(), 'stock-edges-'));
});
afterAll(async () => {
  await dynalite.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a count below what is reserved', () => {
  it('reads available 0, never negative, and reports the shortfall', async () => {
    const ctx = await tinyTableWith(dynalite.endpoint, []);
    await reportOnHand(ctx, 'S1', { warehouseId: 'WH-1', sku: 'A', onHand: 10, asOf: NOW.toISOString() });
    const order = orderRecord('o-1', [{ sku: 'A', qty: 6 }]);
    await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: orderItem(order) }));
    await commitDecision({ ...ctx, order, decision: decision('o-1', 'warehouse:WH-1', 'overseas-warehouse'), reservations: takeStock(6), expectedVersion: 0, snapshot: buildSnapshot(tinyNetwork(), NOW) });
    const result = await reportStock(ctx, 'S1', [{ warehouseId: 'WH-1', sku: 'A', onHand: 4, asOf: new Date(NOW.getTime() + 60_000).toISOString() }]);
    expect(result).toMatchObject({ applied: 1, stale: 0, reserved: 6, short: [{ warehouseId: 'WH-1', sku: 'A', onHand: 4, reserved: 6, shortBy: 2 }] });
    const [level] = await readStockLevels(ctx, 'S1', [{ warehouseId: 'WH-1', sku: 'A' }]);
    expect(level).toMatchObject({ onHand: 4, reserved: 6, available: 0, shortBy: 2 });
  });
});

async function demoCopy(name: string): Promise<string> {
  const target = join(dir, name);
  await cp('data/demo', target, { recursive: true });
  return target;
}

describe('silkroute import with an inbound.json', () => {
  it('validates inbound.json before writing stock: a bad lot leaves the table as it was', async () => {
    const target = await demoCopy('bad-inbound');
    const ctx = await tinyTableWith(dynalite.endpoint, []);
    const before = await scanAll(ctx);
    const { snapshot } = await loadNetworkDir(target, { now: NOW, requireConnections: false });
    const lane = snapshot.railLanes.find((l) => l.departures.length > 0)!;
    await writeFile(join(target, 'inbound.json'), JSON.stringify([{ lotId: 'po-9', sellerId: 'tianmen-garments', departureId: lane.departures[0]!.id, warehouseId: lane.warehouseId, lines: [{ sku: 'NOPE', qty: 1 }] }]));
    await expect(importNetworkDir(target, { tableName: ctx.tableName, now: NOW, doc: ctx.doc, demo: true })).rejects.toBeInstanceOf(ValidationError);
    expect(await scanAll(ctx)).toEqual(before);
  });

  it('names a line whose quantity is not a whole number above 0, and a file that is not JSON', async () => {
    const target = await demoCopy('bad-qty');
    const ctx = await tinyTableWith(dynalite.endpoint, []);
    const before = await scanAll(ctx);
    const { snapshot } = await loadNetworkDir(target, { now: NOW, requireConnections: false });
    const lane = snapshot.railLanes.find((l) => l.departures.length > 0)!;
    const sku = snapshot.skus.find((s) => s.sellerId === 'tianmen-garments')!.sku;
    await writeFile(join(target, 'inbound.json'), JSON.stringify([{ lotId: 'po-9', sellerId: 'tianmen-garments', departureId: lane.departures[0]!.id, warehouseId: lane.warehouseId, lines: [{ sku, qty: 0 }] }]));
    const error = await importNetworkDir(target, { tableName: ctx.tableName, now: NOW, doc: ctx.doc, demo: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(JSON.stringify((error as ValidationError).issues)).toContain('[0].lines[0].qty');
    await writeFile(join(target, 'inbound.json'), '[{ not json');
    const broken = await importNetworkDir(target, { tableName: ctx.tableName, now: NOW, doc: ctx.doc, demo: true }).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(ValidationError);
    expect(JSON.stringify((broken as ValidationError).issues)).toContain('inbound.json');
    expect(await scanAll(ctx)).toEqual(before);
  });
});

describe('a SKU removed from stock.json', () => {
  it('keeps its stock item while orders hold units of it, and deletes it once none are held', async () => {
    const target = await demoCopy('removed-sku');
    const ctx = await tinyTableWith(dynalite.endpoint, []);
    await importNetworkDir(target, { tableName: ctx.tableName, now: NOW, doc: ctx.doc, demo: true });
    const stock = JSON.parse(await readFile(join(target, 'stock.json'), 'utf8')) as { sellerId: string; warehouseId: string; sku: string; available: number }[];
    const [held, idle] = stock.filter((s) => s.available > 0);
    const key = (s: { sellerId: string; warehouseId: string; sku: string }) => keys.stock(s.sellerId, s.warehouseId, s.sku);
    // An order holds one unit of `held`.
    await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: { ...key(held!), reserved: 1, onHand: held!.available, available: held!.available - 1, safetyStock: 0, asOf: NOW.toISOString(), kind: 'stock', sellerId: held!.sellerId, warehouseId: held!.warehouseId, sku: held!.sku } }));
    await writeFile(join(target, 'stock.json'), JSON.stringify(stock.filter((s) => s !== held && s !== idle)));
    const lines: string[] = [];
    await importNetworkDir(target, { tableName: ctx.tableName, now: new Date(NOW.getTime() + 1000), doc: ctx.doc, demo: true, log: (l) => lines.push(l) });
    const get = async (s: typeof held) => (await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: key(s!), ConsistentRead: true }))).Item;
    expect(await get(held)).toMatchObject({ reserved: 1 });
    expect(await get(idle)).toBeUndefined();
    expect(lines.join('\n')).toContain('kept 1 stock item no longer in stock.json: orders still hold units of it');
  });
});
