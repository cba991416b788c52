/**
 * Line items as Shopify and WooCommerce both send them (`sku`, `quantity`, `price`), and their
 * mapping to canonical order lines. One schema, so both platforms reject the same bad lines with
 * the same messages.
 */
import * as z from 'zod';
import type { OrderLine } from '#network/schemas.ts';

const Quantity = z
  .number({ error: 'expected a whole number of units' })
  .int('expected a whole number of units')
  .positive('must be at least 1');
// The message on each branch too: a union reports the failing branch's own issue (a regex dump).
const PRICE = 'expected a decimal amount such as "19.99"';
const Price = z.union([z.string().regex(/^\d+(\.\d+)?$/, PRICE), z.number().nonnegative(PRICE).finite(PRICE)], { error: PRICE });

export const MarketplaceLineItems = z
  .array(
    z.object({
      sku: z.string('missing').trim().min(1, 'missing'),
      quantity: Quantity,
      price: Price.nullish(),
    }),
  )
  .min(1, 'an order needs at least one line item')
  .max(100, 'at most 100 line items are supported');

/** Canonical lines; a unit price only when the order names its currency. */
export function toOrderLines(items: z.infer<typeof MarketplaceLineItems>, currency: string | undefined): OrderLine[] {
  return items.map((line) => ({
    sku: line.sku,
    qty: line.quantity,
    ...(line.price != null && currency !== undefined ? { unitPrice: { amount: Number(line.price), currency } } : {}),
  }));
}
