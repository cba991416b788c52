/**
 * Pricing one shipment — a set of the order's lines — on one source (a parcel service, a
 * warehouse, a rail lane), per ROUTING.md §3. The fast path (`why` = null) stops at the first
 * rule that fails and formats nothing; the explaining path collects every failed rule with a
 * message, and is only taken for the candidates that end up in the decision.
 */
import type { CanonicalOrder, Seller } from '#network/schemas.ts';
import type { Mode, Reason, ReasonCode } from './decision.ts';
import {
  BATTERY_CONTAINED,
  BATTERY_STANDALONE,
  dayOf,
  formatDay,
  litresOf,
  stockKey,
  type CompiledDeparture,
  type CompiledDuty,
  type CompiledLane,
  type CompiledLastMile,
  type CompiledNetwork,
  type CompiledRate,
  type CompiledService,
  type CompiledSku,
  type CompiledWarehouse,
} from './compile.ts';
import { settle } from './money.ts';

/**
 * Cost component names, in the order a decision lists them (zero amounts are left out):
 * - direct parcel: `freight` (incl. the minimum charge), `battery-surcharge`, `duty` (flat per
 *   HS code, or bulk rate above the threshold), `vat-on-duty`, `brokerage`, `handling-fee`,
 *   `national-fee`;
 * - warehouse and rail: `pick-pack`, `packaging`, `last-mile`, and the replenishment of the
 *   units: `linehaul`, `bulk-duty`, `inbound`, `storage`.
 */
export const COMPONENTS = [
  'freight',
  'battery-surcharge',
  'duty',
  'vat-on-duty',
  'brokerage',
  'handling-fee',
  'national-fee',
  'pick-pack',
  'packaging',
  'last-mile',
  'linehaul',
  'bulk-duty',
  'inbound',
  'storage',
] as const;
export type ComponentName = (typeof COMPONENTS)[number];
const FREIGHT = 0;
const BATTERY = 1;
const DUTY = 2;
const VAT_ON_DUTY = 3;
const BROKERAGE = 4;
const HANDLING = 5;
const NATIONAL = 6;
const PICK_PACK = 7;
const PACKAGING = 8;
const LAST_MILE = 9;
const LINEHAUL = 10;
const BULK_DUTY = 11;
const INBOUND = 12;
const STORAGE = 13;
/** Per-line replenishment slots: linehaul, bulk duty, inbound, storage (report currency, exact). */
const UNIT_SLOTS = 4;

const DEFAULT_SERVICE_DAYS = { economy: 30, standard: 20, express: 7 } as const;

export interface DirectSource {
  readonly kind: 'direct';
  readonly mode: Mode;
  readonly routeId: string;
  readonly from: string;
  readonly svc: CompiledService;
  readonly rate: CompiledRate | undefined;
  /** Service currency → report currency minor units. */
  readonly f: number;
}

export interface WarehouseSource {
  readonly kind: 'warehouse';
  readonly mode: Mode;
  readonly routeId: string;
  readonly from: string;
  readonly wh: CompiledWarehouse;
  readonly lm: CompiledLastMile | undefined;
  readonly f: number;
  readonly etaLo: number;
  readonly etaHi: number;
  /** Units available per order line's SKU. */
  readonly avail: readonly number[];
  /** Per line, UNIT_SLOTS replenishment costs for the line's whole quantity. */
  readonly lineCosts: Float64Array;
}

/** A departure that is open (before cut-off) and whose ETA meets the deadline. */
interface DepartureOption {
  readonly dep: CompiledDeparture;
  readonly etaLo: number;
  readonly etaHi: number;
}

export interface RailSource {
  readonly kind: 'rail';
  readonly mode: Mode;
  /** `rail:<laneId>`: what the candidate is called when no departure can be named. */
  readonly routeId: string;
  readonly from: string;
  readonly lane: CompiledLane;
  readonly wh: CompiledWarehouse;
  readonly lm: CompiledLastMile | undefined;
  readonly f: number;
  readonly options: readonly DepartureOption[];
  /** The earliest departure not yet cut off, whatever its capacity or ETA. */
  readonly firstOpen: DepartureOption | undefined;
  readonly lineCosts: Float64Array;
}

export type Source = DirectSource | WarehouseSource | RailSource;

export interface CtxLine {
  readonly sku: CompiledSku;
  readonly qty: number;
  /** Index of the line's SKU among the order's distinct SKUs (lines may repeat a SKU). */
  readonly slot: number;
  /** Index of the line's 6-digit HS code among the order's distinct ones. */
  readonly hsId: number;
}

