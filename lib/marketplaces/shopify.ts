/**
 * Shopify `orders/create` and `orders/paid` webhooks → the canonical order.
 * Unpaid orders are recorded as `pending` and routed once `orders/paid` arrives; see
 * docs/decisions/0004-webhook-intake.md for which financial states count as paid.
 * Lines with `requires_shipping: false` (tips, gift cards, digital items) are left out; an order
 * with nothing to ship, or no shipping address (local pickup), is ignored: it is not ours to route.
 */
// A namespace import lets esbuild drop what is unused (the named `z` drags in all of zod and its locales).
import * as z from 'zod';
import { CanonicalOrder, CountryCode, CurrencyCode, IsoDateTime } from '#network/schemas.ts';
import { validate } from '#http/http.ts';
import { HttpError } from '#http/errors.ts';
import type { Interpretation, MarketplaceAdapter } from './adapter.ts';
import { DecimalAmount, lineItemsOf, MarketplaceLineItem, toOrderLines } from './line-items.ts';
import { netUnitPrices, toMinorUnits, type Money } from './net-prices.ts';
import { parseExactJsonBody } from './exact-json.ts';
import { canonicalOrderId } from '#shared/order-id.ts';
import { verifyBodyHmac } from './signature.ts';

/**
 * Financial states we route on. `authorized` counts: under manual capture the merchant captures
 * when shipping, so holding authorized orders until `orders/paid` would hold them forever.
 */
export const SHOPIFY_ROUTABLE_FINANCIAL_STATUSES: readonly string[] = ['paid', 'partially_paid', 'authorized'];

/** Shopify ids are 64-bit integers: at most 20 digits. Longer is no Shopify id, and could not be a table key. */
const MAX_ID_DIGITS = 20;
const ID_MESSAGE = `expected Shopify's numeric order id (at most ${MAX_ID_DIGITS} digits)`;
const GID = /^gid:\/\/shopify\/Order\/(\d{1,20})$/;

export const ShopifyOrderPayload = z.object({
  // A number when it is a safe integer; the exact digits (parseExactJson) when it is larger.
  id: z.union([z.number().nonnegative(), z.string().regex(new RegExp(`^\\d{1,${MAX_ID_DIGITS}}$`), ID_MESSAGE)], { error: ID_MESSAGE }),
  admin_graphql_api_id: z.string().nullish(),
  // The order's name as the merchant sees it: order_number with the shop's prefix and suffix ("#1042").
  name: z.string().nullish(),
  created_at: IsoDateTime,
  currency: CurrencyCode.optional(),
  financial_status: z.string().nullish(),
  // Absent or null for local pickup and digital orders; "" read as absent too.
  shipping_address: z
    .object({
      country_code: z.union([CountryCode, z.literal('')]).nullish(),
      zip: z.string().nullish(),
    })
    .nullish(),
  // requires_shipping: false marks tips, gift cards and digital items; absent means shippable.
  line_items: lineItemsOf(
    MarketplaceLineItem.extend({
      requires_shipping: z.boolean().nullish(),
      // Sale prices net of VAT and discounts (ROUTING.md §7, ADR 0033): the tax in the line
      // (taken out when taxes_included), the discounts Shopify allocated to the line (order-level
      // ones included), and the deprecated line-level total_discount (read only without them).
      tax_lines: z.array(z.object({ price: DecimalAmount })).nullish(),
      discount_allocations: z.array(z.object({ amount: DecimalAmount })).nullish(),
      total_discount: DecimalAmount.nullish(),
    }),
  ),
  taxes_included: z.boolean().nullish(),
  total_discounts: DecimalAmount.nullish(),
});
type ShopifyLine = z.infer<typeof ShopifyOrderPayload>['line_items'][number];

const HANDLED_TOPICS = new Set(['orders/create', 'orders/paid', 'orders/cancelled']);

