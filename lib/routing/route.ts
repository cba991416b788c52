/**
 * The routing decision (ROUTING.md §2–5), the one entry of lib/routing: every route for an order priced in the seller's
 * report currency, the cheapest feasible one chosen. Pure and deterministic — no I/O, no clock:
 * the same order, snapshot and `now` give the same decision, byte for byte.
 *
 * Candidates, in this order: the feasible ones as they rank (so `candidates[0]` is the chosen
 * route), then the infeasible ones by route id. Per source of the network there is one
 * candidate — every parcel service from the seller's origin, every warehouse, every rail lane
 * from the origin (named after the departure it uses or reports on) — plus the best split, only
 * when a split into ≥ 2 shipments is feasible (one split, not every partition: the others are
 * never better and would drown the email). Infeasible candidates carry reasons and no cost.
 */
import type { CanonicalOrder, Seller } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { ValidationError } from '#shared/errors.ts';
import { byRouteId, comparePlans, savingsVsDirectMinor, type Plan } from './choosing.ts';
import { compile, type CompiledNetwork, type CompiledSku } from './compile.ts';
import { routeIds, targetOf, type Candidate, type InboundDraw, type LotReservation, type Cost, type Decision, type Eta, type Mode, type Reservations, type RoutePart, type Shipment } from './decision.ts';
import { formatDay } from './eta.ts';
import { fromMinor } from './money.ts';
import { litresOf } from './rail.ts';
import { reasonMessage } from './reasons.ts';
import { customsOf } from './import-rules.ts';
import { makePart, withMessage, type Explain, type OrderCtx, type Quote, type Source } from './shipment.ts';
import { lotDrawsOf } from './warehouse.ts';
import { createContext, evaluate } from './sources.ts';
import { barredSources } from './shipping-rules.ts';
import { bestSplit } from './split.ts';

const NO_SKUS: ReadonlyMap<string, CompiledSku> = new Map();

/**
 * Route one order against a network snapshot as of `now` (`decidedAt` = now).
 * Throws ValidationError when the order's seller is not in the network.
 * @example route(order, snapshot, new Date('2026-11-23T08:00:00Z')).chosen?.routeId // 'warehouse:WH-DUI'
 */