/** Everything about one order that does not depend on how its lines are divided. */
export interface OrderCtx {
  readonly net: CompiledNetwork;
  readonly order: CanonicalOrder;
  readonly seller: Seller;
  readonly report: string;
  readonly country: string;
  readonly nowMs: number;
  readonly nowDay: number;
  readonly deadlineDay: number;
  readonly lines: readonly CtxLine[];
  readonly distinctSkus: number;
  readonly distinctHs: number;
  readonly duty: CompiledDuty | undefined;
  /** EUR → report currency minor units. */
  readonly fEur: number;
  /** Direct services, then rail lanes, then warehouses, each by id. */
  readonly sources: readonly Source[];
}

/** The physical and customs figures of a set of lines, summed once per shipment. */
export interface Part {
  readonly lines: readonly number[];
  readonly units: number;
  readonly weightG: number;
  readonly cm3: number;
  readonly longestCm: number;
  readonly sumSidesCm: number;
  readonly battery: number;
  readonly hsCount: number;
  /** Σ qty × customs value, EUR minor units, exact. */
  readonly valueEur: number;
  /** Σ qty × customs value × bulk rate, EUR minor units, exact. */
  readonly bulkDutyEur: number;
}

/** A priced, feasible shipment. `comps` are settled report-currency minor units by COMPONENTS index. */
export interface Quote {
  readonly src: Source;
  readonly routeId: string;
  readonly part: Part;
  readonly total: number;
  readonly comps: readonly number[];
  readonly etaLo: number;
  readonly etaHi: number;
  readonly departure: CompiledDeparture | undefined;
}

/** Where the explaining path writes: the reasons, and the route id a rail candidate reports. */
export interface Explain {
  readonly reasons: Reason[];
  routeId: string;
}

/** The deadline as a UTC day number: deliverBy, else placedAt + the service level's days. */
export function deadlineDayOf(order: CanonicalOrder, seller: Seller): number {
  if (order.deliverBy !== undefined) return dayOf(Date.parse(order.deliverBy));
  const level = order.serviceLevel ?? 'standard';
  const days = seller.serviceLevels?.[level] ?? DEFAULT_SERVICE_DAYS[level];
  return dayOf(Date.parse(order.placedAt)) + days;
}

/** Build the order's context; every SKU of the order must be in `skus`. */
export function createContext(
  net: CompiledNetwork,
  seller: Seller,
  order: CanonicalOrder,
  skus: ReadonlyMap<string, CompiledSku>,
  now: Date,
): OrderCtx {
  const report = seller.reportCurrency;
  const country = order.shipTo.country;
  const nowMs = now.getTime();
  const nowDay = dayOf(nowMs);
  const deadlineDay = deadlineDayOf(order, seller);

  const slotOf = new Map<string, number>();
  const hsOf = new Map<string, number>();
  const lines: CtxLine[] = order.lines.map((l) => {
    const sku = skus.get(l.sku)!;
    let slot = slotOf.get(l.sku);
    if (slot === undefined) slotOf.set(l.sku, (slot = slotOf.size));
    let hsId = hsOf.get(sku.hs6);
    if (hsId === undefined) hsOf.set(sku.hs6, (hsId = hsOf.size));
    return { sku, qty: l.qty, slot, hsId };
  });

  const sources: Source[] = [];
  for (const svc of net.servicesByOrigin.get(seller.origin) ?? []) {
    sources.push({
      kind: 'direct',
      mode: 'direct-parcel',
      routeId: svc.routeId,
      from: seller.origin,
      svc,
      rate: svc.rates.get(country),
      f: net.factor(svc.currency, report),
    });
  }
  for (const lane of net.lanesByOrigin.get(seller.origin) ?? []) {
    sources.push(railSource(net, lane, lines, report, country, nowMs, deadlineDay, seller.origin));
  }
  for (const wh of net.warehouses) {
    sources.push(warehouseSource(net, wh, lines, seller.id, report, country, nowDay));
  }

  return {
    net,
    order,
    seller,
    report,
    country,
    nowMs,
    nowDay,
    deadlineDay,
    lines,
    distinctSkus: slotOf.size,
    distinctHs: hsOf.size,
    duty: net.duties.get(country),
    fEur: net.factor('EUR', report),
    sources,
  };
}

