import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '#shared/definitions.ts';
import type { ConnectionStore, ResolvedConnection } from '#store/connections.ts';
import type { Intake, IntakeResult } from '#orders/intake.ts';
import type { IntakeInput } from '#store/intake.ts';
import type { Platform } from '#network/schemas.ts';
import { createWebhookHandler, deliveryKeyOf, MAX_DELIVERY_ID_CHARS, UNAUTHORIZED_MESSAGE } from './webhook.ts';
import { apigwEvent, signBody } from './testing.ts';
import { tiktokWebhookSignature } from './tiktok-shop.ts';
import { canonicalOrderId } from '#shared/order-id.ts';

const demo = JSON.parse(readFileSync(new URL('../../data/demo/connections.json', import.meta.url), 'utf8')) as {
  platform: Platform;
  shop: string;
  sellerId: string;
  secret: string;
}[];
const apigw = (name: string): APIGatewayProxyEventV2 => JSON.parse(readFileSync(new URL(`../../events/apigw/${name}`, import.meta.url), 'utf8'));
const STANDARD_TIME = new Date('2026-11-23T02:55:00Z');

function fakeConnections(overrides: Partial<Record<string, { current: string; previous?: string }>> = {}, fresh?: { current: string }) {
  const refreshed: string[] = [];
  const store: ConnectionStore = {
    async get(platform, shop) {
      const c = demo.find((x) => x.platform === platform && x.shop === shop);
      if (c === undefined) return undefined;
      return { platform, shop, sellerId: c.sellerId, secretName: `p/${platform}/${shop}`, secrets: overrides[platform] ?? { current: c.secret } };
    },
    async refresh(connection: ResolvedConnection) {
      refreshed.push(connection.shop);
      return fresh === undefined ? undefined : { ...connection, secrets: fresh };
    },
  };
  return { store, refreshed };
}

function fakeIntake(answer: (input: IntakeInput) => Promise<IntakeResult> | IntakeResult = (i) => ({ outcome: 'accepted', orderId: i.order.orderId, status: i.status, queue: 'sent' })) {
  const calls: IntakeInput[] = [];
  const intake: Intake = {
    async record(input) {
      calls.push(input);
      return answer(input);
    },
  };
  return { intake, calls };
}

function setup(options: { answer?: Parameters<typeof fakeIntake>[0]; now?: Date; secrets?: Parameters<typeof fakeConnections>[0]; fresh?: { current: string } } = {}) {
  const { store, refreshed } = fakeConnections(options.secrets, options.fresh);
  const { intake, calls } = fakeIntake(options.answer);
  const logs: string[] = [];
  const handle = createWebhookHandler({ connections: store, intake, clock: () => options.now ?? new Date('2026-11-23T02:05:08Z'), log: (l) => logs.push(l) });
  return { handle, calls, refreshed, logs };
}
const bodyOf = (r: { body?: string }) => JSON.parse(r.body ?? 'null');

