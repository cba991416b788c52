/**
 * Notify: one notifications-queue message → at most one email (the decision's), in the seller's
 * language. Exactly-once is the ledger's protocol (lib/store/notifications.ts,
 * docs/decisions/0005-email-once.md); rendering and SES are the mailer's (lib/email). The ports
 * are wired in functions/send-email.ts; tests pass their own.
 */
import { MissingDataError, TransientError } from '#shared/errors.ts';
import type { NotificationMessage } from '#shared/messages.ts';
import { decisionEmailPolicy, preferencesOf } from './preferences.ts';
import type { Clock, DecisionMailer, EmailLedger, Log, OrderRepository, SnapshotSource } from './ports.ts';

export interface NotifyPorts {
  readonly orders: Pick<OrderRepository, 'getOrder'>;
  readonly snapshots: Pick<SnapshotSource, 'load'>;
  readonly ledger: EmailLedger;
  readonly mailer: DecisionMailer;
  readonly log: Log;
  /** The clock, for the marker's sentAt; `now` of the request otherwise. */
  readonly clock?: Clock;
}

export type NotifyOutcome =
  | { readonly kind: 'sent'; readonly messageId: string; readonly to: string; readonly subject: string; readonly takeover: boolean }
  | { readonly kind: 'already-sent'; readonly messageId?: string }
  /** The seller's preferences say no email for this decision (digest seller; exceptions-only and routed); recorded in the ledger. */
  | { readonly kind: 'skipped'; readonly why: string }
  | { readonly kind: 'superseded'; readonly currentVersion: number };

/** The order's decision is not readable yet (the message outran it): retry the record. */
export class DecisionNotVisibleError extends TransientError {
  override readonly name: string = 'DecisionNotVisibleError';
}

/**
 * Emails the seller about decision `message.decisionVersion` of the order, once. Throws to have
 * SQS retry the record (an SES failure, another delivery sending right now); the record reaches
 * the DLQ after the queue's max receives.
 */
export async function notifyDecision(message: NotificationMessage, ports: NotifyPorts, now: Date): Promise<NotifyOutcome> {
  const { orderId, decisionVersion } = message;
  const order = await ports.orders.getOrder(orderId);
  if (order === undefined) throw new MissingDataError(`order ${orderId} is not in the table`);
  if (order.decisionVersion > decisionVersion) {
    // A newer decision brings its own notification; this one would describe a route no longer taken.
    ports.log.info('notification superseded by a newer decision', { decisionVersion, currentVersion: order.decisionVersion });
    return { kind: 'superseded', currentVersion: order.decisionVersion };
  }
  const decision = order.decision;
  if (order.decisionVersion < decisionVersion || decision === undefined) {
    throw new DecisionNotVisibleError(`order ${orderId} is at decision ${order.decisionVersion}, the message is about ${decisionVersion}`);
  }

  let sent: { to: string; subject: string } | undefined;
  const result = await ports.ledger.sendOnce({
    orderId,
    decisionVersion,
    now,
    ...(ports.clock && { clock: ports.clock }),
    // Rendering happens only once the claim is ours: a duplicate delivery reads no snapshot.
    send: async () => {
      const network = await ports.snapshots.load(order.sellerId, now);
      const policy = decisionEmailPolicy(preferencesOf(network.sellers.find((s) => s.id === order.sellerId)), decision);
      if (!policy.send) return { skipped: policy.why };
      const email = await ports.mailer.send({ order, decision, network, now });
      sent = { to: email.to, subject: email.subject };
      return email.messageId;
    },
  });
  if (result.kind === 'skipped') {
    ports.log.info('no email for this decision: the seller chose otherwise', { decisionVersion, why: result.why });
    return result;
  }
  if (result.kind === 'already-sent') {
    ports.log.info('email already sent for this decision', { decisionVersion, sesMessageId: result.messageId });
    return result;
  }
  if (!result.recorded) {
    ports.log.warn('email sent but another delivery took the marker over meanwhile: the seller may get it twice', { decisionVersion });
  }
  ports.log.info('email sent', { decisionVersion, sesMessageId: result.messageId, takeover: result.takeover });
  return { kind: 'sent', messageId: result.messageId, to: sent!.to, subject: sent!.subject, takeover: result.takeover };
}
