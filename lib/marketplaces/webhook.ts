/**
 * The webhook pipeline up to the queue: identify the shop → verify the signature on the raw bytes
 * → parse → normalise to the canonical order → record durably and queue → answer. Everything the
 * sender can fix is a 4xx naming the problem; a fault of ours is a 503 for senders that retry
 * (Shopify, Standard Webhooks), while WooCommerce — which never retries and disables a hook after
 * 5 failures — gets a 200 as soon as the order is durably recorded (docs/decisions/0004-webhook-intake.md).
 */
import { createHash } from 'node:crypto';
import type { Platform } from '#network/schemas.ts';
import { asHttpLog, errorResponse, json, type HttpLog, lowerHeaders, parseJson, rawBody, requireJson, type HttpEvent, type HttpResult } from '#http/http.ts';
import { HttpError } from '#http/errors.ts';
import type { Intake } from '#orders/intake.ts';
import { routesOf, type Operation } from '#shared/definitions.ts';
import type { ConnectionStore } from '#store/connections.ts';
import type { MarketplaceAdapter } from './adapter.ts';
import { shopify, ShopifyOrderPayload } from './shopify.ts';
import { standard, StandardOrderCreated } from './standard.ts';
import { woocommerce, WooOrderPayload } from './woocommerce.ts';

/** The adapter behind each operation of the webhooks function (its paths: ROUTES in definitions.ts). */
export const WEBHOOK_ADAPTERS: Readonly<Record<Operation<'webhooks'>, MarketplaceAdapter>> = { shopify, woocommerce, standard };

/** The payload schema of each webhook endpoint, for the OpenAPI document (lib/api/openapi.ts). */
export const WEBHOOK_PAYLOADS = { ShopifyOrder: ShopifyOrderPayload, WooCommerceOrder: WooOrderPayload, StandardOrderCreated } as const;

/** Path → adapter, from the one route table. */
const ADAPTER_BY_PATH: ReadonlyMap<string, MarketplaceAdapter> = new Map(routesOf('webhooks').map((r) => [r.path, WEBHOOK_ADAPTERS[r.operation]]));

/** What a webhook answers with a 200. */
export type WebhookAnswer =
  | { readonly orderId: string; readonly status: 'accepted' | 'duplicate' | 'cancelled' }
  | { readonly status: 'ignored'; readonly message: string }
  | { readonly status: 'ok' };

export interface WebhookDeps {
  readonly connections: ConnectionStore;
  readonly intake: Intake;
  /** Cancels an order (lib/store/fulfilment.ts cancelOrder): reservations given back, order marked cancelled. */
  readonly cancel?: (input: { orderId: string; sellerId: string; now: Date }) => Promise<{ kind: string }>;
  readonly clock?: () => Date;
  /** A Powertools Logger in the function; a line writer in tests. Default: JSON lines on stdout. */
  readonly log?: HttpLog | ((line: string) => void);
}

/**
 * Shop names and delivery ids become parts of table keys, and a DynamoDB partition key holds at
 * most 2048 bytes: past that the write fails, which answered a 503 to input no retry can fix.
 * No connection has a longer shop name; a longer delivery id is kept as its digest.
 */
export const MAX_SHOP_CHARS = 255;
export const MAX_DELIVERY_ID_CHARS = 200;

/** The delivery id as recorded: itself, or `sha256:<hex>` of it when too long to key (retries still match). */
export function deliveryKeyOf(deliveryId: string): string {
  return deliveryId.length <= MAX_DELIVERY_ID_CHARS ? deliveryId : `sha256:${createHash('sha256').update(deliveryId, 'utf8').digest('hex')}`;
}

/**
 * The one answer for a delivery we cannot authenticate once it names a shop: an unknown shop,
 * a missing or wrong signature and a stale timestamp all read the same, so an outsider cannot
 * tell which shops are connected (docs/decisions/0016-one-unauthorized-answer.md). The reason
 * is logged for the operator.
 */
export const UNAUTHORIZED_MESSAGE =
  'The delivery could not be authenticated: the shop is not connected here, or the signature does not verify with its secret.';

function unauthorized(reason: HttpError, log: HttpLog, platform: string, shop: string): HttpError {
  log.warn('webhook not authenticated', { platform, shop: shop.slice(0, MAX_SHOP_CHARS), reason: reason.code, detail: reason.message });
  return new HttpError(401, 'unauthorized', UNAUTHORIZED_MESSAGE, { cause: reason });
}

/** Platforms that retry a failed delivery; to the others a 5xx is a lost order and a step towards a disabled hook. */
const RETRYING: ReadonlySet<Platform> = new Set(['shopify', 'standard']);

function unavailable(): HttpResult {
  return json(503, { error: { code: 'service-unavailable', message: 'The order could not be recorded; retry later.' } }, { 'retry-after': '5' });
}

/**
 * The webhook handler over its dependencies (the Lambda entry point wires the real ones).
 * @example const handle = createWebhookHandler({ connections, intake }); await handle(event)
 */
