/**
 * Queue message bodies. Messages carry ids, not documents: the table is the source of truth,
 * so a redelivered or redriven message always acts on the current state.
 */
import * as z from 'zod';

/**
 * Orders queue: route this order. The idempotency key is the order and its decision version,
 * never the message id: the worker routes only while the order's decisionVersion equals
 * `afterVersion` (0 for a new order; the current version for a reroute), so duplicates and
 * redrives of the same message yield one decision.
 */
export const OrderMessage = z.object({
  orderId: z.string().min(1),
  afterVersion: z.number().int().nonnegative().default(0),
});
export type OrderMessage = z.infer<typeof OrderMessage>;

/** Notifications queue: email the seller about this decision version of this order. */
export const NotificationMessage = z.object({
  orderId: z.string().min(1),
  decisionVersion: z.number().int().positive(),
});
export type NotificationMessage = z.infer<typeof NotificationMessage>;

/**
 * Marketplace notifications queue, our own messages: a verified TikTok Shop webhook naming an
 * order to fetch (Amazon's ORDER_CHANGE notifications arrive on the same queue in Amazon's own
 * shape: lib/marketplaces/amazon.ts). The order itself is fetched when the message is handled.
 */
export const FetchOrderMessage = z.object({
  platform: z.literal('tiktok-shop'),
  shop: z.string().min(1),
  externalId: z.string().min(1),
  /** The platform's notification id (TikTok's tts_notification_id): the delivery id of the intake. */
  notificationId: z.string().min(1).optional(),
  /** The status the webhook reported (the fetched order's own status decides). */
  status: z.string().optional(),
});
export type FetchOrderMessage = z.infer<typeof FetchOrderMessage>;
