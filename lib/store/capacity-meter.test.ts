import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { capacityMeter } from './capacity-meter.ts';
import { freshTable } from './test-fixtures.ts';

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => dynalite.stop());

describe('the capacity meter', () => {
  it('counts requests and the consumed capacity the server returns, per operation', async () => {
    const ctx = await freshTable(dynalite.endpoint);
    capacityMeter.reset();
    await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: { pk: 'A', sk: 'A', text: 'x'.repeat(1500) } }));
    await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: { pk: 'A', sk: 'A' }, ConsistentRead: true }));
    await ctx.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: ctx.tableName, Item: { pk: 'B', sk: 'B' } } },
          { Put: { TableName: ctx.tableName, Item: { pk: 'C', sk: 'C' } } },
        ],
      }),
    );
    const put = [...capacityMeter.byOperation].find(([k]) => k.startsWith('Put'))![1];
    expect(put.requests).toBe(1);
    // 1.5 KB: two write units.
    expect(put.writeUnits).toBe(2);
    const transact = [...capacityMeter.byOperation].find(([k]) => k.startsWith('TransactWrite'))![1];
    // Two small items written transactionally: 2 units each.
    expect(transact.writeUnits).toBe(4);
    expect(capacityMeter.totals().requests).toBeGreaterThanOrEqual(3);
  });
});
