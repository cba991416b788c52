/**
 * Contract tests: the Amazon and TikTok Shop adapters and clients against the platforms'
 * published examples (fixtures/amazon/README.md, fixtures/tiktok-shop/README.md name the
 * sources). A variant of an example changes only what its test says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HttpError } from '#http/errors.ts';
import { amazonNoticeOf, interpretAmazonOrder, type AmazonOrder } from './amazon.ts';
import { createLwaTokens, createSpApi, createTikTokShopApi, PlatformApiError, ThrottledError, type Fetch } from './platform-api.ts';
import { interpretTikTokOrder, ordersOfDetail, tiktokShop, tiktokSign, tiktokWebhookSignature, type TikTokOrder } from './tiktok-shop.ts';

const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8'));
const clone = <T>(value: T): T => structuredClone(value);
const NOTIFICATION = fixture('amazon/order-change-notification.json');
const GET_ORDER = fixture('amazon/get-order.json') as { payload: AmazonOrder };
const GET_ITEMS = fixture('amazon/get-order-items.json') as { payload: { NextToken?: string; OrderItems: unknown[] } };
const TTS_HOOK = fixture('tiktok-shop/order-status-change.json');
const TTS_DETAIL = fixture('tiktok-shop/get-order-detail.json') as { data: { orders: TikTokOrder[] } };
const AMAZON = { platform: 'amazon' as const, shop: 'A3TH9S8BH6GOGM', sellerId: 'yiwu-goods' };
const TIKTOK = { platform: 'tiktok-shop' as const, shop: '7494049642642441621', sellerId: 'tianmen-garments' };
const CREDS = { clientId: 'amzn1.application-oa2-client.x', clientSecret: 'cs', refreshToken: 'Atzr|r' };

/** A fetch that answers each request with the next of `answers` and records what was asked. */
function stubFetch(answers: ((url: URL, init: RequestInit) => Response)[]): { fetch: Fetch; calls: { url: URL; init: RequestInit }[] } {
  const calls: { url: URL; init: RequestInit }[] = [];
  return {
    calls,
    fetch: async (input, init = {}) => {
      const url = new URL(input);
      calls.push({ url, init });
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
      return answer(url, init);
    },
  };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const TOKEN = json(200, { access_token: 'Atza|token-1', refresh_token: 'Atzr|r', token_type: 'bearer', expires_in: 3600 });

describe('Amazon ORDER_CHANGE notification (published example)', () => {
  it('names the seller, the order and the notification id', () => {
    expect(amazonNoticeOf(NOTIFICATION)).toEqual({ shop: 'A3TH9S8BH6GOGM', externalId: '903-8868176-2219830', notificationId: 'd0e9e693-c3ad-4373-979f-ed4ec98dd746' });
  });

  it('says there is nothing to fetch for an Amazon-fulfilled order', () => {
    const afn = clone(NOTIFICATION) as { Payload: { OrderChangeNotification: { Summary: { FulfillmentType: string } } } };
    afn.Payload.OrderChangeNotification.Summary.FulfillmentType = 'AFN';
    expect(amazonNoticeOf(afn).ignore).toMatch(/fulfilled by Amazon/);
  });

  it('refuses a body that is not ORDER_CHANGE, naming the path', () => {
    expect(() => amazonNoticeOf({ NotificationType: 'ANY_OFFER_CHANGED', Payload: {} })).toThrow(HttpError);
  });
});

describe('SP-API getOrder + getOrderItems (published examples) through Login with Amazon', () => {
  function api() {
    const page2 = clone(GET_ITEMS);
    delete page2.payload.NextToken;
    page2.payload.OrderItems = [];
    const stub = stubFetch([TOKEN, json(200, GET_ORDER), json(200, GET_ITEMS), json(200, page2)]);
    const tokens = createLwaTokens({ tokenUrl: 'https://lwa.example/auth/o2/token', fetch: stub.fetch });
    return { stub, spApi: createSpApi({ baseUrl: 'https://sp.example/', tokens, fetch: stub.fetch }) };
  }

  it('exchanges the refresh token as documented, sends the access token, and follows NextToken', async () => {
    const { stub, spApi } = api();
    const { order, items } = await spApi.getOrderWithItems('902-3159896-1390916', CREDS);
    expect(order.AmazonOrderId).toBe('902-3159896-1390916');
    expect(items.map((i) => i.SellerSKU)).toEqual(['CBA_OTF_1', 'CBA_OTF_5']);
    const [token, getOrder, page1, nextPage] = stub.calls;
    expect(token!.init.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(String(token!.init.body)))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'Atzr|r',
      client_id: CREDS.clientId,
      client_secret: 'cs',
    });
    expect(getOrder!.url.pathname).toBe('/orders/v0/orders/902-3159896-1390916');
    expect((getOrder!.init.headers as Record<string, string>)['x-amz-access-token']).toBe('Atza|token-1');
    expect(page1!.url.pathname).toBe('/orders/v0/orders/902-3159896-1390916/orderItems');
    expect(nextPage!.url.searchParams.get('NextToken')).toBe('2YgYW55IGNhcm5hbCBwbGVhc3VyZS4');
  });

  it('keeps the access token until a minute before it expires', async () => {
    let now = 0;
    const stub = stubFetch([TOKEN]);
    const tokens = createLwaTokens({ tokenUrl: 'https://lwa.example/t', fetch: stub.fetch, clock: () => now });
    await tokens.accessToken(CREDS);
    now = 3_539_000;
    await tokens.accessToken(CREDS);
    expect(stub.calls).toHaveLength(1);
    now = 3_541_000;
    await tokens.accessToken(CREDS);
    expect(stub.calls).toHaveLength(2);
  });

  it('turns a 429 into a ThrottledError, and another refusal into a PlatformApiError with Amazon\'s message', async () => {
    const quota = { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] };
    const throttled = stubFetch([TOKEN, json(429, quota)]);
    const spApi = createSpApi({ baseUrl: 'https://sp.example', tokens: createLwaTokens({ tokenUrl: 'https://lwa.example/t', fetch: throttled.fetch }), fetch: throttled.fetch });
    await expect(spApi.getOrderWithItems('1', CREDS)).rejects.toBeInstanceOf(ThrottledError);
    const denied = stubFetch([TOKEN, json(403, { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.' }] })]);
    const other = createSpApi({ baseUrl: 'https://sp.example', tokens: createLwaTokens({ tokenUrl: 'https://lwa.example/t', fetch: denied.fetch }), fetch: denied.fetch });
    await expect(other.getOrderWithItems('1', CREDS)).rejects.toThrow(new PlatformApiError('getOrder 1: 403 Unauthorized Access to requested resource is denied.'));
  });

  it('leaves the published Pending order for its Unshipped notification', () => {
    const meaning = interpretAmazonOrder(GET_ORDER.payload, [], AMAZON);
    expect(meaning).toEqual({ kind: 'ignored', reason: 'Amazon order 902-3159896-1390916 is Pending: it is routed when Amazon reports it Unshipped.' });
  });

  it('routes the units not yet shipped of an Unshipped MFN order (the example with OrderStatus Unshipped)', async () => {
    const { spApi } = api();
    const { items } = await spApi.getOrderWithItems('902-3159896-1390916', CREDS);
    const meaning = interpretAmazonOrder({ ...GET_ORDER.payload, OrderStatus: 'Unshipped' }, items, AMAZON);
    expect(meaning.kind).toBe('order');
    if (meaning.kind !== 'order') return;
    // CBA_OTF_1: 1 ordered, 1 shipped → nothing left; CBA_OTF_5: 2 ordered. No ItemTax: no unit price.
    expect(meaning.order).toMatchObject({ marketplace: 'amazon', externalId: '902-3159896-1390916', currency: 'JPY', shipTo: { country: 'US', postalCode: '48817' }, lines: [{ sku: 'CBA_OTF_5', qty: 2 }] });
    expect(meaning.order.lines[0]).not.toHaveProperty('unitPrice');
    expect(meaning.update).toBe(true);
  });

  it('takes VAT out where Amazon names the line\'s tax, and the promised date as the deadline', () => {
    const meaning = interpretAmazonOrder(
      { ...GET_ORDER.payload, OrderStatus: 'PartiallyShipped', ShippingAddress: { CountryCode: 'DE', PostalCode: '10115' }, LatestDeliveryDate: '2026-12-09T22:59:59Z' },
      [{ OrderItemId: '1', SellerSKU: 'UMB-3F', QuantityOrdered: 3, QuantityShipped: 1, ItemPrice: { CurrencyCode: 'EUR', Amount: '35.70' }, ItemTax: { CurrencyCode: 'EUR', Amount: '5.70' } }],
      AMAZON,
    );
    expect(meaning.kind === 'order' && meaning.order).toMatchObject({ deliverBy: '2026-12-09', lines: [{ sku: 'UMB-3F', qty: 2, unitPrice: { amount: 10, currency: 'EUR' } }] });
  });

  it('gives a cancellation back, and ignores Amazon-fulfilled and shipped orders', () => {
    expect(interpretAmazonOrder({ ...GET_ORDER.payload, OrderStatus: 'Canceled' }, [], AMAZON)).toMatchObject({ kind: 'cancel', externalId: '902-3159896-1390916' });
    expect(interpretAmazonOrder({ ...GET_ORDER.payload, OrderStatus: 'Unshipped', FulfillmentChannel: 'AFN' }, [], AMAZON).kind).toBe('ignored');
    expect(interpretAmazonOrder({ ...GET_ORDER.payload, OrderStatus: 'Shipped' }, [], AMAZON).kind).toBe('ignored');
  });
});

describe('TikTok Shop signatures (documented scheme)', () => {
  it('reproduces the worked example of "Sign your API request"', () => {
    expect(tiktokSign('/authorization/202309/shops', { app_key: '29a39d', timestamp: '1623812664' }, '', 'e59af819cc')).toBe(
      'b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8',
    );
    // sign and access_token never enter the signature; the body does.
    expect(tiktokSign('/p', { app_key: 'k', timestamp: '1', sign: 'x', access_token: 'y' }, '', 's')).toBe(tiktokSign('/p', { app_key: 'k', timestamp: '1' }, '', 's'));
    expect(tiktokSign('/p', { app_key: 'k' }, '{"a":1}', 's')).not.toBe(tiktokSign('/p', { app_key: 'k' }, '', 's'));
  });

  const raw = Buffer.from(JSON.stringify(TTS_HOOK));
  const headers = (authorization?: string) => new Map(authorization === undefined ? [] : [['authorization', authorization]]);
  const secrets = { current: 'app-secret-new', previous: 'app-secret-old' };

  it('accepts the webhook signed with the app secret (either of a rotation), and refuses a forged or unsigned one with a 401', () => {
    const creds = { appKey: '6a6demo' };
    expect(() => tiktokShop.verify(raw, headers(tiktokWebhookSignature(raw, '6a6demo', 'app-secret-new')), secrets, new Date(), creds)).not.toThrow();
    expect(() => tiktokShop.verify(raw, headers(tiktokWebhookSignature(raw, '6a6demo', 'app-secret-old')), secrets, new Date(), creds)).not.toThrow();
    const forged = tiktokWebhookSignature(raw, '6a6demo', 'guessed');
    expect(() => tiktokShop.verify(raw, headers(forged), secrets, new Date(), creds)).toThrow(expect.objectContaining({ status: 401, code: 'invalid-signature' }));
    const tampered = Buffer.from(raw.toString().replace('UNPAID', 'AWAITING_SHIPMENT'));
    expect(() => tiktokShop.verify(tampered, headers(tiktokWebhookSignature(raw, '6a6demo', 'app-secret-new')), secrets, new Date(), creds)).toThrow(HttpError);
    expect(() => tiktokShop.verify(raw, headers(), secrets, new Date(), creds)).toThrow(expect.objectContaining({ status: 401, code: 'missing-signature' }));
  });

  it('reads the shop from the body and asks for the order to be fetched', () => {
    expect(tiktokShop.shop(new Map(), raw)).toBe('7494049642642441621');
    expect(tiktokShop.interpret(TTS_HOOK, new Map(), TIKTOK)).toEqual({ kind: 'fetch', externalId: '576486316948490001', notificationId: '7327112393057371910', status: 'UNPAID' });
    expect(tiktokShop.interpret({ ...(TTS_HOOK as object), type: 4 }, new Map(), TIKTOK).kind).toBe('ignored');
  });
});

describe('TikTok Shop Get Order Detail (published example)', () => {
  it('sends a signed request with the shop\'s token and reads the documented answer', async () => {
    const stub = stubFetch([json(200, TTS_DETAIL)]);
    const api = createTikTokShopApi({ baseUrl: 'https://tts.example', fetch: stub.fetch, clock: () => 1_700_000_000_000 });
    const order = await api.getOrder('576461413038785752', { appKey: 'k1', appSecret: 's1', accessToken: 'ROW_t', shopCipher: 'ROW_c' });
    expect(order?.id).toBe('576461413038785752');
    const { url, init } = stub.calls[0]!;
    expect(url.pathname).toBe('/order/202507/orders');
    const query = Object.fromEntries(url.searchParams);
    expect(query).toMatchObject({ app_key: 'k1', timestamp: '1700000000', ids: '576461413038785752', shop_cipher: 'ROW_c' });
    const { sign, ...signed } = query;
    expect(sign).toBe(tiktokSign('/order/202507/orders', signed, '', 's1'));
    expect((init.headers as Record<string, string>)['x-tts-access-token']).toBe('ROW_t');
  });

  it('turns a 429 into a ThrottledError and a non-zero code into a PlatformApiError', async () => {
    const creds = { appKey: 'k', appSecret: 's', accessToken: 't' };
    await expect(createTikTokShopApi({ baseUrl: 'https://tts.example', fetch: stubFetch([json(429, { code: 36009004, message: 'rate limited' }, { 'retry-after': '7' })]).fetch }).getOrder('1', creds)).rejects.toMatchObject({
      name: 'ThrottledError',
      retryAfterSeconds: 7,
    });
    await expect(createTikTokShopApi({ baseUrl: 'https://tts.example', fetch: stubFetch([json(200, { code: 106001, message: 'invalid sign' })]).fetch }).getOrder('1', creds)).rejects.toThrow(/code 106001 invalid sign/);
  });

  it('leaves the published UNPAID order for its AWAITING_SHIPMENT webhook', () => {
    const [order] = ordersOfDetail(TTS_DETAIL);
    expect(interpretTikTokOrder(order!, TIKTOK)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/UNPAID: it is routed when TikTok reports it AWAITING_SHIPMENT/) });
  });

  it('routes the example once AWAITING_SHIPMENT: one unit per line item, counted per seller SKU, no VAT-inclusive price', () => {
    const [order] = ordersOfDetail(TTS_DETAIL);
    const twice = { ...order!, status: 'AWAITING_SHIPMENT', line_items: [order!.line_items[0]!, { ...order!.line_items[0]!, id: '577086512123755124' }] };
    const meaning = interpretTikTokOrder(twice, TIKTOK);
    expect(meaning.kind).toBe('order');
    if (meaning.kind !== 'order') return;
    expect(meaning.order).toMatchObject({
      marketplace: 'tiktok-shop',
      externalId: '576461413038785752',
      placedAt: new Date(1619611561 * 1000).toISOString(),
      currency: 'IDR',
      shipTo: { country: 'US', postalCode: '95110' },
      lines: [{ sku: 'red_iphone_256', qty: 2 }],
    });
    expect(meaning.order.lines[0]).not.toHaveProperty('unitPrice');
  });

  it('gives a cancellation back and ignores orders fulfilled by TikTok', () => {
    const [order] = ordersOfDetail(TTS_DETAIL);
    expect(interpretTikTokOrder({ ...order!, status: 'CANCELLED' }, TIKTOK).kind).toBe('cancel');
    expect(interpretTikTokOrder({ ...order!, status: 'AWAITING_SHIPMENT', fulfillment_type: 'FULFILLMENT_BY_TIKTOK' }, TIKTOK).kind).toBe('ignored');
  });
});
