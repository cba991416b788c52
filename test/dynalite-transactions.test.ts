/**
 * The patched dynalite (patches/dynalite+4.0.0.patch) must answer TransactWriteItems and
 * TransactGetItems the way DynamoDB does, through the same AWS SDK v3 calls the service makes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CreateTableCommand,
  IdempotentParameterMismatchException,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactionConflictException,
  TransactionInProgressException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TABLE } from '#shared/definitions.ts';
import { startDynalite, type DynaliteHandle } from './helpers/dynalite.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const TableName = TABLE.id;
let dynamo: DynaliteHandle;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startDynalite();
  doc = DynamoDBDocumentClient.from(dynamo.client);
  const gsi = TABLE.globalSecondaryIndexes[0];
  await dynamo.client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: TABLE.partitionKey.name, AttributeType: 'S' },
        { AttributeName: TABLE.sortKey.name, AttributeType: 'S' },
        { AttributeName: gsi.partitionKey.name, AttributeType: 'S' },
        { AttributeName: gsi.sortKey.name, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: TABLE.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: gsi.indexName,
          KeySchema: [
            { AttributeName: gsi.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: gsi.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
});

afterAll(async () => {
  await dynamo?.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

/** Each test works under its own partition so tests stay independent on one table. */
let scopeCounter = 0;
function scope(): string {
  scopeCounter += 1;
  return `T${scopeCounter}`;
}

async function putStock(pk: string, units: number): Promise<void> {
  await doc.send(new PutCommand({ TableName, Item: { pk, sk: 'STOCK', units } }));
}

async function readItem(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
  return (await doc.send(new GetCommand({ TableName, Key: { pk, sk }, ConsistentRead: true }))).Item;
}

function decrement(pk: string, n: number): TransactItem {
  return {
    Update: {
      TableName,
      Key: { pk, sk: 'STOCK' },
      UpdateExpression: 'SET #u = #u - :n',
      ConditionExpression: '#u >= :n',
      ExpressionAttributeNames: { '#u': 'units' },
      ExpressionAttributeValues: { ':n': n },
    },
  };
}

function insert(pk: string, sk: string, extra: Record<string, unknown> = {}): TransactItem {
  return {
    Put: { TableName, Item: { pk, sk, ...extra }, ConditionExpression: 'attribute_not_exists(pk)' },
  };
}

/** Whether DynamoDB refused the call because another transaction held one of its items. */
function isConflict(err: unknown): boolean {
  if (err instanceof TransactionConflictException) return true;
  return (
    err instanceof TransactionCanceledException &&
    (err.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
    (err.CancellationReasons ?? []).every((r) => r.Code === 'TransactionConflict' || r.Code === 'None')
  );
}

/**
 * What a client must do on AWS: retry a call refused for a transaction conflict (after a short
 * random pause), and only that. Counts the conflicts it met, so a test can show they happened.
 */
const conflicts = { count: 0 };
async function retryingConflicts<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      if (!isConflict(err) || attempt >= 200) throw err;
      conflicts.count += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    }
  }
}

