import { createSHA256HMAC, HashFormat } from '@shopify/shopify-api/runtime';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { formatDecisionTable, prepareDelivery, type Delivery } from '../infra/local/replay.ts';
import { signShopify, signStandardWebhook, signWooCommerce } from '../infra/local/sign.ts';

const body = '{"id":820982911946154508,"note":"Grüße 你好","line_items":[{"sku":"TEE-COT","quantity":2}]}';

describe('webhook signers', () => {
  it('signs Shopify as @shopify/shopify-api computes the HMAC', async () => {
    const secret = 'shpss_demo';
    const expected = await createSHA256HMAC(secret, body, HashFormat.Base64);
    expect(signShopify(body, secret)).toEqual({ 'X-Shopify-Hmac-Sha256': expected });
  });

  it('signs WooCommerce with the same HMAC over the raw body, keyed by its own secret', async () => {
    const expected = await createSHA256HMAC('wc_secret', body, HashFormat.Base64);
    expect(signWooCommerce(body, 'wc_secret')['X-WC-Webhook-Signature']).toBe(expected);
    expect(signWooCommerce(body, 'another')['X-WC-Webhook-Signature']).not.toBe(expected);
  });

  it('signs Standard Webhooks so the standardwebhooks package verifies it, and matches its own signing', () => {
    const secret = 'whsec_' + Buffer.from('a demo key of some length').toString('base64');
    const now = new Date();
    const headers = signStandardWebhook(body, secret, { id: 'msg_1', timestamp: now });
    const wh = new Webhook(secret);
    expect(wh.verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers['webhook-signature']).toBe(wh.sign('msg_1', now, body));
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(() => wh.verify(body.replace('2', '3'), headers)).toThrow();
  });
});

describe('preparing a sample delivery', () => {
  const shopify: Delivery = {
    path: '/webhooks/shopify',
    platform: 'shopify',
    shop: 'tianmen-garments.myshopify.com',
    headers: { 'X-Shopify-Topic': 'orders/paid', 'x-shopify-hmac-sha256': 'stale' },
    body: { id: 1, note: 'Grüße' },
  };

  it('sends JSON.stringify(body) byte for byte and a fresh signature that replaces any in the file', () => {
    const req = prepareDelivery(shopify, 'secret');
    expect(req.body).toBe('{"id":1,"note":"Grüße"}');
    const signatures = Object.entries(req.headers).filter(([h]) => h.toLowerCase() === 'x-shopify-hmac-sha256');
    expect(signatures).toEqual([['X-Shopify-Hmac-Sha256', signShopify(req.body, 'secret')['X-Shopify-Hmac-Sha256']]]);
  });

  it('keeps the file\'s headers and fills platform headers it leaves out', () => {
    const req = prepareDelivery(shopify, 'secret');
    expect(req.headers['X-Shopify-Topic']).toBe('orders/paid');
    expect(req.headers['X-Shopify-Shop-Domain']).toBe('tianmen-garments.myshopify.com');
    expect(req.headers['Content-Type']).toBe('application/json');
    expect(req.headers['X-Shopify-Webhook-Id']).toMatch(/^[0-9a-f-]{36}$/);
    // Stable: replaying the same sample is the same delivery, as a platform retry would be.
    expect(prepareDelivery(shopify, 'secret').headers['X-Shopify-Webhook-Id']).toBe(req.headers['X-Shopify-Webhook-Id']);
  });

  it('signs a Standard Webhooks delivery with the file\'s webhook-id and a fresh timestamp', () => {
    const secret = 'whsec_' + Buffer.from('erp key').toString('base64');
    const now = new Date();
    const req = prepareDelivery(
      { path: '/webhooks/orders', platform: 'standard', shop: 'erp', headers: { 'webhook-id': 'msg_file' }, body: { type: 'order.created' } },
      secret,
      now,
    );
    expect(req.headers['webhook-id']).toBe('msg_file');
    expect(new Webhook(secret).verify(req.body, req.headers)).toEqual({ type: 'order.created' });
  });

  it('sends a string body as is (a form-encoded WooCommerce ping)', () => {
    const req = prepareDelivery(
      {
        path: '/webhooks/woocommerce',
        platform: 'woocommerce',
        shop: 'https://shop.example',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'webhook_id=7',
      },
      'wc',
    );
    expect(req.body).toBe('webhook_id=7');
    expect(req.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers['X-WC-Webhook-Source']).toBe('https://shop.example');
  });
});

describe('the decision table', () => {
  it('shows the route, total, ETA and saving of a routed order and the reason of an unroutable one', () => {
    const table = formatDecisionTable([
      {
        file: 'shopify-orders-create.json',
        platform: 'shopify',
        shop: 's',
        orderId: 'ord_a',
        status: 'routed',
        order: {
          orderId: 'ord_a',
          status: 'routed',
          order: { externalId: '5820012349001', orderNumber: '#1042' },
          decision: {
            chosen: {
              routeId: 'warehouse:DE-DUI',
              mode: 'overseas-warehouse',
              cost: { total: 7.4, currency: 'EUR' },
              eta: { earliest: '2026-11-25', latest: '2026-11-27' },
            },
            savingsVsDirect: { amount: 11.25, currency: 'EUR' },
          },
        },
      },
      {
        file: 'standard.json',
        platform: 'standard',
        shop: 'e',
        orderId: 'ord_b',
        status: 'unroutable',
        order: {
          orderId: 'ord_b',
          status: 'unroutable',
          order: { externalId: 'SO-2026-000731' },
          decision: { candidates: [{ routeId: 'direct:epacket', feasible: false, reasons: [{ code: 'battery', message: 'ePacket refuses lithium batteries' }] }] },
        },
      },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^sample\s+number\s+order\s+status/);
    // The seller's number for the order (Shopify's name), else its external id.
    expect(lines[2]).toMatch(/shopify-orders-create\s+#1042\s+ord_a\s+routed\s+overseas-warehouse warehouse:DE-DUI\s+7\.40 EUR\s+2026-11-25\.\.2026-11-27\s+saves 11\.25 EUR/);
    expect(lines[3]).toMatch(/standard\s+SO-2026-000731\s+ord_b\s+unroutable\s+ePacket refuses lithium batteries/);
  });
});