describe('webhook handler', () => {
  it('accepts each signed sample and records it for the connection seller', async () => {
    const { handle, calls } = setup();
    for (const [file, platform, sellerId, now] of [
      ['webhook-shopify-orders-create.json', 'shopify', 'tianmen-garments', undefined],
      ['webhook-woocommerce-order-created.json', 'woocommerce', 'yiwu-goods', undefined],
      ['webhook-standard-order-created.json', 'standard', 'yiwu-goods', STANDARD_TIME],
    ] as const) {
      const { handle: h, calls: c } = now === undefined ? { handle, calls } : setup({ now });
      const result = await h(apigw(file));
      expect(result.statusCode, file).toBe(200);
      const last = c.at(-1)!;
      expect(bodyOf(result)).toEqual({ orderId: last.order.orderId, status: 'accepted' });
      expect(last.source.platform).toBe(platform);
      expect(last.order.sellerId).toBe(sellerId);
      // WooCommerce's delivery id repeats within a second (see woocommerce.ts): only the others dedup on it.
      expect(last.deliveryId === undefined, file).toBe(platform === 'woocommerce');
    }
  });

  it('a forged or missing signature is a 401 and records nothing; the reason is logged, not answered', async () => {
    const { handle, calls, logs } = setup();
    const forged = apigw('webhook-shopify-orders-create.json');
    forged.headers['x-shopify-hmac-sha256'] = signBody(forged.body!, 'not-the-secret');
    const r1 = await handle(forged);
    expect(r1.statusCode).toBe(401);
    expect(bodyOf(r1)).toEqual({ error: { code: 'unauthorized', message: UNAUTHORIZED_MESSAGE } });
    const unsigned = apigw('webhook-woocommerce-order-created.json');
    delete unsigned.headers['x-wc-webhook-signature'];
    expect(bodyOf(await handle(unsigned))).toEqual({ error: { code: 'unauthorized', message: UNAUTHORIZED_MESSAGE } });
    expect(calls).toHaveLength(0);
    expect(logs.map((l) => JSON.parse(l).reason)).toEqual(['invalid-signature', 'missing-signature']);
  });

  it('an unknown shop and a bad signature get the very same 401: status, headers and body', async () => {
    const { handle, logs } = setup();
    const forged = apigw('webhook-shopify-orders-create.json');
    forged.headers['x-shopify-hmac-sha256'] = signBody(forged.body!, 'not-the-secret');
    const stranger = apigw('webhook-shopify-orders-create.json');
    stranger.headers['x-shopify-shop-domain'] = 'stranger.myshopify.com';
    const longShop = apigw('webhook-shopify-orders-create.json');
    longShop.headers['x-shopify-shop-domain'] = `${'x'.repeat(300)}.myshopify.com`;
    const answers = await Promise.all([forged, stranger, longShop].map((e) => handle(e)));
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]!.statusCode).toBe(401);
    expect(logs.map((l) => JSON.parse(l).reason).sort()).toEqual(['invalid-signature', 'unknown-shop', 'unknown-shop']);
  });

  it('a stale Standard Webhooks timestamp is a 401 (the sample event is stale by design)', async () => {
    const { handle, calls } = setup({ now: new Date(STANDARD_TIME.getTime() + 6 * 60_000) });
    const result = await handle(apigw('webhook-standard-order-created.json'));
    expect(result.statusCode).toBe(401);
    expect(bodyOf(result)).toEqual({ error: { code: 'unauthorized', message: UNAUTHORIZED_MESSAGE } });
    expect(calls).toHaveLength(0);
  });

  it('verifies a base64-encoded body on its decoded bytes, and headers in any case', async () => {
    const { handle, calls } = setup();
    const event = apigw('webhook-shopify-orders-create.json');
    const mixed = Object.fromEntries(Object.entries(event.headers).map(([k, v], i) => [i % 2 === 0 ? k.toUpperCase() : k.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()), v]));
    const result = await handle({ ...event, headers: mixed, body: Buffer.from(event.body!).toString('base64'), isBase64Encoded: true });
    expect(result.statusCode).toBe(200);
    expect(calls[0]!.source.shop).toBe('tianmen-garments.myshopify.com');
  });

  it('a re-serialised body no longer matches its signature', async () => {
    const { handle } = setup();
    const event = apigw('webhook-shopify-orders-create.json');
    const result = await handle({ ...event, body: JSON.stringify(JSON.parse(event.body!), null, 2) });
    expect(result.statusCode).toBe(401);
  });

  it('during rotation a failed signature looks up the secrets once more before refusing', async () => {
    const shopifySecret = demo.find((c) => c.platform === 'shopify')!.secret;
    const stale = setup({ secrets: { shopify: { current: 'cached-old-secret' } }, fresh: { current: shopifySecret } });
    expect((await stale.handle(apigw('webhook-shopify-orders-create.json'))).statusCode).toBe(200);
    expect(stale.refreshed).toEqual(['tianmen-garments.myshopify.com']);
    const gone = setup({ secrets: { shopify: { current: 'cached-old-secret' } } });
    expect((await gone.handle(apigw('webhook-shopify-orders-create.json'))).statusCode).toBe(401);
  });

  it('answers the unsigned WooCommerce ping with 200 and records nothing', async () => {
    const { handle, calls } = setup();
    const result = await handle(apigw('webhook-woocommerce-ping.json'));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ status: 'ok' });
    expect(calls).toHaveLength(0);
  });

  it('names the problem of every refusal: 413, 415, unknown shop, missing shop header, bad payload, 404, 405', async () => {
    const { handle, calls } = setup();
    const event = apigw('webhook-shopify-orders-create.json');
    const cases: [APIGatewayProxyEventV2, number, string, RegExp][] = [
      [{ ...event, body: 'x'.repeat(MAX_BODY_BYTES + 1) }, 413, 'payload-too-large', /larger than 262144 bytes/],
      [{ ...event, headers: { ...event.headers, 'content-type': 'text/plain' } }, 415, 'unsupported-media-type', /text\/plain/],
      [{ ...event, headers: { ...event.headers, 'x-shopify-shop-domain': 'stranger.myshopify.com' } }, 401, 'unauthorized', /^The delivery could not be authenticated/],
      [{ ...event, headers: { ...event.headers, 'x-shopify-shop-domain': '' } }, 401, 'unknown-shop', /X-Shopify-Shop-Domain/],
      [apigwEvent({ path: '/webhooks/nope', body: '{}' }), 404, 'not-found', /\/webhooks\/nope/],
      [{ ...event, requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method: 'PUT' } } }, 405, 'method-not-allowed', /PUT/],
    ];
    for (const [e, status, code, message] of cases) {
      const result = await handle(e);
      expect(result.statusCode, code).toBe(status);
      expect(bodyOf(result).error.code).toBe(code);
      expect(bodyOf(result).error.message).toMatch(message);
    }
    const secret = demo.find((c) => c.platform === 'shopify')!.secret;
    const bad = JSON.parse(event.body!);
    bad.line_items[1].quantity = 0;
    const badBody = JSON.stringify(bad);
    const r = await handle({ ...event, body: badBody, headers: { ...event.headers, 'x-shopify-hmac-sha256': signBody(badBody, secret) } });
    expect(r.statusCode).toBe(400);
    expect(bodyOf(r).error).toEqual({
      code: 'invalid-payload',
      message: 'line_items[1].quantity: must be at least 1',
      details: [{ path: 'line_items[1].quantity', message: 'must be at least 1' }],
    });
    const notJson = '{"id": 1,';
    const r2 = await handle({ ...event, body: notJson, headers: { ...event.headers, 'x-shopify-hmac-sha256': signBody(notJson, secret) } });
    expect(r2.statusCode).toBe(400);
    expect(bodyOf(r2).error.code).toBe('invalid-json');
    expect(calls).toHaveLength(0);
  });

  it('keeps every id it records within a table key: a delivery id over 200 characters becomes its digest, the same for each retry', async () => {
    const { handle, calls } = setup();
    const event = apigw('webhook-shopify-orders-create.json');
    const long = 'd'.repeat(3000);
    for (const id of ['short-id', long, long]) {
      expect((await handle({ ...event, headers: { ...event.headers, 'x-shopify-webhook-id': id } })).statusCode).toBe(200);
    }
    expect(calls.map((c) => c.deliveryId)).toEqual(['short-id', deliveryKeyOf(long), deliveryKeyOf(long)]);
    expect(deliveryKeyOf(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(deliveryKeyOf('x'.repeat(MAX_DELIVERY_ID_CHARS))).toBe('x'.repeat(MAX_DELIVERY_ID_CHARS));
  });

  it('a duplicate answers 200 duplicate; a conflicting copy 409 naming what differs', async () => {
    const dup = setup({ answer: (i) => ({ outcome: 'duplicate', orderId: i.order.orderId, status: 'routed', queue: 'not-needed' }) });
    const r = await dup.handle(apigw('webhook-shopify-orders-create.json'));
    expect(bodyOf(r)).toEqual({ orderId: dup.calls[0]!.order.orderId, status: 'duplicate' });
    const conflict = setup({ answer: (i) => ({ outcome: 'conflict', orderId: i.order.orderId, status: 'routed', differences: ['lines'] }) });
    const c = await conflict.handle(apigw('webhook-shopify-orders-create.json'));
    expect(c.statusCode).toBe(409);
    expect(bodyOf(c).error).toMatchObject({ code: 'conflict', details: { differences: ['lines'] } });
    expect(bodyOf(c).error.message).toMatch(/different lines/);
  });

  it('a delivery id that intake already holds for another order is a 409, not a duplicate that drops this one', async () => {
    const reused = setup({ answer: () => ({ outcome: 'duplicate', orderId: 'ord_theearlierorder', status: 'routed', queue: 'not-needed' }) });
    const event = apigw('webhook-shopify-orders-create.json');
    const r = await reused.handle(event);
    expect(r.statusCode).toBe(409);
    expect(bodyOf(r).error).toMatchObject({ code: 'delivery-id-reused', details: { deliveryId: event.headers['x-shopify-webhook-id'], orderId: 'ord_theearlierorder' } });
  });

  it('ignores topics it does not handle with a 200', async () => {
    const { handle, calls } = setup();
    const event = apigw('webhook-shopify-orders-create.json');
    const r = await handle({ ...event, headers: { ...event.headers, 'x-shopify-topic': 'orders/fulfilled' } });
    expect(r.statusCode).toBe(200);
    expect(bodyOf(r)).toEqual({ status: 'ignored', message: 'topic orders/fulfilled is not handled' });
    expect(calls).toHaveLength(0);
  });

  describe('signed orders that are real but odd are never answered 400 (Shopify retries 8 times, WooCommerce disables the hook)', () => {
    const secretOf = (platform: Platform) => demo.find((c) => c.platform === platform)!.secret;
    function resigned(file: string, header: string, platform: Platform, edit: (body: any) => void): APIGatewayProxyEventV2 {
      const event = apigw(file);
      const payload = JSON.parse(event.body!);
      edit(payload);
      const body = JSON.stringify(payload);
      return { ...event, body, headers: { ...event.headers, [header]: signBody(body, secretOf(platform)) } };
    }

    it('a Shopify custom line without a SKU: 200 accepted, recorded under no-sku:<line item id>', async () => {
      const { handle, calls } = setup();
      const event = resigned('webhook-shopify-orders-create.json', 'x-shopify-hmac-sha256', 'shopify', (b) => {
        b.line_items[1].sku = null;
      });
      const r = await handle(event);
      expect([r.statusCode, bodyOf(r).status]).toEqual([200, 'accepted']);
      expect(calls[0]!.order.lines.map((l) => l.sku)).toEqual(['TEE-COT', 'no-sku:14002', 'HOODIE']);
    });

    it('a WooCommerce order with the empty shipping address WooCommerce sends for virtual goods: 200 ignored naming why, nothing recorded, a log line', async () => {
      const { handle, calls, logs } = setup();
      const event = resigned('webhook-woocommerce-order-created.json', 'x-wc-webhook-signature', 'woocommerce', (b) => {
        b.shipping = { ...b.shipping, address_1: '', city: '', country: '', postcode: '' };
      });
      const r = await handle(event);
      expect(r.statusCode).toBe(200);
      expect(bodyOf(r)).toEqual({ status: 'ignored', message: 'WooCommerce order 10502 has no shipping address (virtual products or local pickup): nothing to ship.' });
      expect(calls).toHaveLength(0);
      expect(logs.map((l) => JSON.parse(l))).toContainEqual(
        expect.objectContaining({ level: 'INFO', message: 'delivery ignored', platform: 'woocommerce', reason: expect.stringMatching(/order 10502 has no shipping address/) }),
      );
    });

    it('a Shopify order of tips and gift cards only: 200 ignored, nothing recorded', async () => {
      const { handle, calls } = setup();
      const event = resigned('webhook-shopify-orders-create.json', 'x-shopify-hmac-sha256', 'shopify', (b) => {
        for (const line of b.line_items) line.requires_shipping = false;
      });
      const r = await handle(event);
      expect([r.statusCode, bodyOf(r).status]).toEqual([200, 'ignored']);
      expect(bodyOf(r).message).toMatch(/no line item that requires shipping/);
      expect(calls).toHaveLength(0);
    });
  });

  describe('faults that are ours', () => {
    const down = () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'TransientError' });
    };
    const notQueued = (i: IntakeInput): IntakeResult => ({ outcome: 'accepted', orderId: i.order.orderId, status: 'received', queue: 'failed', queueError: new Error('SQS down') });

    it('nothing recorded (DynamoDB down): 503 for every platform, WooCommerce included', async () => {
      for (const [file, now] of [
        ['webhook-shopify-orders-create.json', undefined],
        ['webhook-woocommerce-order-created.json', undefined],
        ['webhook-standard-order-created.json', STANDARD_TIME],
      ] as const) {
        const { handle, logs } = setup({ answer: down, ...(now ? { now } : {}) });
        const r = await handle(apigw(file));
        expect(r.statusCode, file).toBe(503);
        expect(bodyOf(r).error.code).toBe('service-unavailable');
        expect(r.body).not.toMatch(/ECONNREFUSED|at .*\.ts/);
        expect(logs.join('\n')).toMatch(/ECONNREFUSED/);
      }
    });

    it('recorded but not queued (SQS down): 503 where the sender retries, 200 for WooCommerce', async () => {
      const shopify = setup({ answer: notQueued });
      expect((await shopify.handle(apigw('webhook-shopify-orders-create.json'))).statusCode).toBe(503);
      const standard = setup({ answer: notQueued, now: STANDARD_TIME });
      expect((await standard.handle(apigw('webhook-standard-order-created.json'))).statusCode).toBe(503);
      const woo = setup({ answer: notQueued });
      const r = await woo.handle(apigw('webhook-woocommerce-order-created.json'));
      expect(r.statusCode).toBe(200);
      expect(bodyOf(r).status).toBe('accepted');
      expect(woo.logs.join('\n')).toMatch(/recorded but not queued/);
    });

    it('the connection lookup failing is a 503, not a 401', async () => {
      const { intake } = fakeIntake();
      const handle = createWebhookHandler({
        connections: { get: async () => Promise.reject(new Error('Secrets Manager unreachable')), refresh: async () => undefined },
        intake,
        log: () => {},
      });
      expect((await handle(apigw('webhook-shopify-orders-create.json'))).statusCode).toBe(503);
    });
  });
});

