import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { loadNetworkDir } from '#network/load.ts';
import { parseNetworkFiles } from '#network/load.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import { ValidationError } from '#shared/errors.ts';
import type { StoreContext } from './batch.ts';
import { MissingDataError } from './errors.ts';
import { keys } from './keys.ts';
import {
  readCapacity,
  readNetwork,
  readSeller,
  remainingLitresOf,
  setDepartureCapacity,
  writeReference,
  listSellerIds,
} from './reference.ts';
import { NOW, freshTable, tinyNetwork } from './test-fixtures.ts';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

let dynalite: DynaliteHandle;
let ctx: StoreContext;

beforeAll(async () => {
  dynalite = await startDynalite();
  ctx = await freshTable(dynalite.endpoint);
});
afterAll(async () => dynalite.stop());

const byId = <T>(list: readonly T[], id: (x: T) => string) => [...list].sort((a, b) => (id(a) < id(b) ? -1 : 1));

describe('reference data in the table', () => {
  it('the tiny test network is a valid data directory', () => {
    const files = tinyNetwork();
    expect(() =>
      parseNetworkFiles({
        'sellers.json': files.sellers,
        'skus.json': files.skus,
        'parcel-services.json': files.parcelServices,
        'rail-lanes.json': files.railLanes,
        'warehouses.json': files.warehouses,
        'stock.json': files.stock,
        'duties.json': files.duties,
        'fx.json': files.fx,
      }),
    ).not.toThrow();
  });

  it('reads back the demo network exactly as written, seller by seller', async () => {
    const { files } = await loadNetworkDir('data/demo', { now: NOW });
    await writeReference(ctx, files);

    const network = await readNetwork(ctx);
    expect(byId(network.parcelServices, (s) => s.id)).toEqual(byId(files.parcelServices, (s) => s.id));
    expect(byId(network.railLanes, (l) => l.id)).toEqual(byId(files.railLanes, (l) => l.id));
    expect(byId(network.warehouses, (w) => w.id)).toEqual(byId(files.warehouses, (w) => w.id));
    expect(network.duties).toEqual(files.duties);
    expect(network.fx).toEqual(files.fx);

    for (const seller of files.sellers) {
      const part = await readSeller(ctx, seller.id);
      expect(part.seller).toEqual(seller);
      const sku = (s: { sku: string }) => s.sku;
      const stockKey = (s: { warehouseId: string; sku: string }) => `${s.warehouseId}/${s.sku}`;
      expect(byId(part.skus, sku)).toEqual(byId(files.skus.filter((s) => s.sellerId === seller.id), sku));
      expect(byId(part.stock, stockKey)).toEqual(byId(files.stock.filter((s) => s.sellerId === seller.id), stockKey));
    }
  });

  it('names an unknown seller instead of returning an empty snapshot', async () => {
    await expect(readSeller(ctx, 'nobody')).rejects.toBeInstanceOf(MissingDataError);
  });

  it('rejects a hand-edited item that breaks its schema, naming the item', async () => {
    const other = await freshTable(dynalite.endpoint);
    await writeReference(other, tinyNetwork());
    await other.doc.send(
      new UpdateCommand({
        TableName: other.tableName,
        Key: keys.sku('S1', 'A'),
        UpdateExpression: 'SET weightG = :w',
        ExpressionAttributeValues: { ':w': -5 },
      }),
    );
    const error = await readSeller(other, 'S1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]).toMatchObject({ file: 'SELLER#S1 SKU#A', path: 'weightG' });
  });

  it('creates explicit departures with nothing used, and a re-import keeps what is reserved', async () => {
    const other = await freshTable(dynalite.endpoint);
    await writeReference(other, tinyNetwork());
    expect((await readCapacity(other, ['D1'])).get('D1')).toEqual({
      departureId: 'D1',
      laneId: 'L1',
      capacityLitres: 1000,
      usedLitres: 0,
    });
    await other.doc.send(
      new UpdateCommand({
        TableName: other.tableName,
        Key: keys.departure('D1'),
        UpdateExpression: 'SET usedLitres = :u',
        ExpressionAttributeValues: { ':u': 300 },
      }),
    );
    await setDepartureCapacity(other, { departureId: 'D1', laneId: 'L1', capacityLitres: 2000 });
    expect((await readCapacity(other, ['D1'])).get('D1')).toMatchObject({ capacityLitres: 2000, usedLitres: 300 });
  });

  it('has no capacity item for a scheduled departure never reserved, and remaining follows what is used', async () => {
    const other = await freshTable(dynalite.endpoint);
    const files = tinyNetwork();
    await writeReference(other, files);
    await other.doc.send(
      new PutCommand({
        TableName: other.tableName,
        Item: { ...keys.departure('L1-2026-11-30'), kind: 'capacity', usedLitres: 63_500 },
      }),
    );
    const snapshot = buildSnapshot(files, NOW);
    const ids = snapshot.railLanes.flatMap((l) => l.departures.map((d) => d.id));
    expect(ids).toEqual(['L1-2026-11-23', 'D1', 'L1-2026-11-30']);
    const capacity = await readCapacity(other, ids);
    expect([...capacity.keys()].sort()).toEqual(['D1', 'L1-2026-11-30']);
    expect(remainingLitresOf(snapshot, capacity)).toEqual(
      new Map([
        ['D1', 1000],
        ['L1-2026-11-30', 500],
      ]),
    );
  });
});

describe('listSellerIds', () => {
  it('lists exactly the sellers an import wrote, from the NETWORK partition', async () => {
    const own = await freshTable(dynalite.endpoint);
    const { files } = await loadNetworkDir('data/demo', { now: NOW });
    await writeReference(own, files);
    expect(await listSellerIds(own)).toEqual(files.sellers.map((s) => s.id).sort());
    // The network reader ignores the references.
    await expect(readNetwork(own)).resolves.toMatchObject({ warehouses: expect.any(Array) });
  });
});
