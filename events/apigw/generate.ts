/**
 * Writes events/apigw/*.json: complete API Gateway HTTP API (payload 2.0) events wrapping the
 * sample deliveries of events/webhooks/, signed with the demo secrets of
 * data/demo/connections.json, plus API calls with the demo keys. Deterministic: the Standard
 * Webhooks timestamp is the sample's own `timestamp`, so that event is stale on purpose — tests
 * pin their clock to it. Run: `npx node events/apigw/generate.ts`.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { apigwEvent, signBody, signStandard } from '#marketplaces/testing.ts';
import { canonicalOrderId } from '#shared/order-id.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
interface Delivery {
  path: string;
  platform: string;
  shop: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}
interface Connection {
  platform: string;
  shop: string;
  secret: string;
  apiKey: string;
}
const connections = read('data/demo/connections.json') as Connection[];
const connection = (platform: string, shop: string) => {
  const found = connections.find((c) => c.platform === platform && c.shop === shop);
  if (found === undefined) throw new Error(`no demo connection for ${platform} ${shop}`);
  return found;
};
// API Gateway v2 lower-cases header names; the events do the same.
const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

function write(name: string, event: unknown): void {
  writeFileSync(new URL(`events/apigw/${name}`, root), `${JSON.stringify(event, null, 2)}\n`);
  console.log(`events/apigw/${name}`);
}

const webhooks = readdirSync(new URL('events/webhooks/', root)).filter((f) => f.endsWith('.json')).sort();
for (const file of webhooks) {
  const d = read(`events/webhooks/${file}`) as Delivery;
  const { secret } = connection(d.platform, d.shop);
  const body = JSON.stringify(d.body);
  const headers = lower(d.headers);
  let time = new Date('2026-11-23T02:05:08Z');
  if (d.platform === 'shopify') headers['x-shopify-hmac-sha256'] = signBody(body, secret);
  if (d.platform === 'woocommerce') headers['x-wc-webhook-signature'] = signBody(body, secret);
  if (d.platform === 'standard') {
    time = new Date(String(d.body.timestamp));
    const seconds = Math.floor(time.getTime() / 1000);
    headers['webhook-timestamp'] = String(seconds);
    headers['webhook-signature'] = signStandard(headers['webhook-id']!, seconds, body, secret);
  }
  write(`webhook-${file}`, apigwEvent({ path: d.path, headers, body, time }));
}

write(
  'webhook-woocommerce-ping.json',
  apigwEvent({
    path: '/webhooks/woocommerce',
    headers: lower({ 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)', 'X-WC-Webhook-Source': 'https://shop.yiwu-goods.example/' }),
    body: 'webhook_id=7',
  }),
);

const tianmen = connection('shopify', 'tianmen-garments.myshopify.com');
const shopifyOrderId = canonicalOrderId('shopify', 'tianmen-garments.myshopify.com', '5820012349001');
write(
  'api-quote.json',
  apigwEvent({
    path: '/v1/quotes',
    routeKey: 'POST /v1/quotes',
    headers: { authorization: `Bearer ${tianmen.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      marketplace: 'shopify',
      externalId: 'quote-1',
      placedAt: '2026-11-23T02:00:00Z',
      currency: 'EUR',
      shipTo: { country: 'DE', postalCode: '10115' },
      lines: [{ sku: 'TEE-COT', qty: 1 }],
    }),
  }),
);
write(
  'api-get-order.json',
  apigwEvent({
    method: 'GET',
    path: `/v1/orders/${shopifyOrderId}`,
    routeKey: 'GET /v1/orders/{orderId}',
    pathParameters: { orderId: shopifyOrderId },
    headers: { authorization: `Bearer ${tianmen.apiKey}` },
  }),
);
write(
  'api-reroute.json',
  apigwEvent({
    path: `/v1/orders/${shopifyOrderId}/reroute`,
    routeKey: 'POST /v1/orders/{orderId}/reroute',
    pathParameters: { orderId: shopifyOrderId },
    headers: { authorization: `Bearer ${tianmen.apiKey}` },
  }),
);
write('api-openapi.json', apigwEvent({ method: 'GET', path: '/openapi.json', routeKey: 'GET /openapi.json' }));
