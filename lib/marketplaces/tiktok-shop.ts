/**
 * TikTok Shop (Partner API), built to TikTok Shop's published documentation (ADR 0043):
 *
 * - Webhooks (Partner Center, "TikTok Shop webhooks" configuration guide): TikTok POSTs JSON
 *   `{ type, tts_notification_id, shop_id, timestamp, data }`; type 1 is ORDER_STATUS_CHANGE with
 *   `data: { order_id, order_status, is_on_hold_order, update_time }`. The `Authorization` header
 *   is the lowercase hex HMAC-SHA256, keyed with the app secret, of the app key followed by the raw
 *   body. TikTok waits 3 s for a 200 and retries 4 times (2 min, 30 min, 3 h, 12 h): the order is
 *   fetched later, from the marketplace queue, never inside the webhook.
 * - Requests ("Sign your API request"): every call carries `app_key`, `timestamp` and `sign` in the
 *   query and the shop's access token in `x-tts-access-token`; sign = hex HMAC-SHA256(app secret,
 *   secret + path + each query parameter but sign and access_token as key+value in key order +
 *   body + secret).
 * - Get Order Detail (GET /order/202507/orders?ids=…&shop_cipher=…, scope seller.order.info):
 *   `{ code, message, request_id, data: { orders: [...] } }`. A line item is one unit (there is
 *   no quantity field): units are counted per `seller_sku`.
 *
 * What is routed: orders the seller ships (`fulfillment_type` FULFILLMENT_BY_SELLER), once they
 * are AWAITING_SHIPMENT (or PARTIALLY_SHIPPING: the items not yet shipped). UNPAID and ON_HOLD
 * orders have no recipient address yet and are left for their next status change; orders TikTok
 * fulfils, and shipped ones, are ignored; CANCELLED gives the stock back.
 * Prices: cross-border sale prices include VAT and the API gives no rate per line outside the US,
 * so no `unitPrice` is taken: the routing core values the lines at the SKU's retail price.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { CanonicalOrder, type ConnectionCredentials } from '#network/schemas.ts';
import { HttpError } from '#http/errors.ts';
import { validate } from '#http/http.ts';
import { canonicalOrderId } from '#shared/order-id.ts';
import type { Interpretation, MarketplaceAdapter, Source } from './adapter.ts';
import { lineSku, MAX_SKU_LENGTH } from './line-items.ts';

/** The webhook type of an order status change. */
export const TIKTOK_ORDER_STATUS_CHANGE = 1;
/** The Get Order Detail path (API version 202507). */
export const TIKTOK_ORDER_DETAIL_PATH = '/order/202507/orders';

/** TikTok ids are 64-bit: strings in every documented example; a number is taken only when exact. */
const Id = z.union([z.string().regex(/^\d{1,20}$/, 'expected a numeric id'), z.number().int().nonnegative().refine(Number.isSafeInteger, 'above 2^53: send ids as strings')]).transform(String);

export const TikTokWebhook = z.object({
  type: z.number().int(),
  tts_notification_id: z.string().min(1).max(200).optional(),
  shop_id: Id,
  timestamp: z.number().int().optional(),
  data: z.unknown(),
});

export const TikTokOrderStatusData = z.object({
  order_id: Id,
  order_status: z.string().optional(),
  update_time: z.number().int().optional(),
});

const Money = z.string().regex(/^\d+(\.\d+)?$/);
export const TikTokLineItem = z.object({
  id: z.string().min(1),
  seller_sku: z.string().max(MAX_SKU_LENGTH).nullish(),
  sku_id: z.string().nullish(),
  sale_price: Money.nullish(),
  currency: z.string().nullish(),
  display_status: z.string().nullish(),
});

export const TikTokOrder = z.object({
  id: Id,
  status: z.string(),
  create_time: z.number().int().nonnegative(),
  fulfillment_type: z.string().nullish(),
  shipping_type: z.string().nullish(),
  payment: z.object({ currency: z.string().nullish() }).nullish(),
  recipient_address: z.object({ region_code: z.string().nullish(), postal_code: z.string().nullish() }).nullish(),
  line_items: z.array(TikTokLineItem).min(1).max(500),
});
export type TikTokOrder = z.infer<typeof TikTokOrder>;

export const TikTokOrderDetailResponse = z.object({
  code: z.number().int(),
  message: z.string().optional(),
  request_id: z.string().optional(),
  data: z.object({ orders: z.array(z.unknown()) }).nullish(),
});

