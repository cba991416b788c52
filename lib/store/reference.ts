/**
 * Reference data in the table: sellers, SKUs and stock in the seller's partition, network-wide
 * services, lanes, warehouses, duties and FX in the NETWORK partition, and one capacity item
 * per rail departure. Records are stored flat (their fields beside pk/sk/kind) and validated
 * with the data-file schemas again on the way out, so a hand-edited item fails loudly.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import {
  Duties,
  Fx,
  ParcelService,
  RailLane,
  Seller,
  Sku,
  StockRecord,
  Warehouse,
} from '#network/schemas.ts';
import type { InboundSupply, NetworkFiles, NetworkSnapshot } from '#network/types.ts';
import { zodIssues } from '#network/issues.ts';
import { cbmToLitres } from '#network/snapshot.ts';
import { ValidationError, type Issue } from '#shared/errors.ts';
import { batchGetAll, batchWriteAll, queryAll, type Item, type StoreContext } from './batch.ts';
import { MissingDataError } from './errors.ts';
import { keys, type Key } from './keys.ts';
import { inboundSupplyOf } from './lots.ts';
import { humanIssue } from '#shared/zod-messages.ts';

/** The network-wide part of NetworkFiles: shared by every seller. */
export type NetworkPart = Pick<NetworkFiles, 'parcelServices' | 'railLanes' | 'warehouses' | 'duties' | 'fx'>;
/** One seller's part of NetworkFiles: its record, SKUs and stock. */
export interface SellerPart {
  readonly seller: z.infer<typeof Seller>;
  readonly skus: NetworkFiles['skus'];
  readonly stock: NetworkFiles['stock'];
  /** What the seller's inbound lots still in transit offer (lib/store/lots.ts), per lot and SKU. */
  readonly inbound?: readonly InboundSupply[];
}
/** A departure's capacity item: what is taken of it, in whole litres. */
export interface CapacityRecord {
  readonly departureId: string;
  readonly laneId?: string;
  readonly capacityLitres?: number;
  readonly usedLitres: number;
}

const KEY_ATTRIBUTES = ['pk', 'sk', 'kind'] as const;

function item(key: Key, kind: string, record: object): Item {
  // The record first: keys and kind always win over a field of the same name.
  return { ...record, ...key, kind };
}

/** The table items for the reference data of `files`, per data file (capacity items excepted: see writeReference). */
export function referenceItemsByFile(files: NetworkFiles): { file: string; items: Item[] }[] {
  return [
    {
      file: 'sellers.json',
      // Each seller also names itself in the NETWORK partition, so a scheduled run (the digest) lists sellers with a Query.
      items: files.sellers.flatMap((s) => [item(keys.seller(s.id), 'seller', s), item(keys.network('SELLER', s.id), 'seller-ref', { sellerId: s.id })]),
    },
    { file: 'skus.json', items: files.skus.map((s) => item(keys.sku(s.sellerId, s.sku), 'sku', s)) },
    { file: 'parcel-services.json', items: files.parcelServices.map((s) => item(keys.network('SERVICE', s.id), 'service', s)) },
    { file: 'rail-lanes.json', items: files.railLanes.map((l) => item(keys.network('LANE', l.id), 'lane', l)) },
    { file: 'warehouses.json', items: files.warehouses.map((w) => item(keys.network('WAREHOUSE', w.id), 'warehouse', w)) },
    {
      file: 'stock.json',
      items: files.stock.map((s) => item(keys.stock(s.sellerId, s.warehouseId, s.sku), 'stock', s)),
    },
    { file: 'duties.json', items: [item(keys.network('DUTIES'), 'duties', files.duties)] },
    { file: 'fx.json', items: [item(keys.network('FX'), 'fx', files.fx)] },
  ];
}

/** The table items for the reference data of `files` (capacity items excepted: see writeReference). */
export function referenceItems(files: NetworkFiles): Item[] {
  return referenceItemsByFile(files).flatMap((f) => f.items);
}

