/**
 * The HTTP layer beneath lib/api and lib/marketplaces (neither imports the other): the exact raw body, case-insensitive
 * headers, JSON parsing and validation that name the failing paths, and the one mapping from an
 * error to `{ "error": { "code", "message", "details"? } }`. Nothing here leaks a stack trace or
 * an internal message: only an HttpError with `expose` reaches the caller in its own words.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { MAX_BODY_BYTES } from '#shared/definitions.ts';
import { isTransient, ValidationError } from '#shared/errors.ts';
import { humanIssue } from '#shared/zod-messages.ts';
import { HttpError } from './errors.ts';

export type HttpResult = APIGatewayProxyStructuredResultV2;
/** The subset of the API Gateway v2 event the handlers read (tests build it by hand). */
export type HttpEvent = Pick<APIGatewayProxyEventV2, 'headers' | 'body' | 'isBase64Encoded'> & {
  readonly requestContext: { readonly http: { readonly method: string; readonly path: string } };
  readonly rawPath?: string;
  readonly pathParameters?: Record<string, string | undefined>;
};

/** Structured log lines: a Powertools Logger in the functions, JSON lines (jsonLines) elsewhere. */
export interface HttpLog {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** An HttpLog writing one JSON line per entry (`{"level":"INFO","message":…,…}`) to `write`. */
export function jsonLines(write: (line: string) => void): HttpLog {
  const at =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      write(JSON.stringify(Object.assign({ level, message }, ...extra)));
  return { info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
}

/** A log as given: an HttpLog, or a line writer (tests) wrapped in jsonLines. */
export function asHttpLog(log: HttpLog | ((line: string) => void)): HttpLog {
  return typeof log === 'function' ? jsonLines(log) : log;
}

/** One failing place in a payload: `lines[2].sku` and what is wrong there. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** Header names lower-cased (HTTP says they are case-insensitive; API Gateway v2 mostly does this). */
export function lowerHeaders(headers: Readonly<Record<string, string | undefined>> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const prior = out.get(key);
    out.set(key, prior === undefined ? value : `${prior},${value}`);
  }
  return out;
}

/** The exact bytes that were sent: base64-decoded when API Gateway encoded them. 413 when too large. */
export function rawBody(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>, limit = MAX_BODY_BYTES): Buffer {
  const body = event.body ?? '';
  const base64 = event.isBase64Encoded === true;
  // Bound before decoding: base64 carries 3 bytes per 4 characters (padding makes it an over-estimate).
  const tooLarge = base64 ? Math.floor((body.length * 3) / 4) > limit + 2 : Buffer.byteLength(body, 'utf8') > limit;
  const bytes = tooLarge ? undefined : Buffer.from(body, base64 ? 'base64' : 'utf8');
  if (bytes === undefined || bytes.length > limit) {
    throw new HttpError(413, 'payload-too-large', `The body is larger than ${limit} bytes.`, {
      details: { limitBytes: limit },
    });
  }
  return bytes;
}

/** The media type without parameters, lower-cased: `application/json; charset=utf-8` → `application/json`; undefined when absent or blank. */
export function mediaType(headers: ReadonlyMap<string, string>): string | undefined {
  const value = headers.get('content-type');
  if (value === undefined) return undefined;
  return value.split(';')[0]!.trim().toLowerCase() || undefined;
}

/** 415 unless the body is declared JSON (`application/json` or a `+json` type). */
export function requireJson(headers: ReadonlyMap<string, string>): void {
  const type = mediaType(headers);
  if (type === 'application/json' || (type !== undefined && /^application\/[\w.+-]+\+json$/.test(type))) return;
  throw new HttpError(
    415,
    'unsupported-media-type',
    type === undefined ? 'Content-Type is missing; send application/json.' : `Content-Type ${type} is not supported; send application/json.`,
  );
}

/** Parses JSON from the raw bytes; 400 `invalid-json` naming where it broke. */
export function parseJson(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'invalid-json', 'The body is empty; expected a JSON document.');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid-json', `The body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** `['line_items', 2, 'sku']` → `line_items[2].sku` (the form used in every 400). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** zod issues as field issues; a value that is absent (or null) reads "missing". */
export function fieldIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

/** Per-parse error map: an absent value is simply "missing", whatever type was expected. */
const missingIsMissing = (issue: { code: string; input?: unknown }): string | undefined =>
  issue.code === 'invalid_type' && (issue.input === undefined || issue.input === null) ? 'missing' : undefined;

/** Validates with a zod schema; 400 `invalid-payload` listing every failing path, each in words (humanIssue). */
export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix: readonly PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(value, { error: (issue) => missingIsMissing(issue) ?? humanIssue(issue) });
  if (result.success) return result.data;
  throw invalidPayload(fieldIssues(result.error, prefix));
}

/** 400 naming each failing path: `line_items[2].sku: missing`. */
export function invalidPayload(issues: readonly FieldIssue[]): HttpError {
  const message = issues
    .slice(0, 10)
    .map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`))
    .join('; ');
  return new HttpError(400, 'invalid-payload', message === '' ? 'The payload is invalid.' : message, { details: issues });
}

/**
 * 405 for a method no route serves at a path that has routes (`allowed`, from allowedMethods in
 * definitions.ts), with the `Allow` header RFC 9110 asks for.
 */
export function methodNotAllowed(method: string, path: string, allowed: readonly string[]): HttpError {
  return new HttpError(405, 'method-not-allowed', `${method} is not allowed on ${path}; use ${allowed.join(' or ')}.`, {
    headers: { allow: allowed.join(', ') },
  });
}

/** A JSON response. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * The error → response mapping. An exposed HttpError speaks for itself; a dependency outage is a
 * 503 (callers that retry will); anything else is a bare 500 — logged, never described.
 */
export function errorResponse(error: unknown, log: HttpLog | ((line: string) => void) = console.error): HttpResult {
  if (error instanceof HttpError && error.expose) {
    const body: { code: string; message: string; details?: unknown } = { code: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    return json(error.status, { error: body }, error.headers);
  }
  if (error instanceof ValidationError) {
    // Input that broke a contract deeper in (the routing core, a cursor): the caller's to fix.
    return errorResponse(invalidPayload(error.issues.map((i) => ({ path: i.path, message: i.message }))), log);
  }
  asHttpLog(log).error('request failed', { error: describe(error) });
  if (error instanceof HttpError) {
    return json(error.status, { error: { code: error.code, message: 'The request could not be completed.' } });
  }
  if (isTransient(error)) {
    return json(503, { error: { code: 'service-unavailable', message: 'A dependency is unavailable; retry later.' } }, { 'retry-after': '5' });
  }
  return json(500, { error: { code: 'internal', message: 'Internal error.' } });
}

/** Name, message and cause chain of an error, for logs only. */
function describe(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return String(error);
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  if (error.cause !== undefined && depth < 3) out.cause = describe(error.cause, depth + 1);
  return out;
}

/** A middy middleware: whatever escaped the handler becomes an error response (never a stack trace). */
export function httpErrors(log?: HttpLog | ((line: string) => void)) {
  return {
    onError: (request: { error: unknown; response: unknown }) => {
      request.response = errorResponse(request.error, log);
    },
  };
}