/** Per line: qty × the unit's replenishment costs via `laneOf(sku)`, in report minor units (exact). */
function replenishment(
  net: CompiledNetwork,
  wh: CompiledWarehouse,
  lines: readonly CtxLine[],
  report: string,
  laneOf: (sku: CompiledSku) => { currency: string; linehaul: number; bulkDutyEur: number } | undefined,
): Float64Array {
  const out = new Float64Array(lines.length * UNIT_SLOTS);
  const fW = net.factor(wh.currency, report);
  const fEur = net.factor('EUR', report);
  lines.forEach((line, i) => {
    const sku = line.sku;
    const unit = laneOf(sku);
    // Without a lane from the seller's origin to this warehouse the linehaul is unknown: count
    // the bulk duty on the customs value alone rather than invent a freight figure.
    const linehaul = unit === undefined ? 0 : unit.linehaul * net.factor(unit.currency, report);
    const bulkDuty = unit === undefined ? sku.bulkRate * sku.valueEur * fEur : unit.bulkDutyEur * fEur;
    const at = i * UNIT_SLOTS;
    out[at] = line.qty * linehaul;
    out[at + 1] = line.qty * bulkDuty;
    out[at + 2] = line.qty * wh.inboundPerUnit * fW;
    out[at + 3] = line.qty * wh.storagePerCbm * (sku.cm3 / 1e6) * fW;
  });
  return out;
}

function warehouseSource(
  net: CompiledNetwork,
  wh: CompiledWarehouse,
  lines: readonly CtxLine[],
  sellerId: string,
  report: string,
  country: string,
  nowDay: number,
): WarehouseSource {
  const lm = wh.lastMile.get(country);
  const base = nowDay + wh.processingDays;
  return {
    kind: 'warehouse',
    mode: 'overseas-warehouse',
    routeId: wh.routeId,
    from: wh.id,
    wh,
    lm,
    f: net.factor(wh.currency, report),
    etaLo: base + (lm?.transitMin ?? 0),
    etaHi: base + (lm?.transitMax ?? 0),
    avail: lines.map((l) => net.stock.get(stockKey(sellerId, wh.id, l.sku.sku)) ?? 0),
    lineCosts: replenishment(net, wh, lines, report, (sku) => sku.cheapestLane.get(wh.id)),
  };
}

function railSource(
  net: CompiledNetwork,
  lane: CompiledLane,
  lines: readonly CtxLine[],
  report: string,
  country: string,
  nowMs: number,
  deadlineDay: number,
  origin: string,
): RailSource {
  const wh = lane.warehouse;
  const lm = wh.lastMile.get(country);
  const options: DepartureOption[] = [];
  let firstOpen: DepartureOption | undefined;
  for (const dep of lane.departures) {
    if (nowMs > dep.cutoffMs) continue;
    // The spec's rail ETA: departure + transit + the warehouse's inbound days + last mile. The
    // warehouse's processingDays is deliberately not added: these goods arrive already bound to
    // this order and are cross-docked during inbound, not picked from stock later.
    const base = dep.departDay + dep.transitDays + wh.inboundDays;
    const option = { dep, etaLo: base + (lm?.transitMin ?? 0), etaHi: base + (lm?.transitMax ?? 0) };
    firstOpen ??= option;
    if (lm !== undefined && option.etaHi <= deadlineDay) options.push(option);
  }
  return {
    kind: 'rail',
    mode: 'rail-to-warehouse',
    routeId: `rail:${lane.id}`,
    from: origin,
    lane,
    wh,
    lm,
    f: net.factor(wh.currency, report),
    options,
    firstOpen,
    lineCosts: replenishment(net, wh, lines, report, (sku) => sku.landed.get(lane.id)),
  };
}

