/**
 * Sale prices net of VAT and discounts (ROUTING.md §7, issue 11 item 4, ADR 0033): what one unit
 * of a line really sold for, excluding VAT and shipping — the figure the EU's €150 test reads.
 *
 * Each adapter says, per line, what the platform reports: the line's gross amount (unit price ×
 * quantity), the discounts the platform already allocated to it, and the tax included in its
 * price (0 when prices exclude tax). An order-level discount the platform did NOT allocate to the
 * lines is spread here over them pro rata to what is left of each, in minor units, each share
 * rounded down and the remainder given to the last line, so the shares sum to the discount
 * exactly. A line never goes below zero.
 *
 * Everything is computed in integer minor units of the order currency; the unit price is the
 * line's net total ÷ quantity, kept to a hundredth of a minor unit (29.1633 EUR for 87.49 over
 * three units) so that qty × unitPrice is the line's net total within a rounding of 0.005 of a
 * cent per unit.
 */
import type { OrderLine } from '#network/schemas.ts';

/** A unit price as an order line carries it. */
export type Money = NonNullable<OrderLine['unitPrice']>;

/** What a platform reports for one line, in the order currency's minor units. */
export interface ReportedLine {
  readonly qty: number;
  /** Unit price × quantity as the platform writes it, or undefined when the line has no price. */
  readonly grossMinor: number | undefined;
  /** Discounts the platform already allocated to this line. */
  readonly discountMinor: number;
  /** Tax included in the price (the platform's prices include tax), else 0. */
  readonly includedTaxMinor: number;
}

/** Decimal places of the currency's minor unit (ISO 4217, via Intl): 2 for EUR, 0 for JPY. */
export function minorDigitsOf(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** A decimal amount as the platforms write it ("199.00", 6.95) in whole minor units. */
export function toMinorUnits(amount: string | number, currency: string): number {
  const scale = 10 ** minorDigitsOf(currency);
  return Math.round(Number(amount) * scale + (Number(amount) >= 0 ? 1e-7 : -1e-7));
}

/**
 * The net unit price of each line (undefined for a line without a price), with `orderDiscountMinor`
 * — a discount of the whole order not allocated to any line — spread over the priced lines.
 * @example netUnitPrices([{ qty: 1, grossMinor: 1000, discountMinor: 0, includedTaxMinor: 0 }, { qty: 1, grossMinor: 2000, discountMinor: 0, includedTaxMinor: 0 }], 100, 'EUR')
 *   // [{ amount: 9.67, currency: 'EUR' }, { amount: 19.33, currency: 'EUR' }]  (shares 33 + 67 = 100)
 */
export function netUnitPrices(lines: readonly ReportedLine[], orderDiscountMinor: number, currency: string): (Money | undefined)[] {
  const before = lines.map((l) => (l.grossMinor === undefined ? undefined : Math.max(0, l.grossMinor - l.discountMinor)));
  const shares = spread(before, Math.max(0, orderDiscountMinor));
  const scale = 10 ** minorDigitsOf(currency);
  return lines.map((l, i) => {
    const b = before[i];
    if (b === undefined) return undefined;
    const net = Math.max(0, b - shares[i]! - l.includedTaxMinor);
    const unitMinor = Math.round((net / l.qty) * 100) / 100;
    return { amount: Math.round((unitMinor / scale) * 1e6) / 1e6, currency };
  });
}

/**
 * `total` minor units divided over the lines in proportion to `weights` (undefined = not a line
 * to share), each share rounded down, the last weighted line taking the remainder; no share
 * exceeds its line's weight (what is left over goes to the other lines, in order).
 */
export function spread(weights: readonly (number | undefined)[], total: number): number[] {
  const shares = weights.map(() => 0);
  const idx = weights.flatMap((w, i) => (w !== undefined && w > 0 ? [i] : []));
  const sum = idx.reduce((s, i) => s + weights[i]!, 0);
  if (total <= 0 || sum === 0) return shares;
  const due = Math.min(total, sum);
  let given = 0;
  idx.forEach((i, k) => {
    const share = k === idx.length - 1 ? due - given : Math.floor((due * weights[i]!) / sum);
    shares[i] = share;
    given += share;
  });
  // The remainder may exceed the last line's weight by a rounding: hand the excess back in order.
  const last = idx[idx.length - 1]!;
  let excess = shares[last]! - weights[last]!;
  if (excess > 0) {
    shares[last] = weights[last]!;
    for (const i of idx) {
      if (excess <= 0) break;
      const room = weights[i]! - shares[i]!;
      const take = Math.min(room, excess);
      shares[i] = shares[i]! + take;
      excess -= take;
    }
  }
  return shares;
}
