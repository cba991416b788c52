/**
 * Issue 12 item 5: random interleavings of reservations (racing commits, from the shelf and from
 * inbound lots still on a train), releases (cancel), shipments, on-hand reports in and out of
 * order, capacity cuts, inbound bookings and lot arrivals against patched dynalite. After every
 * step the stored ledger equals a model of what happened: available never reads below zero and
 * no race takes more than the stored shelf or lot held, on-hand = last report − shipped since +
 * arrived, reserved = Σ open reservations (shelf, and lots that have arrived), a lot's remaining
 * = what it carries − Σ open promises on it, and litres booked = Σ open bookings + inbound lots,
 * never above the stored capacity at the time of booking.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import type { Decision } from '#routing/decision.ts';
import { commitDecision } from './commit.ts';
import { SupplyExhaustedError } from './errors.ts';
import { cancelOrder, confirmShipment } from './fulfilment.ts';
import { bookInbound } from './inbound.ts';
import { keys } from './keys.ts';
import { orderItem } from './orders.ts';
import { setDepartureCapacity } from './reference.ts';
import { arriveDueLots, arrivalInstant } from './lots.ts';
import { reportOnHand, stockLevelOf } from './stock.ts';
import { NOW, decision, orderRecord, tinyNetwork, tinyTableWith } from './test-fixtures.ts';

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => dynalite.stop());

type Step =
  | { kind: 'race'; orders: { qty: number; litres: number }[] }
  | { kind: 'cancel'; pick: number }
  | { kind: 'ship'; pick: number }
  | { kind: 'report'; onHand: number; minutes: number }
  | { kind: 'cut'; litres: number }
  | { kind: 'inbound'; litres: number; qty: number }
  | { kind: 'race-lot'; pick: number; orders: number[] }
  | { kind: 'arrive' };

/** Every lot lands on this day; reports after an arrival are counted from it. */
const ARRIVES = '2026-12-20';
const ARRIVED_AT = Date.parse(arrivalInstant(ARRIVES));

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('race' as const), orders: fc.array(fc.record({ qty: fc.integer({ min: 1, max: 4 }), litres: fc.integer({ min: 0, max: 300 }) }), { minLength: 1, maxLength: 5 }) }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('ship' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('report' as const), onHand: fc.integer({ min: 0, max: 15 }), minutes: fc.integer({ min: -30, max: 120 }) }),
  fc.record({ kind: fc.constant('cut' as const), litres: fc.integer({ min: 0, max: 1500 }) }),
  fc.record({ kind: fc.constant('inbound' as const), litres: fc.integer({ min: 1, max: 400 }), qty: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('race-lot' as const), pick: fc.nat(), orders: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('arrive' as const) }),
);

interface Lot {
  readonly id: string;
  readonly qty: number;
  arrived: boolean;
}

interface Open {
  readonly id: string;
  readonly qty: number;
  readonly litres: number;
  /** Promised from this lot (else from the shelf). */
  readonly lotId?: string;
  shipped: boolean;
}

