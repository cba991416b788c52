/**
 * What every rule of ROUTING.md §3 works on: the order's context (what does not depend on how
 * its lines are divided), a shipment's figures (`Part`: the lines it carries, summed once), a
 * priced shipment (`Quote`) with its cost components (§5 names), and the reasons an infeasible
 * one collects (`Explain`). The rules themselves live in one file each: direct-parcel.ts,
 * import-rules.ts, warehouse.ts, rail.ts, eta.ts, choosing.ts, split.ts.
 *
 * Every rule has a fast path (`why` = null: stop at the first rule that fails, format nothing)
 * and an explaining path that collects every failed rule with its message and params, taken
 * only for the candidates that end up in the decision.
 */
import type { CanonicalOrder, Seller } from '#network/schemas.ts';
import type { ReasonCode, ReasonParamsOf, WrittenReason } from './decision.ts';
import type { CompiledCountry, CompiledDeparture, CompiledNetwork, CompiledSku } from './compile.ts';
import type { DirectSource } from './direct-parcel.ts';
import type { RailSource } from './rail.ts';
import type { WarehouseSource } from './warehouse.ts';
import { formatDay } from './eta.ts';
import { reasonMessage } from './reasons.ts';

/**
 * The base cost component names (ROUTING.md §5), by slot; the fees of duties.json follow, one
 * slot per fee name (compile.ts `componentNames`), and a decision lists them in
 * `componentOrder` (fees right after brokerage), zero amounts left out:
 * - direct parcel: `freight` (incl. the minimum charge), `battery-surcharge`, and the import
 *   rules (import-rules.ts): `duty`, `vat-on-duty`, `brokerage`, then one per fee by its name;
 * - warehouse and rail: `pick-pack`, `packaging`, `last-mile`, and the replenishment of the
 *   units: `linehaul`, `bulk-duty`, `inbound`, `storage` (plus the import rules when the parcel
 *   leaves the warehouse's customs union).
 */
export const BASE_COMPONENTS = [
  'freight',
  'battery-surcharge',
  'duty',
  'vat-on-duty',
  'brokerage',
  'pick-pack',
  'packaging',
  'last-mile',
  'linehaul',
  'bulk-duty',
  'inbound',
  'storage',
] as const;
/** Index of each base component in a quote's `comps`; fee slots come after STORAGE. */
export const C = {
  FREIGHT: 0,
  BATTERY: 1,
  DUTY: 2,
  VAT_ON_DUTY: 3,
  BROKERAGE: 4,
  PICK_PACK: 5,
  PACKAGING: 6,
  LAST_MILE: 7,
  LINEHAUL: 8,
  BULK_DUTY: 9,
  INBOUND: 10,
  STORAGE: 11,
} as const;

export type Source = DirectSource | WarehouseSource | RailSource;

export interface CtxLine {
  readonly sku: CompiledSku;
  readonly qty: number;
  /** Index of the line's SKU among the order's distinct SKUs (lines may repeat a SKU). */
  readonly slot: number;
  /** Index of the line's 6-digit HS code among the order's distinct ones. */
  readonly hsId: number;
  /** qty × the unit's intrinsic value (unitPrice, else retailPrice, else customsValue), EUR minor, exact. */
  readonly valueEur: number;
  /** valueEur × the tariff rate of the line's HS code in the destination's union (0 without one). */
  readonly tariffEur: number;
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
  /** The destination's import rules (its union, VAT, brokerage), undefined when it has none. */
  readonly dest: CompiledCountry | undefined;
  /** The whole order's consignment value, EUR minor, exact: what a low-value threshold is tested on. */
  readonly orderValueEur: number;
  /** The seller is IOSS-registered (default true): in the scope of an `ioss-or-postal` row. */
  readonly ioss: boolean;
  /** Slots in a quote's `comps`: the base components and one per fee name. */
  readonly compCount: number;
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
  /** Σ qty × box volume, cm³ (exact: prices volumetric weight, linehaul and storage). */
  readonly cm3: number;
  /** Σ qty × box volume in whole cm³ (integer: what rail capacity counts, ADR 0010). */
  readonly wholeCm3: number;
  readonly longestCm: number;
  readonly sumSidesCm: number;
  readonly battery: number;
  /** Tariff lines: distinct 6-digit HS codes. */
  readonly hsCount: number;
  /** The shipment's consignment value: Σ line values (CtxLine.valueEur), EUR minor units, exact. */
  readonly valueEur: number;
  /** Σ line value × its tariff rate, EUR minor, exact: the tariff duty before freight (import-rules.ts). */
  readonly tariffEur: number;
}

