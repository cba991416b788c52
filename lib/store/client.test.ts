import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import type { StoreContext } from './batch.ts';
import { createDocumentClient } from './client.ts';
import { freshTable } from './test-fixtures.ts';

let dynalite: DynaliteHandle;
let ctx: StoreContext;
const saved = { ...process.env };

beforeAll(async () => {
  dynalite = await startDynalite();
  ctx = await freshTable(dynalite.endpoint);
});
afterAll(async () => {
  process.env = saved;
  await dynalite.stop();
});

describe('createDocumentClient', () => {
  it('finds the endpoint in AWS_ENDPOINT_URL_DYNAMODB, with no local switch in the code', async () => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    const doc = createDocumentClient();
    await doc.send(new PutCommand({ TableName: ctx.tableName, Item: { pk: 'X', sk: 'Y', optional: undefined, n: 1 } }));
    const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: { pk: 'X', sk: 'Y' } }));
    expect(Item).toEqual({ pk: 'X', sk: 'Y', n: 1 });
  });

  it('refuses a class instance instead of storing it as a map', async () => {
    class Money {
      amount = 1;
    }
    await expect(
      ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: { pk: 'X', sk: 'Z', money: new Money() } })),
    ).rejects.toThrow();
  });
});
