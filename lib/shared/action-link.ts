/**
 * One-click action links from email (issue 14 item 6): a token that names an action on one order
 * at one decision version until an expiry, signed with HMAC-SHA256 under a secret kept in Secrets
 * Manager. The link opens a confirmation page (GET, no state change: mail scanners prefetch
 * links); the page's POST carries the token again and only then acts, once (the use is recorded
 * with a conditional write, lib/store/action-links.ts).
 *
 * Token: base64url(JSON payload) "." base64url(HMAC-SHA256(secret, "v1." + payload part)).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const ACTIONS = ['reroute'] as const;
export type ActionName = (typeof ACTIONS)[number];

export interface ActionClaims {
  readonly action: ActionName;
  readonly orderId: string;
  /** The decision version the email described: a newer decision makes the link stale. */
  readonly version: number;
  /** Epoch seconds after which the link is refused. */
  readonly exp: number;
}

/** A link lives a week: long enough to act on a digest or a weekend's mail. */
export const ACTION_LINK_TTL_SECONDS = 7 * 86_400;

function mac(secret: string, payloadPart: string): Buffer {
  return createHmac('sha256', secret).update(`v1.${payloadPart}`).digest();
}

/** `<payload>.<signature>`: the claims as base64url JSON, then their HMAC. One format for every kind of link. */
function sealed(payload: Record<string, unknown>, secret: string): string {
  if (secret.length < 32) throw new Error('the action-link secret must be at least 32 characters');
  const part = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${part}.${mac(secret, part).toString('base64url')}`;
}

/** The token's payload once its signature checks (nothing in a tampered token is read). */
function open(token: string, secret: string): { readonly ok: true; readonly raw: unknown } | { readonly ok: false; readonly why: 'malformed' | 'tampered' } {
  const match = /^([A-Za-z0-9_-]{1,1000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (match === null) return { ok: false, why: 'malformed' };
  const [, payload, signature] = match as unknown as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'tampered' };
  try {
    return { ok: true, raw: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown };
  } catch {
    return { ok: false, why: 'malformed' };
  }
}

export function signActionLink(claims: ActionClaims, secret: string): string {
  return sealed({ a: claims.action, o: claims.orderId, v: claims.version, e: claims.exp }, secret);
}

export type VerifyResult =
  | { readonly ok: true; readonly claims: ActionClaims }
  | { readonly ok: false; readonly why: 'malformed' | 'tampered' | 'expired'; readonly claims?: ActionClaims };

/** Checks the signature first (nothing in a tampered token is trusted), then the expiry. */
export function verifyActionLink(token: string, secret: string, now: Date): VerifyResult {
  const opened = open(token, secret);
  if (!opened.ok) return opened;
  const raw = opened.raw;
  const r = raw as { a?: unknown; o?: unknown; v?: unknown; e?: unknown };
  if (!ACTIONS.includes(r.a as ActionName) || typeof r.o !== 'string' || !Number.isInteger(r.v) || !Number.isInteger(r.e)) {
    return { ok: false, why: 'malformed' };
  }
  const claims: ActionClaims = { action: r.a as ActionName, orderId: r.o, version: r.v as number, exp: r.e as number };
  if (now.getTime() / 1000 >= claims.exp) return { ok: false, why: 'expired', claims };
  return { ok: true, claims };
}

/**
 * The second kind of one-click link (issue 13, docs/decisions/0042): accepting a departure's load
 * plan from the cut-off email. Same token format, same signature, same secret as the reroute
 * links; the payload names the seller and the departure instead of an order, and carries its own
 * action name, so a plan link never verifies as a reroute link (verifyActionLink refuses an
 * action outside ACTIONS) and a reroute link never as a plan link.
 */
export const PLAN_ACTION = 'accept-plan';

export interface PlanActionClaims {
  readonly action: typeof PLAN_ACTION;
  readonly sellerId: string;
  readonly departureId: string;
  /** Epoch seconds after which the link is refused (the departure's cut-off: nothing can be loaded after it). */
  readonly exp: number;
}

/**
 * @example signPlanActionLink({ action: 'accept-plan', sellerId: 'yiwu-goods', departureId: 'R2-2026-12-07', exp: 1765000000 }, secret)
 */
export function signPlanActionLink(claims: PlanActionClaims, secret: string): string {
  return sealed({ a: PLAN_ACTION, s: claims.sellerId, d: claims.departureId, e: claims.exp }, secret);
}

export type PlanVerifyResult =
  | { readonly ok: true; readonly claims: PlanActionClaims }
  | { readonly ok: false; readonly why: 'malformed' | 'tampered' | 'expired'; readonly claims?: PlanActionClaims };

/** As verifyActionLink, for plan links: the signature first, then the shape, then the expiry. */
export function verifyPlanActionLink(token: string, secret: string, now: Date): PlanVerifyResult {
  const opened = open(token, secret);
  if (!opened.ok) return opened;
  const raw = opened.raw;
  const r = raw as { a?: unknown; s?: unknown; d?: unknown; e?: unknown };
  if (r.a !== PLAN_ACTION || typeof r.s !== 'string' || r.s === '' || typeof r.d !== 'string' || r.d === '' || !Number.isInteger(r.e)) {
    return { ok: false, why: 'malformed' };
  }
  const claims: PlanActionClaims = { action: PLAN_ACTION, sellerId: r.s, departureId: r.d, exp: r.e as number };
  if (now.getTime() / 1000 >= claims.exp) return { ok: false, why: 'expired', claims };
  return { ok: true, claims };
}
