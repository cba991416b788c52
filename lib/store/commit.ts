/**
 * Committing a decision: the order's new decision, the stock it takes and the rail capacity it
 * books — and, for a reroute, the previous decision's reservations given back — in ONE
 * TransactWriteItems. Two orders can never take the same last unit or the same last litre,
 * and a decision version is written once however many deliveries race for it.
 */
import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision, Reservations } from '#routing/decision.ts';
import { isTransient, SilkrouteError, TransientError } from '#shared/errors.ts';
import type { StoreContext } from './batch.ts';
import { retryingConflicts, TransactionConflictError, type ConflictRetryOptions } from './conflict-retry.ts';
import { OutOfCapacityError, OutOfStockError, SupplyExhaustedError, type Exhausted } from './errors.ts';
import { DECISION_BUDGET_BYTES, boundedDecision, itemSizeBytes } from './decision-size.ts';
import { keys } from './keys.ts';
import { lotActions, resolveLotReleases } from './lots.ts';
import type { OrderRecord } from './order-record.ts';
import type { HotItems } from './shards.ts';

/** DynamoDB's limit of actions per transaction. */
const MAX_TRANSACT_ITEMS = 100;

export const NO_RESERVATIONS: Reservations = { stock: [], capacity: [] };

export interface CommitDecisionInput extends StoreContext {
  readonly order: OrderRecord;
  readonly decision: Decision;
  readonly reservations: Reservations;
  /** The order's decisionVersion the decision was made after; the commit writes expectedVersion + 1. */
  readonly expectedVersion: number;
  /** The reservations of the decision being replaced (a reroute): given back in the same transaction. */
  readonly releasing?: Reservations;
  /** The snapshot the decision was made on: only a departure never booked before starts from its capacity. */
  readonly snapshot: Pick<NetworkSnapshot, 'railLanes'>;
  /** Default: a fresh token per call (newClientRequestToken). Tests pass one to model an SDK retry. */
  readonly clientRequestToken?: string;
  /** How a commit cancelled by a conflicting transaction is sent again (lib/store/conflict-retry.ts). */
  readonly conflictRetry?: ConflictRetryOptions;
  /** The container's hot-item layer (lib/store/shards.ts): same-item commits serialised, sharded stock. */
  readonly hotItems?: HotItems;
}

export type CommitOutcome =
  | { readonly kind: 'committed'; readonly decisionVersion: number }
  /** Another writer committed this version first: not an error, the caller has nothing to do. */
  | { readonly kind: 'already-decided' };

/** What each transaction action touches, to name the item behind a cancellation reason. */
type Target =
  | { readonly kind: 'order' }
  | { readonly kind: 'decision-record' }
  | { readonly kind: 'stock'; readonly warehouseId: string; readonly sku: string; readonly qty: number }
  | { readonly kind: 'capacity'; readonly departureId: string }
  | { readonly kind: 'lot'; readonly warehouseId: string; readonly skus: readonly string[] };

type TransactItem = Record<string, unknown>;

/**
 * A ClientRequestToken for one commit call. The SDK sends the same input on its own retries, so a
 * retry of a commit whose response was lost is answered as the success it was. It is unique per
 * call, never derived from the content: two containers that decide the same order identically
 * in the same millisecond must not share a token, or DynamoDB would answer the second as a
 * replay of the first and both would believe they won.
 */
export function newClientRequestToken(): string {
  return randomUUID();
}

/**
 * Net change per item: what the decision takes minus what the replaced decision gives back.
 * A transaction may touch an item once, so a reroute that keeps a warehouse nets out.
 */
export function netReservations(
  taking: Reservations,
  releasing: Reservations = NO_RESERVATIONS,
): { stock: Map<string, { warehouseId: string; sku: string; qty: number }>; capacity: Map<string, { departureId: string; laneId: string; litres: number }> } {
  const stock = new Map<string, { warehouseId: string; sku: string; qty: number }>();
  const capacity = new Map<string, { departureId: string; laneId: string; litres: number }>();
  const addStock = (r: Reservations['stock'][number], sign: 1 | -1) => {
    const id = `${r.warehouseId}\u0000${r.sku}`;
    const entry = stock.get(id) ?? { warehouseId: r.warehouseId, sku: r.sku, qty: 0 };
    stock.set(id, { ...entry, qty: entry.qty + sign * r.qty });
  };
  const addCapacity = (r: Reservations['capacity'][number], sign: 1 | -1) => {
    const entry = capacity.get(r.departureId) ?? { departureId: r.departureId, laneId: r.laneId, litres: 0 };
    capacity.set(r.departureId, { ...entry, litres: entry.litres + sign * r.litres });
  };
  for (const r of taking.stock) addStock(r, 1);
  for (const r of releasing.stock) addStock(r, -1);
  for (const r of taking.capacity) addCapacity(r, 1);
  for (const r of releasing.capacity) addCapacity(r, -1);
  return { stock, capacity };
}

