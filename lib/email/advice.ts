/**
 * Advice computed with the routing core (issue 14 item 3): only actions that would make this
 * order, or the next order like it, routable or cheaper — each checked by routing the same order
 * again against the network as it would be after the action (lib/routing/route.ts), never
 * guessed. Pure: order, network and `now` in, facts out; the renderer words them.
 *
 * - Stock: for each warehouse short of a line of the order, route the order against the network
 *   with that shortfall stocked. When the order would then ship from that warehouse, and either
 *   routes where it did not or costs less than it does now, that is worth saying, with the
 *   figures ("stock 3 × DRESS-PLY in WH-DUI: the next order like this saves ¥12"). Stock bought
 *   now arrives by a later train, so it helps the next order, never this one; the train named
 *   is the next open departure to that warehouse with the day it gets there.
 * - A later date: when the routes held back only by the promised date exist, route the order
 *   again with the buyer's date moved to the fastest of them, and say what it would then take.
 */
import type { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkSnapshot, ResolvedDeparture, ResolvedRailLane } from '#network/types.ts';
import { partsOf, targetOf, type Decision, type RoutePart } from '#routing/decision.ts';
import { dayOf, formatDay } from '#routing/eta.ts';
import { toMinor } from '#routing/money.ts';
import { departureOpen } from '#routing/rail.ts';
import { route } from '#routing/route.ts';

export interface RoutedAs {
  /** The chosen route as a route entry (a split with its shipments as parts), for the renderer to name. */
  readonly entry: RoutePart & { readonly parts?: readonly RoutePart[] };
  readonly routeId: string;
  readonly total: number;
  readonly currency: string;
  readonly latestEta: string;
}

export interface StockAdvice {
  readonly warehouseId: string;
  /** The units to add: this order's shortfall per SKU at the warehouse. */
  readonly adds: readonly { readonly sku: string; readonly qty: number }[];
  /** How the same order would route with that stock. */
  readonly routed: RoutedAs;
  /** How it routes on today's network (undefined: it cannot). */
  readonly now?: RoutedAs;
  /** now − routed, in minor units of the currency, when both are priced in it (> 0: cheaper). */
  readonly savingMinor?: number;
  /** The next train that can carry the stock there, and the day it is in the warehouse. */
  readonly restock?: RestockTrain;
}

export interface RestockTrain {
  readonly lane: ResolvedRailLane;
  readonly departure: ResolvedDeparture;
  /** YYYY-MM-DD: departure + rail transit + inbound at the warehouse. */
  readonly inWarehouse: string;
}

export interface LaterDateAdvice {
  /** YYYY-MM-DD the buyer would have to accept. */
  readonly deliverBy: string;
  readonly routed: RoutedAs;
}

function routedAs(decision: Decision): RoutedAs | undefined {
  const c = decision.chosen;
  if (decision.status !== 'routed' || c === undefined) return undefined;
  const entry = c.mode === 'split' || c.shipments.length !== 1 ? { routeId: c.routeId, mode: c.mode, parts: c.shipments } : c.shipments[0]!;
  return { entry, routeId: c.routeId, total: c.cost.total, currency: c.cost.currency, latestEta: c.eta.latest };
}

/** Whether a decision ships any of the order from `warehouseId` (alone or as part of a split). */
function shipsFrom(decision: Decision, warehouseId: string): boolean {
  const c = decision.chosen;
  if (c === undefined) return false;
  const parts = c.shipments.length > 0 ? c.shipments : partsOf(c);
  return parts.some((p) => p.mode === 'overseas-warehouse' && targetOf(p).warehouseId === warehouseId);
}

