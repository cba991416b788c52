/**
 * Webhook signature verification on the exact raw bytes, in constant time, accepting the current
 * and the previous secret while one is being rotated out. Pure: no I/O, the clock is passed in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { HttpError } from '#http/errors.ts';

/** A connection's webhook secrets; `previous` is still accepted until removed (rotation). */
export interface WebhookSecrets {
  readonly current: string;
  readonly previous?: string;
}

/** Standard Webhooks' replay window, each side of our clock. */
export const STANDARD_TOLERANCE_SECONDS = 5 * 60;

function secretsOf(secrets: WebhookSecrets): string[] {
  return secrets.previous === undefined ? [secrets.current] : [secrets.current, secrets.previous];
}

/** Compares two strings in time that depends only on their lengths. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Base64 HMAC-SHA256 of the raw bytes (Shopify's and WooCommerce's signature). */
export function hmacBase64(key: string | Buffer, ...parts: readonly (string | Buffer)[]): string {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest('base64');
}

function unauthorized(code: string, message: string): HttpError {
  return new HttpError(401, code, message);
}

/**
 * Shopify (`X-Shopify-Hmac-Sha256`) and WooCommerce (`X-WC-Webhook-Signature`): the header is the
 * base64 HMAC-SHA256 of the raw body keyed with the shared secret. Throws 401 when absent or wrong.
 */
export function verifyBodyHmac(raw: Buffer, signature: string | undefined, secrets: WebhookSecrets, headerName: string): void {
  if (signature === undefined || signature.trim() === '') {
    throw unauthorized('missing-signature', `Header ${headerName} is missing.`);
  }
  const given = signature.trim();
  // Every secret is checked (no early exit) so timing does not tell which one matched.
  let ok = false;
  for (const secret of secretsOf(secrets)) ok = sameText(hmacBase64(secret, raw), given) || ok;
  if (!ok) throw unauthorized('invalid-signature', `Header ${headerName} does not match the body.`);
}

/** The signing key of a Standard Webhooks secret: base64 after the `whsec_` prefix. */
export function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** Standard Webhooks headers, already looked up case-insensitively. */
export interface StandardHeaders {
  readonly id: string | undefined;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

/**
 * Standard Webhooks: `webhook-signature` is a space-separated list of `v1,<base64>`, each an
 * HMAC-SHA256 of `${id}.${timestamp}.${body}`; the timestamp (epoch seconds) must be within
 * ±5 minutes of `now`. Throws 401 naming what failed.
 */
export function verifyStandardWebhook(raw: Buffer, headers: StandardHeaders, secrets: WebhookSecrets, now: Date): void {
  const { id, timestamp, signature } = headers;
  for (const [name, value] of [
    ['webhook-id', id],
    ['webhook-timestamp', timestamp],
    ['webhook-signature', signature],
  ] as const) {
    if (value === undefined || value.trim() === '') throw unauthorized('missing-signature', `Header ${name} is missing.`);
  }
  if (!/^\d{1,12}$/.test(timestamp!)) {
    throw unauthorized('invalid-timestamp', 'Header webhook-timestamp must be whole seconds since the epoch.');
  }
  const seconds = Number(timestamp);
  const skew = seconds - Math.floor(now.getTime() / 1000);
  if (Math.abs(skew) > STANDARD_TOLERANCE_SECONDS) {
    throw unauthorized(
      'stale-timestamp',
      `Header webhook-timestamp is ${Math.abs(skew)} s ${skew < 0 ? 'old' : 'in the future'}; the window is ±${STANDARD_TOLERANCE_SECONDS} s.`,
    );
  }
  const given = signature!
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => s.slice(3));
  let ok = false;
  for (const secret of secretsOf(secrets)) {
    const expected = hmacBase64(standardKey(secret), `${id}.${timestamp}.`, raw);
    for (const candidate of given) ok = sameText(expected, candidate) || ok;
  }
  if (!ok) throw unauthorized('invalid-signature', 'Header webhook-signature does not match the body.');
}
