/**
 * Issue 16's "Done when", on the twin (real SQS, DynamoDB, SES and Secrets Manager servers, the
 * handlers behind the gateway and pollers, the platforms' order APIs as stand-ins):
 * - one Amazon ORDER_CHANGE notification and one TikTok Shop webhook each become one decision
 *   and one email; a duplicate of either changes nothing;
 * - a forged TikTok Shop webhook is the same 401 as every other webhook's;
 * - a 429 from the platform API delays the order but never loses it;
 * - a marketplace that allows only certain services never gets a route through another one.
 */
import { readFileSync } from 'node:fs';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TWIN_CREDENTIALS, TWIN_REGION } from '#infra/local/env.ts';
import { freshened, PlatformSample } from '#infra/local/platform-replay.ts';
import { startTwin, type Twin } from '#infra/local/start.ts';
import { signShopify } from '#infra/local/sign.ts';
import { tiktokWebhookSignature } from '#marketplaces/tiktok-shop.ts';
import { UNAUTHORIZED_MESSAGE } from '#marketplaces/webhook.ts';
import { canonicalOrderId } from '#shared/order-id.ts';
import { keys } from '#store/keys.ts';

interface DemoConnection {
  platform: string;
  shop: string;
  secret: string;
  apiKey: string;
  credentials?: { appKey?: string; accessToken?: string };
  shipping?: { services?: string[]; carriers?: string[] };
}
const demo = JSON.parse(readFileSync('data/demo/connections.json', 'utf8')) as DemoConnection[];
const AMAZON = demo.find((c) => c.platform === 'amazon')!;
const TIKTOK = demo.find((c) => c.platform === 'tiktok-shop')!;
const SHOPIFY = demo.find((c) => c.platform === 'shopify')!;
const sample = <P extends PlatformSample['platform']>(file: string) =>
  freshened(PlatformSample.parse(JSON.parse(readFileSync(`events/platforms/${file}`, 'utf8'))), new Date()) as Extract<PlatformSample, { platform: P }>;
const AMAZON_SAMPLE = sample<'amazon'>('amazon-order-change-unshipped.json');
const TIKTOK_SAMPLE = sample<'tiktok-shop'>('tiktok-shop-order-awaiting-shipment.json');

let twin: Twin;
let sqs: SQSClient;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  // The throttled fetches below log a warning each, as they should; keep the test output readable.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  // No replay: each test delivers its own notifications. Short visibility: a throttled order is back in seconds.
  twin = await startTwin({ port: 0, sesPort: 0, eventsDir: false, platformEventsDir: false, visibilityTimeoutSeconds: 3, out: () => {}, err: () => {} });
  sqs = new SQSClient({ region: TWIN_REGION, credentials: TWIN_CREDENTIALS, endpoint: twin.endpoints.sqs });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: TWIN_REGION, credentials: TWIN_CREDENTIALS, endpoint: twin.endpoints.dynamodb }));
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  doc?.destroy();
  await twin?.stop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function order(orderId: string, apiKey: string): Promise<{ status: string; decision?: any } | undefined> {
  const response = await fetch(`${twin.apiUrl}/v1/orders/${orderId}`, { headers: { authorization: `Bearer ${apiKey}` } });
  return response.ok ? ((await response.json()) as { status: string; decision?: any }) : undefined;
}
const decided = (orderId: string, apiKey: string) => until(`a decision for ${orderId}`, async () => {
  const view = await order(orderId, apiKey);
  return view !== undefined && view.status !== 'received' ? view : undefined;
});

async function emailsAbout(externalId: string): Promise<{ subject: string }[]> {
  const all = ((await (await fetch(`${twin.inboxUrl}/store`)).json()) as { emails: { subject: string }[] }).emails;
  return all.filter((e) => e.subject.includes(externalId));
}
const oneEmail = (externalId: string) => until(`the email about ${externalId}`, async () => ((await emailsAbout(externalId)).length > 0 ? emailsAbout(externalId) : undefined));

async function decisionRecords(orderId: string): Promise<number> {
  const { Items } = await doc.send(new QueryCommand({ TableName: twin.resources.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)', ExpressionAttributeValues: { ':pk': keys.order(orderId).pk, ':d': 'DECISION#' }, ConsistentRead: true }));
  return Items?.length ?? 0;
}
async function decisionVersion(orderId: string): Promise<number> {
  const { Item } = await doc.send(new GetCommand({ TableName: twin.resources.tableName, Key: keys.order(orderId), ConsistentRead: true }));
  return Number(Item?.decisionVersion ?? 0);
}

/** Until the marketplace queue holds nothing, visible or in flight: every notification was handled. */
async function marketplaceDrained(): Promise<void> {
  await until('the marketplace queue to drain', async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: twin.resources.queues.marketplace.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible) === 0 ? true : undefined;
  });
}

