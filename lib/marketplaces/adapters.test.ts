import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CanonicalOrder } from '#network/schemas.ts';
import { HttpError } from '#shared/errors.ts';
import { lowerHeaders } from '#api/http.ts';
import type { Interpretation, MarketplaceAdapter, Source } from './adapter.ts';
import { base32, canonicalOrderId } from './order-id.ts';
import { shopify } from './shopify.ts';
import { standard } from './standard.ts';
import { woocommerce, wooShop } from './woocommerce.ts';

interface Sample {
  platform: 'shopify' | 'woocommerce' | 'standard';
  shop: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}
const sample = (name: string): Sample => JSON.parse(readFileSync(new URL(`../../events/webhooks/${name}`, import.meta.url), 'utf8'));
const clone = <T>(x: T): T => structuredClone(x);

function interpret(adapter: MarketplaceAdapter, s: Sample, sellerId = 'tianmen-garments'): Interpretation {
  const source: Source = { platform: s.platform, shop: s.shop, sellerId };
  return adapter.interpret(s.body, lowerHeaders(s.headers), source);
}
function orderOf(i: Interpretation) {
  if (i.kind !== 'order') throw new Error(`expected an order, got ${i.kind}`);
  return i;
}
function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    return (error as HttpError).message;
  }
  throw new Error('expected a 400');
}

describe('canonical order ids', () => {
  it('are ord_ + 26 URL-safe base32 characters, the same for the same business key', () => {
    fc.assert(
      fc.property(fc.constantFrom('shopify', 'woocommerce', 'standard'), fc.string(), fc.string(), (platform, shop, externalId) => {
        const id = canonicalOrderId(platform, shop, externalId);
        expect(id).toMatch(/^ord_[a-z2-7]{26}$/);
        expect(canonicalOrderId(platform, shop, externalId)).toBe(id);
        expect(encodeURIComponent(id)).toBe(id);
      }),
    );
  });

  it('differ when any part of the key differs, even when the parts concatenate alike', () => {
    expect(canonicalOrderId('shopify', 'a.myshopify.com', '1')).not.toBe(canonicalOrderId('shopify', 'b.myshopify.com', '1'));
    expect(canonicalOrderId('shopify', 'ab', 'c')).not.toBe(canonicalOrderId('shopify', 'a', 'bc'));
    expect(canonicalOrderId('shopify', 's', '1')).not.toBe(canonicalOrderId('woocommerce', 's', '1'));
  });

  it('encode base32 per RFC 4648', () => {
    expect(base32(Buffer.from('foobar'))).toBe('mzxw6ytboi');
    expect(base32(Buffer.from('f'))).toBe('my');
  });
});

