/**
 * GET /openapi.json: an OpenAPI 3.1 document generated with z.toJSONSchema from the very schemas
 * that validate requests (API, webhooks) — so the document cannot drift from the code. The webhook
 * payload schemas are lib/marketplaces' (WEBHOOK_PAYLOADS), handed in by the function that wires
 * both: lib/api and lib/marketplaces do not import each other.
 */
// A namespace import lets esbuild drop what is unused (the named `z` drags in all of zod and its locales).
import * as z from 'zod';
import { CanonicalOrder } from '#network/schemas.ts';
import { Decision } from '#routing/decision.ts';
import { BASE_COMPONENTS } from '#routing/shipment.ts';
import { CostComponent, ReasonCode } from '#routing/decision.ts';
import { MAX_BODY_BYTES, ROUTES } from '#shared/definitions.ts';
import { EXAMPLES } from './examples.ts';
import { ErrorBody, FulfilmentAnswer, InboundAnswer, InboundRequest, OrderView, QuoteRequest, RerouteAccepted, ShipmentShipped, StockReport, StockReportAnswer, WebhookAnswer } from './schemas.ts';

type Json = Record<string, unknown>;

/** Marks every object schema open (`additionalProperties: true`) unless it says otherwise. */
function open(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(open);
  if (schema === null || typeof schema !== 'object') return;
  const s = schema as Json;
  if (s.type === 'object' && s.additionalProperties === undefined) s.additionalProperties = true;
  for (const value of Object.values(s)) open(value);
}

function components(schemas: Record<string, z.ZodType>, io: 'input' | 'output', options: { open?: boolean } = {}): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any', override: forReaders }) as {
    schemas: Record<string, Json>;
  };
  // Each component carries its own $schema and $id; inside an OpenAPI document they are noise.
  for (const schema of Object.values(out)) {
    delete schema.$schema;
    delete schema.$id;
    // A platform's payload carries far more than the fields read; every other field is accepted and ignored.
    if (options.open === true) open(schema);
  }
  return out;
}

/** Longest `pattern` the document shows; a longer one is machinery (a leap-year regex), said by `format` or a description instead. */
export const MAX_PATTERN_CHARS = 40;

/**
 * JSON Schema as a reader (and a generator) wants it: a `format` says what its regex says, so the
 * regex goes; a long regex without one becomes a description; a cost component's name is one of
 * BASE_COMPONENTS or a fee's name (ROUTING.md §5), by reference to CostComponentName.
 */
