/**
 * ROUTING.md §3, "Import rules": what a parcel pays to enter the destination from outside —
 * duty, VAT on the duty, brokerage and the per-consignment fees.
 *
 * Today's rules, per destination country (`duties.json` v1, ADR 0007):
 * - each shipment is its own consignment: its own value against the threshold, its own fees;
 * - a country with duty rules but no low-value regime taxes every consignment like a bulk
 *   import (Σ customs value × the bulk rate of each line's HS code) plus brokerage;
 * - above the low-value threshold: the same bulk duty plus brokerage;
 * - at or below it, once the regime is in force: a flat duty per distinct 6-digit HS code;
 * - VAT on the duty when the country says so; the handling and national fees per consignment;
 * - a country without rules pays nothing.
 * - the bulk duty rate of an HS code (for parcels above the threshold and for rail
 *   replenishment): the longest matching prefix in `bulkDutyRates`, else the default rate.
 * Import rules v2 (customs unions, dated low-value rows, CIF basis) replace this file's body;
 * the per-country figures are compiled in compile.ts (`CompiledDuty`).
 */
import type { Duties } from '#network/schemas.ts';
import { settle } from './money.ts';
import { C, type OrderCtx, type Part } from './shipment.ts';

/** Adds the import charges of `part` to `comps` (settled report-currency minor units). */
export function addImportCharges(ctx: OrderCtx, part: Part, comps: number[]): void {
  const rules = ctx.duty;
  if (rules === undefined) return;
  let duty = 0;
  let brokerage = 0;
  if (rules.thresholdEur === null || part.valueEur > rules.thresholdEur + 1e-6) {
    duty = part.bulkDutyEur;
    brokerage = rules.brokerageEur;
  } else if (ctx.nowDay >= rules.lowValueFromDay) {
    duty = rules.flatPerHsEur * part.hsCount;
  }
  const fEur = ctx.fEur;
  comps[C.DUTY] = settle(duty * fEur);
  comps[C.VAT_ON_DUTY] = rules.vatOnDuty ? settle(duty * rules.vatRate * fEur) : 0;
  comps[C.BROKERAGE] = settle(brokerage * fEur);
  comps[C.HANDLING] = settle(rules.handlingEur * fEur);
  comps[C.NATIONAL] = settle(rules.nationalEur * fEur);
}

/** Longest HS prefix match in bulkDutyRates, else the default rate. */
export function bulkRateLookup(duties: Duties): (hsCode: string) => number {
  const prefixes = Object.keys(duties.bulkDutyRates).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return (hs) => {
    for (const p of prefixes) if (hs.startsWith(p)) return duties.bulkDutyRates[p]!;
    return duties.defaultBulkDutyRate;
  };
}
