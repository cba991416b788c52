/**
 * Issue 14 item 1, "Done when": every reason, fix and warning rendered in zh-CN, and the test
 * fails on an English sentence. What a Chinese email may keep in Latin letters is named here:
 * SKUs and ids (every string of the order, the decision's ids and the reasons' params), the
 * seller's own catalogue titles and shop, carrier and product brand names from the network, and
 * units. Anything else in Latin letters is an English word that should have been Chinese.
 */
import { describe, expect, it } from 'vitest';
import { Decision as DecisionSchema, type Candidate, type Decision, type Reason } from '#routing/decision.ts';
import type { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { EVERY_REASON, NETWORK, NOW, SCENARIOS, onTrainScenario, scenario } from './fixtures.ts';
import { digestPreview } from './preview.ts';
import { renderDecisionEmail, type RenderInput } from './render.ts';

const UNITS = new Set(['kg', 'cm', 'SKU', 'HS', 'Silkroute', 'Shopify', 'WooCommerce', 'API', 'CNY', 'EUR']);

/** Every string a Chinese email may show as it is: ids, SKUs, the seller's and the carriers' own names. */
function keptNames(input: RenderInput): string[] {
  const strings = (value: unknown): string[] => JSON.stringify(value).match(/"(?:[^"\\]|\\.)*"/g)!.map((s) => JSON.parse(s) as string);
  const network = input.network;
  return [
    ...strings(input.order.order),
    ...strings(input.order.source),
    input.order.orderId,
    ...strings(input.decision.candidates.map((c) => ({ routeId: c.routeId, reasons: c.reasons?.map((r) => r.params) }))),
    ...network.sellers.map((s) => s.name),
    ...network.skus.flatMap((s) => [s.sku, s.title]),
    ...network.parcelServices.flatMap((s) => [s.id, s.name, s.carrier]),
    ...network.warehouses.flatMap((w) => [w.id, ...Object.values(w.lastMile).map((l) => l.carrier)]),
    ...network.railLanes.flatMap((l) => [l.id, ...l.departures.map((d) => d.id)]),
  ]
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
}

