/**
 * Intake of the platforms that send thin notifications (ADR 0043): a message on the marketplace
 * queue — Amazon's ORDER_CHANGE as Amazon sent it, or a verified TikTok Shop webhook — names an
 * order; the connection gives the seller and the credentials; the order is fetched from the
 * platform's API, read by its adapter, and recorded through the same intake as every webhook
 * (exactly once per (platform, shop, order id); the notification id deduplicates redeliveries).
 * A cancellation gives the order's reservations back.
 *
 * Errors are thrown for the queue to retry: ThrottledError (the caller delays the message),
 * PlatformApiError, a connection that is missing (the seller is not connected yet, or was
 * disconnected: the message ends in the DLQ, where an operator sees it, rather than vanishing).
 */
import * as z from 'zod';
import type { Platform } from '#network/schemas.ts';
import type { Intake } from '#orders/intake.ts';
import { SilkrouteError } from '#shared/errors.ts';
import { FetchOrderMessage } from '#shared/messages.ts';
import type { ConnectionStore, ResolvedConnection } from '#store/connections.ts';
import type { Interpretation } from './adapter.ts';
import { amazonNoticeOf, AmazonOrderChangeNotification, interpretAmazonOrder } from './amazon.ts';
import type { SpApi, TikTokShopApi } from './platform-api.ts';
import { interpretTikTokOrder } from './tiktok-shop.ts';
import { deliveryKeyOf, withShippingRules } from './webhook.ts';

/** A body of the marketplace queue: Amazon's notification, or our own fetch message. */
export const MarketplaceMessage = z.union([AmazonOrderChangeNotification.passthrough(), FetchOrderMessage]);
export type MarketplaceMessage = z.infer<typeof MarketplaceMessage>;

/** A notification for a shop with no connection here (or one missing its credentials). */
export class ConnectionMissingError extends SilkrouteError {
  override readonly name: string = 'ConnectionMissingError';
}

export type FetchOutcome =
  | { readonly kind: 'accepted' | 'duplicate'; readonly orderId: string }
  | { readonly kind: 'cancelled' | 'not-found'; readonly orderId: string }
  | { readonly kind: 'ignored'; readonly reason: string };

export interface FetchIntakeDeps {
  readonly connections: ConnectionStore;
  readonly intake: Intake;
  readonly cancel: (input: { orderId: string; sellerId: string; now: Date }) => Promise<{ kind: string }>;
  readonly amazon: SpApi;
  readonly tiktokShop: TikTokShopApi;
  readonly clock?: () => Date;
}

/** The platform, shop and order a message names. */
export function noticeOf(message: MarketplaceMessage): { platform: Platform; shop: string; externalId: string; notificationId?: string; ignore?: string } {
  if ('platform' in message && message.platform === 'tiktok-shop') {
    const m = message as FetchOrderMessage;
    return { platform: 'tiktok-shop', shop: m.shop, externalId: m.externalId, ...(m.notificationId === undefined ? {} : { notificationId: m.notificationId }) };
  }
  return { platform: 'amazon', ...amazonNoticeOf(message) };
}

async function connectionFor(connections: ConnectionStore, platform: Platform, shop: string): Promise<ResolvedConnection> {
  const connection = await connections.get(platform, shop);
  if (connection === undefined) throw new ConnectionMissingError(`no ${platform} connection for ${shop}: connect the shop, then redrive the message from the DLQ`);
  return connection;
}

function need(connection: ResolvedConnection, field: 'clientId' | 'clientSecret' | 'appKey' | 'accessToken'): string {
  const value = connection.credentials?.[field];
  if (value === undefined) throw new ConnectionMissingError(`the ${connection.platform} connection for ${connection.shop} has no ${field} beside its secret (${connection.secretName})`);
  return value;
}

/** The use case over its dependencies. */
export function createFetchIntake(deps: FetchIntakeDeps): (message: MarketplaceMessage) => Promise<FetchOutcome> {
  const clock = deps.clock ?? (() => new Date());
  return async function fetchIntake(message) {
    const notice = noticeOf(message);
    if (notice.ignore !== undefined) return { kind: 'ignored', reason: notice.ignore };
    const connection = await connectionFor(deps.connections, notice.platform, notice.shop);
    const source = { platform: notice.platform, shop: notice.shop, sellerId: connection.sellerId };

    let meaning: Interpretation;
    if (notice.platform === 'amazon') {
      const { order, items } = await deps.amazon.getOrderWithItems(notice.externalId, {
        clientId: need(connection, 'clientId'),
        clientSecret: need(connection, 'clientSecret'),
        // For Amazon the connection's secret is the seller's LWA refresh token.
        refreshToken: connection.secrets.current,
      });
      meaning = interpretAmazonOrder(order, items, source);
    } else {
      const order = await deps.tiktokShop.getOrder(notice.externalId, {
        appKey: need(connection, 'appKey'),
        appSecret: connection.secrets.current,
        accessToken: need(connection, 'accessToken'),
        ...(connection.credentials?.shopCipher === undefined ? {} : { shopCipher: connection.credentials.shopCipher }),
      });
      if (order === undefined) throw new ConnectionMissingError(`TikTok Shop has no order ${notice.externalId} for shop ${notice.shop}`);
      meaning = interpretTikTokOrder(order, source);
    }

    if (meaning.kind === 'ignored') return { kind: 'ignored', reason: meaning.reason };
    if (meaning.kind === 'fetch') throw new SilkrouteError('a fetched order cannot ask to be fetched');
    if (meaning.kind === 'cancel') {
      const outcome = await deps.cancel({ orderId: meaning.orderId, sellerId: connection.sellerId, now: clock() });
      return { kind: outcome.kind === 'not-found' ? 'not-found' : 'cancelled', orderId: meaning.orderId };
    }
    const result = await deps.intake.record({
      source: { platform: notice.platform, shop: notice.shop },
      ...(notice.notificationId === undefined ? {} : { deliveryId: deliveryKeyOf(notice.notificationId) }),
      order: withShippingRules(meaning.order, connection.shipping),
      status: meaning.status,
      update: meaning.update,
    });
    // update: true never conflicts; the branch keeps the union honest.
    if (result.outcome === 'conflict') return { kind: 'duplicate', orderId: result.orderId };
    // Not queued: retry the message; its duplicate re-sends the order (lib/store/intake.ts).
    if (result.queue === 'failed') throw new SilkrouteError(`order ${result.orderId} recorded but not queued`, { cause: result.queueError });
    return { kind: result.outcome, orderId: result.orderId };
  };
}
