/**
 * The load plan for a departure (issue 13, item 2): which SKUs, and how many units, to put on a
 * lane's next train before its cut-off so that the expected saving — the cheapest direct parcel
 * minus the warehouse route, both from the routing core itself — minus the holding cost is the
 * largest within the seller's capacity on that train. Pure and deterministic: history (or its
 * demand table), network snapshot, on-hand, inbound and `now` in; the same plan out, byte for
 * byte. The model and its choices: docs/decisions/0020-load-plan-model.md.
 */
import type { CanonicalOrder, Seller } from '#network/schemas.ts';

type Money = { readonly amount: number; readonly currency: string };
import type { NetworkSnapshot, ResolvedDeparture, ResolvedRailLane } from '#network/types.ts';
import type { Decision } from '#routing/decision.ts';
import { fromMinor, fxFactor, rateToMinor, toMinor } from '#routing/money.ts';
import { route as coreRoute } from '#routing/route.ts';
import { ValidationError } from '#shared/errors.ts';
import { collectDemand, DAY_MS, DEFAULT_WINDOW_DAYS, isTable, statsOf, weekdayOf, type DemandSeries, type DemandTable } from './demand.ts';
import type { HistoryEntry } from './history.ts';
import { fillByDensity, type KnapsackItem } from './knapsack.ts';
import { normalQuantile } from './stats.ts';
import { fmtCbm, money } from './money-format.ts';
import { lineWhy, notPlannedWhy, type LineReason, type NotPlannedReason } from './why.ts';

export { fmtCbm, money } from './money-format.ts';

export type RouteFn = (order: CanonicalOrder, snapshot: NetworkSnapshot, now: Date) => Decision;

/** Units of a SKU on their way to a warehouse (an inbound lot, issue 12). */
export interface InboundLot {
  /** Omitted: the lot counts for any seller with that SKU code. */
  readonly sellerId?: string;
  readonly warehouseId: string;
  readonly sku: string;
  readonly units: number;
  /** The date the units become stock (YYYY-MM-DD). */
  readonly arrivesOn: string;
}

/** Units on the shelf a warehouse may ship now (issue 12's on-hand − reserved − safety stock). */
export interface OnHand {
  readonly sellerId: string;
  readonly warehouseId: string;
  readonly sku: string;
  readonly units: number;
}

export interface PlanInput {
  /** Routing history, or the demand table already collected from it. */
  readonly history: Iterable<HistoryEntry> | DemandTable;
  readonly network: NetworkSnapshot;
  readonly now: Date;
  /** Default: the snapshot's stock (`available`). */
  readonly onHand?: readonly OnHand[];
  readonly inbound?: readonly InboundLot[];
  readonly laneId?: string;
  readonly departureId?: string;
  readonly sellerId?: string;
  /** m³ the seller booked on each departure; default what the departure has left. */
  readonly capacityCbm?: number;
  /** Probability of not running out before the next train's goods arrive (default 0.95). */
  readonly serviceLevel?: number;
  readonly windowDays?: number;
  /** Departures planned per lane, in order, each counting the earlier ones as inbound (default 1). */
  readonly departuresPerLane?: number;
  readonly route?: RouteFn;
}

export interface PlanLine {
  readonly sku: string;
  readonly units: number;
  readonly cbm: number;
  readonly why: string;
  /** What `why` says, as data: the email and the HTML views render it in the seller's language (lib/planning/why.ts). */
  readonly reason: LineReason;
  /** Expected saving of one unit after holding cost. */
  readonly savingPerUnit: { readonly amount: number; readonly currency: string };
  /** Units the demand asked for, before capacity. */
  readonly wanted: number;
  readonly destinations: readonly string[];
}

export interface NotPlanned {
  readonly sku: string;
  readonly why: string;
  readonly reason: NotPlannedReason;
}

/** A SKU left out: the English sentence and the data it is rendered from. */
function left(reason: NotPlannedReason): NotPlanned {
  return { sku: reason.sku, why: notPlannedWhy(reason, 'en'), reason };
}