/** Resolves to the rejection of a promise, failing the test if it fulfils. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the call to be rejected'),
    (err: unknown) => err,
  );
}

describe('TransactWriteItems', () => {
  it('applies every member when all conditions hold', async () => {
    const pk = scope();
    await putStock(pk, 5);
    await doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 2), insert(pk, 'DECISION#1')] }));
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 3 });
    expect(await readItem(pk, 'DECISION#1')).toBeDefined();
  });

  it('writes nothing at all when one condition fails', async () => {
    const pk = scope();
    await putStock(pk, 5);
    await putStock(`${pk}-rail`, 1);
    const err = await rejectionOf(
      doc.send(
        new TransactWriteCommand({
          TransactItems: [decrement(pk, 2), insert(pk, 'DECISION#1'), decrement(`${pk}-rail`, 2)],
        }),
      ),
    );
    expect(err).toBeInstanceOf(TransactionCanceledException);
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 5 });
    expect(await readItem(pk, 'DECISION#1')).toBeUndefined();
    expect(await readItem(`${pk}-rail`, 'STOCK')).toMatchObject({ units: 1 });
  });

  it('gives one cancellation reason per member, in order, with the old item when asked', async () => {
    const pk = scope();
    await putStock(pk, 1);
    await putStock(`${pk}-b`, 0);
    const err = await rejectionOf(
      dynamo.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName,
                Key: { pk: { S: pk }, sk: { S: 'STOCK' } },
                UpdateExpression: 'SET units = units - :n',
                ConditionExpression: 'units >= :n',
                ExpressionAttributeValues: { ':n': { N: '1' } },
              },
            },
            {
              Update: {
                TableName,
                Key: { pk: { S: `${pk}-b` }, sk: { S: 'STOCK' } },
                UpdateExpression: 'SET units = units - :n',
                ConditionExpression: 'units >= :n',
                ExpressionAttributeValues: { ':n': { N: '1' } },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              ConditionCheck: {
                TableName,
                Key: { pk: { S: `${pk}-missing` }, sk: { S: 'STOCK' } },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
          ],
        }),
      ),
    );
    expect(err).toBeInstanceOf(TransactionCanceledException);
    const canceled = err as TransactionCanceledException;
    expect(canceled.$metadata.httpStatusCode).toBe(400);
    expect(canceled.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons ' +
        '[None, ConditionalCheckFailed, ConditionalCheckFailed]',
    );
    expect(canceled.CancellationReasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: { S: `${pk}-b` }, sk: { S: 'STOCK' }, units: { N: '0' } },
      },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
  });

  it('accepts a ConditionCheck-only transaction and cancels it when the check fails', async () => {
    const pk = scope();
    await putStock(pk, 3);
    const check = (min: number): TransactItem => ({
      ConditionCheck: {
        TableName,
        Key: { pk, sk: 'STOCK' },
        ConditionExpression: 'units >= :min',
        ExpressionAttributeValues: { ':min': min },
      },
    });
    await expect(doc.send(new TransactWriteCommand({ TransactItems: [check(3)] }))).resolves.toBeDefined();
    const err = await rejectionOf(doc.send(new TransactWriteCommand({ TransactItems: [check(4)] })));
    expect((err as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
      'ConditionalCheckFailed',
    ]);
    expect(await readItem(pk, 'STOCK')).toEqual({ pk, sk: 'STOCK', units: 3 });
  });

  it('decrements with SET a = a - :n only while a >= :n', async () => {
    const pk = scope();
    await putStock(pk, 3);
    await doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 2)] }));
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 1 });
    const err = await rejectionOf(doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 2)] })));
    expect(err).toBeInstanceOf(TransactionCanceledException);
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 1 });
  });

  it('reports an update that cannot be applied as a ValidationError reason and writes nothing', async () => {
    const pk = scope();
    await doc.send(new PutCommand({ TableName, Item: { pk, sk: 'STOCK', units: 'many' } }));
    await putStock(`${pk}-b`, 2);
    const subtractFromText: TransactItem = {
      Update: {
        TableName,
        Key: { pk, sk: 'STOCK' },
        UpdateExpression: 'SET units = units - :n',
        ExpressionAttributeValues: { ':n': 1 },
      },
    };
    const err = await rejectionOf(
      doc.send(new TransactWriteCommand({ TransactItems: [decrement(`${pk}-b`, 1), subtractFromText] })),
    );
    const reasons = (err as TransactionCanceledException).CancellationReasons;
    expect(reasons?.map((r) => r.Code)).toEqual(['None', 'ValidationError']);
    expect(await readItem(`${pk}-b`, 'STOCK')).toMatchObject({ units: 2 });
  });

  it('deletes an item, conditionally', async () => {
    const pk = scope();
    await putStock(pk, 0);
    const remove = (units: number): TransactItem => ({
      Delete: {
        TableName,
        Key: { pk, sk: 'STOCK' },
        ConditionExpression: 'units = :u',
        ExpressionAttributeValues: { ':u': units },
      },
    });
    await rejectionOf(doc.send(new TransactWriteCommand({ TransactItems: [remove(1)] })));
    expect(await readItem(pk, 'STOCK')).toBeDefined();
    await doc.send(new TransactWriteCommand({ TransactItems: [remove(0)] }));
    expect(await readItem(pk, 'STOCK')).toBeUndefined();
  });

  it('puts with attribute_not_exists only once', async () => {
    const pk = scope();
    await doc.send(new TransactWriteCommand({ TransactItems: [insert(pk, 'DECISION#1', { v: 1 })] }));
    const err = await rejectionOf(
      doc.send(new TransactWriteCommand({ TransactItems: [insert(pk, 'DECISION#1', { v: 2 })] })),
    );
    expect((err as TransactionCanceledException).CancellationReasons?.[0]?.Code).toBe('ConditionalCheckFailed');
    expect(await readItem(pk, 'DECISION#1')).toMatchObject({ v: 1 });
  });

  it('keeps the secondary index in step with the items it writes', async () => {
    const pk = scope();
    const gsi1pk = `SELLER#${pk}#ORDERS`;
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          insert(pk, 'ORDER#a', { gsi1pk, gsi1sk: '2026-11-01#a' }),
          insert(pk, 'ORDER#b', { gsi1pk, gsi1sk: '2026-11-02#b' }),
        ],
      }),
    );
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName, Key: { pk, sk: 'ORDER#a' } } },
          {
            Update: {
              TableName,
              Key: { pk, sk: 'ORDER#b' },
              UpdateExpression: 'SET gsi1sk = :s',
              ExpressionAttributeValues: { ':s': '2026-11-03#b' },
            },
          },
        ],
      }),
    );
    const { Items } = await doc.send(
      new QueryCommand({
        TableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': gsi1pk },
      }),
    );
    expect(Items?.map((item) => item['gsi1sk'])).toEqual(['2026-11-03#b']);
  });

  it('refuses two operations on the same item', async () => {
    const pk = scope();
    await putStock(pk, 5);
    const err = await rejectionOf(
      doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 1), decrement(pk, 1)] })),
    );
    expect((err as Error).name).toBe('ValidationException');
    expect((err as Error).message).toBe('Transaction request cannot include multiple operations on one item');
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 5 });
  });

  it('refuses 101 members and accepts 100', async () => {
    const pk = scope();
    const members = (n: number) => Array.from({ length: n }, (_, i) => insert(pk, `ITEM#${i}`));
    const err = await rejectionOf(doc.send(new TransactWriteCommand({ TransactItems: members(101) })));
    expect((err as Error).name).toBe('ValidationException');
    expect((err as Error).message).toMatch(/Member must have length less than or equal to 100/);
    expect(await readItem(pk, 'ITEM#0')).toBeUndefined();

    await doc.send(new TransactWriteCommand({ TransactItems: members(100) }));
    const { Count } = await doc.send(
      new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': pk } }),
    );
    expect(Count).toBe(100);
  });

  it('answers ResourceNotFoundException for a missing table', async () => {
    const err = await rejectionOf(
      doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'NoSuchTable', Item: { pk: 'x', sk: 'y' } } }] })),
    );
    expect(err).toBeInstanceOf(ResourceNotFoundException);
  });

  it('applies a retry with the same ClientRequestToken only once', async () => {
    const pk = scope();
    await putStock(pk, 5);
    const input = { TransactItems: [decrement(pk, 2)], ClientRequestToken: `${pk}-token` };
    await doc.send(new TransactWriteCommand(input));
    await doc.send(new TransactWriteCommand(input));
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 3 });
  });

  it('refuses a reused ClientRequestToken with a different payload', async () => {
    const pk = scope();
    await putStock(pk, 5);
    const ClientRequestToken = `${pk}-token`;
    await doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 2)], ClientRequestToken }));
    const err = await rejectionOf(
      doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 1)], ClientRequestToken })),
    );
    expect(err).toBeInstanceOf(IdempotentParameterMismatchException);
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 3 });
  });

  it('runs a cancelled transaction again when retried with its token', async () => {
    const pk = scope();
    await putStock(pk, 1);
    const input = { TransactItems: [decrement(pk, 2)], ClientRequestToken: `${pk}-token` };
    await rejectionOf(doc.send(new TransactWriteCommand(input)));
    await putStock(pk, 2);
    await doc.send(new TransactWriteCommand(input));
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 0 });
  });

  it('treats a token as new once its 10-minute window has passed', async () => {
    const pk = scope();
    await putStock(pk, 5);
    const input = { TransactItems: [decrement(pk, 1)], ClientRequestToken: `${pk}-token` };
    // Only Date is faked: dynalite runs in this process and reads the clock for the window.
    vi.useFakeTimers({ toFake: ['Date'] });
    await doc.send(new TransactWriteCommand(input));
    vi.setSystemTime(Date.now() + 9 * 60_000);
    await doc.send(new TransactWriteCommand(input));
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 4 });
    vi.setSystemTime(Date.now() + 2 * 60_000);
    await doc.send(new TransactWriteCommand(input));
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 3 });
  });

  it('applies concurrent retries of one token once, answering the overlapping ones as in progress', async () => {
    const pk = scope();
    await putStock(pk, 10);
    const input = { TransactItems: [decrement(pk, 1)], ClientRequestToken: `${pk}-token` };
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => doc.send(new TransactWriteCommand(input))),
    );
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(TransactionInProgressException);
    }
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 9 });
  });

  it('lets exactly 10 of 50 concurrent orders take the last 10 units', async () => {
    const pk = scope();
    await putStock(pk, 10);
    const before = conflicts.count;
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        retryingConflicts(() =>
          doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 1), insert(pk, `DECISION#${i}`)] })),
        ),
      ),
    );
    // They overlapped: DynamoDB (and the twin) refused some for the conflict, and the retries ran.
    expect(conflicts.count).toBeGreaterThan(before);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    for (const r of rejected) {
      expect(r.reason).toBeInstanceOf(TransactionCanceledException);
      expect((r.reason as TransactionCanceledException).CancellationReasons?.[0]?.Code).toBe('ConditionalCheckFailed');
    }
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 0 });
    const { Count } = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :d)',
        ExpressionAttributeValues: { ':p': pk, ':d': 'DECISION#' },
      }),
    );
    expect(Count).toBe(10);
  });

  it('serialises with single-item writes on the same item', async () => {
    const pk = scope();
    await putStock(pk, 0);
    const add = (n: number) =>
      dynamo.client.send(
        new UpdateItemCommand({
          TableName,
          Key: { pk: { S: pk }, sk: { S: 'STOCK' } },
          UpdateExpression: 'ADD units :n',
          ExpressionAttributeValues: { ':n': { N: String(n) } },
        }),
      );
    const increment: TransactItem = {
      Update: {
        TableName,
        Key: { pk, sk: 'STOCK' },
        UpdateExpression: 'SET units = units + :n',
        ExpressionAttributeValues: { ':n': 1 },
      },
    };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        retryingConflicts<unknown>(() => (i % 2 ? add(1) : doc.send(new TransactWriteCommand({ TransactItems: [increment] })))),
      ),
    );
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 20 });
  });

  it('cancels a transaction that overlaps another in flight on the same item with TransactionConflict', async () => {
    const pk = scope();
    await putStock(pk, 10);
    await putStock(`${pk}-other`, 10);
    const first = doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 1)] }));
    // Sent while the first holds the item: refused, not queued; its other member is reported None.
    const second = doc.send(new TransactWriteCommand({ TransactItems: [decrement(`${pk}-other`, 1), decrement(pk, 1)] }));
    const [a, b] = await Promise.allSettled([first, second]);
    const outcomes = [a, b].map((r) => r.status);
    expect(outcomes.sort()).toEqual(['fulfilled', 'rejected']);
    const refused = (a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason) as TransactionCanceledException;
    expect(refused).toBeInstanceOf(TransactionCanceledException);
    const units = Number((await readItem(pk, 'STOCK'))?.['units']);
    expect(units).toBe(9);
    if (a.status === 'fulfilled') {
      expect(refused.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'TransactionConflict']);
      expect(refused.message).toBe(
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]',
      );
      // Nothing of the cancelled transaction was written.
      expect(await readItem(`${pk}-other`, 'STOCK')).toMatchObject({ units: 10 });
    }
  });

  it('refuses a single-item write to an item a transaction holds with TransactionConflictException', async () => {
    const pk = scope();
    await putStock(pk, 10);
    const transaction = doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 1)] }));
    const write = doc.send(new PutCommand({ TableName, Item: { pk, sk: 'STOCK', units: 100 } }));
    const [t, w] = await Promise.allSettled([transaction, write]);
    // Exactly one of them landed, and the other was refused for the conflict.
    if (w.status === 'rejected') {
      expect(w.reason).toBeInstanceOf(TransactionConflictException);
      expect((w.reason as Error).message).toBe('Transaction is ongoing for the item');
      expect(t.status).toBe('fulfilled');
      expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 9 });
    } else {
      expect(t.status).toBe('rejected');
      expect(isConflict((t as PromiseRejectedResult).reason)).toBe(true);
      expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 100 });
    }
  });

  it('does not hold items after a conflict or a cancellation: the next call on them succeeds', async () => {
    const pk = scope();
    await putStock(pk, 1);
    await Promise.allSettled(
      Array.from({ length: 5 }, () => doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 1)] }))),
    );
    await doc.send(new PutCommand({ TableName, Item: { pk, sk: 'STOCK', units: 3 } }));
    await doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 3)] }));
    expect(await readItem(pk, 'STOCK')).toMatchObject({ units: 0 });
  });
});

describe('TransactGetItems', () => {
  it('returns the items in request order, an empty response for a missing one', async () => {
    const pk = scope();
    await putStock(`${pk}-a`, 1);
    await putStock(`${pk}-b`, 2);
    const { Responses } = await doc.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName, Key: { pk: `${pk}-b`, sk: 'STOCK' } } },
          { Get: { TableName, Key: { pk: `${pk}-none`, sk: 'STOCK' } } },
          { Get: { TableName, Key: { pk: `${pk}-a`, sk: 'STOCK' }, ProjectionExpression: 'units' } },
        ],
      }),
    );
    expect(Responses?.map((r) => r.Item)).toEqual([{ pk: `${pk}-b`, sk: 'STOCK', units: 2 }, undefined, { units: 1 }]);
  });

  it('sees a consistent snapshot while transactions move units between two items', async () => {
    const pk = scope();
    await putStock(`${pk}-a`, 50);
    await putStock(`${pk}-b`, 50);
    const move = (from: string, to: string) =>
      retryingConflicts(() => doc.send(
        new TransactWriteCommand({
          TransactItems: [
            decrement(from, 1),
            {
              Update: {
                TableName,
                Key: { pk: to, sk: 'STOCK' },
                UpdateExpression: 'SET units = units + :n',
                ExpressionAttributeValues: { ':n': 1 },
              },
            },
          ],
        }),
      ));
    const snapshot = async () => {
      const { Responses } = await retryingConflicts(() => doc.send(
        new TransactGetCommand({
          TransactItems: [
            { Get: { TableName, Key: { pk: `${pk}-a`, sk: 'STOCK' } } },
            { Get: { TableName, Key: { pk: `${pk}-b`, sk: 'STOCK' } } },
          ],
        }),
      ));
      return (Responses ?? []).reduce((sum, r) => sum + Number(r.Item?.['units']), 0);
    };
    const work = Array.from({ length: 20 }, (_, i) =>
      i % 2 ? move(`${pk}-a`, `${pk}-b`) : move(`${pk}-b`, `${pk}-a`),
    );
    const sums = await Promise.all(Array.from({ length: 10 }, snapshot));
    await Promise.all(work);
    expect(sums.every((sum) => sum === 100)).toBe(true);
    expect(await snapshot()).toBe(100);
  });

  it('cancels a read transaction that meets a write transaction in flight, and lets reads share an item', async () => {
    const pk = scope();
    await putStock(pk, 5);
    const get = () => doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName, Key: { pk, sk: 'STOCK' } } }] }));
    const reads = await Promise.all([get(), get(), get()]);
    expect(reads.map((r) => r.Responses?.[0]?.Item?.['units'])).toEqual([5, 5, 5]);
    const write = doc.send(new TransactWriteCommand({ TransactItems: [decrement(pk, 1)] }));
    const read = get();
    const [w, r] = await Promise.allSettled([write, read]);
    expect(w.status).toBe('fulfilled');
    expect(r.status).toBe('rejected');
    expect((r as PromiseRejectedResult).reason).toBeInstanceOf(TransactionCanceledException);
    expect(((r as PromiseRejectedResult).reason as TransactionCanceledException).CancellationReasons?.map((c) => c.Code)).toEqual([
      'TransactionConflict',
    ]);
  });

  it('refuses two Gets of the same item', async () => {
    const pk = scope();
    const get = { Get: { TableName, Key: { pk, sk: 'STOCK' } } };
    const err = await rejectionOf(doc.send(new TransactGetCommand({ TransactItems: [get, get] })));
    expect((err as Error).message).toBe('Transaction request cannot include multiple operations on one item');
  });
});
