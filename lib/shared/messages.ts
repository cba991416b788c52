/**
 * Queue message bodies. Messages carry ids, not documents: the table is the source of truth,
 * so a redelivered or redriven message always acts on the current state.
 */
import { z } from 'zod';

/** Orders queue: route this order (idempotency key is the order id, never the message id). */
export const OrderMessage = z.object({ orderId: z.string().min(1) });
export type OrderMessage = z.infer<typeof OrderMessage>;

/** Notifications queue: email the seller about this decision version of this order. */
export const NotificationMessage = z.object({
  orderId: z.string().min(1),
  decisionVersion: z.number().int().positive(),
});
export type NotificationMessage = z.infer<typeof NotificationMessage>;
