/**
 * The Outbox port (lib/orders/ports.ts) over SQS: every message the service sends to its queues
 * leaves through here. A function gets only the queues its bindings allow (definitions.ts); a send
 * to a queue it was not given fails with an error naming it.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SilkrouteError } from '#shared/errors.ts';
import type { FetchOrderMessage, NotificationMessage, OrderMessage } from '#shared/messages.ts';

export interface SqsOutboxOptions {
  readonly sqs: SQSClient;
  readonly ordersQueueUrl?: string;
  readonly notificationsQueueUrl?: string;
  readonly marketplaceQueueUrl?: string;
}

export interface SqsOutbox {
  sendOrder(message: OrderMessage): Promise<void>;
  sendNotification(message: NotificationMessage): Promise<void>;
  /** A verified thin notification whose order the marketplace fetcher will fetch (ADR 0043). */
  sendFetch(message: FetchOrderMessage): Promise<void>;
}

export function createSqsOutbox(options: SqsOutboxOptions): SqsOutbox {
  async function send(queue: 'orders' | 'notifications' | 'marketplace', url: string | undefined, body: unknown): Promise<void> {
    if (url === undefined) throw new SilkrouteError(`this function has no ${queue} queue to send to`);
    await options.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(body) }));
  }
  return {
    sendOrder: (message) => send('orders', options.ordersQueueUrl, message),
    sendNotification: (message) => send('notifications', options.notificationsQueueUrl, message),
    sendFetch: (message) => send('marketplace', options.marketplaceQueueUrl, message),
  };
}
