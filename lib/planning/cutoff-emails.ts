/**
 * The cut-off email use case (issue 13 item 3, ADR 0042): on each scheduled run, for every seller
 * and every departure of its lanes whose cut-off is within the seller's hours (`planEmailHours`,
 * default PLANNING.emailHoursBeforeCutoff), the plan for that train goes to the seller with a
 * signed one-click accept link that expires at the cut-off — exactly once per departure and
 * seller whatever retries, through the same email ledger as decisions (marker
 * `plan-email:<sellerId>:<departureId>` at version 1). A plan with nothing to load, or a departure
 * already accepted, is recorded as skipped, so the next runs do not plan it again.
 * Ports only: the handler (functions/send-plan-emails.ts) wires the store, SES and the key.
 */
import type { Seller } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { PLANNING } from '#shared/definitions.ts';
import { SilkrouteError } from '#shared/errors.ts';
import type { HistoryEntry } from './history.ts';
import { plan, type DeparturePlan, type RouteFn } from './plan.ts';
import { report, type SellerSavings } from './report.ts';

const DAY_MS = 86_400_000;

export interface CutoffEmailPorts {
  readonly sellers: () => Promise<readonly string[]>;
  readonly snapshots: { load(sellerId: string, now: Date): Promise<NetworkSnapshot> };
  readonly history: { history(sellerId: string, period: { placedFrom: string; placedTo: string }): Promise<readonly HistoryEntry[]> };
  /** Whether the departure's plan was accepted already (the lot `plan-<departureId>` exists). */
  readonly accepted: (sellerId: string, departureId: string) => Promise<boolean>;
  readonly ledger: {
    sendOnce(request: { orderId: string; decisionVersion: number; now: Date; send: () => Promise<string | { skipped: string }> }): Promise<
      { kind: 'sent'; messageId: string } | { kind: 'already-sent'; skipped?: string } | { kind: 'skipped'; why: string }
    >;
  };
  readonly mailer: { send(input: { plan: DeparturePlan; seller: Seller; network: NetworkSnapshot; now: Date; acceptUrl: string; savings?: SellerSavings }): Promise<{ messageId: string }> };
  /** The accept link's URL for the claims: signed (lib/shared/action-link.ts) under the API's public URL. */
  readonly acceptUrl: (claims: { sellerId: string; departureId: string; exp: number }) => Promise<string>;
  readonly route?: RouteFn;
  readonly log: { info(message: string, extra?: Record<string, unknown>): void; warn(message: string, extra?: Record<string, unknown>): void };
}

export type CutoffEmailOutcome =
  | { readonly sellerId: string; readonly departureId: string; readonly kind: 'sent'; readonly messageId: string; readonly lines: number }
  | { readonly sellerId: string; readonly departureId: string; readonly kind: 'already-sent' }
  | { readonly sellerId: string; readonly departureId: string; readonly kind: 'skipped'; readonly why: 'nothing-to-load' | 'already-accepted' };

/** The ledger key of one departure's plan email: never an order id (those have no `plan-email:` prefix). */
export function planEmailMarker(sellerId: string, departureId: string): { orderId: string; decisionVersion: number } {
  return { orderId: `plan-email:${sellerId}:${departureId}`, decisionVersion: 1 };
}

/** The hours before a cut-off a seller's plan email goes out. */
export function planEmailHours(seller: Pick<Seller, 'planEmailHours'> | undefined): number {
  return seller?.planEmailHours ?? PLANNING.emailHoursBeforeCutoff;
}

/** Due from `hours` before the cut-off until the cut-off itself (a run that was late still sends). */
export function isPlanEmailDue(cutoffAt: string, hours: number, now: Date): boolean {
  const cutoff = Date.parse(cutoffAt);
  return now.getTime() < cutoff && now.getTime() >= cutoff - hours * 3_600_000;
}

/**
 * One run: every due departure of every seller (or of `sellerId` only).
 * @example await sendCutoffEmails(ports, new Date()) // [{ sellerId: 'tianmen-garments', departureId: 'R2-2026-12-07', kind: 'sent', … }]
 */
