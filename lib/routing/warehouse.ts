/**
 * ROUTING.md §3, "overseas-warehouse W" (all lines in stock at W), including the replenishment
 * landed cost that rail-to-warehouse (rail.ts) shares.
 *
 * - pick & pack first item + extra items × (units − 1) + packaging + the last-mile price of
 *   the band for the parcel's actual weight;
 * - plus, per unit, the replenishment landed cost of bringing it to W by the cheapest rail lane
 *   from the seller's origin that feeds W (`unitLanded`, computed once per SKU and lane at
 *   compile time): linehaul = perCbm × max(unit m³, unit kg / kgPerCbm); bulk duty = bulk
 *   rate × (customs value + customsFreightShare × linehaul); inbound per unit; storage =
 *   perCbmDay × unit m³ × expectedDwellDays. Without a lane from the origin to W: no linehaul,
 *   bulk duty on the customs value alone (ADR 0007); bulk rates are the tariff of W's union;
 * - plus the import rules (import-rules.ts) when the destination is outside W's customs union
 *   (an EU warehouse shipping to GB);
 * - infeasible: stock short for any line (`no-stock`), no last mile to the destination
 *   (`no-last-mile`), the parcel above the heaviest band (`overweight`), the ETA misses the
 *   deadline (`missed-deadline`, eta.ts).
 */
import type { CompiledLastMile, CompiledLot, CompiledNetwork, CompiledSku, CompiledWarehouse, UnitLanded } from './compile.ts';
import { meetsDeadline, warehouseEtaDay } from './eta.ts';
import { addImportCharges } from './import-rules.ts';
import { settle } from './money.ts';
import { C, emptyComps, fail, failDeadline, sumComps, type CtxLine, type Explain, type OrderCtx, type Part, type Quote } from './shipment.ts';

/** The key of a stock record in the compiled network. */
export function stockKey(sellerId: string, warehouseId: string, sku: string): string {
  return `${sellerId}\u0000${warehouseId}\u0000${sku}`;
}

/** Per-line replenishment slots: linehaul, bulk duty, inbound, storage (report currency, exact). */
const UNIT_SLOTS = 4;

export interface WarehouseSource {
  readonly kind: 'warehouse';
  readonly mode: 'overseas-warehouse';
  readonly routeId: string;
  readonly from: string;
  readonly wh: CompiledWarehouse;
  readonly lm: CompiledLastMile | undefined;
  readonly f: number;
  /** The destination lies outside the warehouse's customs union: the parcel pays the import rules. */
  readonly leaves: boolean;
  readonly etaLo: number;
  readonly etaHi: number;
  /** Units available per order line's SKU. */
  readonly avail: readonly number[];
  /** Per order line's SKU, the inbound lots with units left, earliest first (ADR 0032). */
  readonly lots: readonly (readonly CompiledLot[])[];
  readonly nowDay: number;
  /** Per line, UNIT_SLOTS replenishment costs for the line's whole quantity. */
  readonly lineCosts: Float64Array;
}

/**
 * The replenishment of one unit of a SKU on one lane (compile time): linehaul in the lane's
 * currency, bulk duty in EUR, both exact minor units.
 */
export function unitLanded(
  lane: { readonly id: string; readonly currency: string; readonly perCbm: number; readonly kgPerCbm: number; readonly customsFreightShare: number },
  unit: { readonly cm3: number; readonly weightG: number; readonly valueEur: number; readonly bulkRate: number },
  laneToEur: number,
): UnitLanded & { readonly eur: number } {
  // Shared containers bill the larger of volume and weight at kgPerCbm (1 m³ = 500 kg).
  const chargeableCbm = Math.max(unit.cm3 / 1e6, unit.weightG / 1000 / lane.kgPerCbm);
  const linehaul = lane.perCbm * chargeableCbm;
  const linehaulEur = linehaul * laneToEur;
  const bulkDutyEur = unit.bulkRate * (unit.valueEur + lane.customsFreightShare * linehaulEur);
  return { laneId: lane.id, currency: lane.currency, linehaul, bulkDutyEur, eur: linehaulEur + bulkDutyEur };
}

/** Per line: qty × the unit's replenishment costs via `laneOf(sku)`, in report minor units (exact). */
export function replenishment(
  net: CompiledNetwork,
  wh: CompiledWarehouse,
  lines: readonly CtxLine[],
  report: string,
  laneOf: (sku: CompiledSku) => UnitLanded | undefined,
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
    const rate = wh.union === undefined ? 0 : sku.tariffRates[wh.union.index]!;
    const bulkDuty = unit === undefined ? rate * sku.valueEur * fEur : unit.bulkDutyEur * fEur;
    const at = i * UNIT_SLOTS;
    out[at] = line.qty * linehaul;
    out[at + 1] = line.qty * bulkDuty;
    out[at + 2] = line.qty * wh.inboundPerUnit * fW;
    out[at + 3] = line.qty * wh.storagePerCbm * (sku.cm3 / 1e6) * fW;
  });
  return out;
}

