/**
 * The route-and-commit loop of lib/orders/route-order.ts over the real adapters (the decision
 * committer and snapshot loader of lib/store on dynalite): contention, stale caches, reroutes.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision, Reservations } from '#routing/decision.ts';
import type { StoreContext } from '#store/batch.ts';
import { createDecisionCommitter } from '#store/commit.ts';
import { keys } from '#store/keys.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { createOrderStore, orderItem } from '#store/orders.ts';
import { writeReference } from '#store/reference.ts';
import { createSnapshotLoader, type SnapshotLoader } from '#store/snapshot.ts';
import type { ConflictRetryOptions } from '#store/conflict-retry.ts';
import { TransientError } from '#shared/errors.ts';
import { NOW, decision, freshTable, orderRecord, storedAvailable, storedUsedLitres, takeRail, takeStock, tinyNetwork, tinyTableWith } from '#store/test-fixtures.ts';
import { NO_RESERVATIONS, routeAndCommit as routeAndCommitUseCase, withExhausted, withReleased } from './route-order.ts';

let dynalite: DynaliteHandle;

beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => dynalite.stop());

/** A table holding the tiny network (10 × A at WH-1, D1 with 1000 L) and these orders. */
const tableWith = (orders: readonly OrderRecord[]): Promise<StoreContext> => tinyTableWith(dynalite.endpoint, orders);
const available = storedAvailable;
const usedLitres = storedUsedLitres;

const snapshot = (): NetworkSnapshot => buildSnapshot(tinyNetwork(), NOW);

/** The use case wired to the store adapters, with a fake router that decides on the snapshot alone. */
function routeAndCommit(input: StoreContext & {
  order: OrderRecord;
  now: Date;
  loader: SnapshotLoader;
  route: (snapshot: NetworkSnapshot) => Decision;
  reservationsOf: (decision: Decision, snapshot: NetworkSnapshot) => Reservations;
  maxAttempts?: number;
  fresh?: boolean;
  conflictRetry?: ConflictRetryOptions;
}) {
  return routeAndCommitUseCase(
    input.order,
    {
      snapshots: input.loader,
      committer: createDecisionCommitter({
        doc: input.doc,
        tableName: input.tableName,
        ...(input.conflictRetry === undefined ? {} : { conflictRetry: input.conflictRetry }),
      }),
      router: { route: (_order, s) => input.route(s), reservationsOf: input.reservationsOf },
    },
    { now: input.now, ...(input.fresh === undefined ? {} : { fresh: input.fresh }), ...(input.maxAttempts === undefined ? {} : { maxAttempts: input.maxAttempts }) },
  );
}

/**
 * What SQS does for the worker: a call that failed with a TransientError (here, a commit whose
 * conflict retries ran out under load) is delivered again. Counts the redeliveries.
 */
async function redelivering<T>(call: () => Promise<T>, counter: { redeliveries: number }): Promise<T> {
  for (let receive = 1; ; receive += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof TransientError) || receive >= 5) throw error;
      counter.redeliveries += 1;
    }
  }
}

