/**
 * One-click actions (issue 14 item 6, ADR 0041): what a link's GET shows and what its POST does.
 * GET verifies and shows a confirmation, changing nothing (or says the link was used or is stale); POST verifies again, records the single
 * use with a conditional write, and reroutes through the same path as POST /v1/orders/{id}/reroute
 * (a message at the order's version: the worker routes only while the order is still there).
 */
import { verifyActionLink, type ActionClaims } from '#shared/action-link.ts';
import type { OrderMessage } from '#shared/messages.ts';
import type { OrderRecord } from '#store/order-record.ts';

export interface ActPorts {
  readonly secret: () => Promise<string>;
  readonly orders: { getOrder(orderId: string): Promise<OrderRecord | undefined> };
  readonly useOnce: (token: string, claims: ActionClaims, now: Date) => Promise<{ kind: 'first-use' } | { kind: 'already-used'; usedAt: string }>;
  readonly sendOrderMessage: (message: OrderMessage) => Promise<void>;
  /** When the link was used, if it was: a second click (a GET) then says so instead of confirming again. */
  readonly usedAt?: (token: string) => Promise<string | undefined>;
}

export type ActOutcome =
  | { readonly kind: 'confirm' | 'done' | 'expired' | 'stale'; readonly order: OrderRecord }
  | { readonly kind: 'already-used'; readonly order: OrderRecord; readonly usedAt: string }
  | { readonly kind: 'invalid' };

const REROUTABLE: ReadonlySet<string> = new Set(['routed', 'unroutable', 'failed']);

export async function act(token: string, method: 'GET' | 'POST', ports: ActPorts, now: Date): Promise<ActOutcome> {
  const verified = verifyActionLink(token, await ports.secret(), now);
  if (!verified.ok && verified.why !== 'expired') return { kind: 'invalid' };
  const claims = verified.claims!;
  const order = await ports.orders.getOrder(claims.orderId);
  if (order === undefined) return { kind: 'invalid' };
  if (!verified.ok) return { kind: 'expired', order };
  if (method === 'GET') {
    // A second click opens the page again: say what happened rather than offer the button once more.
    const usedAt = await ports.usedAt?.(token);
    if (usedAt !== undefined) return { kind: 'already-used', order, usedAt };
    if (order.decisionVersion !== claims.version || !REROUTABLE.has(order.status)) return { kind: 'stale', order };
    return { kind: 'confirm', order };
  }
  const use = await ports.useOnce(token, claims, now);
  if (use.kind === 'already-used') return { kind: 'already-used', order, usedAt: use.usedAt };
  // A newer decision than the email's, or an order on its way: the link no longer applies.
  if (order.decisionVersion !== claims.version || !REROUTABLE.has(order.status)) return { kind: 'stale', order };
  await ports.sendOrderMessage({ orderId: order.orderId, afterVersion: order.decisionVersion });
  return { kind: 'done', order };
}
