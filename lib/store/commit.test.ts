import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision, Reservations } from '#routing/decision.ts';
import { SilkrouteError, TransientError } from '#shared/errors.ts';
import type { StoreContext } from './batch.ts';
import {
  NO_RESERVATIONS,
  commitDecision,
  netReservations,
  routeAndCommit,
  withExhausted,
  withReleased,
} from './commit.ts';
import { OutOfCapacityError, OutOfStockError } from './errors.ts';
import { keys } from './keys.ts';
import type { OrderRecord } from './order-record.ts';
import { createOrderStore, orderItem } from './orders.ts';
import { writeReference } from './reference.ts';
import { createSnapshotLoader, type SnapshotLoader } from './snapshot.ts';
import { NOW, decision, documentClient, freshTable, orderRecord, tinyNetwork } from './test-fixtures.ts';

let dynalite: DynaliteHandle;

beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => dynalite.stop());

/** A table holding the tiny network (10 × A at WH-1, D1 with 1000 L) and these orders. */
async function tableWith(orders: readonly OrderRecord[]): Promise<StoreContext> {
  const ctx = await freshTable(dynalite.endpoint);
  await writeReference(ctx, tinyNetwork());
  for (const order of orders) await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: orderItem(order) }));
  return ctx;
}

async function available(ctx: StoreContext): Promise<number | undefined> {
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.stock('S1', 'WH-1', 'A'), ConsistentRead: true }));
  return Item?.available as number | undefined;
}

async function usedLitres(ctx: StoreContext, departureId: string): Promise<number | undefined> {
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.departure(departureId), ConsistentRead: true }));
  return Item?.usedLitres as number | undefined;
}

const snapshot = (): NetworkSnapshot => buildSnapshot(tinyNetwork(), NOW);
const takeStock = (qty: number): Reservations => ({ stock: [{ warehouseId: 'WH-1', sku: 'A', qty }], capacity: [] });
const takeRail = (departureId: string, litres: number): Reservations => ({ stock: [], capacity: [{ departureId, laneId: 'L1', litres }] });

