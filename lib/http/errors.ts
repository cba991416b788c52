/**
 * The HTTP layer's error: a status, a stable machine-readable `code` for the error body, and
 * `expose` — whether the message may reach the caller in its own words (4xx by default).
 */
import { SilkrouteError } from '#shared/errors.ts';

/** An HTTP-facing error; `code` is the stable machine-readable name in the error body. */
export class HttpError extends SilkrouteError {
  override readonly name: string = 'HttpError';
  override readonly expose: boolean;
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Response headers the error calls for (a 405's `allow`). */
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    status: number,
    code: string,
    message: string,
    options?: { cause?: unknown; details?: unknown; expose?: boolean; headers?: Record<string, string> },
  ) {
    super(message, options);
    this.status = status;
    this.code = code;
    this.details = options?.details;
    this.headers = options?.headers ?? {};
    this.expose = options?.expose ?? status < 500;
  }
}
