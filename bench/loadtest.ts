/**
 * `npm run loadtest [-- --orders N --concurrency C]` (issue 18 item 6): a Singles' Day rehearsal
 * on the in-process twin (infra/local/start.ts: patched dynalite, fauxqs, aws-ses-v2-local, the
 * handlers of functions/registry.ts behind the gateway and SQS pollers). Signed WooCommerce
 * webhooks go in as fast as the twin takes them (C in flight); the run ends with a
 * reconciliation: every accepted webhook decided once or in a DLQ with its reason on the order,
 * units add up (shards summed), emails = decisions. Measured in the same run: throughput, p50/p99
 * webhook latency, webhook→decision latency, DynamoDB requests and write units per order (the
 * SDK meter, lib/store/capacity-meter.ts) and raw dynalite PutItem throughput as the ceiling.
 * Writes `loadtest` into bench/results.json (the test's small run writes nowhere).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { capacityMeter } from '#store/capacity-meter.ts';
import { createDocumentClient } from '#store/client.ts';
import { TWIN_CREDENTIALS, TWIN_REGION } from '#infra/local/env.ts';
import { wooCommerceOrderCreatedHeaders } from '#infra/local/sign.ts';
import { startTwin } from '#infra/local/start.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHOP = 'https://shop.yiwu-goods.example';
const SECRET = 'demo-woocommerce-secret-yiwu-2026-not-for-production';
const SKUS = ['UMB-3F', 'SOCKS-5', 'BLOCKS-500', 'CLIPS-6'];
/** A platform retries a webhook it got no 200 for (Shopify and WooCommerce do): up to this many posts. */
const POSTS = 4;

export interface LoadtestFigures {
  readonly orders: number;
  readonly concurrency: number;
  readonly accepted: number;
  /** Webhooks never answered 200 in POSTS tries (a platform would give up later). */
  readonly refused: number;
  /** Webhooks accepted on a retry, after a 5xx or a timeout. */
  readonly retried: number;
  /** Answers other than 200, by status (a platform retries these). */
  readonly refusedBy: Record<string, number>;
  readonly decided: number;
  readonly routed: number;
  readonly unroutable: number;
  readonly deadLettered: number;
  readonly emails: number;
  readonly seconds: { readonly intake: number; readonly toLastDecision: number };
  readonly webhooksPerSec: number;
  readonly decisionsPerSec: number;
  readonly webhookMs: { readonly p50: number; readonly p99: number };
  readonly webhookToDecisionMs: { readonly p50: number; readonly p99: number };
  readonly perOrder: { readonly requests: number; readonly writeUnits: number; readonly readUnits: number; readonly byOperation: Record<string, { requests: number; writeUnits: number; readUnits: number }> };
  readonly rawPutItemPerSec: number;
  readonly problems: readonly string[];
}

const quantile = (sorted: readonly number[], q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

async function scanAll(doc: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return items;
}

/** Logical units per stock item (pool + shards), by seller|warehouse|sku. */
function unitsOf(items: readonly Record<string, unknown>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) {
    if ((i.kind === 'stock' || i.kind === 'stock-shard') && typeof i.sku === 'string' && typeof i.available === 'number') {
      const key = `${String(i.sellerId)}|${String(i.warehouseId)}|${i.sku}`;
      out.set(key, (out.get(key) ?? 0) + i.available);
    }
  }
  return out;
}