export function warehouseSource(
  net: CompiledNetwork,
  wh: CompiledWarehouse,
  lines: readonly CtxLine[],
  sellerId: string,
  report: string,
  country: string,
  nowDay: number,
): WarehouseSource {
  const lm = wh.lastMile.get(country);
  return {
    kind: 'warehouse',
    mode: 'overseas-warehouse',
    routeId: wh.routeId,
    from: wh.id,
    wh,
    lm,
    f: net.factor(wh.currency, report),
    leaves: leavesUnion(net, wh, country),
    etaLo: warehouseEtaDay(nowDay, wh.processingDays, lm?.transitMin ?? 0),
    etaHi: warehouseEtaDay(nowDay, wh.processingDays, lm?.transitMax ?? 0),
    avail: lines.map((l) => net.stock.get(stockKey(sellerId, wh.id, l.sku.sku)) ?? 0),
    lots: lines.map((l) => net.inbound.get(stockKey(sellerId, wh.id, l.sku.sku)) ?? NO_LOTS),
    nowDay,
    lineCosts: replenishment(net, wh, lines, report, (sku) => sku.cheapestLane.get(wh.id)),
  };
}

/** True when a parcel from `wh` to `country` enters the country's customs union from outside (ROUTING.md §3). */
export function leavesUnion(net: CompiledNetwork, wh: CompiledWarehouse, country: string): boolean {
  const dest = net.countries.get(country);
  return dest !== undefined && dest.union !== wh.union;
}

/** The price of the last-mile band for `weightG`, or undefined above the heaviest band. */
function bandPrice(lm: CompiledLastMile, weightG: number): number | undefined {
  for (const b of lm.bands) if (weightG <= b.maxWeightG) return b.price;
  return undefined;
}

/** Checks the last mile from `wh` for the part (shared with rail.ts); returns the band price or undefined. */
export function lastMile(
  ctx: OrderCtx,
  wh: CompiledWarehouse,
  lm: CompiledLastMile | undefined,
  part: Part,
  why: Explain | null,
): number | undefined {
  if (lm === undefined) {
    if (why !== null) fail(why, 'no-last-mile', { warehouseId: wh.id, country: ctx.country });
    return undefined;
  }
  const price = bandPrice(lm, part.weightG);
  if (price === undefined && why !== null) {
    const heaviest = lm.bands[lm.bands.length - 1]!.maxWeightG;
    fail(why, 'overweight', { warehouseId: wh.id, country: ctx.country, weightG: part.weightG, maxWeightG: heaviest });
  }
  return price;
}

function failStock(why: Explain, wh: CompiledWarehouse, sku: string, available: number, needed: number): void {
  fail(why, 'no-stock', { warehouseId: wh.id, sku, available, needed });
}

const NO_LOTS: readonly CompiledLot[] = [];

/**
 * The day the lots, earliest arrival first, cover `shortfall` units: the arrival of the last lot
 * needed, or -1 when all of them together fall short (ADR 0032).
 */
export function lotsCoverDay(lots: readonly CompiledLot[], shortfall: number): number {
  let left = shortfall;
  for (const lot of lots) {
    left -= lot.remaining;
    if (left <= 0) return lot.arrivesDay;
  }
  return -1;
}

/** How `shortfall` units are drawn from the lots, earliest arrival first (what the commit takes). */
export function drawFromLots(lots: readonly CompiledLot[], shortfall: number): { lot: CompiledLot; qty: number }[] {
  const out: { lot: CompiledLot; qty: number }[] = [];
  let left = shortfall;
  for (const lot of lots) {
    if (left <= 0) break;
    const qty = Math.min(left, lot.remaining);
    out.push({ lot, qty });
    left -= qty;
  }
  return out;
}

/**
 * What a warehouse shipment of `part` takes from inbound lots: per SKU (lines of one SKU
 * together), the shortfall beyond the stock now drawn with drawFromLots. Empty when the shelf
 * covers the part. The decision names these draws and the commit reserves exactly them.
 */
