/**
 * Exactly one email per decision under at-least-once delivery (docs/decisions/0005-email-once.md).
 *
 * A marker item (keys.emailSent(orderId, decisionVersion)) is claimed with a conditional write
 * before SES is called — state `sending`, a lease and a random token — and set to `sent` with
 * the SES MessageId once SES accepted the email. A redelivery finds `sent` and does nothing; one
 * that arrives while another delivery holds an unexpired lease fails its record, so SQS retries
 * it later; an expired lease means the holder died, and the next delivery takes it over. The one
 * window left: a holder that dies after SES accepted and before `sent` was written is taken over
 * and the email goes twice — at-least-once, only in that crash.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { FUNCTIONS } from '#shared/definitions.ts';
import { SilkrouteError, TransientError } from '#shared/errors.ts';
import type { StoreContext } from './batch.ts';
import { keys } from './keys.ts';

/**
 * An invocation cannot outlive its timeout, so after twice the email function's timeout the
 * holder of a lease is certainly gone; and the queue's visibility timeout (120 s) is longer, so a
 * redelivery after a crash always finds the lease expired and takes over.
 */
export const DEFAULT_LEASE_SECONDS = FUNCTIONS.email.timeoutSeconds * 2;

/** Markers outlive every possible redelivery (queue and DLQ retention: 14 days) by far, then expire. */
export const MARKER_RETENTION_DAYS = 180;

export interface EmailMarker {
  readonly orderId: string;
  readonly decisionVersion: number;
  readonly state: 'sending' | 'sent';
  /** Epoch milliseconds until which the `sending` holder owns the marker. */
  readonly leaseUntil: number;
  readonly leaseToken: string;
  /** How many deliveries claimed it (1 normally; more after a failure or a takeover). */
  readonly attempts: number;
  readonly messageId?: string;
  readonly sentAt?: string;
  /** Set instead of messageId when the seller's preferences said no email (e.g. `digest-seller`). */
  readonly skipped?: string;
}

export type ClaimResult =
  | { readonly kind: 'claimed'; readonly token: string; /** A crashed holder's lease was taken over. */ readonly takeover: boolean }
  | { readonly kind: 'already-sent'; readonly messageId?: string };

/** Another delivery of the same notification is sending right now: retry the record later. */
export class EmailInFlightError extends TransientError {
  override readonly name: string = 'EmailInFlightError';
}

/** SES (or rendering) failed; the marker was released so a retry can send. */
export class EmailSendError extends SilkrouteError {
  override readonly name: string = 'EmailSendError';
}

export interface NotificationStore {
  /** Claims the right to send this decision's email, or reports it sent. Throws EmailInFlightError while another holder's lease runs. */
  claim(orderId: string, decisionVersion: number, now: Date): Promise<ClaimResult>;
  /** Records that SES accepted the email. False when the lease was lost to a takeover meanwhile. */
  markSent(orderId: string, decisionVersion: number, token: string, messageId: string, now: Date): Promise<boolean>;
  /** Records that no email goes for this decision, and why (the seller's preferences); same protocol as markSent. */
  markSkipped(orderId: string, decisionVersion: number, token: string, why: string, now: Date): Promise<boolean>;
  /** Gives the claim back after a failed send, so the next delivery can send at once. */
  release(orderId: string, decisionVersion: number, token: string): Promise<void>;
  /** The marker as stored (for tests and operators). */
  get(orderId: string, decisionVersion: number): Promise<EmailMarker | undefined>;
}

export interface NotificationStoreOptions extends StoreContext {
  readonly leaseSeconds?: number;
  /** Lease tokens; random by default. */
  readonly newToken?: () => string;
}

