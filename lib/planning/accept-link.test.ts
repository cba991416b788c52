import { describe, expect, it } from 'vitest';
import { acceptLink, verifyAcceptLink } from './accept-link.ts';

const KEY = new Uint8Array(32).fill(7);
const OTHER = new Uint8Array(32).fill(8);
const NOW = new Date('2026-12-01T00:00:00Z');
const claims = { sellerId: 'tianmen-garments', departureId: 'R2-2026-12-05', expiresAt: NOW.getTime() / 1000 + 3600 };

function queryOf(url: string): { seller?: string; expires?: string; sig?: string } {
  const q = new URL(url).searchParams;
  return { seller: q.get('seller') ?? undefined, expires: q.get('expires') ?? undefined, sig: q.get('sig') ?? undefined };
}

describe('the one-click accept link', () => {
  it('points at the departure\'s accept confirmation and verifies for that seller until it expires', () => {
    const url = acceptLink('https://api.example/', KEY, claims);
    expect(url.startsWith('https://api.example/v1/plans/R2-2026-12-05/accept?seller=tianmen-garments&expires=')).toBe(true);
    expect(verifyAcceptLink(KEY, 'R2-2026-12-05', queryOf(url), NOW)).toEqual({ ok: true, claims });
    expect(verifyAcceptLink(KEY, 'R2-2026-12-05', queryOf(url), new Date(claims.expiresAt * 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another departure, another seller, a later expiry, another key, and a mangled query', () => {
    const q = queryOf(acceptLink('https://api.example', KEY, claims));
    expect(verifyAcceptLink(KEY, 'R2-2026-12-08', q, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyAcceptLink(KEY, 'R2-2026-12-05', { ...q, seller: 'yiwu-goods' }, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyAcceptLink(KEY, 'R2-2026-12-05', { ...q, expires: String(claims.expiresAt + 86_400) }, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyAcceptLink(OTHER, 'R2-2026-12-05', q, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyAcceptLink(KEY, 'R2-2026-12-05', { ...q, sig: 'short' }, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyAcceptLink(KEY, 'R2-2026-12-05', { seller: q.seller }, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});