/** The capacity of every explicit departure of `files`, in litres. */
export function explicitDepartures(files: Pick<NetworkFiles, 'railLanes'>): { departureId: string; laneId: string; capacityLitres: number }[] {
  return files.railLanes.flatMap((lane) =>
    (lane.departures ?? []).map((d) => ({ departureId: d.id, laneId: lane.id, capacityLitres: cbmToLitres(d.capacityCbm) })),
  );
}

/**
 * Writes every reference item (idempotent: stock is SET to the file's count) and the capacity
 * of explicit departures. Scheduled departures get their item on first reservation.
 */
export async function writeReference(ctx: StoreContext, files: NetworkFiles): Promise<void> {
  await batchWriteAll(
    ctx,
    referenceItems(files).map((Item) => ({ PutRequest: { Item } })),
  );
  for (const departure of explicitDepartures(files)) await setDepartureCapacity(ctx, departure);
}

/**
 * Sets a departure's capacity and keeps what is already reserved on it, so a re-import never
 * hands out the same litres twice.
 */
export async function setDepartureCapacity(
  ctx: StoreContext,
  departure: { departureId: string; laneId: string; capacityLitres: number },
): Promise<void> {
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.tableName,
      Key: keys.departure(departure.departureId),
      UpdateExpression:
        'SET kind = :kind, departureId = :id, laneId = :lane, capacityLitres = :cap, usedLitres = if_not_exists(usedLitres, :zero), freeLitres = :cap - if_not_exists(usedLitres, :zero)',
      ExpressionAttributeValues: {
        ':kind': 'capacity',
        ':id': departure.departureId,
        ':lane': departure.laneId,
        ':cap': departure.capacityLitres,
        ':zero': 0,
      },
    }),
  );
}

/** Validates a stored record; issues name the item by its key (`SELLER#S1 SKU#A`). */
function parseItem<S extends z.ZodType>(schema: S, raw: Item, issues: Issue[]): z.infer<S> | undefined {
  const result = schema.safeParse(stripKeys(raw), { error: humanIssue });
  if (result.success) return result.data;
  issues.push(...zodIssues(result.error, `${String(raw.pk)} ${String(raw.sk)}`));
  return undefined;
}

function stripKeys(raw: Item): Item {
  const copy = { ...raw };
  for (const name of KEY_ATTRIBUTES) delete copy[name];
  return copy;
}

/** Reads the NETWORK partition: parcel services, rail lanes, warehouses, duties and FX. */
export async function readNetwork(ctx: StoreContext, options: { consistent?: boolean } = {}): Promise<NetworkPart> {
  const raw = await queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.network('FX').pk },
    ConsistentRead: options.consistent ?? false,
  });
  return networkFromItems(raw);
}

/** Parses the items of the NETWORK partition (pure; exported for the loader). */
export function networkFromItems(raw: readonly Item[]): NetworkPart {
  const issues: Issue[] = [];
  const parcelServices: z.infer<typeof ParcelService>[] = [];
  const railLanes: z.infer<typeof RailLane>[] = [];
  const warehouses: z.infer<typeof Warehouse>[] = [];
  let duties: z.infer<typeof Duties> | undefined;
  let fx: z.infer<typeof Fx> | undefined;
  for (const entry of raw) {
    const sk = String(entry.sk);
    if (sk.startsWith('SERVICE#')) push(parcelServices, parseItem(ParcelService, entry, issues));
    else if (sk.startsWith('LANE#')) push(railLanes, parseItem(RailLane, entry, issues));
    else if (sk.startsWith('WAREHOUSE#')) push(warehouses, parseItem(Warehouse, entry, issues));
    else if (sk === 'DUTIES') duties = parseItem(Duties, entry, issues);
    else if (sk === 'FX') fx = parseItem(Fx, entry, issues);
  }
  if (issues.length > 0) throw new ValidationError(issues);
  if (duties === undefined || fx === undefined) {
    throw new MissingDataError('the network has no duties or FX item: import a data directory first');
  }
  return { parcelServices, railLanes, warehouses, duties, fx };
}

