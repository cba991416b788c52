import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CanonicalOrder } from '#network/schemas.ts';
import { HttpError } from '#http/errors.ts';
import { lowerHeaders } from '#http/http.ts';
import type { Interpretation, MarketplaceAdapter, Source } from './adapter.ts';
import { NO_SKU_PREFIX } from './line-items.ts';
import { base32, canonicalOrderId } from '#shared/order-id.ts';
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
const lines = (x: Sample) => x.body.line_items as Record<string, unknown>[];

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
      orderNumber: '#1042',
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

  it("keeps Shopify's order name, the number the merchant sees, beside the numeric id (issue 14 item 2)", () => {
    // Shopify's own published sample: id 820982911946154508, name "#9999".
    const raw = readFileSync(new URL('./fixtures/shopify/orders-create-test-notification.json', import.meta.url), 'utf8');
    const published = orderOf(shopify.interpret(shopify.parse!(Buffer.from(raw)), lowerHeaders({ 'x-shopify-topic': 'orders/create' }), { platform: 'shopify', shop: s.shop, sellerId: 't' }));
    expect(published.order).toMatchObject({ externalId: '820982911946154508', orderNumber: '#9999' });
    // A shop with its own prefix and suffix: the name as written.
    const custom = clone(s);
    custom.body.name = ' TM-1042-EU ';
    expect(orderOf(interpret(shopify, custom)).order.orderNumber).toBe('TM-1042-EU');
    // Without a name (a hand-made delivery) the order has none, and is still an order.
    for (const name of [undefined, null, '', '  ']) {
      const bare = clone(s);
      if (name === undefined) delete bare.body.name;
      else bare.body.name = name;
      expect(orderOf(interpret(shopify, bare)).order, String(name)).not.toHaveProperty('orderNumber');
    }
  });

  it('still refuses a broken payload with a 400 naming the path: bad quantity, unreadable country, non-text SKU, no lines', () => {
    for (const quantity of [0, -1, 1.5, '2', null]) {
      const bad = clone(s);
      lines(bad)[0]!.quantity = quantity;
      expect(badRequest(() => interpret(shopify, bad)), String(quantity)).toMatch(/^line_items\[0\]\.quantity: /);
    }
    // A line that is not shipped is still part of the payload: a broken one is a broken payload.
    const badTip = clone(s);
    lines(badTip).push({ id: 14009, sku: null, quantity: 0, price: '2.00', requires_shipping: false });
    expect(badRequest(() => interpret(shopify, badTip))).toBe('line_items[3].quantity: must be at least 1');
    const badCountry = clone(s);
    (badCountry.body.shipping_address as Record<string, unknown>).country_code = 'Germany';
    expect(badRequest(() => interpret(shopify, badCountry))).toMatch(/^shipping_address\.country_code: expected an ISO 3166-1/);
    const numericSku = clone(s);
    lines(numericSku)[1]!.sku = 42;
    expect(badRequest(() => interpret(shopify, numericSku))).toMatch(/^line_items\[1\]\.sku: /);
    // Bounded so that nothing accepted can be uncommittable (docs/decisions/0027-bounded-decisions.md).
    const longSku = clone(s);
    lines(longSku)[0]!.sku = 'X'.repeat(256);
    expect(badRequest(() => interpret(shopify, longSku))).toBe('line_items[0].sku: at most 255 characters (got 256)');
    const longestSku = clone(s);
    lines(longestSku)[0]!.sku = 'X'.repeat(255);
    expect(() => interpret(shopify, longestSku)).not.toThrow();
    const tooMany = clone(s);
    tooMany.body.line_items = Array.from({ length: 101 }, (_, i) => ({ ...lines(s)[0]!, id: i + 1 }));
    expect(badRequest(() => interpret(shopify, tooMany))).toBe('line_items: at most 100 line items are supported');
    const empty = clone(s);
    empty.body.line_items = [];
    expect(badRequest(() => interpret(shopify, empty))).toBe('line_items: an order needs at least one line item');
  });

  it('records a shippable line without a SKU (custom item) under no-sku:<line item id>, so that it is routed and reported', () => {
    for (const sku of [null, undefined, '', '   ']) {
      const custom = clone(s);
      if (sku === undefined) delete lines(custom)[2]!.sku;
      else lines(custom)[2]!.sku = sku;
      const result = orderOf(interpret(shopify, custom));
      expect(result.status, String(sku)).toBe('received');
      expect(result.order.lines, String(sku)).toEqual([
        { sku: 'TEE-COT', qty: 3, unitPrice: { amount: 9.9, currency: 'EUR' } },
        { sku: 'DRESS-PLY', qty: 1, unitPrice: { amount: 14.9, currency: 'EUR' } },
        { sku: `${NO_SKU_PREFIX}14003`, qty: 1, unitPrice: { amount: 19.9, currency: 'EUR' } },
      ]);
    }
    // A line without an id of its own (a hand-made delivery) is named by its place in line_items, from 1.
    const noId = clone(s);
    delete lines(noId)[1]!.id;
    lines(noId)[1]!.sku = null;
    expect(orderOf(interpret(shopify, noId)).order.lines[1]!.sku).toBe('no-sku:line-2');
  });

  it('leaves out lines that do not ship (tips, gift cards, digital items); with nothing left to ship, ignores the order', () => {
    const mixed = clone(s);
    lines(mixed).push(
      { id: 14010, title: 'Tip', sku: null, quantity: 1, price: '3.00', requires_shipping: false, gift_card: false },
      { id: 14011, title: 'Gift card', sku: '', quantity: 1, price: '25.00', requires_shipping: false, gift_card: true },
    );
    expect(orderOf(interpret(shopify, mixed)).order.lines.map((l) => l.sku)).toEqual(['TEE-COT', 'DRESS-PLY', 'HOODIE']);
    const digital = clone(s);
    for (const line of lines(digital)) line.requires_shipping = false;
    const result = interpret(shopify, digital);
    expect(result.kind).toBe('ignored');
    expect(result.kind === 'ignored' && result.reason).toBe(`Shopify order 5820012349001 has no line item that requires shipping (tips, gift cards, digital items): nothing to ship.`);
  });

  it('ignores an order without a shipping address (local pickup, digital): nothing to ship, nothing recorded', () => {
    for (const address of [null, undefined, {}, { country_code: null, zip: null }, { country_code: '', zip: '' }]) {
      const pickup = clone(s);
      if (address === undefined) delete pickup.body.shipping_address;
      else pickup.body.shipping_address = address;
      const result = interpret(shopify, pickup);
      expect(result.kind, JSON.stringify(address)).toBe('ignored');
      expect(result.kind === 'ignored' && result.reason).toBe(
        address == null
          ? 'Shopify order 5820012349001 has no shipping address (local pickup or digital goods): nothing to ship.'
          : 'Shopify order 5820012349001 has a shipping address without a country code: nowhere to route it.',
      );
    }
  });

  it('maps any mix of lines: the shippable ones in order, each under its own SKU or a no-sku placeholder no other line has', () => {
    const line = fc.record({
      sku: fc.option(fc.constantFrom('TEE-COT', ' HOODIE ', '', '  ', 'DRESS-PLY'), { nil: null }),
      requires_shipping: fc.option(fc.boolean(), { nil: undefined }),
      quantity: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (items) => {
        const t = clone(s);
        t.body.line_items = items.map((item, i) => ({ id: 20000 + i, price: '1.00', ...item }));
        const result = interpret(shopify, t);
        const shipped = items.map((item, i) => ({ ...item, i })).filter((item) => item.requires_shipping !== false);
        if (shipped.length === 0) {
          expect(result.kind).toBe('ignored');
          return;
        }
        const order = orderOf(result).order;
        expect(order.lines.map((l) => l.qty)).toEqual(shipped.map((item) => item.quantity));
        order.lines.forEach((l, k) => {
          const real = shipped[k]!.sku?.trim() ?? '';
          expect(l.sku).toBe(real === '' ? `no-sku:${20000 + shipped[k]!.i}` : real);
        });
        const placeholders = order.lines.map((l) => l.sku).filter((sku) => sku.startsWith(NO_SKU_PREFIX));
        expect(new Set(placeholders).size).toBe(placeholders.length);
      }),
      { numRuns: 60 },
    );
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
      orderNumber: '10502',
      placedAt: '2026-11-23T02:40:00.000Z',
      shipTo: { country: 'ES', postalCode: '28013' },
      lines: [
        { sku: 'UMB-3F', qty: 2, unitPrice: { amount: 6.95, currency: 'EUR' } },
        { sku: 'SOCKS-5', qty: 2, unitPrice: { amount: 4.98, currency: 'EUR' } },
      ],
    });
  });

  it("keeps WooCommerce's order number, which a numbering plugin makes differ from the id (issue 14 item 2)", () => {
    const plugin = clone(s);
    plugin.body.number = 'WC-2026-0042';
    expect(orderOf(interpret(woocommerce, plugin, 'yiwu-goods')).order).toMatchObject({ externalId: '10502', orderNumber: 'WC-2026-0042' });
    const numeric = clone(s);
    numeric.body.number = 10502;
    expect(orderOf(interpret(woocommerce, numeric, 'yiwu-goods')).order.orderNumber).toBe('10502');
    const none = clone(s);
    delete none.body.number;
    expect(orderOf(interpret(woocommerce, none, 'yiwu-goods')).order).not.toHaveProperty('orderNumber');
    const bad = clone(s);
    bad.body.number = { n: 1 };
    expect(badRequest(() => interpret(woocommerce, bad, 'yiwu-goods'))).toMatch(/^number: /);
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

  it('holds on-hold orders as pending', () => {
    const held = clone(s);
    held.body.status = 'on-hold';
    expect(orderOf(interpret(woocommerce, held, 'yiwu-goods')).status).toBe('pending');
  });

  it('records a line without a SKU (WooCommerce sends "") under no-sku:<line item id>; every line is kept, there is no shipping flag', () => {
    for (const sku of ['', ' ', null]) {
      const noSku = clone(s);
      lines(noSku)[1]!.sku = sku;
      lines(noSku)[0]!.requires_shipping = false; // not a WooCommerce field: no effect
      expect(orderOf(interpret(woocommerce, noSku, 'yiwu-goods')).order.lines.map((l) => l.sku), String(sku)).toEqual(['UMB-3F', 'no-sku:302']);
    }
  });

  it('ignores an order whose shipping address is empty (virtual products, local pickup): nothing to ship', () => {
    // WooCommerce sends the shipping object with every field "" when there is no shipping address.
    const empty = { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '', phone: '' };
    for (const shipping of [empty, null, undefined]) {
      const virtual = clone(s);
      if (shipping === undefined) delete virtual.body.shipping;
      else virtual.body.shipping = shipping;
      expect(interpret(woocommerce, virtual, 'yiwu-goods'), JSON.stringify(shipping)).toEqual({
        kind: 'ignored',
        reason: 'WooCommerce order 10502 has no shipping address (virtual products or local pickup): nothing to ship.',
      });
    }
  });

  it('still refuses a broken payload with a 400: a zero quantity, an unreadable country', () => {
    const zero = clone(s);
    lines(zero)[1]!.quantity = 0;
    expect(badRequest(() => interpret(woocommerce, zero, 'yiwu-goods'))).toBe('line_items[1].quantity: must be at least 1');
    const spain = clone(s);
    (spain.body.shipping as Record<string, unknown>).country = 'Spain';
    expect(badRequest(() => interpret(woocommerce, spain, 'yiwu-goods'))).toMatch(/^shipping\.country: expected an ISO 3166-1/);
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
