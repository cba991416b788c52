import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  countryName,
  formatBeijingDateTime,
  formatBeijingShort,
  formatDate,
  formatDateRange,
  formatMinor,
  formatMoney,
  formatShortRange,
} from './format.ts';
import { toMinor } from '#routing/money.ts';
import { escapeHtml } from './html.ts';
import { zhNames } from './labels.ts';

const NOW = new Date('2026-11-22T02:00:00Z');

describe('money for the reader', () => {
  it('writes yuan the Chinese way and euros the English way, always with two decimals', () => {
    expect(formatMoney(1234.5, 'CNY', 'zh-CN')).toBe('¥1,234.50');
    expect(formatMoney(6.1, 'EUR', 'en')).toBe('€6.10');
    expect(formatMoney(6.1, 'EUR', 'zh-CN')).toBe('€6.10');
    // An English reader must not mistake yuan for yen.
    expect(formatMoney(50.02, 'CNY', 'en')).toBe('CN¥50.02');
  });

  it('adds and subtracts in minor units, so float noise never shows', () => {
    expect(toMinor(0.1 + 0.2, 'EUR')).toBe(30);
    expect(formatMinor(toMinor(7.06, 'EUR') - toMinor(6.11, 'EUR'), 'EUR', 'en')).toBe('€0.95');
    expect(toMinor(1234, 'JPY')).toBe(1234);
  });
});

describe('dates for the reader', () => {
  it('writes a delivery date as each reader expects it', () => {
    expect(formatDate('2026-11-24', 'zh-CN', NOW)).toBe('11月24日 周二');
    expect(formatDate('2026-11-24', 'en', NOW)).toBe('Tue 24 Nov 2026');
    // Chinese drops the year only for the current year.
    expect(formatDate('2027-01-04', 'zh-CN', NOW)).toBe('2027年1月4日 周一');
  });

  it('writes ranges compactly, within a month and across months', () => {
    expect(formatDateRange('2026-11-24', '2026-11-26', 'en', NOW)).toBe('Tue 24 – Thu 26 Nov 2026');
    expect(formatDateRange('2026-11-30', '2026-12-02', 'en', NOW)).toBe('Mon 30 Nov – Wed 2 Dec 2026');
    expect(formatDateRange('2026-11-24', '2026-11-26', 'zh-CN', NOW)).toBe('11月24日 周二 – 11月26日 周四');
    expect(formatDateRange('2026-11-25', '2026-11-25', 'en', NOW)).toBe('Wed 25 Nov 2026');
    expect(formatShortRange('2026-11-24', '2026-11-26', 'zh-CN')).toBe('11月24–26日');
    expect(formatShortRange('2026-11-30', '2026-12-02', 'zh-CN')).toBe('11月30日–12月2日');
    expect(formatShortRange('2026-11-24', '2026-11-26', 'en')).toBe('24–26 Nov');
    expect(formatShortRange('2026-11-30', '2026-12-02', 'en')).toBe('30 Nov – 2 Dec');
  });

  it('gives cut-offs in Beijing time, whatever the UTC date', () => {
    // 10:00 UTC on the 23rd is 18:00 in Yiwu; 20:00 UTC on the 23rd is already the 24th there.
    expect(formatBeijingDateTime('2026-11-23T10:00:00Z', 'en', NOW)).toBe('Mon 23 Nov 18:00');
    expect(formatBeijingDateTime('2026-11-23T10:00:00Z', 'zh-CN', NOW)).toBe('11月23日 周一 18:00');
    expect(formatBeijingDateTime('2026-11-23T20:30:00Z', 'zh-CN', NOW)).toBe('11月24日 周二 04:30');
    expect(formatBeijingShort('2026-11-23T10:00:00Z', 'zh-CN')).toBe('11月23日18:00');
  });
});

describe('names', () => {
  it('names countries in the reader\'s language', () => {
    expect(countryName('DE', 'zh-CN')).toBe('德国');
    expect(countryName('ES', 'en')).toBe('Spain');
  });

  it('gives well-known places and carriers their Chinese names, whole words only', () => {
    expect(zhNames("Yixin'ou Yiwu → Madrid")).toBe('义新欧 义乌 → 马德里');
    expect(zhNames('China Post')).toBe('中国邮政');
    expect(zhNames('Madridista Yiwux')).toBe('Madridista Yiwux');
  });
});

describe('HTML escaping', () => {
  it('leaves no character that could open a tag or an attribute, and loses nothing', () => {
    const unescape = (s: string) =>
      s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", 'a', '义', ';', '#') }), (text) => {
        const escaped = escapeHtml(text);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(escaped.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
        expect(unescape(escaped)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Chinese names in one pass', () => {
  it('prefers the longest name and leaves names inside longer words alone', () => {
    expect(zhNames('Liège, Liege and Lodz')).toBe('列日, 列日 and 罗兹');
    expect(zhNames("Chongqing → Xi'an via YunExpress, 4PX")).toBe('重庆 → 西安 via 云途, 递四方');
    expect(zhNames('Parisian Berliner')).toBe('Parisian Berliner');
    expect(zhNames('Paris Paris')).toBe('巴黎 巴黎');
  });
});