describe('Shopify orders/create', () => {
  const s = sample('shopify-orders-create.json');

  it('becomes the canonical order, seller from the connection, UTC placedAt, prices in the order currency', () => {
    const result = orderOf(interpret(shopify, s));
    expect(result.status).toBe('received');
    expect(result.update).toBe(false);
    const order = CanonicalOrder.parse(result.order);
    expect(order).toEqual({
      orderId: canonicalOrderId('shopify', s.shop, String(s.body.id)),
      sellerId: 'tianmen-garments',
      marketplace: 'shopify',
      externalId: String(s.body.id),
      placedAt: '2026-11-23T02:05:00.000Z',
      currency: 'EUR',
      shipTo: { country: 'DE', postalCode: '10115' },
      lines: [
        { sku: 'TEE-COT', qty: 3, unitPrice: { amount: 9.9, currency: 'EUR' } },
        { sku: 'DRESS-PLY', qty: 1, unitPrice: { amount: 14.9, currency: 'EUR' } },
        { sku: 'HOODIE', qty: 1, unitPrice: { amount: 19.9, currency: 'EUR' } },
      ],
    });
  });

  it('names the failing path: a line without SKU, a zero quantity, no shipping address', () => {
    const noSku = clone(s);
    (noSku.body.line_items as Record<string, unknown>[])[2]!.sku = null;
    expect(badRequest(() => interpret(shopify, noSku))).toBe('line_items[2].sku: missing');
    const emptySku = clone(s);
    (emptySku.body.line_items as Record<string, unknown>[])[1]!.sku = '  ';
    expect(badRequest(() => interpret(shopify, emptySku))).toBe('line_items[1].sku: missing');
    const zero = clone(s);
    (zero.body.line_items as Record<string, unknown>[])[0]!.quantity = 0;
    expect(badRequest(() => interpret(shopify, zero))).toBe('line_items[0].quantity: must be at least 1');
    const noAddress = clone(s);
    noAddress.body.shipping_address = null;
    expect(badRequest(() => interpret(shopify, noAddress))).toBe('shipping_address: missing');
    const badCountry = clone(s);
    (badCountry.body.shipping_address as Record<string, unknown>).country_code = 'Germany';
    expect(badRequest(() => interpret(shopify, badCountry))).toMatch(/^shipping_address\.country_code: expected an ISO 3166-1/);
  });

  it('names a bad price in words, whether a string or a number', () => {
    for (const price of ['-1', -1, 'abc']) {
      const bad = clone(s);
      (bad.body.line_items as Record<string, unknown>[])[0]!.price = price;
      expect(badRequest(() => interpret(shopify, bad, 'tianmen-garments')), String(price)).toBe('line_items[0].price: expected a decimal amount such as "19.99"');
    }
  });

  it('holds an unpaid order as pending and routes authorized and paid ones', () => {
    for (const [financial, status] of [
      ['pending', 'pending'],
      ['voided', 'pending'],
      ['authorized', 'received'],
      ['partially_paid', 'received'],
      ['paid', 'received'],
    ] as const) {
      const t = clone(s);
      t.body.financial_status = financial;
      const result = orderOf(interpret(shopify, t));
      expect(result.status, financial).toBe(status);
      if (status === 'pending') expect(result.note).toContain(financial);
    }
  });

  it('treats orders/paid as an update that routes, and ignores other topics', () => {
    const paid = clone(s);
    paid.body.financial_status = 'paid';
    paid.headers['X-Shopify-Topic'] = 'orders/paid';
    const result = orderOf(interpret(shopify, paid));
    expect(result).toMatchObject({ status: 'received', update: true });
    const other = clone(s);
    other.headers['X-Shopify-Topic'] = 'orders/updated';
    expect(interpret(shopify, other)).toEqual({ kind: 'ignored', reason: 'topic orders/updated is not handled' });
  });

  it('reads its headers whatever their case', () => {
    const headers = lowerHeaders({ 'x-SHOPIFY-shop-DOMAIN': 'Tianmen-Garments.myshopify.com', 'X-Shopify-Webhook-Id': 'abc' });
    expect(shopify.shop(headers)).toBe('tianmen-garments.myshopify.com');
    expect(shopify.deliveryId(headers)).toBe('abc');
  });
});