const hsScratch = new Set<number>();
/** Sum the figures of the given lines (indices into ctx.lines, ascending). */
export function makePart(ctx: OrderCtx, lineIdx: readonly number[]): Part {
  let units = 0;
  let weightG = 0;
  let cm3 = 0;
  let longestCm = 0;
  let sumSidesCm = 0;
  let battery = 0;
  let hsBits = 0;
  let valueEur = 0;
  let bulkDutyEur = 0;
  const wide = ctx.distinctHs > 30;
  if (wide) hsScratch.clear();
  for (const i of lineIdx) {
    const { sku, qty, hsId } = ctx.lines[i]!;
    units += qty;
    weightG += qty * sku.weightG;
    cm3 += qty * sku.cm3;
    if (sku.longestCm > longestCm) longestCm = sku.longestCm;
    if (sku.sumSidesCm > sumSidesCm) sumSidesCm = sku.sumSidesCm;
    battery |= sku.battery;
    if (wide) hsScratch.add(hsId);
    else hsBits |= 1 << hsId;
    const value = qty * sku.valueEur;
    valueEur += value;
    bulkDutyEur += value * sku.bulkRate;
  }
  const hsCount = wide ? hsScratch.size : popcount(hsBits);
  // 3 × 341.6 g + 975.2 g sums to 2000.0000000000002 in binary floats: snap the noise, so a
  // parcel of exactly a limit or a band's maxWeightG stays inside it (both are inclusive).
  weightG = Math.round(weightG * 1e6) / 1e6;
  return { lines: lineIdx, units, weightG, cm3, longestCm, sumSidesCm, battery, hsCount, valueEur, bulkDutyEur };
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

function fail(why: Explain, code: ReasonCode, message: string): void {
  why.reasons.push({ code, message });
}

const kg = (g: number): string => `${Number((g / 1000).toFixed(3))} kg`;
const cbm = (litres: number): string => `${(litres / 1000).toFixed(litres % 10 === 0 ? 2 : 3)} m³`;
const late = (ctx: OrderCtx, etaHi: number): string =>
  `arrives by ${formatDay(etaHi)} at the latest, after the deadline ${formatDay(ctx.deadlineDay)}`;

/**
 * Price `part` on `src`. Returns the quote, or undefined when infeasible; with `why`, every
 * failed rule is added to it (and rail names the departure it reports on).
 */
export function evaluate(ctx: OrderCtx, src: Source, part: Part, why: Explain | null): Quote | undefined {
  switch (src.kind) {
    case 'direct':
      return evaluateDirect(ctx, src, part, why);
    case 'warehouse':
      return evaluateWarehouse(ctx, src, part, why);
    case 'rail':
      return evaluateRail(ctx, src, part, why);
  }
}

function evaluateDirect(ctx: OrderCtx, src: DirectSource, part: Part, why: Explain | null): Quote | undefined {
  const { svc, rate } = src;
  let ok = true;
  if (rate === undefined) {
    if (why === null) return undefined;
    ok = false;
    fail(why, 'no-rate', `${svc.id} has no rate to ${ctx.country}`);
  }
  // The weight limit is on the actual weight; volumetric weight only prices.
  if (part.weightG > svc.maxWeightG) {
    if (why === null) return undefined;
    ok = false;
    fail(why, 'overweight', `${svc.id} takes at most ${kg(svc.maxWeightG)}; the parcel weighs ${kg(part.weightG)}`);
  }
  if (part.longestCm > svc.maxLongestCm) {
    if (why === null) return undefined;
    ok = false;
    const items = offenders(ctx, part, (s) => s.longestCm > svc.maxLongestCm, (s) => `${s.sku} is ${s.longestCm} cm long`);
    fail(why, 'oversize', `${items}; ${svc.id} takes at most ${svc.maxLongestCm} cm on the longest side`);
  }
  if (part.sumSidesCm > svc.maxSumSidesCm) {
    if (why === null) return undefined;
    ok = false;
    const items = offenders(ctx, part, (s) => s.sumSidesCm > svc.maxSumSidesCm, (s) => `${s.sku} measures ${s.sumSidesCm} cm in length + width + height`);
    fail(why, 'oversize', `${items}; ${svc.id} takes at most ${svc.maxSumSidesCm} cm`);
  }
  const containedRefused = (part.battery & BATTERY_CONTAINED) !== 0 && !svc.containedAllowed;
  const standaloneRefused = (part.battery & BATTERY_STANDALONE) !== 0 && !svc.standaloneAllowed;
  if (containedRefused || standaloneRefused) {
    if (why === null) return undefined;
    ok = false;
    if (containedRefused) {
      const items = offenders(ctx, part, (s) => s.battery === BATTERY_CONTAINED, (s) => s.sku);
      fail(why, 'battery', `${svc.id} refuses goods with batteries inside (${items})`);
    }
    if (standaloneRefused) {
      const items = offenders(ctx, part, (s) => s.battery === BATTERY_STANDALONE, (s) => s.sku);
      fail(why, 'battery', `${svc.id} refuses standalone batteries (${items})`);
    }
  }
  if (rate === undefined) return undefined;
  const etaLo = ctx.nowDay + svc.handlingDays + rate.transitMin;
  const etaHi = ctx.nowDay + svc.handlingDays + rate.transitMax;
  if (etaHi > ctx.deadlineDay) {
    if (why === null) return undefined;
    ok = false;
    fail(why, 'missed-deadline', late(ctx, etaHi));
  }
  if (!ok) return undefined;

  const volumetricG = svc.divisor === null ? 0 : (part.cm3 * 1000) / svc.divisor;
  const rawG = Math.max(part.weightG, volumetricG, svc.minChargeableG);
  const chargeableG = Math.ceil(rawG / svc.weightStepG - 1e-9) * svc.weightStepG;
  const freight = Math.max(rate.minCharge, rate.perParcel + (rate.perKg * chargeableG) / 1000);
  const surcharge =
    ((part.battery & BATTERY_CONTAINED) !== 0 ? svc.containedSurcharge : 0) +
    ((part.battery & BATTERY_STANDALONE) !== 0 ? svc.standaloneSurcharge : 0);

  const comps = emptyComps();
  const f = src.f;
  comps[FREIGHT] = settle(freight * f);
  comps[BATTERY] = settle(surcharge * f);
  const rules = ctx.duty;
  if (rules !== undefined) {
    // Each shipment is its own consignment: its own value against the threshold, its own fees.
    let duty = 0;
    let brokerage = 0;
    // A country with duty rules but no low-value regime taxes every consignment like a bulk import.
    if (rules.thresholdEur === null || part.valueEur > rules.thresholdEur + 1e-6) {
      duty = part.bulkDutyEur;
      brokerage = rules.brokerageEur;
    } else if (ctx.nowDay >= rules.lowValueFromDay) {
      duty = rules.flatPerHsEur * part.hsCount;
    }
    const fEur = ctx.fEur;
    comps[DUTY] = settle(duty * fEur);
    comps[VAT_ON_DUTY] = rules.vatOnDuty ? settle(duty * rules.vatRate * fEur) : 0;
    comps[BROKERAGE] = settle(brokerage * fEur);
    comps[HANDLING] = settle(rules.handlingEur * fEur);
    comps[NATIONAL] = settle(rules.nationalEur * fEur);
  }
  return { src, routeId: src.routeId, part, total: sum(comps), comps, etaLo, etaHi, departure: undefined };
}

/** Lines of `part` whose SKU matches, described once per SKU, comma-separated. */
function offenders(
  ctx: OrderCtx,
  part: Part,
  test: (s: CompiledSku) => boolean,
  describe: (s: CompiledSku) => string,
): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const i of part.lines) {
    const sku = ctx.lines[i]!.sku;
    if (test(sku) && !seen.has(sku.sku)) {
      seen.add(sku.sku);
      out.push(describe(sku));
    }
  }
  return out.join(', ');
}