export function route(order: CanonicalOrder, network: NetworkSnapshot, now: Date): Decision {
  const net = compile(network);
  const seller = net.sellers.get(order.sellerId);
  if (seller === undefined) {
    throw new ValidationError([{ path: 'sellerId', message: `unknown seller "${order.sellerId}" (not in the network)` }]);
  }
  const skus = net.skus.get(seller.id) ?? NO_SKUS;
  const decidedAt = now.toISOString();

  const unknown = [...new Set(order.lines.map((l) => l.sku).filter((sku) => !skus.has(sku)))];
  if (unknown.length > 0) {
    const params = { sellerId: seller.id, skus: unknown };
    const message = reasonMessage('unknown-sku', params);
    const candidates: Candidate[] = sourceNames(net, seller)
      .map((part) => ({ ...part, feasible: false, reasons: [{ code: 'unknown-sku' as const, message, params }] }))
      .sort(byRouteId);
    return { orderId: order.orderId, sellerId: order.sellerId, decidedAt, status: 'unroutable', candidates };
  }

  const all = createContext(net, seller, order, skus, now);
  // The marketplace's shipping rules bar sources before anything is priced: no route or split part uses them.
  const barred = barredSources(order, network, all.sources);
  const ctx = barred.size === 0 ? all : { ...all, sources: all.sources.filter((src) => !barred.has(src.routeId)) };
  const whole = makePart(ctx, ctx.lines.map((_, i) => i));
  const feasible: Plan[] = [];
  const infeasible: Candidate[] = all.sources.flatMap((src) => {
    const params = barred.get(src.routeId);
    if (params === undefined) return [];
    return [{ ...partOf(src, src.routeId, undefined), feasible: false, reasons: [{ code: 'marketplace-rule' as const, message: reasonMessage('marketplace-rule', params), params }] }];
  });
  for (const src of ctx.sources) {
    const q = evaluate(ctx, src, whole, null);
    if (q !== undefined) {
      feasible.push({ routeId: q.routeId, parts: [q], total: q.total, etaLo: q.etaLo, etaHi: q.etaHi });
    } else {
      const why: Explain = { reasons: [], routeId: src.routeId };
      evaluate(ctx, src, whole, why);
      infeasible.push({ ...partOf(src, why.routeId, why.departureId), feasible: false, reasons: why.reasons.map(withMessage) });
    }
  }
  if (ctx.lines.length >= 2) {
    const split = bestSplit(ctx);
    if (split !== undefined) feasible.push(split);
  }
  feasible.sort(comparePlans);
  infeasible.sort(byRouteId);

  const currency = ctx.report;
  const candidates: Candidate[] = [];
  const costs: Cost[] = [];
  for (const plan of feasible) {
    const cost = costOf(net, plan.parts, plan.total, currency);
    costs.push(cost);
    const ids = plan.parts.length === 1 ? quotePart(plan.parts[0]!) : { routeId: plan.routeId, mode: 'split' as const, parts: plan.parts.map(quotePart).sort(byPartId) };
    candidates.push({ ...ids, feasible: true, cost, eta: etaOf(plan.etaLo, plan.etaHi) });
  }
  candidates.push(...infeasible);

  const best = feasible[0];
  if (best === undefined) {
    return { orderId: order.orderId, sellerId: order.sellerId, decidedAt, status: 'unroutable', candidates };
  }
  const chosen = {
    routeId: best.routeId,
    mode: modeOf(best),
    cost: costs[0]!,
    eta: candidates[0]!.eta!,
    shipments: best.parts.map((q): Shipment => {
      const customs = customsOf(ctx, q);
      return {
        ...withFrom(quotePart(q), q.src.from),
        lines: q.part.lines.map((i) => ({ sku: order.lines[i]!.sku, qty: order.lines[i]!.qty })),
        cost: best.parts.length === 1 ? costs[0]! : costOf(net, [q], q.total, currency),
        eta: etaOf(q.etaLo, q.etaHi),
        ...(customs !== undefined && { customs }),
        ...inboundOf(ctx, q),
      };
    }),
  };
  const decision: Decision = { orderId: order.orderId, sellerId: order.sellerId, decidedAt, status: 'routed', chosen, candidates };
  const savings = savingsVsDirectMinor(feasible, best);
  if (savings !== undefined) decision.savingsVsDirect = { amount: fromMinor(savings, currency), currency };
  return decision;
}

/**
 * What committing `decision` takes from the network it was routed on: stock per warehouse and
 * SKU for warehouse shipments, whole litres per departure for rail shipments (⌈whole cm³ /
 * 1000⌉, the same figure the capacity check used, ADR 0010). Empty when unroutable. Reads
 * decisions of the old shape too (ids derived, ADR 0009).
 * Throws ValidationError when the decision names a SKU or departure the network lacks.
 */
export function reservationsOf(decision: Decision, network: NetworkSnapshot): Reservations {
  const chosen = decision.chosen;
  if (chosen === undefined) return { stock: [], capacity: [] };
  const net = compile(network);
  const skus = net.skus.get(decision.sellerId) ?? NO_SKUS;
  const skuOf = (sku: string): CompiledSku => {
    const found = skus.get(sku);
    if (found === undefined) throw new ValidationError([{ path: 'chosen.shipments', message: `unknown SKU "${sku}" for seller "${decision.sellerId}"` }]);
    return found;
  };
  const stock = new Map<string, { warehouseId: string; sku: string; qty: number }>();
  const capacity: { departureId: string; laneId: string; litres: number }[] = [];
  const inbound: LotReservation[] = [];
  for (const s of chosen.shipments) {
    if (s.mode === 'overseas-warehouse') {
      const warehouseId = s.warehouseId ?? s.from;
      // Units promised from a lot are taken from the lot, the rest from the shelf (ADR 0032).
      const fromLots = new Map<string, number>();
      for (const d of s.inbound ?? []) {
        inbound.push({ lotId: d.lotId, warehouseId, sku: d.sku, qty: d.qty });
        fromLots.set(d.sku, (fromLots.get(d.sku) ?? 0) + d.qty);
      }
      for (const line of s.lines) {
        const key = `${warehouseId}\u0000${line.sku}`;
        const lot = Math.min(line.qty, fromLots.get(line.sku) ?? 0);
        if (lot > 0) fromLots.set(line.sku, (fromLots.get(line.sku) ?? 0) - lot);
        const qty = line.qty - lot;
        if (qty === 0) continue;
        const held = stock.get(key);
        if (held === undefined) stock.set(key, { warehouseId, sku: line.sku, qty });
        else held.qty += qty;
      }
    } else if (s.mode === 'rail-to-warehouse') {
      const departureId = targetOf(s).departureId ?? '';
      const dep = net.departures.get(departureId);
      if (dep === undefined) throw new ValidationError([{ path: 'chosen.shipments', message: `unknown rail departure "${departureId}"` }]);
      let wholeCm3 = 0;
      for (const line of s.lines) wholeCm3 += line.qty * skuOf(line.sku).wholeCm3;
      capacity.push({ departureId, laneId: dep.laneId, litres: litresOf(wholeCm3) });
    }
  }
  return {
    stock: [...stock.values()].sort((a, b) => cmp(a.warehouseId, b.warehouseId) || cmp(a.sku, b.sku)),
    capacity: capacity.sort((a, b) => cmp(a.departureId, b.departureId)),
    ...(inbound.length === 0 ? {} : { inbound: inbound.sort((a, b) => cmp(a.lotId, b.lotId) || cmp(a.sku, b.sku)) }),
  };
}

