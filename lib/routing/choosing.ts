/**
 * ROUTING.md §4, "Choosing": the cheapest feasible route in the seller's report currency; ties
 * go to the earlier latest ETA, then fewer shipments, then the route id. `savingsVsDirect` =
 * the cheapest feasible direct parcel's total minus the chosen total (present whenever a direct
 * parcel is feasible, 0 when it is the choice). Candidates are listed feasible first, as they
 * rank (so `candidates[0]` is the chosen route), then the infeasible ones by route id (ADR 0007).
 */
import type { Candidate } from './decision.ts';
import type { Quote } from './shipment.ts';

/** A feasible set of shipments (one or more). */
export interface Plan {
  readonly routeId: string;
  readonly parts: readonly Quote[];
  readonly total: number;
  readonly etaLo: number;
  readonly etaHi: number;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Cheapest first; ties: earlier latest ETA, then fewer shipments, then route id. */
export function comparePlans(a: Plan, b: Plan): number {
  return a.total - b.total || a.etaHi - b.etaHi || a.parts.length - b.parts.length || cmp(a.routeId, b.routeId);
}

/** The same order for single shipments (one part each). */
export function compareQuotes(a: Quote, b: Quote): number {
  return a.total - b.total || a.etaHi - b.etaHi || cmp(a.routeId, b.routeId);
}

/** How infeasible candidates are listed: by route id. */
export function byRouteId(a: Candidate, b: Candidate): number {
  return cmp(a.routeId, b.routeId);
}

/** The cheapest feasible single direct parcel among ranked plans, if any. */
export function cheapestDirect(ranked: readonly Plan[]): Plan | undefined {
  for (const p of ranked) if (p.parts.length === 1 && p.parts[0]!.src.kind === 'direct') return p;
  return undefined;
}

/** `savingsVsDirect` in minor units: the cheapest direct parcel's total minus the chosen one's, or undefined without one. */
export function savingsVsDirectMinor(ranked: readonly Plan[], chosen: Plan): number | undefined {
  const direct = cheapestDirect(ranked);
  return direct === undefined ? undefined : direct.total - chosen.total;
}
