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
