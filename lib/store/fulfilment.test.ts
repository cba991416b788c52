import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import type { Decision } from '#routing/decision.ts';
import { commitDecision } from './commit.ts';
import { cancelOrder, confirmShipment } from './fulfilment.ts';
import { keys } from './keys.ts';
import { reportOnHand } from './stock.ts';
import { NOW, decision, orderRecord, tinyNetwork, tinyTableWith } from './test-fixtures.ts';

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => dynalite.stop());

const snapshot = () => buildSnapshot(tinyNetwork(), NOW);

async function routedFromWarehouse(qty: number) {
  const order = orderRecord('o-f', [{ sku: 'A', qty }]);
  const ctx = await tinyTableWith(dynalite.endpoint, [order]);
  const base = decision('o-f', 'warehouse:WH-1', 'overseas-warehouse');
  const chosen = base.chosen!;
  const withShipment: Decision = {
    ...base,
    chosen: { ...chosen, shipments: [{ routeId: 'warehouse:WH-1', mode: 'overseas-warehouse', from: 'WH-1', warehouseId: 'WH-1', lines: [{ sku: 'A', qty }], cost: chosen.cost, eta: chosen.eta }] },
  };
  await commitDecision({ ...ctx, order, decision: withShipment, reservations: { stock: [{ warehouseId: 'WH-1', sku: 'A', qty }], capacity: [{ departureId: 'D1', laneId: 'L1', litres: 40 }] }, expectedVersion: 0, snapshot: snapshot() });
  const stock = async () => (await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.stock('S1', 'WH-1', 'A'), ConsistentRead: true }))).Item;
  const departure = async () => (await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.departure('D1'), ConsistentRead: true }))).Item;
  const order2 = async () => (await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.order('o-f'), ConsistentRead: true }))).Item;
  return { ctx, stock, departure, order: order2 };
}

describe('fulfilment', () => {
  it('a confirmed shipment consumes its reservation: reserved and on-hand go down, available stays; confirming again changes nothing', async () => {
    const t = await routedFromWarehouse(3);
    await reportOnHand(t.ctx, 'S1', { warehouseId: 'WH-1', sku: 'A', onHand: 10, asOf: NOW.toISOString() });
    expect(await t.stock()).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    const ship = { orderId: 'o-f', sellerId: 'S1', shipment: 1, trackingNumber: 'YT123', carrier: 'DHL', now: NOW };
    expect(await confirmShipment(t.ctx, ship)).toEqual({ kind: 'done', orderId: 'o-f' });
    expect(await t.stock()).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    expect(await confirmShipment(t.ctx, ship)).toEqual({ kind: 'already', orderId: 'o-f' });
    expect(await t.stock()).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    expect(await confirmShipment(t.ctx, { ...ship, shipment: 2 })).toMatchObject({ kind: 'refused' });
    expect(await confirmShipment(t.ctx, { ...ship, sellerId: 'S2' })).toMatchObject({ kind: 'not-found' });
    // Cancelling after the shipment gives back only the capacity still held, not the shipped units.
    expect(await cancelOrder(t.ctx, { orderId: 'o-f', sellerId: 'S1', now: NOW })).toMatchObject({ kind: 'done' });
    expect(await t.stock()).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
  });

  it('a cancellation gives back stock and capacity, marks the order cancelled, and is idempotent', async () => {
    const t = await routedFromWarehouse(4);
    expect(await t.stock()).toMatchObject({ available: 6, reserved: 4 });
    expect(await t.departure()).toMatchObject({ usedLitres: 40, freeLitres: 960 });
    expect(await cancelOrder(t.ctx, { orderId: 'o-f', sellerId: 'S1', now: NOW })).toEqual({ kind: 'done', orderId: 'o-f' });
    expect(await t.stock()).toMatchObject({ available: 10, reserved: 0 });
    expect(await t.departure()).toMatchObject({ usedLitres: 0, freeLitres: 1000 });
    expect(await t.order()).toMatchObject({ status: 'cancelled', decisionVersion: 1, reservations: { stock: [], capacity: [] } });
    // A router that was still deciding version 1 takes nothing for the cancelled order.
    const late = await commitDecision({ ...t.ctx, order: { ...orderRecord('o-f', [{ sku: 'A', qty: 4 }]), decisionVersion: 1 }, decision: decision('o-f', 'warehouse:WH-1', 'overseas-warehouse'), reservations: { stock: [{ warehouseId: 'WH-1', sku: 'A', qty: 4 }], capacity: [] }, expectedVersion: 1, snapshot: snapshot() });
    expect(late).toEqual({ kind: 'already-decided' });
    expect(await t.stock()).toMatchObject({ available: 10, reserved: 0 });
    expect(await cancelOrder(t.ctx, { orderId: 'o-f', sellerId: 'S1', now: NOW })).toEqual({ kind: 'already', orderId: 'o-f' });
    expect(await t.stock()).toMatchObject({ available: 10, reserved: 0 });
    expect(await confirmShipment(t.ctx, { orderId: 'o-f', sellerId: 'S1', shipment: 1, trackingNumber: 'X', now: NOW })).toMatchObject({ kind: 'refused' });
  });
});
