import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { Money, NETWORK_FILES, Seller, Sku } from '../schemas.ts';
import { LABELS } from './labels.ts';
import { MAX_SHEET_NAME, networkLayout } from './layout.ts';
import { readNetworkSheets } from './read.ts';
import { sheetsOf } from './write.ts';

describe('the Chinese label table', () => {
  const columns = networkLayout().tables.flatMap((t) => t.columns.map((c) => ({ sheet: t.sheet, key: c.labelKey })));

  it('has a label for every column of every sheet (a new schema field needs one)', () => {
    const missing = [...new Set(columns.filter((c) => LABELS[c.key] === undefined).map((c) => c.key))];
    expect(missing, 'add these to lib/network/sheets/labels.ts').toEqual([]);
  });

  it('has no label for a field the schemas no longer have', () => {
    const known = new Set(columns.map((c) => c.key));
    expect(Object.keys(LABELS).filter((k) => !known.has(k))).toEqual([]);
  });
});

describe('the layout', () => {
  it('is a sheet per data file named like it, and one per nested record or list', () => {
    const layout = networkLayout();
    // Each file's sheets are named after it (duties v2 has no plain fields: its first sheet is duties.countries).
    for (const file of Object.keys(NETWORK_FILES)) expect(layout.byFile.get(file as keyof typeof NETWORK_FILES)![0]!.sheet.startsWith(file.replace(/\.json$/, ''))).toBe(true);
    expect(layout.tables.map((t) => t.sheet)).toEqual([
      'sellers', 'skus', 'parcel-services', 'parcel-services.rates', 'rail-lanes', 'rail-lanes.departures', 'warehouses',
      'warehouses.lastMile', 'warehouses.lastMile.bands', 'stock', 'duties.countries', 'duties.countries.fees', 'duties.unions',
      'duties.unions.tariffRates', 'duties.unions.lowValue', 'duties.unions.fees', 'fx', 'fx.rates', 'connections',
    ]);
    for (const t of layout.tables) expect(t.sheet.length).toBeLessThanOrEqual(MAX_SHEET_NAME);
    const bands = layout.bySheet.get('warehouses.lastMile.bands')!;
    expect(bands.columns.map((c) => c.header)).toEqual(['id', 'lastMile.*', 'lastMile.bands.maxWeightG', 'lastMile.bands.price']);
  });

  it('follows a schema change with no code change: the fields of ROUTING.md §6 v2 appear and round-trip', () => {
    // The revised files (duties v2, retailPrice, iossRegistered, postal/entryCountry) as a schema
    // change would write them; the layout, writer and reader are not told anything about them.
    const Fee = z.object({ name: z.string().min(1), amountEur: z.number().nonnegative(), per: z.enum(['consignment', 'tariff-line']), from: z.iso.date().optional(), lowValueOnly: z.boolean().optional() });
    const v2 = {
      ...NETWORK_FILES,
      'sellers.json': z.array(Seller.extend({ iossRegistered: z.boolean().optional() })),
      'skus.json': z.array(Sku.extend({ retailPrice: Money.optional() })),
      'duties.json': z.object({
        countries: z.record(z.string().regex(/^[A-Z]{2}$/), z.object({ union: z.string(), vatRate: z.number(), vatOnDuty: z.boolean(), brokerageFeeEur: z.number(), fees: z.array(Fee).optional() })),
        unions: z.record(
          z.string().min(1),
          z.object({
            tariffRates: z.record(z.string().regex(/^\d{2,10}$/), z.number()),
            defaultTariffRate: z.number(),
            lowValue: z.array(
              z.object({
                from: z.iso.date(),
                until: z.iso.date().optional(),
                threshold: Money,
                scope: z.enum(['all', 'ioss-or-postal']),
                duty: z.union([z.object({ perTariffLine: z.number() }), z.literal('tariff')]),
              }),
            ),
            fees: z.array(Fee).optional(),
          }),
        ),
      }),
    };
    const layout = networkLayout(v2);
    expect(layout.bySheet.get('skus')!.columns.map((c) => c.header)).toContain('retailPrice.amount');
    expect(layout.bySheet.get('sellers')!.columns.map((c) => c.header)).toContain('iossRegistered');
    expect(layout.bySheet.get('duties.unions.lowValue')!.columns.map((c) => c.header)).toEqual([
      'unions.*', 'unions.lowValue.from', 'unions.lowValue.until', 'unions.lowValue.threshold.amount', 'unions.lowValue.threshold.currency',
      'unions.lowValue.scope', 'unions.lowValue.duty', 'unions.lowValue.duty.perTariffLine',
    ]);
    expect(layout.roots.get('duties.json')).toBeUndefined(); // no plain fields: no "duties" sheet of its own
    const duties = {
      countries: { DE: { union: 'EU', vatRate: 0.19, vatOnDuty: true, brokerageFeeEur: 8 }, FR: { union: 'EU', vatRate: 0.2, vatOnDuty: true, brokerageFeeEur: 8, fees: [{ name: 'national', amountEur: 2, per: 'consignment' }] } },
      unions: {
        EU: {
          tariffRates: { '61': 0.12, '9503': 0.047 },
          defaultTariffRate: 0.04,
          lowValue: [
            { from: '2021-07-01', until: '2026-07-01', threshold: { amount: 150, currency: 'EUR' }, scope: 'all', duty: { perTariffLine: 0 } },
            { from: '2026-07-01', threshold: { amount: 150, currency: 'EUR' }, scope: 'ioss-or-postal', duty: { perTariffLine: 3 } },
          ],
          fees: [{ name: 'handling', amountEur: 2, per: 'tariff-line', from: '2026-11-01', lowValueOnly: true }],
        },
        GB: { tariffRates: {}, defaultTariffRate: 0, lowValue: [{ from: '2021-01-01', threshold: { amount: 135, currency: 'GBP' }, scope: 'all', duty: 'tariff' }] },
      },
    };
    const skus = [{ sellerId: 's', sku: 'A', title: 'T', hsCode: '610910', weightG: 200, dimsCm: [1, 2, 3], customsValue: { amount: 1, currency: 'EUR' }, retailPrice: { amount: 9.9, currency: 'EUR' }, battery: 'none' }];
    const sheets = sheetsOf({ 'duties.json': duties, 'skus.json': skus }, layout);
    const read = readNetworkSheets(sheets, layout);
    expect(read.issues).toEqual([]);
    expect(read.raw['duties.json']).toEqual(duties);
    expect(read.raw['skus.json']).toEqual(skus);
  });
});
