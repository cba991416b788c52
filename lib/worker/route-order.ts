/**
 * The routing worker's logic for one orders-queue message: route the order, commit the decision
 * with its reservations, and hand it to the notifications queue — exactly once per decision
 * under at-least-once delivery.
 *
 * Why it is safe to receive the same message many times, or two at once:
 * - the idempotency key is the order and its decision version (`afterVersion`), never the SQS
 *   message id: the commit transaction is conditional on the order still being at that version,
 *   so only one delivery can write decision N+1 and take its stock and capacity;
 * - only the delivery that won the commit sends the notification and records `notifiedVersion`;
 *   a losing delivery sends it only when the winner evidently crashed between its commit and its
 *   send (the decision is older than `notifyGraceMs` and still not marked notified). Inside that
 *   grace it fails the record, so SQS retries later and nothing is lost.
 */
import type { OrderMessage, NotificationMessage } from '#shared/messages.ts';
import type { Decision } from '#routing/decision.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { SilkrouteError, TransientError } from '#shared/errors.ts';

/** The outside world the worker needs; wired to DynamoDB and SQS in functions/route-orders.ts. */
export interface WorkerPorts {
  getOrder(orderId: string): Promise<OrderRecord | undefined>;
  /**
   * Route against the seller's current network and commit decision + reservations (releasing a
   * previous decision's) in one transaction, re-routing when stock or capacity ran out meanwhile.
   */
  routeAndCommit(
    order: OrderRecord,
    now: Date,
    options: { freshNetwork: boolean },
  ): Promise<{ kind: 'committed'; decision: Decision; decisionVersion: number } | { kind: 'already-decided' }>;
  sendNotification(message: NotificationMessage): Promise<void>;
  /** Records that the notification of this decision version is on its way (monotonic). */
  markNotified(orderId: string, decisionVersion: number): Promise<void>;
}

export type WorkerOutcome =
  | { readonly kind: 'decided'; readonly decision: Decision; readonly decisionVersion: number }
  | { readonly kind: 'duplicate'; readonly decisionVersion: number; readonly notificationResent: boolean }
  | { readonly kind: 'skipped'; readonly reason: string };

export interface WorkerOptions {
  readonly now: Date;
  /** How long a losing delivery trusts the winner to send the notification. */
  readonly notifyGraceMs: number;
}

/** The message names an order the table does not hold: poison, it ends in the DLQ. */
export class OrderNotFoundError extends SilkrouteError {
  override readonly name = 'OrderNotFoundError';
}

/** Another delivery decided this order moments ago and is presumably notifying: retry later. */
export class NotificationPendingError extends TransientError {
  override readonly name = 'NotificationPendingError';
}

/** Handles one orders-queue message; throws to have SQS retry the record. */
export async function processOrderMessage(
  message: OrderMessage,
  ports: WorkerPorts,
  options: WorkerOptions,
): Promise<WorkerOutcome> {
  const order = await ports.getOrder(message.orderId);
  if (order === undefined) {
    throw new OrderNotFoundError(`order ${message.orderId} is not in the table`);
  }
  if (order.status === 'pending') {
    return { kind: 'skipped', reason: 'order is pending (unpaid); it is routed once paid' };
  }
  if (order.decisionVersion > message.afterVersion) {
    return settleDuplicate(order, ports, options);
  }
  if (order.decisionVersion < message.afterVersion) {
    // A reroute request can only name a version the order has reached; anything else was not
    // produced by this service.
    return {
      kind: 'skipped',
      reason: `message asks to route after version ${message.afterVersion}, order is at ${order.decisionVersion}`,
    };
  }

  const outcome = await ports.routeAndCommit(order, options.now, {
    // A reroute follows a fix of the seller's data: never decide it on a cached network.
    freshNetwork: message.afterVersion > 0,
  });
  if (outcome.kind === 'already-decided') {
    const current = await ports.getOrder(order.orderId);
    if (current === undefined) throw new OrderNotFoundError(`order ${order.orderId} vanished`);
    return settleDuplicate(current, ports, options);
  }
  await notify(order.orderId, outcome.decisionVersion, ports);
  return { kind: 'decided', decision: outcome.decision, decisionVersion: outcome.decisionVersion };
}

async function settleDuplicate(
  order: OrderRecord,
  ports: WorkerPorts,
  options: WorkerOptions,
): Promise<WorkerOutcome> {
  const version = order.decisionVersion;
  if ((order.notifiedVersion ?? 0) >= version) {
    return { kind: 'duplicate', decisionVersion: version, notificationResent: false };
  }
  const decidedAt = order.decision === undefined ? Number.NaN : Date.parse(order.decision.decidedAt);
  const age = options.now.getTime() - decidedAt;
  if (!(age >= options.notifyGraceMs)) {
    throw new NotificationPendingError(
      `order ${order.orderId} decision ${version} was committed ${Number.isNaN(age) ? 'just now' : `${age} ms ago`} and is not notified yet`,
    );
  }
  await notify(order.orderId, version, ports);
  return { kind: 'duplicate', decisionVersion: version, notificationResent: true };
}

async function notify(orderId: string, decisionVersion: number, ports: WorkerPorts): Promise<void> {
  await ports.sendNotification({ orderId, decisionVersion });
  await ports.markNotified(orderId, decisionVersion);
}
