/**
 * After a decision (issue 12 item 2): a shipment confirmed by the warehouse consumes its stock
 * reservation (reserved and onHand both go down, available stays), and a cancellation gives back
 * every reservation still held, stock and rail capacity, and marks the order cancelled — each in
 * ONE transaction with the order item, conditioned on the decision version read, so it never
 * races a reroute into giving the same units back twice. Both are idempotent.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Reservations } from '#routing/decision.ts';
import { SilkrouteError } from '#shared/errors.ts';
import type { StoreContext } from './batch.ts';
import { keys } from './keys.ts';
import { arriveLot, lotActions, resolveLotReleases } from './lots.ts';

const NO_LOTS: Reservations = { stock: [], capacity: [] };

export interface ShipmentConfirmation {
  readonly orderId: string;
  readonly sellerId: string;
  /** 1-based index into the decision's chosen shipments. */
  readonly shipment: number;
  readonly trackingNumber: string;
  readonly carrier?: string;
  readonly now: Date;
}

export type FulfilmentOutcome =
  | { readonly kind: 'done'; readonly orderId: string }
  | { readonly kind: 'already'; readonly orderId: string }
  | { readonly kind: 'not-found'; readonly orderId: string }
  | { readonly kind: 'refused'; readonly orderId: string; readonly reason: string };

type Item = Record<string, unknown>;
const MAX_ATTEMPTS = 8;

async function readOrder(ctx: StoreContext, orderId: string): Promise<Item | undefined> {
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.order(orderId), ConsistentRead: true }));
  return Item as Item | undefined;
}

function isConditionFailure(error: unknown): boolean {
  const e = error as { name?: string };
  return e.name === 'TransactionCanceledException' || e.name === 'ConditionalCheckFailedException';
}

/** Confirms shipment n of the order's decision left the warehouse: its stock reservation is consumed. */
export async function confirmShipment(ctx: StoreContext, input: ShipmentConfirmation): Promise<FulfilmentOutcome> {
  const { orderId } = input;
  if (input.trackingNumber.trim() === '') throw new SilkrouteError('trackingNumber is empty');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const order = await readOrder(ctx, orderId);
    if (order === undefined || order.sellerId !== input.sellerId) return { kind: 'not-found', orderId };
    if (order.status === 'cancelled') return { kind: 'refused', orderId, reason: 'the order is cancelled' };
    const shipments = ((order.decision as { chosen?: { shipments?: { warehouseId?: string; lines: { sku: string; qty: number }[] }[] } } | undefined)?.chosen?.shipments) ?? [];
    const shipment = shipments[input.shipment - 1];
    if (order.status !== 'routed' || shipment === undefined) {
      return { kind: 'refused', orderId, reason: `the order has no shipment ${input.shipment} (it has ${shipments.length})` };
    }
    const shipmentKey = { pk: keys.order(orderId).pk, sk: `SHIPMENT#${String(input.shipment).padStart(3, '0')}` };
    const { Item: shippedBefore } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: shipmentKey, ConsistentRead: true }));
    if (shippedBefore !== undefined) return { kind: 'already', orderId };
    // Units promised from a lot that has arrived are stock reservations now (ADR 0036).
    const reservations = await resolveLotReleases(ctx, input.sellerId, (order.reservations ?? { stock: [], capacity: [] }) as Reservations);
    const onTrain = (reservations.inbound ?? []).filter((r) => r.warehouseId === shipment.warehouseId);
    if (onTrain.length > 0) {
      // A lot due today that the arrival sweep has not moved yet is moved now; one still on its way cannot have shipped.
      const early: string[] = [];
      for (const lotId of [...new Set(onTrain.map((r) => r.lotId))]) {
        if ((await arriveLot(ctx, input.sellerId, lotId, input.now)) === 'not-yet') early.push(lotId);
      }
      if (early.length > 0) {
        const draws = (shipment as { inbound?: { lotId: string; arrivesOn: string }[] }).inbound ?? [];
        const when = early.map((id) => `${id} (arrives ${draws.find((d) => d.lotId === id)?.arrivesOn ?? 'later'})`).join(', ');
        return { kind: 'refused', orderId, reason: `shipment ${input.shipment} is promised from stock still on a train, lot ${when}; confirm it once the lot has arrived` };
      }
      continue;
    }
    // What this shipment takes from a warehouse's shelf: its lines at its warehouse, as far as reserved.
    const consumed: { warehouseId: string; sku: string; qty: number }[] = [];
    const remaining = reservations.stock.map((r) => ({ ...r }));
    if (shipment.warehouseId !== undefined) {
      for (const line of shipment.lines) {
        // A SKU may be held twice (from the shelf, and from a lot that has since arrived).
        let left = line.qty;
        for (const held of remaining) {
          if (left === 0) break;
          if (held.warehouseId !== shipment.warehouseId || held.sku !== line.sku || held.qty === 0) continue;
          const qty = Math.min(held.qty, left);
          held.qty -= qty;
          left -= qty;
          const same = consumed.find((c) => c.warehouseId === held.warehouseId && c.sku === held.sku);
          if (same === undefined) consumed.push({ warehouseId: held.warehouseId, sku: held.sku, qty });
          else same.qty += qty;
        }
      }
    }
    const next: Reservations = {
      stock: remaining.filter((r) => r.qty > 0),
      capacity: reservations.capacity,
      ...(reservations.inbound === undefined ? {} : { inbound: reservations.inbound }),
    };
    const version = order.decisionVersion as number;
    try {
      await ctx.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: ctx.tableName,
                Key: keys.order(orderId),
                UpdateExpression: 'SET reservations = :next, updatedAt = :at',
                ConditionExpression: 'decisionVersion = :v AND #status = :routed',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':next': next, ':at': input.now.toISOString(), ':v': version, ':routed': 'routed' },
              },
            },
            {
              // The shipment, with its tracking: written once (a repeated confirmation is answered as done).
              Put: {
                TableName: ctx.tableName,
                Item: {
                  ...shipmentKey,
                  kind: 'shipment',
                  orderId,
                  sellerId: input.sellerId,
                  shipment: input.shipment,
                  decisionVersion: version,
                  trackingNumber: input.trackingNumber,
                  ...(input.carrier === undefined ? {} : { carrier: input.carrier }),
                  shippedAt: input.now.toISOString(),
                  lines: consumed,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...consumed.map((c) => ({
              Update: {
                TableName: ctx.tableName,
                Key: keys.stock(input.sellerId, c.warehouseId, c.sku),
                // The units leave the shelf: reserved and onHand down together, available unchanged.
                UpdateExpression: 'SET reserved = reserved - :q, onHand = onHand - :q',
                // A sharded item's reservations sit partly on its shards (lib/store/shards.ts): the sum holds them.
                ConditionExpression: 'reserved >= :q OR attribute_exists(shards)',
                ExpressionAttributeValues: { ':q': c.qty },
              },
            })),
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) continue; // a reroute or another confirmation landed: read again
      throw error;
    }
    return { kind: 'done', orderId };
  }
  throw new SilkrouteError(`order ${orderId}: could not confirm shipment ${input.shipment} after ${MAX_ATTEMPTS} attempts (busy)`);
}

