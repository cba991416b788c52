/**
 * The ledger of an inbound lot (ADR 0036): the loader offers its units, the commit takes them on
 * the lot's stored remaining units, cancel and reroute give them back, and on its arrival day the
 * lot becomes stock (promises become reservations) exactly once.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import type { Decision, Reservations } from '#routing/decision.ts';
import { commitDecision } from './commit.ts';
import { OutOfStockError } from './errors.ts';
import { cancelOrder, confirmShipment } from './fulfilment.ts';
import { bookInbound } from './inbound.ts';
import { keys } from './keys.ts';
import { arriveDueLots, arriveLot } from './lots.ts';
import { orderItem } from './orders.ts';
import { createSnapshotLoader } from './snapshot.ts';
import { reportOnHand } from './stock.ts';
import { NOW, decision, orderRecord, tinyNetwork, tinyTableWith } from './test-fixtures.ts';
import type { StoreContext } from './batch.ts';

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => dynalite.stop());

const ARRIVES = '2026-12-12';
const AFTER = new Date('2026-12-12T06:00:00Z');
const snapshot = buildSnapshot(tinyNetwork(), NOW);

async function withLot(qty = 6): Promise<StoreContext> {
  const ctx = await tinyTableWith(dynalite.endpoint, []);
  await reportOnHand(ctx, 'S1', { warehouseId: 'WH-1', sku: 'A', onHand: 2, asOf: NOW.toISOString() });
  await bookInbound(ctx, { lotId: 'P-1', sellerId: 'S1', departureId: 'D1', laneId: 'L1', warehouseId: 'WH-1', lines: [{ sku: 'A', qty }], litres: 10, arrivesOn: ARRIVES, snapshotCapacityLitres: 1000, now: NOW });
  return ctx;
}

const read = async (ctx: StoreContext, key: { pk: string; sk: string }) =>
  (await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: key, ConsistentRead: true }))).Item ?? {};

/** Commits an order of `qty` A at WH-1: `shelf` from the shelf, the rest from lot P-1. */
async function commitFromLot(ctx: StoreContext, id: string, qty: number, shelf: number, lotQty = qty - shelf) {
  const order = orderRecord(id, [{ sku: 'A', qty }]);
  await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: orderItem(order) }));
  const base = decision(id, 'warehouse:WH-1', 'overseas-warehouse');
  const d: Decision = {
    ...base,
    chosen: {
      ...base.chosen!,
      shipments: [{ routeId: 'warehouse:WH-1', mode: 'overseas-warehouse', from: 'WH-1', warehouseId: 'WH-1', lines: [{ sku: 'A', qty }], cost: base.chosen!.cost, eta: base.chosen!.eta, inbound: [{ lotId: 'P-1', sku: 'A', qty: lotQty, arrivesOn: ARRIVES }] }],
    },
  };
  const reservations: Reservations = {
    stock: shelf > 0 ? [{ warehouseId: 'WH-1', sku: 'A', qty: shelf }] : [],
    capacity: [],
    inbound: [{ lotId: 'P-1', warehouseId: 'WH-1', sku: 'A', qty: lotQty }],
  };
  return commitDecision({ ...ctx, order, decision: d, reservations, expectedVersion: 0, snapshot });
}

describe('the snapshot loader', () => {
  it('offers the units of a lot still in transit, and none once it has arrived', async () => {
    const ctx = await withLot();
    const loader = createSnapshotLoader({ ...ctx, ttlSeconds: 0 });
    expect((await loader.load('S1', NOW)).inbound).toEqual([{ sellerId: 'S1', warehouseId: 'WH-1', sku: 'A', lotId: 'P-1', remaining: 6, arrivesOn: ARRIVES }]);
    await commitFromLot(ctx, 'o-1', 4, 2);
    expect((await loader.load('S1', NOW)).inbound?.[0]?.remaining).toBe(4);
    await arriveLot(ctx, 'S1', 'P-1', AFTER);
    expect((await loader.load('S1', AFTER)).inbound).toBeUndefined();
  });
});

describe('the commit', () => {
  it('takes the lot units in the decision\'s transaction, on the lot\'s stored remaining units', async () => {
    const ctx = await withLot(6);
    expect(await commitFromLot(ctx, 'o-1', 6, 2, 4)).toEqual({ kind: 'committed', decisionVersion: 1 });
    expect((await read(ctx, keys.inboundLot('S1', 'P-1'))).remaining).toEqual({ A: 2 });
    expect(await read(ctx, keys.stock('S1', 'WH-1', 'A'))).toMatchObject({ onHand: 2, reserved: 2, available: 0 });
    // The snapshot still says 6 on the lot; the stored 2 decide: nothing is taken, nothing written.
    await expect(commitFromLot(ctx, 'o-2', 3, 0)).rejects.toBeInstanceOf(OutOfStockError);
    expect((await read(ctx, keys.inboundLot('S1', 'P-1'))).remaining).toEqual({ A: 2 });
    expect((await read(ctx, keys.order('o-2'))).decisionVersion).toBe(0);
  });

  it('a reroute that leaves the lot gives its units back in the same transaction', async () => {
    const ctx = await withLot(6);
    await commitFromLot(ctx, 'o-1', 3, 0);
    const record = orderRecord('o-1', [{ sku: 'A', qty: 3 }]);
    const releasing = (await read(ctx, keys.order('o-1'))).reservations as Reservations;
    const d = decision('o-1', 'direct:CN-STD', 'direct-parcel');
    expect(await commitDecision({ ...ctx, order: record, decision: d, reservations: { stock: [], capacity: [] }, expectedVersion: 1, releasing, snapshot })).toMatchObject({ kind: 'committed' });
    expect((await read(ctx, keys.inboundLot('S1', 'P-1'))).remaining).toEqual({ A: 6 });
  });
});

