/**
 * The arrival sweep (ADR 0036): every seller's inbound lots whose arrival day has come move into
 * the warehouse's stock (lib/store/lots.ts arriveLot, idempotent). Run hourly by the `arrivals`
 * function (EventBridge Scheduler in AWS, a timer on the twin). Until a lot is moved, routing
 * still sees it as a lot arriving today, so the hour between arrival and the run loses nothing.
 */
import type { StoreContext } from './batch.ts';
import { arriveDueLots } from './lots.ts';
import { listSellerIds } from './reference.ts';

export interface ArrivalSweepResult {
  /** `<sellerId>/<lotId>` of each lot moved into stock by this run. */
  readonly arrived: string[];
  /** Sellers whose lots could not be moved (retried by the next run), with the error. */
  readonly failed: { sellerId: string; error: string }[];
}

/** Moves every due lot of every seller into stock. A seller that fails does not stop the others. */
export async function sweepArrivals(ctx: StoreContext, now: Date): Promise<ArrivalSweepResult> {
  const arrived: string[] = [];
  const failed: { sellerId: string; error: string }[] = [];
  for (const sellerId of await listSellerIds(ctx)) {
    try {
      for (const lotId of (await arriveDueLots(ctx, sellerId, now)).arrived) arrived.push(`${sellerId}/${lotId}`);
    } catch (error) {
      failed.push({ sellerId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { arrived, failed };
}