/** A priced, feasible shipment. `comps` are settled report-currency minor units by slot (C, then the fees). */
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

/** Where the explaining path writes: the reasons, and the route id (and departure) a rail candidate reports. */
export interface Explain {
  readonly reasons: Failure[];
  routeId: string;
  departureId?: string;
}

const hsScratch = new Set<number>();
/** Sum the figures of the given lines (indices into ctx.lines, ascending). */
export function makePart(ctx: OrderCtx, lineIdx: readonly number[]): Part {
  let units = 0;
  let weightG = 0;
  let cm3 = 0;
  let wholeCm3 = 0;
  let longestCm = 0;
  let sumSidesCm = 0;
  let battery = 0;
  let hsBits = 0;
  let valueEur = 0;
  let tariffEur = 0;
  const wide = ctx.distinctHs > 30;
  if (wide) hsScratch.clear();
  for (const i of lineIdx) {
    const line = ctx.lines[i]!;
    const { sku, qty, hsId } = line;
    units += qty;
    weightG += qty * sku.weightG;
    cm3 += qty * sku.cm3;
    wholeCm3 += qty * sku.wholeCm3;
    if (sku.longestCm > longestCm) longestCm = sku.longestCm;
    if (sku.sumSidesCm > sumSidesCm) sumSidesCm = sku.sumSidesCm;
    battery |= sku.battery;
    if (wide) hsScratch.add(hsId);
    else hsBits |= 1 << hsId;
    valueEur += line.valueEur;
    tariffEur += line.tariffEur;
  }
  const hsCount = wide ? hsScratch.size : popcount(hsBits);
  // 3 × 341.6 g + 975.2 g sums to 2000.0000000000002 in binary floats: snap the noise, so a
  // parcel of exactly a limit or a band's maxWeightG stays inside it (both are inclusive).
  weightG = Math.round(weightG * 1e6) / 1e6;
  return { lines: lineIdx, units, weightG, cm3, wholeCm3, longestCm, sumSidesCm, battery, hsCount, valueEur, tariffEur };
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** A failed rule as the rule files record it: its code and its facts as data. */
export type Failure = { [C in ReasonCode]: { readonly code: C; readonly params: ReasonParamsOf<C> } }[ReasonCode];

/**
 * Record a failed rule. The English sentence is written later, from the params, when the
 * candidate is put into the decision (`withMessage`): formatting inside the rule functions made
 * V8 deoptimise their fast paths over and over.
 */
export function fail<K extends ReasonCode>(why: Explain, code: K, params: ReasonParamsOf<K>): void {
  why.reasons.push({ code, params } as Failure);
}

/** A reason as the decision carries it: code, the sentence written from the params (reasons.ts), params. */
export function withMessage(f: Failure): WrittenReason {
  return { code: f.code, message: reasonMessage(f.code, f.params as never), params: f.params } as WrittenReason;
}

/** `missed-deadline`, shared by every mode (the rule is eta.ts's). */
export function failDeadline(why: Explain, ctx: OrderCtx, latestDay: number): void {
  fail(why, 'missed-deadline', { latestEta: formatDay(latestDay), deadline: formatDay(ctx.deadlineDay) });
}

const zeroed: number[][] = [];
/** A zeroed `comps` of `count` slots (OrderCtx.compCount): a copy of a cached template (a packed array). */
export function emptyComps(count: number): number[] {
  let template = zeroed[count];
  if (template === undefined) {
    template = [];
    for (let i = 0; i < count; i++) template.push(0);
    zeroed[count] = template;
  }
  return template.slice();
}

export function sumComps(comps: readonly number[]): number {
  let s = 0;
  for (const c of comps) s += c;
  return s;
}