export function forReaders(ctx: { zodSchema: unknown; jsonSchema: Json }): void {
  const schema = ctx.jsonSchema;
  if (ctx.zodSchema === CostComponent.shape.name) {
    for (const key of Object.keys(schema)) delete schema[key];
    schema.$ref = '#/components/schemas/CostComponentName';
    return;
  }
  if (typeof schema.pattern !== 'string') return;
  if (schema.format !== undefined) delete schema.pattern;
  else if (schema.pattern.length > MAX_PATTERN_CHARS) {
    delete schema.pattern;
    schema.description ??= 'A string in the form the field names.';
  }
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const jsonContent = (id: string) => ({ 'application/json': { schema: ref(id) } });
const error = (description: string) => ({ description, content: jsonContent('Error') });

const ERRORS = {
  '400': error('Invalid payload; `details` lists the failing paths, e.g. `lines[2].sku`.'),
  '401': error('Missing or unknown API key, or a bad webhook signature.'),
  '413': error(`Body larger than ${MAX_BODY_BYTES} bytes.`),
  '415': error('Content-Type is not application/json.'),
};
/** Every seller API operation reads the table (and reroute sends to a queue): an outage is a 503 with `retry-after`. */
const UNAVAILABLE = { '503': error('A dependency is unavailable; retry later (see `retry-after`).') };

/** A header a webhook sender sends: its description, and whether every delivery must carry it. */
type WebhookHeader = readonly [description: string, required: boolean];

function webhook(operationId: string, summary: string, description: string, body: string, headers: Record<string, WebhookHeader>, extraContent: Json = {}) {
  return {
    post: {
      operationId,
      summary,
      description,
      tags: ['webhooks'],
      security: [],
      parameters: Object.entries(headers).map(([name, [description, required]]) => ({ name, in: 'header', required, description, schema: { type: 'string' } })),
      requestBody: { required: true, content: { ...jsonContent(body), ...extraContent } },
      responses: {
        '200': { description: 'Recorded (`accepted`), seen before (`duplicate`), a topic we do not handle or an order with nothing to ship — no shipping address, or no line that requires shipping (`ignored`, with the reason) — or a ping (`ok`).', content: jsonContent('WebhookAnswer') },
        ...ERRORS,
        '409': error(
          'The same order was received before with different lines or destination (`conflict`), or the delivery id was already used for another order (`delivery-id-reused`).',
        ),
        '503': error('A fault of ours; retry later (WooCommerce gets 200 once the order is durably recorded).'),
      },
    },
  };
}

/** The request schemas of the webhook endpoints, by their component name. */
export interface WebhookPayloadSchemas {
  readonly ShopifyOrder: z.ZodType;
  readonly WooCommerceOrder: z.ZodType;
  readonly StandardOrderCreated: z.ZodType;
  readonly TikTokShopWebhook: z.ZodType;
}

const cache = new WeakMap<WebhookPayloadSchemas, Json>();

/** The OpenAPI 3.1 document (built once per container). */
export function openApiDocument(webhooks: WebhookPayloadSchemas): Json {
  let doc = cache.get(webhooks);
  if (doc === undefined) cache.set(webhooks, (doc = withDefaults(build(webhooks))));
  return doc;
}

/** The error code an error response's example shows when its operation names none. */
const ERROR_CODES: Record<string, string> = {
  '400': 'invalid-payload',
  '401': 'missing-api-key',
  '404': 'not-found',
  '409': 'conflict',
  '413': 'payload-too-large',
  '415': 'unsupported-media-type',
  '503': 'service-unavailable',
};

/**
 * What every operation carries without each entry spelling it out, so operations added by others
 * get it too: its `operationId` from ROUTES (an explicit one wins), the example of each body that
 * refers to a component of EXAMPLES, and an error example made from the response's own words.
 */
function withDefaults(doc: Json): Json {
  const examples = EXAMPLES as Record<string, unknown>;
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(item)) {
      const route = ROUTES.find((r) => r.path === path && r.method.toLowerCase() === method);
      if (operation.operationId === undefined && route !== undefined) operation.operationId = route.operation;
      const bodies: (Json | undefined)[] = [operation.requestBody as Json | undefined, ...Object.entries((operation.responses ?? {}) as Record<string, Json>).map(([status, r]) => Object.assign(Object.create(r) as Json, { status }))];
      for (const body of bodies) {
        for (const media of Object.values((body?.content ?? {}) as Record<string, Json>)) {
          if (media.example !== undefined) continue;
          const id = (media.schema as { $ref?: string } | undefined)?.$ref?.split('/').at(-1);
          if (id === 'Error') {
            const status = String(body!.status);
            media.example = { error: { code: ERROR_CODES[status] ?? 'error', message: String(body!.description).split(' (`')[0] } };
          } else if (id !== undefined && examples[id] !== undefined) media.example = examples[id];
        }
      }
    }
  }
  return doc;
}

/** The request body schemas with their documented example (lib/api/messages.test.ts breaks each field of it). */
export const REQUEST_EXAMPLES: Record<string, { readonly schema: z.ZodType; readonly example: unknown }> = {
  QuoteRequest: { schema: QuoteRequest, example: EXAMPLES.QuoteRequest },
  StockReport: { schema: StockReport, example: EXAMPLES.StockReport },
  ShipmentShipped: { schema: ShipmentShipped, example: EXAMPLES.ShipmentShipped },
  InboundRequest: { schema: InboundRequest, example: EXAMPLES.InboundRequest },
};

