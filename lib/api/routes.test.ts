import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision } from '#routing/decision.ts';
import { MAX_BODY_BYTES, ROUTES } from '#shared/definitions.ts';
import { ValidationError } from '#shared/errors.ts';
import type { OrderMessage } from '#shared/messages.ts';
import type { OrderRecord, OrderStatus } from '#store/order-record.ts';
import { apigwEvent } from '#marketplaces/testing.ts';
import { errorResponse, type HttpEvent, type HttpResult } from '#http/http.ts';
import { WEBHOOK_PAYLOADS } from '#marketplaces/webhook.ts';
import { loadNetworkDir } from '#network/load.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import { route } from '#routing/route.ts';
import { forReaders, openApiDocument } from './openapi.ts';
import { createApiRoutes, type ApiDeps } from './routes.ts';

const KEYS: Record<string, string> = { 'key-tianmen-0000001': 'tianmen-garments', 'key-yiwu-000000002': 'yiwu-goods' };
const NOW = new Date('2026-11-23T08:00:00Z');

function record(orderId: string, sellerId: string, status: OrderStatus, decisionVersion = 0): OrderRecord {
  return {
    orderId,
    sellerId,
    status,
    order: {
      orderId,
      sellerId,
      marketplace: 'shopify',
      externalId: '1',
      placedAt: '2026-11-23T02:05:00.000Z',
      shipTo: { country: 'DE' },
      lines: [{ sku: 'TEE-COT', qty: 1 }],
    },
    source: { platform: 'shopify', shop: 's' },
    receivedAt: '2026-11-23T02:05:01.000Z',
    updatedAt: '2026-11-23T02:05:01.000Z',
    decisionVersion,
    ...(status === 'routed'
      ? { decision: { orderId, sellerId, decidedAt: '2026-11-23T02:05:03.000Z', status: 'routed' as const, candidates: [] } }
      : {}),
  };
}

