import { describe, expect, it } from 'vitest';
import { signActionLink, verifyActionLink } from './action-link.ts';

const secret = 'x'.repeat(40);
const now = new Date('2026-12-03T01:00:00Z');
const claims = { action: 'reroute', orderId: 'ord_1', version: 2, exp: now.getTime() / 1000 + 3600 } as const;

describe('action links', () => {
  it('round-trips a signed link before its expiry', () => {
    expect(verifyActionLink(signActionLink(claims, secret), secret, now)).toEqual({ ok: true, claims });
  });

  it('refuses a link past its expiry', () => {
    const token = signActionLink(claims, secret);
    expect(verifyActionLink(token, secret, new Date((claims.exp + 1) * 1000))).toMatchObject({ ok: false, why: 'expired' });
  });

  it('refuses a changed order, version or secret as tampered', () => {
    const token = signActionLink(claims, secret);
    const [, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ a: 'reroute', o: 'ord_2', v: 2, e: claims.exp })).toString('base64url');
    expect(verifyActionLink(`${forged}.${sig}`, secret, now)).toEqual({ ok: false, why: 'tampered' });
    expect(verifyActionLink(token, 'y'.repeat(40), now)).toEqual({ ok: false, why: 'tampered' });
    expect(verifyActionLink('nonsense', secret, now)).toEqual({ ok: false, why: 'malformed' });
  });

  it('will not sign with a short secret', () => {
    expect(() => signActionLink(claims, 'short')).toThrow(/at least 32/);
  });
});