describe('WooCommerce order.created', () => {
  const s = sample('woocommerce-order-created.json');

  it('becomes the canonical order with the GMT creation time', () => {
    const result = orderOf(interpret(woocommerce, s, 'yiwu-goods'));
    expect(result.status).toBe('received');
    expect(result.order).toMatchObject({
      orderId: canonicalOrderId('woocommerce', s.shop, '10502'),
      sellerId: 'yiwu-goods',
      marketplace: 'woocommerce',
      externalId: '10502',
      placedAt: '2026-11-23T02:40:00.000Z',
      shipTo: { country: 'ES', postalCode: '28013' },
      lines: [
        { sku: 'UMB-3F', qty: 2, unitPrice: { amount: 6.95, currency: 'EUR' } },
        { sku: 'SOCKS-5', qty: 2, unitPrice: { amount: 4.98, currency: 'EUR' } },
      ],
    });
  });

  it('reads a GMT creation time that already carries its Z as the same instant (it threw, a 503)', () => {
    const zulu = clone(s);
    zulu.body.date_created_gmt = '2026-11-23T02:40:00Z';
    expect(orderOf(interpret(woocommerce, zulu, 'yiwu-goods')).order.placedAt).toBe('2026-11-23T02:40:00.000Z');
  });

  it('identifies the shop by the source URL, trailing slash and case aside', () => {
    expect(woocommerce.shop(lowerHeaders(s.headers))).toBe('https://shop.yiwu-goods.example');
    expect(wooShop('HTTPS://Shop.Yiwu-Goods.Example/store//')).toBe('https://shop.yiwu-goods.example/store');
    expect(wooShop('not a url')).toBeUndefined();
  });

  it('holds on-hold orders as pending, and names a missing SKU', () => {
    const held = clone(s);
    held.body.status = 'on-hold';
    expect(orderOf(interpret(woocommerce, held, 'yiwu-goods')).status).toBe('pending');
    const noSku = clone(s);
    (noSku.body.line_items as Record<string, unknown>[])[1]!.sku = '';
    expect(badRequest(() => interpret(woocommerce, noSku, 'yiwu-goods'))).toBe('line_items[1].sku: missing');
  });

  it('offers no delivery id to deduplicate on: it is shared by every delivery of a hook in one second', () => {
    expect(woocommerce.deliveryId(lowerHeaders(s.headers))).toBeUndefined();
  });

  it('recognises the unsigned ping and nothing else as one', () => {
    const form = lowerHeaders({ 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(woocommerce.isPing!(Buffer.from('webhook_id=7'), form)).toBe(true);
    expect(woocommerce.isPing!(Buffer.from('webhook_id=7&x=1'), form)).toBe(false);
    expect(woocommerce.isPing!(Buffer.from('webhook_id=7'), lowerHeaders({ 'content-type': 'application/json' }))).toBe(false);
    // WooCommerce sets no type itself; a transport that adds none still sends a ping.
    expect(woocommerce.isPing!(Buffer.from('webhook_id=7'), lowerHeaders({}))).toBe(true);
    expect(woocommerce.isPing!(Buffer.from('webhook_id=7'), lowerHeaders({ 'content-type': ' ' }))).toBe(true);
    expect(woocommerce.isPing!(Buffer.from('{"id":1}'), lowerHeaders({}))).toBe(false);
  });
});

describe('Standard Webhooks order.created', () => {
  const s = sample('standard-order-created.json');

  it('takes the canonical data, assigns our id and the connection seller', () => {
    const result = orderOf(interpret(standard, { ...s, body: { ...s.body, data: { ...(s.body.data as object), sellerId: 'someone-else' } } }, 'yiwu-goods'));
    expect(result.order.sellerId).toBe('yiwu-goods');
    expect(result.order.orderId).toBe(canonicalOrderId('standard', s.shop, 'SO-2026-000731'));
    expect(result.order.marketplace).toBe('erp');
    expect(result.order.placedAt).toBe('2026-11-23T02:50:00.000Z');
    expect(result.order.serviceLevel).toBe('standard');
  });

  it('defaults the marketplace, names paths under data, and ignores other types', () => {
    const data = clone(s.body.data) as Record<string, unknown>;
    delete data.marketplace;
    expect(orderOf(interpret(standard, { ...s, body: { ...s.body, data } }, 'yiwu-goods')).order.marketplace).toBe('standard');
    const bad = clone(s);
    ((bad.body.data as Record<string, unknown>).lines as Record<string, unknown>[])[1]!.qty = 0;
    expect(badRequest(() => interpret(standard, bad, 'yiwu-goods'))).toMatch(/^data\.lines\[1\]\.qty: /);
    expect(badRequest(() => interpret(standard, { ...s, body: { type: 'order.created' } }, 'yiwu-goods'))).toBe('data: missing');
    expect(interpret(standard, { ...s, body: { ...s.body, type: 'order.cancelled' } }, 'yiwu-goods').kind).toBe('ignored');
  });
});
