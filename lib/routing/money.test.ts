import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/errors.ts';
import { fromMinor, fxFactor, minorDigits, rateToMinor, settle, toMinor } from './money.ts';

const convert = (minor: number, from: string, to: string, f: typeof fx) => minor * fxFactor(f, from, to);

const fx = { base: 'EUR' as const, asOf: '2026-01-05', rates: { CNY: 8.2, USD: 1.17, JPY: 160 } };

describe('money in minor units', () => {
  it('reads data-file decimals as integer minor units, rounding the binary noise away', () => {
    expect(toMinor(1.71, 'EUR')).toBe(171);
    expect(toMinor(0.35, 'EUR')).toBe(35);
    // 1.005 is stored as 1.00499999999999989…; a price list means 1.005 → 1.01 (half-up).
    expect(toMinor(1.005, 'EUR')).toBe(101);
    expect(toMinor(1234, 'JPY')).toBe(1234);
  });

  it('prints amounts from integers, so 0.1 + 0.2 artefacts cannot appear', () => {
    expect(fromMinor(10 + 20, 'EUR')).toBe(0.3);
    expect(String(fromMinor(706, 'EUR'))).toBe('7.06');
    expect(String(fromMinor(611, 'EUR'))).toBe('6.11');
    expect(fromMinor(500, 'JPY')).toBe(500);
  });

  it('keeps a price per quantity exact in minor units, snapping only binary noise', () => {
    // €0.015 per unit = 1.5 c (toMinor would make it 2 c); 100 units = 150 c
    expect(rateToMinor(0.015, 'EUR')).toBe(1.5);
    expect(100 * rateToMinor(0.015, 'EUR')).toBe(150);
    // 1.005 × 100 is 100.49999999999999 in binary floats: the rate means 100.5 c
    expect(rateToMinor(1.005, 'EUR')).toBe(100.5);
    expect(rateToMinor(58, 'CNY')).toBe(5800);
    expect(rateToMinor(0.5, 'JPY')).toBe(0.5);
  });

  it('knows which currencies have no minor unit', () => {
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('CNY')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
  });

  it('converts through EUR with rates in units per euro, exactly until settled', () => {
    // ¥28.60 = 2860 fen; 2860 / 8.2 = 348.78… euro cents.
    expect(convert(2860, 'CNY', 'EUR', fx)).toBeCloseTo(348.7804878, 6);
    expect(settle(convert(2860, 'CNY', 'EUR', fx))).toBe(349);
    // €1.00 = 100 cents → ¥8.20 = 820 fen; → $1.17 = 117 cents.
    expect(convert(100, 'EUR', 'CNY', fx)).toBeCloseTo(820, 9);
    // ¥8.20 → $1.17 via the euro.
    expect(settle(convert(820, 'CNY', 'USD', fx))).toBe(117);
    // €1.00 → ¥160 (JPY has no minor unit): 100 cents × 160 / 100.
    expect(settle(convert(100, 'EUR', 'JPY', fx))).toBe(160);
    expect(convert(123.4, 'EUR', 'EUR', fx)).toBe(123.4);
    expect(fxFactor(fx, 'CNY', 'CNY')).toBe(1);
  });

  it('rounds half-up at the one settling point, tolerant of float noise', () => {
    expect(settle(2.5)).toBe(3);
    expect(settle(2.4999)).toBe(2);
    expect(settle(6.499999999999999)).toBe(7); // 13000 × 0.0005 in binary
    expect(settle(0)).toBe(0);
    expect(settle(-2.5)).toBe(-3);
  });

  it('names the missing rate instead of converting with undefined', () => {
    expect(() => convert(100, 'PLN', 'EUR', fx)).toThrow(ValidationError);
    expect(() => convert(100, 'PLN', 'EUR', fx)).toThrow(/PLN/);
  });
});