export const shopify: MarketplaceAdapter = {
  platform: 'shopify',
  shopHeader: 'X-Shopify-Shop-Domain',
  shop: (headers) => headers.get('x-shopify-shop-domain')?.trim().toLowerCase() || undefined,
  deliveryId: (headers) => headers.get('x-shopify-webhook-id')?.trim() || undefined,
  verify: (raw, headers, secrets) => verifyBodyHmac(raw, headers.get('x-shopify-hmac-sha256'), secrets, 'X-Shopify-Hmac-Sha256'),
  // Order ids above 2^53 (Shopify's own test notification has one) are read exactly.
  parse: parseExactJsonBody,
  interpret(body, headers, source): Interpretation {
    // Shopify always names the topic; a hand-made delivery without one is taken as a creation.
    const topic = headers.get('x-shopify-topic')?.trim().toLowerCase() ?? 'orders/create';
    if (!HANDLED_TOPICS.has(topic)) return { kind: 'ignored', reason: `topic ${topic} is not handled` };
    const payload = validate(ShopifyOrderPayload, body);
    const externalId = exactOrderId(payload);
    // orders/cancelled carries the whole order (with cancelled_at): only its id matters here.
    if (topic === 'orders/cancelled') return { kind: 'cancel', orderId: canonicalOrderId('shopify', source.shop, externalId), externalId };
    const currency = payload.currency;
    const ships = (line: ShopifyLine) => line.requires_shipping !== false;
    const net = currency === undefined ? undefined : shopifyNetPrices(payload, currency);
    const lines = toOrderLines(payload.line_items, currency, ships, net === undefined ? undefined : (_, index) => net[index]);
    if (lines.length === 0) {
      return { kind: 'ignored', reason: `Shopify order ${externalId} has no line item that requires shipping (tips, gift cards, digital items): nothing to ship.` };
    }
    const address = payload.shipping_address;
    const country = address?.country_code || undefined;
    if (country === undefined) {
      const reason = address == null ? 'has no shipping address (local pickup or digital goods): nothing to ship' : 'has a shipping address without a country code: nowhere to route it';
      return { kind: 'ignored', reason: `Shopify order ${externalId} ${reason}.` };
    }
    const order = validate(CanonicalOrder, {
      orderId: canonicalOrderId('shopify', source.shop, externalId),
      sellerId: source.sellerId,
      marketplace: 'shopify',
      externalId,
      ...(payload.name?.trim() ? { orderNumber: payload.name.trim() } : {}),
      placedAt: new Date(payload.created_at).toISOString(),
      ...(currency === undefined ? {} : { currency }),
      shipTo: {
        country,
        ...(address?.zip?.trim() ? { postalCode: address.zip.trim() } : {}),
      },
      lines,
    });
    const update = topic === 'orders/paid';
    const financial = payload.financial_status ?? undefined;
    // An absent status is taken as routable: Shopify always sends one, a hand-made test may not.
    if (update || financial === undefined || SHOPIFY_ROUTABLE_FINANCIAL_STATUSES.includes(financial)) {
      return { kind: 'order', order, status: 'received', update };
    }
    return {
      kind: 'order',
      order,
      status: 'pending',
      note: `Shopify reports financial_status "${financial}"; the order is routed when Shopify sends orders/paid.`,
      update,
    };
  },
};

/**
 * The order id as Shopify wrote it. A string id holds the exact digits; a number is exact when it
 * is a safe integer. A body parsed without exact ids (a caller's own JSON.parse) may hold a rounded
 * number: then `admin_graphql_api_id` (gid://shopify/Order/<digits>) names the order exactly.
 */
export function exactOrderId(payload: Pick<z.infer<typeof ShopifyOrderPayload>, 'id' | 'admin_graphql_api_id'>): string {
  const gid = payload.admin_graphql_api_id == null ? undefined : GID.exec(payload.admin_graphql_api_id)?.[1];
  if (typeof payload.id === 'string') return payload.id;
  if (Number.isSafeInteger(payload.id)) return String(payload.id);
  if (gid !== undefined && Number.isInteger(payload.id)) return gid;
  const message = Number.isInteger(payload.id) ? 'above 2^53 and rounded by the parser; send admin_graphql_api_id with it' : ID_MESSAGE;
  throw new HttpError(400, 'invalid-payload', `id: ${message}`, { details: [{ path: 'id', message }] });
}

/**
 * Each line's sale price net of VAT and discounts (ADR 0033), by index in `line_items`:
 * price × quantity − the line's `discount_allocations` (Shopify's own allocation of every
 * discount that targets line items, order-level codes included) − its `tax_lines` when
 * `taxes_included`. `total_discounts` is the sum of those allocations (plus any shipping
 * discount), so it is spread over the lines only for a payload whose lines carry no
 * `discount_allocations` at all; the deprecated line-level `total_discount` repeats the
 * allocations and is read only then too. Counting either next to the allocations would count a
 * discount twice.
 */
export function shopifyNetPrices(payload: Pick<z.infer<typeof ShopifyOrderPayload>, 'line_items' | 'taxes_included' | 'total_discounts'>, currency: string): (Money | undefined)[] {
  const m = (x: string | number) => toMinorUnits(x, currency);
  const allocated = payload.line_items.some((l) => l.discount_allocations != null);
  const kept = payload.line_items.map((l) => l.requires_shipping !== false);
  const reported = payload.line_items.map((l, i) => ({
    qty: l.quantity,
    grossMinor: l.price == null || !kept[i] ? undefined : m(l.price) * l.quantity,
    discountMinor: allocated ? (l.discount_allocations ?? []).reduce((s, d) => s + m(d.amount), 0) : l.total_discount == null ? 0 : m(l.total_discount),
    includedTaxMinor: payload.taxes_included === true ? (l.tax_lines ?? []).reduce((s, t) => s + m(t.price), 0) : 0,
  }));
  const lineLevel = payload.line_items.reduce((s, l) => s + (l.total_discount == null ? 0 : m(l.total_discount)), 0);
  const unallocated = allocated || payload.total_discounts == null ? 0 : Math.max(0, m(payload.total_discounts) - lineLevel);
  return netUnitPrices(reported, unallocated, currency);
}
