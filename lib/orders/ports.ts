/**
 * The ports of the application layer: everything an order's journey needs from the outside
 * world, declared in one place. The use cases (intake.ts, route-order.ts, notify.ts) are plain
 * functions over these; lib/store, lib/email and SQS implement them (the adapters), and the
 * handlers in functions/ wire the two. Nothing here imports an SDK.
 *
 * lib/orders reads the shapes of the stored records (OrderRecord, IntakeInput) as types from
 * lib/store — never its code — so lib/store never needs to import lib/orders
 * (docs/architecture.md).
 */
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision, Reservations } from '#routing/decision.ts';
import type { NotificationMessage, OrderMessage } from '#shared/messages.ts';
import type { IntakeInput, RecordedIntake } from '#store/intake.ts';
import type { OrderRecord } from '#store/order-record.ts';

/** The order items. */
export interface OrderRepository {
  /** The order, read consistently (a worker must see the version it is about to commit after). */
  getOrder(orderId: string): Promise<OrderRecord | undefined>;
  /** Records that decision `decisionVersion`'s notification is on its way; never moves backwards. */
  markNotified(orderId: string, decisionVersion: number): Promise<void>;
  /** Marks an undecided order failed (its message reached the DLQ); false when missing or decided. */
  markFailed(orderId: string, note: string): Promise<boolean>;
}

/** A seller's network as of a moment (cached per container by the adapter). */
export interface SnapshotSource {
  /** `fresh` skips every cache (a reroute after the seller fixed data). */
  load(sellerId: string, now: Date, options?: { fresh?: boolean }): Promise<NetworkSnapshot>;
  /** Forget one seller's snapshot: its next load reads stock and capacity afresh. */
  invalidate(sellerId: string): void;
}

/** One decision to commit: decision version expectedVersion + 1 with what it takes and gives back. */
export interface CommitRequest {
  readonly order: OrderRecord;
  readonly decision: Decision;
  readonly reservations: Reservations;
  readonly expectedVersion: number;
  readonly releasing: Reservations;
  /** The snapshot the decision was made on (capacity conditions use its departures). */
  readonly snapshot: NetworkSnapshot;
}

/** The stock and capacity items a commit could not take. */
export interface Exhausted {
  readonly stock: readonly { readonly warehouseId: string; readonly sku: string }[];
  readonly capacity: readonly { readonly departureId: string }[];
}

export type CommitResult =
  | { readonly kind: 'committed'; readonly decisionVersion: number }
  /** Another writer committed this version first. */
  | { readonly kind: 'already-decided' }
  /** A reservation's condition failed: that stock or capacity is gone; nothing was written. */
  | { readonly kind: 'exhausted'; readonly exhausted: Exhausted };

/** Writes a decision and its reservations atomically; throws only for faults (transient or not). */
export interface DecisionCommitter {
  commit(request: CommitRequest): Promise<CommitResult>;
}

/** Messages leaving the service for its queues (SQS in AWS and on the twin). */
export interface Outbox {
  sendOrder(message: OrderMessage): Promise<void>;
  sendNotification(message: NotificationMessage): Promise<void>;
}

/** The durable half of intake: the order and its dedup items written, the queue stamp. */
export interface IntakeRecorder {
  /** Writes the order once; says whether the caller should queue it. Throws only when nothing durable happened. */
  record(input: IntakeInput): Promise<RecordedIntake>;
  /** Stamps the order as queued (a later duplicate then does not queue it again). */
  markQueued(orderId: string, at: Date): Promise<void>;
}

/** The email of one decision: rendered in the seller's language and sent; answers the provider's id. */
export interface DecisionMailer {
  send(input: { order: OrderRecord; decision: Decision; network: NetworkSnapshot; now: Date }): Promise<{
    readonly messageId: string;
    readonly to: string;
    readonly subject: string;
  }>;
}

/**
 * The at-most-once ledger of decision emails (lib/store/notifications.ts, docs/decisions/0005):
 * runs `send` unless this decision's email was sent, holding a lease while it runs.
 */
export interface EmailLedger {
  sendOnce(request: {
    orderId: string;
    decisionVersion: number;
    now: Date;
    /** The SES MessageId, or `{ skipped: why }` when no email is to go (recorded as the outcome, so a redelivery does nothing). */
    send: () => Promise<string | { readonly skipped: string }>;
    clock?: () => Date;
  }): Promise<
    | { readonly kind: 'sent'; readonly messageId: string; readonly takeover: boolean; readonly recorded: boolean }
    | { readonly kind: 'already-sent'; readonly messageId?: string }
    | { readonly kind: 'skipped'; readonly why: string }
  >;
}

/** Business metrics (CloudWatch EMF via Powertools in AWS); `dimensions` set on this data point only. */
export interface MetricSink {
  put(name: string, unit: 'Count' | 'Milliseconds' | 'None', value: number, dimensions?: Record<string, string>): void;
}

/** Structured log lines (a Powertools Logger or a child of it). */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
}

export type Clock = () => Date;
