/**
 * The ledger of an inbound lot (issue 12 items 3 and 5; docs/decisions/0036-lot-ledger-and-arrival.md).
 *
 * A lot item (`INBOUND#<lotId>`, written by bookInbound) carries `remaining`: per SKU, the units
 * of the lot not yet promised to an order. While the lot is `in-transit`:
 *   - the commit takes from `remaining` on the condition that the STORED figure covers it and
 *     the lot is still in transit (never the snapshot's figure), in the decision's transaction;
 *   - a release (reroute, cancel) gives the units back to `remaining`.
 * On its arrival day (departure + transit + inbound days, from 00:00 UTC) `arriveLot` moves the
 * lot into the warehouse's stock item in ONE transaction, idempotently: on-hand grows by what the
 * lot carries, the units promised from it become ordinary stock reservations, and the lot is
 * marked `arrived` (terminal). From then on a release or a shipment of those units works on the
 * stock item: `resolveLotReleases` reads each lot's status to know which.
 *
 * The stock item's `asOf` becomes the arrival instant, so a count taken before the lot arrived
 * (it does not include the lot) is stale; a count taken after it already includes the lot's
 * units, and then arrival only moves the promises (on-hand is the warehouse's word).
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LotReservation, Reservations } from '#routing/decision.ts';
import type { InboundSupply } from '#network/types.ts';
import { SilkrouteError } from '#shared/errors.ts';
import type { StoreContext } from './batch.ts';
import { queryAll } from './batch.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;
type TransactItem = Record<string, unknown>;

/** The units per SKU a lot carries (lines of one SKU summed). */
export function lotUnits(lines: readonly { sku: string; qty: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) out[l.sku] = (out[l.sku] ?? 0) + l.qty;
  return out;
}

/** The instant a lot arriving on `arrivesOn` (YYYY-MM-DD) becomes stock: 00:00 UTC that day. */
export function arrivalInstant(arrivesOn: string): string {
  return `${arrivesOn}T00:00:00.000Z`;
}

/**
 * What a stored lot item still offers routing: one entry per SKU with units left, while the lot
 * is in transit (an arrived lot is stock). A lot stored before `remaining` existed offers none.
 */
export function inboundSupplyOf(item: Item): InboundSupply[] {
  if (item.status !== 'in-transit') return [];
  const remaining = item.remaining as Record<string, unknown> | undefined;
  if (remaining === undefined || typeof remaining !== 'object') return [];
  const out: InboundSupply[] = [];
  for (const [sku, left] of Object.entries(remaining).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (typeof left !== 'number' || left <= 0) continue;
    out.push({ sellerId: String(item.sellerId), warehouseId: String(item.warehouseId), sku, lotId: String(item.lotId), remaining: left, arrivesOn: String(item.arrivesOn) });
  }
  return out;
}

/** Net units per lot and SKU: what a decision takes minus what the replaced decision gives back. */
export function netLots(taking: readonly LotReservation[] = [], releasing: readonly LotReservation[] = []): Map<string, { warehouseId: string; skus: Map<string, number> }> {
  const out = new Map<string, { warehouseId: string; skus: Map<string, number> }>();
  const add = (r: LotReservation, sign: 1 | -1) => {
    const lot = out.get(r.lotId) ?? { warehouseId: r.warehouseId, skus: new Map<string, number>() };
    lot.skus.set(r.sku, (lot.skus.get(r.sku) ?? 0) + sign * r.qty);
    out.set(r.lotId, lot);
  };
  for (const r of taking) add(r, 1);
  for (const r of releasing) add(r, -1);
  return out;
}

/**
 * The transaction action for one lot: take (qty > 0) or give back (qty < 0) units per SKU, on
 * the condition that the lot is still in transit and its stored `remaining` covers every take.
 * Undefined when everything nets out.
 */
