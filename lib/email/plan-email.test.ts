import { describe, expect, it } from 'vitest';
import type { DeparturePlan } from '#planning/plan.ts';
import type { SellerSavings } from '#planning/report.ts';
import { lineWhy, notPlannedWhy, type LineReason, type NotPlannedReason } from '#planning/why.ts';
import { NETWORK, NOW } from './fixtures.ts';
import { createPlanMailer, renderPlanEmail } from './plan-email.ts';

const URL_ = 'https://api.silkroute.example/v1/plans/accept-link?t=eyJhIjoiYWNjZXB0LXBsYW4ifQ.c2ln';

function planFor(currency: string): DeparturePlan {
  const reason: LineReason = { kind: 'lost-for-stock', sku: 'HOODIE', units: 71, cbm: 0.6, wanted: 71, each: { amount: 35.73, currency }, margin: false, ordersPerWeek: 40, countries: ['DE', 'FR', 'IT'], went: 'direct' };
  const left: NotPlannedReason = { kind: 'covered', sku: 'TEE-COT', atArrival: 300, needed: 30, until: '2026-12-16' };
  return {
    laneId: 'R2',
    departureId: 'R2-2026-11-25',
    sellerId: 'tianmen-garments',
    warehouseId: 'WH-DUI',
    departsAt: '2026-11-25T02:00:00.000Z',
    cutoffAt: '2026-11-24T10:00:00.000Z',
    arrivesOn: '2026-12-13',
    coversUntil: '2026-12-16',
    capacityCbm: 64,
    usedCbm: 0.6,
    lines: [{ sku: 'HOODIE', units: 71, cbm: 0.6, why: lineWhy(reason, 'en'), reason, savingPerUnit: { amount: 35.73, currency }, wanted: 71, destinations: ['DE', 'FR', 'IT'] }],
    expectedSaving: { amount: 2536.83, currency },
    notPlanned: [{ sku: 'TEE-COT', why: notPlannedWhy(left, 'en'), reason: left }],
  };
}

describe('the cut-off email', () => {
  const zhSeller = NETWORK.sellers.find((s) => s.language === 'zh-CN')!;
  const enSeller = NETWORK.sellers.find((s) => s.language === 'en')!;

  it('tells a Chinese seller what to load on which train before which cut-off, what it saves, and why, with the accept button', () => {
    const email = renderPlanEmail({ plan: planFor('CNY'), seller: zhSeller, network: NETWORK, now: NOW, acceptUrl: URL_ });
    expect(email.to).toBe(zhSeller.email);
    // 10:00 UTC is 18:00 in Beijing.
    expect(email.subject).toBe('【Silkroute】R2-2026-11-25 截单前装柜建议（11月24日18:00 截单）：预计节省 ¥2,536.83');
    // The table's columns name the SKU, units and m³: the reason says the rest.
    expect(email.text).toContain('- HOODIE · 71 · 0.60 · ¥35.73 · 每周有 40 单发往德国、法国、意大利的订单因缺货改走直发小包，每件节省 ¥35.73');
    expect(email.text).toContain(`一键确认订舱：${URL_}`);
    expect(email.text).toContain('TEE-COT：现货及在途（到仓时 300 件）已足够覆盖到 2026-12-16 所需的 30 件');
    expect(email.text).toContain('预计节省：¥2,536.83');
    expect(email.html).toContain(`<a href="${URL_}"`);
    expect(email.html).toContain('>一键确认订舱</a>');
  });

  it('speaks English to an English seller, with the same facts', () => {
    const email = renderPlanEmail({ plan: planFor('EUR'), seller: enSeller, network: NETWORK, now: NOW, acceptUrl: URL_ });
    expect(email.subject).toBe('[Silkroute] Load plan for R2-2026-11-25 (cut-off 24 Nov 18:00): €2,536.83 expected saving');
    expect(email.text).toContain('- HOODIE · 71 · 0.60 · €35.73 · 40 orders a week to DE, FR and IT went direct for lack of stock, €35.73 saved each');
    expect(email.text).toContain(`Book this plan: ${URL_}`);
    expect(email.html).toContain('>Book this plan</a>');
  });

  it('escapes the link in HTML and sends through the sender it is given, answering the message id', async () => {
    const sent: { to: string; subject: string }[] = [];
    const mailer = createPlanMailer(async (e) => (sent.push({ to: e.to, subject: e.subject }), 'ses-1'));
    const result = await mailer.send({ plan: planFor('CNY'), seller: zhSeller, network: NETWORK, now: NOW, acceptUrl: 'https://x.example/?a=1&t="x"' });
    expect(result).toEqual({ messageId: 'ses-1', to: zhSeller.email, subject: sent[0]!.subject });
    const html = renderPlanEmail({ plan: planFor('CNY'), seller: zhSeller, network: NETWORK, now: NOW, acceptUrl: 'https://x.example/?a=1&t="x"' }).html;
    expect(html).toContain('href="https://x.example/?a=1&amp;t=&quot;x&quot;"');
  });
});

describe('the savings bars in the cut-off email', () => {
  const zhSeller = NETWORK.sellers.find((s) => s.language === 'zh-CN')!;
  const savings: SellerSavings = {
    sellerId: zhSeller.id,
    currency: 'CNY',
    orders: { total: 120, routed: 118, unroutable: 2, byMode: { 'direct-parcel': 80, 'overseas-warehouse': 38, unroutable: 2 } },
    spend: { amount: 3000, currency: 'CNY' },
    spendByMode: {},
    baselines: {
      allDirect: { amount: 4000, currency: 'CNY', saved: 1000, ordersWithoutDirect: 0 },
      warehouseWhenInStock: { amount: 3200, currency: 'CNY', saved: 200 },
    },
    missedForStock: { orders: 30, unroutable: 2, amount: 1000, currency: 'CNY' },
    daily: [],
  } as unknown as SellerSavings;

  it('draws spend against both baselines as bars scaled to the largest, in Chinese, in HTML and text', () => {
    const email = renderPlanEmail({ plan: planFor('CNY'), seller: zhSeller, network: NETWORK, now: NOW, acceptUrl: URL_, savings });
    expect(email.text).toContain('近期 120 单的运费：实际支出与两种基准对比');
    // 4000 is the widest (20 blocks); 3000 is three quarters of it; the stock that was short would have made it 2000.
    expect(email.text).toContain(`${'█'.repeat(20)} 全部从中国直发小包：¥4,000.00`);
    expect(email.text).toContain(`${'█'.repeat(15)}${' '.repeat(5)} 实际运费：¥3,000.00`);
    expect(email.text).toContain(`${'█'.repeat(10)}${' '.repeat(10)} 缺的库存若都在仓：¥2,000.00`);
    expect(email.html).toContain('<td width="75%" height="14"');
    expect(email.html).toContain('<td width="50%" height="14"');
    expect(email.html).not.toContain('<svg');
  });

  it('draws nothing without orders to report on', () => {
    const none = { ...savings, orders: { ...savings.orders, total: 0 } } as SellerSavings;
    const email = renderPlanEmail({ plan: planFor('CNY'), seller: zhSeller, network: NETWORK, now: NOW, acceptUrl: URL_, savings: none });
    expect(email.text).not.toContain('█');
  });
});
