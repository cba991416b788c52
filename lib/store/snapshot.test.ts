import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import type { StoreContext } from './batch.ts';
import { MissingDataError } from './errors.ts';
import { keys } from './keys.ts';
import { writeReference } from './reference.ts';
import { createSnapshotLoader } from './snapshot.ts';
import { NOW, documentClient, freshTable, recordCalls, tinyNetwork } from './test-fixtures.ts';

let dynalite: DynaliteHandle;
let ctx: StoreContext;

beforeAll(async () => {
  dynalite = await startDynalite();
  ctx = await freshTable(dynalite.endpoint);
  const files = tinyNetwork();
  await writeReference(ctx, {
    ...files,
    sellers: [...files.sellers, { ...files.sellers[0]!, id: 'S2', name: 'Seller Two' }],
    skus: [...files.skus, { ...files.skus[0]!, sellerId: 'S2' }],
    stock: [...files.stock, { ...files.stock[0]!, sellerId: 'S2', available: 4 }],
  });
  // 250 L of D1 taken already.
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.tableName,
      Key: keys.departure('D1'),
      UpdateExpression: 'SET usedLitres = :u',
      ExpressionAttributeValues: { ':u': 250 },
    }),
  );
});
afterAll(async () => dynalite.stop());

let time = 0;
const clock = () => time;
beforeEach(() => {
  time = 1_000_000;
});

function loaderWithRecorder(ttlSeconds = 60) {
  const doc = documentClient(dynalite.endpoint);
  const recorder = recordCalls(doc);
  const loader = createSnapshotLoader({ doc, tableName: ctx.tableName, ttlSeconds, clock });
  return { recorder, loader };
}

const partitionOf = (input: Record<string, unknown>) =>
  (input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':pk'];

describe('snapshot loader', () => {
  it('reads a cold seller in two dependent rounds: network and seller together, then the departures', async () => {
    const { recorder, loader } = loaderWithRecorder();
    const snapshot = await loader.load('S1', NOW);

    expect(recorder.calls.map((c) => [c.command, partitionOf(c.input) ?? 'capacity'])).toEqual([
      ['QueryCommand', 'NETWORK'],
      ['QueryCommand', 'SELLER#S1'],
      ['BatchGetItemCommand', 'capacity'],
    ]);
    expect(recorder.rounds()).toBe(2);
    const [network, seller, capacity] = recorder.calls;
    expect(seller!.start).toBeLessThan(network!.end!);
    expect(capacity!.start).toBeGreaterThan(network!.end!);

    expect(snapshot.sellers.map((s) => s.id)).toEqual(['S1']);
    expect(snapshot.stock).toEqual([{ sellerId: 'S1', warehouseId: 'WH-1', sku: 'A', available: 10 }]);
    const departures = snapshot.railLanes[0]!.departures;
    expect(departures.map((d) => [d.id, d.remainingLitres])).toEqual([
      ['L1-2026-11-23', 64_000],
      ['D1', 750],
      ['L1-2026-11-30', 64_000],
    ]);
  });

  it('serves a warm seller from the cache without a read', async () => {
    const { recorder, loader } = loaderWithRecorder();
    const first = await loader.load('S1', NOW);
    recorder.reset();
    time += 59_000;
    const second = await loader.load('S1', new Date(NOW.getTime() + 59_000));
    expect(recorder.calls).toEqual([]);
    expect(second).toBe(first);
  });

  it('reads another seller in one round once the network part is cached', async () => {
    const { recorder, loader } = loaderWithRecorder();
    await loader.load('S1', NOW);
    recorder.reset();
    const snapshot = await loader.load('S2', NOW);
    expect(recorder.calls.map((c) => c.command)).toEqual(['QueryCommand', 'BatchGetItemCommand']);
    expect(partitionOf(recorder.calls[0]!.input)).toBe('SELLER#S2');
    expect(recorder.rounds()).toBe(1);
    expect(snapshot.stock).toEqual([{ sellerId: 'S2', warehouseId: 'WH-1', sku: 'A', available: 4 }]);
  });

  it('reads again once the cached snapshot is older than ttlSeconds', async () => {
    const { recorder, loader } = loaderWithRecorder(30);
    await loader.load('S1', NOW);
    recorder.reset();
    time += 30_000;
    await loader.load('S1', NOW);
    expect(recorder.calls.map((c) => c.command)).toEqual(['QueryCommand', 'QueryCommand', 'BatchGetItemCommand']);
  });

  it('after invalidate(seller) sees new stock in one round; invalidate() reads the network again', async () => {
    const { recorder, loader } = loaderWithRecorder();
    await loader.load('S2', NOW);
    await ctx.doc.send(
      new PutCommand({ TableName: ctx.tableName, Item: { ...keys.stock('S2', 'WH-1', 'A'), kind: 'stock', sellerId: 'S2', warehouseId: 'WH-1', sku: 'A', available: 1 } }),
    );
    expect((await loader.load('S2', NOW)).stock[0]!.available).toBe(4);
    loader.invalidate('S2');
    recorder.reset();
    expect((await loader.load('S2', NOW)).stock[0]!.available).toBe(1);
    expect(recorder.rounds()).toBe(1);
    // invalidate() without a seller also forgets the shared network part.
    loader.invalidate();
    recorder.reset();
    await loader.load('S2', NOW);
    expect(recorder.rounds()).toBe(2);
  });

  it('shares one read among concurrent loads of a seller, and `fresh` bypasses the cache', async () => {
    const { recorder, loader } = loaderWithRecorder();
    const [a, b, c] = await Promise.all([loader.load('S1', NOW), loader.load('S1', NOW), loader.load('S1', NOW)]);
    expect(recorder.calls).toHaveLength(3);
    expect(b).toBe(a);
    expect(c).toBe(a);
    recorder.reset();
    await loader.load('S1', NOW, { fresh: true });
    expect(recorder.calls.map((x) => x.command)).toEqual(['QueryCommand', 'QueryCommand', 'BatchGetItemCommand']);
  });

  it('with ttlSeconds 0 reads on every load', async () => {
    const { recorder, loader } = loaderWithRecorder(0);
    await loader.load('S1', NOW);
    await loader.load('S1', NOW);
    expect(recorder.calls.filter((c) => partitionOf(c.input) === 'SELLER#S1')).toHaveLength(2);
  });

  it('names an unknown seller', async () => {
    const { loader } = loaderWithRecorder();
    await expect(loader.load('nobody', NOW)).rejects.toBeInstanceOf(MissingDataError);
  });
});
