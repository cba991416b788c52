/**
 * The savings report (issue 13, item 4): per seller, orders by mode and what they cost, against
 * two baselines computed from the same decisions —
 *   - all direct: every order by its cheapest feasible direct parcel (what shipping from China
 *     alone would have cost);
 *   - warehouse when in stock: the cheaper of the direct parcels and the warehouses that had the
 *     stock (no trains, no splits: how sellers route by hand) —
 * and the saving missed because a warehouse lacked stock: each such order priced again by the
 * routing core with ample stock, direct parcels and warehouses only, against what it cost.
 * An order without the baseline's option keeps its own cost in that baseline (a power bank has
 * no direct parcel), so baselines compare like with like. Pure: history, network and a period in.
 */
import type { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { fromMinor, toMinor } from '#routing/money.ts';
import { route as coreRoute } from '#routing/route.ts';
import { ValidationError } from '#shared/errors.ts';
import { DAY_MS } from './demand.ts';
import type { HistoryEntry } from './history.ts';
import type { RouteFn } from './plan.ts';

export interface ReportInput {
  readonly history: Iterable<HistoryEntry>;
  /** Needed to price the missed saving; without it only the orders are counted. */
  readonly network?: NetworkSnapshot;
  /** Decisions at or after (ISO); default: all. */
  readonly from?: string;
  /** Decisions before (ISO); default: all. */
  readonly to?: string;
  readonly sellerId?: string;
  readonly route?: RouteFn;
}

type Amount = { readonly amount: number; readonly currency: string };

export interface SellerSavings {
  readonly sellerId: string;
  readonly currency: string;
  readonly orders: { readonly total: number; readonly routed: number; readonly unroutable: number; readonly byMode: Readonly<Record<string, number>> };
  readonly spend: Amount;
  readonly spendByMode: Readonly<Record<string, number>>;
  readonly baselines: {
    readonly allDirect: Amount & { readonly saved: number; readonly ordersWithoutDirect: number };
    readonly warehouseWhenInStock: Amount & { readonly saved: number };
  };
  /**
   * Orders a warehouse could not serve for lack of stock that stock would have made cheaper (or
   * routable at all), and by how much; without a network, every stock-short order, amount null.
   */
  readonly missedForStock: {
    readonly orders: number;
    /** …of which unroutable: sales the stock would have made possible. */
    readonly unroutable: number;
    readonly amount: number | null;
    readonly currency: string;
  };
  /** Spend per UTC day (for the chart), oldest first. */
  readonly daily: readonly { readonly day: string; readonly spend: number; readonly allDirect: number; readonly orders: number }[];
}

export interface SavingsReport {
  readonly from: string | null;
  readonly to: string | null;
  readonly sellers: readonly SellerSavings[];
}

const AMPLE = 1_000_000_000;

interface Acc {
  sellerId: string;
  currency: string;
  total: number;
  routed: number;
  unroutable: number;
  byMode: Map<string, number>;
  spend: number;
  spendByMode: Map<string, number>;
  allDirect: number;
  withoutDirect: number;
  inStock: number;
  missedOrders: number;
  missedUnroutable: number;
  missed: number;
  daily: Map<number, { spend: number; allDirect: number; orders: number }>;
}

/**
 * Build the savings report.
 * @example report({ history, network, from: '2026-11-01T00:00:00Z' }).sellers[0].baselines.allDirect.saved
 */
export function report(input: ReportInput): SavingsReport {
  const fromMs = parseBound(input.from, 'from');
  const toMs = parseBound(input.to, 'to');
  const route = input.route ?? coreRoute;
  const ample = input.network === undefined ? undefined : withAmpleStock(input.network);
  const bySeller = new Map<string, Acc>();
  const sellerCurrency = new Map((input.network?.sellers ?? []).map((s) => [s.id, s.reportCurrency]));
  const repriced = new Map<string, number | undefined>();

  for (const { order, decision } of input.history) {
    if (input.sellerId !== undefined && decision.sellerId !== input.sellerId) continue;
    const at = Date.parse(decision.decidedAt);
    if ((fromMs !== undefined && at < fromMs) || (toMs !== undefined && at >= toMs)) continue;
    const currency = decision.chosen?.cost.currency ?? sellerCurrency.get(decision.sellerId) ?? '';
    let acc = bySeller.get(decision.sellerId);
    if (acc === undefined) {
      acc = {
        sellerId: decision.sellerId, currency, total: 0, routed: 0, unroutable: 0, byMode: new Map(), spend: 0, spendByMode: new Map(),
        allDirect: 0, withoutDirect: 0, inStock: 0, missedOrders: 0, missedUnroutable: 0, missed: 0, daily: new Map(),
      };
      bySeller.set(decision.sellerId, acc);
    }
    if (acc.currency === '') acc.currency = currency;
    const mode = decision.chosen?.mode ?? 'unroutable';
    acc.total++;
    acc.byMode.set(mode, (acc.byMode.get(mode) ?? 0) + 1);
    const dayKey = Math.floor(at / DAY_MS);
    let day = acc.daily.get(dayKey);
    if (day === undefined) {
      day = { spend: 0, allDirect: 0, orders: 0 };
      acc.daily.set(dayKey, day);
    }
    day.orders++;
    const short = stockShort(decision);
    if (decision.chosen === undefined) {
      acc.unroutable++;
      // Without a network every stock-short order counts; with one, those stock would have routed.
      if (short && (ample === undefined || reprice(order, ample, route, acc.currency, repriced) !== undefined)) {
        acc.missedOrders++;
        acc.missedUnroutable++;
      }
      continue;
    }
    if (decision.chosen.cost.currency !== acc.currency) {
      throw new ValidationError([{ path: `decision ${decision.orderId}`, message: `cost in ${decision.chosen.cost.currency}, but ${decision.sellerId}'s other decisions are in ${acc.currency}` }]);
    }
    acc.routed++;
    const cost = toMinor(decision.chosen.cost.total, acc.currency);
    acc.spend += cost;
    acc.spendByMode.set(mode, (acc.spendByMode.get(mode) ?? 0) + cost);
    let direct: number | undefined;
    for (const c of decision.candidates) {
      if (!c.feasible || c.cost === undefined || c.cost.currency !== acc.currency) continue;
      const total = toMinor(c.cost.total, acc.currency);
      if (c.mode === 'direct-parcel') direct = direct === undefined ? total : Math.min(direct, total);
    }
    if (direct === undefined) acc.withoutDirect++;
    acc.allDirect += direct ?? cost;
    acc.inStock += baselineInStock(decision, cost, acc.currency);
    day.spend += cost;
    day.allDirect += direct ?? cost;
    if (short && ample === undefined) acc.missedOrders++;
    if (short && ample !== undefined) {
      const best = reprice(order, ample, route, acc.currency, repriced);
      if (best !== undefined && best < cost) {
        acc.missed += cost - best;
        acc.missedOrders++;
      }
    }
  }

  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sellers = [...bySeller.values()].sort((a, b) => cmp(a.sellerId, b.sellerId)).map((a): SellerSavings => {
    const m = (minor: number) => fromMinor(minor, a.currency);
    const days = [...a.daily.keys()].sort((x, y) => x - y);
    return {
      sellerId: a.sellerId,
      currency: a.currency,
      orders: { total: a.total, routed: a.routed, unroutable: a.unroutable, byMode: sortedRecord(a.byMode) },
      spend: { amount: m(a.spend), currency: a.currency },
      spendByMode: Object.fromEntries(Object.entries(sortedRecord(a.spendByMode)).map(([k, v]) => [k, m(v)])),
      baselines: {
        allDirect: { amount: m(a.allDirect), currency: a.currency, saved: m(a.allDirect - a.spend), ordersWithoutDirect: a.withoutDirect },
        warehouseWhenInStock: { amount: m(a.inStock), currency: a.currency, saved: m(a.inStock - a.spend) },
      },
      missedForStock: { orders: a.missedOrders, unroutable: a.missedUnroutable, amount: ample === undefined ? null : m(a.missed), currency: a.currency },
      daily: days.map((d) => {
        const x = a.daily.get(d)!;
        return { day: new Date(d * DAY_MS).toISOString().slice(0, 10), spend: m(x.spend), allDirect: m(x.allDirect), orders: x.orders };
      }),
    };
  });
  return { from: input.from ?? null, to: input.to ?? null, sellers };
}

function isDirectOrStock(mode: string): boolean {
  return mode === 'direct-parcel' || mode === 'overseas-warehouse';
}

/** The cheapest of the feasible direct parcels and in-stock warehouses; the order's own cost without either. */
function baselineInStock(decision: HistoryEntry['decision'], cost: number, currency: string): number {
  let best: number | undefined;
  for (const c of decision.candidates) {
    if (!c.feasible || c.cost === undefined || c.cost.currency !== currency || !isDirectOrStock(c.mode)) continue;
    const total = toMinor(c.cost.total, currency);
    best = best === undefined ? total : Math.min(best, total);
  }
  return best ?? cost;
}

/** A warehouse was infeasible for lack of stock and the order did not ship from it. */
function stockShort(decision: HistoryEntry['decision']): boolean {
  for (const c of decision.candidates) {
    if (c.feasible || c.mode !== 'overseas-warehouse' || !(c.reasons ?? []).some((r) => r.code === 'no-stock')) continue;
    const w = c.reasons!.map((r) => r.params?.warehouseId).find((x): x is string => typeof x === 'string') ?? c.routeId.replace(/^warehouse:/, '');
    if (!(decision.chosen?.shipments.some((s) => s.mode === 'overseas-warehouse' && s.from === w) ?? false)) return true;
  }
  return false;
}

/** The order's cheapest direct-or-warehouse cost had every warehouse had the stock (memoised). */
function reprice(order: CanonicalOrder, ample: NetworkSnapshot, route: RouteFn, currency: string, memo: Map<string, number | undefined>): number | undefined {
  const day = order.placedAt.slice(0, 10);
  const key = JSON.stringify([order.sellerId, order.shipTo.country, order.serviceLevel ?? '', order.deliverBy ?? '', day, order.lines]);
  if (memo.has(key)) return memo.get(key);
  const d = route(order, ample, new Date(order.placedAt));
  let best: number | undefined;
  for (const c of d.candidates) {
    if (!c.feasible || c.cost === undefined || c.cost.currency !== currency || !isDirectOrStock(c.mode)) continue;
    const total = toMinor(c.cost.total, currency);
    best = best === undefined ? total : Math.min(best, total);
  }
  memo.set(key, best);
  return best;
}

function withAmpleStock(network: NetworkSnapshot): NetworkSnapshot {
  const stock = [];
  for (const s of network.skus) for (const w of network.warehouses) stock.push({ sellerId: s.sellerId, warehouseId: w.id, sku: s.sku, available: AMPLE });
  return { ...network, stock };
}

function parseBound(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new ValidationError([{ path: `--${name}`, message: `expected an ISO-8601 date or date-time, got "${text}"` }]);
  return ms;
}

function sortedRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
