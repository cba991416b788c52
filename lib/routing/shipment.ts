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
import type { CompiledDeparture, CompiledDuty, CompiledNetwork, CompiledSku } from './compile.ts';
import type { DirectSource } from './direct-parcel.ts';
import type { RailSource } from './rail.ts';
import type { WarehouseSource } from './warehouse.ts';
import { formatDay } from './eta.ts';
import { reasonMessage } from './reasons.ts';

/**
 * Cost component names, in the order a decision lists them (zero amounts are left out):
 * - direct parcel: `freight` (incl. the minimum charge), `battery-surcharge`, and the import
 *   rules: `duty`, `vat-on-duty`, `brokerage`, `handling-fee`, `national-fee`;
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
/** Index of each component in a quote's `comps`. */
export const C = {
  FREIGHT: 0,
  BATTERY: 1,
  DUTY: 2,
  VAT_ON_DUTY: 3,
  BROKERAGE: 4,
  HANDLING: 5,
  NATIONAL: 6,
  PICK_PACK: 7,
  PACKAGING: 8,
  LAST_MILE: 9,
  LINEHAUL: 10,
  BULK_DUTY: 11,
  INBOUND: 12,
  STORAGE: 13,
} as const;

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
  /** Σ qty × box volume, cm³ (exact: prices volumetric weight, linehaul and storage). */
  readonly cm3: number;
  /** Σ qty × box volume in whole cm³ (integer: what rail capacity counts, ADR 0010). */
  readonly wholeCm3: number;
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
  let bulkDutyEur = 0;
  const wide = ctx.distinctHs > 30;
  if (wide) hsScratch.clear();
  for (const i of lineIdx) {
    const { sku, qty, hsId } = ctx.lines[i]!;
    units += qty;
    weightG += qty * sku.weightG;
    cm3 += qty * sku.cm3;
    wholeCm3 += qty * sku.wholeCm3;
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
  return { lines: lineIdx, units, weightG, cm3, wholeCm3, longestCm, sumSidesCm, battery, hsCount, valueEur, bulkDutyEur };
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

export function emptyComps(): number[] {
  return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
}

export function sumComps(comps: readonly number[]): number {
  let s = 0;
  for (const c of comps) s += c;
  return s;
}
