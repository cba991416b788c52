/**
 * The seller API: quotes, order status and decision, reroute, and the OpenAPI document. An API key
 * maps to one seller and never reads another seller's orders (404, not 403: existence is not
 * disclosed). Handlers take their dependencies, so tests run them without AWS.
 */
import { createHash } from 'node:crypto';
import type { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision } from '#routing/decision.ts';
import { HttpError } from '#http/errors.ts';
import { routesOf, type Operation } from '#shared/definitions.ts';
import type { OrderMessage } from '#shared/messages.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { resolveInboundLot } from '#store/inbound.ts';
import { base32 } from '#shared/order-id.ts';
import { invalidPayload, json, lowerHeaders, parseJson, rawBody, requireJson, validate, type HttpEvent, type HttpResult } from '#http/http.ts';
import { openApiDocument, type WebhookPayloadSchemas } from './openapi.ts';
import { ACTION_STATUS, actionPageOf, renderActionPage, type ActionOutcome } from './action-pages.ts';
import { InboundRequest, QuoteRequest, ShipmentShipped, StockReport, type OrderView } from './schemas.ts';

export interface ApiDeps {
  readonly apiKeys: { sellerFor(apiKey: string): Promise<string | undefined> };
  readonly orders: { getOrderForSeller(orderId: string, sellerId: string): Promise<OrderRecord | undefined> };
  readonly snapshots: { load(sellerId: string, now: Date): Promise<NetworkSnapshot> };
  readonly route: (order: CanonicalOrder, snapshot: NetworkSnapshot, now: Date) => Decision;
  readonly sendOrderMessage: (message: OrderMessage) => Promise<void>;
  /** After a decision (lib/store/stock.ts, lib/store/fulfilment.ts): warehouse-facing writes. */
  readonly fulfilment: {
    reportStock(sellerId: string, reports: readonly { warehouseId: string; sku: string; onHand: number; asOf: string; safetyStock?: number }[]): Promise<{ applied: number; stale: number; reserved: number; short?: { warehouseId: string; sku: string; onHand: number; reserved: number; shortBy: number }[] }>;
    confirmShipment(input: { orderId: string; sellerId: string; shipment: number; trackingNumber: string; carrier?: string; now: Date }): Promise<FulfilmentResult>;
    cancelOrder(input: { orderId: string; sellerId: string; now: Date }): Promise<FulfilmentResult>;
    /** lib/store/inbound.ts bookInbound; throws a SupplyExhaustedError (name OutOfCapacityError) when the train is full. */
    bookInbound(input: {
      lotId: string;
      sellerId: string;
      departureId: string;
      laneId: string;
      warehouseId: string;
      lines: readonly { sku: string; qty: number }[];
      litres: number;
      arrivesOn: string;
      snapshotCapacityLitres: number;
      now: Date;
    }): Promise<{ kind: 'booked' | 'already-booked'; lot: { lotId: string; departureId: string; litres: number; arrivesOn: string } }>;
  };
  /**
   * One-click action links (ADR 0041): lib/orders/act.ts, wired in functions/api.ts. Without it the
   * action routes answer 404 (a test's API that has no links).
   */
  readonly actions?: { act(token: string, method: 'GET' | 'POST', now: Date): Promise<ActionOutcome> };
  readonly clock?: () => Date;
  /** For GET /openapi.json: lib/marketplaces' WEBHOOK_PAYLOADS. */
  readonly webhookPayloads: WebhookPayloadSchemas;
}

export type FulfilmentResult =
  | { readonly kind: 'done' | 'already' | 'not-found'; readonly orderId: string }
  | { readonly kind: 'refused'; readonly orderId: string; readonly reason: string };

export type ApiHandler = (event: HttpEvent) => Promise<HttpResult>;

/** One route of the api function: its ROUTES entry with the handler of its operation. */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly operation: Operation<'api'>;
  readonly handler: ApiHandler;
}

/**
 * Statuses from which a reroute makes sense: there is a decision to reconsider, or routing gave up
 * (`failed`, its message dead-lettered) — once the cause is fixed the seller must be able to retry
 * without an operator, also after the dead letter expired. Not `received` or `pending`: those are
 * still on their way.
 */
const REROUTABLE: ReadonlySet<string> = new Set(['routed', 'unroutable', 'failed']);

/** The seller of the request's API key; 401 when the header is missing or the key unknown. */
export async function authenticate(event: HttpEvent, deps: Pick<ApiDeps, 'apiKeys'>): Promise<string> {
  const header = lowerHeaders(event.headers).get('authorization');
  const match = header === undefined ? null : /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) throw new HttpError(401, 'missing-api-key', 'Send your API key as Authorization: Bearer <key>.');
  const sellerId = await deps.apiKeys.sellerFor(match[1]!);
  if (sellerId === undefined) throw new HttpError(401, 'invalid-api-key', 'The API key is not known.');
  return sellerId;
}

/** The longest order id there can be (CanonicalOrder.orderId). */
const MAX_ORDER_ID_CHARS = 200;

