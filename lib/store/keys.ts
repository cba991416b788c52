/**
 * Item keys of the single table (docs/decisions/0002-one-table.md). Every repository builds
 * keys here and nowhere else.
 */

import { SWEEP } from '#shared/definitions.ts';

export const keys = {
  seller: (sellerId: string) => ({ pk: `SELLER#${sellerId}`, sk: 'SELLER' }),
  sku: (sellerId: string, sku: string) => ({ pk: `SELLER#${sellerId}`, sk: `SKU#${sku}` }),
  stock: (sellerId: string, warehouseId: string, sku: string) => ({
    pk: `SELLER#${sellerId}`,
    sk: `STOCK#${warehouseId}#${sku}`,
  }),
  /** Network-wide reference data: parcel services, rail lanes, warehouses, duties, FX. */
  network: (kind: 'SERVICE' | 'LANE' | 'WAREHOUSE' | 'DUTIES' | 'FX' | 'SELLER', id?: string) => ({
    pk: 'NETWORK',
    sk: id === undefined ? kind : `${kind}#${id}`,
  }),
  /**
   * One escrow shard of a hot stock item (lib/store/shards.ts, ADR 0051): its own partition key,
   * so the shards of one SKU spread over partitions instead of sharing the seller's.
   */
  stockShard: (sellerId: string, warehouseId: string, sku: string, shard: number) => ({
    pk: `STOCKSHARD#${sellerId}#${warehouseId}#${sku}#${shard}`,
    sk: 'SHARD',
  }),
  /** One partition per departure: reservations on one train do not contend with another's. */
  departure: (departureId: string) => ({ pk: `DEPARTURE#${departureId}`, sk: 'CAPACITY' }),
  order: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  /** A replenishment lot on a rail departure, in the seller's partition (lib/store/inbound.ts). */
  inboundLot: (sellerId: string, lotId: string) => ({ pk: `SELLER#${sellerId}`, sk: `INBOUND#${lotId}` }),
  /** A committed decision, without buyer data: kept when the order item expires (RETENTION). */
  decisionRecord: (orderId: string, decisionVersion: number) => ({
    pk: `ORDER#${orderId}`,
    sk: `DECISION#${String(decisionVersion).padStart(6, '0')}`,
  }),
  /** Marks that the email for one decision version went out. */
  emailSent: (orderId: string, decisionVersion: number) => ({
    pk: `ORDER#${orderId}`,
    sk: `EMAIL#${decisionVersion}`,
  }),
  /** A one-click action link that was used (lib/shared/action-link.ts): its SHA-256, so a second click is refused. */
  actionUse: (tokenHash: string) => ({ pk: `ACTION#${tokenHash}`, sk: 'USED' }),
  /** Webhook delivery dedup (X-Shopify-Webhook-Id, webhook-id). */
  delivery: (platform: string, deliveryId: string) => ({
    pk: `DELIVERY#${platform}#${deliveryId}`,
    sk: 'DELIVERY',
  }),
  /** Business-key dedup: one canonical order per (platform, shop, external order id). */
  externalOrder: (platform: string, shop: string, externalId: string) => ({
    pk: `EXTERNAL#${platform}#${shop}#${externalId}`,
    sk: 'EXTERNAL',
  }),
  connection: (platform: string, shop: string) => ({
    pk: `CONNECTION#${platform}#${shop}`,
    sk: 'CONNECTION',
  }),
  /**
   * The import's list of the connections it wrote (with their API key hash), so a re-import can
   * delete a removed shop's connection and revoke a replaced API key without scanning the table.
   */
  connectionRegistry: (platform: string, shop: string) => ({ pk: 'CONNECTIONS', sk: `${platform}#${shop}` }),
  /** API keys are stored by their SHA-256 (hex), never in clear. */
  apiKey: (sha256Hex: string) => ({ pk: `APIKEY#${sha256Hex}`, sk: 'APIKEY' }),
  /**
   * A seller's registry of the keys `silkroute keys create` made (key id → hash), for listing and
   * revoking. Its own partition: the import prunes SELLER#<id> and must not touch these.
   */
  sellerApiKey: (sellerId: string, keyId: string) => ({ pk: `APIKEYS#${sellerId}`, sk: keyId }),
  /** The sparse `received` index (TABLE.globalSecondaryIndexes[1]): set only while an order is received. */
  receivedIndex: (orderId: string, receivedAt: string) => ({
    rcvpk: `RECEIVED#${receivedShard(orderId)}`,
    rcvsk: `${receivedAt}#${orderId}`,
  }),
  sellerOrdersIndex: (sellerId: string, placedAt: string, orderId: string) => ({
    gsi1pk: `SELLER#${sellerId}#ORDERS`,
    gsi1sk: `${placedAt}#${orderId}`,
  }),
} as const;

export type Key = { pk: string; sk: string };

/** Which of SWEEP.shards partitions of the `received` index an order's entry goes to (FNV-1a). */
export function receivedShard(orderId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < orderId.length; i += 1) {
    hash ^= orderId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SWEEP.shards;
}
