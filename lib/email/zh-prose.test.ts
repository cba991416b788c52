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
import { renderPlanEmail } from './plan-email.ts';
import { renderPlanLinkPage, type PlanLinkPage } from '#api/plan-link-pages.ts';
import { savingsChart } from '#planning/chart.ts';
import { formatReportTable } from '#planning/format.ts';
import type { DeparturePlan } from '#planning/plan.ts';
import type { SavingsReport } from '#planning/report.ts';
import { lineWhy, notPlannedWhy, type LineReason, type NotPlannedReason } from '#planning/why.ts';

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

describe('the load plan in Chinese has no English sentence either (issue 13)', () => {
  const seller = NETWORK.sellers.find((s) => s.language === 'zh-CN')!;
  const money = (amount: number) => ({ amount, currency: 'CNY' });
  const head = { units: 420, cbm: 0.52, wanted: 420, each: money(6.8), margin: false };
  // Every kind of reason, and each variant of it: lost to direct or unroutable, margin, capped by the train.
  const lineReasons: LineReason[] = [
    { kind: 'lost-for-stock', sku: 'TEE-COT', ...head, ordersPerWeek: 41, countries: ['DE', 'FR', 'PL', 'IT'], went: 'direct' },
    { kind: 'lost-for-stock', sku: 'HOODIE', ...head, units: 100, wanted: 180, ordersPerWeek: 1, countries: ['DE'], went: 'unroutable' },
    { kind: 'demand', sku: 'PWR-10K', ...head, margin: true, unitsPerWeek: 42, countries: ['DE', 'ES'], atArrival: 12 },
    { kind: 'demand', sku: 'UMB-GOLF', ...head, units: 5, wanted: 9, unitsPerWeek: 1, countries: ['ES'], atArrival: 0 },
  ];
  const notPlannedReasons: NotPlannedReason[] = [
    { kind: 'no-room', sku: 'CLIPS-6', wanted: 300, departureId: 'R2-2026-11-25', capacityCbm: 0.5 },
    { kind: 'not-better', sku: 'MUG-CER', directCheaper: ['PL', 'CZ'], unpriced: ['NO'], elsewhere: [{ country: 'ES', warehouseId: 'WH-MAD' }] },
    { kind: 'covered', sku: 'SOCK-5', atArrival: 300, needed: 30, until: '2026-12-16' },
    { kind: 'storage', sku: 'LAMP-XL', dwellDays: 140, savedPerUnit: money(0.4) },
  ];
  const plan: DeparturePlan = {
    laneId: 'R2',
    departureId: 'R2-2026-11-25',
    sellerId: seller.id,
    warehouseId: 'WH-DUI',
    departsAt: '2026-11-25T02:00:00.000Z',
    cutoffAt: '2026-11-24T10:00:00.000Z',
    arrivesOn: '2026-12-13',
    coversUntil: '2026-12-16',
    capacityCbm: 64,
    usedCbm: 2.08,
    lines: lineReasons.map((reason) => ({ sku: reason.sku, units: reason.units, cbm: reason.cbm, why: lineWhy(reason, 'en'), reason, savingPerUnit: reason.each, wanted: reason.wanted, destinations: [] })),
    expectedSaving: money(2856),
    notPlanned: notPlannedReasons.map((reason) => ({ sku: reason.sku, why: notPlannedWhy(reason, 'en'), reason })),
  };
  const report: SavingsReport = {
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-12-01T00:00:00.000Z',
    sellers: [
      {
        sellerId: seller.id,
        currency: 'CNY',
        orders: { total: 900, routed: 880, unroutable: 20, byMode: { 'direct-parcel': 300, 'overseas-warehouse': 500, 'rail-to-warehouse': 60, split: 20, unroutable: 20 } },
        spend: money(30_000),
        spendByMode: {},
        baselines: { allDirect: { ...money(41_000), saved: 11_000, ordersWithoutDirect: 3 }, warehouseWhenInStock: { ...money(33_000), saved: 3_000 } },
        missedForStock: { orders: 120, unroutable: 20, amount: 1_900, currency: 'CNY' },
        daily: [],
      },
    ],
  };
  /** What may stay in Latin letters: the ids of the plan and the network, SKUs, the seller's name, units. */
  const kept = [seller.id, seller.name, plan.departureId, plan.laneId, plan.warehouseId, 'WH-MAD', ...lineReasons.map((r) => r.sku), ...notPlannedReasons.map((r) => r.sku)].sort((a, b) => b.length - a.length);
  const english = (text: string) => {
    let rest = text.replace(/<[^>]+>/g, ' ').replace(/&[a-z]+;|&#\d+;/g, ' ');
    for (const name of kept) rest = rest.split(name).join(' ');
    return [...new Set((rest.match(/[A-Za-z][A-Za-z'-]+/g) ?? []).filter((w) => !UNITS.has(w)))];
  };

  it('in every reason a plan line or a SKU left out can have', () => {
    for (const r of lineReasons) expect(english(lineWhy(r, 'zh-CN')), r.kind).toEqual([]);
    for (const r of notPlannedReasons) expect(english(notPlannedWhy(r, 'zh-CN')), r.kind).toEqual([]);
    // And the English ones are still English (the test would catch a Chinese one slipping the other way).
    expect(english(lineWhy(lineReasons[0]!, 'en'))).toContain('orders');
  });

  it('in the cut-off email, subject, text and HTML', () => {
    const email = renderPlanEmail({ plan, seller, network: NETWORK, now: NOW, acceptUrl: 'https://api.silkroute.example/v1/plans/accept-link?t=abc.def' });
    expect(email.language).toBe('zh-CN');
    const withoutUrl = (t: string) => t.split('https://api.silkroute.example/v1/plans/accept-link?t=abc.def').join(' ');
    expect(english(`${email.subject}\n${withoutUrl(email.text)}`)).toEqual([]);
    expect(english(withoutUrl(email.html.replace(/<head>[\s\S]*?<\/head>/, ' ').replace(/<!--[\s\S]*?-->/g, ' ')))).toEqual([]);
    expect(email.html).toContain('href="https://api.silkroute.example/v1/plans/accept-link?t=abc.def"');
    for (const r of lineReasons) expect(email.text).toContain(lineWhy(r, 'zh-CN', { head: false }));
    // The same check finds the English of an English seller's email: it is not vacuous.
    const en = renderPlanEmail({ plan, seller: NETWORK.sellers.find((s) => s.language === 'en')!, network: NETWORK, now: NOW, acceptUrl: 'https://x.example/' });
    expect(english(en.text)).toEqual(expect.arrayContaining(['Book', 'plan', 'orders', 'saved']));
  });

  it('in the savings chart and the report table', () => {
    const svg = savingsChart(report, 'zh-CN').replace(/font-family="[^"]*"/, '').replace(/xmlns="[^"]*"/, '');
    expect(english(svg.replace(/<[^>]+>/g, ' '))).toEqual([]);
    expect(english(svg.match(/aria-label="([^"]*)"/)![1]!)).toEqual([]);
    expect(english(formatReportTable(report, 'zh-CN'))).toEqual([]);
    expect(english(savingsChart(report, 'en').replace(/<[^>]+>/g, ' '))).toEqual(expect.arrayContaining(['direct', 'warehouse']));
    expect(english(formatReportTable({ ...report, sellers: [{ ...report.sellers[0]!, missedForStock: { ...report.sellers[0]!.missedForStock, amount: null } }] }, 'zh-CN'))).toEqual([]);
  });

  it('on every page the accept link opens', () => {
    const pages: PlanLinkPage[] = [
      { kind: 'confirm', plan, token: 'abc.def', postUrl: '/v1/plans/accept-link' },
      { kind: 'accepted', departureId: plan.departureId, lotId: `plan-${plan.departureId}`, litres: 2080, arrivesOn: '2026-12-13', units: 945 },
      { kind: 'already-accepted', departureId: plan.departureId, lotId: `plan-${plan.departureId}`, bookedAt: '2026-11-23T03:00:00.000Z' },
      { kind: 'expired', departureId: plan.departureId },
      { kind: 'cut-off', departureId: plan.departureId, cutoffAt: plan.cutoffAt },
      { kind: 'no-capacity', departureId: plan.departureId, litres: 2080 },
      { kind: 'nothing-to-load', departureId: plan.departureId },
    ];
    for (const page of pages) {
      const html = renderPlanLinkPage(page, 'zh-CN').replace(/<head>[\s\S]*?<\/head>/, ' ').replace(/style="[^"]*"/g, ' ').replace(/(name|value|action|method|type|lang)="[^"]*"/g, ' ');
      expect(english(html), page.kind).toEqual([]);
    }
  });
});
