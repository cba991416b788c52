/**
 * Demand from routing history (issue 13, item 1): per seller, SKU and destination country,
 * units per day over a window of whole UTC days before `now`, with the weekly pattern when the
 * data shows one and the day-to-day variability. Every order counts — routed from a warehouse,
 * sent direct, put on a train, or left unroutable — because a customer asked for it either way.
 * Orders that a warehouse could not serve for lack of stock are counted per warehouse as well:
 * they are what a plan is for. Pure: history in (any iterable, one pass), table out.
 */
import type { HistoryEntry } from './history.ts';
import { dailyStats, type DailyStats } from './stats.ts';

export const DAY_MS = 86_400_000;
export const DEFAULT_WINDOW_DAYS = 28;

export interface DemandOptions {
  readonly now: Date;
  /** Whole UTC days before `now`'s day that count (default 28). */
  readonly windowDays?: number;
}

/** Orders a warehouse could not serve because it lacked the SKU. */
export interface LostOrders {
  /** …that were routed some other way (direct, rail, a split). */
  routed: number;
  /** …that could not be routed at all. */
  unroutable: number;
  /** Units of the SKU in those orders. */
  units: number;
}

/** The raw daily series of one seller, SKU and destination, as the planner aggregates it. */
export interface DemandSeries {
  readonly sellerId: string;
  readonly sku: string;
  readonly country: string;
  /** Units per UTC day of the window, index 0 the oldest day. */
  readonly daily: Float64Array;
  orders: number;
  /** By warehouse id; null until the first lost order (most series never have one). */
  lost: Map<string, LostOrders> | null;
  /** The unit price of the most recent order line that carried one (for representative quotes). */
  lastUnitPrice: { amount: number; currency: string } | undefined;
  /** `placedAt\0orderId` of that line. */
  lastPriceAt: string | undefined;
}

export interface DemandTable {
  readonly windowDays: number;
  /** Start of the window (UTC midnight), ms. */
  readonly startMs: number;
  /** Index of the first day with any order: days before it are unknown, not zero. */
  readonly firstDay: number;
  /** Keyed by `seller\0sku\0country`. */
  readonly series: ReadonlyMap<string, DemandSeries>;
}

export function demandKey(sellerId: string, sku: string, country: string): string {
  return `${sellerId}\u0000${sku}\u0000${country}`;
}

/**
 * Fold a history into daily series (one pass; the history may be a generator of a million lines).
 * Lines outside the window are skipped.
 * @example collectDemand(lines, { now: new Date('2026-12-01T00:00:00Z') }).series.size
 */
export function collectDemand(history: Iterable<HistoryEntry>, options: DemandOptions): DemandTable {
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new RangeError(`windowDays must be a positive integer, got ${windowDays}`);
  const endMs = Math.floor(options.now.getTime() / DAY_MS) * DAY_MS;
  const startMs = endMs - windowDays * DAY_MS;
  const series = new Map<string, DemandSeries>();
  // Seller → SKU → country: lookups hash the strings the order already holds, where one flat
  // key would build and hash a new string per line (the fold's cost at a million lines).
  const nested = new Map<string, Map<string, Map<string, DemandSeries>>>();
  // Daily counts live in shared blocks, a series' days side by side: one allocation per 1,024
  // series instead of one typed array each.
  let block = new Float64Array(0);
  let used = 0;
  const days = (): Float64Array => {
    if (used === block.length) {
      block = new Float64Array(1024 * windowDays);
      used = 0;
    }
    used += windowDays;
    return block.subarray(used - windowDays, used);
  };
  let firstDay = windowDays;
  for (const { order, decision } of history) {
    const placed = Date.parse(order.placedAt);
    if (!(placed >= startMs && placed < endMs)) continue;
    const day = Math.floor((placed - startMs) / DAY_MS);
    if (day < firstDay) firstDay = day;
    const short = shortWarehouses(decision, order.lines);
    // A SKU on two lines of one order is one order of it; single-line orders need no set.
    const seen = order.lines.length > 1 ? new Set<string>() : undefined;
    let bySku = nested.get(order.sellerId);
    if (bySku === undefined) {
      bySku = new Map();
      nested.set(order.sellerId, bySku);
    }
    const country = order.shipTo.country;
    for (const line of order.lines) {
      let byCountry = bySku.get(line.sku);
      if (byCountry === undefined) {
        byCountry = new Map();
        bySku.set(line.sku, byCountry);
      }
      let s = byCountry.get(country);
      if (s === undefined) {
        // Every field present from the start: one object shape, so the hot loop stays monomorphic.
        s = { sellerId: order.sellerId, sku: line.sku, country, daily: days(), orders: 0, lost: null, lastUnitPrice: undefined, lastPriceAt: undefined };
        byCountry.set(country, s);
        series.set(demandKey(order.sellerId, line.sku, country), s);
      }
      s.daily[day]! += line.qty;
      // The latest price wins, the greater order id on a tie: the same whatever the line order.
      if (line.unitPrice !== undefined) {
        const stamp = `${order.placedAt}\u0000${order.orderId}`;
        if (s.lastPriceAt === undefined || stamp > s.lastPriceAt) {
          s.lastUnitPrice = line.unitPrice;
          s.lastPriceAt = stamp;
        }
      }
      const first = seen === undefined || !seen.has(line.sku);
      seen?.add(line.sku);
      if (first) s.orders++;
      if (short === undefined) continue;
      for (let i = 0; i < short.length; i += 2) {
        if (short[i] !== line.sku) continue;
        const warehouseId = short[i + 1]!;
        s.lost ??= new Map();
        let lost = s.lost.get(warehouseId);
        if (lost === undefined) {
          lost = { routed: 0, unroutable: 0, units: 0 };
          s.lost.set(warehouseId, lost);
        }
        if (first) {
          if (decision.status === 'routed') lost.routed++;
          else lost.unroutable++;
        }
        lost.units += line.qty;
      }
    }
  }
  return { windowDays, startMs, firstDay: Math.min(firstDay, windowDays - 1), series };
}

