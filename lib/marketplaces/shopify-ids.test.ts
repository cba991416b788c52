/**
 * Shopify's own test notification (its published orders/create sample, ids above 2^53) is an
 * order like any other: accepted, recorded under the exact id. Ids are bounded before they reach
 * a table key: a 3,000-digit id is a 400 naming the field, never a 503 from DynamoDB.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Platform } from '#network/schemas.ts';
import type { ConnectionStore } from '#store/connections.ts';
import type { Intake } from '#orders/intake.ts';
import type { IntakeInput } from '#store/intake.ts';
import { parseExactJson } from './exact-json.ts';
import { canonicalOrderId } from '#shared/order-id.ts';
import { exactOrderId, shopify } from './shopify.ts';
import { apigwEvent, signBody } from './testing.ts';
import { createWebhookHandler } from './webhook.ts';

const SAMPLE = readFileSync(new URL('./fixtures/shopify/orders-create-test-notification.json', import.meta.url), 'utf8');
const demo = JSON.parse(readFileSync(new URL('../../data/demo/connections.json', import.meta.url), 'utf8')) as {
  platform: Platform;
  shop: string;
  sellerId: string;
  secret: string;
}[];
const connection = demo.find((c) => c.platform === 'shopify')!;

function setup() {
  const calls: IntakeInput[] = [];
  const connections: ConnectionStore = {
    async get(platform, shop) {
      if (platform !== 'shopify' || shop !== connection.shop) return undefined;
      return { platform, shop, sellerId: connection.sellerId, secretName: 'x', secrets: { current: connection.secret } };
    },
    async refresh() {
      return undefined;
    },
  };
  const intake: Intake = {
    async record(input) {
      calls.push(input);
      return { outcome: 'accepted', orderId: input.order.orderId, status: input.status, queue: 'sent' };
    },
  };
  const handle = createWebhookHandler({ connections, intake, clock: () => new Date('2026-11-23T02:05:08Z'), log: () => {} });
  const send = (body: string, topic = 'orders/create') =>
    handle(
      apigwEvent({
        path: '/webhooks/shopify',
        body,
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': topic,
          'x-shopify-shop-domain': connection.shop,
          'x-shopify-webhook-id': `d-${calls.length}-${body.length}`,
          'x-shopify-hmac-sha256': signBody(body, connection.secret),
        },
      }),
    );
  return { send, calls };
}

describe('Shopify order ids', () => {
  it('accepts Shopify\'s test notification and records it under the exact id, not the rounded one', async () => {
    expect(String(JSON.parse(SAMPLE).id)).toBe('820982911946154500'); // what JSON.parse alone makes of it
    const { send, calls } = setup();
    const result = await send(SAMPLE);
    expect(result.statusCode).toBe(200);
    expect(calls).toHaveLength(1);
    const order = calls[0]!.order;
    expect(order.externalId).toBe('820982911946154508');
    expect(order.orderId).toBe(canonicalOrderId('shopify', connection.shop, '820982911946154508'));
    // voided: recorded and waiting for payment, never refused.
    expect(calls[0]!.status).toBe('pending');
    expect(order.lines).toEqual([
      { sku: 'IPOD2008PINK', qty: 1, unitPrice: { amount: 199, currency: 'USD' } },
      { sku: 'IPOD2008PINK', qty: 1, unitPrice: { amount: 199, currency: 'USD' } },
    ]);
  });

  it('two orders whose ids round to the same double stay two orders', async () => {
    const { send, calls } = setup();
    const a = SAMPLE.replace('"id": 820982911946154508', '"id": 820982911946154501').replace('Order/820982911946154508', 'Order/820982911946154501');
    expect((await send(SAMPLE)).statusCode).toBe(200);
    expect((await send(a)).statusCode).toBe(200);
    expect(new Set(calls.map((c) => c.order.orderId)).size).toBe(2);
  });

  it('answers a 3,000-digit id with a 400 naming id, and records nothing', async () => {
    const { send, calls } = setup();
    for (const id of ['9'.repeat(3000), `"${'9'.repeat(3000)}"`, '123456789012345678901']) {
      const body = SAMPLE.replace('"id": 820982911946154508', `"id": ${id}`);
      const result = await send(body);
      expect(result.statusCode, id.slice(0, 30)).toBe(400);
      expect(JSON.parse(result.body!).error).toMatchObject({ code: 'invalid-payload', message: "id: expected Shopify's numeric order id (at most 20 digits)" });
    }
    expect(calls).toHaveLength(0);
  });

  it('parses exactly only where a number is an unsafe integer', () => {
    expect(parseExactJson('{"a": 9007199254740993, "b": 9007199254740991, "c": 1.5, "d": 1e400, "e": [18446744073709551615]}')).toEqual({
      a: '9007199254740993',
      b: 9007199254740991,
      c: 1.5,
      d: Infinity,
      e: ['18446744073709551615'],
    });
  });

  it('takes the id from admin_graphql_api_id when a caller parsed the body with plain JSON.parse', () => {
    const rounded = JSON.parse(SAMPLE) as { id: number; admin_graphql_api_id: string };
    expect(exactOrderId(rounded)).toBe('820982911946154508');
    expect(() => exactOrderId({ id: rounded.id, admin_graphql_api_id: null })).toThrow(/above 2\^53/);
    expect(exactOrderId({ id: 5820012345678, admin_graphql_api_id: null })).toBe('5820012345678');
    expect(shopify.parse).toBeDefined();
  });
});
