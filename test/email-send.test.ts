/**
 * The email function end to end, on real protocols: dynalite for the table, aws-ses-v2-local
 * (in-process) for SES, the handler module as Lambda loads it (config from the environment,
 * clients from the SDK's standard endpoint variables).
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { loadNetworkDir } from '#network/load.ts';
import type { CanonicalOrder } from '#network/schemas.ts';
import { route } from '#routing/route.ts';
import { createDocumentClient } from '#store/client.ts';
import { startSecretsManager, type SecretsManagerTwin } from '#infra/local/secrets-manager.ts';
import { orderItem } from '#store/orders.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { writeReference } from '#store/reference.ts';
import { ensureTable } from '#store/table.ts';
import { createNotificationStore } from '#store/notifications.ts';
import { startDynalite, type DynaliteHandle } from './helpers/dynalite.ts';

// aws-ses-v2-local is CommonJS with an `exports.default`: require it so Node and vitest agree.
const { default: sesServer } = createRequire(import.meta.url)('aws-ses-v2-local') as typeof import('aws-ses-v2-local');

const TABLE = 'silkroute-email-e2e';
const FROM = 'routing@silkroute.example';

let db: DynaliteHandle;
let secretsManager: SecretsManagerTwin | undefined;
let ses: Server;
let sesUrl: string;
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let doc: ReturnType<typeof createDocumentClient>;

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
}

async function inbox(): Promise<StoredEmail[]> {
  const response = await fetch(`${sesUrl}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

const context = { functionName: 'EmailFunction', awsRequestId: 'test', getRemainingTimeInMillis: () => 20_000 } as unknown as Context;

let sequence = 0;
function sqsRecord(body: unknown): SQSRecord {
  sequence += 1;
  return {
    messageId: `msg-${sequence}`,
    receiptHandle: `rh-${sequence}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-central-1:000000000000:NotificationsQueue',
    awsRegion: 'eu-central-1',
  };
}

/** Routes an order on the demo network and stores it as decided (version `version`). */
async function storeDecidedOrder(order: CanonicalOrder, version = 1): Promise<OrderRecord> {
  const now = new Date();
  const { snapshot } = await loadNetworkDir('data/demo', { now });
  const decision = route(order, snapshot, now);
  const record: OrderRecord = {
    orderId: order.orderId,
    sellerId: order.sellerId,
    status: decision.status,
    order,
    source: { platform: 'shopify', shop: 'jinxiu-apparel.myshopify.com' },
    receivedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    decisionVersion: version,
    decision,
  };
  await doc.send(new PutCommand({ TableName: TABLE, Item: orderItem(record) }));
  return record;
}

function order(orderId: string, externalId: string): CanonicalOrder {
  return {
    orderId,
    sellerId: 'tianmen-garments',
    marketplace: 'shopify',
    externalId,
    placedAt: new Date().toISOString(),
    shipTo: { country: 'DE', postalCode: '47051' },
    lines: [{ sku: 'TEE-COT', qty: 1 }],
  };
}

beforeAll(async () => {
  db = await startDynalite();
  await ensureTable(db.client, TABLE);
  doc = createDocumentClient({ client: db.client });
  const { files } = await loadNetworkDir('data/demo', { now: new Date() });
  await writeReference({ doc, tableName: TABLE }, files);

  ses = await sesServer({ host: '127.0.0.1', port: 0 });
  sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;

  secretsManager = await startSecretsManager();
  secretsManager.store.createSecret({ Name: 'silkroute/test/action-links', SecretString: 'k'.repeat(48) });

  // What the CDK stack and the local twin give the function.
  Object.assign(process.env, {
    ACTION_LINK_SIGNING_NAME: 'silkroute/test/action-links',
    PUBLIC_API_URL: 'https://api.silkroute.example',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
    TABLE_NAME: TABLE,
    EMAIL_FROM: FROM,
    SNAPSHOT_TTL_SECONDS: '60',
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_SESV2: sesUrl,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  ({ handler } = await import('../functions/send-email.ts'));
});

afterAll(async () => {
  ses?.closeAllConnections();
  await new Promise<void>((resolve) => (ses ? ses.close(() => resolve()) : resolve()));
  await db?.stop();
  await secretsManager?.stop();
});

beforeEach(async () => {
  await fetch(`${sesUrl}/clear-store`, { method: 'POST' });
});

describe('the email function', () => {
  it('sends one email in the seller\'s language to the seller for one notification', async () => {
    const record = await storeDecidedOrder(order('ord-e2e-1', '1042'));
    const result = await handler({ Records: [sqsRecord({ orderId: record.orderId, decisionVersion: 1 })] }, context);
    expect(result.batchItemFailures).toEqual([]);
    const emails = await inbox();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email!.from).toBe(FROM);
    expect(email!.destination.to).toEqual(['orders@tianmen-garments.example']);
    expect(email!.subject).toMatch(/^【Silkroute】订单 #1042 → /);
    expect(email!.body.html).toContain('费用明细');
    expect(email!.body.text).toContain('【费用明细】');
    const marker = await createNotificationStore({ doc, tableName: TABLE }).get(record.orderId, 1);
    expect(marker).toMatchObject({ state: 'sent', messageId: email!.messageId });
  });

  it('sends exactly one email when the same notification is delivered 5 times', async () => {
    const record = await storeDecidedOrder(order('ord-e2e-5', '1043'));
    const message = { orderId: record.orderId, decisionVersion: 1 };
    // Five deliveries in a row (redeliveries) and, for good measure, five in one batch.
    for (let i = 0; i < 5; i += 1) {
      const result = await handler({ Records: [sqsRecord(message)] }, context);
      expect(result.batchItemFailures).toEqual([]);
    }
    const batch = await handler({ Records: Array.from({ length: 5 }, () => sqsRecord(message)) }, context);
    expect(batch.batchItemFailures).toEqual([]);
    const emails = await inbox();
    expect(emails.filter((e) => e.subject.includes('#1043'))).toHaveLength(1);
  });

  it('skips a notification whose decision was superseded by a reroute', async () => {
    const record = await storeDecidedOrder(order('ord-e2e-old', '1044'), 2);
    const result = await handler({ Records: [sqsRecord({ orderId: record.orderId, decisionVersion: 1 })] }, context);
    expect(result.batchItemFailures).toEqual([]);
    expect(await inbox()).toEqual([]);
  });

  it('fails only the bad record of a batch: an unreadable body and an unknown order go back to the queue', async () => {
    const record = await storeDecidedOrder(order('ord-e2e-mixed', '1045'));
    const good = sqsRecord({ orderId: record.orderId, decisionVersion: 1 });
    const garbage = sqsRecord('{not json');
    const unknown = sqsRecord({ orderId: 'ord-nobody', decisionVersion: 1 });
    const result = await handler({ Records: [garbage, good, unknown] }, context);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([garbage.messageId, unknown.messageId].sort());
    const emails = await inbox();
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toContain('#1045');
  });

  it('answers a batch whose every record failed with batchItemFailures, not a function error', async () => {
    // A thrown error would count against the function's Errors alarm for one lone retry.
    const unknown = sqsRecord({ orderId: 'ord-nobody-alone', decisionVersion: 1 });
    const result = await handler({ Records: [unknown] }, context);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: unknown.messageId }]);
    expect(await inbox()).toHaveLength(0);
  });
});
