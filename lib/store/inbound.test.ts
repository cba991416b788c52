import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '#shared/errors.ts';
import { loadNetworkDir } from '#network/load.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { importNetworkDir } from './import.ts';
import { OutOfCapacityError } from './errors.ts';
import { arrivalDate, bookInbound, readLots } from './inbound.ts';
import { keys } from './keys.ts';
import { setDepartureCapacity } from './reference.ts';
import { NOW, tinyTableWith } from './test-fixtures.ts';

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => dynalite.stop());

const lot = (lotId: string, litres: number) => ({
  lotId,
  sellerId: 'S1',
  departureId: 'D1',
  laneId: 'L1',
  warehouseId: 'WH-1',
  lines: [{ sku: 'A', qty: 20 }],
  litres,
  arrivesOn: '2026-12-20',
  snapshotCapacityLitres: 1000,
  now: NOW,
});

describe('bookInbound', () => {
  it('books the departure and records the lot in one transaction; the same lot again books nothing twice', async () => {
    const ctx = await tinyTableWith(dynalite.endpoint, []);
    expect(await bookInbound(ctx, lot('po-1', 600))).toMatchObject({ kind: 'booked' });
    expect(await bookInbound(ctx, lot('po-1', 600))).toMatchObject({ kind: 'already-booked', lot: { lotId: 'po-1', litres: 600 } });
    const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.departure('D1'), ConsistentRead: true }));
    expect(Item).toMatchObject({ usedLitres: 600, freeLitres: 400 });
    expect((await readLots(ctx, 'S1')).map((l) => l.lotId)).toEqual(['po-1']);
  });

  it('refuses a lot the train has no room for, naming the departure, and records nothing; a cut counts', async () => {
    const ctx = await tinyTableWith(dynalite.endpoint, []);
    await bookInbound(ctx, lot('po-1', 600));
    await expect(bookInbound(ctx, lot('po-2', 401))).rejects.toBeInstanceOf(OutOfCapacityError);
    await setDepartureCapacity(ctx, { departureId: 'D1', laneId: 'L1', capacityLitres: 700 });
    await expect(bookInbound(ctx, lot('po-3', 101))).rejects.toThrow(/departure D1/);
    expect(await bookInbound(ctx, lot('po-4', 100))).toMatchObject({ kind: 'booked' });
    expect((await readLots(ctx, 'S1')).map((l) => l.lotId).sort()).toEqual(['po-1', 'po-4']);
  });

  it('names what is wrong with a lot that is not whole', async () => {
    const ctx = await tinyTableWith(dynalite.endpoint, []);
    await expect(bookInbound(ctx, { ...lot('po-x', 0), lines: [{ sku: 'A', qty: 0 }] })).rejects.toThrow(/line A: qty must be a whole number > 0.*litres must be/);
  });

  it('survives a re-import of the seller\'s directory', async () => {
    const ctx = await tinyTableWith(dynalite.endpoint, []);
    await importNetworkDir('data/demo', { tableName: ctx.tableName, now: NOW, doc: ctx.doc, demo: true });
    await bookInbound(ctx, { ...lot('po-keep', 10), sellerId: 'yiwu-goods' });
    await importNetworkDir('data/demo', { tableName: ctx.tableName, now: new Date(NOW.getTime() + 1000), doc: ctx.doc, demo: true });
    expect((await readLots(ctx, 'yiwu-goods')).map((l) => l.lotId)).toEqual(['po-keep']);
  });

  it('silkroute import books the lots of an optional inbound.json once, and names a lot that does not fit the network', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inbound-'));
    try {
      await cp('data/demo', dir, { recursive: true });
      const { snapshot } = await loadNetworkDir(dir, { now: NOW, requireConnections: false });
      const lane = snapshot.railLanes.find((l) => l.departures.length > 0)!;
      const departure = lane.departures[0]!;
      const sku = snapshot.skus.find((s) => s.sellerId === 'tianmen-garments')!;
      await writeFile(join(dir, 'inbound.json'), JSON.stringify([{ lotId: 'po-7', sellerId: 'tianmen-garments', departureId: departure.id, warehouseId: lane.warehouseId, lines: [{ sku: sku.sku, qty: 50 }] }]));
      const ctx = await tinyTableWith(dynalite.endpoint, []);
      const lines: string[] = [];
      await importNetworkDir(dir, { tableName: ctx.tableName, now: NOW, doc: ctx.doc, demo: true, log: (l) => lines.push(l) });
      await importNetworkDir(dir, { tableName: ctx.tableName, now: new Date(NOW.getTime() + 1000), doc: ctx.doc, demo: true, log: (l) => lines.push(l) });
      expect(lines.filter((l) => l.startsWith('inbound.json'))).toEqual(['inbound.json: 1 lots in transit (1 newly booked on their departures)', 'inbound.json: 1 lots in transit (0 newly booked on their departures)']);
      const lots = await readLots(ctx, 'tianmen-garments');
      expect(lots).toMatchObject([{ lotId: 'po-7', departureId: departure.id, arrivesOn: arrivalDate(departure.departsAt, departure.transitDays, snapshot.warehouses.find((w) => w.id === lane.warehouseId)!.inboundDays) }]);
      const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.departure(departure.id), ConsistentRead: true }));
      expect(Item?.usedLitres).toBe(lots[0]!.litres);
      await writeFile(join(dir, 'inbound.json'), JSON.stringify([{ lotId: 'po-8', sellerId: 'tianmen-garments', departureId: departure.id, warehouseId: lane.warehouseId, lines: [{ sku: 'NOPE', qty: 1 }] }]));
      const error = await importNetworkDir(dir, { tableName: ctx.tableName, now: NOW, doc: ctx.doc, demo: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(JSON.stringify((error as ValidationError).issues)).toContain('[0].lines[0].sku');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('counts the arrival day as departure + transit + inbound days', () => {
    expect(arrivalDate('2026-12-01T08:00:00Z', 16, 2)).toBe('2026-12-19');
  });
});
