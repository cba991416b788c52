/**
 * `npm start` says what happens after `ready:`: the twin started in-process, its sample webhooks
 * replayed, and one line each for every webhook received, decision made and email sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '#infra/local/start.ts';
import { decisionLine, emailLine, webhookLine } from '#infra/local/reporter.ts';

let twin: Twin;
const lines: string[] = [];

beforeAll(async () => {
  twin = await startTwin({ port: 0, sesPort: 0, out: (line) => lines.push(line), err: () => {} });
}, 90_000);
afterAll(async () => {
  await twin?.stop();
});

async function until(test: () => boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end && !test(); ) await new Promise((r) => setTimeout(r, 100));
}

describe('the console reporter of the twin', () => {
  it('prints one line per webhook received, decision made and email sent', async () => {
    const of = (word: string) => lines.filter((l) => l.startsWith(`${word} `));
    await until(() => of('email').length >= of('decision').length && of('decision').length >= 3);
    const webhooks = of('webhook');
    expect(webhooks.length).toBeGreaterThanOrEqual(3);
    for (const line of webhooks) expect(line).toMatch(/^webhook +(shopify|woocommerce|orders) \S+ → 200 accepted ord_[a-z2-7]+$/);
    const decisions = of('decision');
    const decided = new Set(decisions.map((l) => l.split(' · ').at(-1)));
    // One line per decision: a redelivered message decides nothing new and prints nothing.
    expect(decided.size).toBe(decisions.length);
    for (const line of decisions) expect(line).toMatch(/^decision (routed \S+ \S+ \d+\.\d{2} [A-Z]{3}, eta \d{4}-\d{2}-\d{2}|unroutable: .+) · ord_/);
    const emails = of('email');
    expect(emails.length).toBe(decisions.length);
    for (const line of emails) expect(line).toMatch(/^email +to \S+@\S+: .+/);
  });

  it('words each line for people', () => {
    expect(webhookLine({ rawPath: '/webhooks/shopify', headers: { 'X-Shopify-Shop-Domain': 'a.myshopify.com' } }, { statusCode: 401, body: '{"error":{"code":"invalid-signature","message":"The signature does not match."}}' })).toBe(
      'webhook  shopify a.myshopify.com → 401 invalid-signature: The signature does not match.',
    );
    expect(emailLine({ destination: { to: ['a@b.cn'] }, subject: '订单 #1042 已安排' })).toBe('email    to a@b.cn: 订单 #1042 已安排');
    expect(
      decisionLine({ orderId: 'ord_x', status: 'failed', note: 'routing failed 5 times: boom', decisionVersion: 0 } as never),
    ).toBe('decision failed: routing failed 5 times: boom · ord_x');
  });
});
