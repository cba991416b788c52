/**
 * Paging and batching loops the SDK leaves to us: BatchWrite in chunks of 25 and BatchGet in
 * chunks of 100, retrying unprocessed entries with backoff; Query through every page.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TransientError } from '#shared/errors.ts';
import type { Key } from './keys.ts';

export type Item = Record<string, unknown>;
export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

/** Where the data lives: every repository function takes this. */
export interface StoreContext {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
}

const MAX_UNPROCESSED_ROUNDS = 8;

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** Full jitter backoff: 25 ms, 50 ms, … capped at 1 s. */
function backoff(round: number): Promise<void> {
  const ms = Math.random() * Math.min(1000, 25 * 2 ** round);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Writes every request, 25 per call, retrying UnprocessedItems; calls are made one after another. */
export async function batchWriteAll(ctx: StoreContext, requests: readonly WriteRequest[]): Promise<void> {
  for (const chunk of chunks(requests, 25)) {
    let pending: WriteRequest[] = chunk;
    for (let round = 0; pending.length > 0; round += 1) {
      if (round > MAX_UNPROCESSED_ROUNDS) {
        throw new TransientError(`BatchWrite left ${pending.length} items unprocessed after ${round} rounds`);
      }
      if (round > 0) await backoff(round);
      const result = await ctx.doc.send(new BatchWriteCommand({ RequestItems: { [ctx.tableName]: pending } }));
      pending = (result.UnprocessedItems?.[ctx.tableName] ?? []) as WriteRequest[];
    }
  }
}

/** Reads every key (in chunks of 100, in parallel); a missing item is simply absent from the result. */
export async function batchGetAll(
  ctx: StoreContext,
  keys: readonly Key[],
  options: { consistent?: boolean } = {},
): Promise<Item[]> {
  const pages = await Promise.all(
    chunks(keys, 100).map(async (chunk) => {
      const found: Item[] = [];
      let pending: Key[] = chunk;
      for (let round = 0; pending.length > 0; round += 1) {
        if (round > MAX_UNPROCESSED_ROUNDS) {
          throw new TransientError(`BatchGet left ${pending.length} keys unprocessed after ${round} rounds`);
        }
        if (round > 0) await backoff(round);
        const result = await ctx.doc.send(
          new BatchGetCommand({
            RequestItems: { [ctx.tableName]: { Keys: pending, ConsistentRead: options.consistent ?? false } },
          }),
        );
        found.push(...((result.Responses?.[ctx.tableName] ?? []) as Item[]));
        pending = (result.UnprocessedKeys?.[ctx.tableName]?.Keys ?? []) as Key[];
      }
      return found;
    }),
  );
  return pages.flat();
}

/** Every item of a query, following LastEvaluatedKey. */
export async function queryAll(ctx: StoreContext, input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc.send(
      new QueryCommand({ ...input, TableName: ctx.tableName, ExclusiveStartKey: startKey }),
    );
    items.push(...((page.Items ?? []) as Item[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
