/**
 * Fuzzing the HTTP edges with fast-check: whatever the bodies and headers, the handlers never
 * answer 5xx, always answer the JSON error shape for a refusal, and never record or enqueue an
 * unsigned delivery. Signed garbage may reach intake only as a valid canonical order.
 */
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalOrder, type Platform } from '#network/schemas.ts';
import { createApiRoutes } from '#api/routes.ts';
import { errorResponse, type HttpResult } from '#http/http.ts';
import { apigwEvent, signBody, signStandard } from '#marketplaces/testing.ts';
import { createWebhookHandler, WEBHOOK_PAYLOADS } from '#marketplaces/webhook.ts';
import type { ConnectionStore } from '#store/connections.ts';
import type { IntakeInput } from '#store/intake.ts';

const demo = JSON.parse(readFileSync(new URL('../data/demo/connections.json', import.meta.url), 'utf8')) as {
  platform: Platform;
  shop: string;
  sellerId: string;
  secret: string;
}[];
const NOW = new Date('2026-11-23T08:00:00Z');
const RUNS = { numRuns: 150 };

function harness() {
  const recorded: IntakeInput[] = [];
  const connections: ConnectionStore = {
    async get(platform, shop) {
      const c = demo.find((x) => x.platform === platform && x.shop === shop);
      return c && { platform, shop, sellerId: c.sellerId, secretName: 'n', secrets: { current: c.secret } };
    },
    refresh: async () => undefined,
  };
  const handle = createWebhookHandler({
    connections,
    intake: { record: async (input: IntakeInput) => (recorded.push(input), { outcome: 'accepted', orderId: input.order.orderId, status: input.status, queue: 'sent' }) },
    clock: () => NOW,
    log: () => {},
  });
  return { handle, recorded };
}

function expectWellFormed(result: HttpResult): void {
  expect(result.statusCode).toBeLessThan(500);
  const parsed = JSON.parse(result.body ?? '');
  if (result.statusCode! >= 400) {
    expect(typeof parsed.error.code).toBe('string');
    expect(parsed.error.message.length).toBeGreaterThan(0);
    expect(result.body).not.toMatch(/\n\s+at /);
  }
}

const PATHS = ['/webhooks/shopify', '/webhooks/woocommerce', '/webhooks/orders'];
const HEADER_NAMES = [
  'content-type',
  'x-shopify-hmac-sha256',
  'x-shopify-shop-domain',
  'x-shopify-topic',
  'x-shopify-webhook-id',
  'x-wc-webhook-signature',
  'x-wc-webhook-source',
  'x-wc-webhook-topic',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-silkroute-shop',
];
const headerName = fc.oneof(
  fc.constantFrom(...HEADER_NAMES).chain((n) => fc.constantFrom(n, n.toUpperCase(), n.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()))),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const headerValue = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom('application/json', 'application/x-www-form-urlencoded', ...demo.map((c) => c.shop), 'orders/create', 'v1,AAAA', String(Math.floor(NOW.getTime() / 1000))),
);
const bodies = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.json({ maxDepth: 3 }),
  fc.constant('webhook_id=7'),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);

