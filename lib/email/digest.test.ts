import { describe, expect, it } from 'vitest';
import { summarizeDigest } from '#routing/digest-summary.ts';
import { NOW, scenario } from './fixtures.ts';
import { renderDigest } from './digest.ts';

function digestOf(language: 'zh-CN' | 'en') {
  const routed = scenario('warehouse', language);
  const direct = scenario('direct', language);
  const unroutable = scenario('unroutable', language);
  const network = routed.network;
  const sellerId = routed.order.sellerId;
  const period = { start: new Date(NOW.getTime() - 86_400_000), end: NOW };
  const entries = [routed, direct, unroutable].map((s, i) => ({ orderId: `o-${i}`, status: s.decision.status, decision: s.decision }));
  entries.push({ orderId: 'o-failed', status: 'failed', note: 'routing gave up after 5 attempts' } as never);
  const summary = summarizeDigest(sellerId, period, entries, network);
  const seller = network.sellers.find((s) => s.id === sellerId)!;
  return { summary, email: renderDigest(summary, seller, network, NOW, '2026-11-20'), routed, direct };
}

describe('the daily digest', () => {
  it('counts orders by route, adds spend and savings, and lists unroutable and failed orders', () => {
    const { summary, routed, direct } = digestOf('en');
    expect(summary.total).toBe(4);
    expect(summary.byMode).toEqual({ [routed.decision.chosen!.mode]: 1, [direct.decision.chosen!.mode]: 1 });
    const total = Math.round((routed.decision.chosen!.cost.total + direct.decision.chosen!.cost.total) * 100) / 100;
    expect(summary.spend).toEqual([{ amount: total, currency: 'EUR' }]);
    expect(summary.exceptions.map((x) => [x.orderId, x.status])).toEqual([
      ['o-2', 'unroutable'],
      ['o-failed', 'failed'],
    ]);
    expect(summary.exceptions[0]!.reasons.length).toBeGreaterThan(0);
  });

  it('renders in Chinese without English sentences and in English', () => {
    const zh = digestOf('zh-CN').email;
    expect(zh.subject).toBe('【Silkroute】2026-11-20 日报：4 单，2 单需处理');
    expect(zh.text).toContain('需要处理的订单');
    expect(zh.text).not.toContain('routing gave up');
    // No run of three English words outside ids and brand names.
    const prose = zh.text.replace(/https?:\S+/g, '').match(/\b[a-z]{3,}\s+[a-z]{2,}\s+[a-z]{2,}\b/gi) ?? [];
    expect(prose).toEqual([]);
    const en = digestOf('en').email;
    expect(en.subject).toBe('[Silkroute] Digest 2026-11-20: 4 orders, 2 need you');
    expect(en.html).toContain('Orders that need you');
    expect(en.text).toContain('routing gave up after 5 attempts');
  });

  it("names each exception by the platform's order number, else #<external id> (issue 14 item 2)", () => {
    const unroutable = scenario('unroutable', 'en');
    const sellerId = unroutable.order.sellerId;
    const network = unroutable.network;
    const period = { start: new Date(NOW.getTime() - 86_400_000), end: NOW };
    const entries = [
      { orderId: '5820012349001', orderNumber: '#1042', status: 'unroutable', decision: unroutable.decision },
      { orderId: '5820012349002', status: 'failed', note: 'gave up' },
    ];
    const summary = summarizeDigest(sellerId, period, entries, network);
    expect(summary.exceptions.map((x) => x.orderNumber)).toEqual(['#1042', undefined]);
    const seller = network.sellers.find((s) => s.id === sellerId)!;
    for (const language of ['zh-CN', 'en'] as const) {
      const email = renderDigest(summary, { ...seller, language }, network, NOW, '2026-11-20');
      expect(email.text).toContain('#1042');
      expect(email.text).not.toContain('#5820012349001');
      expect(email.text).toContain('#5820012349002');
    }
  });
});
