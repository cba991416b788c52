/**
 * ROUTING.md §3, "ETA …" (the paragraph after the split rule): when each kind of shipment
 * arrives, and when an order's deadline is met. Dates are UTC calendar days (day numbers since
 * 1970-01-01, formatted `YYYY-MM-DD`).
 *
 * - direct parcel: now + the service's handlingDays + transit days [min, max];
 * - overseas warehouse: now + the warehouse's processingDays + last-mile days;
 * - rail to warehouse (§3, rail): departure day + transitDays + the warehouse's inboundDays +
 *   last-mile days (no processingDays: the goods arrive bound to the order, ADR 0007);
 * - a deadline is met when the latest ETA day ≤ `deliverBy`; without it, ≤ placedAt + the
 *   service level's days (the seller's `serviceLevels`, else economy 30, standard 20, express
 *   7; no service level means standard).
 *
 * The email states the promised date with `deadlineOf` too, so the router and the email cannot
 * disagree about it.
 */
import type { CanonicalOrder, Seller } from '#network/schemas.ts';

export const DAY_MS = 86_400_000;

/** The UTC calendar day number of an instant (days since 1970-01-01). */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

const dayText = new Map<number, string>();
/** `YYYY-MM-DD` of a UTC day number (memoised: a decision formats a handful of distinct days). */
export function formatDay(day: number): string {
  let text = dayText.get(day);
  if (text === undefined) {
    if (dayText.size > 20_000) dayText.clear();
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayText.set(day, text);
  }
  return text;
}

/** Days per service level when the seller sets none. */
export const DEFAULT_SERVICE_DAYS = { economy: 30, standard: 20, express: 7 } as const;
export type ServiceLevel = keyof typeof DEFAULT_SERVICE_DAYS;

/** An order's deadline: the buyer's `deliverBy`, else placedAt + the service level's days. */
export type Deadline =
  | { readonly day: number; readonly basis: 'deliver-by' }
  | { readonly day: number; readonly basis: 'service-level'; readonly level: ServiceLevel; readonly days: number };

/** The deadline of an order for its seller, with what it rests on (for a reader to say). */
export function deadlineOf(order: Pick<CanonicalOrder, 'deliverBy' | 'placedAt' | 'serviceLevel'>, seller: Pick<Seller, 'serviceLevels'>): Deadline {
  if (order.deliverBy !== undefined) return { day: dayOf(Date.parse(order.deliverBy)), basis: 'deliver-by' };
  const level = order.serviceLevel ?? 'standard';
  const days = seller.serviceLevels?.[level] ?? DEFAULT_SERVICE_DAYS[level];
  return { day: dayOf(Date.parse(order.placedAt)) + days, basis: 'service-level', level, days };
}

/** True when a shipment whose latest ETA is `latestDay` meets the deadline `deadlineDay`. */
export function meetsDeadline(latestDay: number, deadlineDay: number): boolean {
  return latestDay <= deadlineDay;
}

/** A direct parcel's ETA day for one end of the transit range. */
export function parcelEtaDay(nowDay: number, handlingDays: number, transitDays: number): number {
  return nowDay + handlingDays + transitDays;
}

/** A warehouse shipment's ETA day for one end of the last mile's transit range. */
export function warehouseEtaDay(nowDay: number, processingDays: number, lastMileDays: number): number {
  return nowDay + processingDays + lastMileDays;
}

/** A rail shipment's ETA day: departure + transit + inbound at the warehouse + last mile. */
export function railEtaDay(departDay: number, transitDays: number, inboundDays: number, lastMileDays: number): number {
  return departDay + transitDays + inboundDays + lastMileDays;
}
