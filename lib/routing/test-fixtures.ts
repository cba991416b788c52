/**
 * A test network for the routing core, built from /work/shared/reference/logistics-figures.md:
 * the four parcel services from Yiwu (six countries), both Yixin'ou lanes with explicit
 * departures around NOW, both warehouses (and GB), the ten demo SKUs, duties v2 (EU, GB) and FX. Both sellers
 * report in EUR so tests can do the arithmetic by hand. Every call returns a fresh object, so a
 * test may change its copy.
 */
import type { CanonicalOrder, Duties, ParcelService, Seller, Sku, StockRecord, Warehouse } from '#network/schemas.ts';
import type { NetworkSnapshot, ResolvedDeparture, ResolvedRailLane } from '#network/types.ts';

/** Monday 2026-11-23, 08:00 UTC (16:00 in Yiwu): after the July 2026 duty reform. */
export const NOW = new Date('2026-11-23T08:00:00Z');

const COUNTRIES = ['ES', 'DE', 'FR', 'PL', 'IT', 'NL'] as const;
type Country = (typeof COUNTRIES)[number];

const sellers = (): Seller[] => [
  {
    id: 'tianmen',
    name: 'Tianmen Jinxiu Garments',
    email: 'orders@tianmen.example',
    language: 'zh-CN',
    reportCurrency: 'EUR',
    origin: 'CN-YIW',
  },
  {
    id: 'yiwu',
    name: 'Yiwu Bright Goods',
    email: 'ops@yiwu.example',
    language: 'en',
    reportCurrency: 'EUR',
    origin: 'CN-YIW',
    serviceLevels: { economy: 30, standard: 20, express: 7 },
  },
];

function sku(sellerId: string, code: string, hsCode: string, dimsCm: [number, number, number], kg: number, eur: number, battery: Sku['battery'] = 'none'): Sku {
  return { sellerId, sku: code, title: code, hsCode, weightG: Math.round(kg * 1000), dimsCm, customsValue: { amount: eur, currency: 'EUR' }, battery };
}

const skus = (): Sku[] => [
  sku('tianmen', 'TEE-COT', '610910', [28, 22, 2], 0.2, 1.71),
  sku('tianmen', 'DRESS-PLY', '620443', [32, 25, 4], 0.35, 4.63),
  sku('tianmen', 'HOODIE', '611020', [35, 30, 8], 0.65, 6.71),
  sku('yiwu', 'SOCKS-5', '611595', [20, 15, 3], 0.12, 0.98),
  sku('yiwu', 'UMB-3F', '660191', [28, 7, 7], 0.33, 1.34),
  sku('yiwu', 'UMB-GOLF', '660199', [100, 8, 8], 0.75, 2.68),
  sku('yiwu', 'BLOCKS-500', '950300', [25, 18, 7], 0.55, 2.2),
  sku('yiwu', 'BAUBLES-12', '950510', [30, 20, 10], 0.4, 1.1),
  sku('yiwu', 'CLIPS-6', '961519', [15, 10, 4], 0.09, 0.61),
  sku('yiwu', 'PWR-10K', '850760', [15, 8, 3], 0.25, 4.63, 'standalone'),
];

type Rate = [perParcel: number, perKg: number];
function rates(table: Record<Country, Rate>, transitDays: [number, number], minCharge?: (c: Country) => number): ParcelService['rates'] {
  const out: ParcelService['rates'] = {};
  for (const c of COUNTRIES) {
    const [perParcel, perKg] = table[c];
    out[c] = { perParcel, perKg, transitDays, ...(minCharge === undefined ? {} : { minCharge: minCharge(c) }) };
  }
  return out;
}

/** DHL quotes "first 0.5 kg / each extra 0.5 kg": perParcel = first − extra, perKg = 2 × extra. */
const DHL_FIRST_EXTRA: Record<Country, [number, number]> = {
  ES: [190, 55], DE: [180, 52], FR: [185, 54], PL: [200, 58], IT: [190, 55], NL: [180, 52],
};

