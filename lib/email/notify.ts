/**
 * One notifications-queue message → at most one email (the decision's), in the seller's
 * language. The ports are wired to DynamoDB and SES in functions/send-email.ts; tests pass their
 * own.
 */
import type { NetworkSnapshot } from '#network/types.ts';
import { TransientError } from '#shared/errors.ts';
import type { NotificationMessage } from '#shared/messages.ts';
import { MissingDataError } from '#store/errors.ts';
import { sendOnce, type NotificationStore } from '#store/notifications.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { renderDecisionEmail } from './render.ts';
import type { EmailSender } from './ses.ts';

/** Where the log lines go (a Powertools Logger, or a child of it carrying the orderId). */
export interface NotifyLog {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface NotifyPorts {
  getOrder(orderId: string): Promise<OrderRecord | undefined>;
  loadSnapshot(sellerId: string, now: Date): Promise<NetworkSnapshot>;
  readonly notifications: NotificationStore;
  readonly sendEmail: EmailSender;
  readonly log: NotifyLog;
  /** The clock, for the marker's sentAt; `now` of the request otherwise. */
  readonly clock?: () => Date;
}

export type NotifyOutcome =
  | { readonly kind: 'sent'; readonly messageId: string; readonly to: string; readonly subject: string; readonly takeover: boolean }
  | { readonly kind: 'already-sent'; readonly messageId?: string }
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
export async function processNotification(message: NotificationMessage, ports: NotifyPorts, now: Date): Promise<NotifyOutcome> {
  const { orderId, decisionVersion } = message;
  const order = await ports.getOrder(orderId);
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
  const result = await sendOnce(ports.notifications, {
    orderId,
    decisionVersion,
    now,
    ...(ports.clock && { clock: ports.clock }),
    // Rendering happens only once the claim is ours: a duplicate delivery reads no snapshot.
    send: async () => {
      const network = await ports.loadSnapshot(order.sellerId, now);
      const email = renderDecisionEmail({ order, decision, network, now });
      const messageId = await ports.sendEmail(email);
      sent = { to: email.to, subject: email.subject };
      return messageId;
    },
  });
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