/**
 * Writes decision version expectedVersion + 1 with its reservations in one transaction.
 * Returns `already-decided` when another writer got there first; throws OutOfStockError /
 * OutOfCapacityError (naming the items) when a reservation's condition failed, and
 * TransientError for conflicts, throttling and outages (retry later).
 */
export async function commitDecision(input: CommitDecisionInput): Promise<CommitOutcome> {
  const { order, decision, expectedVersion } = input;
  if (decision.orderId !== order.orderId) {
    throw new SilkrouteError(`decision is for order ${decision.orderId}, not ${order.orderId}`);
  }
  const nextVersion = expectedVersion + 1;
  // Over the item limit every commit would fail: a bounded form is stored instead, and marked.
  // The order's own lines share the item: the decision gets what they leave of the budget.
  const stored = boundedDecision(decision, Math.max(16 * 1024, DECISION_BUDGET_BYTES - itemSizeBytes(order.order)));
  const storedExtra = {
    ...(stored.decisionStored === undefined ? {} : { decisionStored: stored.decisionStored }),
    ...(stored.decisionGzip === undefined ? {} : { decisionGzip: stored.decisionGzip }),
  };
  const items: TransactItem[] = [];
  const targets: Target[] = [];

  items.push({
    Update: {
      TableName: input.tableName,
      Key: keys.order(order.orderId),
      UpdateExpression:
        `SET #status = :status, decision = :decision, reservations = :reservations, decisionVersion = :next, updatedAt = :at${
          stored.decisionStored === undefined ? '' : ', decisionStored = :stored'
        }${stored.decisionGzip === undefined ? '' : ', decisionGzip = :gzip'} REMOVE note, rcvpk, rcvsk${
          stored.decisionStored === undefined ? ', decisionStored' : ''
        }${stored.decisionGzip === undefined ? ', decisionGzip' : ''}`,
      // Exactly one writer per version: duplicates and racing deliveries fail here; and a
      // cancelled order (lib/store/fulfilment.ts) takes nothing again.
      ConditionExpression: 'decisionVersion = :expected AND #status <> :cancelled',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': decision.status,
        ':cancelled': 'cancelled',
        ':decision': stored.decision,
        ':reservations': input.reservations,
        ...(stored.decisionStored === undefined ? {} : { ':stored': stored.decisionStored }),
        ...(stored.decisionGzip === undefined ? {} : { ':gzip': stored.decisionGzip }),
        ':next': nextVersion,
        ':expected': expectedVersion,
        ':at': decision.decidedAt,
      },
    },
  });
  targets.push({ kind: 'order' });

  // Units promised from a lot that has since arrived are given back at the stock item (ADR 0036).
  const releasing = await resolveLotReleases(input, order.sellerId, input.releasing ?? NO_RESERVATIONS);
  const net = netReservations(input.reservations, releasing);
  const capacityOf = departureCapacities(input.snapshot);
  const tooBig: { departureId: string }[] = [];

  for (const entry of [...net.stock.values()].sort((a, b) => compare(a.warehouseId + a.sku, b.warehouseId + b.sku))) {
    if (entry.qty === 0) continue;
    const key = keys.stock(order.sellerId, entry.warehouseId, entry.sku);
    items.push(
      entry.qty > 0
        ? {
            Update: {
              TableName: input.tableName,
              Key: key,
              // available = onHand − reserved − safetyStock, kept in step in every transaction (ADR 0031).
              UpdateExpression: 'SET available = available - :qty, reserved = if_not_exists(reserved, :zero) + :qty',
              // The stored figure decides: stock never goes below zero; a missing item has no stock.
              ConditionExpression: 'available >= :qty',
              ExpressionAttributeValues: { ':qty': entry.qty, ':zero': 0 },
            },
          }
        : {
            Update: {
              TableName: input.tableName,
              Key: key,
              UpdateExpression:
                'SET available = if_not_exists(available, :zero) + :qty, reserved = if_not_exists(reserved, :qty) - :qty, kind = :kind, sellerId = :seller, warehouseId = :wh, sku = :sku',
              ExpressionAttributeValues: {
                ':qty': -entry.qty,
                ':zero': 0,
                ':kind': 'stock',
                ':seller': order.sellerId,
                ':wh': entry.warehouseId,
                ':sku': entry.sku,
              },
            },
          },
    );
    targets.push({ kind: 'stock', warehouseId: entry.warehouseId, sku: entry.sku, qty: entry.qty });
  }

  for (const entry of [...net.capacity.values()].sort((a, b) => compare(a.departureId, b.departureId))) {
    if (entry.litres === 0) continue;
    const key = keys.departure(entry.departureId);
    if (entry.litres > 0) {
      const capacityLitres = capacityOf.get(entry.departureId);
      // Gone from the snapshot (departed) or never able to hold the order: no transaction can succeed.
      if (capacityLitres === undefined || entry.litres > capacityLitres) {
        tooBig.push({ departureId: entry.departureId });
        continue;
      }
      items.push(capacityTake(input.tableName, entry, capacityLitres));
    } else {
      items.push({
        Update: {
          TableName: input.tableName,
          Key: key,
          // if_not_exists(usedLitres, :litres) - :litres: releasing on a missing item leaves 0, not a negative.
          UpdateExpression: 'SET usedLitres = if_not_exists(usedLitres, :litres) - :litres, freeLitres = if_not_exists(freeLitres, :zero) + :litres',
          ExpressionAttributeValues: { ':litres': -entry.litres, ':zero': 0 },
        },
      });
    }
    targets.push({ kind: 'capacity', departureId: entry.departureId });
  }

  // Units still on a train: taken from (or given back to) the lot on its stored remaining units.
  for (const lot of lotActions(input.tableName, order.sellerId, input.reservations, releasing)) {
    items.push(lot.item);
    targets.push({ kind: 'lot', warehouseId: lot.warehouseId, skus: lot.skus });
  }

  // The decision on its own, without the buyer's data: it outlives the order item's TTL (RETENTION).
  items.push({
    Put: {
      TableName: input.tableName,
      Item: {
        ...keys.decisionRecord(order.orderId, nextVersion),
        kind: 'decision',
        orderId: order.orderId,
        sellerId: order.sellerId,
        marketplace: order.order.marketplace,
        ...(order.order.orderNumber !== undefined && { orderNumber: order.order.orderNumber }),
        country: order.order.shipTo.country,
        decisionVersion: nextVersion,
        status: decision.status,
        decidedAt: decision.decidedAt,
        decision: stored.decision,
        ...storedExtra,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  targets.push({ kind: 'decision-record' });

  if (tooBig.length > 0) throw new OutOfCapacityError({ stock: [], capacity: tooBig });
  if (items.length > MAX_TRANSACT_ITEMS) {
    throw new SilkrouteError(
      `order ${order.orderId} needs ${items.length} items in one transaction; DynamoDB allows ${MAX_TRANSACT_ITEMS}`,
    );
  }

  // A conflict changed nothing: the same transaction is sent again, under a new token (the
  // cancelled one must not be answered as a replay), after a jittered pause.
  let token = input.clientRequestToken ?? newClientRequestToken();
  const send = async (members: TransactItem[]) => {
    try {
      await input.doc.send(new TransactWriteCommand({ TransactItems: members as never, ClientRequestToken: token }));
    } catch (error) {
      token = newClientRequestToken();
      throw error;
    }
  };
  return retryingConflicts(async () => {
    try {
      await (input.hotItems === undefined ? send(items) : input.hotItems.send(order.sellerId, items, targets, send));
    } catch (error) {
      return cancelled(error, targets, order.orderId);
    }
    return { kind: 'committed', decisionVersion: nextVersion } as const;
  }, input.conflictRetry);
}

/**
 * The transaction action that books `litres` on a departure: a scheduled departure has no item
 * until its first booking and starts from the snapshot's capacity (`snapshotCapacityLitres`);
 * once stored, the stored capacity is the authority: freeLitres (capacityLitres − usedLitres,
 * kept in step by every writer, a cut included) is what the condition reads — never the
 * snapshot's figure (issue 12 item 4). Shared by the decision commit and the inbound booking.
 */
export function capacityTake(
  tableName: string,
  entry: { readonly departureId: string; readonly laneId: string; readonly litres: number },
  snapshotCapacityLitres: number,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.departure(entry.departureId),
      UpdateExpression:
        'SET usedLitres = if_not_exists(usedLitres, :zero) + :litres, freeLitres = if_not_exists(freeLitres, :cap) - :litres, capacityLitres = if_not_exists(capacityLitres, :cap), kind = :kind, departureId = :id, laneId = :lane',
      // A brand-new item (no usedLitres) holds the snapshot's capacity, checked by the caller.
      ConditionExpression: 'freeLitres >= :litres OR (attribute_not_exists(usedLitres) AND attribute_not_exists(freeLitres))',
      ExpressionAttributeValues: {
        ':zero': 0,
        ':litres': entry.litres,
        ':cap': snapshotCapacityLitres,
        ':kind': 'capacity',
        ':id': entry.departureId,
        ':lane': entry.laneId,
      },
    },
  };
}

const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/** Maps a failed TransactWriteItems to an outcome or one of our errors. */
function cancelled(error: unknown, targets: readonly Target[], orderId: string): CommitOutcome {
  if (error instanceof TransactionConflictError) throw error; // the hot-item layer's own verdict
  const e = error as {
    name?: string;
    CancellationReasons?: { Code?: string; Message?: string }[];
  };
  if (e.name === 'TransactionCanceledException' && Array.isArray(e.CancellationReasons)) {
    const reasons = e.CancellationReasons;
    const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
    if (failed(0)) return { kind: 'already-decided' };
    const stock: { warehouseId: string; sku: string }[] = [];
    const capacity: { departureId: string }[] = [];
    targets.forEach((target, i) => {
      if (!failed(i)) return;
      if (target.kind === 'stock') stock.push({ warehouseId: target.warehouseId, sku: target.sku });
      if (target.kind === 'capacity') capacity.push({ departureId: target.departureId });
      // A lot short of units or arrived meanwhile: routing again on a fresh snapshot decides anew.
      if (target.kind === 'lot') for (const sku of target.skus) stock.push({ warehouseId: target.warehouseId, sku });
    });
    const exhausted: Exhausted = { stock, capacity };
    if (stock.length > 0) throw new OutOfStockError(exhausted, { cause: error });
    if (capacity.length > 0) throw new OutOfCapacityError(exhausted, { cause: error });
    const codes = reasons.map((r) => r.Code ?? 'None').filter((c) => c !== 'None');
    if (codes.length > 0 && codes.every((c) => c === 'TransactionConflict')) {
      throw new TransactionConflictError(`commit of order ${orderId} cancelled (${codes.join(', ')}); retry`, { cause: error });
    }
    if (codes.every((c) => TRANSIENT_REASONS.has(c))) {
      throw new TransientError(`commit of order ${orderId} cancelled (${codes.join(', ')}); retry`, { cause: error });
    }
    throw new SilkrouteError(`commit of order ${orderId} cancelled (${codes.join(', ')})`, { cause: error });
  }
  if (e.name === 'TransactionConflictException') {
    throw new TransactionConflictError(`commit of order ${orderId} refused (${e.name}); retry`, { cause: error });
  }
  if (isTransient(error)) {
    throw new TransientError(`commit of order ${orderId} failed (${e.name ?? 'unknown'}); retry`, { cause: error });
  }
  throw error;
}

/** Capacity in litres of every departure of the snapshot. */
function departureCapacities(snapshot: Pick<NetworkSnapshot, 'railLanes'>): Map<string, number> {
  const out = new Map<string, number>();
  for (const lane of snapshot.railLanes) {
    for (const d of lane.departures) out.set(d.id, d.capacityLitres);
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The DecisionCommitter port (lib/orders/ports.ts) over this table: a failed reservation is an
 * outcome naming what ran out (the use case re-routes), not an exception.
 */
export function createDecisionCommitter(ctx: StoreContext & { readonly conflictRetry?: ConflictRetryOptions; readonly hotItems?: HotItems }): {
  commit(request: Omit<CommitDecisionInput, keyof StoreContext>): Promise<CommitOutcome | { readonly kind: 'exhausted'; readonly exhausted: Exhausted }>;
} {
  return {
    async commit(request) {
      try {
        return await commitDecision({
          ...request,
          doc: ctx.doc,
          tableName: ctx.tableName,
          ...(ctx.conflictRetry === undefined ? {} : { conflictRetry: ctx.conflictRetry }),
          ...(ctx.hotItems === undefined ? {} : { hotItems: ctx.hotItems }),
        });
      } catch (error) {
        if (error instanceof SupplyExhaustedError) return { kind: 'exhausted', exhausted: error.exhausted };
        throw error;
      }
    },
  };
}