export function createWebhookHandler(deps: WebhookDeps): (event: HttpEvent) => Promise<HttpResult> {
  const clock = deps.clock ?? (() => new Date());
  const log = asHttpLog(deps.log ?? ((line: string) => console.log(line)));

  return async function handleWebhook(event) {
    const path = (event.rawPath ?? event.requestContext.http.path).replace(/\/+$/, '');
    const adapter = ADAPTER_BY_PATH.get(path);
    try {
      if (adapter === undefined) throw new HttpError(404, 'not-found', `No webhook endpoint at ${path}.`);
      if (event.requestContext.http.method !== 'POST') {
        throw new HttpError(405, 'method-not-allowed', `Webhooks are delivered with POST, not ${event.requestContext.http.method}.`, { headers: { allow: 'POST' } });
      }
      const raw = rawBody(event);
      const headers = lowerHeaders(event.headers);
      if (adapter.isPing?.(raw, headers) === true) return json(200, { status: 'ok' } satisfies WebhookAnswer);
      requireJson(headers);

      const platform = adapter.platform;
      const shop = adapter.shop(headers);
      if (shop === undefined) throw new HttpError(401, 'unknown-shop', `Header ${adapter.shopHeader} is missing or malformed.`);
      if (shop.length > MAX_SHOP_CHARS) {
        throw unauthorized(new HttpError(401, 'unknown-shop', `Header ${adapter.shopHeader} is longer than ${MAX_SHOP_CHARS} characters; no connection has such a shop.`), log, platform, shop);
      }
      const connection = await deps.connections.get(platform, shop);
      if (connection === undefined) throw unauthorized(new HttpError(401, 'unknown-shop', `No ${platform} connection for shop ${shop}.`), log, platform, shop);
      const now = clock();
      try {
        try {
          adapter.verify(raw, headers, connection.secrets, now);
        } catch (error) {
          // Mid-rotation, a warm container may hold the old secret pair: look once more before refusing.
          if (!(error instanceof HttpError) || error.code !== 'invalid-signature') throw error;
          const fresh = await deps.connections.refresh(connection);
          if (fresh === undefined) throw error;
          adapter.verify(raw, headers, fresh.secrets, now);
        }
      } catch (error) {
        if (error instanceof HttpError && error.status === 401) throw unauthorized(error, log, platform, shop);
        throw error;
      }

      const body = adapter.parse !== undefined ? adapter.parse(raw) : parseJson(raw);
      const meaning = adapter.interpret(body, headers, { platform, shop, sellerId: connection.sellerId });
      if (meaning.kind === 'ignored') {
        // Nothing is recorded, so this line is the only trace of a signed order we chose not to route.
        log.info('delivery ignored', { platform, shop, reason: meaning.reason });
        return json(200, { status: 'ignored', message: meaning.reason } satisfies WebhookAnswer);
      }
      if (meaning.kind === 'cancel') {
        if (deps.cancel === undefined) return json(200, { status: 'ignored', message: 'cancellations are not handled here' } satisfies WebhookAnswer);
        const outcome = await deps.cancel({ orderId: meaning.orderId, sellerId: connection.sellerId, now });
        if (outcome.kind === 'not-found') {
          return json(200, { status: 'ignored', message: `order ${meaning.externalId} was never received: nothing to cancel` } satisfies WebhookAnswer);
        }
        return json(200, { orderId: meaning.orderId, status: 'cancelled' } satisfies WebhookAnswer);
      }
      const deliveryId = adapter.deliveryId(headers);
      const result = await deps.intake.record({
        source: { platform, shop },
        ...(deliveryId === undefined ? {} : { deliveryId: deliveryKeyOf(deliveryId) }),
        order: meaning.order,
        status: meaning.status,
        ...(meaning.note === undefined ? {} : { note: meaning.note }),
        update: meaning.update,
      });

      if (result.outcome === 'conflict') {
        throw new HttpError(
          409,
          'conflict',
          `Order ${meaning.order.externalId} was already received with different ${result.differences.join(' and ')}; it was not changed.`,
          { details: { orderId: result.orderId, differences: result.differences } },
        );
      }
      if (result.outcome === 'duplicate' && result.orderId !== meaning.order.orderId) {
        // The delivery id was first seen with another order. Answering "duplicate" would drop this
        // order while telling the sender it was seen: a sender that reuses ids must hear it.
        throw new HttpError(
          409,
          'delivery-id-reused',
          `Delivery id ${deliveryId} was already used for another order (${result.orderId}); send each order under its own id. Order ${meaning.order.externalId} was not recorded.`,
          { details: { deliveryId, orderId: result.orderId } },
        );
      }
      if (result.queue === 'failed') {
        log.warn('order recorded but not queued', { orderId: result.orderId, platform, error: String(result.queueError) });
        // A retrying sender comes back, and its duplicate re-sends the message; WooCommerce will not,
        // but the order is durable — its next order.updated re-sends it (see the decision record).
        if (RETRYING.has(platform)) return unavailable();
      }
      return json(200, { orderId: result.orderId, status: result.outcome } satisfies WebhookAnswer);
    } catch (error) {
      if (error instanceof HttpError && error.expose) return errorResponse(error, log);
      // Ours, not the sender's: nothing durable happened, so every platform gets a 503 (retry later).
      log.error('webhook failed', { path, error: String(error), cause: String((error as Error)?.cause ?? '') });
      return unavailable();
    }
  };
}