export function lotUpdate(tableName: string, sellerId: string, lotId: string, skus: ReadonlyMap<string, number>): TransactItem | undefined {
  const entries = [...skus].filter(([, q]) => q !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return undefined;
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':transit': 'in-transit' };
  const sets: string[] = [];
  const conditions = ['#status = :transit'];
  entries.forEach(([sku, qty], i) => {
    names[`#s${i}`] = sku;
    values[`:d${i}`] = -qty;
    sets.push(`remaining.#s${i} = remaining.#s${i} + :d${i}`);
    if (qty > 0) {
      values[`:q${i}`] = qty;
      conditions.push(`remaining.#s${i} >= :q${i}`);
    }
  });
  return {
    Update: {
      TableName: tableName,
      Key: keys.inboundLot(sellerId, lotId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Which lot reservations are still lot reservations: a lot that has arrived holds its promises
 * as ordinary stock reservations, so those are given back (or shipped) at the warehouse's stock
 * item. Reads each lot once (consistently); a lot that is gone is treated as arrived.
 */
export async function resolveLotReleases(ctx: StoreContext, sellerId: string, reservations: Reservations): Promise<Reservations> {
  const held = reservations.inbound ?? [];
  if (held.length === 0) return reservations;
  const status = new Map<string, unknown>();
  for (const lotId of new Set(held.map((r) => r.lotId))) {
    const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.inboundLot(sellerId, lotId), ConsistentRead: true }));
    status.set(lotId, Item?.status);
  }
  const inbound = held.filter((r) => status.get(r.lotId) === 'in-transit');
  const arrived = held.filter((r) => status.get(r.lotId) !== 'in-transit').map((r) => ({ warehouseId: r.warehouseId, sku: r.sku, qty: r.qty }));
  return { stock: [...reservations.stock, ...arrived], capacity: reservations.capacity, ...(inbound.length === 0 ? {} : { inbound }) };
}

export type ArrivalOutcome = 'arrived' | 'already' | 'not-yet' | 'not-found';

const MAX_ATTEMPTS = 8;

/**
 * Moves a lot that is due (its arrival instant ≤ now) into the warehouse's stock, idempotently:
 * per SKU, on-hand += units carried and asOf = the arrival instant (when the stored count is
 * older), reserved += units promised from the lot, available kept in step; the lot is marked
 * arrived. Conditioned on what was read (lot still in transit with the same `remaining`, stock
 * count on the same side of the arrival instant): a racing commit or report makes it read again.
 */
export async function arriveLot(ctx: StoreContext, sellerId: string, lotId: string, now: Date): Promise<ArrivalOutcome> {
  const lotKey = keys.inboundLot(sellerId, lotId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const { Item: lot } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: lotKey, ConsistentRead: true }));
    if (lot === undefined) return 'not-found';
    if (lot.status !== 'in-transit') return 'already';
    const at = arrivalInstant(String(lot.arrivesOn));
    if (now.getTime() < Date.parse(at)) return 'not-yet';
    const units = lotUnits(lot.lines as { sku: string; qty: number }[]);
    const remaining = (lot.remaining ?? units) as Record<string, number>;
    const warehouseId = String(lot.warehouseId);
    const items: TransactItem[] = [];
    const lotNames: Record<string, string> = { '#status': 'status' };
    const lotValues: Record<string, unknown> = { ':transit': 'in-transit', ':arrived': 'arrived', ':now': now.toISOString() };
    const lotConditions = ['#status = :transit'];
    const skus = Object.keys(units).sort();
    for (const [i, sku] of skus.entries()) {
      const total = units[sku]!;
      const left = Math.min(total, Math.max(0, remaining[sku] ?? total));
      const promised = total - left;
      if (lot.remaining !== undefined) {
        lotNames[`#s${i}`] = sku;
        lotValues[`:r${i}`] = remaining[sku] ?? 0;
        lotConditions.push(`remaining.#s${i} = :r${i}`);
      }
      const stockKey = keys.stock(sellerId, warehouseId, sku);
      const { Item: stock } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: stockKey, ConsistentRead: true }));
      // Strictly after: an asOf equal to the instant is another lot's arrival of the same day, not a count.
      const counted = typeof stock?.asOf === 'string' && stock.asOf > at;
      items.push({
        Update: counted
          ? {
              // The warehouse counted after the lot arrived: its count holds the units; only the promises move.
              TableName: ctx.tableName,
              Key: stockKey,
              UpdateExpression: 'SET reserved = if_not_exists(reserved, :zero) + :promised, available = available - :promised',
              ConditionExpression: 'asOf > :at',
              ExpressionAttributeValues: { ':promised': promised, ':zero': 0, ':at': at },
            }
          : {
              TableName: ctx.tableName,
              Key: stockKey,
              UpdateExpression:
                'SET onHand = if_not_exists(onHand, :zero) + :total, reserved = if_not_exists(reserved, :zero) + :promised, available = if_not_exists(available, :zero) + :left, safetyStock = if_not_exists(safetyStock, :zero), asOf = :at, kind = :kind, sellerId = :seller, warehouseId = :wh, sku = :sku',
              ConditionExpression: 'attribute_not_exists(asOf) OR asOf <= :at',
              ExpressionAttributeValues: { ':total': total, ':promised': promised, ':left': left, ':zero': 0, ':at': at, ':kind': 'stock', ':seller': sellerId, ':wh': warehouseId, ':sku': sku },
            },
      });
    }
    items.unshift({
      Update: {
        TableName: ctx.tableName,
        Key: lotKey,
        UpdateExpression: 'SET #status = :arrived, arrivedAt = :now',
        ConditionExpression: lotConditions.join(' AND '),
        ExpressionAttributeNames: lotNames,
        ExpressionAttributeValues: lotValues,
      },
    });
    try {
      await ctx.doc.send(new TransactWriteCommand({ TransactItems: items as never }));
      return 'arrived';
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'TransactionCanceledException' && name !== 'TransactionConflictException') throw error;
      // A commit took from the lot, a report or another arrival landed: read again.
    }
  }
  throw new SilkrouteError(`inbound lot ${lotId}: could not record its arrival after ${MAX_ATTEMPTS} attempts (busy)`);
}

/** Moves every due lot of the seller into stock; says which lots arrived now. */
export async function arriveDueLots(ctx: StoreContext, sellerId: string, now: Date): Promise<{ arrived: string[] }> {
  const lots = await queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.seller(sellerId).pk, ':prefix': 'INBOUND#' },
    ConsistentRead: true,
  });
  const arrived: string[] = [];
  for (const lot of lots) {
    if (lot.status !== 'in-transit' || now.getTime() < Date.parse(arrivalInstant(String(lot.arrivesOn)))) continue;
    if ((await arriveLot(ctx, sellerId, String(lot.lotId), now)) === 'arrived') arrived.push(String(lot.lotId));
  }
  return { arrived };
}

/**
 * The commit's lot actions (lib/store/commit.ts): one Update per lot touched, net of what the
 * replaced decision gives back, each with the warehouse and SKUs it names when it fails.
 */
export function lotActions(
  tableName: string,
  sellerId: string,
  taking: Reservations,
  releasing: Reservations,
): { item: TransactItem; warehouseId: string; skus: string[] }[] {
  const out: { item: TransactItem; warehouseId: string; skus: string[] }[] = [];
  const net = netLots(taking.inbound, releasing.inbound);
  for (const lotId of [...net.keys()].sort()) {
    const lot = net.get(lotId)!;
    const item = lotUpdate(tableName, sellerId, lotId, lot.skus);
    if (item !== undefined) out.push({ item, warehouseId: lot.warehouseId, skus: [...lot.skus.keys()].sort() });
  }
  return out;
}
