/**
 * Stock as a warehouse keeps it (issue 12, docs/decisions/0031-stock-ledger.md). One item per
 * seller, warehouse and SKU holds
 *   onHand      what the warehouse last reported, as of `asOf`
 *   reserved    units promised to routed orders not yet shipped
 *   safetyStock units routing must leave on the shelf (optional, 0)
 *   available   onHand − reserved − safetyStock, kept in step by every writer
 * Routing and the commit read `available`; the commit's condition is on the stored figure.
 * A report of on-hand never touches `reserved`, and a report older than the stored `asOf`
 * changes nothing (out-of-order delivery).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SilkrouteError } from '#shared/errors.ts';
import type { StoreContext } from './batch.ts';
import { keys } from './keys.ts';
import { reclaimShards } from './shards.ts';

export interface OnHandReport {
  readonly warehouseId: string;
  readonly sku: string;
  readonly onHand: number;
  /** When the warehouse counted (ISO 8601). */
  readonly asOf: string;
  readonly safetyStock?: number;
}

export interface StockLevel {
  readonly warehouseId: string;
  readonly sku: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly safetyStock: number;
  /** What routing may take: onHand − reserved − safetyStock, never below 0. */
  readonly available: number;
  /** Units reserved beyond what is on hand (a count came in under the order book); absent when none. */
  readonly shortBy?: number;
  readonly asOf?: string;
}

/** A SKU whose open reservations exceed its on-hand count: orders hold units the shelf does not have. */
export interface ShortStock {
  readonly warehouseId: string;
  readonly sku: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly shortBy: number;
}

export type ReportOutcome = 'applied' | 'stale';

const MAX_ATTEMPTS = 8;

/**
 * Sets on-hand for one SKU at one warehouse from a report. Reads the item, then writes
 * onHand/asOf/safetyStock and available = onHand − reserved − safetyStock on the condition
 * that `reserved` is still what was read (a racing reservation makes it read again) and that
 * the stored asOf is older. Returns `stale` (nothing changed) for a report not newer than
 * the stored one.
 */
export async function reportOnHand(ctx: StoreContext, sellerId: string, report: OnHandReport): Promise<ReportOutcome> {
  if (!Number.isInteger(report.onHand) || report.onHand < 0) {
    throw new SilkrouteError(`stock ${report.warehouseId}/${report.sku}: onHand must be a whole number ≥ 0, got ${report.onHand}`);
  }
  const safety = report.safetyStock ?? undefined;
  if (safety !== undefined && (!Number.isInteger(safety) || safety < 0)) {
    throw new SilkrouteError(`stock ${report.warehouseId}/${report.sku}: safetyStock must be a whole number ≥ 0, got ${safety}`);
  }
  if (Number.isNaN(Date.parse(report.asOf))) {
    throw new SilkrouteError(`stock ${report.warehouseId}/${report.sku}: asOf must be an ISO 8601 time, got ${report.asOf}`);
  }
  const asOf = new Date(report.asOf).toISOString();
  const key = keys.stock(sellerId, report.warehouseId, report.sku);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const current = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: key, ConsistentRead: true }));
    const item = current.Item;
    if (typeof item?.asOf === 'string' && item.asOf >= asOf) return 'stale';
    const reserved = typeof item?.reserved === 'number' ? item.reserved : 0;
    // Units a sharded item holds in escrow shards are not in its pool (lib/store/shards.ts).
    const escrowed = typeof item?.escrowed === 'number' ? item.escrowed : 0;
    const safetyStock = safety ?? (typeof item?.safetyStock === 'number' ? item.safetyStock : 0);
    try {
      await ctx.doc.send(
        new UpdateCommand({
          TableName: ctx.tableName,
          Key: key,
          UpdateExpression:
            'SET kind = :kind, sellerId = :seller, warehouseId = :wh, sku = :sku, onHand = :onHand, asOf = :asOf, safetyStock = :safety, available = :available, reserved = :reserved',
          ConditionExpression:
            '(attribute_not_exists(asOf) OR asOf < :asOf) AND ((attribute_not_exists(reserved) AND :reserved = :zero) OR reserved = :reserved) AND ((attribute_not_exists(escrowed) AND :escrowed = :zero) OR escrowed = :escrowed)',
          ExpressionAttributeValues: {
            ':kind': 'stock',
            ':seller': sellerId,
            ':wh': report.warehouseId,
            ':sku': report.sku,
            ':onHand': report.onHand,
            ':asOf': asOf,
            ':safety': safetyStock,
            ':available': report.onHand - reserved - safetyStock - escrowed,
            ':reserved': reserved,
            ':escrowed': escrowed,
            ':zero': 0,
          },
        }),
      );
      // A sharded item's shards must not hand out units the count says are gone.
      if (typeof item?.shards === 'number' && report.onHand - reserved - safetyStock - escrowed < 0) await reclaimShards(ctx, sellerId, report.warehouseId, report.sku);
      return 'applied';
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      // A reservation or a newer report landed between the read and the write: read again.
    }
  }
  throw new SilkrouteError(`stock ${report.warehouseId}/${report.sku}: could not apply the report after ${MAX_ATTEMPTS} attempts (busy item)`);
}

/** Applies many reports; says how many were applied, how many were stale, and how many units are reserved. */
export async function reportStock(
  ctx: StoreContext,
  sellerId: string,
  reports: readonly OnHandReport[],
): Promise<{ applied: number; stale: number; reserved: number; short?: ShortStock[] }> {
  let applied = 0;
  let stale = 0;
  for (const report of reports) {
    if ((await reportOnHand(ctx, sellerId, report)) === 'applied') applied += 1;
    else stale += 1;
  }
  const levels = await readStockLevels(ctx, sellerId, reports);
  const short = levels.flatMap((l) => (l.shortBy === undefined ? [] : [{ warehouseId: l.warehouseId, sku: l.sku, onHand: l.onHand, reserved: l.reserved, shortBy: l.shortBy }]));
  return { applied, stale, reserved: levels.reduce((sum, l) => sum + l.reserved, 0), ...(short.length === 0 ? {} : { short }) };
}

/** The stored levels of these SKUs (a SKU never stocked reads as zeros). */
export async function readStockLevels(
  ctx: StoreContext,
  sellerId: string,
  which: readonly { warehouseId: string; sku: string }[],
): Promise<StockLevel[]> {
  const out: StockLevel[] = [];
  for (const { warehouseId, sku } of which) {
    const got = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.stock(sellerId, warehouseId, sku), ConsistentRead: true }));
    out.push(stockLevelOf(warehouseId, sku, got.Item));
  }
  return out;
}

export function stockLevelOf(warehouseId: string, sku: string, item: Record<string, unknown> | undefined): StockLevel {
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const available = num(item?.available);
  const reserved = num(item?.reserved);
  const safetyStock = num(item?.safetyStock);
  // A legacy item (before the ledger) has only `available`: it is what was on hand.
  const onHand = typeof item?.onHand === 'number' ? item.onHand : available + reserved + safetyStock;
  // The stored figure is the exact ledger (it may dip below 0 when a count comes in under what is
  // reserved, so later releases add up); what anyone is shown is never negative (ADR 0036).
  const shortBy = reserved - onHand;
  return {
    warehouseId,
    sku,
    onHand,
    reserved,
    safetyStock,
    available: Math.max(0, available),
    ...(shortBy > 0 ? { shortBy } : {}),
    ...(typeof item?.asOf === 'string' ? { asOf: item.asOf } : {}),
  };
}