const parcelServices = (): ParcelService[] => [
  {
    id: 'CP-EPK', carrier: 'China Post', name: 'ePacket', origin: 'CN-YIW', currency: 'CNY',
    volumetricDivisor: null, minChargeableG: 50, weightStepG: 1, maxWeightG: 2000,
    maxLongestSideCm: 60, maxSumOfSidesCm: 90, handlingDays: 1, postal: true,
    battery: { contained: { allowed: false }, standalone: { allowed: false } },
    rates: rates({ ES: [13, 90], DE: [12, 82], FR: [13, 86], PL: [12, 80], IT: [13, 90], NL: [12, 84] }, [10, 20]),
  },
  {
    id: 'CN-STD', carrier: 'Cainiao', name: 'Cainiao Standard', origin: 'CN-YIW', currency: 'CNY',
    volumetricDivisor: 8000, minChargeableG: 0, weightStepG: 1, maxWeightG: 2000, handlingDays: 1,
    battery: { contained: { allowed: true, surchargePerParcel: 3 }, standalone: { allowed: false } },
    rates: rates({ ES: [18, 62], DE: [17, 58], FR: [18, 60], PL: [16, 56], IT: [19, 66], NL: [17, 60] }, [8, 15]),
  },
  {
    id: 'YUN-DDP', carrier: 'YunExpress', name: 'YunExpress DDP', origin: 'CN-YIW', currency: 'CNY',
    volumetricDivisor: 8000, minChargeableG: 50, weightStepG: 1, maxWeightG: 2000, handlingDays: 1,
    battery: { contained: { allowed: true, surchargePerParcel: 4 }, standalone: { allowed: false } },
    rates: rates({ ES: [23, 66], DE: [21, 60], FR: [22, 64], PL: [19, 58], IT: [24, 70], NL: [21, 62] }, [6, 10]),
  },
  {
    id: 'DHL-EXP', carrier: 'DHL', name: 'DHL Express', origin: 'CN-YIW', currency: 'CNY',
    volumetricDivisor: 5000, minChargeableG: 500, weightStepG: 500, maxWeightG: 30000, handlingDays: 1,
    battery: { contained: { allowed: true }, standalone: { allowed: false } },
    rates: rates(
      Object.fromEntries(COUNTRIES.map((c) => [c, [DHL_FIRST_EXTRA[c][0] - DHL_FIRST_EXTRA[c][1], 2 * DHL_FIRST_EXTRA[c][1]]])) as Record<Country, Rate>,
      [3, 6],
      (c) => DHL_FIRST_EXTRA[c][0],
    ),
  },
];

type Bands = [number, number, number];
function lastMile(table: Record<Country, [Bands, [number, number]]>): Warehouse['lastMile'] {
  const out: Warehouse['lastMile'] = {};
  for (const c of COUNTRIES) {
    const [[b1, b2, b5], transitDays] = table[c];
    out[c] = { carrier: 'DHL Paket', transitDays, bands: [{ maxWeightG: 1000, price: b1 }, { maxWeightG: 2000, price: b2 }, { maxWeightG: 5000, price: b5 }] };
  }
  return out;
}

const warehouses = (): Warehouse[] => [
  {
    id: 'WH-DUI', name: 'Duisburg', country: 'DE', currency: 'EUR', processingDays: 1, inboundDays: 2,
    fees: { inboundPerUnit: 0.02, storagePerCbmDay: 0.4, expectedDwellDays: 60, pickPackFirstItem: 1.5, pickPackExtraItem: 0.3, packaging: 0.08 },
    lastMile: lastMile({
      ES: [[8.9, 9.6, 11.5], [3, 5]], DE: [[4.1, 4.6, 5.5], [1, 1]], FR: [[7.2, 7.9, 9.6], [2, 4]],
      PL: [[6.9, 7.5, 9.2], [2, 4]], IT: [[8.2, 8.9, 10.6], [3, 5]], NL: [[5.9, 6.4, 7.9], [1, 2]],
    }),
  },
  {
    id: 'WH-MAD', name: 'Madrid', country: 'ES', currency: 'EUR', processingDays: 1, inboundDays: 2,
    fees: { inboundPerUnit: 0.02, storagePerCbmDay: 0.35, expectedDwellDays: 60, pickPackFirstItem: 1.2, pickPackExtraItem: 0.25, packaging: 0.08 },
    lastMile: lastMile({
      ES: [[3.6, 4.2, 5.4], [1, 2]], DE: [[8.9, 9.6, 11.5], [3, 5]], FR: [[7.9, 8.6, 10.4], [3, 4]],
      PL: [[10.5, 11.2, 13.5], [4, 6]], IT: [[8.5, 9.2, 11.0], [3, 5]], NL: [[9.2, 9.9, 11.8], [3, 5]],
    }),
  },
];

