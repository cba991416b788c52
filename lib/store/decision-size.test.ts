import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import { Decision } from '#routing/decision.ts';
import { commitDecision } from './commit.ts';
import { DECISION_BUDGET_BYTES, boundedDecision, itemSizeBytes } from './decision-size.ts';
import { keys } from './keys.ts';
import { NOW, freshTable, orderRecord, tinyNetwork } from './test-fixtures.ts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { orderItem } from './orders.ts';
import { writeReference } from './reference.ts';

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => dynalite.stop());

/** The probe: 100 unknown long SKUs, every candidate naming each of them (about 1.85 MB). */
function hugeDecision(orderId: string, skus: readonly string[]): Decision {
  const routes = ['direct:P1', 'warehouse:WH-1', 'rail:L1', 'warehouse:WH-2', 'rail:L2', 'split:WH-1+direct', 'direct:P2', 'warehouse:WH-3', 'rail:L3'];
  return {
    orderId,
    sellerId: 'S1',
    decidedAt: NOW.toISOString(),
    status: 'unroutable',
    candidates: routes.map((routeId) => ({
      routeId,
      mode: 'direct-parcel',
      feasible: false,
      reasons: skus.map((sku) => ({ code: 'unknown-sku', message: `SKU ${sku} is not in the catalogue` })),
    })),
  };
}

describe('a decision larger than the item limit', () => {
  const skus = Array.from({ length: 100 }, (_, i) => `SKU-${i}-`.padEnd(2000, 'x'));

  it('is committed in a bounded, readable form and marked so (dynalite enforces 400 KB)', async () => {
    const order = orderRecord('o-big', skus.map((sku) => ({ sku, qty: 1 })));
    const ctx = await freshTable(dynalite.endpoint);
    await writeReference(ctx, tinyNetwork());
    await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: orderItem(order) }));
    const full = hugeDecision('o-big', skus);
    expect(itemSizeBytes({ decision: full })).toBeGreaterThan(400 * 1024);

    const outcome = await commitDecision({
      ...ctx, order, decision: full, reservations: { stock: [], capacity: [] }, expectedVersion: 0,
      snapshot: buildSnapshot(tinyNetwork(), NOW),
    });
    expect(outcome).toEqual({ kind: 'committed', decisionVersion: 1 });

    const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.order('o-big'), ConsistentRead: true }));
    expect(Item?.status).toBe('unroutable');
    expect(['summary', 'compressed']).toContain(Item?.decisionStored);
    expect(itemSizeBytes(Item)).toBeLessThan(400 * 1024);
    // Readable as any decision: the schema holds, every candidate keeps its verdict and reason codes.
    const stored = Decision.parse(Item?.decision);
    expect(stored.candidates.map((c) => c.routeId)).toEqual(full.candidates.map((c) => c.routeId));
    for (const c of stored.candidates) {
      expect(c.reasons).toHaveLength(1);
      expect(c.reasons?.[0]?.code).toBe('unknown-sku');
      expect(c.reasons?.[0]?.message).toMatch(/and 99 more/);
    }
    if (Item?.decisionStored === 'compressed') {
      expect(JSON.parse(gunzipSync(Item.decisionGzip as Uint8Array).toString('utf8'))).toEqual(full);
    }
    const { Item: record } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.decisionRecord('o-big', 1), ConsistentRead: true }));
    expect(record?.decisionStored).toBe(Item?.decisionStored);
    expect(Decision.parse(record?.decision)).toEqual(stored);
  });

  it('a decision within the budget is stored as it is', () => {
    const small = hugeDecision('o-1', ['A', 'B']);
    expect(boundedDecision(small)).toEqual({ decision: small });
    expect(itemSizeBytes({ decision: small })).toBeLessThan(DECISION_BUDGET_BYTES);
  });

  it('counts sizes by DynamoDB rules: UTF-8 bytes of names and strings, 3 bytes per map or list, 1 per element', () => {
    expect(itemSizeBytes({ a: 'é' })).toBe(1 + 2);
    expect(itemSizeBytes({ ab: true })).toBe(2 + 1);
    expect(itemSizeBytes({ l: ['x', 'y'] })).toBe(1 + 3 + 2 + 2);
    expect(itemSizeBytes({ m: { k: 'v' } })).toBe(1 + 3 + 1 + 1 + 1);
  });
});