/** A warehouse shipment's draws on inbound lots, as the decision names them (absent when none). */
function inboundOf(ctx: OrderCtx, q: Quote): { inbound?: InboundDraw[] } {
  if (q.src.kind !== 'warehouse') return {};
  const draws = lotDrawsOf(ctx, q.src, q.part);
  return draws.length === 0 ? {} : { inbound: draws };
}

/** The candidates' names and ids when no route can be priced (an unknown SKU). */
function sourceNames(net: CompiledNetwork, seller: Seller): RoutePart[] {
  return [
    ...(net.servicesByOrigin.get(seller.origin) ?? []).map((s) => ({ routeId: s.routeId, mode: 'direct-parcel' as const, serviceId: s.id })),
    ...(net.lanesByOrigin.get(seller.origin) ?? []).map((l) => ({
      routeId: routeIds.rail(l.id),
      mode: 'rail-to-warehouse' as const,
      laneId: l.id,
      warehouseId: l.warehouse.id,
    })),
    ...net.warehouses.map((w) => ({ routeId: w.routeId, mode: 'overseas-warehouse' as const, warehouseId: w.id })),
  ];
}

/** A route's name and ids (§5): the service, the warehouse, or the lane, its warehouse and the departure. */
function partOf(src: Source, routeId: string, departureId: string | undefined): RoutePart {
  switch (src.kind) {
    case 'direct':
      return { routeId, mode: src.mode, serviceId: src.svc.id };
    case 'warehouse':
      return { routeId, mode: src.mode, warehouseId: src.wh.id };
    case 'rail':
      return { routeId, mode: src.mode, ...(departureId !== undefined && { departureId }), laneId: src.lane.id, warehouseId: src.wh.id };
  }
}

function quotePart(q: Quote): RoutePart {
  return partOf(q.src, q.routeId, q.departure?.id);
}

/** A shipment's head in §5 order: route id, mode, from, then the ids. */
function withFrom(part: RoutePart, from: string): Omit<Shipment, 'lines' | 'cost' | 'eta'> {
  const { routeId, mode, ...ids } = part;
  return { routeId, mode, from, ...ids };
}

function modeOf(plan: Plan): Mode {
  return plan.parts.length === 1 ? plan.parts[0]!.src.mode : 'split';
}

/** Components summed over the parts (settled integers), zero ones left out, in the network's component order (fees after brokerage). */
function costOf(net: CompiledNetwork, parts: readonly Quote[], total: number, currency: string): Cost {
  const components: Cost['components'] = [];
  for (const k of net.componentOrder) {
    let minor = 0;
    for (const q of parts) minor += q.comps[k]!;
    if (minor !== 0) components.push({ name: net.componentNames[k]!, amount: fromMinor(minor, currency) });
  }
  return { total: fromMinor(total, currency), currency, components };
}

function etaOf(lo: number, hi: number): Eta {
  return { earliest: formatDay(lo), latest: formatDay(hi) };
}

/** A split's parts in the order its id lists them. */
function byPartId(a: RoutePart, b: RoutePart): number {
  return cmp(a.routeId, b.routeId);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