function build(webhooks: WebhookPayloadSchemas): Json {
  const orderIdParameter = { name: 'orderId', in: 'path', required: true, schema: { type: 'string' }, description: 'The canonical order id a webhook answered with.' };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Silkroute',
      version: '1.0.0',
      description:
        'Order routing for Chinese cross-border exporters: direct parcel, EU overseas warehouse or Yixin\'ou rail, priced per order. Errors are `{ "error": { "code", "message", "details"? } }`.',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    paths: {
      '/v1/quotes': {
        post: {
          operationId: 'createQuote',
          summary: 'Quote an order without committing anything',
          description: 'Routes the order against the seller\'s current network and returns the decision; reserves no stock or capacity. Amounts are in the seller\'s report currency, or in `currency` when given (converted at the network\'s fx.json; a currency without a rate is a 400 listing those it has).',
          tags: ['api'],
          requestBody: { required: true, content: jsonContent('QuoteRequest') },
          responses: {
            '200': { description: 'The decision.', content: jsonContent('Decision') },
            ...ERRORS,
            '409': error('No network data is imported for the seller of this key (`no-network-data`).'),
            ...UNAVAILABLE,
          },
        },
      },
      '/v1/orders/{orderId}': {
        get: {
          operationId: 'getOrder',
          summary: 'An order, its status and its decision',
          description: 'The order as recorded (canonical form), its status (`pending`, `received`, `routed`, `unroutable`, `failed`, `cancelled`) and, once decided, the decision; `note` says why an order is pending or failed.',
          tags: ['api'],
          parameters: [orderIdParameter],
          responses: {
            '200': { description: 'The order.', content: jsonContent('OrderView') },
            '401': ERRORS['401'],
            '404': error('No such order for this API key (another seller\'s orders are not found either).'),
            ...UNAVAILABLE,
          },
        },
      },
      '/v1/orders/{orderId}/reroute': {
        post: {
          operationId: 'rerouteOrder',
          summary: 'Route a routed or unroutable order again (after the seller fixed data)',
          description: 'Queues the order for routing against the current network; the worker routes it only while it is still at its current decision version, so a double click yields one decision and one email.',
          tags: ['api'],
          parameters: [orderIdParameter],
          responses: {
            '202': { description: 'Queued for routing.', content: jsonContent('RerouteAccepted') },
            '401': ERRORS['401'],
            '404': error('No such order for this API key.'),
            '409': error('The order is not routed or unroutable yet (pending, received or failed).'),
            ...UNAVAILABLE,
          },
        },
      },
      '/v1/stock': {
        put: {
          operationId: 'putStock',
          summary: 'Report on-hand stock (a warehouse or ERP keeps Silkroute current)',
          description:
            'Sets on-hand per warehouse and SKU as counted at `asOf`. Reservations of routed orders are never touched: available = onHand − reserved − safetyStock. A report not newer than the stored count changes nothing (`stale`), so out-of-order and repeated deliveries are harmless.',
          tags: ['api'],
          requestBody: { required: true, content: jsonContent('StockReport') },
          responses: { '200': { description: 'Applied.', content: jsonContent('StockReportAnswer') }, ...ERRORS, ...UNAVAILABLE },
        },
      },
      '/v1/orders/{orderId}/shipments/{n}/shipped': {
        post: {
          operationId: 'shipmentShipped',
          summary: 'Confirm shipment n (from 1) of the decision left the warehouse',
          description: 'Consumes the shipment\'s stock reservation (reserved and on-hand go down together). Idempotent: a repeat answers `already-shipped`.',
          tags: ['api'],
          parameters: [orderIdParameter, { name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 1 }, description: 'The shipment\'s position in decision.chosen.shipments, from 1.' }],
          requestBody: { required: true, content: jsonContent('ShipmentShipped') },
          responses: {
            '200': { description: 'Recorded.', content: jsonContent('FulfilmentAnswer') },
            ...ERRORS,
            '404': error('No such order or shipment for this API key.'),
            '409': error('The order is cancelled or not routed (`not-possible`).'),
            ...UNAVAILABLE,
          },
        },
      },
      '/v1/orders/{orderId}/cancel': {
        post: {
          operationId: 'cancelOrder',
          summary: 'Cancel an order',
          description: 'Gives back every reservation still held (stock and rail capacity) in one transaction and marks the order cancelled. Idempotent: a repeat answers `already-cancelled`.',
          tags: ['api'],
          parameters: [orderIdParameter],
          responses: {
            '200': { description: 'Cancelled.', content: jsonContent('FulfilmentAnswer') },
            '401': ERRORS['401'],
            '404': error('No such order for this API key.'),
            ...UNAVAILABLE,
          },
        },
      },
      '/v1/inbound': {
        post: {
          operationId: 'createInbound',
          summary: 'Book a replenishment lot on a rail departure',
          description:
            'Books the lot\'s litres on the departure and records the lot in one transaction; it becomes stock at the warehouse on `arrivesOn` (departure + transit + the warehouse\'s inbound days). Idempotent per `lotId`: a repeat answers 200 `already-booked`.',
          tags: ['api'],
          requestBody: { required: true, content: jsonContent('InboundRequest') },
          responses: {
            '201': { description: 'Booked.', content: jsonContent('InboundAnswer') },
            '200': { description: 'Booked before under this lotId; nothing changed.', content: jsonContent('InboundAnswer') },
            ...ERRORS,
            '409': error('The departure has no room for the lot (`no-capacity`).'),
            ...UNAVAILABLE,
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          description: 'The OpenAPI 3.1 document of the service, generated from the schemas that validate each request.',
          tags: ['api'],
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object', additionalProperties: true }, example: { openapi: '3.1.0', info: { title: 'Silkroute', version: '1.0.0' }, paths: {} } } } } },
        },
      },
      '/webhooks/shopify': webhook(
        'receiveShopifyOrder',
        'Shopify orders/create, orders/paid and orders/cancelled',
        'Signed with X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body). Unpaid orders are recorded as pending and routed on orders/paid. The schema lists the fields read.',
        'ShopifyOrder',
        {
          'X-Shopify-Hmac-Sha256': ['Signature', true],
          'X-Shopify-Shop-Domain': ['The shop', true],
          'X-Shopify-Topic': ['orders/create, orders/paid or orders/cancelled (gives the order\'s stock and capacity back; absent: orders/create)', false],
          'X-Shopify-Webhook-Id': ['Delivery id (deduplication)', false],
        },
      ),
      '/webhooks/woocommerce': webhook(
        'receiveWooCommerceOrder',
        'WooCommerce order.created and order.updated',
        'Signed with X-WC-Webhook-Signature (base64 HMAC-SHA256 of the raw body). The unsigned form-encoded ping (webhook_id=N) gets 200. The schema lists the fields read.',
        'WooCommerceOrder',
        {
          'X-WC-Webhook-Signature': ['Signature (every delivery but the ping)', false],
          'X-WC-Webhook-Source': ['The site URL (every delivery but the ping)', false],
          'X-WC-Webhook-Topic': ['order.created or order.updated (an update with status cancelled cancels the order; absent: order.created)', false],
        },
        {
          'application/x-www-form-urlencoded': {
            schema: { type: 'object', properties: { webhook_id: { type: 'integer' } }, required: ['webhook_id'], description: 'The ping WooCommerce sends when a hook is saved.' },
            example: { webhook_id: 3 },
          },
        },
      ),
      '/webhooks/orders': webhook(
        'receiveStandardOrder',
        'Canonical orders per the Standard Webhooks spec',
        'Signed per Standard Webhooks: webhook-signature is `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the key after `whsec_`; the timestamp must be within ±5 minutes. X-Silkroute-Shop names the connection.',
        'StandardOrderCreated',
        {
          'webhook-id': ['Delivery id (deduplication)', true],
          'webhook-timestamp': ['Seconds since the epoch', true],
          'webhook-signature': ['Space-separated v1,<base64> list', true],
          'X-Silkroute-Shop': ['The connection\'s shop name', true],
        },
      ),
      '/webhooks/tiktok-shop': webhook(
        'receiveTikTokShopNotification',
        'TikTok Shop order status change (webhook type 1)',
        'Signed per TikTok Shop: Authorization is the hex HMAC-SHA256, keyed with the app secret, of the app key followed by the raw body; shop_id in the body names the connection. Answers 200 `queued` once the notification is on the marketplace queue: the order is then fetched with Get Order Detail and routed (ADR 0043). A forged delivery is the same 401 as every webhook\'s.',
        'TikTokShopWebhook',
        { Authorization: ['Signature (hex, no scheme)', true] },
      ),
      ...PLANNING_PATHS,
      ...ACTION_PATHS,
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key of one seller.' } },
      schemas: {
        ...components({ QuoteRequest }, 'input'),
        ...components({ ...webhooks }, 'input', { open: true }),
        ...components({ Decision, OrderView, RerouteAccepted, WebhookAnswer, Error: ErrorBody, CanonicalOrder }, 'output'),
        ...components({ StockReport, ShipmentShipped, InboundRequest }, 'input'),
        ...components({ StockReportAnswer, FulfilmentAnswer, InboundAnswer }, 'output'),
        CostComponentName: {
          anyOf: [{ type: 'string', enum: [...BASE_COMPONENTS] }, { type: 'string', pattern: '^[a-z][a-z0-9-]*$', description: 'a fee of duties.json by its name, e.g. national-fee or handling-fee' }],
          description: 'A cost component (ROUTING.md §5): one of the base components, or one per fee of duties.json by its name.',
        },
        ReasonCode: { type: 'string', enum: [...ReasonCode.options], description: 'Why a candidate route is infeasible; `params` carries the facts as data.' },
      },
    },
  };
}