/** The English words left once the kept names are taken out. */
function englishIn(text: string, input: RenderInput): string[] {
  let rest = text;
  for (const name of keptNames(input)) rest = rest.split(name).join(' ');
  return [...new Set((rest.match(/[A-Za-z][A-Za-z'-]+/g) ?? []).filter((w) => !UNITS.has(w)))];
}

const order = (lines: CanonicalOrder['lines'], extra: Partial<CanonicalOrder> = {}): CanonicalOrder => ({
  orderId: 'ord_yiwu-goods_3001',
  sellerId: 'yiwu-goods',
  marketplace: 'shopify',
  externalId: '3001',
  placedAt: '2026-11-22T01:30:00.000Z',
  shipTo: { country: 'ES', postalCode: '28013' },
  lines,
  deliverBy: '2026-11-28',
  ...extra,
});

/** A route for a reason to sit on, by what the reason is about. */
function candidateFor(reason: Reason, i: number): Candidate {
  const p = (reason.params ?? {}) as { serviceId?: string; warehouseId?: string; laneId?: string; departureId?: string };
  if (p.serviceId !== undefined) return { routeId: `direct:${p.serviceId}`, mode: 'direct-parcel', serviceId: p.serviceId, feasible: false, reasons: [reason] };
  if (p.warehouseId !== undefined) return { routeId: `warehouse:${p.warehouseId}`, mode: 'overseas-warehouse', warehouseId: p.warehouseId, feasible: false, reasons: [reason] };
  if (p.laneId !== undefined) {
    const departureId = p.departureId ?? `R1-2026-11-24`;
    return { routeId: `rail:${departureId}`, mode: 'rail-to-warehouse', laneId: p.laneId, departureId, warehouseId: 'WH-MAD', feasible: false, reasons: [reason] };
  }
  // missed-deadline, unknown-sku: a rail candidate with an ETA.
  return {
    routeId: `rail:R1-2026-11-24#${i}`,
    mode: 'rail-to-warehouse',
    laneId: 'R1',
    departureId: 'R1-2026-11-24',
    warehouseId: 'WH-MAD',
    feasible: false,
    reasons: [reason],
    ...(reason.code === 'missed-deadline' && { eta: { earliest: '2026-12-14', latest: reason.params?.latestEta ?? '2026-12-15' } }),
  };
}

function unroutableInput(o: CanonicalOrder, reasons: readonly Reason[], network: NetworkSnapshot = NETWORK): RenderInput {
  const decision: Decision = DecisionSchema.parse({
    orderId: o.orderId,
    sellerId: o.sellerId,
    decidedAt: '2026-11-22T01:59:30.000Z',
    status: 'unroutable',
    candidates: reasons.map(candidateFor),
  });
  const sellers = network.sellers.map((s) => (s.id === o.sellerId ? { ...s, language: 'zh-CN' as const, reportCurrency: 'CNY' } : s));
  const record: OrderRecord = {
    orderId: o.orderId,
    sellerId: o.sellerId,
    status: 'unroutable',
    order: o,
    source: { platform: 'shopify', shop: 'yiwu-bright.myshopify.com' },
    receivedAt: o.placedAt,
    updatedAt: decision.decidedAt,
    decisionVersion: 1,
    decision,
  };
  return { order: record, decision, network: { ...network, sellers }, now: NOW };
}

const known = EVERY_REASON.filter((r) => r.code !== 'unknown-sku');
const unknown = EVERY_REASON.filter((r) => r.code === 'unknown-sku');
/** Battery, oversize and overweight goods, short of stock, due too soon: every fix but the catalogue's. */
const troubled = order([
  { sku: 'PWR-10K', qty: 2 },
  { sku: 'UMB-GOLF', qty: 3 },
]);

const EMAILS: readonly (readonly [string, RenderInput])[] = [
  ['every reason but an unknown SKU, with every fix it calls for', unroutableInput(troubled, known)],
  ['every reason with an unknown SKU and a shop line without one', unroutableInput(order([...troubled.lines, { sku: 'MYSTERY-1', qty: 1 }, { sku: 'no-sku:14004', qty: 1 }]), EVERY_REASON)],
  ['one reason blocking every option', unroutableInput(order([{ sku: 'MYSTERY-1', qty: 1 }]), [...unknown, ...unknown, ...unknown])],
  [
    'every reason as stored before params existed',
    unroutableInput(troubled, known.map(({ code, message }) => ({ code, message }) as Reason)),
  ],
  // The routed emails carry the warnings: low stock, the restock train, stock that would save.
  ...SCENARIOS.map((name) => [`the ${name} scenario`, scenario(name, 'zh-CN')] as const),
  ['a shipment promised from stock still on a train', onTrainScenario('zh-CN')],
];

describe('a Chinese email has no English sentence', () => {
  it('renders every reason code, and the fixes and warnings, somewhere below', () => {
    const codes = new Set(EMAILS.flatMap(([, input]) => input.decision.candidates.flatMap((c) => c.reasons ?? []).map((r) => r.code)));
    expect(codes.size).toBe(10);
    const text = EMAILS.map(([, input]) => renderDecisionEmail(input).text).join('\n');
    // Fixes of each kind, and the warnings of a routed email.
    for (const fix of ['在商品库中添加 SKU', '订单中有商品在店铺里没有填写 SKU', '带电产品', '超尺寸', '整单超重', '小包渠道没有发往', '没有到', '没有赶得上的班列班次', '班列舱位已满', '没有线路能在承诺送达日', '只剩', '补货可走']) {
      expect(text).toContain(fix);
    }
  });

  it.each(EMAILS)('%s', (_name, input) => {
    const email = renderDecisionEmail(input);
    expect(email.language).toBe('zh-CN');
    expect(englishIn(`${email.subject}\n${email.text}`, input)).toEqual([]);
    // The HTML says the same words: what a reader sees there has no English either.
    const seen = email.html
      .replace(/<head>[\s\S]*?<\/head>/, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&[a-z]+;|&#\d+;/g, ' ');
    expect(englishIn(seen, input)).toEqual([]);
  });

  it('in the daily digest too', () => {
    const digest = digestPreview('zh-CN');
    const input = scenario('warehouse', 'zh-CN');
    expect(englishIn(`${digest.subject}\n${digest.text}`, { ...input, decision: scenario('unroutable', 'zh-CN').decision })).toEqual([]);
  });

  it('catches an English sentence when one slips in', () => {
    const [, input] = EMAILS[0]!;
    expect(englishIn('库存不足：WH-DUI has 0 of PWR-10K, needs 1', input)).toEqual(['has', 'of', 'needs']);
    expect(englishIn('赶不上承诺时效：arrives by 2026-12-18 at the latest', input)).toEqual(['arrives', 'by', 'at', 'the', 'latest']);
  });
});
