/**
 * Sale prices net of VAT and discounts (ROUTING.md §7, issue 11 item 4, ADR 0033), on payloads
 * of the platforms' published shapes (fixtures/*: each names its source).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lowerHeaders } from '#http/http.ts';
import type { CanonicalOrder } from '#network/schemas.ts';
import type { Interpretation, MarketplaceAdapter, Source } from './adapter.ts';
import { netUnitPrices, spread, toMinorUnits } from './net-prices.ts';
import { shopify } from './shopify.ts';
import { woocommerce } from './woocommerce.ts';

const raw = (path: string) => readFileSync(new URL(`./fixtures/${path}`, import.meta.url));
function orderOf(adapter: MarketplaceAdapter, body: unknown, headers: Record<string, string>): CanonicalOrder {
  const source: Source = { platform: adapter.platform, shop: 'shop.example', sellerId: 'tianmen-garments' };
  const i: Interpretation = adapter.interpret(body, lowerHeaders(headers), source);
  if (i.kind !== 'order') throw new Error(`expected an order, got ${i.kind}`);
  return i.order;
}
const SHOPIFY = { 'X-Shopify-Topic': 'orders/create' };
const WOO = { 'X-WC-Webhook-Topic': 'order.created' };
/** A Shopify fixture parsed as the adapter parses a delivery (64-bit ids exact). */
const shopifyBody = (name: string) => (shopify.parse ?? ((b: Buffer) => JSON.parse(b.toString('utf8'))))(raw(`shopify/${name}`)) as Record<string, unknown>;
const wooBody = (name: string) => JSON.parse(raw(`woocommerce/${name}`).toString('utf8')) as Record<string, unknown>;
const prices = (o: CanonicalOrder) => o.lines.map((l) => [l.sku, l.qty, l.unitPrice?.amount, l.unitPrice?.currency]);

describe('Shopify: price − discount_allocations − tax_lines when taxes_included', () => {
  it('reads the published sample’s $5.00 discount once, from discount_allocations', () => {
    // The second line carries the discount in discount_allocations (5.00), again in the
    // deprecated total_discount (5.00), and the order's total_discounts is that same 5.00:
    // 199.00 and 194.00 — not 196.50 each (spread) nor 189.00 (counted twice).
    const order = orderOf(shopify, shopifyBody('orders-create-sample-discount.json'), SHOPIFY);
    expect(prices(order)).toEqual([
      ['IPOD2008PINK', 1, 199, 'USD'],
      ['IPOD2008PINK', 1, 194, 'USD'],
    ]);
  });

  it('takes the VAT in tax_lines out of a store’s tax-inclusive prices, after the code’s allocation', () => {
    // HOODIE 2 × 34.99 = 69.98 − 7.00 WINTER10 − 10.50 TVA = 52.48 → 26.24 a unit
    // TEE-COT 12.99 − 1.30 − 1.95 = 9.74
    const order = orderOf(shopify, shopifyBody('orders-create-taxes-included.json'), SHOPIFY);
    expect(prices(order)).toEqual([
      ['HOODIE', 2, 26.24, 'EUR'],
      ['TEE-COT', 1, 9.74, 'EUR'],
    ]);
    // the lines' net total is the order's subtotal without its VAT: 74.67 − 12.45 = 62.22
    expect(order.lines.reduce((s, l) => s + l.qty * l.unitPrice!.amount * 100, 0)).toBeCloseTo(6222, 6);
  });

  it('leaves the tax in when prices exclude it (taxes_included false)', () => {
    const body = shopifyBody('orders-create-taxes-included.json');
    body.taxes_included = false;
    // 69.98 − 7.00 = 62.98 → 31.49; 12.99 − 1.30 = 11.69
    expect(prices(orderOf(shopify, body, SHOPIFY)).map((p) => p[2])).toEqual([31.49, 11.69]);
  });

  it('spreads total_discounts over the lines only for a payload without discount_allocations', () => {
    const body = shopifyBody('orders-create-sample-discount.json');
    const items = body.line_items as Record<string, unknown>[];
    for (const item of items) delete item.discount_allocations;
    // the line-level total_discount is then the line's own: nothing left at order level
    expect(prices(orderOf(shopify, body, SHOPIFY)).map((p) => p[2])).toEqual([199, 194]);
    for (const item of items) delete item.total_discount;
    // only the order's 5.00: 2.50 on each 199.00 line
    expect(prices(orderOf(shopify, body, SHOPIFY)).map((p) => p[2])).toEqual([196.5, 196.5]);
  });

  it('keeps the plain price for a payload with no tax or discount fields, as before', () => {
    const body = shopifyBody('orders-create-taxes-included.json');
    delete body.taxes_included;
    delete body.total_discounts;
    for (const item of body.line_items as Record<string, unknown>[]) {
      delete item.discount_allocations;
      delete item.tax_lines;
      delete item.total_discount;
    }
    expect(prices(orderOf(shopify, body, SHOPIFY)).map((p) => p[2])).toEqual([34.99, 12.99]);
  });
});

