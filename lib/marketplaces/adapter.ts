/**
 * What every marketplace adapter provides: who sent it, whether the signature holds, and what the
 * payload means as a canonical order. Adapters are pure: no I/O, the clock passed in.
 */
import type { CanonicalOrder, ConnectionCredentials, Platform } from '#network/schemas.ts';
import type { WebhookSecrets } from './signature.ts';

/** The connection a delivery belongs to (sellerId comes from here, never from the payload). */
export interface Source {
  readonly platform: Platform;
  readonly shop: string;
  readonly sellerId: string;
}

/** What a verified delivery asks of us. */
export type Interpretation =
  | {
      readonly kind: 'order';
      readonly order: CanonicalOrder;
      /** received: route it now; pending: record it and wait for payment. */
      readonly status: 'received' | 'pending';
      /** Why it is pending, in plain words. */
      readonly note?: string;
      /**
       * A creation (orders/create, order.created) is checked against an earlier copy of the same
       * order (409 when lines or destination differ); an update (orders/paid, order.updated) is
       * not: it may only move a pending order to received.
       */
      readonly update: boolean;
    }
  /** The marketplace cancelled the order (Shopify orders/cancelled, WooCommerce status cancelled): give its stock back. */
  | { readonly kind: 'cancel'; readonly orderId: string; readonly externalId: string }
  | { readonly kind: 'ignored'; readonly reason: string }
  /**
   * A thin notification (TikTok Shop): the order must be fetched from the platform's API with the
   * seller's authorisation. Queued for the marketplace fetcher (ADR 0043), not routed here.
   */
  | { readonly kind: 'fetch'; readonly externalId: string; readonly notificationId?: string; readonly status?: string };

export type Headers = ReadonlyMap<string, string>;

export interface MarketplaceAdapter {
  readonly platform: Platform;
  /** The header that identifies the shop, as documented to senders. */
  readonly shopHeader: string;
  /** The shop as written in the connection record, or undefined when the header is missing (TikTok Shop names it in the body). */
  shop(headers: Headers, raw?: Buffer): string | undefined;
  /** Where the shop is named, for the 401 message; default `Header <shopHeader>`. */
  readonly shopWhere?: string;
  /** The sender's delivery id (deduplicates retries), when it sends one. */
  deliveryId(headers: Headers): string | undefined;
  /** Throws a 401 HttpError when the delivery is not signed by this connection. */
  verify(raw: Buffer, headers: Headers, secrets: WebhookSecrets, now: Date, credentials?: ConnectionCredentials): void;
  /** A delivery that needs no connection and no signature (WooCommerce's ping). */
  isPing?(raw: Buffer, headers: Headers): boolean;
  /** Parses the verified raw body (default: JSON.parse; Shopify keeps 64-bit ids exact). */
  parse?(raw: Buffer): unknown;
  /** Throws a 400 HttpError naming the failing paths when the payload is not a usable order. */
  interpret(body: unknown, headers: Headers, source: Source): Interpretation;
}
