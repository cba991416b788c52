/**
 * Amazon Selling Partner API, merchant-fulfilled orders, built to Amazon's published models
 * (github.com/amzn/selling-partner-api-models: schemas/notifications/OrderChangeNotification.json,
 * models/orders-api-model/ordersV0.json; ADR 0043):
 *
 * - ORDER_CHANGE notifications reach our SQS queue (the SP-API destination) as
 *   `{ NotificationType, Payload: { OrderChangeNotification: { SellerId, AmazonOrderId,
 *   OrderChangeType, Summary: { OrderStatus, FulfillmentType, … } } }, NotificationMetadata:
 *   { NotificationId } }`. They say that an order changed, not what it is.
 * - The order is fetched: getOrder (GET /orders/v0/orders/{orderId}) and getOrderItems
 *   (GET /orders/v0/orders/{orderId}/orderItems, paged by NextToken), each `{ payload }`.
 *   Country and postal code of the ShippingAddress come without restricted-data tokens.
 *
 * What is routed: FulfillmentChannel MFN orders that are Unshipped or PartiallyShipped — their
 * units not yet shipped (QuantityOrdered − QuantityShipped). Canceled gives the stock back;
 * Amazon-fulfilled (AFN) orders are ignored without a fetch when the notification says so;
 * Pending orders wait for their Unshipped notification; shipped ones are ignored.
 * Prices: ItemPrice is the line's total; where ItemTax is given (EU marketplaces collect VAT) the
 * unit price is (ItemPrice − ItemTax) / QuantityOrdered, otherwise none is taken. The buyer's
 * promised LatestDeliveryDate becomes the order's deadline.
 */
import * as z from 'zod';
import { CanonicalOrder, type OrderLine } from '#network/schemas.ts';
import { validate } from '#http/http.ts';
import { canonicalOrderId } from '#shared/order-id.ts';
import type { Interpretation, Source } from './adapter.ts';
import { lineSku, MAX_SKU_LENGTH } from './line-items.ts';

export const AmazonOrderChangeNotification = z.object({
  NotificationType: z.literal('ORDER_CHANGE'),
  NotificationVersion: z.string().optional(),
  EventTime: z.string().optional(),
  Payload: z.object({
    OrderChangeNotification: z.object({
      SellerId: z.string().min(1).max(255),
      AmazonOrderId: z.string().min(1).max(100),
      OrderChangeType: z.string().optional(),
      Summary: z
        .object({
          MarketplaceId: z.string().optional(),
          OrderStatus: z.string().optional(),
          FulfillmentType: z.string().optional(),
        })
        .passthrough()
        .optional(),
    }),
  }),
  NotificationMetadata: z.object({ NotificationId: z.string().min(1).max(200).optional() }).passthrough().optional(),
});
export type AmazonOrderChangeNotification = z.infer<typeof AmazonOrderChangeNotification>;

const Money = z.object({ CurrencyCode: z.string().optional(), Amount: z.string().regex(/^-?\d+(\.\d+)?$/).optional() });

export const AmazonOrder = z.object({
  AmazonOrderId: z.string().min(1),
  PurchaseDate: z.iso.datetime({ offset: true }),
  OrderStatus: z.string(),
  FulfillmentChannel: z.string().optional(),
  ShippingAddress: z.object({ CountryCode: z.string().optional(), PostalCode: z.string().optional() }).passthrough().optional(),
  LatestDeliveryDate: z.iso.datetime({ offset: true }).optional(),
  OrderTotal: Money.optional(),
});
export type AmazonOrder = z.infer<typeof AmazonOrder>;

export const AmazonOrderItem = z.object({
  OrderItemId: z.string().min(1),
  SellerSKU: z.string().max(MAX_SKU_LENGTH).optional(),
  QuantityOrdered: z.number().int().nonnegative(),
  QuantityShipped: z.number().int().nonnegative().optional(),
  ItemPrice: Money.optional(),
  ItemTax: Money.optional(),
});
export type AmazonOrderItem = z.infer<typeof AmazonOrderItem>;

export const GetOrderResponse = z.object({ payload: AmazonOrder });
export const GetOrderItemsResponse = z.object({
  payload: z.object({ AmazonOrderId: z.string().optional(), NextToken: z.string().optional(), OrderItems: z.array(AmazonOrderItem) }),
});

/** What a notification names: the seller (our connection's shop), the order and the delivery id. */
export interface AmazonNotice {
  readonly shop: string;
  readonly externalId: string;
  readonly notificationId?: string;
  /** Set when the notification alone says there is nothing to fetch (an Amazon-fulfilled order). */
  readonly ignore?: string;
}