describe('WooCommerce: the line total after coupons, excluding tax, negative fees spread', () => {
  it('reads the REST reference’s order ex tax (total 6.00 for 2 → 3.00, not 3.225 with its 0.45 tax)', () => {
    const order = orderOf(woocommerce, wooBody('order-docs-sample.json'), WOO);
    expect(prices(order)).toEqual([
      ['no-sku:315', 2, 3, 'USD'],
      ['Bar3', 1, 12, 'USD'],
    ]);
  });

  it('reads a tax-inclusive shop’s lines net of VAT and the coupon once, and spreads the negative fee', () => {
    // prices_include_tax: true, yet `total` excludes tax (its VAT is total_tax) and already has the
    // 10 % coupon (discount_total 2.40 is not taken again). The −2.16 loyalty fee is spread pro
    // rata over 12.60 and 9.00: 126 + 90 cents. UMB-3F (1260 − 126) / 2 = 5.67; SOCKS-5 (900 − 90) / 2 = 4.05
    const order = orderOf(woocommerce, wooBody('order-prices-include-tax.json'), WOO);
    expect(prices(order)).toEqual([
      ['UMB-3F', 2, 5.67, 'EUR'],
      ['SOCKS-5', 2, 4.05, 'EUR'],
    ]);
  });

  it('falls back to price × quantity when a line has no total', () => {
    const body = wooBody('order-prices-include-tax.json');
    for (const item of body.line_items as Record<string, unknown>[]) delete item.total;
    expect(prices(orderOf(woocommerce, body, WOO)).map((p) => p[2])).toEqual([5.67, 4.05]);
  });
});

describe('spreading an order-level discount', () => {
  it('sums exactly, never above a line, the remainder of a minor unit on the last line', () => {
    // 1.00 over three lines of 1.00: 33 + 33 + 34
    expect(spread([100, 100, 100], 100)).toEqual([33, 33, 34]);
    // lines without a price take no share
    expect(spread([100, undefined, 300], 100)).toEqual([25, 0, 75]);
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 200_000 }), (weights, total) => {
        const shares = spread(weights, total);
        const sum = weights.reduce<number>((s, w) => s + (w ?? 0), 0);
        expect(shares.reduce((s, x) => s + x, 0)).toBe(Math.min(total, sum));
        shares.forEach((x, i) => {
          expect(Number.isInteger(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(weights[i] ?? 0);
        });
      }),
    );
  });

  it('gives unit prices whose line totals add up to the order net of the discount', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ qty: fc.integer({ min: 1, max: 9 }), unit: fc.integer({ min: 1, max: 20_000 }) }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 5_000 }), (lines, discount) => {
        const reported = lines.map((l) => ({ qty: l.qty, grossMinor: l.qty * l.unit, discountMinor: 0, includedTaxMinor: 0 }));
        const net = netUnitPrices(reported, discount, 'EUR');
        const gross = reported.reduce((s, l) => s + l.grossMinor, 0);
        const total = net.reduce((s, p, i) => s + p!.amount * 100 * lines[i]!.qty, 0);
        // within half a hundredth of a cent per unit of rounding the unit price
        const units = lines.reduce((s, l) => s + l.qty, 0);
        expect(Math.abs(total - Math.max(0, gross - discount))).toBeLessThanOrEqual(0.005 * units + 1e-6);
      }),
    );
  });

  it('reads amounts in the currency’s minor units (JPY has none)', () => {
    expect(toMinorUnits('199.00', 'USD')).toBe(19900);
    expect(toMinorUnits('1.005', 'EUR')).toBe(101);
    expect(toMinorUnits('1200', 'JPY')).toBe(1200);
    expect(netUnitPrices([{ qty: 3, grossMinor: 1000, discountMinor: 0, includedTaxMinor: 0 }], 0, 'JPY')).toEqual([{ amount: 333.33, currency: 'JPY' }]);
  });
});