/** The email-marker repository over one table. */
export function createNotificationStore(options: NotificationStoreOptions): NotificationStore {
  const { doc, tableName } = options;
  const leaseMs = (options.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000;
  const newToken = options.newToken ?? randomUUID;

  async function get(orderId: string, decisionVersion: number): Promise<EmailMarker | undefined> {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.emailSent(orderId, decisionVersion), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _expiresAt, ...marker } = Item;
    return marker as EmailMarker;
  }

  async function tryClaim(orderId: string, decisionVersion: number, now: Date): Promise<ClaimResult | undefined> {
    const token = newToken();
    try {
      const { Attributes } = await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.emailSent(orderId, decisionVersion),
          UpdateExpression:
            'SET #kind = :kind, orderId = :orderId, decisionVersion = :version, #state = :sending, leaseUntil = :until, leaseToken = :token, claimedAt = :nowIso, expiresAt = :expiresAt, attempts = if_not_exists(attempts, :zero) + :one',
          // New, or a `sending` marker whose holder's lease ran out (it crashed or timed out).
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND leaseUntil <= :now)',
          ExpressionAttributeNames: { '#kind': 'kind', '#state': 'state' },
          ExpressionAttributeValues: {
            ':kind': 'email',
            ':orderId': orderId,
            ':version': decisionVersion,
            ':sending': 'sending',
            ':until': now.getTime() + leaseMs,
            ':token': token,
            ':nowIso': now.toISOString(),
            ':now': now.getTime(),
            ':expiresAt': Math.floor(now.getTime() / 1000) + MARKER_RETENTION_DAYS * 86_400,
            ':zero': 0,
            ':one': 1,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { kind: 'claimed', token, takeover: Attributes !== undefined };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const marker = await get(orderId, decisionVersion);
    // Released between our write and our read: claim again.
    if (marker === undefined) return undefined;
    if (marker.state === 'sent') return { kind: 'already-sent', ...(marker.messageId !== undefined && { messageId: marker.messageId }) };
    if (marker.leaseUntil <= now.getTime()) return undefined;
    throw new EmailInFlightError(
      `email for order ${orderId} decision ${decisionVersion} is being sent by another delivery (lease until ${new Date(marker.leaseUntil).toISOString()})`,
    );
  }

  /** Closes a claim this caller still holds: sent (with the SES message id) or skipped (with why); false when the lease was lost. */
  async function finish(orderId: string, decisionVersion: number, token: string, now: Date, set: string, detail: string): Promise<boolean> {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.emailSent(orderId, decisionVersion),
          UpdateExpression: `SET #state = :sent, ${set}, sentAt = :sentAt`,
          ConditionExpression: '#state = :sending AND leaseToken = :token',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sent': 'sent', ':sending': 'sending', ':token': token, ':detail': detail, ':sentAt': now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  return {
    get,

    async claim(orderId, decisionVersion, now) {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const result = await tryClaim(orderId, decisionVersion, now);
        if (result !== undefined) return result;
      }
      throw new EmailInFlightError(`email marker for order ${orderId} decision ${decisionVersion} keeps changing; retry later`);
    },

    markSent(orderId, decisionVersion, token, messageId, now) {
      return finish(orderId, decisionVersion, token, now, 'messageId = :detail', messageId);
    },

    markSkipped(orderId, decisionVersion, token, why, now) {
      return finish(orderId, decisionVersion, token, now, 'skipped = :detail', why);
    },

    async release(orderId, decisionVersion, token) {
      try {
        await doc.send(
          new DeleteCommand({
            TableName: tableName,
            Key: keys.emailSent(orderId, decisionVersion),
            // Only our own claim: a takeover's marker is not ours to delete.
            ConditionExpression: '#state = :sending AND leaseToken = :token',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':sending': 'sending', ':token': token },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}

export type SendOnceResult =
  | {
      readonly kind: 'sent';
      readonly messageId: string;
      readonly takeover: boolean;
      /** False when a takeover replaced our claim while we sent: the email may have gone twice. */
      readonly recorded: boolean;
    }
  | { readonly kind: 'already-sent'; readonly messageId?: string; readonly skipped?: string }
  | { readonly kind: 'skipped'; readonly why: string };

/** What `send` returns when the email is not to go (the seller's preferences): recorded as the decision's outcome. */
export interface SkipEmail {
  readonly skipped: string;
}

/**
 * Runs `send` (render + SES; returns the SES MessageId) at most once per decision version, except
 * in the documented crash window. A failing `send` releases the claim and throws EmailSendError,
 * so SQS retries the record and, after max receives, moves it to the DLQ.
 * @example await sendOnce(store, { orderId, decisionVersion: 2, now, send: () => ses.send(email) })
 */
export async function sendOnce(
  store: NotificationStore,
  request: { orderId: string; decisionVersion: number; now: Date; send: () => Promise<string | SkipEmail>; clock?: () => Date },
): Promise<SendOnceResult> {
  const { orderId, decisionVersion, now } = request;
  const claim = await store.claim(orderId, decisionVersion, now);
  if (claim.kind === 'already-sent') return claim;
  let messageId: string | SkipEmail;
  try {
    messageId = await request.send();
  } catch (error) {
    // If the release fails too, the lease expires on its own and a later delivery takes over.
    await store.release(orderId, decisionVersion, claim.token).catch(() => undefined);
    throw new EmailSendError(`sending the email for order ${orderId} decision ${decisionVersion} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const sentAt = request.clock?.() ?? new Date();
  if (typeof messageId !== 'string') {
    await store.markSkipped(orderId, decisionVersion, claim.token, messageId.skipped, sentAt);
    return { kind: 'skipped', why: messageId.skipped };
  }
  const recorded = await store.markSent(orderId, decisionVersion, claim.token, messageId, sentAt);
  return { kind: 'sent', messageId, takeover: claim.takeover, recorded };
}

/** The EmailLedger port (lib/orders/ports.ts) over a marker store: `sendOnce` bound to it. */
export function createEmailLedger(store: NotificationStore): { sendOnce: (request: Parameters<typeof sendOnce>[1]) => Promise<SendOnceResult> } {
  return { sendOnce: (request) => sendOnce(store, request) };
}
