/**
 * The one-click accept link of the load-plan email: a URL to the accept confirmation of one
 * departure for one seller, signed with HMAC-SHA256 and expiring, so it works from the inbox
 * without an API key and cannot be altered to accept another seller's or another train's plan.
 * The link only opens a confirmation page (GET changes nothing: mail scanners follow links);
 * its button POSTs the same signed query. Self-contained on purpose (docs/decisions/0035): the
 * signed links of other emails may later share one module.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Bumped if the signed text ever changes, so old links fail instead of meaning something else. */
const PURPOSE = 'silkroute.accept-plan.v1';

export interface AcceptLinkClaims {
  readonly sellerId: string;
  readonly departureId: string;
  /** Epoch seconds after which the link is refused. */
  readonly expiresAt: number;
}

function signature(key: Uint8Array, claims: AcceptLinkClaims): string {
  return createHmac('sha256', key)
    .update(`${PURPOSE}\n${claims.sellerId}\n${claims.departureId}\n${claims.expiresAt}`)
    .digest('base64url');
}

/**
 * The accept link for `claims` under the API's base URL.
 * @example acceptLink('https://api.example', key, { sellerId: 'S-TM', departureId: 'R2-2026-12-05', expiresAt: 1764900000 })
 *   // 'https://api.example/v1/plans/R2-2026-12-05/accept?seller=S-TM&expires=1764900000&sig=…'
 */
export function acceptLink(baseUrl: string, key: Uint8Array, claims: AcceptLinkClaims): string {
  const query = new URLSearchParams({ seller: claims.sellerId, expires: String(claims.expiresAt), sig: signature(key, claims) });
  return `${baseUrl.replace(/\/+$/, '')}/v1/plans/${encodeURIComponent(claims.departureId)}/accept?${query.toString()}`;
}

export type LinkCheck =
  | { readonly ok: true; readonly claims: AcceptLinkClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'expired' };

/**
 * Checks a link's query for `departureId` at `now`: the signature first (constant time), then
 * the expiry, so an expired link is only reported as such when it was genuine.
 */
export function verifyAcceptLink(
  key: Uint8Array,
  departureId: string,
  query: { readonly seller?: string | undefined; readonly expires?: string | undefined; readonly sig?: string | undefined },
  now: Date,
): LinkCheck {
  const { seller, expires, sig } = query;
  if (seller === undefined || seller === '' || expires === undefined || !/^\d{1,12}$/.test(expires) || sig === undefined || !/^[A-Za-z0-9_-]{43}$/.test(sig)) {
    return { ok: false, reason: 'malformed' };
  }
  const claims: AcceptLinkClaims = { sellerId: seller, departureId, expiresAt: Number(expires) };
  const expected = Buffer.from(signature(key, claims));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad-signature' };
  if (now.getTime() >= claims.expiresAt * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
