/**
 * Issue 14's "Done when", on the twin: the one-click link in an email reroutes the order once; a
 * second click says it was already used; a tampered link says so and does nothing. The order is a
 * Shopify delivery with a SKU the catalogue lacks (unroutable), so its email carries the link.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '../infra/local/start.ts';

const KEY = 'Bearer demo-key-tianmen-garments-0001';
let twin: Twin;
let dir: string;

interface StoredEmail {
  subject: string;
  body: { text?: string; html?: string };
}
async function emails(): Promise<StoredEmail[]> {
  return ((await (await fetch(`${twin.inboxUrl}/store`)).json()) as { emails: StoredEmail[] }).emails;
}
async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
async function order(orderId: string): Promise<{ status: string; order: { orderNumber?: string }; decision?: { decidedAt: string } }> {
  return (await (await fetch(`${twin.apiUrl}/v1/orders/${orderId}`, { headers: { authorization: KEY } })).json()) as never;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'silkroute-twin-actions-'));
  const sample = JSON.parse(readFileSync('events/webhooks/shopify-orders-create.json', 'utf8'));
  sample.headers['X-Shopify-Webhook-Id'] = 'act14-e2e-1';
  sample.body.id = 5820012349077;
  sample.body.admin_graphql_api_id = 'gid://shopify/Order/5820012349077';
  sample.body.name = '#1077';
  sample.body.order_number = 1077;
  sample.body.line_items = [{ id: 1, sku: 'SCARF-NEW', title: 'Silk scarf', quantity: 1, price: '12.00', requires_shipping: true }];
  writeFileSync(join(dir, 'shopify-unroutable.json'), JSON.stringify(sample));
  twin = await startTwin({ port: 0, sesPort: 0, eventsDir: dir, out: () => {}, err: () => {} });
}, 120_000);

afterAll(async () => {
  await twin?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('a one-click link from an email, on the twin', () => {
  it('opens a confirmation, reroutes once, then says it was used; a tampered copy does nothing', async () => {
    const email = await until('the unroutable email', async () => (await emails()).find((m) => m.subject.includes('#1077')));
    expect(email.subject).toBe('【Silkroute】需处理：订单 #1077 无可用线路');
    expect(email.body.text).not.toContain('5820012349077');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/actions\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(email.body.text ?? '')?.[1];
    expect(link, 'the text body carries the link').toBeDefined();
    expect(email.body.html).toContain(`href="${link}"`);
    const orderId = JSON.parse(Buffer.from(link!.split('/actions/')[1]!.split('.')[0]!, 'base64url').toString('utf8')).o as string;
    const before = await order(orderId);
    expect(before).toMatchObject({ status: 'unroutable', order: { orderNumber: '#1077' } });

    // The click: a page in the seller's language, nothing changed yet (mail scanners fetch links too).
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const confirm = await page.text();
    expect(confirm).toContain('重新为订单 #1077 选择发货路线？');
    expect(confirm).toContain(`<form method="post" action="/actions/`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await order(orderId)).decision?.decidedAt).toBe(before.decision?.decidedAt);

    // The button: the order is routed again, once.
    const done = await fetch(link!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('已提交：订单 #1077 正在重新选路');
    const after = await until('the new decision', async () => {
      const now = await order(orderId);
      return now.decision?.decidedAt !== before.decision?.decidedAt ? now : undefined;
    });
    expect(after.status).toBe('unroutable');
    await until('the second email', async () => ((await emails()).filter((m) => m.subject.includes('#1077')).length === 2 ? true : undefined));

    // A second click, and the button pressed again: already used, nothing rerouted.
    const again = await fetch(link!);
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(/这个链接已经用过（北京时间 \d{4}-\d\d-\d\d \d\d:\d\d），订单 #1077 不会再次重新选路。/);
    const twice = await fetch(link!, { method: 'POST', body: '' });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('这个链接已经用过');

    // A tampered link: another order id under the old signature. Refused, in both languages.
    const [payload, signature] = link!.split('/actions/')[1]!.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, v: claims.v + 1 })).toString('base64url');
    for (const method of ['GET', 'POST']) {
      const tampered = await fetch(`${twin.apiUrl}/actions/${forged}.${signature}`, { method });
      expect(tampered.status).toBe(400);
      const text = await tampered.text();
      expect(text).toContain('这个链接无效（可能被改动或复制不完整），未做任何操作。');
      expect(text).toContain('This link is not valid (changed or cut short); nothing was done.');
      expect(text).not.toContain('<form');
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await order(orderId)).decision?.decidedAt).toBe(after.decision?.decidedAt);
    expect((await emails()).filter((m) => m.subject.includes('#1077'))).toHaveLength(2);
  }, 90_000);
});
