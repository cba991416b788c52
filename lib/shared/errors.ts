/**
 * The error tree. Every error has a `name` and keeps its `cause`. `expose` says whether the
 * message may reach an outside caller (HTTP); internal messages never do.
 */

export class SilkrouteError extends Error {
  override readonly name: string = 'SilkrouteError';
  /** Safe to show to an outside caller. */
  readonly expose: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One thing wrong in some input: where (file and JSON path) and what. */
export interface Issue {
  readonly file?: string;
  /** JSON path such as `[3].dimsCm` (empty for the document itself). */
  readonly path: string;
  readonly message: string;
}

/** Input that breaks its contract; lists every issue found, not only the first. */
export class ValidationError extends SilkrouteError {
  override readonly name: string = 'ValidationError';
  override readonly expose = true;
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], options?: { cause?: unknown }) {
    super(issues.map(formatIssue).join('\n'), options);
    this.issues = issues;
  }
}

/** `skus.json: [3].dimsCm: expected 3 positive numbers` */
export function formatIssue(issue: Issue): string {
  const where = [issue.file, issue.path].filter((s) => s !== undefined && s !== '').join(': ');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/** Something that went wrong in a way a retry may fix (throttling, timeouts, a lost race). */
export class TransientError extends SilkrouteError {
  override readonly name: string = 'TransientError';
}

/** Data the operation needs is not in the table (an unknown seller, a network never imported, a vanished order). */
export class MissingDataError extends SilkrouteError {
  override readonly name: string = 'MissingDataError';
}

/** Error names of AWS SDK v3 clients (and Node) that a retry may fix. */
const TRANSIENT_NAME =
  /Throttl|TooManyRequests|ProvisionedThroughputExceeded|RequestLimitExceeded|ServiceUnavailable|InternalServerError|InternalFailure|TimeoutError|RequestTimeout|TransactionConflict|TransactionInProgress|IdempotentParameterMismatch/;
const TRANSIENT_CODE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/;

/**
 * The one classification of a failure a retry may fix: ours (TransientError), or a dependency's
 * throttling, 5xx, timeout or lost connection as the AWS SDK reports it. The HTTP edge answers
 * these with 503; the data layer wraps them in TransientError.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { $fault?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number }; name?: string; code?: string };
  if (e.$fault === 'server' || e.$retryable !== undefined) return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return TRANSIENT_NAME.test(e.name ?? '') || TRANSIENT_CODE.test(e.code ?? '');
}
