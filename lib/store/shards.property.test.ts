/**
 * The ledger of lib/store/ledger.property.test.ts, held by a SHARDED stock item (issue 18 item 1,
 * ADR 0051): random interleavings of racing reservations through the hot-item layer (escrow
 * shards refilled and drained on the way), cancellations, shipments and on-hand reports in and
 * out of order, against patched dynalite (conflicts cancel as on AWS). After every step the
 * item with its shards summed equals the model: nothing taken beyond what was there, no shard
 * and no pool below zero through a reservation, on-hand = last report − shipped since,
 * reserved = Σ open reservations, available = on-hand − reserved.
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
import { keys } from './keys.ts';
import { orderItem } from './orders.ts';
import { createHotItems, enableShards, readShardedStock } from './shards.ts';
import { reportOnHand } from './stock.ts';
import { NOW, decision, orderRecord, tinyTableWith } from './test-fixtures.ts';
import { tinyNetwork } from './test-fixtures.ts';

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => dynalite.stop());

type Step =
  | { kind: 'race'; orders: number[] }
  | { kind: 'cancel'; pick: number }
  | { kind: 'ship'; pick: number }
  | { kind: 'report'; onHand: number; minutes: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('race' as const), orders: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ship' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('report' as const), onHand: fc.integer({ min: 0, max: 30 }), minutes: fc.integer({ min: -30, max: 120 }) }) },
);

function decisionFor(id: string, qty: number): Decision {
  const base = decision(id, 'warehouse:WH-1', 'overseas-warehouse');
  return { ...base, chosen: { ...base.chosen!, shipments: [{ routeId: 'warehouse:WH-1', mode: 'overseas-warehouse', from: 'WH-1', warehouseId: 'WH-1', lines: [{ sku: 'A', qty }], cost: base.chosen!.cost, eta: base.chosen!.eta }] } };
}

interface Open {
  readonly id: string;
  readonly qty: number;
  shipped: boolean;
}

describe('a sharded stock item under random interleavings', () => {
  it('keeps the ledger: nothing oversold, every unit accounted for, shards and pool never below zero', async () => {
    const snapshot = buildSnapshot(tinyNetwork(), NOW);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 10 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), async (steps, shards, refillUnits) => {
        const ctx = await tinyTableWith(dynalite.endpoint, []);
        await reportOnHand(ctx, 'S1', { warehouseId: 'WH-1', sku: 'A', onHand: 20, asOf: NOW.toISOString() });
        expect(await enableShards(ctx, 'S1', 'WH-1', 'A', shards)).toBe(true);
        // Two containers, each with its own hot-item layer, race on the same item.
        const layers = [0, 1].map(() => createHotItems(ctx, { refillUnits, autoShard: false }));
        const model = { onHand: 20, asOf: NOW.getTime() };
        const open: Open[] = [];
        let n = 0;
        for (const s of steps) {
          if (s.kind === 'race') {
            const before = await readShardedStock(ctx, 'S1', 'WH-1', 'A');
            const results = await Promise.all(
              s.orders.map(async (qty, i) => {
                const id = `o-${(n += 1)}`;
                const order = orderRecord(id, [{ sku: 'A', qty }]);
                await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: orderItem(order) }));
                const d = decisionFor(id, qty);
                try {
                  await commitDecision({
                    ...ctx,
                    order,
                    decision: d,
                    reservations: { stock: [{ warehouseId: 'WH-1', sku: 'A', qty }], capacity: [] },
                    expectedVersion: 0,
                    snapshot,
                    hotItems: layers[i % 2]!,
                    conflictRetry: { maxAttempts: 80, baseMs: 1, capMs: 5 },
                  });
                  return { id, qty, ok: true };
                } catch (error) {
                  if (error instanceof SupplyExhaustedError) return { id, qty, ok: false };
                  throw error;
                }
              }),
            );
            const won = results.filter((r) => r.ok);
            for (const r of won) open.push({ id: r.id, qty: r.qty, shipped: false });
            const taken = won.reduce((a, r) => a + r.qty, 0);
            expect(taken).toBeLessThanOrEqual(Math.max(0, before.available));
            // Nothing stranded: when the race left units, one more order alone gets one.
            const after = await readShardedStock(ctx, 'S1', 'WH-1', 'A');
            if (after.available > 0) {
              const id = `o-${(n += 1)}`;
              const order = orderRecord(id, [{ sku: 'A', qty: 1 }]);
              await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: orderItem(order) }));
              await commitDecision({ ...ctx, order, decision: decisionFor(id, 1), reservations: { stock: [{ warehouseId: 'WH-1', sku: 'A', qty: 1 }], capacity: [] }, expectedVersion: 0, snapshot, hotItems: layers[0]!, conflictRetry: { maxAttempts: 80, baseMs: 1, capMs: 5 } });
              open.push({ id, qty: 1, shipped: false });
            }
          } else if (s.kind === 'cancel' || s.kind === 'ship') {
            const candidates = open.filter((o) => s.kind === 'cancel' || !o.shipped);
            if (candidates.length === 0) continue;
            const target = candidates[s.pick % candidates.length]!;
            if (s.kind === 'cancel') {
              expect((await cancelOrder(ctx, { orderId: target.id, sellerId: 'S1', now: NOW })).kind).toBe('done');
              open.splice(open.indexOf(target), 1);
            } else {
              expect((await confirmShipment(ctx, { orderId: target.id, sellerId: 'S1', shipment: 1, trackingNumber: 'T', now: NOW })).kind).toBe('done');
              target.shipped = true;
              model.onHand -= target.qty;
            }
          } else {
            const at = NOW.getTime() + s.minutes * 60_000;
            const outcome = await reportOnHand(ctx, 'S1', { warehouseId: 'WH-1', sku: 'A', onHand: s.onHand, asOf: new Date(at).toISOString() });
            expect(outcome).toBe(at > model.asOf ? 'applied' : 'stale');
            if (at > model.asOf) Object.assign(model, { onHand: s.onHand, asOf: at });
          }
          const level = await readShardedStock(ctx, 'S1', 'WH-1', 'A');
          const reserved = open.filter((o) => !o.shipped).reduce((a, o) => a + o.qty, 0);
          expect({ onHand: level.onHand, reserved: level.reserved, available: level.available }).toEqual({
            onHand: model.onHand,
            reserved,
            available: model.onHand - reserved,
          });
          // escrowed = Σ shard (available + reserved) as of the last fold, so it covers what shards hold.
          expect(level.escrowed).toBeGreaterThanOrEqual(level.shards.reduce((a, x) => a + x.available, 0));
          for (const shard of level.shards) expect(shard.available).toBeGreaterThanOrEqual(0);
          const main = (await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.stock('S1', 'WH-1', 'A'), ConsistentRead: true }))).Item!;
          // The pool goes below zero only when a count came in under what is reserved (as an
          // unsharded item's may), and then no shard holds a unit to hand out.
          if (Number(main.available) < 0) expect(level.shards.map((x) => x.available)).toEqual(level.shards.map(() => 0));
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 20) },
    );
  }, 600_000);
});