describe('cancel and shipment', () => {
  it('a cancellation gives the units back to the lot while it is on the train', async () => {
    const ctx = await withLot(6);
    await commitFromLot(ctx, 'o-1', 5, 2);
    expect((await cancelOrder(ctx, { orderId: 'o-1', sellerId: 'S1', now: NOW })).kind).toBe('done');
    expect((await read(ctx, keys.inboundLot('S1', 'P-1'))).remaining).toEqual({ A: 6 });
    expect(await read(ctx, keys.stock('S1', 'WH-1', 'A'))).toMatchObject({ onHand: 2, reserved: 0, available: 2 });
  });

  it('after arrival a cancellation gives them back to the shelf', async () => {
    const ctx = await withLot(6);
    await commitFromLot(ctx, 'o-1', 5, 2);
    expect(await arriveLot(ctx, 'S1', 'P-1', AFTER)).toBe('arrived');
    expect(await read(ctx, keys.stock('S1', 'WH-1', 'A'))).toMatchObject({ onHand: 8, reserved: 5, available: 3 });
    expect((await cancelOrder(ctx, { orderId: 'o-1', sellerId: 'S1', now: AFTER })).kind).toBe('done');
    expect(await read(ctx, keys.stock('S1', 'WH-1', 'A'))).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
    expect((await read(ctx, keys.inboundLot('S1', 'P-1'))).remaining).toEqual({ A: 3 });
  });

  it('a shipment before the lot arrives is refused naming the lot; on its arrival day it consumes the units', async () => {
    const ctx = await withLot(6);
    await commitFromLot(ctx, 'o-1', 5, 2);
    const early = await confirmShipment(ctx, { orderId: 'o-1', sellerId: 'S1', shipment: 1, trackingNumber: 'T1', now: NOW });
    expect(early).toMatchObject({ kind: 'refused' });
    expect((early as { reason: string }).reason).toContain(`P-1 (arrives ${ARRIVES})`);
    // The sweep has not run yet: the confirmation moves the due lot itself, then consumes.
    expect((await confirmShipment(ctx, { orderId: 'o-1', sellerId: 'S1', shipment: 1, trackingNumber: 'T1', now: AFTER })).kind).toBe('done');
    expect(await read(ctx, keys.stock('S1', 'WH-1', 'A'))).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    expect((await read(ctx, keys.order('o-1'))).reservations).toEqual({ stock: [], capacity: [] });
  });
});

describe('arrival', () => {
  it('happens once, on the arrival day: on-hand grows by the lot, its promises become reservations', async () => {
    const ctx = await withLot(6);
    await commitFromLot(ctx, 'o-1', 4, 0);
    expect(await arriveLot(ctx, 'S1', 'P-1', new Date('2026-12-11T23:59:59Z'))).toBe('not-yet');
    expect(await arriveDueLots(ctx, 'S1', AFTER)).toEqual({ arrived: ['P-1'] });
    expect(await arriveDueLots(ctx, 'S1', AFTER)).toEqual({ arrived: [] });
    expect(await arriveLot(ctx, 'S1', 'P-1', AFTER)).toBe('already');
    expect(await read(ctx, keys.stock('S1', 'WH-1', 'A'))).toMatchObject({ onHand: 8, reserved: 4, available: 4, asOf: `${ARRIVES}T00:00:00.000Z` });
    // A count taken before the lot arrived does not hold it: stale.
    expect(await reportOnHand(ctx, 'S1', { warehouseId: 'WH-1', sku: 'A', onHand: 1, asOf: '2026-12-11T18:00:00Z' })).toBe('stale');
  });

  it('after a count that already holds the lot, only the promises move', async () => {
    const ctx = await withLot(6);
    await commitFromLot(ctx, 'o-1', 4, 0);
    expect(await reportOnHand(ctx, 'S1', { warehouseId: 'WH-1', sku: 'A', onHand: 8, asOf: '2026-12-12T05:00:00Z' })).toBe('applied');
    expect(await arriveLot(ctx, 'S1', 'P-1', AFTER)).toBe('arrived');
    expect(await read(ctx, keys.stock('S1', 'WH-1', 'A'))).toMatchObject({ onHand: 8, reserved: 4, available: 4, asOf: '2026-12-12T05:00:00.000Z' });
  });

  it('a commit that raced the arrival finds the lot gone and takes nothing', async () => {
    const ctx = await withLot(6);
    await arriveLot(ctx, 'S1', 'P-1', AFTER);
    await expect(commitFromLot(ctx, 'o-1', 2, 0)).rejects.toBeInstanceOf(OutOfStockError);
    expect(await read(ctx, keys.stock('S1', 'WH-1', 'A'))).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
  });
});

describe('the arrival sweep', () => {
  it('moves every seller\'s due lots once, and nothing before their day', async () => {
    const { sweepArrivals } = await import('./arrivals.ts');
    const ctx = await withLot(6);
    expect(await sweepArrivals(ctx, NOW)).toEqual({ arrived: [], failed: [] });
    expect(await sweepArrivals(ctx, AFTER)).toEqual({ arrived: ['S1/P-1'], failed: [] });
    expect(await sweepArrivals(ctx, AFTER)).toEqual({ arrived: [], failed: [] });
    expect(await read(ctx, keys.stock('S1', 'WH-1', 'A'))).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
  });
});