function orderIdOf(event: HttpEvent): string {
  const orderId = event.pathParameters?.orderId;
  if (orderId === undefined || orderId === '') throw new HttpError(404, 'not-found', 'No order id in the path.');
  let decoded: string;
  try {
    decoded = decodeURIComponent(orderId);
  } catch {
    // Malformed percent-encoding names no order of ours.
    throw new HttpError(404, 'not-found', 'No such order for this API key.');
  }
  // No order has a longer id, and looking one up would overflow the table's key (a 500).
  if (decoded.length > MAX_ORDER_ID_CHARS) throw new HttpError(404, 'not-found', 'No such order for this API key.');
  return decoded;
}

function notFound(orderId: string): HttpError {
  return new HttpError(404, 'not-found', `No order ${orderId} for this API key.`);
}

/** The routes of the api function (method and path from ROUTES in definitions.ts), for @middy/http-router. */
export function createApiRoutes(deps: ApiDeps): ApiRoute[] {
  const handlers = createApiHandlers(deps);
  return routesOf('api').map((r) => ({ method: r.method, path: r.path, operation: r.operation, handler: handlers[r.operation] }));
}

/** The handler of each api operation. */
export function createApiHandlers(deps: ApiDeps): Record<Operation<'api'>, ApiHandler> {
  const clock = deps.clock ?? (() => new Date());
  /** The order named in the path, if it belongs to the key's seller; 404 otherwise (never 403: ids do not leak). */
  async function ownOrder(event: HttpEvent): Promise<{ orderId: string; record: OrderRecord }> {
    const sellerId = await authenticate(event, deps);
    const orderId = orderIdOf(event);
    const record = await deps.orders.getOrderForSeller(orderId, sellerId);
    if (record === undefined) throw notFound(orderId);
    return { orderId, record };
  }

  /**
   * A one-click link's page: GET shows the confirmation and changes nothing (mail scanners fetch
   * links), POST acts once. No API key: the link's signature is the credential. The page speaks
   * the seller's language once the link is known to be ours, both languages before.
   */
  async function actionPage(event: HttpEvent, method: 'GET' | 'POST'): Promise<HttpResult> {
    if (deps.actions === undefined) throw new HttpError(404, 'not-found', `No route for ${method} ${event.requestContext.http.path}.`);
    let token = event.pathParameters?.token ?? '';
    try {
      token = decodeURIComponent(token);
    } catch {
      token = '';
    }
    const now = clock();
    const outcome = await deps.actions.act(token, method, now);
    let language: 'zh-CN' | 'en' | undefined;
    if (outcome.kind !== 'invalid') {
      const sellerId = outcome.order.sellerId;
      try {
        language = (await deps.snapshots.load(sellerId, now)).sellers.find((s) => s.id === sellerId)?.language;
      } catch {
        // A page in both languages beats no page.
        language = undefined;
      }
    }
    const page = actionPageOf(outcome, `/actions/${encodeURIComponent(token)}`, language);
    return {
      statusCode: ACTION_STATUS[outcome.kind],
      headers: {
        'content-type': 'text/html; charset=utf-8',
        // The token is in the URL: no caching, no referrer, no indexing, nothing loaded from elsewhere.
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-robots-tag': 'noindex',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      },
      body: renderActionPage(page, language),
    };
  }

  return {
    async createQuote(event) {
      const sellerId = await authenticate(event, deps);
      const raw = rawBody(event);
      requireJson(lowerHeaders(event.headers));
      const request = validate(QuoteRequest, parseJson(raw));
      if (request.sellerId !== undefined && request.sellerId !== sellerId) {
        throw invalidPayload([{ path: 'sellerId', message: 'is not the seller of this API key (leave it out)' }]);
      }
      const now = clock();
      // Quotes are not stored: a deterministic id from the request keeps the decision reproducible.
      const orderId = request.orderId ?? `quote_${base32(createHash('sha256').update(raw).digest()).slice(0, 26)}`;
      const order: CanonicalOrder = {
        ...request,
        orderId,
        sellerId,
        marketplace: request.marketplace ?? 'api',
        externalId: request.externalId ?? orderId,
        placedAt: request.placedAt ?? now.toISOString(),
      };
      let snapshot: NetworkSnapshot;
      try {
        snapshot = await deps.snapshots.load(sellerId, now);
      } catch (error) {
        if ((error as Error)?.name === 'MissingDataError') {
          throw new HttpError(409, 'no-network-data', `No network data is imported for seller ${sellerId}.`, { cause: error });
        }
        throw error;
      }
      return json(200, deps.route(order, request.currency === undefined ? snapshot : quotedIn(snapshot, sellerId, request.currency), now));
    },
    async getOrder(event) {
      const { orderId, record } = await ownOrder(event);
      const view: OrderView = {
        orderId: record.orderId,
        status: record.status,
        order: record.order,
        ...(record.decision === undefined ? {} : { decision: record.decision }),
        ...(record.note === undefined ? {} : { note: record.note }),
      };
      return json(200, view);
    },
    async rerouteOrder(event) {
      const { orderId, record } = await ownOrder(event);
      if (!REROUTABLE.has(record.status)) {
        throw new HttpError(409, 'not-reroutable', `Order ${orderId} is ${record.status}; only routed, unroutable or failed orders can be rerouted.`, {
          details: { status: record.status },
        });
      }
      // The worker routes only while the order is still at this version: a double click yields one decision.
      await deps.sendOrderMessage({ orderId, afterVersion: record.decisionVersion });
      return json(202, { orderId, status: 'rerouting' });
    },
    openApi: async () => json(200, openApiDocument(deps.webhookPayloads)),
    async putStock(event) {
      const sellerId = await authenticate(event, deps);
      const raw = rawBody(event);
      requireJson(lowerHeaders(event.headers));
      const request = validate(StockReport, parseJson(raw));
      return json(200, await deps.fulfilment.reportStock(sellerId, request.reports));
    },
    async shipmentShipped(event) {
      const sellerId = await authenticate(event, deps);
      const orderId = orderIdOf(event);
      const n = Number(event.pathParameters?.n);
      if (!Number.isInteger(n) || n < 1) throw new HttpError(404, 'not-found', `No shipment ${event.pathParameters?.n ?? ''} (shipments are numbered from 1).`);
      const raw = rawBody(event);
      requireJson(lowerHeaders(event.headers));
      const body = validate(ShipmentShipped, parseJson(raw));
      const result = await deps.fulfilment.confirmShipment({ orderId, sellerId, shipment: n, trackingNumber: body.trackingNumber, ...(body.carrier === undefined ? {} : { carrier: body.carrier }), now: clock() });
      return fulfilmentAnswer(result, 'shipped', 'already-shipped');
    },
    async createInbound(event) {
      const sellerId = await authenticate(event, deps);
      const raw = rawBody(event);
      requireJson(lowerHeaders(event.headers));
      const request = validate(InboundRequest, parseJson(raw));
      const now = clock();
      const snapshot = await deps.snapshots.load(sellerId, now);
      const resolved = resolveInboundLot(snapshot, sellerId, request, now);
      if (!resolved.ok) throw invalidPayload(resolved.issues);
      try {
        const result = await deps.fulfilment.bookInbound(resolved.input);
        return json(result.kind === 'booked' ? 201 : 200, { lotId: result.lot.lotId, status: result.kind, departureId: result.lot.departureId, litres: result.lot.litres, arrivesOn: result.lot.arrivesOn });
      } catch (error) {
        if ((error as Error)?.name === 'OutOfCapacityError') {
          throw new HttpError(409, 'no-capacity', `Departure ${resolved.input.departureId} has no room for ${resolved.input.litres} L.`, { cause: error });
        }
        throw error;
      }
    },
    showAction: (event) => actionPage(event, 'GET'),
    performAction: (event) => actionPage(event, 'POST'),
    async cancelOrder(event) {
      const sellerId = await authenticate(event, deps);
      const orderId = orderIdOf(event);
      return fulfilmentAnswer(await deps.fulfilment.cancelOrder({ orderId, sellerId, now: clock() }), 'cancelled', 'already-cancelled');
    },
  };
}

/** Per stored snapshot, its copies re-priced for a seller in another currency (one compile per pair, not per quote). */
const inCurrency = new WeakMap<NetworkSnapshot, Map<string, NetworkSnapshot>>();

/**
 * The snapshot with the seller reporting in `currency`, so the routing core — the one place that
 * converts money, at the snapshot's fx.json — prices the quote in it: one rounding per amount, and
 * the components still add up to the total (ADR 0049). 400 naming `currency` when fx.json has no
 * rate for it.
 */
function quotedIn(snapshot: NetworkSnapshot, sellerId: string, currency: string): NetworkSnapshot {
  const seller = snapshot.sellers.find((s) => s.id === sellerId);
  if (seller === undefined || currency === seller.reportCurrency) return snapshot;
  const supported = [...new Set([snapshot.fx.base, ...Object.keys(snapshot.fx.rates)])].sort();
  if (!supported.includes(currency)) {
    throw invalidPayload([
      {
        path: 'currency',
        message: `${currency} has no rate in the network's fx.json; quote in one of ${supported.join(', ')}, or leave currency out for the seller's report currency (${seller.reportCurrency})`,
      },
    ]);
  }
  let copies = inCurrency.get(snapshot);
  if (copies === undefined) inCurrency.set(snapshot, (copies = new Map()));
  const key = `${sellerId}\u0000${currency}`;
  let copy = copies.get(key);
  if (copy === undefined) {
    copy = { ...snapshot, sellers: snapshot.sellers.map((s) => (s.id === sellerId ? { ...s, reportCurrency: currency } : s)) };
    copies.set(key, copy);
  }
  return copy;
}

function fulfilmentAnswer(result: FulfilmentResult, done: string, already: string): HttpResult {
  if (result.kind === 'not-found') throw notFound(result.orderId);
  if (result.kind === 'refused') throw new HttpError(409, 'not-possible', `Order ${result.orderId}: ${result.reason}.`);
  return json(200, { orderId: result.orderId, status: result.kind === 'done' ? done : already });
}