/** Reads an ORDER_CHANGE notification (throws a 400-style HttpError naming the paths when it is not one). */
export function amazonNoticeOf(body: unknown): AmazonNotice {
  const n = validate(AmazonOrderChangeNotification, body);
  const change = n.Payload.OrderChangeNotification;
  const notificationId = n.NotificationMetadata?.NotificationId;
  return {
    shop: change.SellerId,
    externalId: change.AmazonOrderId,
    ...(notificationId === undefined ? {} : { notificationId }),
    ...(change.Summary?.FulfillmentType === 'AFN' ? { ignore: `Amazon order ${change.AmazonOrderId} is fulfilled by Amazon (AFN): nothing to ship.` } : {}),
  };
}

const ROUTED = new Set(['Unshipped', 'PartiallyShipped']);

function minor(amount: string): number {
  return Math.round(Number(amount) * 100);
}

/** The unit price excluding VAT, when Amazon names the tax of the line. */
function unitPriceOf(item: AmazonOrderItem): OrderLine['unitPrice'] {
  const price = item.ItemPrice;
  const tax = item.ItemTax;
  if (price?.Amount === undefined || tax?.Amount === undefined || price.CurrencyCode === undefined || item.QuantityOrdered === 0) return undefined;
  if (tax.CurrencyCode !== undefined && tax.CurrencyCode !== price.CurrencyCode) return undefined;
  const net = minor(price.Amount) - minor(tax.Amount);
  if (net < 0) return undefined;
  return { amount: Math.round(net / item.QuantityOrdered) / 100, currency: price.CurrencyCode };
}

/**
 * A fetched Amazon order and its items → what it asks of us.
 * @example interpretAmazonOrder(order, items, { platform: 'amazon', shop: 'A3TH9S8BH6GOGM', sellerId: 'yiwu-goods' }).kind // 'order'
 */
export function interpretAmazonOrder(order: AmazonOrder, items: readonly AmazonOrderItem[], source: Source): Interpretation {
  const externalId = order.AmazonOrderId;
  const orderId = canonicalOrderId('amazon', source.shop, externalId);
  if (order.FulfillmentChannel === 'AFN') return { kind: 'ignored', reason: `Amazon order ${externalId} is fulfilled by Amazon (AFN): nothing to ship.` };
  if (order.OrderStatus === 'Canceled') return { kind: 'cancel', orderId, externalId };
  if (!ROUTED.has(order.OrderStatus)) {
    const why = order.OrderStatus === 'Pending' || order.OrderStatus === 'PendingAvailability' ? 'it is routed when Amazon reports it Unshipped' : 'only Unshipped and PartiallyShipped orders are routed';
    return { kind: 'ignored', reason: `Amazon order ${externalId} is ${order.OrderStatus}: ${why}.` };
  }
  const country = order.ShippingAddress?.CountryCode?.trim().toUpperCase() || undefined;
  if (country === undefined) return { kind: 'ignored', reason: `Amazon order ${externalId} has no shipping country: nowhere to route it.` };
  const lines: OrderLine[] = [];
  items.forEach((item, index) => {
    const qty = item.QuantityOrdered - (item.QuantityShipped ?? 0);
    if (qty <= 0) return;
    const unitPrice = unitPriceOf(item);
    lines.push({ sku: lineSku({ id: /^\d{1,20}$/.test(item.OrderItemId) ? item.OrderItemId : undefined, sku: item.SellerSKU }, index), qty, ...(unitPrice === undefined ? {} : { unitPrice }) });
  });
  if (lines.length === 0) return { kind: 'ignored', reason: `Amazon order ${externalId} has no unit left to ship.` };
  const currency = order.OrderTotal?.CurrencyCode ?? items.find((i) => i.ItemPrice?.CurrencyCode !== undefined)?.ItemPrice?.CurrencyCode;
  const postal = order.ShippingAddress?.PostalCode?.trim();
  const canonical = validate(CanonicalOrder, {
    orderId,
    sellerId: source.sellerId,
    marketplace: 'amazon',
    externalId,
    placedAt: new Date(order.PurchaseDate).toISOString(),
    ...(currency === undefined ? {} : { currency }),
    shipTo: { country, ...(postal ? { postalCode: postal } : {}) },
    lines,
    ...(order.LatestDeliveryDate === undefined ? {} : { deliverBy: new Date(order.LatestDeliveryDate).toISOString().slice(0, 10) }),
  });
  return { kind: 'order', order: canonical, status: 'received', update: true };
}
