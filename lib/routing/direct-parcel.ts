/**
 * ROUTING.md §3, "direct-parcel via service S": one parcel from the seller's origin.
 *
 * - actual = Σ qty × weightG; volumetric = Σ qty × l×w×h × 1000 / divisor (when S has one);
 *   chargeable = max(actual, volumetric, minChargeableG), rounded up to weightStepG;
 * - freight = max(minCharge, perParcel + perKg × chargeable kg) for the destination, plus the
 *   battery surcharges S declares; plus the import rules (import-rules.ts): imported on the
 *   earliest ETA date, in the rate's entryCountry (else the destination), freight + surcharge
 *   in the customs value;
 * - infeasible: no rate for the destination (`no-rate`), actual weight above maxWeightG
 *   (`overweight`; volumetric weight only prices), an item's longest side or sum of sides
 *   above the limits (`oversize`), a battery kind S refuses (`battery`), the ETA misses the
 *   deadline (`missed-deadline`, eta.ts).
 */
import type { CompiledCountry, CompiledNetwork, CompiledRate, CompiledService, CompiledSku } from './compile.ts';
import { BATTERY_CONTAINED, BATTERY_STANDALONE } from './compile.ts';
import { meetsDeadline, parcelEtaDay } from './eta.ts';
import { addImportCharges } from './import-rules.ts';
import { settle } from './money.ts';
import { C, emptyComps, fail, failDeadline, sumComps, type Explain, type OrderCtx, type Part, type Quote } from './shipment.ts';

export interface DirectSource {
  readonly kind: 'direct';
  readonly mode: 'direct-parcel';
  readonly routeId: string;
  readonly from: string;
  readonly svc: CompiledService;
  readonly rate: CompiledRate | undefined;
  /** Service currency → report currency minor units. */
  readonly f: number;
  /** The country of import: the rate's entryCountry, else the destination. */
  readonly importCode: string;
  /** Its import rules (for its fees), if it has any. */
  readonly importCountry: CompiledCountry | undefined;
}

export function directSource(net: CompiledNetwork, svc: CompiledService, origin: string, country: string, report: string): DirectSource {
  const rate = svc.rates.get(country);
  return {
    kind: 'direct',
    mode: 'direct-parcel',
    routeId: svc.routeId,
    from: origin,
    svc,
    rate,
    f: net.factor(svc.currency, report),
    importCode: rate?.importCode ?? country,
    importCountry: rate?.importCountry,
  };
}

/** Price `part` as one parcel on `src`, or undefined when infeasible (with `why`, every failed rule is added). */
export function evaluateDirect(ctx: OrderCtx, src: DirectSource, part: Part, why: Explain | null): Quote | undefined {
  const { svc, rate } = src;
  let ok = true;
  if (rate === undefined) {
    if (why === null) return undefined;
    ok = false;
    failNoRate(why, ctx, svc);
  }
  if (part.weightG > svc.maxWeightG) {
    if (why === null) return undefined;
    ok = false;
    failOverweight(why, part, svc);
  }
  if (part.longestCm > svc.maxLongestCm) {
    if (why === null) return undefined;
    ok = false;
    failOversize(why, ctx, part, svc, 'longest-side');
  }
  if (part.sumSidesCm > svc.maxSumSidesCm) {
    if (why === null) return undefined;
    ok = false;
    failOversize(why, ctx, part, svc, 'sum-of-sides');
  }
  const containedRefused = (part.battery & BATTERY_CONTAINED) !== 0 && !svc.containedAllowed;
  const standaloneRefused = (part.battery & BATTERY_STANDALONE) !== 0 && !svc.standaloneAllowed;
  if (containedRefused || standaloneRefused) {
    if (why === null) return undefined;
    ok = false;
    if (containedRefused) failBattery(why, ctx, part, svc, BATTERY_CONTAINED);
    if (standaloneRefused) failBattery(why, ctx, part, svc, BATTERY_STANDALONE);
  }
  if (rate === undefined) return undefined;
  const etaLo = parcelEtaDay(ctx.nowDay, svc.handlingDays, rate.transitMin);
  const etaHi = parcelEtaDay(ctx.nowDay, svc.handlingDays, rate.transitMax);
  if (!meetsDeadline(etaHi, ctx.deadlineDay)) {
    if (why === null) return undefined;
    ok = false;
    failDeadline(why, ctx, etaHi);
  }
  if (!ok) return undefined;

  const volumetricG = svc.divisor === null ? 0 : (part.cm3 * 1000) / svc.divisor;
  const rawG = Math.max(part.weightG, volumetricG, svc.minChargeableG);
  const chargeableG = Math.ceil(rawG / svc.weightStepG - 1e-9) * svc.weightStepG;
  const freight = Math.max(rate.minCharge, rate.perParcel + (rate.perKg * chargeableG) / 1000);
  const surcharge =
    ((part.battery & BATTERY_CONTAINED) !== 0 ? svc.containedSurcharge : 0) +
    ((part.battery & BATTERY_STANDALONE) !== 0 ? svc.standaloneSurcharge : 0);

  const comps = emptyComps(ctx.compCount);
  comps[C.FREIGHT] = settle(freight * src.f);
  comps[C.BATTERY] = settle(surcharge * src.f);
  // Imported on the parcel's earliest ETA date, with its freight and surcharge in the CIF value.
  addImportCharges(ctx, part, comps, etaLo, src.importCountry, svc.postal, (freight + surcharge) * svc.fEur);
  return { src, routeId: src.routeId, part, total: sumComps(comps), comps, etaLo, etaHi, departure: undefined };
}

// The explaining path's reports live outside evaluateDirect: building their params inline made
// V8 deoptimise evaluateDirect's fast path again and again (a field's number representation
// changing between services), which cost a third of the split search's speed.

function failNoRate(why: Explain, ctx: OrderCtx, svc: CompiledService): void {
  fail(why, 'no-rate', { serviceId: svc.id, country: ctx.country });
}

function failOverweight(why: Explain, part: Part, svc: CompiledService): void {
  fail(why, 'overweight', { serviceId: svc.id, weightG: part.weightG, maxWeightG: svc.maxWeightG });
}

function failOversize(why: Explain, ctx: OrderCtx, part: Part, svc: CompiledService, limit: 'longest-side' | 'sum-of-sides'): void {
  const longest = limit === 'longest-side';
  const maxCm = longest ? svc.maxLongestCm : svc.maxSumSidesCm;
  const items = offenders(ctx, part, (s) => (longest ? s.longestCm : s.sumSidesCm) > maxCm).map((s) => ({ sku: s.sku, cm: longest ? s.longestCm : s.sumSidesCm }));
  fail(why, 'oversize', { serviceId: svc.id, limit, maxCm, items });
}

function failBattery(why: Explain, ctx: OrderCtx, part: Part, svc: CompiledService, kind: number): void {
  const skus = offenders(ctx, part, (s) => s.battery === kind).map((s) => s.sku);
  fail(why, 'battery', { serviceId: svc.id, battery: kind === BATTERY_CONTAINED ? 'contained' : 'standalone', skus });
}

/** The SKUs of `part` that fail `test`, once each, in line order. */
function offenders(ctx: OrderCtx, part: Part, test: (s: CompiledSku) => boolean): CompiledSku[] {
  const out: CompiledSku[] = [];
  for (const i of part.lines) {
    const sku = ctx.lines[i]!.sku;
    if (test(sku) && !out.includes(sku)) out.push(sku);
  }
  return out;
}