/** A departure at 10:00 Beijing time on `date`, cut-off the day before at 18:00 Beijing time. */
export function departure(laneId: string, date: string, transitDays: number, remainingLitres = 64_000): ResolvedDeparture {
  const departs = Date.parse(`${date}T10:00:00+08:00`);
  const cutoff = new Date(departs - 16 * 3_600_000).toISOString().replace('.000Z', 'Z');
  return {
    id: `${laneId}-${date}`,
    departsAt: `${date}T10:00:00+08:00`,
    cutoffAt: cutoff,
    transitDays,
    capacityLitres: 64_000,
    laneId,
    remainingLitres,
  };
}

const railLanes = (): ResolvedRailLane[] => [
  {
    id: 'R1', name: "Yixin'ou Yiwu → Madrid", origin: 'CN-YIW', warehouseId: 'WH-MAD', currency: 'EUR',
    perCbm: 150, kgPerCbm: 500, customsFreightShare: 0.75,
    // Tue / Fri. The 2026-11-24 train's cut-off is 2026-11-23 10:00 UTC, two hours after NOW.
    departures: ['2026-11-24', '2026-11-27', '2026-12-01', '2026-12-04'].map((d) => departure('R1', d, 17)),
  },
  {
    id: 'R2', name: "Yixin'ou Yiwu → Duisburg", origin: 'CN-YIW', warehouseId: 'WH-DUI', currency: 'EUR',
    perCbm: 130, kgPerCbm: 500, customsFreightShare: 0.85,
    // Mon / Wed / Sat. The 2026-11-23 train left at 02:00 UTC: it is cut off at NOW.
    departures: ['2026-11-23', '2026-11-25', '2026-11-28', '2026-11-30'].map((d) => departure('R2', d, 16)),
  },
];

function stock(sellerId: string, warehouseId: string, entries: Record<string, number>): StockRecord[] {
  return Object.entries(entries).map(([code, available]) => ({ sellerId, warehouseId, sku: code, available }));
}

const stockRecords = (): StockRecord[] => [
  ...stock('tianmen', 'WH-DUI', { 'TEE-COT': 500, 'DRESS-PLY': 40, HOODIE: 0 }),
  ...stock('tianmen', 'WH-MAD', { 'TEE-COT': 300, 'DRESS-PLY': 20 }),
  ...stock('yiwu', 'WH-DUI', { 'SOCKS-5': 300, 'UMB-3F': 120, 'BLOCKS-500': 10, 'CLIPS-6': 200, 'PWR-10K': 50 }),
  ...stock('yiwu', 'WH-MAD', { 'UMB-3F': 0, 'UMB-GOLF': 25, 'BAUBLES-12': 60, 'CLIPS-6': 100 }),
];

/**
 * duties.json v2 as the demo network has it: the EU's rows (relief until 2026-07-01, €3 per
 * tariff line for IOSS or postal parcels until 2028-07-01, tariff after), France's €2 per tariff
 * line since 2026-03-01 and Italy's €2 per consignment since 2026-10-01 (country of import),
 * and GB as its own union (relief up to £135). Belgium, where Cainiao may clear, has no fees of
 * its own, so it needs no entry.
 */
