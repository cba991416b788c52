/**
 * Supply in transit (issue 12 item 3, docs/decisions/0031-stock-ledger.md): a replenishment lot
 * on a rail departure. Booking it takes the departure's capacity and records the lot in ONE
 * transaction, so a lot is never on a train that has no room for it, and booking the same lot
 * again (a retried request, the same `lotId`) books nothing twice.
 *
 * The lot lives in the seller's partition (`INBOUND#<lotId>`) with what it carries per SKU and
 * the day it becomes stock at the warehouse: departure + transit + inbound handling days.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { NetworkSnapshot } from '#network/types.ts';
import { SilkrouteError } from '#shared/errors.ts';
import type { StoreContext } from './batch.ts';
import { queryAll } from './batch.ts';
import { capacityTake } from './commit.ts';
import { OutOfCapacityError } from './errors.ts';
import { keys } from './keys.ts';
import { lotUnits } from './lots.ts';

export interface InboundLine {
  readonly sku: string;
  readonly qty: number;
}

export interface InboundLot {
  readonly lotId: string;
  readonly sellerId: string;
  readonly departureId: string;
  readonly laneId: string;
  readonly warehouseId: string;
  readonly lines: readonly InboundLine[];
  /** Whole litres booked on the departure. */
  readonly litres: number;
  /** The day (YYYY-MM-DD, UTC) the lot is stock at the warehouse. */
  readonly arrivesOn: string;
  readonly bookedAt: string;
}

export interface BookInboundInput extends Omit<InboundLot, 'bookedAt'> {
  /** The departure's capacity in the snapshot: only used when the departure was never booked before. */
  readonly snapshotCapacityLitres: number;
  readonly now: Date;
}

export type BookInboundOutcome =
  | { readonly kind: 'booked'; readonly lot: InboundLot }
  /** The same lotId was booked before: nothing changed (an idempotent retry). */
  | { readonly kind: 'already-booked'; readonly lot: InboundLot };

/**
 * Books a lot: the departure's capacity (condition on the stored free litres) and the lot item,
 * in one transaction. Throws OutOfCapacityError naming the departure when the train has no room,
 * SilkrouteError for a lot that is not whole (no lines, a quantity not a positive whole number).
 * @example await bookInbound(ctx, { lotId: 'po-118', sellerId: 'S1', departureId: 'D1', laneId: 'L1', warehouseId: 'WH-1', lines: [{ sku: 'A', qty: 200 }], litres: 2400, arrivesOn: '2026-12-20', snapshotCapacityLitres: 64000, now })
 */
