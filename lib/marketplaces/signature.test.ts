import '@shopify/shopify-api/adapters/web-api';
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';
import { HashFormat, createSHA256HMAC } from '@shopify/shopify-api/runtime';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { HttpError } from '#http/errors.ts';
import { verifyBodyHmac, verifyStandardWebhook } from './signature.ts';
import { signBody, signStandard } from './testing.ts';

const SHOP_SECRET = 'shpss_demo-secret-for-tests';
const OLD_SECRET = 'shpss_rotated-out-secret';
const body = JSON.stringify({ id: 5820012345678, line_items: [{ sku: 'TEE-COT', quantity: 2, price: '9.90' }], note: '你好 ü' });
const raw = Buffer.from(body, 'utf8');

function code(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(401);
    return (error as HttpError).code;
  }
}

describe('Shopify HMAC against @shopify/shopify-api', () => {
  const shopify = shopifyApi({
    apiKey: 'test-key',
    apiSecretKey: SHOP_SECRET,
    scopes: [],
    hostName: 'silkroute.example',
    apiVersion: ApiVersion.October25,
    isEmbeddedApp: false,
    logger: { level: LogSeverity.Error, log: async () => {} },
  });
  const headersFor = (hmac: string) => ({
    'X-Shopify-Hmac-Sha256': hmac,
    'X-Shopify-Topic': 'orders/create',
    'X-Shopify-Shop-Domain': 'tianmen-garments.myshopify.com',
    'X-Shopify-API-Version': '2025-10',
    'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'Content-Type': 'application/json',
  });

  it('Shopify accepts what we sign', async () => {
    const result = await shopify.webhooks.validate({
      rawBody: body,
      rawRequest: new Request('https://silkroute.example/webhooks/shopify', { method: 'POST', headers: headersFor(signBody(raw, SHOP_SECRET)), body }),
    });
    expect(result.valid).toBe(true);
  });

  it('Shopify refuses what we sign with another secret (so the check above can fail)', async () => {
    const result = await shopify.webhooks.validate({
      rawBody: body,
      rawRequest: new Request('https://silkroute.example/webhooks/shopify', { method: 'POST', headers: headersFor(signBody(raw, 'wrong')), body }),
    });
    expect(result.valid).toBe(false);
  });

  it('we accept what Shopify signs, with the current or the previous secret', async () => {
    const byShopify = await createSHA256HMAC(SHOP_SECRET, body, HashFormat.Base64);
    expect(code(() => verifyBodyHmac(raw, byShopify, { current: SHOP_SECRET }, 'X-Shopify-Hmac-Sha256'))).toBeUndefined();
    const byShopifyOld = await createSHA256HMAC(OLD_SECRET, body, HashFormat.Base64);
    expect(code(() => verifyBodyHmac(raw, byShopifyOld, { current: SHOP_SECRET, previous: OLD_SECRET }, 'X-Shopify-Hmac-Sha256'))).toBeUndefined();
    expect(code(() => verifyBodyHmac(raw, byShopifyOld, { current: SHOP_SECRET }, 'X-Shopify-Hmac-Sha256'))).toBe('invalid-signature');
  });

  it('refuses a wrong secret, a missing header and a re-serialised body', async () => {
    const signature = signBody(raw, SHOP_SECRET);
    expect(code(() => verifyBodyHmac(raw, signBody(raw, 'other'), { current: SHOP_SECRET }, 'h'))).toBe('invalid-signature');
    expect(code(() => verifyBodyHmac(raw, undefined, { current: SHOP_SECRET }, 'h'))).toBe('missing-signature');
    expect(code(() => verifyBodyHmac(raw, '', { current: SHOP_SECRET }, 'h'))).toBe('missing-signature');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body), null, 1));
    expect(code(() => verifyBodyHmac(reserialised, signature, { current: SHOP_SECRET }, 'h'))).toBe('invalid-signature');
    // A signature of a different length never reaches timingSafeEqual (which would throw).
    expect(code(() => verifyBodyHmac(raw, 'abc', { current: SHOP_SECRET }, 'h'))).toBe('invalid-signature');
  });
});

describe('Standard Webhooks against the standardwebhooks package', () => {
  const secret = `whsec_${Buffer.from('a-32-byte-key-for-the-erp-tests!').toString('base64')}`;
  const previous = `whsec_${Buffer.from('the-key-being-rotated-out-now!!!').toString('base64')}`;
  const now = new Date('2026-11-22T08:00:00Z');
  const ts = Math.floor(now.getTime() / 1000);
  const headers = (signature: string, timestamp = ts, id = 'msg_2Kx9') => ({ id, timestamp: String(timestamp), signature });

  it('the package accepts what we sign (checked at its own clock)', () => {
    const fresh = Math.floor(Date.now() / 1000);
    const signature = signStandard('msg_1', fresh, raw, secret);
    const wh = new Webhook(secret);
    expect(wh.verify(raw, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(fresh), 'webhook-signature': signature })).toEqual(JSON.parse(body));
    expect(() => new Webhook(previous).verify(raw, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(fresh), 'webhook-signature': signature })).toThrow();
  });

  it('we accept what the package signs, with either secret, among several signatures', () => {
    const signature = new Webhook(secret).sign('msg_2Kx9', now, raw);
    expect(code(() => verifyStandardWebhook(raw, headers(signature), { current: secret }, now))).toBeUndefined();
    const old = new Webhook(previous).sign('msg_2Kx9', now, raw);
    expect(code(() => verifyStandardWebhook(raw, headers(`v1,bm9wZQ== ${old}`), { current: secret, previous }, now))).toBeUndefined();
    expect(code(() => verifyStandardWebhook(raw, headers(old), { current: secret }, now))).toBe('invalid-signature');
  });

  it('refuses a stale or future timestamp (±5 minutes), and accepts the edge', () => {
    const at = (t: number) => new Webhook(secret).sign('msg_2Kx9', new Date(t * 1000), raw);
    expect(code(() => verifyStandardWebhook(raw, headers(at(ts - 301), ts - 301), { current: secret }, now))).toBe('stale-timestamp');
    expect(code(() => verifyStandardWebhook(raw, headers(at(ts + 301), ts + 301), { current: secret }, now))).toBe('stale-timestamp');
    expect(code(() => verifyStandardWebhook(raw, headers(at(ts - 300), ts - 300), { current: secret }, now))).toBeUndefined();
  });

  it('refuses a missing header, a malformed timestamp, a changed id and a changed body', () => {
    const signature = new Webhook(secret).sign('msg_2Kx9', now, raw);
    expect(code(() => verifyStandardWebhook(raw, { ...headers(signature), id: undefined }, { current: secret }, now))).toBe('missing-signature');
    expect(code(() => verifyStandardWebhook(raw, { ...headers(signature), signature: undefined }, { current: secret }, now))).toBe('missing-signature');
    expect(code(() => verifyStandardWebhook(raw, { ...headers(signature), timestamp: '1.7e9' }, { current: secret }, now))).toBe('invalid-timestamp');
    expect(code(() => verifyStandardWebhook(raw, headers(signature, ts, 'msg_other'), { current: secret }, now))).toBe('invalid-signature');
    expect(code(() => verifyStandardWebhook(Buffer.from(`${body} `), headers(signature), { current: secret }, now))).toBe('invalid-signature');
    // The v1 scheme only: a bare signature without its version is not accepted.
    expect(code(() => verifyStandardWebhook(raw, headers(signature.slice(3)), { current: secret }, now))).toBe('invalid-signature');
  });
});