export async function sendCutoffEmails(ports: CutoffEmailPorts, now: Date, options: { sellerId?: string } = {}): Promise<CutoffEmailOutcome[]> {
  const ids = options.sellerId !== undefined ? [options.sellerId] : await ports.sellers();
  const outcomes: CutoffEmailOutcome[] = [];
  const failures: string[] = [];
  for (const sellerId of ids) {
    const network = await ports.snapshots.load(sellerId, now);
    const seller = network.sellers.find((s) => s.id === sellerId);
    if (seller === undefined) continue;
    const hours = planEmailHours(seller);
    const due = network.railLanes
      .filter((l) => l.origin === seller.origin)
      .flatMap((l) => l.departures)
      .filter((d) => isPlanEmailDue(d.cutoffAt, hours, now))
      .sort((a, b) => (a.cutoffAt < b.cutoffAt ? -1 : a.cutoffAt > b.cutoffAt ? 1 : a.id < b.id ? -1 : 1));
    // The history is read once per seller, and only if some email is still to be written.
    let history: Promise<readonly HistoryEntry[]> | undefined;
    const historyOf = () =>
      (history ??= ports.history.history(sellerId, { placedFrom: new Date(now.getTime() - PLANNING.historyDays * DAY_MS).toISOString(), placedTo: now.toISOString() }));
    for (const departure of due) {
      let lines = 0;
      let result: Awaited<ReturnType<CutoffEmailPorts['ledger']['sendOnce']>>;
      try {
        result = await ports.ledger.sendOnce({
          ...planEmailMarker(sellerId, departure.id),
          now,
          send: async () => {
            if (await ports.accepted(sellerId, departure.id)) return { skipped: 'already-accepted' };
            const planned = plan({ history: await historyOf(), network, now, sellerId, departureId: departure.id, ...(ports.route === undefined ? {} : { route: ports.route }) }).departures.find(
              (d) => d.sellerId === sellerId && d.departureId === departure.id,
            );
            if (planned === undefined || planned.lines.length === 0) return { skipped: 'nothing-to-load' };
            lines = planned.lines.length;
            const acceptUrl = await ports.acceptUrl({ sellerId, departureId: departure.id, exp: Math.floor(Date.parse(departure.cutoffAt) / 1000) });
            const savings = report({ history: await historyOf(), network, sellerId, ...(ports.route === undefined ? {} : { route: ports.route }) }).sellers.find((x) => x.sellerId === sellerId);
            return (await ports.mailer.send({ plan: planned, seller, network, now, acceptUrl, ...(savings === undefined ? {} : { savings }) })).messageId;
          },
        });
      } catch (error) {
        // One departure's failure does not hold back the others; the run fails at the end, and
        // the ledger (its claim released) lets the next run send this one.
        ports.log.warn('plan email failed', { sellerId, departureId: departure.id, error: (error as Error).message });
        failures.push(`${sellerId}/${departure.id}: ${(error as Error).message}`);
        continue;
      }
      if (result.kind === 'sent') {
        ports.log.info('plan email sent', { sellerId, departureId: departure.id, lines, sesMessageId: result.messageId });
        outcomes.push({ sellerId, departureId: departure.id, kind: 'sent', messageId: result.messageId, lines });
      } else if (result.kind === 'skipped') {
        outcomes.push({ sellerId, departureId: departure.id, kind: 'skipped', why: result.why === 'already-accepted' ? 'already-accepted' : 'nothing-to-load' });
      } else {
        outcomes.push({ sellerId, departureId: departure.id, kind: 'already-sent' });
      }
    }
  }
  if (failures.length > 0) throw new PlanEmailError(`${failures.length} plan email(s) failed: ${failures.join('; ')}`);
  return outcomes;
}

/** Some plan emails of a run failed (the others went): the run fails so the scheduler's retry and the alarms see it. */
export class PlanEmailError extends SilkrouteError {
  override readonly name: string = 'PlanEmailError';
}
