import { describe, expect, it } from 'vitest';
import { verifyActionLink } from '#shared/action-link.ts';
import { scenario, NOW } from './fixtures.ts';
import { createDecisionMailer, rerouteLink } from './mailer.ts';
import type { RenderedEmail } from './render.ts';

const SECRET = 'k'.repeat(48);

describe('the decision mailer with one-click links', () => {
  it("signs a link to the API that verifies for this order at this decision version, for 7 days", async () => {
    const record = { orderId: 'ord_x', decisionVersion: 3 };
    const link = await rerouteLink({ baseUrl: 'https://api.silkroute.example/', secret: async () => SECRET }, record, NOW);
    const match = /^https:\/\/api\.silkroute\.example\/actions\/([^/]+)$/.exec(link);
    expect(match).not.toBeNull();
    const verified = verifyActionLink(match![1]!, SECRET, NOW);
    expect(verified).toEqual({ ok: true, claims: { action: 'reroute', orderId: 'ord_x', version: 3, exp: Math.floor(NOW.getTime() / 1000) + 7 * 86_400 } });
    expect(verifyActionLink(match![1]!, SECRET, new Date(NOW.getTime() + 7 * 86_400_000 + 1000))).toMatchObject({ ok: false, why: 'expired' });
    expect(verifyActionLink(match![1]!, 'o'.repeat(48), NOW)).toMatchObject({ ok: false, why: 'tampered' });
  });

  it('puts the link in the email it sends, and none without a signer', async () => {
    const sent: RenderedEmail[] = [];
    const input = scenario('unroutable', 'en');
    const signer = { baseUrl: 'https://api.silkroute.example', secret: async () => SECRET };
    await createDecisionMailer(async (email) => (sent.push(email), 'm-1'), signer).send(input);
    await createDecisionMailer(async (email) => (sent.push(email), 'm-2')).send(input);
    expect(sent[0]!.text).toMatch(/Reroute this order: https:\/\/api\.silkroute\.example\/actions\/[\w-]+\.[\w-]{43}/);
    expect(sent[1]!.text).not.toContain('/actions/');
  });
});
