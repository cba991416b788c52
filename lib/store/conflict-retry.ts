/**
 * DynamoDB does not queue a transaction behind another one on the same item: it cancels it with a
 * `TransactionConflict` reason (and refuses a single-item write with
 * `TransactionConflictException`). Nothing of a cancelled transaction was applied, so the caller
 * sends it again after a short random pause; the jitter spreads racing writers apart so they
 * do not collide again in lockstep. After `maxAttempts` the conflict is left to the caller's
 * own retry (SQS redelivery for the worker).
 */
import { TransientError } from '#shared/errors.ts';

/** A write refused because another transaction held one of its items; safe to send again. */
export class TransactionConflictError extends TransientError {
  override readonly name: string = 'TransactionConflictError';
}

export interface ConflictRetryOptions {
  /** Calls in all, the first included. Default 12. */
  readonly maxAttempts?: number;
  /** First pause's upper bound in ms; it doubles per attempt up to capMs. Default 10. */
  readonly baseMs?: number;
  /** Largest pause's upper bound in ms. Default 1000. */
  readonly capMs?: number;
  /** Told of each conflict before the pause (a metric, a log, a test's counter). */
  readonly onConflict?: (attempt: number, error: TransactionConflictError) => void;
  /** For tests; default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** For tests; default Math.random. */
  readonly random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** "Full jitter" backoff: a pause drawn uniformly from [0, min(cap, base * 2^(attempt-1))). */
export function conflictPauseMs(attempt: number, options: ConflictRetryOptions = {}, random = Math.random): number {
  const base = options.baseMs ?? 10;
  const cap = options.capMs ?? 1000;
  return Math.floor(random() * Math.min(cap, base * 2 ** Math.max(0, attempt - 1)));
}

/** Runs `call` again while it fails with TransactionConflictError, up to maxAttempts calls. */
export async function retryingConflicts<T>(call: () => Promise<T>, options: ConflictRetryOptions = {}): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 12);
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof TransactionConflictError) || attempt >= maxAttempts) throw error;
      options.onConflict?.(attempt, error);
      await sleep(conflictPauseMs(attempt, options, options.random));
    }
  }
}