export async function runLoadtest(options: { orders: number; concurrency?: number; log?: (line: string) => void; timeoutMs?: number }): Promise<LoadtestFigures> {
  const log = options.log ?? (() => {});
  const concurrency = options.concurrency ?? 32;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const twin = await startTwin({ port: 0, sesPort: 0, eventsDir: false, visibilityTimeoutSeconds: 20, out: () => {}, err: () => {} });
  const clientConfig = { region: TWIN_REGION, credentials: TWIN_CREDENTIALS };
  const dynamodb = new DynamoDBClient({ ...clientConfig, endpoint: twin.endpoints.dynamodb });
  const doc = createDocumentClient({ client: dynamodb });
  const sqs = new SQSClient({ ...clientConfig, endpoint: twin.endpoints.sqs });
  const tableName = twin.resources.tableName;
  const problems: string[] = [];
  try {
    const baseline = unitsOf(await scanAll(doc, tableName));
    capacityMeter.reset();
    const accepted = new Map<string, number>();
    const latencies: number[] = [];
    let refused = 0;
    const refusedBy = new Map<string, number>();
    let retried = 0;
    let next = 0;
    const run = Date.now();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          const n = next++;
          if (n >= options.orders) return;
          const id = 7_000_000 + n;
          const sku = SKUS[n % SKUS.length]!;
          const body = JSON.stringify({
            id,
            number: `LT-${run}-${n}`,
            status: 'processing',
            currency: 'EUR',
            date_created_gmt: new Date().toISOString().slice(0, 19),
            total: '13.90',
            shipping: { first_name: 'Ana', last_name: 'Ruiz', address_1: 'Calle Mayor 1', city: 'Madrid', country: 'ES', postcode: '28013' },
            line_items: [{ id: 1, name: sku, product_id: 88, sku, quantity: 1, price: 6.95, subtotal: '6.95' }],
          });
          // Posted as the platform would, again after a pause while the answer is not a 200.
          for (let post = 1; post <= POSTS; post += 1) {
            const t0 = performance.now();
            const response = await fetch(`${twin.apiUrl}/webhooks/woocommerce`, {
              method: 'POST',
              headers: wooCommerceOrderCreatedHeaders(body, SECRET, { source: `${SHOP}/`, deliveryId: `lt-${run}-${n}` }),
              body,
            }).catch(() => undefined);
            const json = (await response?.json().catch(() => ({}))) as { status?: string; orderId?: string } | undefined;
            latencies.push(performance.now() - t0);
            if (response?.status === 200 && (json?.status === 'accepted' || json?.status === 'duplicate') && json.orderId !== undefined) {
              if (!accepted.has(json.orderId)) accepted.set(json.orderId, Date.now());
              if (post > 1) retried += 1;
              break;
            }
            const why = `${response?.status ?? 'no answer'} ${json?.status ?? ''}`.trim();
            refusedBy.set(why, (refusedBy.get(why) ?? 0) + 1);
            if (post === POSTS) refused += 1;
            else await new Promise((resolve) => setTimeout(resolve, 1000 * post));
          }
          if ((n + 1) % 1000 === 0) log(`  ${n + 1} webhooks sent`);
        }
      }),
    );
    const intakeSeconds = (performance.now() - started) / 1000;
    log(`intake done: ${accepted.size} accepted in ${round(intakeSeconds)} s; waiting for decisions`);

    // Decided = routed/unroutable with its notification handed on; failed = in the DLQ with a note.
    const deadline = performance.now() + (options.timeoutMs ?? 600_000);
    let orders: Record<string, unknown>[] = [];
    for (;;) {
      orders = (await scanAll(doc, tableName)).filter((i) => String(i.pk).startsWith('ORDER#') && i.sk === 'ORDER');
      const open = orders.filter((o) => !(((o.status === 'routed' || o.status === 'unroutable') && o.notifiedVersion === o.decisionVersion) || o.status === 'failed'));
      if (open.length === 0 && orders.length >= accepted.size) break;
      if (performance.now() > deadline) {
        problems.push(`${open.length} orders still undecided after the wait`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const toLastDecision = (performance.now() - started) / 1000;
    // The load test's own Scans (polling, reconciliation) are not the service's: no function scans.
    capacityMeter.byOperation.delete('ScanCommand');
    const metered = capacityMeter.totals();
    const byOperation = Object.fromEntries(
      [...capacityMeter.byOperation].map(([name, c]) => [name, { requests: round(c.requests / accepted.size, 2), writeUnits: round(c.writeUnits / accepted.size, 2), readUnits: round(c.readUnits / accepted.size, 2) }]),
    );

    // Emails: the notifications queue drained, then one per decision in the inbox.
    const depth = async (url: string) => {
      const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    };
    while ((await depth(twin.resources.queues.notifications.url)) > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    const inbox = ((await (await fetch(`${twin.inboxUrl}/store`)).json()) as { emails: { subject: string; body: { text?: string } }[] }).emails;
    const emailed = new Map<string, number>();
    for (const e of inbox) {
      const m = /ord_[a-z0-9_]+/i.exec(`${e.subject}\n${e.body.text ?? ''}`);
      if (m !== null) emailed.set(m[0], (emailed.get(m[0]) ?? 0) + 1);
    }

    const decided = orders.filter((o) => o.status === 'routed' || o.status === 'unroutable');
    const failed = orders.filter((o) => o.status === 'failed');
    for (const o of failed) if (typeof o.note !== 'string' || o.note === '') problems.push(`${String(o.orderId)} failed without a reason`);
    for (const id of accepted.keys()) if (!orders.some((o) => o.orderId === id)) problems.push(`${id} accepted but not stored`);
    if (orders.length !== accepted.size) problems.push(`${orders.length} order items for ${accepted.size} accepted webhooks`);
    for (const o of decided) {
      if (o.decisionVersion !== 1) problems.push(`${String(o.orderId)} decided ${String(o.decisionVersion)} times`);
      const n = emailed.get(String(o.orderId)) ?? 0;
      if (n !== 1) problems.push(`${String(o.orderId)}: ${n} emails`);
    }
    const dlq = await depth(twin.resources.queues.orders.dlqUrl);
    if (dlq !== failed.length) problems.push(`${dlq} messages in the orders DLQ, ${failed.length} orders failed`);

    const now = unitsOf(await scanAll(doc, tableName));
    const taken = new Map<string, number>();
    for (const o of decided) {
      for (const s of (o.reservations as { stock?: { warehouseId: string; sku: string; qty: number }[] } | undefined)?.stock ?? []) {
        const key = `${String(o.sellerId)}|${s.warehouseId}|${s.sku}`;
        taken.set(key, (taken.get(key) ?? 0) + s.qty);
      }
    }
    for (const [key, before] of baseline) {
      const expected = before - (taken.get(key) ?? 0);
      if (now.get(key) !== expected) problems.push(`${key}: ${now.get(key)} units != ${expected}`);
      if ((now.get(key) ?? 0) < 0) problems.push(`${key} oversold`);
    }

    const decisionLatencies = decided
      .map((o) => Date.parse(String((o.decision as { decidedAt?: string } | undefined)?.decidedAt)) - Date.parse(String(o.receivedAt)))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    latencies.sort((a, b) => a - b);

    // The ceiling: raw PutItem on the same dynalite, same concurrency, small items.
    const puts = Math.min(5000, Math.max(500, options.orders));
    let p = 0;
    const putStart = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          const n = p++;
          if (n >= puts) return;
          await doc.send(new PutCommand({ TableName: tableName, Item: { pk: `LOADTEST#${n}`, sk: 'PUT', n } }));
        }
      }),
    );
    const rawPutItemPerSec = Math.round(puts / ((performance.now() - putStart) / 1000));

    return {
      orders: options.orders,
      concurrency,
      accepted: accepted.size,
      refused,
      retried,
      refusedBy: Object.fromEntries(refusedBy),
      decided: decided.length,
      routed: decided.filter((o) => o.status === 'routed').length,
      unroutable: decided.filter((o) => o.status === 'unroutable').length,
      deadLettered: failed.length,
      emails: [...emailed.values()].reduce((a, b) => a + b, 0),
      seconds: { intake: round(intakeSeconds), toLastDecision: round(toLastDecision) },
      webhooksPerSec: Math.round(accepted.size / intakeSeconds),
      decisionsPerSec: Math.round(decided.length / toLastDecision),
      webhookMs: { p50: round(quantile(latencies, 0.5)), p99: round(quantile(latencies, 0.99)) },
      webhookToDecisionMs: { p50: quantile(decisionLatencies, 0.5), p99: quantile(decisionLatencies, 0.99) },
      perOrder: {
        requests: round(metered.requests / accepted.size, 2),
        writeUnits: round(metered.writeUnits / accepted.size, 2),
        readUnits: round(metered.readUnits / accepted.size, 2),
        byOperation,
      },
      rawPutItemPerSec,
      problems,
    };
  } finally {
    sqs.destroy();
    dynamodb.destroy();
    await twin.stop();
  }
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1, got ${process.argv[i + 1]}`);
  return value;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const orders = arg('orders', 20_000);
  const concurrency = arg('concurrency', 32);
  console.log(`loadtest: ${orders} signed webhooks, ${concurrency} in flight, on the in-process twin`);
  const figures = await runLoadtest({ orders, concurrency, log: (line) => console.log(line) });
  const results = path.join(ROOT, 'bench/results.json');
  const previous = fs.existsSync(results) ? (JSON.parse(fs.readFileSync(results, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(results, `${JSON.stringify({ ...previous, loadtest: { measuredAt: new Date().toISOString(), ...figures, problems: figures.problems.slice(0, 20) } }, null, 2)}\n`);
  console.log(JSON.stringify(figures, null, 2));
  console.log(figures.problems.length === 0 ? 'reconciliation: exact' : `reconciliation: ${figures.problems.length} problems`);
  process.exitCode = figures.problems.length === 0 ? 0 : 1;
}