/** One-click action links from email (issue 14 item 6, ADR 0041): HTML pages for people, the signature is the credential. */
const actionToken = {
  name: 'token',
  in: 'path',
  required: true,
  description: 'The signed token of the link as the email gave it: base64url(claims) "." base64url(HMAC-SHA256).',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$' },
  example: 'eyJhIjoicmVyb3V0ZSIsIm8iOiJvcmRfYWJjIiwidiI6MSwiZSI6MTc2NTQyMDAwMH0.3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
};
const actionPage = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const ACTION_PATHS = {
  '/actions/{token}': {
    get: {
      operationId: 'showAction',
      summary: 'The page a one-click link from an email opens; it changes nothing',
      description:
        'Verifies the link and shows a confirmation with one button (mail scanners fetch links, so a GET never acts), in the seller\'s language. A link used before, for an older decision, expired or altered gets a page that says so, and no button.',
      tags: ['actions'],
      security: [],
      parameters: [actionToken],
      responses: {
        '200': actionPage('The confirmation page: what the button will do.'),
        '400': actionPage('The link is not valid (altered or cut short): both languages, no button.'),
        '409': actionPage('The link was used already (and when), or the order has a newer decision.'),
        '410': actionPage('The link has expired (links live 7 days).'),
      },
    },
    post: {
      operationId: 'performAction',
      summary: 'The confirmation\'s button: reroute the order, once',
      description:
        'Verifies the link again, records its single use with a conditional write, and queues the order for routing at the decision version the email described (as POST /v1/orders/{orderId}/reroute does). A second press, even at the same moment, is told the link was used.',
      tags: ['actions'],
      security: [],
      parameters: [actionToken],
      responses: {
        '200': actionPage('Done: the order is being rerouted; the result follows by email.'),
        '400': actionPage('The link is not valid: nothing was done.'),
        '409': actionPage('The link was used already, or the order has a newer decision: nothing was done.'),
        '410': actionPage('The link has expired: nothing was done.'),
      },
    },
  },
};

