import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyStats, f6Critical, normalQuantile, poisson, seededRandom } from './stats.ts';

describe('normal quantile', () => {
  it('gives the textbook z for the usual service levels', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263479, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263479, 6);
  });
  it('is increasing and antisymmetric', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.998, noNaN: true }), fc.double({ min: 0.0001, max: 0.001, noNaN: true }), (p, d) => {
        expect(normalQuantile(p + d)).toBeGreaterThan(normalQuantile(p));
        expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 6);
      }),
    );
  });
  it('refuses a probability outside (0, 1)', () => {
    expect(() => normalQuantile(1)).toThrow(/p must be in \(0, 1\)/);
  });
});

describe('daily statistics', () => {
  it('finds the weekly pattern of a shop busy on Mondays and quiet at weekends', () => {
    const week = [20, 12, 12, 12, 12, 4, 4];
    const daily = [...week, ...week, ...week, ...week].map((x, i) => x + ((i * 7) % 3) - 1);
    const s = dailyStats(daily, 0);
    expect(s.weekly).not.toBeNull();
    expect(s.weekly!.reduce((a, b) => a + b, 0) / 7).toBeCloseTo(1, 9);
    expect(s.weekly![0]).toBeGreaterThan(1.5);
    expect(s.weekly![5]).toBeLessThan(0.5);
    // The variability left after the pattern is the noise, not the weekly swing.
    expect(s.sdPerDay).toBeLessThan(1.1);
  });
  it('reports no pattern for steady demand with noise, and the plain deviation', () => {
    const random = seededRandom(7);
    const daily = Array.from({ length: 28 }, () => poisson(random, 10));
    const s = dailyStats(daily, 3);
    expect(s.weekly).toBeNull();
    expect(s.unitsPerDay).toBeCloseTo(daily.reduce((a, b) => a + b, 0) / 28, 9);
    expect(s.sdPerDay).toBeGreaterThan(1.5);
    expect(s.sdPerDay).toBeLessThan(5);
  });
  it('needs two weeks before it believes in a weekly pattern', () => {
    expect(dailyStats([20, 1, 1, 1, 1, 1, 1, 20, 1, 1, 1, 1, 1], 0).weekly).toBeNull();
  });
  it('reads the F table at its rows and between them', () => {
    expect(f6Critical(21)).toBeGreaterThan(3.67);
    expect(f6Critical(21)).toBeLessThan(3.87);
    expect(f6Critical(20)).toBeCloseTo(3.87, 9);
    expect(f6Critical(6)).toBe(Infinity);
  });
});

describe('seeded draws', () => {
  it('repeats with the seed and has the Poisson mean', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 2000 }, () => poisson(a, 45));
    expect(Array.from({ length: 2000 }, () => poisson(b, 45))).toEqual(xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(44);
    expect(mean).toBeLessThan(46);
  });
});