/**
 * Flat pairs `[sku, warehouseId, sku, warehouseId, …]` (no Map per decision: most have one or
 * two), each a warehouse whose candidate was infeasible for lack of that SKU and that the
 * order did not ship from. Reads the reason's `params` (`{ warehouseId, sku, available, needed }`)
 * when the router wrote them; without them, the warehouse comes from the route id and every
 * line of the order counts as short there (exact for single-line orders, the common case).
 */
function shortWarehouses(
  decision: HistoryEntry['decision'],
  lines: readonly { sku: string }[],
): string[] | undefined {
  let out: string[] | undefined;
  const candidates = decision.candidates;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    if (c.feasible || c.reasons === undefined || c.mode !== 'overseas-warehouse') continue;
    for (const r of c.reasons) {
      if (r.code !== 'no-stock') continue;
      const p = r.params;
      const warehouseId = typeof p?.warehouseId === 'string' ? p.warehouseId : c.routeId.replace(/^warehouse:/, '');
      const skus = typeof p?.sku === 'string' ? [p.sku] : lines.map((l) => l.sku);
      if (shippedFrom(decision, warehouseId)) continue;
      out ??= [];
      for (const sku of skus) {
        let dup = false;
        for (let i = 0; i < out.length; i += 2) if (out[i] === sku && out[i + 1] === warehouseId) dup = true;
        if (!dup) out.push(sku, warehouseId);
      }
    }
  }
  return out;
}

function shippedFrom(decision: HistoryEntry['decision'], warehouseId: string): boolean {
  const shipments = decision.chosen?.shipments;
  if (shipments === undefined) return false;
  for (let i = 0; i < shipments.length; i++) if (shipments[i]!.from === warehouseId && shipments[i]!.mode === 'overseas-warehouse') return true;
  return false;
}

/** Weekday (0 = Monday) of a UTC instant. */
export function weekdayOf(ms: number): number {
  return (new Date(ms).getUTCDay() + 6) % 7;
}

/** Statistics of a series (or a sum of series) over the table's observed days. */
export function statsOf(table: DemandTable, daily: Float64Array): DailyStats {
  return dailyStats(daily.subarray(table.firstDay), weekdayOf(table.startMs + table.firstDay * DAY_MS));
}

/** One row of the demand report. */
export interface DemandRow extends DailyStats {
  readonly sellerId: string;
  readonly sku: string;
  readonly country: string;
  readonly orders: number;
  /** Days of history the figures rest on (≤ the window). */
  readonly days: number;
  /** Orders per week, by warehouse, that the warehouse could not serve for lack of stock. */
  readonly lostPerWeek: Readonly<Record<string, number>>;
}

/**
 * Demand per seller, SKU and destination country, sorted by seller, SKU, country.
 * @example demand(lines, { now })[0] // { sellerId, sku: 'TEE-COT', country: 'DE', unitsPerDay: 12.4, weekly: null, … }
 */
export function demand(history: Iterable<HistoryEntry> | DemandTable, options: DemandOptions): DemandRow[] {
  const table = isTable(history) ? history : collectDemand(history, options);
  const days = table.windowDays - table.firstDay;
  const rows: DemandRow[] = [];
  for (const s of table.series.values()) {
    const lostPerWeek: Record<string, number> = {};
    for (const [w, l] of [...(s.lost ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))) lostPerWeek[w] = ((l.routed + l.unroutable) * 7) / days;
    rows.push({ sellerId: s.sellerId, sku: s.sku, country: s.country, orders: s.orders, days, ...statsOf(table, s.daily), lostPerWeek });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => cmp(a.sellerId, b.sellerId) || cmp(a.sku, b.sku) || cmp(a.country, b.country));
}

export function isTable(x: unknown): x is DemandTable {
  return typeof x === 'object' && x !== null && 'series' in x && 'startMs' in x;
}
