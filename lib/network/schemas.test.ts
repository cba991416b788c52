import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/errors.ts';
import { NETWORK_FILE_NAMES, parseNetworkFiles } from './load.ts';

const demo = Object.fromEntries(
  NETWORK_FILE_NAMES.map((name) => [name, JSON.parse(readFileSync(`data/demo/${name}`, 'utf8')) as unknown]),
);

describe('catalogue SKUs', () => {
  it('may not use the prefix reserved for order lines that arrive without a SKU', () => {
    const skus = structuredClone(demo['skus.json']) as { sku: string }[];
    skus[2]!.sku = 'no-sku:14004';
    let caught: unknown;
    try {
      parseNetworkFiles({ ...demo, 'skus.json': skus });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues).toEqual([
      expect.objectContaining({ file: 'skus.json', path: '[2].sku', message: expect.stringContaining('must not start with "no-sku:"') }),
      // Reported in the same run: the stock of the SKU that was renamed now names none.
      expect.objectContaining({ file: 'stock.json', path: '[1].sku', message: 'unknown SKU "HOODIE" for seller "tianmen-garments" (not in skus.json)' }),
    ]);
  });

  it('weigh whole grams: a fraction of a gram is a kilogram typed into the gram column', () => {
    const skus = structuredClone(demo['skus.json']) as { weightG: number }[];
    skus[0]!.weightG = 0.2;
    skus[1]!.weightG = 350.5;
    let caught: unknown;
    try {
      parseNetworkFiles({ ...demo, 'skus.json': skus });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues).toEqual([
      { file: 'skus.json', path: '[0].weightG', message: 'expected grams as a whole number' },
      { file: 'skus.json', path: '[1].weightG', message: 'expected grams as a whole number' },
    ]);
  });

  it('accepts the demo catalogue as it is', () => {
    expect(() => parseNetworkFiles(demo)).not.toThrow();
  });
});