describe('commitDecision', () => {
  it('writes the decision and takes the stock once; a second decision for the same version is AlreadyDecided', async () => {
    const order = orderRecord('o-1', [{ sku: 'A', qty: 2 }]);
    const ctx = await tableWith([order]);
    const first = decision('o-1', 'warehouse:WH-1', 'overseas-warehouse');
    const input = { ...ctx, order, decision: first, reservations: takeStock(2), expectedVersion: 0, snapshot: snapshot() };

    expect(await commitDecision(input)).toEqual({ kind: 'committed', decisionVersion: 1 });
    expect(await available(ctx)).toBe(8);
    const stored = await createOrderStore(ctx).getOrder('o-1');
    expect(stored).toMatchObject({ status: 'routed', decisionVersion: 1, decision: first, reservations: takeStock(2), updatedAt: first.decidedAt });

    const rival = decision('o-1', 'warehouse:WH-1', 'overseas-warehouse', '2026-11-23T00:00:05.000Z');
    expect(await commitDecision({ ...input, decision: rival })).toEqual({ kind: 'already-decided' });
    expect(await available(ctx)).toBe(8);
    expect((await createOrderStore(ctx).getOrder('o-1'))?.decision).toEqual(first);
  });

  it('answers an SDK retry of a commit whose response was lost (same token) as committed, taking the stock once', async () => {
    const order = orderRecord('o-retry');
    const ctx = await tableWith([order]);
    const input = {
      ...ctx,
      order,
      decision: decision('o-retry', 'warehouse:WH-1', 'overseas-warehouse'),
      reservations: takeStock(1),
      expectedVersion: 0,
      snapshot: snapshot(),
      clientRequestToken: 'sdk-retry-of-one-call',
    };
    expect(await commitDecision(input)).toEqual({ kind: 'committed', decisionVersion: 1 });
    expect(await commitDecision(input)).toEqual({ kind: 'committed', decisionVersion: 1 });
    expect(await available(ctx)).toBe(9);
  });

  it('lets only one of two identical commits for the same version win (tokens are per call, not per content)', async () => {
    const order = orderRecord('o-twins');
    const ctx = await tableWith([order]);
    // Two containers deciding the same order identically in the same millisecond.
    const input = { ...ctx, order, decision: decision('o-twins', 'warehouse:WH-1', 'overseas-warehouse'), reservations: takeStock(1), expectedVersion: 0, snapshot: snapshot() };
    const outcomes = await Promise.all([commitDecision(input), commitDecision(input)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['already-decided', 'committed']);
    expect(await available(ctx)).toBe(9);
  });

  it('names the stock item that ran out and changes nothing', async () => {
    const order = orderRecord('o-short', [{ sku: 'A', qty: 11 }]);
    const ctx = await tableWith([order]);
    const error = await commitDecision({
      ...ctx,
      order,
      decision: decision('o-short', 'warehouse:WH-1', 'overseas-warehouse'),
      reservations: takeStock(11),
      expectedVersion: 0,
      snapshot: snapshot(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as OutOfStockError).exhausted).toEqual({ stock: [{ warehouseId: 'WH-1', sku: 'A' }], capacity: [] });
    expect(await available(ctx)).toBe(10);
    expect((await createOrderStore(ctx).getOrder('o-short'))?.decisionVersion).toBe(0);
  });

  it('books litres on an explicit departure and creates a scheduled departure on first reservation', async () => {
    const order = orderRecord('o-rail');
    const ctx = await tableWith([order, orderRecord('o-rail-2')]);
    const base = { ...ctx, expectedVersion: 0, snapshot: snapshot() };
    await commitDecision({ ...base, order, decision: decision('o-rail', 'rail:D1', 'rail-to-warehouse'), reservations: takeRail('D1', 400) });
    expect(await usedLitres(ctx, 'D1')).toBe(400);

    expect(await usedLitres(ctx, 'L1-2026-11-30')).toBeUndefined();
    await commitDecision({
      ...base,
      order: orderRecord('o-rail-2'),
      decision: decision('o-rail-2', 'rail:L1-2026-11-30', 'rail-to-warehouse'),
      reservations: takeRail('L1-2026-11-30', 250),
    });
    const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.departure('L1-2026-11-30') }));
    expect(Item).toMatchObject({ usedLitres: 250, capacityLitres: 64_000, laneId: 'L1', departureId: 'L1-2026-11-30' });
  });

  it('refuses litres beyond what is left, naming the departure; more than the whole train fails before writing', async () => {
    const ctx = await tableWith([orderRecord('o-a'), orderRecord('o-b'), orderRecord('o-c')]);
    const base = { ...ctx, expectedVersion: 0, snapshot: snapshot() };
    const rail = (id: string) => decision(id, 'rail:D1', 'rail-to-warehouse');
    await commitDecision({ ...base, order: orderRecord('o-a'), decision: rail('o-a'), reservations: takeRail('D1', 700) });
    const error = await commitDecision({ ...base, order: orderRecord('o-b'), decision: rail('o-b'), reservations: takeRail('D1', 301) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutOfCapacityError);
    expect((error as OutOfCapacityError).exhausted.capacity).toEqual([{ departureId: 'D1' }]);
    expect(await commitDecision({ ...base, order: orderRecord('o-b'), decision: rail('o-b'), reservations: takeRail('D1', 300) })).toMatchObject({ kind: 'committed' });
    expect(await usedLitres(ctx, 'D1')).toBe(1000);
    await expect(
      commitDecision({ ...base, order: orderRecord('o-c'), decision: rail('o-c'), reservations: takeRail('L1-2026-11-30', 64_001) }),
    ).rejects.toBeInstanceOf(OutOfCapacityError);
    expect(await usedLitres(ctx, 'L1-2026-11-30')).toBeUndefined();
  });

  it('a reroute gives back the previous reservations in the same transaction', async () => {
    const decided: OrderRecord = {
      ...orderRecord('o-re', [{ sku: 'A', qty: 2 }]),
      status: 'routed',
      decisionVersion: 1,
      decision: decision('o-re', 'warehouse:WH-1', 'overseas-warehouse'),
      reservations: takeStock(2),
    };
    const ctx = await tableWith([decided]);
    // As if version 1 had taken its 2 units: 8 left.
    await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: { ...keys.stock('S1', 'WH-1', 'A'), kind: 'stock', sellerId: 'S1', warehouseId: 'WH-1', sku: 'A', available: 8 } }));
    const outcome = await commitDecision({
      ...ctx,
      order: decided,
      decision: decision('o-re', 'rail:D1', 'rail-to-warehouse', '2026-11-23T02:00:00.000Z'),
      reservations: takeRail('D1', 120),
      releasing: decided.reservations!,
      expectedVersion: 1,
      snapshot: snapshot(),
    });
    expect(outcome).toEqual({ kind: 'committed', decisionVersion: 2 });
    expect(await available(ctx)).toBe(10);
    expect(await usedLitres(ctx, 'D1')).toBe(120);
    expect(await createOrderStore(ctx).getOrder('o-re')).toMatchObject({ decisionVersion: 2, reservations: takeRail('D1', 120) });

    // Back to the warehouse, and an unroutable decision releases everything.
    const v2 = (await createOrderStore(ctx).getOrder('o-re'))!;
    const unroutable: Decision = { ...decision('o-re', 'x', 'direct-parcel', '2026-11-23T03:00:00.000Z'), status: 'unroutable', chosen: undefined };
    await commitDecision({ ...ctx, order: v2, decision: unroutable, reservations: NO_RESERVATIONS, releasing: v2.reservations!, expectedVersion: 2, snapshot: snapshot() });
    expect(await usedLitres(ctx, 'D1')).toBe(0);
    expect(await createOrderStore(ctx).getOrder('o-re')).toMatchObject({ status: 'unroutable', decisionVersion: 3 });
  });
});