/** Item states that need no shipping from the seller any more. */
const DONE_ITEM = new Set(['CANCELLED', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED', 'AWAITING_COLLECTION']);
const SHIPPED_ORDER = new Set(['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED']);

function hexHmac(key: string, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/**
 * TikTok Shop's request signature.
 * @example tiktokSign('/order/202507/orders', { app_key: 'k', timestamp: '1', ids: '5' }, '', 'secret')
 */
export function tiktokSign(path: string, query: Readonly<Record<string, string>>, body: string, appSecret: string): string {
  const params = Object.keys(query)
    .filter((k) => k !== 'sign' && k !== 'access_token')
    .sort()
    .map((k) => `${k}${query[k]}`)
    .join('');
  return hexHmac(appSecret, `${appSecret}${path}${params}${body}${appSecret}`);
}

/** The `Authorization` value TikTok Shop sends with a webhook: hex HMAC-SHA256(app secret, app key + raw body). */
export function tiktokWebhookSignature(raw: Buffer | string, appKey: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(appKey, 'utf8').update(raw).digest('hex');
}

function unauthorized(code: string, message: string): HttpError {
  return new HttpError(401, code, message);
}

function shopIdOf(raw: Buffer): string | undefined {
  try {
    const parsed = TikTokWebhook.pick({ shop_id: true }).safeParse(JSON.parse(raw.toString('utf8')));
    return parsed.success ? parsed.data.shop_id : undefined;
  } catch {
    return undefined;
  }
}

export const tiktokShop: MarketplaceAdapter = {
  platform: 'tiktok-shop',
  shopHeader: 'shop_id',
  shopWhere: 'The body field shop_id',
  shop: (_headers, raw) => (raw === undefined ? undefined : shopIdOf(raw)),
  // tts_notification_id is in the body; the fetcher records it as the delivery id.
  deliveryId: () => undefined,
  verify(raw, headers, secrets, _now, credentials?: ConnectionCredentials) {
    const given = headers.get('authorization')?.trim();
    if (given === undefined || given === '') throw unauthorized('missing-signature', 'Header Authorization is missing.');
    const appKey = credentials?.appKey;
    // Our configuration, not the sender's fault: a plain error answers 503 and TikTok retries.
    if (appKey === undefined) throw new Error('the TikTok Shop connection has no appKey beside its app secret');
    const candidates = [secrets.current, ...(secrets.previous === undefined ? [] : [secrets.previous])];
    const got = Buffer.from(given.toLowerCase(), 'utf8');
    let ok = false;
    for (const secret of candidates) {
      const want = Buffer.from(tiktokWebhookSignature(raw, appKey, secret), 'utf8');
      // No early exit: timing does not tell which secret matched.
      if (want.length === got.length && timingSafeEqual(want, got)) ok = true;
    }
    if (!ok) throw unauthorized('invalid-signature', 'Header Authorization does not match the body signed with the app secret.');
  },
  interpret(body): Interpretation {
    const hook = validate(TikTokWebhook, body);
    if (hook.type !== TIKTOK_ORDER_STATUS_CHANGE) return { kind: 'ignored', reason: `webhook type ${hook.type} is not handled (only 1, order status change)` };
    const data = validate(TikTokOrderStatusData, hook.data, ['data']);
    return {
      kind: 'fetch',
      externalId: data.order_id,
      ...(hook.tts_notification_id === undefined ? {} : { notificationId: hook.tts_notification_id }),
      ...(data.order_status === undefined ? {} : { status: data.order_status }),
    };
  },
};

/**
 * A fetched TikTok Shop order → what it asks of us.
 * @example interpretTikTokOrder(order, { platform: 'tiktok-shop', shop: '7494…', sellerId: 'yiwu-goods' }).kind // 'order'
 */
export function interpretTikTokOrder(order: TikTokOrder, source: Source): Interpretation {
  const externalId = order.id;
  const orderId = canonicalOrderId('tiktok-shop', source.shop, externalId);
  const status = order.status.toUpperCase();
  if (status === 'CANCELLED' || status === 'CANCEL') return { kind: 'cancel', orderId, externalId };
  if (order.fulfillment_type === 'FULFILLMENT_BY_TIKTOK') {
    return { kind: 'ignored', reason: `TikTok Shop order ${externalId} is fulfilled by TikTok: nothing for the seller to ship.` };
  }
  if (status === 'UNPAID' || status === 'ON_HOLD') {
    return { kind: 'ignored', reason: `TikTok Shop order ${externalId} is ${status}: it is routed when TikTok reports it AWAITING_SHIPMENT.` };
  }
  if (SHIPPED_ORDER.has(status)) return { kind: 'ignored', reason: `TikTok Shop order ${externalId} is ${status}: already shipped.` };
  if (status !== 'AWAITING_SHIPMENT' && status !== 'PARTIALLY_SHIPPING') {
    return { kind: 'ignored', reason: `TikTok Shop order ${externalId} has status ${status}, which is not routed.` };
  }
  const country = order.recipient_address?.region_code?.trim().toUpperCase() || undefined;
  if (country === undefined) return { kind: 'ignored', reason: `TikTok Shop order ${externalId} has no recipient region_code: nowhere to route it.` };
  const units = new Map<string, number>();
  order.line_items.forEach((item, index) => {
    if (item.display_status != null && DONE_ITEM.has(item.display_status.toUpperCase())) return;
    const sku = lineSku({ id: /^\d{1,20}$/.test(item.id) ? item.id : undefined, sku: item.seller_sku }, index);
    units.set(sku, (units.get(sku) ?? 0) + 1);
  });
  if (units.size === 0) return { kind: 'ignored', reason: `TikTok Shop order ${externalId} has no item left to ship.` };
  const currency = order.payment?.currency ?? undefined;
  const postal = order.recipient_address?.postal_code?.trim();
  const canonical = validate(CanonicalOrder, {
    orderId,
    sellerId: source.sellerId,
    marketplace: 'tiktok-shop',
    externalId,
    placedAt: new Date(order.create_time * 1000).toISOString(),
    ...(currency == null || !/^[A-Z]{3}$/.test(currency) ? {} : { currency }),
    shipTo: { country, ...(postal ? { postalCode: postal } : {}) },
    lines: [...units].map(([sku, qty]) => ({ sku, qty })),
  });
  // The platform's current copy is the truth; the first one recorded is routed (update: no conflict with later copies).
  return { kind: 'order', order: canonical, status: 'received', update: true };
}

/** The orders of a Get Order Detail answer, validated one by one (a 400-style HttpError names what is wrong). */
export function ordersOfDetail(body: unknown): TikTokOrder[] {
  const answer = validate(TikTokOrderDetailResponse, body);
  return (answer.data?.orders ?? []).map((o, i) => validate(TikTokOrder, o, ['data', 'orders', i]));
}
