/**
 * Intake: record an order durably, then queue it for routing — in that order, so an order is
 * never queued without being recorded, and a failed send is answered as such (the webhook decides
 * whether the sender should retry; the next duplicate queues it again: lib/store/intake.ts).
 */
import type { IntakeInput, RecordedIntake } from '#store/intake.ts';
import type { OrderStatus } from '#store/order-record.ts';
import type { Clock, IntakeRecorder, Outbox } from './ports.ts';

/** `sent`: the order message went out now; `not-needed`: pending or already past routing; `failed`: the send failed. */
export type QueueOutcome = 'sent' | 'not-needed' | 'failed';

export type IntakeResult =
  | {
      readonly outcome: 'accepted' | 'duplicate';
      readonly orderId: string;
      readonly status: OrderStatus;
      readonly queue: QueueOutcome;
      readonly queueError?: unknown;
    }
  // A conflicting copy is answered exactly as the recorder found it.
  | Extract<RecordedIntake, { readonly outcome: 'conflict' }>;

export interface Intake {
  /** Records the order durably, then queues it if it is to be routed. Throws only when nothing durable happened. */
  record(input: IntakeInput): Promise<IntakeResult>;
}

export interface IntakePorts {
  readonly recorder: IntakeRecorder;
  readonly outbox: Pick<Outbox, 'sendOrder'>;
  readonly clock?: Clock;
}

/** The intake use case over its ports. */
export function createIntake(ports: IntakePorts): Intake {
  const clock = ports.clock ?? (() => new Date());
  return {
    async record(input) {
      const recorded = await ports.recorder.record(input);
      if (recorded.outcome === 'conflict') return recorded;
      const { enqueue, ...result } = recorded;
      if (!enqueue) return { ...result, queue: 'not-needed' };
      try {
        await ports.outbox.sendOrder({ orderId: result.orderId, afterVersion: 0 });
      } catch (queueError) {
        return { ...result, queue: 'failed', queueError };
      }
      // Unstamped, the next duplicate sends the message once more: harmless, the worker is idempotent.
      await ports.recorder.markQueued(result.orderId, clock()).catch(() => undefined);
      return { ...result, queue: 'sent' };
    },
  };
}