const notify = (notification: object) => sqs.send(new SendMessageCommand({ QueueUrl: twin.resources.queues.marketplace.url, MessageBody: JSON.stringify(notification) }));

function postTikTok(body: string, authorization: string): Promise<Response> {
  return fetch(`${twin.apiUrl}/webhooks/tiktok-shop`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
}
const signedTikTok = (body: string) => tiktokWebhookSignature(body, TIKTOK.credentials!.appKey!, TIKTOK.secret);

/** The carrier that takes a shipment to the buyer, as the demo network names it. */
function carrierOf(shipment: { mode: string; serviceId?: string; warehouseId?: string }, country: string): string {
  const services = JSON.parse(readFileSync('data/demo/parcel-services.json', 'utf8')) as { id: string; carrier: string }[];
  const warehouses = JSON.parse(readFileSync('data/demo/warehouses.json', 'utf8')) as { id: string; lastMile: Record<string, { carrier: string }> }[];
  if (shipment.mode === 'direct-parcel') return services.find((s) => s.id === shipment.serviceId)!.carrier;
  return warehouses.find((w) => w.id === shipment.warehouseId)!.lastMile[country]!.carrier;
}

describe('Amazon SP-API on the twin', () => {
  const orderId = canonicalOrderId('amazon', AMAZON.shop, AMAZON_SAMPLE.order.AmazonOrderId);

  it('turns one ORDER_CHANGE notification into one decision and one email, through an allowed carrier only', async () => {
    twin.platforms.putAmazonOrder(AMAZON_SAMPLE.order, AMAZON_SAMPLE.items);
    await notify(AMAZON_SAMPLE.notification);
    const view = await decided(orderId, AMAZON.apiKey);
    expect(view.status).toBe('routed');
    expect(await oneEmail(AMAZON_SAMPLE.order.AmazonOrderId)).toHaveLength(1);
    expect(await decisionRecords(orderId)).toBe(1);
    // The order was fetched with an LWA access token: one token for the whole test file's Amazon calls.
    expect(twin.platforms.counts.get('lwa-token')).toBe(1);
    for (const shipment of view.decision.chosen.shipments) expect(AMAZON.shipping!.carriers).toContain(carrierOf(shipment, 'DE'));
    // Every route whose carrier Amazon does not list is reported with the marketplace rule, and only those.
    for (const c of view.decision.candidates.filter((x: any) => x.mode !== 'split')) {
      const allowed = AMAZON.shipping!.carriers!.includes(carrierOf(c, 'DE'));
      expect(c.reasons?.some((r: any) => r.code === 'marketplace-rule') ?? false, c.routeId).toBe(!allowed);
    }
    expect(view.decision.candidates.filter((c: any) => c.reasons?.some((r: any) => r.code === 'marketplace-rule')).length).toBeGreaterThanOrEqual(3);
  });

  it('changes nothing on a duplicate notification: the order is fetched again, and recorded, decided and emailed no second time', async () => {
    await decided(orderId, AMAZON.apiKey);
    const fetchedBefore = twin.platforms.counts.get('getOrder') ?? 0;
    await notify(AMAZON_SAMPLE.notification);
    // The same change under another notification id is a duplicate by the order's business key.
    await notify({ ...AMAZON_SAMPLE.notification, NotificationMetadata: { NotificationId: 'another-notification-of-the-same-order' } });
    await marketplaceDrained();
    // Both were fetched (a notification only says that something changed), neither recorded anything.
    expect(twin.platforms.counts.get('getOrder')).toBe(fetchedBefore + 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await decisionRecords(orderId)).toBe(1);
    expect(await decisionVersion(orderId)).toBe(1);
    expect(await emailsAbout(AMAZON_SAMPLE.order.AmazonOrderId)).toHaveLength(1);
  });

  it('is delayed, never lost, by a 429 from the platform API', async () => {
    const amazonOrderId = '302-4410123-5560999';
    const throttledId = canonicalOrderId('amazon', AMAZON.shop, amazonOrderId);
    twin.platforms.putAmazonOrder({ ...AMAZON_SAMPLE.order, AmazonOrderId: amazonOrderId }, AMAZON_SAMPLE.items);
    twin.platforms.throttle(amazonOrderId, 2);
    const before = twin.platforms.counts.get('429') ?? 0;
    const notification = structuredClone(AMAZON_SAMPLE.notification) as any;
    notification.Payload.OrderChangeNotification.AmazonOrderId = amazonOrderId;
    notification.NotificationMetadata.NotificationId = 'throttled-notification';
    await notify(notification);
    const view = await decided(throttledId, AMAZON.apiKey);
    expect(view.status).toBe('routed');
    expect(twin.platforms.counts.get('429')).toBe(before + 2);
    expect(await oneEmail(amazonOrderId)).toHaveLength(1);
  }, 60_000);

  it('gives the stock back when Amazon reports the order cancelled', async () => {
    await decided(orderId, AMAZON.apiKey);
    twin.platforms.putAmazonOrder({ ...AMAZON_SAMPLE.order, OrderStatus: 'Canceled' }, AMAZON_SAMPLE.items);
    await notify({ ...AMAZON_SAMPLE.notification, NotificationMetadata: { NotificationId: 'cancel-notification' } });
    await until('the cancellation', async () => ((await order(orderId, AMAZON.apiKey))?.status === 'cancelled' ? true : undefined));
  });
});

describe('TikTok Shop on the twin', () => {
  const body = JSON.stringify(TIKTOK_SAMPLE.webhook);
  const externalId = TIKTOK_SAMPLE.order.id;
  const orderId = canonicalOrderId('tiktok-shop', TIKTOK.shop, externalId);

  it('answers a forged webhook with the same 401 as every other webhook, and queues nothing', async () => {
    const forged = await postTikTok(body, tiktokWebhookSignature(body, TIKTOK.credentials!.appKey!, 'not-the-app-secret'));
    expect(forged.status).toBe(401);
    const forgedBody = await forged.json();
    expect(forgedBody).toEqual({ error: { code: 'unauthorized', message: UNAUTHORIZED_MESSAGE } });
    // The same answer a forged Shopify delivery gets (ADR 0016).
    const shopify = await fetch(`${twin.apiUrl}/webhooks/shopify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-shop-domain': SHOPIFY.shop, ...signShopify('{"id":1}', 'wrong') },
      body: '{"id":1}',
    });
    expect(shopify.status).toBe(401);
    expect(await shopify.json()).toEqual(forgedBody);
    expect((await postTikTok(body, '')).status).toBe(401);
    // An unknown shop reads the same.
    const stranger = JSON.stringify({ ...TIKTOK_SAMPLE.webhook, shop_id: '1111111111111111111' });
    expect(await (await postTikTok(stranger, signedTikTok(stranger))).json()).toEqual(forgedBody);
    expect(twin.platforms.counts.get('tiktok-order-detail') ?? 0).toBe(0);
  });

  it('turns one signed webhook into one decision and one email, through the platform\'s logistics only', async () => {
    twin.platforms.putTikTokOrder(TIKTOK.credentials!.accessToken!, TIKTOK_SAMPLE.order);
    const answer = await postTikTok(body, signedTikTok(body));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ orderId, status: 'queued' });
    const view = await decided(orderId, TIKTOK.apiKey);
    expect(view.status).toBe('routed');
    expect(view.decision.chosen.shipments.map((s: any) => s.serviceId)).toEqual(['YUN-DDP']);
    // Every feasible alternative, a split into several YunExpress parcels included, uses YunExpress only.
    for (const c of view.decision.candidates.filter((x: any) => x.feasible)) {
      for (const part of c.parts ?? [c]) expect(part.routeId, c.routeId).toBe('direct:YUN-DDP');
    }
    expect(await oneEmail(externalId)).toHaveLength(1);
    expect(await decisionRecords(orderId)).toBe(1);
  });

  it('changes nothing on a duplicate webhook', async () => {
    await decided(orderId, TIKTOK.apiKey);
    const fetchedBefore = twin.platforms.counts.get('tiktok-order-detail') ?? 0;
    const again = await postTikTok(body, signedTikTok(body));
    expect(await again.json()).toEqual({ orderId, status: 'queued' });
    await marketplaceDrained();
    expect(twin.platforms.counts.get('tiktok-order-detail')).toBe(fetchedBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await decisionRecords(orderId)).toBe(1);
    expect(await decisionVersion(orderId)).toBe(1);
    expect(await emailsAbout(externalId)).toHaveLength(1);
  });

  it('is delayed, never lost, by a 429 from Get Order Detail', async () => {
    const otherId = '578136420911235999';
    const other = { ...TIKTOK_SAMPLE.order, id: otherId };
    twin.platforms.putTikTokOrder(TIKTOK.credentials!.accessToken!, other);
    twin.platforms.throttle(otherId, 2);
    const hook = JSON.stringify({ ...TIKTOK_SAMPLE.webhook, tts_notification_id: '7449920137716179999', data: { ...(TIKTOK_SAMPLE.webhook.data as object), order_id: otherId } });
    expect((await postTikTok(hook, signedTikTok(hook))).status).toBe(200);
    const view = await decided(canonicalOrderId('tiktok-shop', TIKTOK.shop, otherId), TIKTOK.apiKey);
    expect(view.status).toBe('routed');
    expect(await oneEmail(otherId)).toHaveLength(1);
  }, 60_000);
});
