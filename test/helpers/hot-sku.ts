/**
 * The hot-SKU rehearsal (issue 18 item 1): `containers` warm router containers (fresh instances
 * of functions/route-orders.ts, each with its own snapshot cache and hot-item layer) take batches
 * of `batchSize` from one queue of orders that all want one T-shirt at one warehouse, on patched
 * dynalite, which cancels overlapping transactions with `TransactionConflict` as DynamoDB does.
 * The queue is modelled as SQS delivers: a record the handler reports failed comes back with its
 * receive count + 1 and is dead-lettered after the orders queue's maxReceiveCount. Used by
 * test/hot-sku.test.ts (correctness, untimed) and bench/hot-sku.bench.ts (reservations/s).
 */
import { randomUUID } from 'node:crypto';
import { QUEUES } from '#shared/definitions.ts';
import { readShardedStock } from '#store/shards.ts';
import { invokeRouter, putReceivedOrder, readOrder, setStock, startWorkerTwin, teeOrder, type Delivery } from './worker-twin.ts';

export const HOT = { sellerId: 'tianmen-garments', warehouseId: 'WH-DUI', sku: 'TEE-COT' } as const;

export interface HotSkuFigures {
  readonly containers: number;
  readonly batchSize: number;
  readonly orders: number;
  readonly stockBefore: number;
  readonly decided: number;
  readonly reservedAtHotItem: number;
  readonly availableAfter: number;
  readonly oversold: number;
  readonly deadLettered: number;
  readonly redeliveries: number;
  readonly invocations: number;
  /** Invocations that ran past the router's timeout (their whole batch redelivered). */
  readonly timeouts: number;
  readonly shards: number;
  readonly seconds: number;
  readonly reservationsPerSec: number;
  readonly decisionsPerSec: number;
  readonly problems: readonly string[];
}

export async function rehearseHotSku(options: { containers: number; batchSize: number; orders: number; stock: number }): Promise<HotSkuFigures> {
  const now = new Date();
  const twin = await startWorkerTwin({ now });
  try {
    await setStock(twin, HOT.sellerId, HOT.warehouseId, HOT.sku, options.stock);
    const ids: string[] = [];
    for (let i = 0; i < options.orders; i += 1) {
      const order = teeOrder(now);
      await putReceivedOrder(twin, order, now);
      ids.push(order.orderId);
    }
    const handlers = await Promise.all(Array.from({ length: options.containers }, () => twin.container()));
    const queue: Delivery[] = ids.map((orderId) => ({ messageId: randomUUID(), body: JSON.stringify({ orderId, afterVersion: 0 }), receiveCount: 1 }));
    const dead: Delivery[] = [];
    let redeliveries = 0;
    let invocations = 0;
    let timeouts = 0;
    const started = performance.now();
    await Promise.all(
      handlers.map(async (handler) => {
        for (;;) {
          const batch = queue.splice(0, options.batchSize);
          if (batch.length === 0) return;
          invocations += 1;
          // A timed-out invocation returns nothing: Lambda gives every record of it back to SQS.
          const failed = new Set(
            await invokeRouter(handler, batch).catch(() => {
              timeouts += 1;
              return batch.map((d) => d.messageId);
            }),
          );
          for (const d of batch) {
            if (!failed.has(d.messageId)) continue;
            if (d.receiveCount >= QUEUES.orders.maxReceiveCount) dead.push(d);
            else {
              redeliveries += 1;
              queue.push({ ...d, receiveCount: d.receiveCount + 1 });
            }
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const problems: string[] = [];
    let decided = 0;
    let reserved = 0;
    for (const id of ids) {
      const r = await readOrder(twin, id);
      if (r?.decisionVersion === 1 && (r.status === 'routed' || r.status === 'unroutable')) decided += 1;
      else problems.push(`${id}: ${r?.status} v${r?.decisionVersion}`);
      for (const s of r?.reservations?.stock ?? []) if (s.warehouseId === HOT.warehouseId && s.sku === HOT.sku) reserved += s.qty;
    }
    const level = await readShardedStock(twin, HOT.sellerId, HOT.warehouseId, HOT.sku);
    if (level.available !== options.stock - reserved) problems.push(`available ${level.available} != ${options.stock} − ${reserved}`);
    if (level.reserved !== reserved) problems.push(`reserved ${level.reserved} != Σ reservations ${reserved}`);
    level.shards.forEach((s, k) => s.available < 0 && problems.push(`shard ${k} at ${s.available}`));
    if (level.pool < 0) problems.push(`pool at ${level.pool}`);
    return {
      containers: options.containers,
      batchSize: options.batchSize,
      orders: options.orders,
      stockBefore: options.stock,
      decided,
      reservedAtHotItem: reserved,
      availableAfter: level.available,
      oversold: Math.max(0, reserved - options.stock),
      deadLettered: dead.length,
      redeliveries,
      invocations,
      timeouts,
      shards: level.shards.length,
      seconds: Math.round(seconds * 100) / 100,
      reservationsPerSec: Math.round(reserved / seconds),
      decisionsPerSec: Math.round(decided / seconds),
      problems,
    };
  } finally {
    await twin.stop();
  }
}