describe('routeAndCommit', () => {
  const stockOf = (s: NetworkSnapshot) => s.stock.find((r) => r.warehouseId === 'WH-1' && r.sku === 'A')?.available ?? 0;
  const d1Of = (s: NetworkSnapshot) => s.railLanes[0]!.departures.find((d) => d.id === 'D1')!.remainingLitres;

  /** Takes the warehouse when the snapshot has the units, else goes direct. */
  const warehouseOrDirect = (order: OrderRecord) => (s: NetworkSnapshot) => {
    const qty = order.order.lines[0]!.qty;
    return stockOf(s) >= qty
      ? decision(order.orderId, 'warehouse:WH-1', 'overseas-warehouse')
      : decision(order.orderId, 'direct:P1', 'direct-parcel');
  };
  const stockReservations = (d: Decision, order: OrderRecord): Reservations =>
    d.chosen?.mode === 'overseas-warehouse' ? takeStock(order.order.lines[0]!.qty) : NO_RESERVATIONS;

  it('50 concurrent orders for 10 units: exactly 10 take the warehouse, the rest are re-routed, stock ends at 0', async () => {
    const orders = Array.from({ length: 50 }, (_, i) => orderRecord(`o-c${i}`));
    const ctx = await tableWith(orders);
    // Five warm containers, each with its own cache.
    const loaders = Array.from({ length: 5 }, () => createSnapshotLoader({ ...ctx, ttlSeconds: 60 }));
    await Promise.all(loaders.map((l) => l.load('S1', NOW)));

    let conflicts = 0;
    const sqs = { redeliveries: 0 };
    const outcomes = await Promise.all(
      orders.map((order, i) =>
        redelivering(
          () =>
            routeAndCommit({
              ...ctx,
              order,
              now: NOW,
              loader: loaders[i % loaders.length]!,
              route: warehouseOrDirect(order),
              reservationsOf: (d) => stockReservations(d, order),
              conflictRetry: { onConflict: () => (conflicts += 1) },
            }),
          sqs,
        ),
      ),
    );
    // As on DynamoDB, overlapping commits were cancelled for the conflict and sent again.
    expect(conflicts).toBeGreaterThan(0);
    const committed = outcomes.filter((o) => o.kind === 'committed');
    expect(committed).toHaveLength(50);
    const modes = committed.map((o) => o.decision.chosen?.mode);
    expect(modes.filter((m) => m === 'overseas-warehouse')).toHaveLength(10);
    expect(modes.filter((m) => m === 'direct-parcel')).toHaveLength(40);
    expect(committed.some((o) => o.attempts > 1)).toBe(true);
    expect(await available(ctx)).toBe(0);
    const store = createOrderStore(ctx);
    const stored = await Promise.all(orders.map((o) => store.getOrder(o.orderId)));
    expect(stored.every((o) => o?.decisionVersion === 1 && o.status === 'routed')).toBe(true);
    expect(stored.filter((o) => o?.decision?.chosen?.mode === 'overseas-warehouse')).toHaveLength(10);
  });

  it('50 concurrent orders for the last cubic metre of a departure: exactly 10 get 100 L each', async () => {
    const orders = Array.from({ length: 50 }, (_, i) => orderRecord(`o-r${i}`));
    const ctx = await tableWith(orders);
    const loaders = Array.from({ length: 5 }, () => createSnapshotLoader({ ...ctx, ttlSeconds: 60 }));
    const railOrDirect = (order: OrderRecord) => (s: NetworkSnapshot) =>
      d1Of(s) >= 100 ? decision(order.orderId, 'rail:D1', 'rail-to-warehouse') : decision(order.orderId, 'direct:P1', 'direct-parcel');

    let conflicts = 0;
    const sqs = { redeliveries: 0 };
    const outcomes = await Promise.all(
      orders.map((order, i) =>
        redelivering(
          () =>
            routeAndCommit({
              ...ctx,
              order,
              now: NOW,
              loader: loaders[i % loaders.length]!,
              route: railOrDirect(order),
              reservationsOf: (d) => (d.chosen?.mode === 'rail-to-warehouse' ? takeRail('D1', 100) : NO_RESERVATIONS),
              conflictRetry: { onConflict: () => (conflicts += 1) },
            }),
          sqs,
        ),
      ),
    );
    // As on DynamoDB, overlapping commits were cancelled for the conflict and sent again.
    expect(conflicts).toBeGreaterThan(0);
    const modes = outcomes.map((o) => (o.kind === 'committed' ? o.decision.chosen?.mode : o.kind));
    expect(modes.filter((m) => m === 'rail-to-warehouse')).toHaveLength(10);
    expect(modes.filter((m) => m === 'direct-parcel')).toHaveLength(40);
    expect(await usedLitres(ctx, 'D1')).toBe(1000);
  });

  it('after maxAttempts on stale data, routes with the exhausted source treated as empty', async () => {
    const order = orderRecord('o-stale');
    const ctx = await tableWith([order]);
    await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: { ...keys.stock('S1', 'WH-1', 'A'), kind: 'stock', sellerId: 'S1', warehouseId: 'WH-1', sku: 'A', available: 0 } }));
    // A loader that never sees the stock go: the worst a cache can do.
    let invalidated = 0;
    const stale: SnapshotLoader = { load: async () => snapshot(), invalidate: () => void (invalidated += 1) };
    const outcome = await routeAndCommit({
      ...ctx,
      order,
      now: NOW,
      loader: stale,
      maxAttempts: 2,
      route: warehouseOrDirect(order),
      reservationsOf: (d) => stockReservations(d, order),
    });
    expect(outcome).toMatchObject({ kind: 'committed', attempts: 3, decisionVersion: 1 });
    expect(outcome.kind === 'committed' && outcome.decision.chosen?.routeId).toBe('direct:P1');
    expect(invalidated).toBe(2);
    expect(await available(ctx)).toBe(0);
  });

  it('a reroute may keep the units the order already holds, though the table shows none left', async () => {
    const held: OrderRecord = {
      ...orderRecord('o-keep', [{ sku: 'A', qty: 2 }]),
      status: 'routed',
      decisionVersion: 1,
      decision: decision('o-keep', 'warehouse:WH-1', 'overseas-warehouse'),
      reservations: takeStock(2),
    };
    const ctx = await tableWith([held]);
    await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: { ...keys.stock('S1', 'WH-1', 'A'), kind: 'stock', sellerId: 'S1', warehouseId: 'WH-1', sku: 'A', available: 0 } }));
    const loader = createSnapshotLoader({ ...ctx, ttlSeconds: 60 });
    const outcome = await routeAndCommit({
      ...ctx,
      order: held,
      now: NOW,
      loader,
      fresh: true,
      route: warehouseOrDirect(held),
      reservationsOf: (d) => stockReservations(d, held),
    });
    expect(outcome).toMatchObject({ kind: 'committed', decisionVersion: 2, attempts: 1 });
    expect(outcome.kind === 'committed' && outcome.decision.chosen?.mode).toBe('overseas-warehouse');
    expect(await available(ctx)).toBe(0);
  });

  it('reports already-decided when another delivery committed this version', async () => {
    const order = orderRecord('o-dup');
    const ctx = await tableWith([{ ...order, status: 'routed', decisionVersion: 1 }]);
    const outcome = await routeAndCommit({
      ...ctx,
      order,
      now: NOW,
      loader: createSnapshotLoader({ ...ctx, ttlSeconds: 60 }),
      route: warehouseOrDirect(order),
      reservationsOf: (d) => stockReservations(d, order),
    });
    expect(outcome).toEqual({ kind: 'already-decided', attempts: 1 });
    expect(await available(ctx)).toBe(10);
  });

  it('withReleased and withExhausted adjust only the named stock and departures', () => {
    const s = snapshot();
    const released = withReleased(s, 'S1', { stock: [{ warehouseId: 'WH-1', sku: 'A', qty: 3 }], capacity: [{ departureId: 'D1', laneId: 'L1', litres: 0 }] });
    expect(stockOf(released)).toBe(13);
    const emptied = withExhausted(released, [{ warehouseId: 'WH-1', sku: 'A' }], new Set(['D1']));
    expect(stockOf(emptied)).toBe(0);
    expect(d1Of(emptied)).toBe(0);
    expect(emptied.railLanes[0]!.departures.filter((d) => d.id !== 'D1').every((d) => d.remainingLitres === 64_000)).toBe(true);
    expect(stockOf(s)).toBe(10);
  });

  it('withReleased gives units held on a lot back to the lot, and those of a lot no longer on the train to the shelf', () => {
    const s = { ...snapshot(), inbound: [{ sellerId: 'S1', warehouseId: 'WH-1', sku: 'A', lotId: 'P-1', remaining: 2, arrivesOn: '2026-12-12' }] };
    const released = withReleased(s, 'S1', {
      stock: [],
      capacity: [],
      inbound: [
        { lotId: 'P-1', warehouseId: 'WH-1', sku: 'A', qty: 3 },
        { lotId: 'P-0', warehouseId: 'WH-1', sku: 'A', qty: 4 },
      ],
    });
    expect(released.inbound).toEqual([{ ...s.inbound[0], remaining: 5 }]);
    // P-0 has arrived: its promise is a stock reservation now.
    expect(stockOf(released)).toBe(14);
  });
});
