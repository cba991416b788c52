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

/** An HTTP-facing error; `code` is the stable machine-readable name in the error body. */
export class HttpError extends SilkrouteError {
  override readonly name: string = 'HttpError';
  override readonly expose: boolean;
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(
    status: number,
    code: string,
    message: string,
    options?: { cause?: unknown; details?: unknown; expose?: boolean },
  ) {
    super(message, options);
    this.status = status;
    this.code = code;
    this.details = options?.details;
    this.expose = options?.expose ?? status < 500;
  }
}