export interface DeparturePlan {
  readonly laneId: string;
  readonly departureId: string;
  readonly sellerId: string;
  readonly warehouseId: string;
  readonly departsAt: string;
  readonly cutoffAt: string;
  /** The day the goods become stock: departure + transit + the warehouse's inbound days. */
  readonly arrivesOn: string;
  /** The day the next departure's goods arrive: the plan covers demand until then. */
  readonly coversUntil: string;
  readonly capacityCbm: number;
  readonly usedCbm: number;
  readonly lines: readonly PlanLine[];
  readonly expectedSaving: { readonly amount: number; readonly currency: string };
  readonly notPlanned: readonly NotPlanned[];
}

export interface LoadPlan {
  readonly asOf: string;
  readonly serviceLevel: number;
  readonly windowDays: number;
  readonly departures: readonly DeparturePlan[];
}

/** Storage is charged for the plan's own dwell, not for any dwell longer than a year. */
const MAX_DWELL_DAYS = 365;
/** The next train's arrival when a lane shows no later departure: a week on. */
const FALLBACK_COVER_DAYS = 7;
const AMPLE = 1_000_000_000;

/**
 * Plan each lane's next departure(s) not yet cut off, per seller shipping from its origin.
 * Throws ValidationError for an unknown lane, departure or seller, or bad figures.
 * @example plan({ history, network, now }).departures[0].lines[0].why // 'TEE-COT ×420 (0.52 m³): 41 orders a week to DE went direct …'
 */
export function plan(input: PlanInput): LoadPlan {
  const serviceLevel = input.serviceLevel ?? 0.95;
  const windowDays = input.windowDays ?? DEFAULT_WINDOW_DAYS;
  checkInput(input, serviceLevel);
  const table = isTable(input.history) ? input.history : collectDemand(input.history, { now: input.now, windowDays });
  const route = input.route ?? coreRoute;
  const z = normalQuantile(serviceLevel);
  const today = dayOf(input.now.getTime());
  const quotes = new UnitQuotes(input.network, route);

  // Series by seller and SKU, so a SKU's destinations are at hand.
  const bySku = new Map<string, DemandSeries[]>();
  for (const s of table.series.values()) {
    const key = `${s.sellerId}\u0000${s.sku}`;
    const list = bySku.get(key);
    if (list === undefined) bySku.set(key, [s]);
    else list.push(s);
  }
  for (const list of bySku.values()) list.sort((a, b) => cmp(a.country, b.country));

  const onHand = new Map<string, number>();
  for (const r of input.onHand ?? input.network.stock.map((s) => ({ ...s, units: s.available }))) {
    const key = `${r.sellerId}\u0000${r.warehouseId}\u0000${r.sku}`;
    onHand.set(key, (onHand.get(key) ?? 0) + r.units);
  }

  const lanes = [...input.network.railLanes].sort((a, b) => cmp(a.id, b.id)).filter((l) => input.laneId === undefined || l.id === input.laneId);
  const departures: DeparturePlan[] = [];
  for (const lane of lanes) {
    const warehouse = input.network.warehouses.find((w) => w.id === lane.warehouseId);
    if (warehouse === undefined) continue;
    const open = lane.departures.filter((d) => Date.parse(d.cutoffAt) > input.now.getTime() && (input.departureId === undefined || d.id === input.departureId));
    const chosen = open.slice(0, input.departureId === undefined ? (input.departuresPerLane ?? 1) : 1);
    const sellers = input.network.sellers
      .filter((s) => s.origin === lane.origin && (input.sellerId === undefined || s.id === input.sellerId))
      .sort((a, b) => cmp(a.id, b.id));
    for (const seller of sellers) {
      const planned: InboundLot[] = [];
      for (const dep of chosen) {
        const ctx: DepartureContext = { lane, dep, seller, warehouseId: warehouse.id, inboundDays: warehouse.inboundDays, today, z, table, bySku, onHand, quotes, inbound: [...(input.inbound ?? []), ...planned] };
        const p = planDeparture(ctx, input.capacityCbm ?? dep.remainingLitres / 1000);
        departures.push(p);
        for (const line of p.lines) planned.push({ sellerId: seller.id, warehouseId: warehouse.id, sku: line.sku, units: line.units, arrivesOn: p.arrivesOn });
      }
    }
  }
  departures.sort((a, b) => cmp(a.departsAt, b.departsAt) || cmp(a.laneId, b.laneId) || cmp(a.sellerId, b.sellerId));
  return { asOf: input.now.toISOString(), serviceLevel, windowDays: table.windowDays, departures };
}