/** Reads one seller's partition: the seller, its SKUs and its stock. */
export async function readSeller(
  ctx: StoreContext,
  sellerId: string,
  options: { consistent?: boolean } = {},
): Promise<SellerPart> {
  const raw = await queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.seller(sellerId).pk },
    ConsistentRead: options.consistent ?? false,
  });
  return sellerFromItems(sellerId, raw);
}

/** Parses the items of a seller's partition (pure; exported for the loader). */
export function sellerFromItems(sellerId: string, raw: readonly Item[]): SellerPart {
  const issues: Issue[] = [];
  let seller: z.infer<typeof Seller> | undefined;
  const skus: z.infer<typeof Sku>[] = [];
  const stock: z.infer<typeof StockRecord>[] = [];
  const inbound: InboundSupply[] = [];
  for (const entry of raw) {
    const sk = String(entry.sk);
    if (sk === 'SELLER') seller = parseItem(Seller, entry, issues);
    else if (sk.startsWith('SKU#')) push(skus, parseItem(Sku, entry, issues));
    // available may be below zero after on-hand was cut under what is reserved: none to take.
    // A sharded item's pool plus its escrow (lib/store/shards.ts): an upper bound, the commit decides.
    else if (sk.startsWith('STOCK#')) push(stock, parseItem(StockRecord, { ...entry, available: Math.max(0, Number(entry.available ?? 0) + Number(entry.escrowed ?? 0)) }, issues));
    else if (sk.startsWith('INBOUND#')) inbound.push(...inboundSupplyOf(entry));
  }
  if (issues.length > 0) throw new ValidationError(issues);
  if (seller === undefined) throw new MissingDataError(`unknown seller ${sellerId}`);
  return { seller, skus, stock, ...(inbound.length === 0 ? {} : { inbound }) };
}

/** Reads the capacity items of these departures; a departure never reserved has no entry. */
export async function readCapacity(
  ctx: StoreContext,
  departureIds: readonly string[],
  options: { consistent?: boolean } = {},
): Promise<Map<string, CapacityRecord>> {
  const found = await batchGetAll(
    ctx,
    [...new Set(departureIds)].map((id) => keys.departure(id)),
    options,
  );
  return new Map(found.map((raw) => {
    const record = capacityFromItem(raw);
    return [record.departureId, record];
  }));
}

function capacityFromItem(raw: Item): CapacityRecord {
  const departureId = String(raw.pk).slice('DEPARTURE#'.length);
  return {
    departureId,
    laneId: typeof raw.laneId === 'string' ? raw.laneId : undefined,
    capacityLitres: typeof raw.capacityLitres === 'number' ? raw.capacityLitres : undefined,
    usedLitres: typeof raw.usedLitres === 'number' ? raw.usedLitres : 0,
  };
}

/**
 * Remaining litres per departure of `snapshot` that has a capacity item: the snapshot's capacity
 * (the lane data is the authority) minus what is reserved, never below zero.
 */
export function remainingLitresOf(
  snapshot: Pick<NetworkSnapshot, 'railLanes'>,
  capacity: ReadonlyMap<string, CapacityRecord>,
): Map<string, number> {
  const remaining = new Map<string, number>();
  for (const lane of snapshot.railLanes) {
    for (const departure of lane.departures) {
      const record = capacity.get(departure.id);
      if (record === undefined) continue;
      // The stored capacity (a cut) wins over the snapshot's figure.
      remaining.set(departure.id, Math.max(0, (record.capacityLitres ?? departure.capacityLitres) - record.usedLitres));
    }
  }
  return remaining;
}

function push<T>(list: T[], value: T | undefined): void {
  if (value !== undefined) list.push(value);
}

/** Every seller id imported (the NETWORK partition's seller references, written with sellers.json). */
export async function listSellerIds(ctx: StoreContext): Promise<string[]> {
  const raw = await queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.network('FX').pk, ':prefix': 'SELLER#' },
  });
  return raw.map((i) => String(i.sellerId)).sort();
}
