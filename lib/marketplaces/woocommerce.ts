/**
 * WooCommerce `order.created` / `order.updated` webhooks → the canonical order.
 * WooCommerce never retries and disables a hook after 5 failed deliveries, so the ping it sends
 * when a hook is saved (form-encoded `webhook_id=N`, unsigned) must get a 200. Line items carry no
 * shipping flag, so every line is kept; an order without a shipping address (virtual products,
 * local pickup) is ignored: it is not ours to route.
 */
// A namespace import lets esbuild drop what is unused (the named `z` drags in all of zod and its locales).
import * as z from 'zod';
import { CanonicalOrder, CountryCode, CurrencyCode } from '#network/schemas.ts';
import { mediaType, validate } from '#http/http.ts';
import type { Interpretation, MarketplaceAdapter } from './adapter.ts';
import { DecimalAmount, lineItemsOf, MarketplaceLineItem, toOrderLines } from './line-items.ts';
import { netUnitPrices, toMinorUnits, type Money } from './net-prices.ts';
import { canonicalOrderId } from '#shared/order-id.ts';
import { verifyBodyHmac } from './signature.ts';

/** Order states that mean the payment is in (WooCommerce's `processing` is "paid, to be shipped"). */
export const WOO_ROUTABLE_STATUSES: readonly string[] = ['processing', 'completed'];

/**
 * The shop as the connection records it: the site URL's origin and path, no trailing slash.
 * @example wooShop('https://Shop.Example/') // 'https://shop.example'
 */
export function wooShop(source: string): string | undefined {
  try {
    const url = new URL(source.trim());
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}

export const WooOrderPayload = z.object({
  id: z.number({ error: 'expected the numeric order id' }).int().nonnegative(),
  // The order number the shop shows: the id unless a plugin numbers orders ("WC-2026-0042"); a string in v3, a number from some senders.
  number: z.union([z.string(), z.number().int().nonnegative()]).nullish(),
  status: z.string().optional(),
  currency: CurrencyCode.optional(),
  // WooCommerce writes GMT timestamps without an offset.
  date_created_gmt: z.iso.datetime({ local: true }),
  // WooCommerce sends every field "" when the order has no shipping address.
  shipping: z
    .object({
      country: z.union([CountryCode, z.literal('')]).nullish(),
      postcode: z.string().nullish(),
    })
    .nullish(),
  // Sale prices net of VAT and discounts (ROUTING.md §7, ADR 0033): a line's `total` is after
  // coupons and excludes tax (its tax is `total_tax`), whatever `prices_include_tax` says.
  line_items: lineItemsOf(MarketplaceLineItem.extend({ total: DecimalAmount.nullish(), total_tax: DecimalAmount.nullish() })),
  prices_include_tax: z.boolean().nullish(),
  discount_total: DecimalAmount.nullish(),
  // A negative fee is an order-level discount WooCommerce does not allocate to the lines.
  fee_lines: z.array(z.object({ total: z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number().finite()]).nullish() })).nullish(),
});

const HANDLED_TOPICS = new Set(['order.created', 'order.updated']);

