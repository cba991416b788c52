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
} from './commit.ts';
import { conflictPauseMs, retryingConflicts, TransactionConflictError } from './conflict-retry.ts';
import { OutOfCapacityError, OutOfStockError } from './errors.ts';
import { keys } from './keys.ts';
import type { OrderRecord } from './order-record.ts';
import { createOrderStore, orderItem } from './orders.ts';
import { setDepartureCapacity, writeReference } from './reference.ts';
import { NOW, decision, documentClient, freshTable, orderRecord, storedAvailable, storedUsedLitres, takeRail, takeStock, tinyNetwork, tinyTableWith } from './test-fixtures.ts';

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

  it('honours a capacity cut on the next commit although the decision was made on a snapshot from before the cut', async () => {
    const ctx = await tableWith([orderRecord('o-a'), orderRecord('o-b'), orderRecord('o-c')]);
    const warm = snapshot(); // D1 at 1000 L, as a warm cache still has it
    const rail = (id: string) => decision(id, 'rail:D1', 'rail-to-warehouse');
    const base = { ...ctx, expectedVersion: 0, snapshot: warm };
    await commitDecision({ ...base, order: orderRecord('o-a'), decision: rail('o-a'), reservations: takeRail('D1', 50) });
    await setDepartureCapacity(ctx, { departureId: 'D1', laneId: 'L1', capacityLitres: 100 });
    expect(await commitDecision({ ...base, order: orderRecord('o-b'), decision: rail('o-b'), reservations: takeRail('D1', 50) })).toMatchObject({ kind: 'committed' });
    await expect(commitDecision({ ...base, order: orderRecord('o-c'), decision: rail('o-c'), reservations: takeRail('D1', 1) })).rejects.toBeInstanceOf(OutOfCapacityError);
    const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.departure('D1'), ConsistentRead: true }));
    expect(Item).toMatchObject({ usedLitres: 100, capacityLitres: 100, freeLitres: 0 });
  });

  it('keeps reserved beside available: taking adds to reserved, giving back takes from it', async () => {
    const order = orderRecord('o-res', [{ sku: 'A', qty: 3 }]);
    const ctx = await tableWith([order]);
    await commitDecision({ ...ctx, order, decision: decision('o-res', 'warehouse:WH-1', 'overseas-warehouse'), reservations: takeStock(3), expectedVersion: 0, snapshot: snapshot() });
    const read = async () => (await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.stock('S1', 'WH-1', 'A'), ConsistentRead: true }))).Item;
    expect(await read()).toMatchObject({ available: 7, reserved: 3 });
    await commitDecision({
      ...ctx,
      order: { ...order, decisionVersion: 1 },
      decision: decision('o-res', 'direct:P1', 'direct-parcel'),
      reservations: NO_RESERVATIONS,
      releasing: takeStock(3),
      expectedVersion: 1,
      snapshot: snapshot(),
    });
    expect(await read()).toMatchObject({ available: 10, reserved: 0 });
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

  it('sends a commit cancelled by a conflicting transaction again, and leaves it to SQS after maxAttempts', async () => {
    const conflicted = documentClient(dynalite.endpoint);
    const mock = mockClient(conflicted);
    const conflict = awsError('TransactionCanceledException', { CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }] });
    mock.on(TransactWriteCommand).rejectsOnce(conflict).rejectsOnce(awsError('TransactionConflictException')).resolves({});
    const pauses: number[] = [];
    const ok = await commitDecision({ ...input(conflicted), conflictRetry: { sleep: async (ms) => void pauses.push(ms) } });
    expect(ok).toEqual({ kind: 'committed', decisionVersion: 1 });
    expect(pauses).toHaveLength(2);
    const tokens = mock.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(new Set(tokens).size).toBe(3);

    const always = documentClient(dynalite.endpoint);
    const alwaysMock = mockClient(always);
    alwaysMock.on(TransactWriteCommand).rejects(conflict);
    const error = await commitDecision({ ...input(always), conflictRetry: { maxAttempts: 4, sleep: async () => {} } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionConflictError);
    expect(error).toBeInstanceOf(TransientError);
    expect(alwaysMock.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });

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

describe('retryingConflicts', () => {
  it('retries only conflicts, with full-jitter pauses that grow to the cap', async () => {
    let calls = 0;
    const other = new TransientError('throttled');
    await expect(retryingConflicts(async () => { calls += 1; throw other; }, { sleep: async () => {} })).rejects.toBe(other);
    expect(calls).toBe(1);
    expect([1, 2, 3, 8].map((a) => conflictPauseMs(a, { baseMs: 10, capMs: 50 }, () => 0.999))).toEqual([9, 19, 39, 49]);
    expect(conflictPauseMs(5, {}, () => 0)).toBe(0);
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
