import { describe, expect, it } from 'vitest';
import { ReasonCode, type Reason, type ReasonParamsOf } from '#routing/decision.ts';
import { reasonMessage } from '#routing/reasons.ts';
import { NETWORK, NOW } from './fixtures.ts';
import { reasonText } from './reasons.ts';

const written = <C extends ReasonCode>(code: C, params: ReasonParamsOf<C>): Reason => ({ code, message: reasonMessage(code, params), params }) as Reason;

/** One reason of every code, and of every variant a code has, as the router writes them. */
const EVERY_REASON: readonly Reason[] = [
  written('no-rate', { serviceId: 'CP-EPK', country: 'NO' }),
  written('overweight', { serviceId: 'CN-STD', weightG: 2250, maxWeightG: 2000 }),
  written('overweight', { warehouseId: 'WH-DUI', country: 'DE', weightG: 5500, maxWeightG: 5000 }),
  written('oversize', { serviceId: 'CP-EPK', limit: 'longest-side', maxCm: 60, items: [{ sku: 'UMB-GOLF', cm: 100 }] }),
  written('oversize', { serviceId: 'CN-STD', limit: 'sum-of-sides', maxCm: 90, items: [{ sku: 'UMB-GOLF', cm: 116 }, { sku: 'TEE-COT', cm: 95 }] }),
  written('battery', { serviceId: 'CN-STD', battery: 'contained', skus: ['LAMP-1'] }),
  written('battery', { serviceId: 'CP-EPK', battery: 'standalone', skus: ['PWR-10K', 'PWR-20K'] }),
  written('no-stock', { warehouseId: 'WH-MAD', sku: 'UMB-3F', available: 0, needed: 2 }),
  written('missed-deadline', { latestEta: '2026-12-15', deadline: '2026-11-28' }),
  written('no-departure', { laneId: 'R1' }),
  written('no-capacity', { departureId: 'R1-2026-11-24', laneId: 'R1', remainingLitres: 70, neededLitres: 72 }),
  written('no-last-mile', { warehouseId: 'WH-MAD', country: 'GB' }),
  written('unknown-sku', { sellerId: 'yiwu-goods', skus: ['MYSTERY-1', 'no-sku:14004'] }),
];

const ctx = { network: NETWORK, now: NOW };

/**
 * What is left of a Chinese sentence once the names it may keep are taken out — SKUs and ids
 * (every string in the params), carrier and product names, units — must hold no English word.
 */
function englishLeftIn(text: string, reason: Reason): string[] {
  const keep = [
    ...JSON.stringify(reason.params).match(/"[^"]*"/g)!.map((s) => s.slice(1, -1)),
    ...NETWORK.parcelServices.flatMap((s) => [s.name, s.carrier]),
  ].sort((a, b) => b.length - a.length);
  let rest = text;
  for (const name of keep) rest = rest.split(name).join(' ');
  return (rest.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !['kg', 'cm', 'SKU'].includes(word));
}

describe('reasons in the reader\'s language', () => {
  it('covers every reason code', () => {
    expect(new Set(EVERY_REASON.map((r) => r.code))).toEqual(new Set(ReasonCode.options));
  });

  it.each(EVERY_REASON.map((r) => [r.code, r] as const))('says %s in Chinese, without an English sentence', (_code, reason) => {
    const zh = reasonText(reason, 'zh-CN', ctx);
    expect(zh).not.toContain(reason.message);
    expect(zh).toMatch(/\p{Script=Han}/u);
    expect(englishLeftIn(zh, reason)).toEqual([]);
  });

  it('keeps every number and SKU of the reason in the Chinese', () => {
    expect(reasonText(EVERY_REASON[7]!, 'zh-CN', ctx)).toBe('马德里海外仓的 UMB-3F 现有 0 件，需要 2 件');
    expect(reasonText(EVERY_REASON[8]!, 'zh-CN', ctx)).toBe('最晚 12月15日 周二 送达，晚于承诺送达日 11月28日 周六');
    expect(reasonText(EVERY_REASON[10]!, 'zh-CN', ctx)).toBe('R1-2026-11-24 班次只剩 0.07 m³ 舱位，本单需要 0.072 m³');
    expect(reasonText(EVERY_REASON[1]!, 'zh-CN', ctx)).toContain('2.25 kg');
    expect(reasonText(EVERY_REASON[4]!, 'zh-CN', ctx)).toBe('UMB-GOLF 长宽高之和 116 cm、TEE-COT 长宽高之和 95 cm；菜鸟 Cainiao Standard 长宽高之和不超过 90 cm');
  });

  it('says it in English with the router\'s own sentence, written from the same params', () => {
    for (const reason of EVERY_REASON) expect(reasonText(reason, 'en', ctx)).toBe(reason.message);
  });

  it('still says a reason stored before params existed, in Chinese without its English sentence', () => {
    for (const { code, message } of EVERY_REASON) {
      const old = { code, message } as Reason;
      expect(reasonText(old, 'en', ctx)).toBe(message);
      const zh = reasonText(old, 'zh-CN', ctx);
      expect(zh).toMatch(/\p{Script=Han}/u);
      expect((zh.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => word !== 'SKU')).toEqual([]);
    }
  });
});