describe('commit failures that a retry may fix', () => {
  const order = orderRecord('o-mock');
  const input = (doc: StoreContext['doc']) => ({
    doc,
    tableName: 'any',
    order,
    decision: decision('o-mock', 'warehouse:WH-1', 'overseas-warehouse'),
    reservations: takeStock(1),
    expectedVersion: 0,
    snapshot: snapshot(),
  });
  const awsError = (name: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 }, ...extra });

  it('maps throttling to TransientError', async () => {
    const doc = documentClient(dynalite.endpoint);
    mockClient(doc).on(TransactWriteCommand).rejects(awsError('ThrottlingException'));
    const error = await commitDecision(input(doc)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).cause).toMatchObject({ name: 'ThrottlingException' });
  });

  it('maps a cancellation by a conflicting transaction to TransientError, a validation reason to a plain error', async () => {
    const conflicted = documentClient(dynalite.endpoint);
    mockClient(conflicted).on(TransactWriteCommand).rejects(
      awsError('TransactionCanceledException', { CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] }),
    );
    await expect(commitDecision(input(conflicted))).rejects.toBeInstanceOf(TransientError);
    const invalid = documentClient(dynalite.endpoint);
    mockClient(invalid).on(TransactWriteCommand).rejects(
      awsError('TransactionCanceledException', { CancellationReasons: [{ Code: 'None' }, { Code: 'ValidationError' }] }),
    );
    const error = await commitDecision(input(invalid)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SilkrouteError);
    expect(error).not.toBeInstanceOf(TransientError);
  });
});

describe('netReservations', () => {
  const line = fc.record({ warehouseId: fc.constantFrom('W1', 'W2'), sku: fc.constantFrom('A', 'B'), qty: fc.integer({ min: 1, max: 5 }) });
  const cap = fc.record({ departureId: fc.constantFrom('D1', 'D2'), laneId: fc.constant('L1'), litres: fc.integer({ min: 1, max: 500 }) });
  const reservations = fc.record({ stock: fc.array(line, { maxLength: 6 }), capacity: fc.array(cap, { maxLength: 4 }) });

  it('touches each item once, with what is taken minus what is given back', () => {
    fc.assert(
      fc.property(reservations, reservations, (taking, releasing) => {
        const net = netReservations(taking, releasing);
        const sum = (list: readonly { qty: number }[]) => list.reduce((a, b) => a + b.qty, 0);
        for (const [id, entry] of net.stock) {
          const match = (r: { warehouseId: string; sku: string }) => `${r.warehouseId}\u0000${r.sku}` === id;
          expect(entry.qty).toBe(sum(taking.stock.filter(match)) - sum(releasing.stock.filter(match)));
        }
        const keysSeen = new Set([...taking.stock, ...releasing.stock].map((r) => `${r.warehouseId}\u0000${r.sku}`));
        expect(net.stock.size).toBe(keysSeen.size);
        const litres = (list: readonly { departureId: string; litres: number }[], id: string) =>
          list.filter((r) => r.departureId === id).reduce((a, b) => a + b.litres, 0);
        for (const [id, entry] of net.capacity) expect(entry.litres).toBe(litres(taking.capacity, id) - litres(releasing.capacity, id));
      }),
    );
  });
});

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

    const outcomes = await Promise.all(
      orders.map((order, i) =>
        routeAndCommit({
          ...ctx,
          order,
          now: NOW,
          loader: loaders[i % loaders.length]!,
          route: warehouseOrDirect(order),
          reservationsOf: (d) => stockReservations(d, order),
        }),
      ),
    );
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
      d1Of(s) >= 0.1 ? decision(order.orderId, 'rail:D1', 'rail-to-warehouse') : decision(order.orderId, 'direct:P1', 'direct-parcel');

    const outcomes = await Promise.all(
      orders.map((order, i) =>
        routeAndCommit({
          ...ctx,
          order,
          now: NOW,
          loader: loaders[i % loaders.length]!,
          route: railOrDirect(order),
          reservationsOf: (d) => (d.chosen?.mode === 'rail-to-warehouse' ? takeRail('D1', 100) : NO_RESERVATIONS),
        }),
      ),
    );
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
});