describe('cancellations through the webhooks', () => {
  /** The signed sample, re-sent under another topic / status, signed again with the shop's secret. */
  function resigned(file: string, platform: Platform, edit: (body: Record<string, unknown>) => Record<string, unknown>, headers: Record<string, string>) {
    const event = apigw(file);
    const raw = event.isBase64Encoded ? Buffer.from(event.body!, 'base64').toString('utf8') : event.body!;
    const body = JSON.stringify(edit(JSON.parse(raw) as Record<string, unknown>));
    const secret = demo.find((c) => c.platform === platform)!.secret;
    const signatureHeader = platform === 'shopify' ? 'x-shopify-hmac-sha256' : 'x-wc-webhook-signature';
    const lower = Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k.toLowerCase(), v!]));
    return { ...event, isBase64Encoded: false, body, headers: { ...lower, ...headers, [signatureHeader]: signBody(body, secret) } };
  }

  it('Shopify orders/cancelled and WooCommerce status cancelled cancel the canonical order for the connection seller, recording nothing new', async () => {
    const cancelled: { orderId: string; sellerId: string }[] = [];
    const { store } = fakeConnections();
    const { intake, calls } = fakeIntake();
    const handle = createWebhookHandler({
      connections: store,
      intake,
      clock: () => new Date('2026-11-23T02:05:08Z'),
      log: () => {},
      cancel: async (input) => {
        cancelled.push({ orderId: input.orderId, sellerId: input.sellerId });
        return { kind: 'done' };
      },
    });
    const created = await handle(apigw('webhook-shopify-orders-create.json'));
    const shopifyOrderId = bodyOf(created).orderId as string;
    const shopify = await handle(resigned('webhook-shopify-orders-create.json', 'shopify', (b) => ({ ...b, cancelled_at: '2026-11-23T03:00:00Z', cancel_reason: 'customer' }), { 'x-shopify-topic': 'orders/cancelled' }));
    expect(shopify.statusCode).toBe(200);
    expect(bodyOf(shopify)).toEqual({ orderId: shopifyOrderId, status: 'cancelled' });
    const woo = await handle(resigned('webhook-woocommerce-order-created.json', 'woocommerce', (b) => ({ ...b, status: 'cancelled' }), { 'x-wc-webhook-topic': 'order.updated' }));
    expect(woo.statusCode).toBe(200);
    expect(bodyOf(woo).status).toBe('cancelled');
    expect(cancelled).toEqual([
      { orderId: shopifyOrderId, sellerId: 'tianmen-garments' },
      { orderId: bodyOf(woo).orderId, sellerId: 'yiwu-goods' },
    ]);
    expect(calls).toHaveLength(1); // only the creation was recorded
  });
});

