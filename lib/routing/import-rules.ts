/**
 * ROUTING.md §3, "Import rules" (v2, December 2026): what a shipment pays when it enters the
 * destination's customs union from outside — a direct parcel always, a warehouse (or rail)
 * shipment when the destination lies outside the warehouse's union (an EU warehouse shipping to
 * GB). Readings where the spec leaves room: docs/decisions/0028-import-rules-v2-readings.md.
 *
 * - tariff lines = the distinct 6-digit HS codes of the shipment (`Part.hsCount`);
 * - tariff duty = Σ over lines of the union's rate (longest HS prefix, else the default) × the
 *   line's share by value of (consignment value + the shipment's freight in EUR): the CIF basis.
 *   Since the shares are by value, that is (Σ value × rate) × (1 + freight / value);
 * - the union's low-value row in force on the import date (`[from, until)`, UTC days):
 *   - the threshold test is the WHOLE ORDER's consignment value (`OrderCtx.orderValueEur`,
 *     computed once per order), so a split cannot make an order low-value;
 *   - above the threshold: tariff duty + the destination's brokerage;
 *   - within it and in scope (`all`, or `ioss-or-postal` with an IOSS seller or a postal
 *     service): perTariffLine × tariff lines (0 is the old relief), or `"tariff"` (tariff duty,
 *     no brokerage);
 *   - within it and out of scope: tariff duty, no brokerage;
 *   - no row in force: tariff duty + brokerage;
 * - VAT on the duty at the destination's rate when it says so;
 * - fees of the union and of the country of import in force on the import date, per
 *   consignment or per tariff line; `lowValueOnly` ones only when a row is in force and the
 *   order is within its threshold;
 * - a destination without rules (not in duties.json) pays nothing.
 * Everything is compiled once per snapshot (compile.ts: rows and fees as day numbers,
 * thresholds in EUR minor units, tariff rates per SKU and union); per shipment this is a few
 * comparisons.
 */
import type { CustomsUnion } from '#network/schemas.ts';
import type { CompiledCountry, CompiledFee, CompiledRow } from './compile.ts';
import type { Customs } from './decision.ts';
import { formatDay } from './eta.ts';
import { fromMinor, settle } from './money.ts';
import { C, type OrderCtx, type Part, type Quote } from './shipment.ts';

/** The regimes of §5 `customs.regime`, by code. */
export const REGIMES = ['low-value', 'above-threshold', 'out-of-scope', 'no-regime'] as const;
export const LOW_VALUE = 0;
export const ABOVE_THRESHOLD = 1;
export const OUT_OF_SCOPE = 2;
export const NO_REGIME = 3;

// Binary float noise on exact minor units (Σ qty × price) must not push a value over a threshold.
const EPS = 1e-6;

/** The low-value row in force on `day`, if any. */
export function rowAt(rows: readonly CompiledRow[], day: number): CompiledRow | undefined {
  for (const r of rows) if (r.fromDay <= day && day < r.untilDay) return r;
  return undefined;
}

/** The regime of a shipment imported on `day` for an order of `ctx` (postal: the service is postal). */
export function regimeOf(ctx: OrderCtx, dest: CompiledCountry, day: number, postal: boolean): number {
  const row = rowAt(dest.union.rows, day);
  if (row === undefined) return NO_REGIME;
  if (ctx.orderValueEur > row.thresholdEur + EPS) return ABOVE_THRESHOLD;
  return row.all || ctx.ioss || postal ? LOW_VALUE : OUT_OF_SCOPE;
}

/**
 * Add the import charges of `part` to `comps` (settled report-currency minor units): a shipment
 * entering `ctx.dest`'s union on `importDay`, cleared in `importCountry` (its fees; undefined
 * when that country has no rules of its own), `postal` when the service is, with `freightEur`
 * its freight in EUR minor units (exact) for the CIF basis. Nothing when the destination has no rules.
 */
export function addImportCharges(
  ctx: OrderCtx,
  part: Part,
  comps: number[],
  importDay: number,
  importCountry: CompiledCountry | undefined,
  postal: boolean,
  freightEur: number,
): void {
  const dest = ctx.dest;
  if (dest === undefined) return;
  const row = rowAt(dest.union.rows, importDay);
  const within = row !== undefined && ctx.orderValueEur <= row.thresholdEur + EPS;
  let duty: number;
  let brokerage = 0;
  if (!within) {
    duty = tariffDuty(part, freightEur);
    brokerage = dest.brokerageEur;
  } else if (row.all || ctx.ioss || postal) {
    duty = row.perTariffLineEur < 0 ? tariffDuty(part, freightEur) : row.perTariffLineEur * part.hsCount;
  } else {
    duty = tariffDuty(part, freightEur);
  }
  const fEur = ctx.fEur;
  comps[C.DUTY] = settle(duty * fEur);
  comps[C.VAT_ON_DUTY] = dest.vatOnDuty ? settle(duty * dest.vatRate * fEur) : 0;
  comps[C.BROKERAGE] = settle(brokerage * fEur);
  addFees(dest.union.fees, part, comps, importDay, within, fEur);
  if (importCountry !== undefined) addFees(importCountry.fees, part, comps, importDay, within, fEur);
}

/** Tariff duty on the CIF basis: Σ value × rate × (value + freight) / value; lines of value 0 carry no freight. */
function tariffDuty(part: Part, freightEur: number): number {
  return part.valueEur > 0 ? part.tariffEur * (1 + freightEur / part.valueEur) : 0;
}

function addFees(fees: readonly CompiledFee[], part: Part, comps: number[], day: number, within: boolean, fEur: number): void {
  for (const f of fees) {
    if (day < f.fromDay || day >= f.untilDay || (f.lowValueOnly && !within)) continue;
    comps[f.slot]! += settle((f.perTariffLine ? f.amountEur * part.hsCount : f.amountEur) * fEur);
  }
}

/**
 * What the decision shows of a priced shipment's import (§5 `customs`), or undefined when it
 * does not enter a customs union from outside (a destination without rules, a warehouse
 * shipment inside its union).
 */
export function customsOf(ctx: OrderCtx, q: Quote): Customs | undefined {
  const dest = ctx.dest;
  if (dest === undefined) return undefined;
  const src = q.src;
  let importCountry = ctx.country;
  let postal = false;
  if (src.kind === 'direct') {
    importCountry = src.importCode;
    postal = src.svc.postal;
  } else if (src.wh.union === dest.union) {
    return undefined;
  }
  return {
    union: dest.union.id,
    importCountry,
    importDate: formatDay(q.etaLo),
    regime: REGIMES[regimeOf(ctx, dest, q.etaLo, postal)]!,
    consignmentValueEur: fromMinor(settle(q.part.valueEur), 'EUR'),
    tariffLines: q.part.hsCount,
  };
}

/** Longest HS prefix match in a union's tariffRates, else its default rate (compile time only). */
export function tariffRateLookup(union: CustomsUnion): (hsCode: string) => number {
  const prefixes = Object.keys(union.tariffRates).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return (hs) => {
    for (const p of prefixes) if (hs.startsWith(p)) return union.tariffRates[p]!;
    return union.defaultTariffRate;
  };
}