describe('webhook fuzzing', () => {
  it('random bodies and headers: never a 5xx, never recorded or queued', async () => {
    const { handle, recorded } = harness();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), fc.dictionary(headerName, headerValue, { maxKeys: 8 }), bodies, fc.boolean(), async (path, headers, body, base64) => {
        const result = await handle(apigwEvent({ path, headers, body, base64 }));
        expectWellFormed(result);
        expect(recorded).toHaveLength(0);
      }),
      RUNS,
    );
  });

  it('correctly signed arbitrary JSON: never a 5xx, and only valid canonical orders of the connection seller reach intake', async () => {
    const { handle, recorded } = harness();
    const sample = JSON.parse(readFileSync(new URL('../events/webhooks/shopify-orders-create.json', import.meta.url), 'utf8')).body;
    // Arbitrary JSON, and the real sample with one field replaced by arbitrary JSON (closer to valid).
    const payloads = fc.oneof(
      fc.json({ maxDepth: 4 }).map((j) => JSON.parse(j) as unknown),
      fc.tuple(fc.constantFrom(...Object.keys(sample)), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => ({ ...sample, [k]: v })),
      fc.tuple(fc.nat(2), fc.constantFrom('sku', 'quantity', 'price'), fc.jsonValue({ maxDepth: 1 })).map(([i, k, v]) => ({
        ...sample,
        line_items: sample.line_items.map((l: object, j: number) => (j === i ? { ...l, [k]: v } : l)),
      })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), payloads, async (path, payload) => {
        const platform = path === '/webhooks/shopify' ? 'shopify' : path === '/webhooks/woocommerce' ? 'woocommerce' : 'standard';
        const connection = demo.find((c) => c.platform === platform)!;
        const body = JSON.stringify(platform === 'standard' ? { type: 'order.created', data: payload } : payload);
        const ts = Math.floor(NOW.getTime() / 1000);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (platform === 'shopify') Object.assign(headers, { 'x-shopify-shop-domain': connection.shop, 'x-shopify-hmac-sha256': signBody(body, connection.secret) });
        if (platform === 'woocommerce') Object.assign(headers, { 'x-wc-webhook-source': connection.shop, 'x-wc-webhook-signature': signBody(body, connection.secret) });
        if (platform === 'standard') {
          Object.assign(headers, { 'x-silkroute-shop': connection.shop, 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': signStandard('msg_1', ts, body, connection.secret) });
        }
        const before = recorded.length;
        const result = await handle(apigwEvent({ path, headers, body }));
        expectWellFormed(result);
        expect(result.statusCode === 200 || result.statusCode === 400).toBe(true);
        for (const input of recorded.slice(before)) {
          expect(CanonicalOrder.safeParse(input.order).success).toBe(true);
          expect(input.order.sellerId).toBe(connection.sellerId);
        }
      }),
      RUNS,
    );
  });
});

describe('API fuzzing', () => {
  it('random methods, paths, headers and bodies: never a 5xx; nothing routed or queued without a valid key', async () => {
    let routed = 0;
    let sent = 0;
    const routes = createApiRoutes({
      apiKeys: { sellerFor: async (k) => (k === 'valid-key-0000000001' ? 'yiwu-goods' : undefined) },
      orders: { getOrderForSeller: async () => undefined },
      snapshots: { load: async () => ({}) as never },
      route: (order, _s, now) => (routed++, { orderId: order.orderId, sellerId: order.sellerId, decidedAt: now.toISOString(), status: 'unroutable', candidates: [] }),
      sendOrderMessage: async () => void sent++,
      clock: () => NOW,
      webhookPayloads: WEBHOOK_PAYLOADS,
      // Counted as "routed" too: no write without a valid key.
      fulfilment: {
        reportStock: async () => (routed++, { applied: 0, stale: 0, reserved: 0 }),
        confirmShipment: async (i) => (routed++, { kind: 'not-found', orderId: i.orderId }),
        cancelOrder: async (i) => (routed++, { kind: 'not-found', orderId: i.orderId }),
        bookInbound: async () => {
          routed++;
          throw new Error('not in the fuzz');
        },
      },
    });
    const call = async (event: APIGatewayProxyEventV2, path: string): Promise<HttpResult> => {
      const r = routes.find((x) => new RegExp(`^${x.path.replace(/\{\w+\}/g, '([^/]+)')}$`).test(path) && x.method === event.requestContext.http.method);
      if (r === undefined) return errorResponse(new Error('no route'), () => {});
      const id = /^\/v1\/orders\/([^/]+)/.exec(path)?.[1];
      try {
        return await r.handler({ ...event, ...(id ? { pathParameters: { orderId: id } } : {}) });
      } catch (error) {
        return errorResponse(error, () => {});
      }
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST /v1/quotes', 'GET /v1/orders/ord_x', 'POST /v1/orders/%E0%A4%A/reroute', 'GET /openapi.json'),
        fc.option(fc.oneof(fc.constant('Bearer valid-key-0000000001'), fc.string({ maxLength: 40 })), { nil: undefined }),
        fc.oneof(fc.constant('application/json'), fc.string({ maxLength: 20 })),
        bodies,
        async (routeKey, authorization, contentType, body) => {
          const [method, path] = routeKey.split(' ') as [string, string];
          const headers: Record<string, string> = { 'content-type': contentType, ...(authorization === undefined ? {} : { authorization }) };
          const routedBefore = routed;
          const result = await call(apigwEvent({ method, path, headers, body }), path);
          if (result.statusCode === 500) throw new Error(`500 for ${routeKey} ${JSON.stringify(headers)} ${body}`);
          expectWellFormed(result);
          if (authorization !== 'Bearer valid-key-0000000001') expect(routed).toBe(routedBefore);
          expect(sent).toBe(0);
        },
      ),
      RUNS,
    );
  });
});
