/**
 * Line items as Shopify and WooCommerce both send them (`id`, `sku`, `quantity`, `price`), and their
 * mapping to canonical order lines. One schema, so both platforms reject the same bad lines with
 * the same messages.
 *
 * A line without a SKU (a Shopify custom item, a WooCommerce product never given one) is not a
 * broken payload: it is a real, signed order that a 400 would lose. It is kept under a placeholder
 * SKU, `no-sku:<line item id>`, which no catalogue holds, so the router answers `unroutable` with
 * an `unknown-sku` reason naming the line and the seller is told (docs/decisions/0004-webhook-intake.md).
 */
import * as z from 'zod';
import { NO_SKU_PREFIX, type OrderLine } from '#network/schemas.ts';

/** A unit price as an order line carries it. */
type Money = NonNullable<OrderLine['unitPrice']>;

/** The longest SKU an order line may carry. */
export const MAX_SKU_LENGTH = 255;

const Quantity = z
  .number({ error: 'expected a whole number of units' })
  .int('expected a whole number of units')
  .positive('must be at least 1');
// The message on each branch too: a union reports the failing branch's own issue (a regex dump).
const PRICE = 'expected a decimal amount such as "19.99"';
const Price = z.union([z.string().regex(/^\d+(\.\d+)?$/, PRICE), z.number().nonnegative(PRICE).finite(PRICE)], { error: PRICE });
/** A non-negative decimal amount as both platforms write money ("19.99" or 19.99). */
export const DecimalAmount = Price;
/**
 * Both platforms number their line items. The id only names a line that has no SKU, so an odd one
 * is no reason to refuse the order: the line is then named by its position instead.
 */
const LineId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)])
  .nullish()
  .catch(undefined);

/** One line item as both platforms send it; `sku` null, absent or blank means the line has none. */
export const MarketplaceLineItem = z.object({
  id: LineId,
  // Shopify's own limit on a variant SKU; it bounds the decision that names it (ADR 0027).
  sku: z
    .string('expected the SKU as text')
    .refine((s) => s.length <= MAX_SKU_LENGTH, { error: (i) => `at most ${MAX_SKU_LENGTH} characters (got ${String(i.input).length})` })
    .nullish(),
  quantity: Quantity,
  price: Price.nullish(),
});
export type MarketplaceLineItem = z.infer<typeof MarketplaceLineItem>;

/** The `line_items` array of a payload whose lines have the given schema. */
export function lineItemsOf<T extends z.ZodType>(item: T) {
  return z.array(item).min(1, 'an order needs at least one line item').max(100, 'at most 100 line items are supported');
}

export const MarketplaceLineItems = lineItemsOf(MarketplaceLineItem);

export { NO_SKU_PREFIX };

/**
 * The SKU a line is routed under: its own, trimmed; for a line without one, `no-sku:<line item id>`,
 * or `no-sku:line-<n>` (its 1-based position in `line_items`) when it carries no usable id.
 * @example lineSku({ id: 14003, sku: null }, 2) // 'no-sku:14003'
 */
export function lineSku(line: Pick<MarketplaceLineItem, 'id' | 'sku'>, index: number): string {
  const own = line.sku?.trim() ?? '';
  if (own !== '') return own;
  return `${NO_SKU_PREFIX}${line.id == null ? `line-${index + 1}` : String(line.id)}`;
}

/**
 * Canonical lines for the items that `ships` keeps (all by default), in payload order; a unit
 * price only when the order names its currency: the item's `price`, or what `unitPriceOf` says
 * (the adapters' sale price net of VAT and discounts, net-prices.ts).
 */
export function toOrderLines<T extends MarketplaceLineItem>(
  items: readonly T[],
  currency: string | undefined,
  ships: (item: T) => boolean = () => true,
  unitPriceOf?: (item: T, index: number) => Money | undefined,
): OrderLine[] {
  if (unitPriceOf !== undefined && currency !== undefined) {
    return items.flatMap((line, index) => {
      if (!ships(line)) return [];
      const unitPrice = unitPriceOf(line, index);
      return [{ sku: lineSku(line, index), qty: line.quantity, ...(unitPrice === undefined ? {} : { unitPrice }) }];
    });
  }
  // flatMap, not filter-then-map: a placeholder names the line by its place in the payload.
  return items.flatMap((line, index) =>
    ships(line)
      ? [
          {
            sku: lineSku(line, index),
            qty: line.quantity,
            ...(line.price != null && currency !== undefined ? { unitPrice: { amount: Number(line.price), currency } } : {}),
          },
        ]
      : [],
  );
}