describe('the stock and capacity ledger under random interleavings', () => {
  it('stays true: nothing oversold, every unit and litre accounted for', async () => {
    const snapshot = buildSnapshot(tinyNetwork(), NOW);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 12 }), async (steps) => {
        const ctx = await tinyTableWith(dynalite.endpoint, []);
        // Start from a count: 10 on hand as of NOW.
        await reportOnHand(ctx, 'S1', { warehouseId: 'WH-1', sku: 'A', onHand: 10, asOf: NOW.toISOString() });
        const model = { onHand: 10, asOf: NOW.getTime(), capacity: 1000, inboundLitres: 0 };
        const open: Open[] = [];
        const lots: Lot[] = [];
        let n = 0;
        const read = async (key: { pk: string; sk: string }) => (await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: key, ConsistentRead: true }))).Item ?? {};
        for (const s of steps) {
          if (s.kind === 'race') {
            const before = await read(keys.stock('S1', 'WH-1', 'A'));
            const results = await Promise.all(
              s.orders.map(async ({ qty, litres }) => {
                const id = `o-${(n += 1)}`;
                const order = orderRecord(id, [{ sku: 'A', qty }]);
                await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: orderItem(order) }));
                const base = decision(id, 'warehouse:WH-1', 'overseas-warehouse');
                const d: Decision = { ...base, chosen: { ...base.chosen!, shipments: [{ routeId: 'warehouse:WH-1', mode: 'overseas-warehouse', from: 'WH-1', warehouseId: 'WH-1', lines: [{ sku: 'A', qty }], cost: base.chosen!.cost, eta: base.chosen!.eta }] } };
                const capacity = litres > 0 ? [{ departureId: 'D1', laneId: 'L1', litres }] : [];
                try {
                  await commitDecision({ ...ctx, order, decision: d, reservations: { stock: [{ warehouseId: 'WH-1', sku: 'A', qty }], capacity }, expectedVersion: 0, snapshot, conflictRetry: { maxAttempts: 50, baseMs: 1, capMs: 5 } });
                  return { id, qty, litres, ok: true };
                } catch (error) {
                  if (error instanceof SupplyExhaustedError) return { id, qty, litres, ok: false };
                  throw error;
                }
              }),
            );
            const won = results.filter((r) => r.ok);
            for (const r of won) open.push({ id: r.id, qty: r.qty, litres: r.litres, shipped: false });
            // Never more taken than was there to take.
            expect(won.reduce((a, r) => a + r.qty, 0)).toBeLessThanOrEqual(Math.max(0, Number(before.available)));
          } else if (s.kind === 'cancel' || s.kind === 'ship') {
            const candidates = open.filter((o) => s.kind === 'cancel' || !o.shipped);
            if (candidates.length === 0) continue;
            const target = candidates[s.pick % candidates.length]!;
            const onTrain = target.lotId !== undefined && lots.find((l) => l.id === target.lotId)?.arrived !== true;
            if (s.kind === 'cancel') {
              expect((await cancelOrder(ctx, { orderId: target.id, sellerId: 'S1', now: NOW })).kind).toBe('done');
              open.splice(open.indexOf(target), 1);
            } else if (onTrain) {
              // Units still on a train cannot have left the warehouse.
              expect((await confirmShipment(ctx, { orderId: target.id, sellerId: 'S1', shipment: 1, trackingNumber: 'T', now: NOW })).kind).toBe('refused');
            } else {
              expect((await confirmShipment(ctx, { orderId: target.id, sellerId: 'S1', shipment: 1, trackingNumber: 'T', now: NOW })).kind).toBe('done');
              target.shipped = true;
              model.onHand -= target.qty;
            }
          } else if (s.kind === 'report') {
            const at = (lots.some((l) => l.arrived) ? ARRIVED_AT : NOW.getTime()) + s.minutes * 60_000;
            const outcome = await reportOnHand(ctx, 'S1', { warehouseId: 'WH-1', sku: 'A', onHand: s.onHand, asOf: new Date(at).toISOString() });
            expect(outcome).toBe(at > model.asOf ? 'applied' : 'stale');
            if (at > model.asOf) Object.assign(model, { onHand: s.onHand, asOf: at });
          } else if (s.kind === 'cut') {
            await setDepartureCapacity(ctx, { departureId: 'D1', laneId: 'L1', capacityLitres: s.litres });
            model.capacity = s.litres;
          } else if (s.kind === 'race-lot') {
            const inTransit = lots.filter((l) => !l.arrived);
            if (inTransit.length === 0) continue;
            const lot = inTransit[s.pick % inTransit.length]!;
            const before = await read(keys.inboundLot('S1', lot.id));
            const results = await Promise.all(
              s.orders.map(async (qty) => {
                const id = `o-${(n += 1)}`;
                const order = orderRecord(id, [{ sku: 'A', qty }]);
                await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: orderItem(order) }));
                const base = decision(id, 'warehouse:WH-1', 'overseas-warehouse');
                const d: Decision = { ...base, chosen: { ...base.chosen!, shipments: [{ routeId: 'warehouse:WH-1', mode: 'overseas-warehouse', from: 'WH-1', warehouseId: 'WH-1', lines: [{ sku: 'A', qty }], cost: base.chosen!.cost, eta: base.chosen!.eta, inbound: [{ lotId: lot.id, sku: 'A', qty, arrivesOn: ARRIVES }] }] } };
                try {
                  await commitDecision({ ...ctx, order, decision: d, reservations: { stock: [], capacity: [], inbound: [{ lotId: lot.id, warehouseId: 'WH-1', sku: 'A', qty }] }, expectedVersion: 0, snapshot, conflictRetry: { maxAttempts: 50, baseMs: 1, capMs: 5 } });
                  return { id, qty, ok: true };
                } catch (error) {
                  if (error instanceof SupplyExhaustedError) return { id, qty, ok: false };
                  throw error;
                }
              }),
            );
            const won = results.filter((r) => r.ok);
            for (const r of won) open.push({ id: r.id, qty: r.qty, litres: 0, lotId: lot.id, shipped: false });
            // Never more promised than the lot had left, as stored.
            expect(won.reduce((a, r) => a + r.qty, 0)).toBeLessThanOrEqual(Number((before.remaining as Record<string, number>).A));
          } else if (s.kind === 'arrive') {
            const due = lots.filter((l) => !l.arrived);
            const { arrived } = await arriveDueLots(ctx, 'S1', new Date(ARRIVED_AT + 3_600_000));
            expect(arrived.sort()).toEqual(due.map((l) => l.id).sort());
            for (const lot of due) {
              lot.arrived = true;
              // A count older than the arrival does not hold the lot: it is added; a newer one already holds it.
              if (model.asOf <= ARRIVED_AT) model.onHand += lot.qty;
            }
            if (due.length > 0 && model.asOf <= ARRIVED_AT) model.asOf = ARRIVED_AT;
          } else {
            const usedBefore = Number((await read(keys.departure('D1'))).usedLitres ?? 0);
            const lotId = `lot-${(n += 1)}`;
            try {
              await bookInbound(ctx, { lotId, sellerId: 'S1', departureId: 'D1', laneId: 'L1', warehouseId: 'WH-1', lines: [{ sku: 'A', qty: s.qty }], litres: s.litres, arrivesOn: ARRIVES, snapshotCapacityLitres: 1000, now: NOW });
              expect(usedBefore + s.litres).toBeLessThanOrEqual(model.capacity);
              model.inboundLitres += s.litres;
              lots.push({ id: lotId, qty: s.qty, arrived: false });
            } catch (error) {
              if (!(error instanceof SupplyExhaustedError)) throw error;
              expect(usedBefore + s.litres).toBeGreaterThan(model.capacity);
            }
          }
          const stock = await read(keys.stock('S1', 'WH-1', 'A'));
          const arrivedLot = (o: Open) => o.lotId === undefined || lots.find((l) => l.id === o.lotId)?.arrived === true;
          const reserved = open.filter((o) => !o.shipped && arrivedLot(o)).reduce((a, o) => a + o.qty, 0);
          expect({ onHand: stock.onHand, reserved: stock.reserved ?? 0, available: stock.available }).toEqual({
            onHand: model.onHand,
            reserved,
            available: model.onHand - reserved,
          });
          // What anyone is shown never goes below zero; a count under the order book says by how much.
          const level = stockLevelOf('WH-1', 'A', stock);
          expect(level.available).toBe(Math.max(0, model.onHand - reserved));
          expect(level.shortBy ?? 0).toBe(Math.max(0, reserved - model.onHand));
          for (const lot of lots.filter((l) => !l.arrived)) {
            const promised = open.filter((o) => o.lotId === lot.id).reduce((a, o) => a + o.qty, 0);
            expect((await read(keys.inboundLot('S1', lot.id))).remaining).toEqual({ A: lot.qty - promised });
          }
          const departure = await read(keys.departure('D1'));
          const booked = open.reduce((a, o) => a + o.litres, 0) + model.inboundLitres;
          expect(Number(departure.usedLitres ?? 0)).toBe(booked);
          expect(Number(departure.freeLitres ?? model.capacity)).toBe(model.capacity - booked);
        }
      }),
      { numRuns: 40 },
    );
  }, 240_000);
});
