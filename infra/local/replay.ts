/**
 * Replays the sample webhooks of events/webhooks/ against the running twin, signed at replay
 * time with the demo secrets of data/demo/connections.json, waits for each order to be routed,
 * and renders the decisions as a table. The file format is documented in infra/local/README.md.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as z from 'zod';
import { Connection, orderLabel } from '#network/schemas.ts';
import { savingText } from '../../lib/cli/table.ts';
import { signShopify, signStandardWebhook, signWooCommerce } from './sign.ts';

/** One sample delivery: what the platform would POST, minus the signature. */
export const Delivery = z.object({
  path: z.string().startsWith('/'),
  platform: z.string().min(1),
  shop: z.string().min(1),
  /** Non-signature headers; any case. Missing platform headers get defaults (see README). */
  headers: z.record(z.string(), z.string()).default({}),
  /** JSON (sent as `JSON.stringify(body)`) or a string sent byte for byte (form-encoded pings). */
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]),
});
export type Delivery = z.infer<typeof Delivery>;

export interface PreparedRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

type Signer = 'shopify' | 'woocommerce' | 'standard';

/** Which signature a delivery needs: by endpoint first, by platform name otherwise. */
export function signerFor(delivery: Pick<Delivery, 'path' | 'platform'>): Signer | undefined {
  const byPath: Record<string, Signer> = {
    '/webhooks/shopify': 'shopify',
    '/webhooks/woocommerce': 'woocommerce',
    '/webhooks/orders': 'standard',
  };
  const signer = byPath[delivery.path];
  if (signer !== undefined) return signer;
  return (['shopify', 'woocommerce', 'standard'] as const).find((s) => s === delivery.platform);
}

/**
 * Builds the exact request: the raw body, the file's headers, platform defaults for headers the
 * file leaves out, and fresh signature headers (which always win).
 */
export function prepareDelivery(delivery: Delivery, secret: string, now: Date = new Date(), name = delivery.path): PreparedRequest {
  const body = typeof delivery.body === 'string' ? delivery.body : JSON.stringify(delivery.body);
  const headers: Record<string, string> = { ...delivery.headers };
  const has = (header: string) => Object.keys(headers).some((h) => h.toLowerCase() === header.toLowerCase());
  const setDefault = (header: string, value: string) => {
    if (!has(header)) headers[header] = value;
  };
  // Stable per sample, so replaying the same file twice is a duplicate delivery, as on the platform.
  const stableId = createHash('sha256').update(`${name}\n${body}`).digest('hex');
  const uuid = `${stableId.slice(0, 8)}-${stableId.slice(8, 12)}-${stableId.slice(12, 16)}-${stableId.slice(16, 20)}-${stableId.slice(20, 32)}`;
  setDefault('Content-Type', typeof delivery.body === 'string' ? 'text/plain' : 'application/json');
  const signer = signerFor(delivery);
  let signature: Record<string, string> = {};
  switch (signer) {
    case 'shopify':
      setDefault('User-Agent', 'Shopify-Captain-Hook');
      setDefault('X-Shopify-Topic', 'orders/create');
      setDefault('X-Shopify-Shop-Domain', delivery.shop);
      setDefault('X-Shopify-Webhook-Id', uuid);
      setDefault('X-Shopify-Triggered-At', now.toISOString());
      signature = signShopify(body, secret);
      break;
    case 'woocommerce':
      setDefault('User-Agent', 'WooCommerce/9.0 Hookshot (WordPress/6.6)');
      setDefault('X-WC-Webhook-Source', delivery.shop);
      setDefault('X-WC-Webhook-Topic', 'order.created');
      setDefault('X-WC-Webhook-Resource', 'order');
      setDefault('X-WC-Webhook-Event', 'created');
      setDefault('X-WC-Webhook-Delivery-ID', String(parseInt(stableId.slice(0, 8), 16)));
      signature = signWooCommerce(body, secret);
      break;
    case 'standard': {
      const idHeader = Object.keys(headers).find((h) => h.toLowerCase() === 'webhook-id');
      const id = idHeader !== undefined ? headers[idHeader]! : `msg_${stableId.slice(0, 26)}`;
      if (idHeader !== undefined) delete headers[idHeader];
      setDefault('User-Agent', 'Silkroute-Replay');
      signature = signStandardWebhook(body, secret, { id, timestamp: now });
      break;
    }
    case undefined:
      break;
  }
  for (const name of Object.keys(signature)) {
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
  }
  return { path: delivery.path, headers: { ...headers, ...signature }, body };
}

export interface ReplayResult {
  readonly file: string;
  readonly platform: string;
  readonly shop: string;
  readonly httpStatus?: number;
  readonly orderId?: string;
  /** accepted | duplicate from the webhook; then the order's status once looked up. */
  readonly status: string;
  readonly apiKey?: string;
  /** GET /v1/orders/{id} answer, when it could be read. */
  readonly order?: OrderView;
  readonly problem?: string;
}

export interface OrderView {
  readonly orderId: string;
  readonly status: string;
  /** The canonical order: its externalId and, from the platform, orderNumber name it to people. */
  readonly order?: { readonly externalId: string; readonly orderNumber?: string };
  readonly decision?: {
    readonly status?: string;
    readonly chosen?: {
      readonly routeId: string;
      readonly mode: string;
      readonly cost: { readonly total: number; readonly currency: string };
      readonly eta: { readonly earliest: string; readonly latest: string };
      readonly shipments?: readonly { readonly mode: string; readonly warehouseId?: string }[];
    };
    readonly candidates?: readonly { routeId: string; feasible: boolean; reasons?: readonly { code: string; message: string }[] }[];
    readonly savingsVsDirect?: { readonly amount: number; readonly currency: string };
  };
  readonly note?: string;
}