/** The planning operations (issue 13): the load plan and the savings report, computed from the stored decisions. */
const money = { type: 'object', properties: { amount: { type: 'number' }, currency: { type: 'string' } }, required: ['amount', 'currency'] };
/** `why` as data (lib/planning/why.ts): `kind` says which sentence, the other fields fill it in any language. */
const PLAN_REASON = {
  type: 'object',
  description:
    'What `why` says, as data, for rendering in another language. Lines: `lost-for-stock` (ordersPerWeek, countries, went: direct|unroutable) or `demand` (unitsPerWeek, countries, atArrival), both with sku, units, cbm, wanted, each, margin. Left out: `no-room` (wanted, departureId, capacityCbm), `not-better` (directCheaper, unpriced, elsewhere), `covered` (atArrival, needed, until), `storage` (dwellDays, savedPerUnit).',
  properties: { kind: { type: 'string', enum: ['lost-for-stock', 'demand', 'no-room', 'not-better', 'covered', 'storage'] }, sku: { type: 'string' } },
  required: ['kind', 'sku'],
};
/** An accepted plan's lot (the example of LOT_ANSWER). */
const LOT_EXAMPLE = {
  lotId: 'plan-R2-2026-12-07', status: 'booked', departureId: 'R2-2026-12-07', laneId: 'R2', warehouseId: 'WH-MAD',
  litres: 185, arrivesOn: '2026-12-26', bookedAt: '2026-12-02T06:00:00.000Z', lines: [{ sku: 'HOODIE', qty: 22 }],
};
const LOT_ANSWER = {
  type: 'object',
  properties: {
    lotId: { type: 'string', description: 'Always `plan-<departureId>`: accepting again books nothing twice.' },
    status: { type: 'string', enum: ['booked', 'already-booked'] },
    departureId: { type: 'string' }, laneId: { type: 'string' }, warehouseId: { type: 'string' },
    litres: { type: 'integer', description: 'Whole litres taken off the departure (the SKU boxes, as POST /v1/inbound sizes a lot).' },
    arrivesOn: { type: 'string', format: 'date' }, bookedAt: { type: 'string', format: 'date-time' },
    lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } }, required: ['sku', 'qty'] } },
  },
  required: ['lotId', 'status', 'departureId', 'litres', 'arrivesOn', 'lines'],
};
const HTML_PAGE = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

