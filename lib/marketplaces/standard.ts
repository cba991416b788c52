/**
 * The generic endpoint: canonical orders from any platform or ERP, signed per the Standard
 * Webhooks spec. The envelope (documented in docs/decisions/0004-webhook-intake.md):
 *   { "type": "order.created", "timestamp": "<ISO-8601>", "data": <canonical order without orderId/sellerId> }
 * The sender names its connection in the `X-Silkroute-Shop` header: the spec has no sender header,
 * and a name of our own cannot collide with one it may add (id, timestamp, signature are the spec's).
 */
// A namespace import lets esbuild drop what is unused (the named `z` drags in all of zod and its locales).
import * as z from 'zod';
import { CanonicalOrder, IsoDateTime } from '#network/schemas.ts';
import { validate } from '#http/http.ts';
import type { Interpretation, MarketplaceAdapter } from './adapter.ts';
import { canonicalOrderId } from '#shared/order-id.ts';
import { verifyStandardWebhook } from './signature.ts';

/** The header a Standard Webhooks sender uses to name its connection's shop. */
export const STANDARD_SHOP_HEADER = 'x-silkroute-shop';

/**
 * The order a sender supplies: canonical, minus the ids we assign; `marketplace` defaults to
 * "standard". The external id keys the order's business-key item, hence a bound a key can hold.
 */
export const StandardOrderData = CanonicalOrder.omit({ orderId: true, sellerId: true, shippingRules: true }).extend({
  marketplace: CanonicalOrder.shape.marketplace.default('standard'),
  externalId: CanonicalOrder.shape.externalId.max(255, 'at most 255 characters'),
});

/** Any event type is accepted at this level; only `order.created` is acted on. */
export const StandardEnvelope = z.object({
  type: z.string().min(1),
  timestamp: IsoDateTime.optional(),
  data: z.unknown(),
});

/** The documented envelope with its typed data (for the OpenAPI document). */
export const StandardOrderCreated = z.object({
  type: z.literal('order.created'),
  timestamp: IsoDateTime.optional(),
  data: StandardOrderData,
});

export const standard: MarketplaceAdapter = {
  platform: 'standard',
  shopHeader: 'X-Silkroute-Shop',
  shop: (headers) => headers.get(STANDARD_SHOP_HEADER)?.trim() || undefined,
  deliveryId: (headers) => headers.get('webhook-id')?.trim() || undefined,
  verify: (raw, headers, secrets, now) =>
    verifyStandardWebhook(
      raw,
      { id: headers.get('webhook-id'), timestamp: headers.get('webhook-timestamp'), signature: headers.get('webhook-signature') },
      secrets,
      now,
    ),
  interpret(body, _headers, source): Interpretation {
    const envelope = validate(StandardEnvelope, body);
    if (envelope.type !== 'order.created') return { kind: 'ignored', reason: `type ${envelope.type} is not handled` };
    const data = validate(StandardOrderData, envelope.data, ['data']);
    const order: CanonicalOrder = {
      ...data,
      placedAt: new Date(data.placedAt).toISOString(),
      orderId: canonicalOrderId('standard', source.shop, data.externalId),
      sellerId: source.sellerId,
    };
    // A sender of canonical orders sends them ready to route: there is no payment state here.
    return { kind: 'order', order, status: 'received', update: false };
  },
};