/** The price of the last-mile band for `weightG`, or undefined above the heaviest band. */
function bandPrice(lm: CompiledLastMile, weightG: number): number | undefined {
  for (const b of lm.bands) if (weightG <= b.maxWeightG) return b.price;
  return undefined;
}

/** Checks the last mile from `wh` for the part; returns the band price or undefined. */
function lastMile(
  ctx: OrderCtx,
  wh: CompiledWarehouse,
  lm: CompiledLastMile | undefined,
  part: Part,
  why: Explain | null,
): number | undefined {
  if (lm === undefined) {
    if (why !== null) fail(why, 'no-last-mile', `${wh.id} has no last mile to ${ctx.country}`);
    return undefined;
  }
  const price = bandPrice(lm, part.weightG);
  if (price === undefined && why !== null) {
    const heaviest = lm.bands[lm.bands.length - 1]!.maxWeightG;
    fail(why, 'overweight', `${wh.id}'s last mile to ${ctx.country} takes at most ${kg(heaviest)}; the parcel weighs ${kg(part.weightG)}`);
  }
  return price;
}

const stockScratch: number[] = [];
/** True when `wh` holds enough of every SKU of the part (lines of one SKU count together). */
function checkStock(ctx: OrderCtx, src: WarehouseSource, part: Part, why: Explain | null): boolean {
  const lines = ctx.lines;
  if (ctx.distinctSkus === lines.length) {
    // Common case: no SKU repeats, each line stands alone.
    let ok = true;
    for (const i of part.lines) {
      const need = lines[i]!.qty;
      const have = src.avail[i]!;
      if (need > have) {
        if (why === null) return false;
        ok = false;
        fail(why, 'no-stock', `${src.wh.id} has ${have} of ${lines[i]!.sku.sku}, needs ${need}`);
      }
    }
    return ok;
  }
  const need = stockScratch;
  need.length = ctx.distinctSkus;
  need.fill(0);
  for (const i of part.lines) need[lines[i]!.slot]! += lines[i]!.qty;
  let ok = true;
  for (const i of part.lines) {
    const slot = lines[i]!.slot;
    const n = need[slot]!;
    if (n < 0) continue; // already reported
    if (n > src.avail[i]!) {
      if (why === null) return false;
      ok = false;
      fail(why, 'no-stock', `${src.wh.id} has ${src.avail[i]} of ${lines[i]!.sku.sku}, needs ${n}`);
    }
    need[slot] = -1;
  }
  return ok;
}