/** The next departure of a lane into `warehouseId` that still takes goods, and when the goods are in the warehouse. */
export function restockTrain(network: NetworkSnapshot, origin: string, warehouseId: string, now: Date): RestockTrain | undefined {
  const inbound = network.warehouses.find((w) => w.id === warehouseId)?.inboundDays ?? 0;
  let best: RestockTrain | undefined;
  for (const lane of network.railLanes) {
    if (lane.origin !== origin || lane.warehouseId !== warehouseId) continue;
    const departure = lane.departures.find((d) => departureOpen(Date.parse(d.cutoffAt), now.getTime()) && d.remainingLitres > 0);
    if (departure === undefined) continue;
    const inWarehouse = formatDay(dayOf(Date.parse(departure.departsAt)) + departure.transitDays + inbound);
    if (best === undefined || inWarehouse < best.inWarehouse) best = { lane, departure, inWarehouse };
  }
  return best;
}

/**
 * Stock worth adding, per warehouse, with what the same order would then cost; only the
 * warehouses where it would make the order routable or cheaper, cheapest result first.
 */
export function stockAdvice(order: CanonicalOrder, network: NetworkSnapshot, now: Date): StockAdvice[] {
  const skus = new Set(network.skus.filter((s) => s.sellerId === order.sellerId).map((s) => s.sku));
  // An unknown SKU blocks every route: no stock can help until the catalogue knows it.
  if (order.lines.some((l) => !skus.has(l.sku))) return [];
  const seller = network.sellers.find((s) => s.id === order.sellerId);
  if (seller === undefined) return [];
  const needed = new Map<string, number>();
  for (const l of order.lines) needed.set(l.sku, (needed.get(l.sku) ?? 0) + l.qty);
  const available = (warehouseId: string, sku: string) =>
    network.stock.find((s) => s.sellerId === order.sellerId && s.warehouseId === warehouseId && s.sku === sku)?.available ?? 0;

  const today = routedAs(route(order, network, now));
  const out: StockAdvice[] = [];
  for (const warehouse of network.warehouses) {
    const adds = [...needed].flatMap(([sku, qty]) => {
      const short = qty - available(warehouse.id, sku);
      return short > 0 ? [{ sku, qty: short }] : [];
    });
    if (adds.length === 0) continue;
    const stocked: NetworkSnapshot = {
      ...network,
      stock: [
        ...network.stock.filter((s) => !(s.sellerId === order.sellerId && s.warehouseId === warehouse.id && needed.has(s.sku))),
        ...[...needed].map(([sku, qty]) => ({ sellerId: order.sellerId, warehouseId: warehouse.id, sku, available: Math.max(qty, available(warehouse.id, sku)) })),
      ],
    };
    const decision = route(order, stocked, now);
    const routed = routedAs(decision);
    if (routed === undefined || !shipsFrom(decision, warehouse.id)) continue;
    const savingMinor =
      today !== undefined && today.currency === routed.currency ? toMinor(today.total, today.currency) - toMinor(routed.total, routed.currency) : undefined;
    if (today !== undefined && !(savingMinor !== undefined && savingMinor > 0)) continue;
    const restock = restockTrain(network, seller.origin, warehouse.id, now);
    out.push({
      warehouseId: warehouse.id,
      adds,
      routed,
      ...(today && { now: today }),
      ...(savingMinor !== undefined && { savingMinor }),
      ...(restock && { restock }),
    });
  }
  return out.sort((a, b) => a.routed.total - b.routed.total || (a.warehouseId < b.warehouseId ? -1 : 1));
}

/**
 * What the order would take if the buyer accepted `latestEta` (the fastest route held back only
 * by the date): routed again with that date, so the answer is the router's, not the candidate's.
 */
export function laterDateAdvice(order: CanonicalOrder, network: NetworkSnapshot, now: Date, latestEta: string): LaterDateAdvice | undefined {
  const deliverBy = latestEta;
  const moved: CanonicalOrder = { ...order, deliverBy };
  let decision: Decision;
  try {
    decision = route(moved, network, now);
  } catch {
    return undefined;
  }
  const routed = routedAs(decision);
  return routed === undefined ? undefined : { deliverBy, routed };
}
