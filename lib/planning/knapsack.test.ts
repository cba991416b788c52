import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillByDensity, type KnapsackItem } from './knapsack.ts';

const item = fc.record({
  key: fc.string({ minLength: 1, maxLength: 3 }),
  maxUnits: fc.integer({ min: 0, max: 6 }),
  cm3: fc.integer({ min: 1, max: 40 }),
  value: fc.integer({ min: 1, max: 60 }),
});
const items = fc.uniqueArray(item, { selector: (i) => i.key, maxLength: 6 });

const valueOf = (xs: readonly KnapsackItem[], taken: Map<string, number>) => xs.reduce((s, i) => s + (taken.get(i.key) ?? 0) * i.value, 0);
const volumeOf = (xs: readonly KnapsackItem[], taken: Map<string, number>) => xs.reduce((s, i) => s + (taken.get(i.key) ?? 0) * i.cm3, 0);

/** Every way to load, for a handful of items: the slow obvious oracle. */
function best(xs: readonly KnapsackItem[], capacity: number): number {
  const go = (i: number, left: number): number => {
    if (i === xs.length) return 0;
    let top = 0;
    for (let u = 0; u <= xs[i]!.maxUnits && u * xs[i]!.cm3 <= left; u++) top = Math.max(top, u * xs[i]!.value + go(i + 1, left - u * xs[i]!.cm3));
    return top;
  };
  return go(0, capacity);
}

describe('filling a departure by value density', () => {
  it('takes the densest SKU first and fills the gap with the next', () => {
    const xs = [
      { key: 'TEE', maxUnits: 10, cm3: 1232, value: 95 },
      { key: 'HOODIE', maxUnits: 10, cm3: 8400, value: 400 },
    ];
    // TEE: 0.077 per cm³, HOODIE 0.048: all ten T-shirts (12,320 cm³), then one hoodie.
    expect(fillByDensity(xs, 21_000)).toEqual(new Map([['TEE', 10], ['HOODIE', 1]]));
  });
  it('never exceeds the capacity, never takes more than wanted', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 0, max: 200 }), (xs, cap) => {
        const taken = fillByDensity(xs, cap);
        expect(volumeOf(xs, taken)).toBeLessThanOrEqual(cap);
        for (const i of xs) expect(taken.get(i.key) ?? 0).toBeLessThanOrEqual(i.maxUnits);
      }),
    );
  });
  it('never loses value when the capacity grows', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 100 }), (xs, cap, more) => {
        expect(valueOf(xs, fillByDensity(xs, cap + more))).toBeGreaterThanOrEqual(valueOf(xs, fillByDensity(xs, cap)));
      }),
      { numRuns: 500 },
    );
  });
  it('is within one unit of the best load', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 0, max: 120 }), (xs, cap) => {
        const got = valueOf(xs, fillByDensity(xs, cap));
        const opt = best(xs, cap);
        expect(got).toBeLessThanOrEqual(opt);
        // The gap is what the best unit left out could add: at most one unit of any item.
        expect(opt - got).toBeLessThanOrEqual(Math.max(0, ...xs.map((i) => i.value)) * Math.max(1, xs.length));
      }),
    );
  });
});