function evaluateWarehouse(ctx: OrderCtx, src: WarehouseSource, part: Part, why: Explain | null): Quote | undefined {
  let ok = checkStock(ctx, src, part, why);
  if (!ok && why === null) return undefined;
  const price = lastMile(ctx, src.wh, src.lm, part, why);
  if (price === undefined) {
    if (why === null) return undefined;
    ok = false;
  }
  // The ETA is known whenever a last mile exists, even for a parcel above its heaviest band:
  // an unroutable order must show every reason, so a lighter parcel is not thought enough.
  if (src.lm !== undefined && src.etaHi > ctx.deadlineDay) {
    if (why === null) return undefined;
    ok = false;
    fail(why, 'missed-deadline', late(ctx, src.etaHi));
  }
  if (!ok || price === undefined) return undefined;
  const comps = warehouseComps(src.wh, src.f, price, part, src.lineCosts);
  return { src, routeId: src.routeId, part, total: sum(comps), comps, etaLo: src.etaLo, etaHi: src.etaHi, departure: undefined };
}

function evaluateRail(ctx: OrderCtx, src: RailSource, part: Part, why: Explain | null): Quote | undefined {
  const price = lastMile(ctx, src.wh, src.lm, part, why);
  if (price === undefined && why === null) return undefined;
  const litres = litresOf(part.cm3);
  let pick: DepartureOption | undefined;
  for (const o of src.options) {
    if (o.dep.remainingLitres >= litres) {
      pick = o;
      break;
    }
  }
  if (pick === undefined || price === undefined) {
    if (why === null) return undefined;
    const first = src.firstOpen;
    if (first === undefined) {
      why.routeId = src.routeId;
      fail(why, 'no-departure', `${src.lane.id} has no departure left before its cut-off`);
      return undefined;
    }
    why.routeId = `rail:${first.dep.id}`;
    if (pick === undefined) {
      if (first.dep.remainingLitres < litres) {
        fail(why, 'no-capacity', `${first.dep.id} has ${cbm(first.dep.remainingLitres)} left, needs ${cbm(litres)}`);
      }
      // (When it has room and meets the deadline it is itself an option, so one of these holds.)
      if (src.lm !== undefined && first.etaHi > ctx.deadlineDay) fail(why, 'missed-deadline', late(ctx, first.etaHi));
    }
    return undefined;
  }
  const comps = warehouseComps(src.wh, src.f, price, part, src.lineCosts);
  return {
    src,
    routeId: `rail:${pick.dep.id}`,
    part,
    total: sum(comps),
    comps,
    etaLo: pick.etaLo,
    etaHi: pick.etaHi,
    departure: pick.dep,
  };
}

function warehouseComps(wh: CompiledWarehouse, f: number, lastMilePrice: number, part: Part, lineCosts: Float64Array): number[] {
  let linehaul = 0;
  let bulkDuty = 0;
  let inbound = 0;
  let storage = 0;
  for (const i of part.lines) {
    const at = i * UNIT_SLOTS;
    linehaul += lineCosts[at]!;
    bulkDuty += lineCosts[at + 1]!;
    inbound += lineCosts[at + 2]!;
    storage += lineCosts[at + 3]!;
  }
  const comps = emptyComps();
  comps[PICK_PACK] = settle((wh.pickPackFirst + wh.pickPackExtra * (part.units - 1)) * f);
  comps[PACKAGING] = settle(wh.packaging * f);
  comps[LAST_MILE] = settle(lastMilePrice * f);
  comps[LINEHAUL] = settle(linehaul);
  comps[BULK_DUTY] = settle(bulkDuty);
  comps[INBOUND] = settle(inbound);
  comps[STORAGE] = settle(storage);
  return comps;
}

function emptyComps(): number[] {
  return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
}

function sum(comps: readonly number[]): number {
  let s = 0;
  for (const c of comps) s += c;
  return s;
}
