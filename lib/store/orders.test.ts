import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { ValidationError } from '#shared/errors.ts';
import type { StoreContext } from './batch.ts';
import type { OrderRecord } from './order-record.ts';
import { createOrderStore, orderItem, recordFromItem, type OrderStore } from './orders.ts';
import { decision, freshTable, orderRecord } from './test-fixtures.ts';

let dynalite: DynaliteHandle;
let ctx: StoreContext;
let orders: OrderStore;

beforeAll(async () => {
  dynalite = await startDynalite();
  ctx = await freshTable(dynalite.endpoint);
  orders = createOrderStore(ctx);
});
afterAll(async () => dynalite.stop());

async function put(record: OrderRecord): Promise<void> {
  await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: orderItem(record) }));
}

describe('order items', () => {
  it('carry the seller-orders index attributes and read back as the same record', async () => {
    const record = orderRecord('o-read');
    const item = orderItem(record);
    expect(item).toMatchObject({ pk: 'ORDER#o-read', sk: 'ORDER', gsi1pk: 'SELLER#S1#ORDERS', gsi1sk: '2026-11-22T12:00:00Z#o-read' });
    expect(recordFromItem(item)).toEqual(record);
    await put(record);
    expect(await orders.getOrder('o-read')).toEqual(record);
    expect(await orders.getOrder('o-missing')).toBeUndefined();
  });

  it('are never shown to another seller', async () => {
    await put(orderRecord('o-mine'));
    expect(await orders.getOrderForSeller('o-mine', 'S1')).toMatchObject({ orderId: 'o-mine' });
    expect(await orders.getOrderForSeller('o-mine', 'S2')).toBeUndefined();
    expect(await orders.getOrderForSeller('o-nobody', 'S1')).toBeUndefined();
  });

  it('mark an undecided order failed with a note, but never a decided one or a missing one', async () => {
    await put(orderRecord('o-fail'));
    expect(await orders.markFailed('o-fail', 'routing kept failing', new Date('2026-11-23T01:00:00Z'))).toBe(true);
    expect(await orders.getOrder('o-fail')).toMatchObject({ status: 'failed', note: 'routing kept failing', updatedAt: '2026-11-23T01:00:00.000Z' });

    const routed: OrderRecord = { ...orderRecord('o-routed'), status: 'routed', decisionVersion: 1, decision: decision('o-routed', 'direct:P1', 'direct-parcel') };
    await put(routed);
    expect(await orders.markFailed('o-routed', 'late failure')).toBe(false);
    expect(await orders.getOrder('o-routed')).toEqual(routed);
    expect(await orders.markFailed('o-nowhere', 'x')).toBe(false);
    expect(await orders.getOrder('o-nowhere')).toBeUndefined();
  });

  it('record the notified version monotonically', async () => {
    await put(orderRecord('o-notify'));
    await orders.markNotified('o-notify', 2);
    await orders.markNotified('o-notify', 1);
    expect((await orders.getOrder('o-notify'))?.notifiedVersion).toBe(2);
    await orders.markNotified('o-notify', 3);
    expect((await orders.getOrder('o-notify'))?.notifiedVersion).toBe(3);
    await orders.markNotified('o-ghost', 1);
    expect(await orders.getOrder('o-ghost')).toBeUndefined();
  });

  it("list a seller's orders newest first, page by page, and refuse another seller's cursor", async () => {
    const other = await freshTable(dynalite.endpoint);
    const store = createOrderStore(other);
    const placed = ['2026-11-20T08:00:00Z', '2026-11-22T08:00:00Z', '2026-11-21T08:00:00Z'];
    for (const [i, placedAt] of placed.entries()) {
      const base = orderRecord(`o-${i}`);
      await other.doc.send(new PutCommand({ TableName: other.tableName, Item: orderItem({ ...base, order: { ...base.order, placedAt } }) }));
    }
    const s2 = orderRecord('o-s2', undefined, 'S2');
    await other.doc.send(new PutCommand({ TableName: other.tableName, Item: orderItem(s2) }));

    const first = await store.listSellerOrders('S1', { limit: 2 });
    expect(first.orders.map((o) => o.orderId)).toEqual(['o-1', 'o-2']);
    expect(first.cursor).toBeDefined();
    const second = await store.listSellerOrders('S1', { limit: 2, cursor: first.cursor });
    expect(second.orders.map((o) => o.orderId)).toEqual(['o-0']);
    expect((await store.listSellerOrders('S2')).orders.map((o) => o.orderId)).toEqual(['o-s2']);
    await expect(store.listSellerOrders('S2', { cursor: first.cursor })).rejects.toBeInstanceOf(ValidationError);
  });
});
