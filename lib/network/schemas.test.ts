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

describe('duties.json v2', () => {
  type DutiesRaw = {
    countries: Record<string, { union: string; fees?: Record<string, unknown>[] }>;
    unions: Record<string, { lowValue: Record<string, unknown>[]; fees?: Record<string, unknown>[] }>;
  };
  const issuesOf = (duties: DutiesRaw, fx?: unknown) => {
    try {
      parseNetworkFiles({ ...demo, 'duties.json': duties, ...(fx === undefined ? {} : { 'fx.json': fx }) });
    } catch (error) {
      if (error instanceof ValidationError) return error.issues;
      throw error;
    }
    return [];
  };
  const duties = () => structuredClone(demo['duties.json']) as DutiesRaw;

  it('accepts the demo rules: EU rows back to back [2021-07-01, 2026-07-01) [2026-07-01, 2028-07-01) [2028-07-01, …), GB in GBP', () => {
    expect(issuesOf(duties())).toEqual([]);
  });

  it('names both rows when two low-value rows of one union overlap', () => {
    const d = duties();
    d.unions.EU!.lowValue[1]!.from = '2026-06-01'; // overlaps the relief row, which runs until 2026-07-01
    expect(issuesOf(d)).toEqual([
      {
        file: 'duties.json',
        path: 'unions.EU.lowValue[1]',
        message: 'low-value row [2026-06-01, 2028-07-01) overlaps unions.EU.lowValue[0] [2021-07-01, 2026-07-01): rows of one union may not overlap',
      },
    ]);
  });

  it('names both fees when two fees of one name are in force at once (a union fee and a country fee)', () => {
    const d = duties();
    d.unions.EU!.fees = [{ name: 'national-fee', amountEur: 2, per: 'tariff-line', from: '2026-11-01' }];
    const issues = issuesOf(d);
    // France's since 2026-03-01 and Italy's since 2026-10-01 both clash with the union's from 2026-11-01
    expect(issues).toEqual([
      {
        file: 'duties.json',
        path: 'countries.FR.fees[0]',
        message: 'fee "national-fee" [2026-03-01, …) is in force at the same time as unions.EU.fees[0] [2026-11-01, …): two fees of one name',
      },
      {
        file: 'duties.json',
        path: 'countries.IT.fees[0]',
        message: 'fee "national-fee" [2026-10-01, …) is in force at the same time as unions.EU.fees[0] [2026-11-01, …): two fees of one name',
      },
    ]);
  });

  it('allows one fee name twice when the periods follow each other, and in two countries', () => {
    const d = duties();
    d.countries.FR!.fees = [
      { name: 'national-fee', amountEur: 2, per: 'tariff-line', from: '2026-03-01', until: '2027-01-01' },
      { name: 'national-fee', amountEur: 3, per: 'tariff-line', from: '2027-01-01' },
    ];
    expect(issuesOf(d)).toEqual([]);
  });

  it('refuses a threshold in a currency fx.json has no rate for, a country of an unknown union and a fee named like a component', () => {
    const d = duties();
    d.countries.FR!.fees = [{ name: 'duty', amountEur: 2, per: 'consignment' }];
    d.countries.CH = { union: 'EFTA', vatRate: 0.081, vatOnDuty: true, brokerageFeeEur: 8 } as DutiesRaw['countries'][string];
    const fx = { base: 'EUR', asOf: '2026-01-05', rates: { CNY: 8.2, USD: 1.17, PLN: 4.22 } }; // no GBP
    expect(issuesOf(d, fx)).toEqual([
      { file: 'duties.json', path: 'countries.CH.union', message: 'unknown customs union "EFTA" (not in unions)' },
      { file: 'duties.json', path: 'countries.FR.fees[0].name', message: '"duty" is a cost component of its own; name the fee differently, e.g. "duty-fee"' },
      { file: 'duties.json', path: 'unions.GB.lowValue[0].threshold.currency', message: 'no FX rate for "GBP" in fx.json' },
    ]);
  });
});

describe('data/demo/README.md', () => {
  it('describes the proposed EU handling fee as a valid example to add, not in force in the demo', () => {
    const readme = readFileSync('data/demo/README.md', 'utf8');
    const snippet = /`("fees": \[\{ "name": "handling-fee".*?\}\])`/.exec(readme)?.[1];
    expect(snippet).toBeDefined();
    const fees = (JSON.parse(`{${snippet}}`) as { fees: unknown[] }).fees;
    const duties = structuredClone(demo['duties.json']) as { unions: { EU: { fees?: unknown[] } } };
    expect(duties.unions.EU.fees).toBeUndefined();
    duties.unions.EU.fees = fees;
    expect(() => parseNetworkFiles({ ...demo, 'duties.json': duties })).not.toThrow();
  });
});
