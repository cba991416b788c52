/**
 * The order item (keys.order): one per canonical order, carrying its status, the current
 * decision and the reservations that decision holds (so a reroute can release them).
 */
import type { CanonicalOrder } from '#network/schemas.ts';
import type { Decision, Reservations } from '#routing/decision.ts';

/** received → routed | unroutable (| failed when it landed in the DLQ); pending = unpaid, not routed yet. */
export type OrderStatus = 'pending' | 'received' | 'routed' | 'unroutable' | 'failed' | 'cancelled';

export interface OrderRecord {
  readonly orderId: string;
  readonly sellerId: string;
  readonly status: OrderStatus;
  readonly order: CanonicalOrder;
  /** Where it came from: platform and shop as configured in connections. */
  readonly source: { readonly platform: string; readonly shop: string };
  readonly receivedAt: string;
  readonly updatedAt: string;
  /** 0 until the first decision; +1 for every committed decision (reroutes included). */
  readonly decisionVersion: number;
  readonly decision?: Decision;
  /** Highest decision version whose notification was handed to the notifications queue. */
  readonly notifiedVersion?: number;
  readonly reservations?: Reservations;
  /** Why the order is pending or failed, in plain words. */
  readonly note?: string;
}
