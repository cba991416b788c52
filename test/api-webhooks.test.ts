/**
 * The real handlers (functions/webhooks.ts, functions/api.ts), configured only through the
 * environment like in Lambda, against dynalite, fauxqs and the Secrets Manager twin in-process,
 * with the demo network and connections imported as the twin does.
 */
import { readFileSync } from 'node:fs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretsManager, type SecretsManagerTwin } from '#infra/local/secrets-manager.ts';
import { canonicalOrderId } from '#shared/order-id.ts';
import { apigwEvent, signBody, signStandard } from '#marketplaces/testing.ts';
import { Decision } from '#routing/decision.ts';
import { createDocumentClient } from '#store/client.ts';
import { importNetworkDir } from '#store/import.ts';
import { ensureTable } from '#store/table.ts';
import { startDynalite, type DynaliteHandle } from './helpers/dynalite.ts';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const TABLE = 'SilkrouteTable';
const demo = JSON.parse(readFileSync(new URL('../data/demo/connections.json', import.meta.url), 'utf8')) as {
  platform: string;
  shop: string;
  secret: string;
  apiKey: string;
}[];
const key = (platform: string) => demo.find((c) => c.platform === platform)!.apiKey;
const apigw = (name: string): APIGatewayProxyEventV2 => JSON.parse(readFileSync(new URL(`../events/apigw/${name}`, import.meta.url), 'utf8'));
const context = { awsRequestId: 'test', functionName: 'test' } as Context;
const body = (r: APIGatewayProxyStructuredResultV2) => JSON.parse(r.body ?? 'null');

let dynamo: DynaliteHandle;
let fauxqs: FauxqsServer;
let secrets: SecretsManagerTwin;
let sqs: SQSClient;
let queueUrl: string;
let webhooks: Handler;
let api: Handler;
let doc: ReturnType<typeof createDocumentClient>;
const received: { orderId: string; afterVersion: number }[] = [];

async function drain(): Promise<typeof received> {
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 300 }));
    if (!Messages?.length) return received;
    received.push(...Messages.map((m) => JSON.parse(m.Body!)));
  }
}
async function orderItems(): Promise<Record<string, unknown>[]> {
  const { Items } = await doc.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true, FilterExpression: 'sk = :o', ExpressionAttributeValues: { ':o': 'ORDER' } }));
  return Items ?? [];
}

