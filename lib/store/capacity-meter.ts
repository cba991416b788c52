/**
 * Counting what DynamoDB work costs (issue 18 item 2): an SDK middleware on every document
 * client of the project asks for `ReturnConsumedCapacity: TOTAL` on the operations that take it
 * and adds up requests and consumed capacity per operation. Where the server returns no
 * `ConsumedCapacity` (dynalite answers it approximately, and not for a replayed token), the
 * figure counted is what it returned; docs/cost.md says which figures are computed instead.
 * Process-wide: a Lambda container (or the in-process twin of the load test) reads one meter.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const WITH_CAPACITY = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'TransactGetItemsCommand',
]);

export interface OperationCount {
  requests: number;
  readUnits: number;
  writeUnits: number;
  /** Requests whose answer carried no ConsumedCapacity. */
  unmetered: number;
}

export interface CapacityMeter {
  readonly byOperation: Map<string, OperationCount>;
  totals(): OperationCount;
  reset(): void;
}

function emptyCount(): OperationCount {
  return { requests: 0, readUnits: 0, writeUnits: 0, unmetered: 0 };
}

/** The meter every client built by createDocumentClient reports to. */
export const capacityMeter: CapacityMeter = {
  byOperation: new Map(),
  totals() {
    const t = emptyCount();
    for (const c of this.byOperation.values()) {
      t.requests += c.requests;
      t.readUnits += c.readUnits;
      t.writeUnits += c.writeUnits;
      t.unmetered += c.unmetered;
    }
    return t;
  },
  reset() {
    this.byOperation.clear();
  },
};

type Consumed = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

function unitsOf(consumed: Consumed | Consumed[] | undefined, writes: boolean): { read: number; write: number } | undefined {
  if (consumed === undefined) return undefined;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  let read = 0;
  let write = 0;
  for (const c of list) {
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      read += c.ReadCapacityUnits ?? 0;
      write += c.WriteCapacityUnits ?? 0;
    } else if (writes) write += c.CapacityUnits ?? 0;
    else read += c.CapacityUnits ?? 0;
  }
  return { read, write };
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** Adds the metering middleware to a DynamoDB client (idempotent per client). */
export function meterCapacity(client: DynamoDBClient, meter: CapacityMeter = capacityMeter): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      const input = args.input as { ReturnConsumedCapacity?: string };
      if (WITH_CAPACITY.has(name) && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const count = meter.byOperation.get(name) ?? emptyCount();
      meter.byOperation.set(name, count);
      count.requests += 1;
      const units = unitsOf((result.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity, WRITES.has(name));
      if (units === undefined) count.unmetered += 1;
      else {
        count.readUnits += units.read;
        count.writeUnits += units.write;
      }
      return result;
    },
    { step: 'initialize', name: 'silkrouteCapacityMeter', override: true },
  );
}
