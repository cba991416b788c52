import { describe, expect, it } from 'vitest';
import { signActionLink, signPlanActionLink, verifyActionLink, verifyPlanActionLink } from './action-link.ts';

const secret = 'k'.repeat(40);
const now = new Date('2026-12-01T00:00:00Z');
const claims = { action: 'accept-plan', sellerId: 'tianmen-garments', departureId: 'R2-2026-12-05', exp: now.getTime() / 1000 + 3600 } as const;

const forge = (payload: object, token: string) => `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${token.split('.')[1]}`;

describe('plan accept links (the second action kind of lib/shared/action-link.ts)', () => {
  it('verifies for that seller and departure until it expires', () => {
    const token = signPlanActionLink(claims, secret);
    expect(verifyPlanActionLink(token, secret, now)).toEqual({ ok: true, claims });
    expect(verifyPlanActionLink(token, secret, new Date(claims.exp * 1000))).toEqual({ ok: false, why: 'expired', claims });
  });

  it('refuses another departure, another seller, a later expiry and another secret as tampered', () => {
    const token = signPlanActionLink(claims, secret);
    expect(verifyPlanActionLink(forge({ a: 'accept-plan', s: claims.sellerId, d: 'R2-2026-12-08', e: claims.exp }, token), secret, now)).toEqual({ ok: false, why: 'tampered' });
    expect(verifyPlanActionLink(forge({ a: 'accept-plan', s: 'yiwu-goods', d: claims.departureId, e: claims.exp }, token), secret, now)).toEqual({ ok: false, why: 'tampered' });
    expect(verifyPlanActionLink(forge({ a: 'accept-plan', s: claims.sellerId, d: claims.departureId, e: claims.exp + 86_400 }, token), secret, now)).toEqual({ ok: false, why: 'tampered' });
    expect(verifyPlanActionLink(token, 'j'.repeat(40), now)).toEqual({ ok: false, why: 'tampered' });
    expect(verifyPlanActionLink(`${token}x`, secret, now)).toEqual({ ok: false, why: 'malformed' });
    expect(verifyPlanActionLink('', secret, now)).toEqual({ ok: false, why: 'malformed' });
  });

  it('never verifies a plan link as a reroute link, nor a reroute link as a plan link', () => {
    const plan = signPlanActionLink(claims, secret);
    expect(verifyActionLink(plan, secret, now)).toEqual({ ok: false, why: 'malformed' });
    const reroute = signActionLink({ action: 'reroute', orderId: 'ord_1', version: 1, exp: claims.exp }, secret);
    expect(verifyPlanActionLink(reroute, secret, now)).toEqual({ ok: false, why: 'malformed' });
  });

  it('will not sign with a short secret', () => {
    expect(() => signPlanActionLink(claims, 'short')).toThrow(/at least 32/);
  });
});
