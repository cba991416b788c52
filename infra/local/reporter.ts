/**
 * What `npm start` prints while it serves: one concise line per webhook received, decision made
 * and email sent, so a developer sees the pipeline move. The twin observes from outside the
 * handlers — it wraps the gateway's webhook handler and the router's SQS handler, reads the
 * decision from the table as any client would, and listens on the SES twin's store — so no
 * handler or data-layer code knows it runs locally (docs/decisions/0050).
 */
import { createRequire } from 'node:module';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, SQSEvent } from 'aws-lambda';
import type { OrderRecord } from '#store/order-record.ts';
import type { LambdaHandler } from './lambda.ts';

const require = createRequire(import.meta.url);

export interface Reporter {
  /** The webhooks function, reporting each delivery and its answer. */
  webhooks<H extends LambdaHandler<APIGatewayProxyEventV2, unknown>>(handler: H): H;
  /** The router, reporting each decision it committed (once per decision version). */
  router<H extends LambdaHandler<SQSEvent, unknown>>(handler: H): H;
  /** Stops listening for emails. */
  stop(): void;
}

export interface ReporterOptions {
  readonly out: (line: string) => void;
  /** Reads an order as stored (lib/store/orders.ts getOrder on the twin's table). */
  readonly getOrder: (orderId: string) => Promise<OrderRecord | undefined>;
}

const pad = (word: string) => word.padEnd(8);

/** One line for a webhook delivery: `webhook  shopify tianmen-garments.myshopify.com → 200 accepted ord_…`. */
export function webhookLine(event: Pick<APIGatewayProxyEventV2, 'rawPath' | 'headers'>, result: unknown): string {
  const platform = (event.rawPath ?? '').split('/').filter(Boolean).at(-1) ?? '?';
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const shop = headers['x-shopify-shop-domain'] ?? headers['x-wc-webhook-source'] ?? headers['x-silkroute-shop'] ?? '';
  const r = (result ?? {}) as APIGatewayProxyStructuredResultV2;
  let body: { orderId?: string; status?: string; message?: string; error?: { code?: string; message?: string } } = {};
  try {
    body = JSON.parse(typeof r.body === 'string' ? r.body : '{}');
  } catch {
    // Not JSON: the status code says enough.
  }
  const what = body.error !== undefined ? `${body.error.code}: ${body.error.message}` : [body.status, body.orderId ?? body.message].filter(Boolean).join(' ');
  return `${pad('webhook')} ${platform} ${shop}`.trimEnd() + ` → ${r.statusCode ?? '?'} ${what}`.trimEnd();
}

/** One line for a decision: `decision routed overseas-warehouse warehouse:WH-DUI 50.11 CNY, eta 2026-12-04 · ord_…`. */
export function decisionLine(record: OrderRecord): string {
  const d = record.decision;
  let what: string;
  if (d?.chosen !== undefined) {
    const c = d.chosen;
    what = `routed ${c.mode} ${c.routeId} ${c.cost.total.toFixed(2)} ${c.cost.currency}, eta ${c.eta.latest}`;
  } else if (d !== undefined) {
    const reason = d.candidates.flatMap((c) => c.reasons ?? [])[0];
    what = `unroutable${reason === undefined ? '' : `: ${reason.message}`}`;
  } else what = `${record.status}${record.note === undefined ? '' : `: ${record.note}`}`;
  return `${pad('decision')} ${what} · ${record.orderId}`;
}

/** One line for an email the SES twin accepted: `email    to seller@example.com: subject`. */
export function emailLine(email: { destination?: { to?: readonly string[] }; subject?: string }): string {
  return `${pad('email')} to ${(email.destination?.to ?? []).join(', ')}: ${email.subject ?? '(no subject)'}`;
}

export function createReporter(options: ReporterOptions): Reporter {
  const { out } = options;
  const reported = new Map<string, string>();
  const store = require('aws-ses-v2-local/dist/store.js') as { saveEmail: (email: unknown) => void };
  const previous = store.saveEmail;
  store.saveEmail = (email: unknown) => {
    previous(email);
    out(emailLine(email as Parameters<typeof emailLine>[0]));
  };
  return {
    webhooks(handler) {
      return (async (event: APIGatewayProxyEventV2, context) => {
        const result = await handler(event, context);
        out(webhookLine(event, result));
        return result;
      }) as typeof handler;
    },
    router(handler) {
      return (async (event: SQSEvent, context) => {
        const result = await handler(event, context);
        const ids = new Set<string>();
        for (const record of event.Records ?? []) {
          try {
            const id = (JSON.parse(record.body) as { orderId?: unknown }).orderId;
            if (typeof id === 'string') ids.add(id);
          } catch {
            // A poison message: the router logs it.
          }
        }
        for (const id of ids) {
          const order = await options.getOrder(id).catch(() => undefined);
          if (order === undefined || (order.decision === undefined && order.status !== 'failed')) continue;
          // A redelivery of a decided order decides nothing new: one line per decision version.
          const version = `${order.decisionVersion}:${order.status}`;
          if (reported.get(id) === version) continue;
          reported.set(id, version);
          out(decisionLine(order));
        }
        return result;
      }) as typeof handler;
    },
    stop() {
      store.saveEmail = previous;
    },
  };
}
