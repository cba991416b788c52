/**
 * Test-only helpers for the store tests: a fresh table on a dynalite, a tiny network, order
 * records and decisions, and a recorder of the calls a document client makes. Not imported by
 * production code.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkFiles } from '#network/types.ts';
import type { Decision, Mode, Reservations } from '#routing/decision.ts';
import type { Item, StoreContext } from './batch.ts';
import { createDocumentClient } from './client.ts';
import { keys } from './keys.ts';
import type { OrderRecord } from './order-record.ts';
import { orderItem } from './orders.ts';
import { writeReference } from './reference.ts';
import { ensureTable } from './table.ts';

export const NOW = new Date('2026-11-23T00:00:00Z');

/** A document client over a new base client on `endpoint`: its own middleware stack. */
export function documentClient(endpoint: string): DynamoDBDocumentClient {
  return createDocumentClient({ client: baseClient(endpoint) });
}

function baseClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** A new client on `endpoint` and a new table with a unique name. */
export async function freshTable(endpoint: string): Promise<StoreContext & { client: DynamoDBClient }> {
  const client = baseClient(endpoint);
  const tableName = `t-${randomUUID()}`;
  await ensureTable(client, tableName);
  return { client, doc: createDocumentClient({ client }), tableName };
}

/** Every item of the table, sorted by key. */
export async function scanAll(ctx: StoreContext): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc.send(new ScanCommand({ TableName: ctx.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...((page.Items ?? []) as Item[]));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const key = (i: Item) => `${String(i.pk)}\u0000${String(i.sk)}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * One seller (S1) with SKU A: 10 units at WH-1; lane L1 to WH-1 with explicit departure D1
 * (1 m³) and a Monday schedule (64 m³, 2 weeks ahead of NOW); one parcel service to DE.
 */
export function tinyNetwork(): NetworkFiles {
  return {
    sellers: [{ id: 'S1', name: 'Seller One', email: 's1@example.com', language: 'en', reportCurrency: 'EUR', origin: 'CN-YIW' }],
    skus: [
      {
        sellerId: 'S1',
        sku: 'A',
        title: 'T-shirt',
        hsCode: '610910',
        weightG: 200,
        dimsCm: [28, 22, 2],
        customsValue: { amount: 1.71, currency: 'EUR' },
        battery: 'none',
      },
    ],
    parcelServices: [
      {
        id: 'P1',
        carrier: 'Cainiao',
        name: 'Standard',
        origin: 'CN-YIW',
        currency: 'CNY',
        volumetricDivisor: 8000,
        minChargeableG: 0,
        weightStepG: 1,
        maxWeightG: 2000,
        handlingDays: 1,
        battery: { contained: { allowed: true, surchargePerParcel: 3 }, standalone: { allowed: false } },
        rates: { DE: { perParcel: 17, perKg: 58, transitDays: [8, 15] } },
      },
    ],
    railLanes: [
      {
        id: 'L1',
        name: 'Yiwu → Duisburg',
        origin: 'CN-YIW',
        warehouseId: 'WH-1',
        currency: 'EUR',
        perCbm: 130,
        kgPerCbm: 500,
        customsFreightShare: 0.85,
        departures: [
          { id: 'D1', departsAt: '2026-11-25T02:00:00Z', cutoffAt: '2026-11-24T10:00:00Z', transitDays: 16, capacityCbm: 1 },
        ],
        schedule: {
          weekdays: ['MON'],
          departureTime: '10:00+08:00',
          cutoffHoursBefore: 16,
          transitDays: 16,
          capacityCbm: 64,
          weeksAhead: 2,
        },
      },
    ],
    warehouses: [
      {
        id: 'WH-1',
        name: 'Duisburg',
        country: 'DE',
        currency: 'EUR',
        processingDays: 1,
        inboundDays: 2,
        fees: {
          inboundPerUnit: 0.02,
          storagePerCbmDay: 0.4,
          expectedDwellDays: 60,
          pickPackFirstItem: 1.5,
          pickPackExtraItem: 0.3,
          packaging: 0.08,
        },
        lastMile: { DE: { carrier: 'DHL', transitDays: [1, 1], bands: [{ maxWeightG: 1000, price: 4.1 }] } },
      },
    ],
    stock: [{ sellerId: 'S1', warehouseId: 'WH-1', sku: 'A', available: 10 }],
    duties: {
      countries: { DE: { union: 'EU', vatRate: 0.19, vatOnDuty: true, brokerageFeeEur: 0 } },
      unions: {
        EU: {
          tariffRates: { '61': 0.12 },
          defaultTariffRate: 0.05,
          lowValue: [
            { from: '2021-07-01', until: '2026-07-01', threshold: { amount: 150, currency: 'EUR' }, scope: 'all', duty: { perTariffLine: 0 } },
            { from: '2026-07-01', threshold: { amount: 150, currency: 'EUR' }, scope: 'all', duty: { perTariffLine: 3 } },
          ],
        },
      },
    },
    fx: { base: 'EUR', asOf: '2026-11-01', rates: { CNY: 8.2 } },
  };
}

/** A received order of seller S1 to Germany, at decision version 0. */
export function orderRecord(orderId: string, lines: CanonicalOrder['lines'] = [{ sku: 'A', qty: 1 }], sellerId = 'S1'): OrderRecord {
  return {
    orderId,
    sellerId,
    status: 'received',
    order: {
      orderId,
      sellerId,
      marketplace: 'shopify',
      externalId: orderId,
      placedAt: '2026-11-22T12:00:00Z',
      shipTo: { country: 'DE' },
      lines,
    },
    source: { platform: 'shopify', shop: 'test.myshopify.com' },
    receivedAt: '2026-11-22T12:00:01Z',
    updatedAt: '2026-11-22T12:00:01Z',
    decisionVersion: 0,
  };
}

/** A routed decision on one route (cost and ETA are placeholders: the store does not read them). */
export function decision(orderId: string, routeId: string, mode: Mode, decidedAt = NOW.toISOString()): Decision {
  return {
    orderId,
    sellerId: 'S1',
    decidedAt,
    status: 'routed',
    chosen: {
      routeId,
      mode,
      cost: { total: 6.1, currency: 'EUR', components: [{ name: 'total', amount: 6.1 }] },
      eta: { earliest: '2026-11-24', latest: '2026-11-25' },
      shipments: [],
    },
    candidates: [{ routeId, mode, feasible: true }],
  };
}

let recorders = 0;

export interface RecordedCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
  /** Logical times (a counter), so ordering is asserted, never durations. */
  readonly start: number;
  end?: number;
}

/**
 * Records every command sent through `doc` (and its base client, which shares the stack) and
 * groups them into rounds: a call is in round 1 + the highest round of the calls that had
 * finished before it started — so calls issued together share a round, a dependent one does not.
 */
export function recordCalls(doc: DynamoDBDocumentClient): { calls: RecordedCall[]; rounds(): number; reset(): void } {
  const calls: RecordedCall[] = [];
  let tick = 0;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const call: RecordedCall = {
        command: String((context as { commandName?: string }).commandName),
        input: (args as { input: Record<string, unknown> }).input,
        start: tick++,
      };
      calls.push(call);
      try {
        return await next(args);
      } finally {
        call.end = tick++;
      }
    },
    { step: 'initialize', name: `recordCallsForTests${recorders++}` },
  );
  return {
    calls,
    rounds() {
      const round = new Map<RecordedCall, number>();
      for (const call of [...calls].sort((a, b) => a.start - b.start)) {
        const before = calls.filter((c) => c.end !== undefined && c.end < call.start).map((c) => round.get(c) ?? 0);
        round.set(call, 1 + Math.max(0, ...before));
      }
      return Math.max(0, ...round.values());
    },
    reset() {
      calls.length = 0;
    },
  };
}

/** A fresh table holding the tiny network (10 × A at WH-1, D1 with 1000 L) and these orders. */
export async function tinyTableWith(endpoint: string, orders: readonly OrderRecord[]): Promise<StoreContext> {
  const ctx = await freshTable(endpoint);
  await writeReference(ctx, tinyNetwork());
  for (const order of orders) await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: orderItem(order) }));
  return ctx;
}

/** Units of A left at WH-1 for seller S1, as stored. */
export async function storedAvailable(ctx: StoreContext): Promise<number | undefined> {
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.stock('S1', 'WH-1', 'A'), ConsistentRead: true }));
  return Item?.available as number | undefined;
}

/** Litres booked on a departure, as stored. */
export async function storedUsedLitres(ctx: StoreContext, departureId: string): Promise<number | undefined> {
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.departure(departureId), ConsistentRead: true }));
  return Item?.usedLitres as number | undefined;
}

export const takeStock = (qty: number): Reservations => ({ stock: [{ warehouseId: 'WH-1', sku: 'A', qty }], capacity: [] });
export const takeRail = (departureId: string, litres: number): Reservations => ({ stock: [], capacity: [{ departureId, laneId: 'L1', litres }] });