describe('TikTok Shop webhooks (thin notifications, ADR 0043)', () => {
  const tiktok = JSON.parse(readFileSync(new URL('../../data/demo/connections.json', import.meta.url), 'utf8')).find((c: { platform: string }) => c.platform === 'tiktok-shop') as {
    shop: string;
    sellerId: string;
    secret: string;
    credentials: { appKey: string };
  };
  const hook = JSON.parse(readFileSync(new URL('./fixtures/tiktok-shop/order-status-change.json', import.meta.url), 'utf8')) as object;
  const body = JSON.stringify({ ...hook, shop_id: tiktok.shop, data: { order_id: '578136420911235071', order_status: 'AWAITING_SHIPMENT' } });

  function handler(sendFetch: (m: unknown) => Promise<void>) {
    const sent: unknown[] = [];
    const { intake, calls } = fakeIntake();
    const connections: ConnectionStore = {
      get: async (platform, shop) =>
        platform === 'tiktok-shop' && shop === tiktok.shop
          ? { platform, shop, sellerId: tiktok.sellerId, secretName: 'p/t', secrets: { current: tiktok.secret }, credentials: tiktok.credentials }
          : undefined,
      refresh: async () => undefined,
    };
    const handle = createWebhookHandler({
      connections,
      intake,
      marketplace: { sendFetch: async (m) => { sent.push(m); await sendFetch(m); } },
      log: () => {},
    });
    return { handle, sent, calls };
  }
  const event = (authorization: string) =>
    apigwEvent({ path: '/webhooks/tiktok-shop', headers: { 'content-type': 'application/json', authorization }, body });

  it('queues a verified delivery for the fetcher and answers with the canonical order id, recording nothing itself', async () => {
    const { handle, sent, calls } = handler(async () => {});
    const result = await handle(event(tiktokWebhookSignature(body, tiktok.credentials.appKey, tiktok.secret)));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ orderId: canonicalOrderId('tiktok-shop', tiktok.shop, '578136420911235071'), status: 'queued' });
    expect(sent).toEqual([{ platform: 'tiktok-shop', shop: tiktok.shop, externalId: '578136420911235071', notificationId: '7327112393057371910', status: 'AWAITING_SHIPMENT' }]);
    expect(calls).toEqual([]);
  });

  it('answers 503 when the queue is unreachable, so TikTok delivers again', async () => {
    const { handle } = handler(async () => {
      throw new Error('SQS down');
    });
    const result = await handle(event(tiktokWebhookSignature(body, tiktok.credentials.appKey, tiktok.secret)));
    expect(result.statusCode).toBe(503);
  });

  it('answers a forged delivery with the one 401 and queues nothing', async () => {
    const { handle, sent } = handler(async () => {});
    const result = await handle(event(tiktokWebhookSignature(body, tiktok.credentials.appKey, 'guess')));
    expect([result.statusCode, bodyOf(result)]).toEqual([401, { error: { code: 'unauthorized', message: UNAUTHORIZED_MESSAGE } }]);
    expect(sent).toEqual([]);
  });
});