const PLANNING_PATHS = {
  '/v1/plans': {
    get: {
      operationId: 'getPlans',
      summary: 'The load plan of each lane\'s next departure, from the seller\'s stored decisions',
      description:
        'Which SKUs and how many units to put on each rail departure not yet cut off, so that the expected saving against direct parcels, less holding cost, is the largest within the capacity; every line says why. The same JSON as `silkroute plan --format json` over the seller\'s decisions of the last 35 days.',
      tags: ['planning'],
      parameters: [
        { name: 'lane', in: 'query', required: false, description: 'Only this rail lane (e.g. `R2`).', schema: { type: 'string' } },
        { name: 'departure', in: 'query', required: false, description: 'Only this departure (e.g. `R2-2026-12-05`); 400 once it is cut off.', schema: { type: 'string' } },
        { name: 'capacity', in: 'query', required: false, description: 'm³ the seller booked on each departure; default what the departure has left.', schema: { type: 'number', minimum: 0 } },
      ],
      responses: {
        '200': {
          description: 'The plan.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  asOf: { type: 'string', format: 'date-time' },
                  serviceLevel: { type: 'number' },
                  windowDays: { type: 'integer' },
                  departures: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        laneId: { type: 'string' }, departureId: { type: 'string' }, sellerId: { type: 'string' }, warehouseId: { type: 'string' },
                        departsAt: { type: 'string' }, cutoffAt: { type: 'string' }, arrivesOn: { type: 'string', format: 'date' }, coversUntil: { type: 'string', format: 'date' },
                        capacityCbm: { type: 'number' }, usedCbm: { type: 'number' },
                        lines: {
                          type: 'array',
                          items: {
                            type: 'object',
                            properties: { sku: { type: 'string' }, units: { type: 'integer' }, cbm: { type: 'number' }, why: { type: 'string' }, reason: PLAN_REASON, savingPerUnit: money, wanted: { type: 'integer' }, destinations: { type: 'array', items: { type: 'string' } } },
                            required: ['sku', 'units', 'cbm', 'why'],
                          },
                        },
                        expectedSaving: money,
                        notPlanned: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, why: { type: 'string' }, reason: PLAN_REASON } } },
                      },
                      required: ['laneId', 'departureId', 'cutoffAt', 'capacityCbm', 'usedCbm', 'lines', 'expectedSaving'],
                    },
                  },
                },
                required: ['asOf', 'departures'],
              },
              example: {
                asOf: '2026-12-02T06:00:00.000Z',
                serviceLevel: 0.95,
                windowDays: 28,
                departures: [
                  {
                    laneId: 'R1', departureId: 'R1-2026-12-04', sellerId: 'tianmen-garments', warehouseId: 'WH-MAD', departsAt: '2026-12-04T10:00:00+08:00', cutoffAt: '2026-12-03T18:00:00+08:00',
                    arrivesOn: '2026-12-23', coversUntil: '2026-12-27', capacityCbm: 64, usedCbm: 0.185,
                    lines: [{ sku: 'HOODIE', units: 22, cbm: 0.185, why: 'HOODIE ×22 (0.18 m³): 10 orders a week to ES went direct for lack of stock, ¥54.57 saved each', savingPerUnit: { amount: 54.57, currency: 'CNY' }, wanted: 22, destinations: ['ES'] }],
                    expectedSaving: { amount: 1200.54, currency: 'CNY' },
                    notPlanned: [],
                  },
                ],
              },
            },
          },
        },
        '400': error('A query parameter is wrong (unknown lane or departure, a departure already cut off, a bad capacity); `details` names it.'),
        '401': ERRORS['401'],
        '409': error('No network data is imported for the seller of this key (`no-network-data`).'),
        ...UNAVAILABLE,
      },
    },
  },
  '/v1/reports/savings': {
    get: {
      operationId: 'getSavingsReport',
      summary: 'What routing saved: spend against all-direct and warehouse-when-in-stock, and what short stock cost',
      description:
        'Orders by mode and their spend over [from, to), against two baselines computed from the same decisions (always the cheapest direct parcel; warehouse only when in stock), and the saving missed because a warehouse lacked stock. JSON by default; an HTML page with an SVG chart for `Accept: text/html` or `?format=html`. At most 92 days; default the 28 days before now.',
      tags: ['planning'],
      parameters: [
        { name: 'from', in: 'query', required: false, description: 'Start (a date, midnight UTC, or an ISO date-time).', schema: { type: 'string' }, example: '2026-11-01' },
        { name: 'to', in: 'query', required: false, description: 'End, exclusive; default now.', schema: { type: 'string' }, example: '2026-12-01' },
        { name: 'format', in: 'query', required: false, description: '`json` (default) or `html`.', schema: { type: 'string', enum: ['json', 'html'] } },
      ],
      responses: {
        '200': {
          description: 'The report.',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { from: { type: ['string', 'null'] }, to: { type: ['string', 'null'] }, sellers: { type: 'array', items: { type: 'object', additionalProperties: true } } }, required: ['from', 'to', 'sellers'] },
              example: {
                from: '2026-11-01T00:00:00.000Z',
                to: '2026-12-01T00:00:00.000Z',
                sellers: [{ sellerId: 'tianmen-garments', currency: 'CNY', orders: { total: 1366, routed: 1366, unroutable: 0, byMode: { 'direct-parcel': 747, 'overseas-warehouse': 578 } }, spend: { amount: 122833.31, currency: 'CNY' }, baselines: { allDirect: { amount: 147444.79, currency: 'CNY', saved: 24611.48, ordersWithoutDirect: 0 } } }],
              },
            },
            'text/html': { schema: { type: 'string' } },
          },
        },
        '400': error('`from`, `to` or `format` is wrong, or the period is longer than 92 days; `details` names it.'),
        '401': ERRORS['401'],
        '409': error('No network data is imported for the seller of this key (`no-network-data`).'),
        ...UNAVAILABLE,
      },
    },
  },  '/v1/plans/{departureId}/accept': {
    post: {
      operationId: 'acceptPlan',
      summary: 'Book the plan of one departure as an inbound lot',
      description:
        'Computes the plan of this departure for the key\'s seller as GET /v1/plans?departure= does and books it as the inbound lot `plan-<departureId>`: the departure\'s capacity and the lot in one transaction (as POST /v1/inbound). Accepting again answers the stored lot with `already-booked` and books nothing. The body is optional.',
      tags: ['planning'],
      parameters: [{ name: 'departureId', in: 'path', required: true, schema: { type: 'string' }, example: 'R2-2026-12-07' }],
      requestBody: {
        required: false,
        content: { 'application/json': { schema: { type: 'object', properties: { capacityCbm: { type: 'number', minimum: 0, description: 'm³ the seller booked; default what the departure has left.' } }, additionalProperties: false }, example: { capacityCbm: 12 } } },
      },
      responses: {
        '201': { description: 'Booked.', content: { 'application/json': { schema: LOT_ANSWER, example: LOT_EXAMPLE } } },
        '200': { description: 'Accepted before: the stored lot, nothing booked again.', content: { 'application/json': { schema: LOT_ANSWER, example: { ...LOT_EXAMPLE, status: 'already-booked' } } } },
        '400': error('The departure is not one of the seller\'s network still to come (`unknown-departure`), or the body is wrong (`details` names it).'),
        '401': ERRORS['401'],
        '409': error('The cut-off has passed (`cut-off-passed`), the plan has nothing to load (`nothing-to-load`), the train has no room for it (`no-capacity`), or no network data is imported (`no-network-data`).'),
        '415': ERRORS['415'],
        ...UNAVAILABLE,
      },
    },
  },
  '/v1/plans/accept-link': {
    get: {
      operationId: 'acceptLinkPage',
      summary: 'The confirmation page of the cut-off email\'s one-click accept link',
      description:
        'Opened from the email, without an API key: `t` is a signed token (HMAC-SHA256; seller, departure, expiry at the cut-off). Shows the plan as it stands now and a button that POSTs the token; changes nothing (mail scanners prefetch links). An expired, tampered or already accepted link gets a page saying so.',
      tags: ['planning'],
      security: [],
      parameters: [{ name: 't', in: 'query', required: true, schema: { type: 'string' } }],
      responses: {
        '200': HTML_PAGE('The confirmation, or "already accepted", in the seller\'s language.'),
        '400': HTML_PAGE('The link is not valid (tampered or cut short), in Chinese and English.'),
        '409': HTML_PAGE('The cut-off has passed, or there is nothing to load.'),
        '410': HTML_PAGE('The link has expired.'),
        ...UNAVAILABLE,
      },
    },
    post: {
      operationId: 'acceptLinkConfirm',
      summary: 'Accept the plan from the confirmation page',
      description: 'The confirmation page\'s form (`t` = the token, form-encoded). Books as POST /v1/plans/{departureId}/accept does, once; a second click answers "already accepted".',
      tags: ['planning'],
      security: [],
      requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { t: { type: 'string' } }, required: ['t'] }, example: { t: 'eyJhIjoiYWNjZXB0LXBsYW4ifQ.c2lnbmF0dXJl' } } } },
      responses: {
        '201': HTML_PAGE('Booked.'),
        '200': HTML_PAGE('Already accepted: nothing booked again.'),
        '400': HTML_PAGE('The link is not valid.'),
        '409': HTML_PAGE('The cut-off has passed, nothing to load, or no room on the train.'),
        '410': HTML_PAGE('The link has expired.'),
        ...UNAVAILABLE,
      },
    },
  },
};