/** Reads every `*.json` of `dir` as a Delivery (sorted by name); a missing dir is no samples. */
export async function loadDeliveries(dir: string): Promise<{ file: string; delivery?: Delivery; problem?: string }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(
    names.map(async (file) => {
      try {
        const parsed = Delivery.safeParse(JSON.parse(await readFile(join(dir, file), 'utf8')));
        if (parsed.success) return { file, delivery: parsed.data };
        return { file, problem: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
      } catch (error) {
        return { file, problem: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

/** Reads data/<dir>/connections.json (the demo credentials). */
export async function loadConnections(dataDir: string): Promise<Connection[]> {
  const raw: unknown = JSON.parse(await readFile(join(dataDir, 'connections.json'), 'utf8'));
  return z.array(Connection).parse(raw);
}

/**
 * POSTs every sample, then polls GET /v1/orders/{id} (with the seller's API key) until each
 * order has left `received` or `waitMs` has passed.
 */
export async function replayWebhooks(options: {
  apiUrl: string;
  eventsDir: string;
  connections: readonly Connection[];
  waitMs?: number;
  lookup?: boolean;
  now?: () => Date;
}): Promise<ReplayResult[]> {
  const now = options.now ?? (() => new Date());
  const samples = await loadDeliveries(options.eventsDir);
  const results: ReplayResult[] = [];
  for (const sample of samples) {
    if (sample.delivery === undefined) {
      results.push({ file: sample.file, platform: '?', shop: '?', status: 'skipped', problem: sample.problem ?? 'unreadable' });
      continue;
    }
    const d = sample.delivery;
    const connection = options.connections.find((c) => c.platform === d.platform && c.shop === d.shop);
    if (connection === undefined) {
      results.push({ file: sample.file, platform: d.platform, shop: d.shop, status: 'skipped', problem: `no connection for ${d.platform} ${d.shop} in connections.json` });
      continue;
    }
    const request = prepareDelivery(d, connection.secret, now(), sample.file);
    try {
      const response = await fetch(new URL(request.path, options.apiUrl), { method: 'POST', headers: request.headers, body: request.body });
      const text = await response.text();
      const json = parseJson(text) as { orderId?: unknown; status?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
      const orderId = typeof json?.orderId === 'string' ? json.orderId : undefined;
      results.push({
        file: sample.file,
        platform: d.platform,
        shop: d.shop,
        httpStatus: response.status,
        ...(orderId !== undefined ? { orderId } : {}),
        status: typeof json?.status === 'string' ? json.status : `http ${response.status}`,
        apiKey: connection.apiKey,
        ...(response.ok ? {} : { problem: typeof json?.error?.message === 'string' ? json.error.message : text.slice(0, 200) }),
      });
    } catch (error) {
      results.push({ file: sample.file, platform: d.platform, shop: d.shop, status: 'failed', problem: error instanceof Error ? error.message : String(error) });
    }
  }
  if (options.lookup === false) return results;
  return waitForDecisions(options.apiUrl, results, options.waitMs);
}

/**
 * Polls GET /v1/orders/{id} (with each result's API key) until every order has left `received`
 * — or, for an order fetched from its platform, has been recorded at all — or `waitMs` passed.
 */
export async function waitForDecisions(apiUrl: string, results: readonly ReplayResult[], waitMs = 20_000): Promise<ReplayResult[]> {
  const options = { apiUrl };
  const deadline = Date.now() + waitMs;
  const final = new Map<number, ReplayResult>();
  for (;;) {
    const pending = results
      .map((r, i) => [r, i] as const)
      .filter(([r, i]) => r.orderId !== undefined && r.apiKey !== undefined && !final.has(i));
    if (pending.length === 0) break;
    await Promise.all(
      pending.map(async ([r, i]) => {
        const view = await lookupOrder(options.apiUrl, r.orderId!, r.apiKey!);
        if (view === undefined) return;
        if (view.status !== 'received' || Date.now() >= deadline) final.set(i, { ...r, status: view.status, order: view });
      }),
    );
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return results.map((r, i) => final.get(i) ?? r);
}

async function lookupOrder(apiUrl: string, orderId: string, apiKey: string): Promise<OrderView | undefined> {
  try {
    const response = await fetch(new URL(`/v1/orders/${encodeURIComponent(orderId)}`, apiUrl), {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const json = parseJson(await response.text()) as OrderView | undefined;
    return response.ok && typeof json?.status === 'string' ? json : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A plain-text table of the replay: one row per sample, aligned columns. */
export function formatDecisionTable(results: readonly ReplayResult[]): string {
  const header = ['sample', 'number', 'order', 'status', 'route', 'total', 'eta', 'vs cheapest direct parcel'];
  const rows = results.map((r) => {
    const decision = r.order?.decision;
    const chosen = decision?.chosen;
    const why =
      r.problem ??
      (r.order?.status === 'unroutable'
        ? (decision?.candidates?.flatMap((c) => c.reasons ?? [])[0]?.message ?? r.order.note ?? '')
        : '');
    return [
      r.file.replace(/\.json$/, ''),
      // The number the seller knows the order by (Shopify's #1042), beside the id the API takes.
      r.order?.order === undefined ? '-' : orderLabel(r.order.order),
      r.orderId ?? '-',
      r.status,
      chosen !== undefined ? `${chosen.mode} ${chosen.routeId}` : why,
      chosen !== undefined ? `${chosen.cost.total.toFixed(2)} ${chosen.cost.currency}` : '',
      chosen !== undefined ? `${chosen.eta.earliest}..${chosen.eta.latest}` : '',
      savingText(decision?.savingsVsDirect, ''),
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