function setup(snapshotOf?: () => Promise<NetworkSnapshot>, routeWith?: ApiDeps['route']) {
  const orders = new Map<string, OrderRecord>([
    ['ord_routed', record('ord_routed', 'tianmen-garments', 'routed', 2)],
    ['ord_received', record('ord_received', 'tianmen-garments', 'received')],
    ['ord_failed', record('ord_failed', 'tianmen-garments', 'failed')],
    ['ord_yiwu', record('ord_yiwu', 'yiwu-goods', 'unroutable', 1)],
  ]);
  const sent: OrderMessage[] = [];
  const routed: { order: CanonicalOrder; now: Date }[] = [];
  const writes: Record<string, unknown>[] = [];
  const shipped = new Set<string>();
  const deps: ApiDeps = {
    apiKeys: { sellerFor: async (key) => KEYS[key] },
    orders: { getOrderForSeller: async (id, seller) => (orders.get(id)?.sellerId === seller ? orders.get(id) : undefined) },
    snapshots: {
      load: async (sellerId) => {
        if (snapshotOf !== undefined) return snapshotOf();
        if (sellerId === 'yiwu-goods') throw Object.assign(new Error('no seller'), { name: 'MissingDataError' });
        return { asOf: NOW.toISOString() } as unknown as NetworkSnapshot;
      },
    },
    route: (order, snapshot, now): Decision => {
      routed.push({ order, now });
      if (routeWith !== undefined) return routeWith(order, snapshot, now);
      return { orderId: order.orderId, sellerId: order.sellerId, decidedAt: now.toISOString(), status: 'unroutable', candidates: [] };
    },
    sendOrderMessage: async (m) => {
      sent.push(m);
    },
    clock: () => NOW,
    webhookPayloads: WEBHOOK_PAYLOADS,
    fulfilment: {
      reportStock: async (sellerId, reports) => {
        writes.push({ op: 'stock', sellerId, reports });
        return { applied: reports.length, stale: 0, reserved: 3 };
      },
      confirmShipment: async (input) => {
        writes.push({ op: 'shipped', ...input });
        const own = orders.get(input.orderId)?.sellerId === input.sellerId;
        return own ? { kind: shipped.has(input.orderId) ? 'already' : (shipped.add(input.orderId), 'done'), orderId: input.orderId } : { kind: 'not-found', orderId: input.orderId };
      },
      bookInbound: async (input) => {
        writes.push({ op: 'inbound', ...input });
        return { kind: 'booked', lot: { lotId: input.lotId, departureId: input.departureId, litres: input.litres, arrivesOn: input.arrivesOn } };
      },
      cancelOrder: async (input) => {
        writes.push({ op: 'cancel', ...input });
        return orders.get(input.orderId)?.sellerId === input.sellerId ? { kind: 'done', orderId: input.orderId } : { kind: 'not-found', orderId: input.orderId };
      },
    },
  };
  const routes = createApiRoutes(deps);
  // The router's job in the Lambda (@middy/http-router); here a tiny matcher plus the same error mapping.
  async function call(event: HttpEvent): Promise<HttpResult> {
    for (const r of routes) {
      const pattern = new RegExp(`^${r.path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
      const m = pattern.exec(event.requestContext.http.path);
      if (m && r.method === event.requestContext.http.method) {
        try {
          return await r.handler({ ...event, pathParameters: { ...m.groups } });
        } catch (error) {
          return errorResponse(error, () => {});
        }
      }
    }
    throw new Error('no route');
  }
  return { call, sent, routed, orders, writes };
}
const body = (r: HttpResult) => JSON.parse(r.body ?? 'null');
const auth = (key = 'key-tianmen-0000001') => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
const quoteBody = { shipTo: { country: 'DE', postalCode: '10115' }, lines: [{ sku: 'TEE-COT', qty: 1 }] };

describe('API key', () => {
  it('is required (401 missing-api-key) and must be known (401 invalid-api-key) on every seller route', async () => {
    const { call } = setup();
    for (const [method, path] of [
      ['POST', '/v1/quotes'],
      ['GET', '/v1/orders/ord_routed'],
      ['POST', '/v1/orders/ord_routed/reroute'],
      ['PUT', '/v1/stock'],
      ['POST', '/v1/orders/ord_routed/shipments/1/shipped'],
      ['POST', '/v1/orders/ord_routed/cancel'],
    ] as const) {
      const missing = await call(apigwEvent({ method, path, headers: {}, body: JSON.stringify(quoteBody) }));
      expect(missing.statusCode).toBe(401);
      expect(body(missing).error.code).toBe('missing-api-key');
      const unknown = await call(apigwEvent({ method, path, headers: auth('nope-nope-nope-nope'), body: JSON.stringify(quoteBody) }));
      expect(body(unknown).error).toEqual({ code: 'invalid-api-key', message: 'The API key is not known.' });
    }
  });
});

describe('POST /v1/quotes', () => {
  it('routes the order for the key seller, defaulting the ids and placedAt, reserving nothing', async () => {
    const { call, routed, sent } = setup();
    const r = await call(apigwEvent({ path: '/v1/quotes', headers: auth(), body: JSON.stringify(quoteBody) }));
    expect(r.statusCode).toBe(200);
    expect(body(r)).toMatchObject({ sellerId: 'tianmen-garments', status: 'unroutable' });
    expect(routed).toHaveLength(1);
    const order = CanonicalOrder.parse(routed[0]!.order);
    expect(order).toMatchObject({ sellerId: 'tianmen-garments', marketplace: 'api', placedAt: NOW.toISOString() });
    expect(order.orderId).toMatch(/^quote_[a-z2-7]{26}$/);
    expect(sent).toHaveLength(0);
    const again = await call(apigwEvent({ path: '/v1/quotes', headers: auth(), body: JSON.stringify(quoteBody) }));
    expect(body(again).orderId).toBe(order.orderId);
  });

  it('400 lists every failing path; 415, 413 and a foreign sellerId are refused', async () => {
    const { call, routed } = setup();
    const bad = await call(
      apigwEvent({ path: '/v1/quotes', headers: auth(), body: JSON.stringify({ shipTo: { country: 'Germany' }, lines: [{ sku: 'TEE-COT', qty: 0 }, { qty: 1 }] }) }),
    );
    expect(bad.statusCode).toBe(400);
    expect(body(bad).error.code).toBe('invalid-payload');
    expect(body(bad).error.details.map((d: { path: string }) => d.path)).toEqual(['shipTo.country', 'lines[0].qty', 'lines[1].sku']);
    expect(body(bad).error.details[2].message).toBe('missing');
    const text = await call(apigwEvent({ path: '/v1/quotes', headers: { ...auth(), 'content-type': 'text/csv' }, body: 'a,b' }));
    expect([text.statusCode, body(text).error.code]).toEqual([415, 'unsupported-media-type']);
    const big = await call(apigwEvent({ path: '/v1/quotes', headers: auth(), body: ' '.repeat(MAX_BODY_BYTES + 1) }));
    expect([big.statusCode, body(big).error.code]).toEqual([413, 'payload-too-large']);
    const foreign = await call(apigwEvent({ path: '/v1/quotes', headers: auth(), body: JSON.stringify({ ...quoteBody, sellerId: 'yiwu-goods' }) }));
    expect(body(foreign).error.details).toEqual([{ path: 'sellerId', message: 'is not the seller of this API key (leave it out)' }]);
    expect(routed).toHaveLength(0);
  });

  it('a seller without imported data is a 409 naming it, not a 500', async () => {
    const { call } = setup();
    const r = await call(apigwEvent({ path: '/v1/quotes', headers: auth('key-yiwu-000000002'), body: JSON.stringify(quoteBody) }));
    expect(r.statusCode).toBe(409);
    expect(body(r).error).toEqual({ code: 'no-network-data', message: 'No network data is imported for seller yiwu-goods.' });
  });
});

describe('POST /v1/quotes in a currency', () => {
  const demoSnapshot = async () => buildSnapshot((await loadNetworkDir('data/demo', { now: NOW, requireConnections: false })).files, NOW);
  const quote = (call: (e: HttpEvent) => Promise<HttpResult>, extra: object) =>
    call(apigwEvent({ path: '/v1/quotes', headers: auth(), body: JSON.stringify({ ...quoteBody, lines: [{ sku: 'TEE-COT', qty: 3 }], ...extra }) }));

  it('prices the quote in the currency asked for, converted at the snapshot fx.json rates, every amount adding up', async () => {
    const snapshot = await demoSnapshot();
    const { call } = setup(async () => snapshot, route);
    const inReport = body(await quote(call, {})) as Decision;
    const inUsd = body(await quote(call, { currency: 'USD' })) as Decision;
    expect(inReport.chosen!.cost.currency).toBe('CNY');
    expect(inUsd.chosen!.cost.currency).toBe('USD');
    expect(inUsd.chosen!.routeId).toBe(inReport.chosen!.routeId);
    // 1 EUR = 8.2 CNY = 1.17 USD: the USD total is the CNY one × 1.17 / 8.2, give or take the cents each component rounds.
    const expected = (inReport.chosen!.cost.total * 1.17) / 8.2;
    expect(Math.abs(inUsd.chosen!.cost.total - expected)).toBeLessThanOrEqual(0.01 * inUsd.chosen!.cost.components.length);
    const cents = inUsd.chosen!.cost.components.reduce((sum, c) => sum + Math.round(c.amount * 100), 0);
    expect(cents).toBe(Math.round(inUsd.chosen!.cost.total * 100));
    for (const c of inUsd.candidates) if (c.cost !== undefined) expect(c.cost.currency).toBe('USD');
    if (inUsd.savingsVsDirect !== undefined) expect(inUsd.savingsVsDirect.currency).toBe('USD');
    // The stored snapshot is not touched: the next quote without a currency is in CNY again.
    expect(snapshot.sellers.find((x) => x.id === 'tianmen-garments')!.reportCurrency).toBe('CNY');
  });

  it('refuses a currency without an FX rate, naming the field and the currencies it can quote in', async () => {
    const { call, routed } = setup(demoSnapshot, route);
    const r = await quote(call, { currency: 'JPY' });
    expect(r.statusCode).toBe(400);
    expect(body(r).error.details).toEqual([
      { path: 'currency', message: 'JPY has no rate in the network\'s fx.json; quote in one of CNY, EUR, GBP, PLN, USD, or leave currency out for the seller\'s report currency (CNY)' },
    ]);
    expect(routed).toHaveLength(0);
  });
});

describe('GET /v1/orders/{orderId}', () => {
  it('returns status, order and decision of the key seller own order', async () => {
    const { call } = setup();
    const r = await call(apigwEvent({ method: 'GET', path: '/v1/orders/ord_routed', headers: auth() }));
    expect(r.statusCode).toBe(200);
    expect(body(r)).toMatchObject({ orderId: 'ord_routed', status: 'routed', order: { orderId: 'ord_routed' }, decision: { status: 'routed' } });
    const received = body(await call(apigwEvent({ method: 'GET', path: '/v1/orders/ord_received', headers: auth() })));
    expect(received.decision).toBeUndefined();
  });

  it("another seller's order is a 404, exactly like a missing one", async () => {
    const { call } = setup();
    const foreign = await call(apigwEvent({ method: 'GET', path: '/v1/orders/ord_yiwu', headers: auth() }));
    const missing = await call(apigwEvent({ method: 'GET', path: '/v1/orders/ord_nothing', headers: auth() }));
    expect(foreign.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(body(foreign).error.code).toBe(body(missing).error.code);
    expect(body(foreign).error.message).toBe('No order ord_yiwu for this API key.');
  });
});

describe('POST /v1/orders/{orderId}/reroute', () => {
  it('queues { orderId, afterVersion: current decisionVersion } and answers 202', async () => {
    const { call, sent } = setup();
    const r = await call(apigwEvent({ path: '/v1/orders/ord_routed/reroute', headers: auth() }));
    expect(r.statusCode).toBe(202);
    expect(body(r)).toEqual({ orderId: 'ord_routed', status: 'rerouting' });
    expect(sent).toEqual([{ orderId: 'ord_routed', afterVersion: 2 }]);
  });

  it('routes a failed order again once its cause is fixed, even after its dead letter expired', async () => {
    const { call, sent } = setup();
    const r = await call(apigwEvent({ path: '/v1/orders/ord_failed/reroute', headers: auth() }));
    expect(r.statusCode).toBe(202);
    expect(sent).toEqual([{ orderId: 'ord_failed', afterVersion: 0 }]);
  });

  it('is a 409 for an order not decided yet and a 404 for another seller', async () => {
    const { call, sent } = setup();
    const early = await call(apigwEvent({ path: '/v1/orders/ord_received/reroute', headers: auth() }));
    expect(early.statusCode).toBe(409);
    expect(body(early).error).toMatchObject({
      code: 'not-reroutable',
      message: 'Order ord_received is received; only routed, unroutable or failed orders can be rerouted.',
    });
    expect((await call(apigwEvent({ path: '/v1/orders/ord_yiwu/reroute', headers: auth() }))).statusCode).toBe(404);
    expect(sent).toHaveLength(0);
  });
});

describe('GET /openapi.json', () => {
  const doc = openApiDocument(WEBHOOK_PAYLOADS) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, Record<string, unknown>> };
  };

  it('is OpenAPI 3.1 covering every HTTP route of the service', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const route of ROUTES) expect(doc.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
  });

  it('is generated from the validating schemas, not kept by hand', () => {
    const fromSchema = z.toJSONSchema(CanonicalOrder, { override: forReaders }) as Record<string, unknown>;
    delete fromSchema.$schema;
    expect(doc.components.schemas.CanonicalOrder).toEqual(fromSchema);
    const quote = doc.components.schemas.QuoteRequest as { required: string[] };
    expect(quote.required.sort()).toEqual(['lines', 'shipTo']);
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/(\w+)/g) ?? [];
    for (const r of refs) expect(doc.components.schemas[r.split('/').at(-1)!], r).toBeDefined();
  });
});

describe('errorResponse', () => {
  it('never leaks an internal message or stack; a ValidationError from deeper in is a 400', () => {
    const internal = errorResponse(new Error('secret connection string at /var/task/x.ts:12'), () => {});
    expect(internal.statusCode).toBe(500);
    expect(internal.body).not.toMatch(/secret|x\.ts/);
    const throttled = errorResponse(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $retryable: {} }), () => {});
    expect(throttled.statusCode).toBe(503);
    const invalid = errorResponse(new ValidationError([{ path: 'sellerId', message: 'unknown seller' }]), () => {});
    expect([invalid.statusCode, body(invalid).error.details]).toEqual([400, [{ path: 'sellerId', message: 'unknown seller' }]]);
  });
});

describe('warehouse-facing writes', () => {
  it('PUT /v1/stock hands the key seller\'s reports to the store and answers what was applied and reserved; a bad report names the field', async () => {
    const { call, writes } = setup();
    const reports = [{ warehouseId: 'WH-DUI', sku: 'HOODIE', onHand: 7, asOf: '2026-11-23T08:00:00Z' }];
    const r = await call(apigwEvent({ method: 'PUT', path: '/v1/stock', headers: auth(), body: JSON.stringify({ reports }) }));
    expect(r.statusCode).toBe(200);
    expect(body(r)).toEqual({ applied: 1, stale: 0, reserved: 3 });
    expect(writes).toEqual([{ op: 'stock', sellerId: 'tianmen-garments', reports }]);
    const bad = await call(apigwEvent({ method: 'PUT', path: '/v1/stock', headers: auth(), body: JSON.stringify({ reports: [{ ...reports[0], onHand: -1 }] }) }));
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(body(bad).error.details)).toContain('reports[0].onHand');
  });

  it('shipped and cancel act on the key seller\'s own orders only; a repeated shipment is answered as already shipped', async () => {
    const { call, writes } = setup();
    const ship = (path: string) => call(apigwEvent({ path, headers: auth(), body: JSON.stringify({ trackingNumber: 'YT1', carrier: 'DHL' }) }));
    expect(body(await ship('/v1/orders/ord_routed/shipments/1/shipped'))).toEqual({ orderId: 'ord_routed', status: 'shipped' });
    expect(body(await ship('/v1/orders/ord_routed/shipments/1/shipped'))).toEqual({ orderId: 'ord_routed', status: 'already-shipped' });
    expect(writes[0]).toMatchObject({ op: 'shipped', sellerId: 'tianmen-garments', shipment: 1, trackingNumber: 'YT1', carrier: 'DHL' });
    expect((await ship('/v1/orders/ord_routed/shipments/0/shipped')).statusCode).toBe(404);
    expect((await ship('/v1/orders/ord_yiwu/shipments/1/shipped')).statusCode).toBe(404);
    const noTracking = await call(apigwEvent({ path: '/v1/orders/ord_routed/shipments/1/shipped', headers: auth(), body: '{}' }));
    expect(noTracking.statusCode).toBe(400);
    const cancel = await call(apigwEvent({ path: '/v1/orders/ord_routed/cancel', headers: auth() }));
    expect(body(cancel)).toEqual({ orderId: 'ord_routed', status: 'cancelled' });
    expect((await call(apigwEvent({ path: '/v1/orders/ord_yiwu/cancel', headers: auth() }))).statusCode).toBe(404);
  });
});

describe('POST /v1/inbound', () => {
  const demoSnapshot = async () => buildSnapshot((await loadNetworkDir('data/demo', { now: NOW, requireConnections: false })).files, NOW);

  it('books the lot on the departure with its litres and arrival day (departure + transit + inbound days); wrong warehouse or SKU named', async () => {
    const snapshot = await demoSnapshot();
    const lane = snapshot.railLanes.find((l) => l.departures.length > 0)!;
    const departure = lane.departures[0]!;
    const warehouse = snapshot.warehouses.find((w) => w.id === lane.warehouseId)!;
    const sku = snapshot.skus.find((s) => s.sellerId === 'tianmen-garments')!;
    const { call, writes } = setup(async () => snapshot);
    const post = (b: unknown) => call(apigwEvent({ path: '/v1/inbound', headers: auth(), body: JSON.stringify(b) }));
    const request = { lotId: 'po-1', departureId: departure.id, warehouseId: lane.warehouseId, lines: [{ sku: sku.sku, qty: 100 }] };
    const r = await post(request);
    expect(r.statusCode).toBe(201);
    const [l, w, h] = sku.dimsCm as unknown as [number, number, number];
    const arrivesOn = new Date(Date.parse(departure.departsAt) + (departure.transitDays + warehouse.inboundDays) * 86_400_000).toISOString().slice(0, 10);
    expect(body(r)).toEqual({ lotId: 'po-1', status: 'booked', departureId: departure.id, litres: Math.ceil((100 * Math.ceil(l * w * h)) / 1000), arrivesOn });
    expect(writes[0]).toMatchObject({ op: 'inbound', sellerId: 'tianmen-garments', laneId: lane.id, snapshotCapacityLitres: departure.capacityLitres });
    const other = snapshot.warehouses.find((x) => x.id !== lane.warehouseId)!;
    const wrong = await post({ ...request, warehouseId: other.id, lines: [{ sku: 'NOPE', qty: 1 }] });
    expect(wrong.statusCode).toBe(400);
    expect(JSON.stringify(body(wrong))).toContain('warehouseId');
    const noSku = await post({ ...request, lines: [{ sku: 'NOPE', qty: 1 }] });
    expect(JSON.stringify(body(noSku))).toContain('lines[0].sku');
    expect((await post({ ...request, departureId: 'NO-SUCH' })).statusCode).toBe(400);
  });
});

describe('one-click action pages (/actions/{token})', () => {
  const order = (sellerId: string) => ({ sellerId, order: { externalId: '5820012349001', orderNumber: '#1042' } });
  function pages(outcome: Awaited<ReturnType<NonNullable<ApiDeps['actions']>['act']>>, language: 'zh-CN' | 'en' | 'fails') {
    const seen: string[] = [];
    const deps = {
      apiKeys: { sellerFor: async () => undefined },
      orders: { getOrderForSeller: async () => undefined },
      snapshots: {
        load: async (sellerId: string) => {
          if (language === 'fails') throw new Error('no snapshot');
          return { sellers: [{ id: sellerId, language }] } as unknown as NetworkSnapshot;
        },
      },
      actions: { act: async (token: string, method: 'GET' | 'POST') => (seen.push(`${method} ${token}`), outcome) },
      clock: () => NOW,
    } as unknown as ApiDeps;
    const routes = createApiRoutes(deps);
    const run = (method: 'GET' | 'POST', token: string) =>
      routes.find((r) => r.path === '/actions/{token}' && r.method === method)!.handler({ ...apigwEvent({ method, path: `/actions/${token}`, body: '', headers: {} }), pathParameters: { token } });
    return { run, seen };
  }

  it('GET shows the confirmation in the seller\'s language, never cached, with a form that posts to the same link', async () => {
    const { run, seen } = pages({ kind: 'confirm', order: order('tianmen-garments') }, 'zh-CN');
    const page = await run('GET', 'abc.def');
    expect(seen).toEqual(['GET abc.def']);
    expect(page.statusCode).toBe(200);
    expect(page.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    expect(page.body).toContain('重新为订单 #1042 选择发货路线');
    expect(page.body).toContain('<form method="post" action="/actions/abc.def">');
    expect(page.body).not.toContain('Route order');
  });

  it('answers each refusal with its own status and words, and both languages when the seller cannot be read', async () => {
    const used = await pages({ kind: 'already-used', order: order('yiwu-goods'), usedAt: '2026-12-03T01:15:00.000Z' }, 'en').run('POST', 't');
    expect([used.statusCode, used.body]).toEqual([409, expect.stringContaining('This link was already used (2026-12-03 01:15 UTC); order #1042 is not rerouted again.')]);
    const zhUsed = await pages({ kind: 'already-used', order: order('tianmen-garments'), usedAt: '2026-12-03T01:15:00.000Z' }, 'zh-CN').run('GET', 't');
    expect(zhUsed.body).toContain('这个链接已经用过（北京时间 2026-12-03 09:15），订单 #1042 不会再次重新选路。');
    expect((await pages({ kind: 'expired', order: order('yiwu-goods') }, 'en').run('POST', 't')).statusCode).toBe(410);
    expect((await pages({ kind: 'stale', order: order('yiwu-goods') }, 'en').run('POST', 't')).statusCode).toBe(409);
    const invalid = await pages({ kind: 'invalid' }, 'en').run('POST', 't');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('这个链接无效');
    expect(invalid.body).toContain('This link is not valid');
    const unknownLanguage = await pages({ kind: 'done', order: order('yiwu-goods') }, 'fails').run('POST', 't');
    expect(unknownLanguage.body).toContain('已提交：订单 #1042');
    expect(unknownLanguage.body).toContain('Done: order #1042 is being rerouted');
  });

  it('is a 404 on an API built without action links', async () => {
    const { call } = setup();
    const r = await call(apigwEvent({ method: 'GET', path: '/actions/abc.def', body: '', headers: {} }));
    expect(r.statusCode).toBe(404);
  });
});
