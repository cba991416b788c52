/**
 * Issue 12's two probes, end to end on the twin's dynalite with the router handler as Lambda
 * runs it (a warm container, its snapshot cache included):
 * - re-importing the same stock.json with open reservations must not hand the reserved units out again;
 * - a capacity cut must be honoured on the next commit, however warm the router's cache.
 * Both failed on main (15 orders held units against 7; 304 L booked against 100 L).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOrderFile } from '../lib/cli/order-file.ts';
import { importNetworkDir } from '#store/import.ts';
import { keys } from '#store/keys.ts';
import { setDepartureCapacity } from '#store/reference.ts';
import { DEMO_DIR, delivery, invokeRouter, putReceivedOrder, readOrder, startWorkerTwin, teeOrder, type WorkerTwin } from './helpers/worker-twin.ts';

let twin: WorkerTwin;
let dir: string;
const now = new Date();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'probes-'));
  await cp(DEMO_DIR, join(dir, 'demo'), { recursive: true });
  const stock = JSON.parse(await readFile(join(dir, 'demo', 'stock.json'), 'utf8')) as { sku: string; warehouseId: string; available: number }[];
  for (const s of stock) if (s.sku === 'HOODIE' && s.warehouseId === 'WH-DUI') s.available = 8;
  await writeFile(join(dir, 'demo', 'stock.json'), JSON.stringify(stock));
  twin = await startWorkerTwin({ now });
  await importNetworkDir(join(dir, 'demo'), { tableName: twin.tableName, now: new Date(now.getTime() + 1000), doc: twin.doc, demo: true });
});
afterAll(async () => {
  await twin?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function routeOrders(count: number, sku: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const order = teeOrder(new Date(), { lines: [{ sku, qty: 1 }] });
    await putReceivedOrder(twin, order, new Date());
    expect(await invokeRouter(twin.handler, [delivery({ orderId: order.orderId, afterVersion: 0 })])).toEqual([]);
    ids.push(order.orderId);
  }
  return ids;
}

async function heldAt(ids: readonly string[], warehouseId: string, sku: string): Promise<number> {
  let held = 0;
  for (const id of ids) {
    const record = await readOrder(twin, id);
    for (const r of record?.reservations?.stock ?? []) if (r.warehouseId === warehouseId && r.sku === sku) held += r.qty;
  }
  return held;
}

describe('stock probes on the twin', () => {
  it('re-importing the same stock.json with 8 hoodies held keeps them held: the next 10 orders take none of them', async () => {
    const first = await routeOrders(8, 'HOODIE');
    expect(await heldAt(first, 'WH-DUI', 'HOODIE')).toBe(8);
    const stockKey = keys.stock('tianmen-garments', 'WH-DUI', 'HOODIE');
    const before = (await twin.doc.send(new GetCommand({ TableName: twin.tableName, Key: stockKey, ConsistentRead: true }))).Item;
    expect(before).toMatchObject({ onHand: 8, reserved: 8, available: 0 });

    // The README's "adding a seller" runbook: the same directory imported again, later.
    await importNetworkDir(join(dir, 'demo'), { tableName: twin.tableName, now: new Date(now.getTime() + 60_000), doc: twin.doc, demo: true });
    const after = (await twin.doc.send(new GetCommand({ TableName: twin.tableName, Key: stockKey, ConsistentRead: true }))).Item;
    expect(after).toMatchObject({ onHand: 8, reserved: 8, available: 0 });

    const next = await routeOrders(10, 'HOODIE');
    expect(await heldAt([...first, ...next], 'WH-DUI', 'HOODIE')).toBe(8);
  }, 120_000);

  it('a capacity cut is honoured on the next commit with the router\'s cache warm: of 10 more rail orders only the one that fits books it', async () => {
    const sample = await readOrderFile('events/orders/rail-to-warehouse.json');
    const railOrder = async () => {
      const order = { ...teeOrder(new Date()), sellerId: sample.sellerId, shipTo: sample.shipTo, lines: sample.lines, ...(sample.serviceLevel === undefined ? {} : { serviceLevel: sample.serviceLevel }), marketplace: sample.marketplace, currency: sample.currency ?? 'EUR' };
      await putReceivedOrder(twin, order, new Date());
      expect(await invokeRouter(twin.handler, [delivery({ orderId: order.orderId, afterVersion: 0 })])).toEqual([]);
      return (await readOrder(twin, order.orderId))!;
    };
    // The first rail order warms the router's cache with the departure at its full capacity.
    const first = await railOrder();
    expect(first.decision?.chosen?.mode).toBe('rail-to-warehouse');
    const booking = first.reservations!.capacity[0]!;
    // The cut: from 64 m³ to room for exactly one more such order.
    const cut = booking.litres * 2 + 2;
    await setDepartureCapacity(twin, { departureId: booking.departureId, laneId: booking.laneId, capacityLitres: cut });
    let bookedAfter = 0;
    for (let i = 0; i < 10; i += 1) {
      const next = await railOrder();
      for (const c of next.reservations?.capacity ?? []) if (c.departureId === booking.departureId) bookedAfter += c.litres;
    }
    expect(bookedAfter).toBe(booking.litres);
    const { Item } = await twin.doc.send(new GetCommand({ TableName: twin.tableName, Key: keys.departure(booking.departureId), ConsistentRead: true }));
    expect(Item).toMatchObject({ capacityLitres: cut, usedLitres: booking.litres * 2, freeLitres: 2 });
  }, 120_000);
});