export function lotDrawsOf(ctx: OrderCtx, src: WarehouseSource, part: Part): { lotId: string; sku: string; qty: number; arrivesOn: string }[] {
  const need = new Map<number, { line: number; qty: number }>();
  for (const i of part.lines) {
    const slot = ctx.lines[i]!.slot;
    const entry = need.get(slot);
    if (entry === undefined) need.set(slot, { line: i, qty: ctx.lines[i]!.qty });
    else entry.qty += ctx.lines[i]!.qty;
  }
  const out: { lotId: string; sku: string; qty: number; arrivesOn: string }[] = [];
  for (const { line, qty } of need.values()) {
    const shortfall = qty - Math.max(0, src.avail[line]!);
    if (shortfall <= 0) continue;
    for (const d of drawFromLots(src.lots[line]!, shortfall)) out.push({ lotId: d.lot.lotId, sku: ctx.lines[line]!.sku.sku, qty: d.qty, arrivesOn: d.lot.arrivesOn });
  }
  return out;
}

const stockScratch: number[] = [];
/**
 * The day `wh` holds enough of every SKU of the part (lines of one SKU count together): today
 * when the stock now covers it, else the arrival of the last inbound lot the shortfall needs;
 * -1 when even the lots fall short.
 */
function checkStock(ctx: OrderCtx, src: WarehouseSource, part: Part, why: Explain | null): number {
  const lines = ctx.lines;
  let day = src.nowDay;
  if (ctx.distinctSkus === lines.length) {
    // Common case: no SKU repeats, each line stands alone.
    let ok = true;
    for (const i of part.lines) {
      const need = lines[i]!.qty;
      const have = src.avail[i]!;
      if (need > have) {
        const covered = lotsCoverDay(src.lots[i]!, need - have);
        if (covered >= 0) {
          if (covered > day) day = covered;
          continue;
        }
        if (why === null) return -1;
        ok = false;
        failStock(why, src.wh, lines[i]!.sku.sku, have, need);
      }
    }
    return ok ? day : -1;
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
      const covered = lotsCoverDay(src.lots[i]!, n - src.avail[i]!);
      if (covered >= 0) {
        if (covered > day) day = covered;
      } else {
        if (why === null) return -1;
        ok = false;
        failStock(why, src.wh, lines[i]!.sku.sku, src.avail[i]!, n);
      }
    }
    need[slot] = -1;
  }
  return ok ? day : -1;
}

/** Price `part` from stock at `src`'s warehouse, or undefined when infeasible. */
export function evaluateWarehouse(ctx: OrderCtx, src: WarehouseSource, part: Part, why: Explain | null): Quote | undefined {
  const supplyDay = checkStock(ctx, src, part, why);
  let ok = supplyDay >= 0;
  if (!ok && why === null) return undefined;
  // Units still on a train: the warehouse ships them from their arrival day (ADR 0032).
  const wait = supplyDay > src.nowDay ? supplyDay - src.nowDay : 0;
  const etaLo = src.etaLo + wait;
  const etaHi = src.etaHi + wait;
  const price = lastMile(ctx, src.wh, src.lm, part, why);
  if (price === undefined) {
    if (why === null) return undefined;
    ok = false;
  }
  // The ETA is known whenever a last mile exists, even for a parcel above its heaviest band:
  // an unroutable order must show every reason, so a lighter parcel is not thought enough.
  if (src.lm !== undefined && !meetsDeadline(etaHi, ctx.deadlineDay)) {
    if (why === null) return undefined;
    ok = false;
    failDeadline(why, ctx, etaHi);
  }
  if (!ok || price === undefined) return undefined;
  const comps = warehouseComps(ctx, src, price, part, etaLo);
  return { src, routeId: src.routeId, part, total: sumComps(comps), comps, etaLo, etaHi, departure: undefined };
}

/**
 * The components of a parcel out of a warehouse (shared with rail.ts): handling, last mile, the
 * units' replenishment, and the import rules when it leaves the warehouse's union (imported on
 * `importDay`, the shipment's earliest ETA, in the destination, the last mile as its freight).
 */
export function warehouseComps(
  ctx: OrderCtx,
  src: { readonly wh: CompiledWarehouse; readonly f: number; readonly leaves: boolean; readonly lineCosts: Float64Array },
  lastMilePrice: number,
  part: Part,
  importDay: number,
): number[] {
  const { wh, f, lineCosts } = src;
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
  const comps = emptyComps(ctx.compCount);
  comps[C.PICK_PACK] = settle((wh.pickPackFirst + wh.pickPackExtra * (part.units - 1)) * f);
  comps[C.PACKAGING] = settle(wh.packaging * f);
  comps[C.LAST_MILE] = settle(lastMilePrice * f);
  comps[C.LINEHAUL] = settle(linehaul);
  comps[C.BULK_DUTY] = settle(bulkDuty);
  comps[C.INBOUND] = settle(inbound);
  comps[C.STORAGE] = settle(storage);
  if (src.leaves) addImportCharges(ctx, part, comps, importDay, ctx.dest, false, lastMilePrice * wh.fEur);
  return comps;
}