export async function bookInbound(ctx: StoreContext, input: BookInboundInput): Promise<BookInboundOutcome> {
  const problems: string[] = [];
  if (input.lotId.trim() === '') problems.push('lotId is empty');
  if (input.lines.length === 0) problems.push('lines is empty');
  for (const line of input.lines) {
    if (!Number.isInteger(line.qty) || line.qty <= 0) problems.push(`line ${line.sku}: qty must be a whole number > 0, got ${line.qty}`);
  }
  if (!Number.isInteger(input.litres) || input.litres <= 0) problems.push(`litres must be a whole number > 0, got ${input.litres}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.arrivesOn)) problems.push(`arrivesOn must be YYYY-MM-DD, got ${input.arrivesOn}`);
  if (problems.length > 0) throw new SilkrouteError(`inbound lot ${input.lotId}: ${problems.join('; ')}`);
  const lot: InboundLot = {
    lotId: input.lotId,
    sellerId: input.sellerId,
    departureId: input.departureId,
    laneId: input.laneId,
    warehouseId: input.warehouseId,
    lines: input.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
    litres: input.litres,
    arrivesOn: input.arrivesOn,
    bookedAt: input.now.toISOString(),
  };
  const key = keys.inboundLot(input.sellerId, input.lotId);
  if (input.litres > input.snapshotCapacityLitres) {
    const stored = await readLot(ctx, input.sellerId, input.lotId);
    if (stored !== undefined) return { kind: 'already-booked', lot: stored };
    throw new OutOfCapacityError({ stock: [], capacity: [{ departureId: input.departureId }] });
  }
  try {
    await ctx.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: ctx.tableName,
              // remaining: per SKU, the units not yet promised to an order (lib/store/lots.ts).
              Item: { ...key, kind: 'inbound', status: 'in-transit', ...lot, remaining: lotUnits(lot.lines) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          capacityTake(ctx.tableName, { departureId: input.departureId, laneId: input.laneId, litres: input.litres }, input.snapshotCapacityLitres) as never,
        ],
      }),
    );
    return { kind: 'booked', lot };
  } catch (error) {
    const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
    if (e.name === 'TransactionCanceledException' && Array.isArray(e.CancellationReasons)) {
      if (e.CancellationReasons[0]?.Code === 'ConditionalCheckFailed') {
        const stored = await readLot(ctx, input.sellerId, input.lotId);
        if (stored !== undefined) return { kind: 'already-booked', lot: stored };
      }
      if (e.CancellationReasons[1]?.Code === 'ConditionalCheckFailed') {
        throw new OutOfCapacityError({ stock: [], capacity: [{ departureId: input.departureId }] }, { cause: error });
      }
    }
    throw error;
  }
}

/** One lot, or undefined. */
export async function readLot(ctx: StoreContext, sellerId: string, lotId: string): Promise<InboundLot | undefined> {
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.inboundLot(sellerId, lotId), ConsistentRead: true }));
  return Item === undefined ? undefined : lotOf(Item);
}

/** Every lot of a seller (in transit or arrived). */
export async function readLots(ctx: StoreContext, sellerId: string): Promise<InboundLot[]> {
  const items = await queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.seller(sellerId).pk, ':prefix': 'INBOUND#' },
    ConsistentRead: true,
  });
  return items.map(lotOf);
}

function lotOf(item: Record<string, unknown>): InboundLot {
  return {
    lotId: String(item.lotId),
    sellerId: String(item.sellerId),
    departureId: String(item.departureId),
    laneId: String(item.laneId),
    warehouseId: String(item.warehouseId),
    lines: (item.lines as InboundLine[]).map((l) => ({ sku: String(l.sku), qty: Number(l.qty) })),
    litres: Number(item.litres),
    arrivesOn: String(item.arrivesOn),
    bookedAt: String(item.bookedAt),
  };
}

/** The arrival day of a lot: departure day + transit days + the warehouse's inbound handling days. */
export function arrivalDate(departsAt: string, transitDays: number, inboundDays: number): string {
  const t = Date.parse(departsAt);
  if (Number.isNaN(t)) throw new SilkrouteError(`departsAt must be an ISO 8601 time, got ${departsAt}`);
  return new Date(t + (transitDays + inboundDays) * 86_400_000).toISOString().slice(0, 10);
}

/** A lot as a warehouse or the seller asks for it: departure, warehouse and lines. */
export interface InboundRequestLike {
  readonly lotId: string;
  readonly departureId: string;
  readonly warehouseId: string;
  readonly lines: readonly InboundLine[];
}

/**
 * Resolves a requested lot against the seller's network: the departure still to come, its lane
 * to that warehouse, litres from the SKU boxes (whole cm³ per unit, rounded up to whole litres)
 * and the arrival day. Returns the issues (path and message) when it cannot.
 */
export function resolveInboundLot(
  snapshot: Pick<NetworkSnapshot, 'railLanes' | 'warehouses' | 'skus'>,
  sellerId: string,
  request: InboundRequestLike,
  now: Date,
): { ok: true; input: BookInboundInput } | { ok: false; issues: { path: string; message: string }[] } {
  const lane = snapshot.railLanes.find((l) => l.departures.some((d) => d.id === request.departureId));
  const departure = lane?.departures.find((d) => d.id === request.departureId);
  if (lane === undefined || departure === undefined) {
    return { ok: false, issues: [{ path: 'departureId', message: `is not a departure still to come (${request.departureId})` }] };
  }
  const issues: { path: string; message: string }[] = [];
  if (lane.warehouseId !== request.warehouseId) {
    issues.push({ path: 'warehouseId', message: `departure ${request.departureId} goes to ${lane.warehouseId}, not ${request.warehouseId}` });
  }
  const warehouse = snapshot.warehouses.find((w) => w.id === lane.warehouseId);
  let cm3 = 0;
  request.lines.forEach((line, i) => {
    const sku = snapshot.skus.find((s) => s.sellerId === sellerId && s.sku === line.sku);
    if (sku === undefined) {
      issues.push({ path: `lines[${i}].sku`, message: `is not a SKU of this seller (${line.sku})` });
      return;
    }
    const [l, w, h] = sku.dimsCm as unknown as [number, number, number];
    cm3 += line.qty * Math.ceil(l * w * h);
  });
  if (warehouse === undefined) issues.push({ path: 'warehouseId', message: `is not a warehouse of the network (${lane.warehouseId})` });
  if (issues.length > 0 || warehouse === undefined) return { ok: false, issues };
  return {
    ok: true,
    input: {
      lotId: request.lotId,
      sellerId,
      departureId: departure.id,
      laneId: lane.id,
      warehouseId: lane.warehouseId,
      lines: request.lines,
      litres: Math.max(1, Math.ceil(cm3 / 1000)),
      arrivesOn: arrivalDate(departure.departsAt, departure.transitDays, warehouse.inboundDays),
      snapshotCapacityLitres: departure.capacityLitres,
      now,
    },
  };
}
