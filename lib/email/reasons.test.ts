import { describe, expect, it } from 'vitest';
import { ReasonCode, type Reason } from '#routing/decision.ts';
import { EVERY_REASON, NETWORK, NOW } from './fixtures.ts';
import { reasonText } from './reasons.ts';

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

  it('says it in English from the same params, naming services, warehouses and dates as the email does (not by id)', () => {
    for (const reason of EVERY_REASON) {
      const en = reasonText(reason, 'en', ctx);
      // No service, warehouse or lane id: the reader knows them by name.
      for (const id of ['CP-EPK', 'CN-STD', 'WH-MAD', 'WH-DUI']) expect(en).not.toContain(id);
      expect(en).not.toMatch(/\b\d{4}-\d{2}-\d{2}$|by \d{4}-/);
      // Every number of the params is still said.
      for (const n of JSON.stringify(reason.params).match(/(?<=:)\d+(?=[,}])/g) ?? []) {
        if (['weightG', 'maxWeightG', 'remainingLitres', 'neededLitres'].some((k) => JSON.stringify(reason.params).includes(`"${k}":${n}`))) continue;
        expect(en).toContain(n);
      }
    }
    expect(reasonText(EVERY_REASON[7]!, 'en', ctx)).toBe('the Madrid warehouse has 0 of UMB-3F, this order needs 2');
    expect(reasonText(EVERY_REASON[8]!, 'en', ctx)).toBe('arrives by Tue 15 Dec 2026 at the latest, after the promised Sat 28 Nov 2026');
    expect(reasonText(EVERY_REASON[6]!, 'en', ctx)).toBe('China Post ePacket refuses standalone batteries (PWR-10K, PWR-20K)');
    expect(reasonText(EVERY_REASON[1]!, 'en', ctx)).toContain('2.25 kg');
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