beforeAll(async () => {
  [dynamo, fauxqs, secrets] = await Promise.all([startDynalite(), startFauxqs({ port: 0, logger: false }), startSecretsManager()]);
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  sqs = new SQSClient({ endpoint: `http://127.0.0.1:${fauxqs.port}`, region: 'eu-central-1', credentials });
  // The SDK sends to the QueueUrl's host when the endpoint comes from the environment: make it loopback.
  const created = new URL(fauxqs.createQueue('OrdersQueue', { region: 'eu-central-1' }).queueUrl);
  queueUrl = `http://127.0.0.1:${fauxqs.port}${created.pathname}`;
  await ensureTable(dynamo.client, TABLE);
  doc = createDocumentClient({ client: dynamo.client });
  const sm = new SecretsManagerClient({ endpoint: secrets.endpoint, region: 'eu-central-1', credentials });
  await importNetworkDir('data/demo', { tableName: TABLE, now: new Date(), doc, secrets: sm, secretsPrefix: 'silkroute/test/webhooks/', demo: true });
  sm.destroy();
  // Exactly what the Lambda gets: names from definitions.ts, endpoints from the SDK's standard variables.
  Object.assign(process.env, {
    TABLE_NAME: TABLE,
    ORDERS_QUEUE_URL: queueUrl,
    // TikTok Shop deliveries go here; these tests send none.
    MARKETPLACE_QUEUE_URL: queueUrl.replace(/OrdersQueue$/, 'MarketplaceNotificationsQueue'),
    WEBHOOK_SECRETS_PREFIX: 'silkroute/test/webhooks/',
    // Read only when a one-click link is opened (none in this file).
    ACTION_LINK_SIGNING_NAME: 'silkroute/test/action-links',
    SNAPSHOT_TTL_SECONDS: '60',
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${fauxqs.port}`,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
  });
  webhooks = (await import('../functions/webhooks.ts')).handler as unknown as Handler;
  api = (await import('../functions/api.ts')).handler as unknown as Handler;
});
afterAll(async () => {
  sqs?.destroy();
  await Promise.all([fauxqs?.stop(), secrets?.stop(), dynamo?.stop()]);
});

describe('webhooks end to end (dynalite + fauxqs + Secrets Manager twin)', () => {
  const shopifyOrderId = canonicalOrderId('shopify', 'tianmen-garments.myshopify.com', '5820012349001');

  it('the same Shopify delivery 5 times and once under a new delivery id: one order item, one queue message', async () => {
    const event = apigw('webhook-shopify-orders-create.json');
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await webhooks(structuredClone(event), context));
    answers.push(await webhooks({ ...event, headers: { ...event.headers, 'x-shopify-webhook-id': 'a-new-delivery-id' } }, context));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.map((a) => body(a).status)).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(new Set(answers.map((a) => body(a).orderId))).toEqual(new Set([shopifyOrderId]));
    expect((await orderItems()).filter((i) => i.orderId === shopifyOrderId)).toHaveLength(1);
    expect((await drain()).filter((m) => m.orderId === shopifyOrderId)).toEqual([{ orderId: shopifyOrderId, afterVersion: 0 }]);
  });

  it('a forged signature is a 401 that records and queues nothing', async () => {
    const event = apigw('webhook-woocommerce-order-created.json');
    const forged = { ...event, headers: { ...event.headers, 'x-wc-webhook-signature': Buffer.alloc(32, 7).toString('base64') } };
    const before = (await orderItems()).length;
    const answer = await webhooks(forged, context);
    expect(answer.statusCode).toBe(401);
    expect(body(answer).error.code).toBe('unauthorized');
    expect((await orderItems()).length).toBe(before);
    expect((await drain()).some((m) => m.orderId === canonicalOrderId('woocommerce', 'https://shop.yiwu-goods.example', '10502'))).toBe(false);
  });

  it('WooCommerce order and ping, and a freshly signed Standard Webhooks order, are accepted', async () => {
    expect(body(await webhooks(apigw('webhook-woocommerce-ping.json'), context))).toEqual({ status: 'ok' });
    const woo = await webhooks(apigw('webhook-woocommerce-order-created.json'), context);
    expect([woo.statusCode, body(woo).status]).toEqual([200, 'accepted']);

    const stale = await webhooks(apigw('webhook-standard-order-created.json'), context);
    expect([stale.statusCode, body(stale).error.code]).toEqual([401, 'unauthorized']);
    const event = apigw('webhook-standard-order-created.json');
    const secret = demo.find((c) => c.platform === 'standard')!.secret;
    const now = Math.floor(Date.now() / 1000);
    const fresh = {
      ...event,
      headers: { ...event.headers, 'webhook-timestamp': String(now), 'webhook-signature': signStandard(event.headers['webhook-id']!, now, event.body!, secret) },
    };
    const answer = await webhooks(fresh, context);
    expect([answer.statusCode, body(answer).status]).toEqual([200, 'accepted']);
    expect(body(answer).orderId).toBe(canonicalOrderId('standard', 'erp.yiwu-goods.example', 'SO-2026-000731'));
  });
});

describe('WooCommerce orders that are real but odd (WooCommerce disables a hook after 5 failures)', () => {
  const secret = demo.find((c) => c.platform === 'woocommerce')!.secret;
  function woo(edit: (order: any) => void): APIGatewayProxyEventV2 {
    const event = apigw('webhook-woocommerce-order-created.json');
    const order = JSON.parse(event.body!);
    edit(order);
    const raw = JSON.stringify(order);
    return { ...event, body: raw, headers: { ...event.headers, 'x-wc-webhook-signature': signBody(raw, secret) } };
  }

  it('a line whose product has no SKU is recorded under no-sku:<line item id> and queued for routing', async () => {
    const answer = await webhooks(woo((o) => Object.assign(o, { id: 10601, line_items: [{ ...o.line_items[0], id: 611, sku: '' }, o.line_items[1]] })), context);
    expect([answer.statusCode, body(answer).status]).toEqual([200, 'accepted']);
    const item = (await orderItems()).find((i) => i.orderId === body(answer).orderId) as { order: { lines: { sku: string }[] } } | undefined;
    expect(item?.order.lines.map((l) => l.sku)).toEqual(['no-sku:611', 'SOCKS-5']);
    expect((await drain()).some((m) => m.orderId === body(answer).orderId)).toBe(true);
  });

  it('an order with the empty shipping address of virtual products is a 200 ignored that writes and queues nothing', async () => {
    const before = (await orderItems()).length;
    const answer = await webhooks(woo((o) => Object.assign(o, { id: 10602, shipping: { ...o.shipping, address_1: '', city: '', postcode: '', country: '' } })), context);
    expect([answer.statusCode, body(answer).status]).toEqual([200, 'ignored']);
    expect((await orderItems()).length).toBe(before);
    expect((await drain()).some((m) => m.orderId === canonicalOrderId('woocommerce', 'https://shop.yiwu-goods.example', '10602'))).toBe(false);
  });
});

describe('API end to end', () => {
  const shopifyOrderId = canonicalOrderId('shopify', 'tianmen-garments.myshopify.com', '5820012349001');

  it('GET /v1/orders/{id} shows the seller its webhook order; another seller gets 404', async () => {
    await webhooks(apigw('webhook-shopify-orders-create.json'), context);
    const own = await api(apigw('api-get-order.json'), context);
    expect(own.statusCode).toBe(200);
    expect(body(own)).toMatchObject({ orderId: shopifyOrderId, status: 'received', order: { sellerId: 'tianmen-garments', shipTo: { country: 'DE' } } });
    const event = apigw('api-get-order.json');
    const foreign = await api({ ...event, headers: { authorization: `Bearer ${key('woocommerce')}` } }, context);
    expect([foreign.statusCode, body(foreign).error.code]).toEqual([404, 'not-found']);
  });

  it('POST /v1/orders/{id}/reroute is a 409 while the order is not decided', async () => {
    const answer = await api(apigw('api-reroute.json'), context);
    expect([answer.statusCode, body(answer).error.code]).toEqual([409, 'not-reroutable']);
  });

  it('POST /v1/quotes routes against the imported demo network with the real engine', async () => {
    const answer = await api(apigw('api-quote.json'), context);
    expect(answer.statusCode).toBe(200);
    const decision = Decision.parse(body(answer));
    expect(decision.sellerId).toBe('tianmen-garments');
    expect(decision.candidates.length).toBeGreaterThan(1);
  });

  it('GET /openapi.json needs no key; an unknown route is a JSON 404', async () => {
    const doc = await api(apigw('api-openapi.json'), context);
    expect([doc.statusCode, body(doc).openapi]).toEqual([200, '3.1.0']);
    const missing = await api(apigwEvent({ method: 'GET', path: '/v1/nothing' }), context);
    expect([missing.statusCode, body(missing).error]).toEqual([404, { code: 'not-found', message: 'No route for GET /v1/nothing.' }]);
  });

  it('a wrong method on a known path is a 405 naming the methods in Allow, from every function', async () => {
    const quotes = await api(apigwEvent({ method: 'GET', path: '/v1/quotes' }), context);
    expect([quotes.statusCode, quotes.headers?.allow, body(quotes).error.code]).toEqual([405, 'POST', 'method-not-allowed']);
    expect(body(quotes).error.message).toBe('GET is not allowed on /v1/quotes; use POST.');
    const order = await api(apigwEvent({ method: 'DELETE', path: '/v1/orders/ord_1' }), context);
    expect([order.statusCode, order.headers?.allow]).toEqual([405, 'GET']);
    const hook = await webhooks(apigwEvent({ method: 'GET', path: '/webhooks/shopify' }), context);
    expect([hook.statusCode, hook.headers?.allow]).toEqual([405, 'POST']);
  });
});