export const woocommerce: MarketplaceAdapter = {
  platform: 'woocommerce',
  shopHeader: 'X-WC-Webhook-Source',
  shop: (headers) => {
    const source = headers.get('x-wc-webhook-source');
    return source === undefined ? undefined : wooShop(source);
  },
  // X-WC-Webhook-Delivery-ID is wp_hash(webhook id . current second), not a per-delivery id: two
  // orders (or an order.created and its order.updated) sent by one hook in the same second share
  // it, and deduplicating on it dropped the second as a "duplicate". WooCommerce never retries, so
  // the id has no retry to recognise: the business key (shop, order id) deduplicates alone.
  deliveryId: () => undefined,
  verify: (raw, headers, secrets) => verifyBodyHmac(raw, headers.get('x-wc-webhook-signature'), secrets, 'X-WC-Webhook-Signature'),
  // WordPress posts the ping as a bare string body; its HTTP transport normally labels it
  // form-encoded, but nothing in WooCommerce sets the type, so an unlabelled ping is one too.
  isPing: (raw, headers) => {
    const type = mediaType(headers);
    return (type === undefined || type === 'application/x-www-form-urlencoded') && /^webhook_id=\d+$/.test(raw.toString('utf8').trim());
  },
  interpret(body, headers, source): Interpretation {
    const topic = headers.get('x-wc-webhook-topic')?.trim().toLowerCase() ?? 'order.created';
    if (!HANDLED_TOPICS.has(topic)) return { kind: 'ignored', reason: `topic ${topic} is not handled` };
    const payload = validate(WooOrderPayload, body);
    const externalId = String(payload.id);
    // A cancellation arrives as order.updated with status "cancelled".
    if (payload.status === 'cancelled') return { kind: 'cancel', orderId: canonicalOrderId('woocommerce', source.shop, externalId), externalId };
    const currency = payload.currency;
    const country = payload.shipping?.country || undefined;
    if (country === undefined) {
      return { kind: 'ignored', reason: `WooCommerce order ${externalId} has no shipping address (virtual products or local pickup): nothing to ship.` };
    }
    const order = validate(CanonicalOrder, {
      orderId: canonicalOrderId('woocommerce', source.shop, externalId),
      sellerId: source.sellerId,
      marketplace: 'woocommerce',
      externalId,
      ...(String(payload.number ?? '').trim() ? { orderNumber: String(payload.number).trim() } : {}),
      // GMT without an offset as WooCommerce writes it; a Z that a plugin or proxy added means the same.
      placedAt: new Date(payload.date_created_gmt.endsWith('Z') ? payload.date_created_gmt : `${payload.date_created_gmt}Z`).toISOString(),
      ...(currency === undefined ? {} : { currency }),
      shipTo: {
        country,
        ...(payload.shipping?.postcode?.trim() ? { postalCode: payload.shipping.postcode.trim() } : {}),
      },
      lines: toOrderLines(payload.line_items, currency, undefined, currency === undefined ? undefined : wooUnitPrice(payload, currency)),
    });
    const update = topic === 'order.updated';
    if (payload.status === undefined || WOO_ROUTABLE_STATUSES.includes(payload.status)) {
      return { kind: 'order', order, status: 'received', update };
    }
    return {
      kind: 'order',
      order,
      status: 'pending',
      note: `WooCommerce reports status "${payload.status}"; the order is routed when an update reports it processing.`,
      update,
    };
  },
};

/**
 * Each line's sale price net of VAT and discounts (ADR 0033). WooCommerce's REST line `total` is
 * the line after its coupons, excluding tax (`total_tax` holds the tax) — also in a shop whose
 * `prices_include_tax` is true, where the tax has been taken out of the entered price — and its
 * `price` is that total ÷ quantity; so no VAT is taken out here and `discount_total` (the sum
 * of the coupons already in the lines) is not spread again. What WooCommerce leaves unallocated
 * is a negative fee line (an order-level discount without a coupon): spread over the lines.
 */
export function wooUnitPrice(payload: Pick<z.infer<typeof WooOrderPayload>, 'line_items' | 'fee_lines'>, currency: string): (item: unknown, index: number) => Money | undefined {
  const m = (x: string | number) => toMinorUnits(x, currency);
  const reported = payload.line_items.map((l) => ({
    qty: l.quantity,
    grossMinor: l.total != null ? m(l.total) : l.price != null ? m(Number(l.price) * l.quantity) : undefined,
    discountMinor: 0,
    includedTaxMinor: 0,
  }));
  const negativeFees = (payload.fee_lines ?? []).reduce((s, f) => s + (f.total == null || Number(f.total) >= 0 ? 0 : -m(f.total)), 0);
  const net = netUnitPrices(reported, negativeFees, currency);
  return (_, index) => net[index];
}