/** Cancels the order: every reservation still held is given back and the order is marked cancelled. */
export async function cancelOrder(ctx: StoreContext, input: { orderId: string; sellerId: string; now: Date }): Promise<FulfilmentOutcome> {
  const { orderId } = input;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const order = await readOrder(ctx, orderId);
    if (order === undefined || order.sellerId !== input.sellerId) return { kind: 'not-found', orderId };
    if (order.status === 'cancelled') return { kind: 'already', orderId };
    // Units on a lot still in transit go back to the lot; those of an arrived lot to the shelf.
    const reservations = await resolveLotReleases(ctx, input.sellerId, (order.reservations ?? { stock: [], capacity: [] }) as Reservations);
    const version = order.decisionVersion as number;
    try {
      await ctx.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: ctx.tableName,
                Key: keys.order(orderId),
                // The version stays (its email still goes out); a router still working on this
                // version loses its commit: the commit's condition refuses a cancelled order.
                UpdateExpression: 'SET #status = :cancelled, reservations = :none, updatedAt = :at, cancelledAt = :at REMOVE rcvpk, rcvsk',
                ConditionExpression: 'decisionVersion = :v',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':cancelled': 'cancelled',
                  ':none': { stock: [], capacity: [] },
                  ':v': version,
                  ':at': input.now.toISOString(),
                },
              },
            },
            ...mergeStock(reservations).map((r) => ({
              Update: {
                TableName: ctx.tableName,
                Key: keys.stock(input.sellerId, r.warehouseId, r.sku),
                UpdateExpression: 'SET available = available + :q, reserved = reserved - :q',
                ExpressionAttributeValues: { ':q': r.qty },
              },
            })),
            ...mergeCapacity(reservations).map((r) => ({
              Update: {
                TableName: ctx.tableName,
                Key: keys.departure(r.departureId),
                UpdateExpression: 'SET usedLitres = usedLitres - :l, freeLitres = if_not_exists(freeLitres, :zero) + :l',
                ExpressionAttributeValues: { ':l': r.litres, ':zero': 0 },
              },
            })),
            ...lotActions(ctx.tableName, input.sellerId, NO_LOTS, reservations).map((l) => l.item),
          ],
        }),
      );
      return { kind: 'done', orderId };
    } catch (error) {
      if (isConditionFailure(error)) continue;
      throw error;
    }
  }
  throw new SilkrouteError(`order ${orderId}: could not cancel after ${MAX_ATTEMPTS} attempts (busy)`);
}

function mergeStock(r: Reservations): { warehouseId: string; sku: string; qty: number }[] {
  const m = new Map<string, { warehouseId: string; sku: string; qty: number }>();
  for (const s of r.stock) {
    const k = `${s.warehouseId}\u0000${s.sku}`;
    const e = m.get(k) ?? { warehouseId: s.warehouseId, sku: s.sku, qty: 0 };
    m.set(k, { ...e, qty: e.qty + s.qty });
  }
  return [...m.values()].filter((s) => s.qty > 0);
}

function mergeCapacity(r: Reservations): { departureId: string; litres: number }[] {
  const m = new Map<string, number>();
  for (const c of r.capacity) m.set(c.departureId, (m.get(c.departureId) ?? 0) + c.litres);
  return [...m].filter(([, l]) => l > 0).map(([departureId, litres]) => ({ departureId, litres }));
}