const duties = (): Duties => {
  const vat: Record<Country, number> = { ES: 0.21, DE: 0.19, FR: 0.2, PL: 0.23, IT: 0.22, NL: 0.21 };
  const countries: Duties['countries'] = {};
  for (const [c, rate] of Object.entries(vat)) countries[c] = { union: 'EU', vatRate: rate, vatOnDuty: true, brokerageFeeEur: 8 };
  countries.FR!.fees = [{ name: 'national-fee', amountEur: 2, per: 'tariff-line', from: '2026-03-01' }];
  countries.IT!.fees = [{ name: 'national-fee', amountEur: 2, per: 'consignment', from: '2026-10-01' }];
  countries.GB = { union: 'GB', vatRate: 0.2, vatOnDuty: true, brokerageFeeEur: 8 };
  const eur150 = { amount: 150, currency: 'EUR' };
  return {
    countries,
    unions: {
      EU: {
        tariffRates: { '61': 0.12, '62': 0.12, '9503': 0.047, '6601': 0.047, '9505': 0.027, '9615': 0.027, '850760': 0.027 },
        defaultTariffRate: 0.04,
        lowValue: [
          { from: '2021-07-01', until: '2026-07-01', threshold: { ...eur150 }, scope: 'all', duty: { perTariffLine: 0 } },
          { from: '2026-07-01', until: '2028-07-01', threshold: { ...eur150 }, scope: 'ioss-or-postal', duty: { perTariffLine: 3 } },
          { from: '2028-07-01', threshold: { ...eur150 }, scope: 'all', duty: 'tariff' },
        ],
      },
      GB: {
        tariffRates: { '61': 0.12, '62': 0.12, '9503': 0, '6601': 0.04, '9505': 0, '9615': 0.02, '850760': 0 },
        defaultTariffRate: 0.04,
        lowValue: [{ from: '2021-01-01', threshold: { amount: 135, currency: 'GBP' }, scope: 'all', duty: { perTariffLine: 0 } }],
      },
    },
  };
};

/** GB as the demo network serves it: a rate on every parcel service and a last mile from both warehouses. */
function addGreatBritain(services: ParcelService[], whs: Warehouse[]): void {
  const gb: Record<string, ParcelService['rates'][string]> = {
    'CP-EPK': { perParcel: 13, perKg: 88, transitDays: [10, 20] },
    'CN-STD': { perParcel: 19, perKg: 62, transitDays: [8, 15] },
    'YUN-DDP': { perParcel: 22, perKg: 64, transitDays: [6, 10] },
    'DHL-EXP': { perParcel: 135, perKg: 110, minCharge: 190, transitDays: [3, 6] },
  };
  for (const s of services) s.rates.GB = gb[s.id]!;
  const bands = (b1: number, b2: number, b5: number) => [{ maxWeightG: 1000, price: b1 }, { maxWeightG: 2000, price: b2 }, { maxWeightG: 5000, price: b5 }];
  for (const w of whs) {
    w.lastMile.GB = w.id === 'WH-DUI'
      ? { carrier: 'DPD UK', transitDays: [3, 5], bands: bands(9.9, 10.8, 12.9) }
      : { carrier: 'DPD UK', transitDays: [4, 6], bands: bands(12.5, 13.4, 15.9) };
  }
}

/** A fresh copy of the test network. */
export function fixtureNetwork(): NetworkSnapshot {
  const services = parcelServices();
  const whs = warehouses();
  addGreatBritain(services, whs);
  return {
    asOf: NOW.toISOString(),
    sellers: sellers(),
    skus: skus(),
    parcelServices: services,
    railLanes: railLanes(),
    warehouses: whs,
    stock: stockRecords(),
    duties: duties(),
    fx: { base: 'EUR', asOf: '2026-01-05', rates: { CNY: 8.2, USD: 1.17, PLN: 4.22, GBP: 0.87 } },
  };
}

/** A canonical order for the fixture's sellers; `lines` as [sku, qty] pairs. */
export function order(
  sellerId: string,
  country: string,
  lines: readonly (readonly [string, number])[],
  extra: Partial<CanonicalOrder> = {},
): CanonicalOrder {
  return {
    orderId: 'ord-1',
    sellerId,
    marketplace: 'test',
    externalId: 'ext-1',
    placedAt: NOW.toISOString(),
    shipTo: { country },
    lines: lines.map(([sku, qty]) => ({ sku, qty })),
    ...extra,
  };
}