function checkInput(input: PlanInput, serviceLevel: number): void {
  const issues: { path: string; message: string }[] = [];
  if (!(serviceLevel > 0 && serviceLevel < 1)) issues.push({ path: 'serviceLevel', message: `expected a probability between 0 and 1 (exclusive), got ${serviceLevel}` });
  if (input.capacityCbm !== undefined && !(Number.isFinite(input.capacityCbm) && input.capacityCbm >= 0)) issues.push({ path: 'capacity', message: `expected m³ ≥ 0, got ${input.capacityCbm}` });
  const dpl = input.departuresPerLane;
  if (dpl !== undefined && !(Number.isInteger(dpl) && dpl >= 1)) issues.push({ path: 'departuresPerLane', message: `expected a whole number ≥ 1, got ${dpl}` });
  if (input.laneId !== undefined && !input.network.railLanes.some((l) => l.id === input.laneId)) issues.push({ path: 'lane', message: `unknown rail lane "${input.laneId}"` });
  if (input.departureId !== undefined) {
    const dep = input.network.railLanes.flatMap((l) => l.departures).find((d) => d.id === input.departureId);
    if (dep === undefined) issues.push({ path: 'departure', message: `unknown departure "${input.departureId}"` });
    else if (Date.parse(dep.cutoffAt) <= input.now.getTime()) issues.push({ path: 'departure', message: `departure "${dep.id}" was cut off at ${dep.cutoffAt}: nothing more can be loaded` });
  }
  if (input.sellerId !== undefined && !input.network.sellers.some((s) => s.id === input.sellerId)) issues.push({ path: 'seller', message: `unknown seller "${input.sellerId}"` });
  for (const [i, lot] of (input.inbound ?? []).entries()) {
    if (!(Number.isInteger(lot.units) && lot.units >= 0)) issues.push({ path: `inbound[${i}].units`, message: `expected a whole number ≥ 0, got ${lot.units}` });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(lot.arrivesOn) || Number.isNaN(Date.parse(lot.arrivesOn))) issues.push({ path: `inbound[${i}].arrivesOn`, message: `expected a date YYYY-MM-DD, got "${lot.arrivesOn}"` });
  }
  for (const [i, r] of (input.onHand ?? []).entries()) {
    if (!(Number.isInteger(r.units) && r.units >= 0)) issues.push({ path: `onHand[${i}].units`, message: `expected a whole number ≥ 0, got ${r.units}` });
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

interface DepartureContext {
  readonly lane: ResolvedRailLane;
  readonly dep: ResolvedDeparture;
  readonly seller: Seller;
  readonly warehouseId: string;
  readonly inboundDays: number;
  readonly today: number;
  readonly z: number;
  readonly table: DemandTable;
  readonly bySku: ReadonlyMap<string, readonly DemandSeries[]>;
  readonly onHand: ReadonlyMap<string, number>;
  readonly quotes: UnitQuotes;
  readonly inbound: readonly InboundLot[];
}

interface Candidate {
  readonly sku: string;
  readonly cm3: number;
  readonly wanted: number;
  /** Net saving per unit, report-currency minor units, an integer (rounded down). */
  readonly net: number;
  readonly destinations: readonly string[];
  readonly unitsPerWeek: number;
  readonly lostPerWeek: number;
  readonly lostUnroutableShare: number;
  readonly lostCountries: readonly string[];
  readonly covered: number;
  /** Valued by the sale's margin: no direct parcel reaches these customers. */
  readonly margin: boolean;
}

function planDeparture(ctx: DepartureContext, capacityCbm: number): DeparturePlan {
  const { lane, dep, seller } = ctx;
  const currency = seller.reportCurrency;
  const arrival = arrivalDay(dep, ctx.inboundDays);
  const index = lane.departures.indexOf(dep);
  const next = lane.departures[index + 1];
  const coverEnd = Math.max(arrival + 1, next === undefined ? arrival + FALLBACK_COVER_DAYS : arrivalDay(next, ctx.inboundDays));
  const notPlanned: NotPlanned[] = [];
  const candidates: Candidate[] = [];
  const skus = ctx.quotes.skusOf(seller.id);
  for (const sku of skus) {
    const series = ctx.bySku.get(`${seller.id}\u0000${sku.sku}`);
    if (series === undefined) continue; // no demand at all: nothing to say
    const c = candidateOf(ctx, sku.sku, sku.cm3, series, arrival, coverEnd, notPlanned);
    if (c !== undefined) candidates.push(c);
  }

  const capacityCm3 = Math.floor(capacityCbm * 1000 + 1e-9) * 1000;
  const items: KnapsackItem[] = candidates.map((c) => ({ key: c.sku, maxUnits: c.wanted, cm3: c.cm3, value: c.net }));
  const taken = fillByDensity(items, capacityCm3);
  const lines: (PlanLine & { total: number })[] = [];
  let usedCm3 = 0;
  let saving = 0;
  for (const c of candidates) {
    const units = taken.get(c.sku) ?? 0;
    if (units === 0) {
      notPlanned.push(left({ kind: 'no-room', sku: c.sku, wanted: c.wanted, departureId: dep.id, capacityCbm: Math.floor(capacityCbm * 1000 + 1e-9) / 1000 }));
      continue;
    }
    usedCm3 += units * c.cm3;
    saving += units * c.net;
    const cbm = (units * c.cm3) / 1e6;
    const reason = reasonOf(c, units, cbm, { amount: fromMinor(c.net, currency), currency });
    lines.push({
      sku: c.sku,
      units,
      cbm: Math.round(cbm * 1000) / 1000,
      why: lineWhy(reason, 'en'),
      reason,
      savingPerUnit: { amount: fromMinor(c.net, currency), currency },
      wanted: c.wanted,
      destinations: c.destinations,
      total: units * c.net,
    });
  }
  lines.sort((a, b) => b.total - a.total || cmp(a.sku, b.sku));
  notPlanned.sort((a, b) => cmp(a.sku, b.sku));
  return {
    laneId: lane.id,
    departureId: dep.id,
    sellerId: seller.id,
    warehouseId: ctx.warehouseId,
    departsAt: dep.departsAt,
    cutoffAt: dep.cutoffAt,
    arrivesOn: dayText(arrival),
    coversUntil: dayText(coverEnd),
    capacityCbm: Math.floor(capacityCbm * 1000 + 1e-9) / 1000,
    usedCbm: Math.ceil(usedCm3 / 1000) / 1000,
    lines: lines.map(({ total: _, ...line }) => line),
    expectedSaving: { amount: fromMinor(saving, currency), currency },
    notPlanned,
  };
}

function candidateOf(
  ctx: DepartureContext,
  sku: string,
  cm3: number,
  series: readonly DemandSeries[],
  arrival: number,
  coverEnd: number,
  notPlanned: NotPlanned[],
): Candidate | undefined {
  const { seller, warehouseId } = ctx;
  const days = ctx.table.windowDays - ctx.table.firstDay;
  const assigned: { s: DemandSeries; saving: number; storagePerDay: number; margin: boolean }[] = [];
  const elsewhere: { country: string; warehouseId: string }[] = [];
  const directWins: string[] = [];
  const noDirect: string[] = [];
  for (const s of series) {
    const q = ctx.quotes.get(seller, sku, s.country, arrival, s.lastUnitPrice);
    const here = q.warehouses.get(warehouseId);
    const best = q.best;
    if (here === undefined || best !== warehouseId) {
      if (best !== undefined) elsewhere.push({ country: s.country, warehouseId: best });
      continue;
    }
    if (q.direct === undefined) {
      // Nothing but a warehouse reaches this customer (a power bank): without stock the sale is
      // lost, so a unit is worth its margin — the sale price less the goods and the route.
      const price = s.lastUnitPrice === undefined ? undefined : ctx.quotes.marginBase(seller, sku, s.lastUnitPrice);
      if (price === undefined) noDirect.push(s.country);
      else assigned.push({ s, saving: price - here.total + here.storage, storagePerDay: here.storagePerDay, margin: true });
      continue;
    }
    if (here.total >= q.direct) {
      directWins.push(s.country);
      continue;
    }
    // The route's own storage assumes the warehouse's standard dwell; the plan charges its own.
    assigned.push({ s, saving: q.direct - here.total + here.storage, storagePerDay: here.storagePerDay, margin: false });
  }
  if (assigned.length === 0) {
    if (directWins.length + noDirect.length + elsewhere.length > 0) {
      notPlanned.push(left({ kind: 'not-better', sku, directCheaper: directWins, unpriced: noDirect, elsewhere }));
    }
    return undefined;
  }

  const daily = new Float64Array(ctx.table.windowDays);
  let windowUnits = 0;
  let lost = 0;
  let lostUnroutable = 0;
  const lostBy: [string, number][] = [];
  for (const a of assigned) {
    for (let i = 0; i < daily.length; i++) daily[i]! += a.s.daily[i]!;
    const l = a.s.lost?.get(warehouseId);
    if (l !== undefined && l.routed + l.unroutable > 0) {
      lost += l.routed + l.unroutable;
      lostUnroutable += l.unroutable;
      lostBy.push([a.s.country, l.routed + l.unroutable]);
    }
  }
  for (let i = ctx.table.firstDay; i < daily.length; i++) windowUnits += daily[i]!;
  const stats = statsOf(ctx.table, daily);
  const rate = stats.unitsPerDay;
  if (rate <= 0) return undefined;
  const on = (day: number) => rate * (stats.weekly === null ? 1 : stats.weekly[weekdayOf(day * DAY_MS)]!);

  // Project the shelf from today to the arrival: sales beyond it are lost, not back-ordered.
  const lots = ctx.inbound
    .filter((l) => l.warehouseId === warehouseId && l.sku === sku && (l.sellerId === undefined || l.sellerId === seller.id))
    .map((l) => ({ day: dayOf(Date.parse(l.arrivesOn)), units: l.units }));
  let shelf = ctx.onHand.get(`${seller.id}\u0000${warehouseId}\u0000${sku}`) ?? 0;
  for (const l of lots) if (l.day < ctx.today) shelf += l.units;
  for (let d = ctx.today; d < arrival; d++) {
    for (const l of lots) if (l.day === d) shelf += l.units;
    shelf = Math.max(0, shelf - on(d));
  }
  for (const l of lots) if (l.day >= arrival && l.day < coverEnd) shelf += l.units;
  let cover = 0;
  for (let d = arrival; d < coverEnd; d++) cover += on(d);
  const safety = ctx.z * stats.sdPerDay * Math.sqrt(coverEnd - ctx.today);
  const wanted = Math.max(0, Math.ceil(cover + safety - shelf - 1e-9));
  if (wanted === 0) {
    notPlanned.push(left({ kind: 'covered', sku, atArrival: Math.floor(shelf), needed: Math.ceil(cover + safety), until: dayText(coverEnd) }));
    return undefined;
  }

  let weighted = 0;
  let storagePerDay = 0;
  let weight = 0;
  for (const a of assigned) {
    let units = 0;
    for (let i = ctx.table.firstDay; i < a.s.daily.length; i++) units += a.s.daily[i]!;
    weighted += units * a.saving;
    storagePerDay += units * a.storagePerDay;
    weight += units;
  }
  const savingPerUnit = weight > 0 ? weighted / weight : 0;
  const perDay = weight > 0 ? storagePerDay / weight : 0;
  const dwell = Math.min(MAX_DWELL_DAYS, (wanted / 2 + safety) / rate);
  const net = Math.floor(savingPerUnit - perDay * dwell + 1e-9);
  if (net <= 0) {
    const currency = seller.reportCurrency;
    notPlanned.push(left({ kind: 'storage', sku, dwellDays: Math.round(dwell), savedPerUnit: { amount: fromMinor(Math.round(savingPerUnit), currency), currency } }));
    return undefined;
  }
  lostBy.sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
  return {
    sku,
    cm3,
    wanted,
    net,
    destinations: assigned.map((a) => a.s.country),
    unitsPerWeek: (windowUnits * 7) / days,
    lostPerWeek: (lost * 7) / days,
    lostUnroutableShare: lost === 0 ? 0 : lostUnroutable / lost,
    lostCountries: lostBy.map(([c]) => c),
    covered: Math.floor(shelf),
    margin: assigned.every((a) => a.margin),
  };
}

function reasonOf(c: Candidate, units: number, cbm: number, each: { amount: number; currency: string }): LineReason {
  const head = { sku: c.sku, units, cbm, wanted: c.wanted, each, margin: c.margin };
  const lostWeek = Math.round(c.lostPerWeek);
  if (lostWeek >= 1) {
    return { kind: 'lost-for-stock', ...head, ordersPerWeek: lostWeek, countries: c.lostCountries, went: c.lostUnroutableShare > 0.5 ? 'unroutable' : 'direct' };
  }
  return { kind: 'demand', ...head, unitsPerWeek: Math.round(c.unitsPerWeek), countries: c.destinations, atArrival: c.covered };
}

function arrivalDay(dep: ResolvedDeparture, inboundDays: number): number {
  return dayOf(Date.parse(dep.departsAt)) + dep.transitDays + inboundDays;
}

function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

function dayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface UnitQuote {
  /** The cheapest feasible direct parcel, report-currency minor units. */
  readonly direct?: number;
  /** Feasible warehouse routes by warehouse id: total, its storage component, storage per day. */
  readonly warehouses: ReadonlyMap<string, { total: number; storage: number; storagePerDay: number }>;
  /** The cheapest of them (the lowest id on a tie). */
  readonly best?: string;
}

/**
 * One unit of a SKU to a country priced by the routing core on a copy of the network with ample
 * stock everywhere, so every warehouse route is priced (and only priced: nothing is reserved).
 * Memoised per seller, SKU, country and day.
 */
class UnitQuotes {
  private readonly ample: NetworkSnapshot;
  private readonly memo = new Map<string, UnitQuote>();
  private readonly skuList = new Map<string, { sku: string; cm3: number }[]>();
  private readonly cm3 = new Map<string, number>();
  private readonly skuRecord = new Map<string, NetworkSnapshot['skus'][number]>();
  private readonly warehouses: ReadonlyMap<string, NetworkSnapshot['warehouses'][number]>;
  private readonly network: NetworkSnapshot;
  private readonly route: RouteFn;
  constructor(network: NetworkSnapshot, route: RouteFn) {
    this.network = network;
    this.route = route;
    this.warehouses = new Map(network.warehouses.map((w) => [w.id, w]));
    const stock = [];
    for (const s of network.skus) for (const w of network.warehouses) stock.push({ sellerId: s.sellerId, warehouseId: w.id, sku: s.sku, available: AMPLE });
    this.ample = { ...network, stock };
    for (const s of network.skus) {
      const [l, w, h] = s.dimsCm as [number, number, number];
      const list = this.skuList.get(s.sellerId) ?? [];
      const cm3 = Math.max(1, Math.ceil(l * w * h - 1e-9));
      list.push({ sku: s.sku, cm3 });
      this.cm3.set(`${s.sellerId}\u0000${s.sku}`, cm3);
      this.skuRecord.set(`${s.sellerId}\u0000${s.sku}`, s);
      this.skuList.set(s.sellerId, list);
    }
    for (const list of this.skuList.values()) list.sort((a, b) => cmp(a.sku, b.sku));
  }

  skusOf(sellerId: string): readonly { sku: string; cm3: number }[] {
    return this.skuList.get(sellerId) ?? [];
  }

  get(seller: Seller, sku: string, country: string, day: number, unitPrice: Money | undefined): UnitQuote {
    const key = `${seller.id}\u0000${sku}\u0000${country}\u0000${day}`;
    let q = this.memo.get(key);
    if (q !== undefined) return q;
    // Midday of the arrival day: what a unit sold then would cost by either route.
    const at = new Date(day * DAY_MS + DAY_MS / 2);
    const order: CanonicalOrder = {
      orderId: `plan:${seller.id}:${sku}:${country}`,
      sellerId: seller.id,
      marketplace: 'plan',
      externalId: `${sku}:${country}`,
      placedAt: at.toISOString(),
      shipTo: { country },
      lines: [{ sku, qty: 1, ...(unitPrice === undefined ? {} : { unitPrice }) }],
    };
    const decision = this.route(order, this.ample, at);
    const currency = seller.reportCurrency;
    let direct: number | undefined;
    const warehouses = new Map<string, { total: number; storage: number; storagePerDay: number }>();
    for (const c of decision.candidates) {
      if (!c.feasible || c.cost === undefined) continue;
      const total = toMinor(c.cost.total, c.cost.currency);
      if (c.mode === 'direct-parcel') direct = direct === undefined ? total : Math.min(direct, total);
      if (c.mode === 'overseas-warehouse') {
        const w = c.routeId.startsWith('warehouse:') ? c.routeId.slice('warehouse:'.length) : c.routeId;
        const storage = toMinor(c.cost.components.find((x) => x.name === 'storage')?.amount ?? 0, currency);
        warehouses.set(w, { total, storage, storagePerDay: this.storagePerDay(w, sku, seller) });
      }
    }
    let best: string | undefined;
    for (const [w, wq] of warehouses) {
      const top = best === undefined ? undefined : warehouses.get(best)!;
      if (top === undefined || wq.total < top.total || (wq.total === top.total && w < best!)) best = w;
    }
    q = { warehouses, ...(direct === undefined ? {} : { direct }), ...(best === undefined ? {} : { best }) };
    this.memo.set(key, q);
    return q;
  }

  /**
   * A sale's price less the goods' customs value (the seller's own price for them), in the
   * seller's report currency minor units: what a lost sale of one unit forgoes before shipping.
   */
  marginBase(seller: Seller, sku: string, unitPrice: Money): number | undefined {
    const k = this.skuRecord.get(`${seller.id}\u0000${sku}`);
    if (k === undefined) return undefined;
    const to = seller.reportCurrency;
    const fx = this.network.fx;
    return toMinor(unitPrice.amount, unitPrice.currency) * fxFactor(fx, unitPrice.currency, to) - toMinor(k.customsValue.amount, k.customsValue.currency) * fxFactor(fx, k.customsValue.currency, to);
  }

  private readonly perDay = new Map<string, number>();
  /** storagePerCbmDay × the unit's m³, in the seller's report currency (exact minor units). */
  private storagePerDay(warehouseId: string, sku: string, seller: Seller): number {
    const key = `${warehouseId}\u0000${seller.id}\u0000${sku}`;
    let v = this.perDay.get(key);
    if (v === undefined) {
      v = this.computePerDay(warehouseId, sku, seller);
      this.perDay.set(key, v);
    }
    return v;
  }

  private computePerDay(warehouseId: string, sku: string, seller: Seller): number {
    const w = this.warehouses.get(warehouseId);
    const cm3 = this.cm3.get(`${seller.id}\u0000${sku}`) ?? 0;
    if (w === undefined) return 0;
    return rateToMinor(w.fees.storagePerCbmDay, w.currency) * (cm3 / 1e6) * fxFactor(this.network.fx, w.currency, seller.reportCurrency);
  }
}
