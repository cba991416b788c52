/**
 * Notification preferences (issue 14 item 5): which emails a seller gets, from the `notifications`
 * field of sellers.json. `every` (the default, the behaviour before preferences) emails each
 * decision; `exceptions` only what needs the seller (an unroutable decision; a failed order is
 * in the operator's alarm and the digest); `digest` one email a day at a local hour.
 */
import type { Seller } from '#network/schemas.ts';
import type { Decision } from '#routing/decision.ts';

export interface NotificationPreferences {
  readonly mode: 'every' | 'exceptions' | 'digest';
  readonly digestHour: number;
  readonly timeZone: string;
}

export const DEFAULT_DIGEST_HOUR = 9;
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function preferencesOf(seller: Pick<Seller, 'notifications'> | undefined): NotificationPreferences {
  const n = seller?.notifications;
  return { mode: n?.mode ?? 'every', digestHour: n?.digestHour ?? DEFAULT_DIGEST_HOUR, timeZone: n?.timeZone ?? DEFAULT_TIME_ZONE };
}

export type DecisionEmailPolicy = { readonly send: true } | { readonly send: false; readonly why: 'digest-seller' | 'exceptions-only-routed' };

/** Whether this decision gets its own email under the seller's preferences, and why not. */
export function decisionEmailPolicy(preferences: NotificationPreferences, decision: Pick<Decision, 'status'>): DecisionEmailPolicy {
  if (preferences.mode === 'digest') return { send: false, why: 'digest-seller' };
  if (preferences.mode === 'exceptions' && decision.status === 'routed') return { send: false, why: 'exceptions-only-routed' };
  return { send: true };
}

/** The wall-clock parts of `at` in `timeZone`. */
function localParts(at: Date, timeZone: string): { year: number; month: number; day: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') };
}

/** The UTC instant of local `hour`:00 on the local date y-m-d in `timeZone` (DST: the first such instant). */
function instantOf(y: number, m: number, d: number, hour: number, timeZone: string): Date {
  let guess = Date.UTC(y, m - 1, d, hour);
  // Two corrections converge for every real zone (offsets change by at most a few hours).
  for (let i = 0; i < 3; i += 1) {
    const p = localParts(new Date(guess), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour);
    const wanted = Date.UTC(y, m - 1, d, hour);
    if (shown === wanted) break;
    guess += wanted - shown;
  }
  return new Date(guess);
}

export interface DigestPeriod {
  /** The local date the digest is sent on, YYYY-MM-DD: names the period, keys its email marker. */
  readonly date: string;
  readonly start: Date;
  readonly end: Date;
}

/**
 * The latest digest period that has ended at `now`: from the digest hour of the local day before
 * to the digest hour of the last local day on which that hour has passed. A run at 09:05 and a
 * retry at 09:40 name the same period, so the ledger sends it once.
 */
export function digestPeriod(preferences: NotificationPreferences, now: Date): DigestPeriod {
  const local = localParts(now, preferences.timeZone);
  let end = instantOf(local.year, local.month, local.day, preferences.digestHour, preferences.timeZone);
  let day = new Date(Date.UTC(local.year, local.month - 1, local.day));
  if (end.getTime() > now.getTime()) {
    day = new Date(day.getTime() - 86_400_000);
    end = instantOf(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), preferences.digestHour, preferences.timeZone);
  }
  const before = new Date(day.getTime() - 86_400_000);
  const start = instantOf(before.getUTCFullYear(), before.getUTCMonth() + 1, before.getUTCDate(), preferences.digestHour, preferences.timeZone);
  return { date: day.toISOString().slice(0, 10), start, end };
}

/** Whether a scheduled run at `now` falls in the digest hour (the hourly schedule sends then; a later run catches up the same period). */
export function isDigestDue(preferences: NotificationPreferences, now: Date): boolean {
  return localParts(now, preferences.timeZone).hour === preferences.digestHour;
}
