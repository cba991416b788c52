/**
 * Zod schemas for every network data file of ROUTING.md §6 and the canonical order of §7.
 * These are the single source of truth: the file loader, the DynamoDB import, the HTTP API
 * and its OpenAPI document all validate with them.
 */
import * as z from 'zod';

export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as "DE"');
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as "EUR"');
/** A non-negative decimal amount in major units, as written in data files. */
export const Amount = z.number().nonnegative().finite();
export const Money = z.object({ amount: Amount, currency: CurrencyCode });
export const IsoDate = z.iso.date();
export const IsoDateTime = z.iso.datetime({ offset: true });
export const Language = z.enum(['zh-CN', 'en']);
export const ServiceLevel = z.enum(['economy', 'standard', 'express']);
export const BatteryKind = z.enum(['none', 'contained', 'standalone']);
const PositiveInt = z.number().int().positive();
const NonNegativeInt = z.number().int().nonnegative();
const Days = z.number().int().nonnegative();
/** [min, max] transit days, min ≤ max. */
export const TransitDays = z
  .tuple([Days, Days])
  .refine(([min, max]) => min <= max, 'expected [min, max] with min ≤ max');

/** every: one email per decision; exceptions: only unroutable, failed and stock running out; digest: one daily email. */
export const NotificationMode = z.enum(['every', 'exceptions', 'digest']);
/** The IANA time zones this runtime knows (an enum, so a generator draws valid ones). */
const TIME_ZONES = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])];

export const Seller = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.email(),
  language: Language,
  reportCurrency: CurrencyCode,
  origin: z.string().min(1),
  serviceLevels: z
    .object({ economy: PositiveInt, standard: PositiveInt, express: PositiveInt })
    .optional(),
  /** Which emails the seller gets (absent: every decision, the behaviour before preferences). */
  notifications: z
    .object({
      mode: NotificationMode,
      /** Local hour (0–23) at which the daily digest goes out. */
      digestHour: z.number().int('expected a whole hour 0–23').min(0, 'expected a whole hour 0–23').max(23, 'expected a whole hour 0–23').optional(),
      /** IANA time zone of digestHour, e.g. Asia/Shanghai (the default). */
      timeZone: z.enum(TIME_ZONES as [string, ...string[]], { error: 'expected an IANA time zone such as Asia/Shanghai' }).optional(),
    })
    .optional(),
  /** Hours before each departure's cut-off the load-plan email goes out (default PLANNING.emailHoursBeforeCutoff, 24). */
  planEmailHours: z.number().int('expected whole hours 1–336').min(1, 'expected whole hours 1–336').max(336, 'expected whole hours 1–336').optional(),
});

/**
 * Reserved SKU prefix: a marketplace line that arrives without a SKU is recorded and routed under
 * `no-sku:<line item id>` (lib/marketplaces/line-items.ts), so the order is reported unroutable
 * instead of being lost. A catalogue SKU may not use it, or such a line could match a real product.
 */
export const NO_SKU_PREFIX = 'no-sku:';

export const Sku = z.object({
  sellerId: z.string().min(1),
  sku: z
    .string()
    .min(1)
    .refine((s) => !s.startsWith(NO_SKU_PREFIX), `must not start with "${NO_SKU_PREFIX}" (reserved for order lines without a SKU)`),
  title: z.string().min(1),
  hsCode: z.string().regex(/^\d{6,10}$/, 'expected an HS code of 6 to 10 digits'),
  weightG: z.number().int('expected grams as a whole number').positive(),
  dimsCm: z
    .array(z.number())
    .refine((d) => d.length === 3 && d.every((x) => Number.isFinite(x) && x > 0), {
      message: 'expected 3 positive numbers',
    }),
  customsValue: Money,
  battery: BatteryKind,
});

const BatteryRule = z.object({ allowed: z.boolean(), surchargePerParcel: Amount.optional() });
export const ParcelRate = z.object({
  perParcel: Amount,
  perKg: Amount,
  minCharge: Amount.optional(),
  transitDays: TransitDays,
});
export const ParcelService = z.object({
  id: z.string().min(1),
  carrier: z.string().min(1),
  name: z.string().min(1),
  origin: z.string().min(1),
  currency: CurrencyCode,
  volumetricDivisor: z.number().positive().nullable(),
  minChargeableG: NonNegativeInt,
  weightStepG: PositiveInt,
  maxWeightG: PositiveInt,
  maxLongestSideCm: z.number().positive().optional(),
  maxSumOfSidesCm: z.number().positive().optional(),
  handlingDays: Days,
  battery: z.object({ contained: BatteryRule, standalone: BatteryRule }),
  rates: z.record(CountryCode, ParcelRate),
});

export const Weekday = z.enum(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);
export const Departure = z
  .object({
    id: z.string().min(1),
    departsAt: IsoDateTime,
    cutoffAt: IsoDateTime,
    transitDays: Days,
    capacityCbm: z.number().nonnegative().finite(),
  })
  .refine((d) => Date.parse(d.cutoffAt) <= Date.parse(d.departsAt), {
    message: 'cutoffAt must not be after departsAt',
    path: ['cutoffAt'],
  });
export const RailSchedule = z.object({
  weekdays: z.array(Weekday).min(1),
  departureTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d[+-]\d{2}:\d{2}$/, 'expected a local time with offset such as "10:00+08:00"'),
  cutoffHoursBefore: z.number().nonnegative(),
  transitDays: Days,
  capacityCbm: z.number().nonnegative().finite(),
  weeksAhead: PositiveInt,
});
export const RailLane = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    origin: z.string().min(1),
    warehouseId: z.string().min(1),
    currency: CurrencyCode,
    perCbm: Amount,
    kgPerCbm: z.number().positive(),
    customsFreightShare: z.number().min(0).max(1),
    departures: z.array(Departure).optional(),
    schedule: RailSchedule.optional(),
  })
  .refine((l) => l.departures !== undefined || l.schedule !== undefined, {
    message: 'a rail lane needs departures, a schedule, or both',
  });

export const WeightBand = z.object({ maxWeightG: PositiveInt, price: Amount });
export const LastMile = z.object({
  carrier: z.string().min(1),
  transitDays: TransitDays,
  bands: z
    .array(WeightBand)
    .min(1)
    .refine((b) => b.every((x, i) => i === 0 || x.maxWeightG > b[i - 1]!.maxWeightG), {
      message: 'bands must be sorted by ascending maxWeightG',
    }),
});
export const Warehouse = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  country: CountryCode,
  currency: CurrencyCode,
  processingDays: Days,
  inboundDays: Days,
  fees: z.object({
    inboundPerUnit: Amount,
    storagePerCbmDay: Amount,
    expectedDwellDays: Days,
    pickPackFirstItem: Amount,
    pickPackExtraItem: Amount,
    packaging: Amount,
  }),
  lastMile: z.record(CountryCode, LastMile),
});

export const StockRecord = z.object({
  sellerId: z.string().min(1),
  warehouseId: z.string().min(1),
  sku: z.string().min(1),
  available: NonNegativeInt,
});

export const CountryDuty = z.object({
  vatRate: z.number().min(0).max(1),
  vatOnDuty: z.boolean(),
  lowValue: z
    .object({ effectiveFrom: IsoDate, thresholdEur: Amount, flatDutyPerHsCodeEur: Amount })
    .optional(),
  brokerageFeeEur: Amount,
  handlingFeePerConsignmentEur: Amount.optional(),
  nationalFeePerConsignmentEur: Amount.optional(),
});
export const Duties = z.object({
  countries: z.record(CountryCode, CountryDuty),
  bulkDutyRates: z.record(
    z.string().regex(/^\d{2,10}$/, 'expected an HS prefix of 2 to 10 digits'),
    z.number().min(0).max(1),
  ),
  defaultBulkDutyRate: z.number().min(0).max(1),
});

export const Fx = z.object({
  base: z.literal('EUR'),
  asOf: z.union([IsoDate, IsoDateTime]),
  rates: z.record(CurrencyCode, z.number().positive().finite()),
});

export const Platform = z.enum(['shopify', 'woocommerce', 'standard']);
/** A marketplace shop and the seller it belongs to (demo credentials only; see SERVICE.md). */
export const Connection = z.object({
  platform: Platform,
  shop: z.string().min(1),
  sellerId: z.string().min(1),
  secret: z.string().min(1),
  /** The secret being rotated out; still accepted until removed. */
  previousSecret: z.string().min(1).optional(),
  apiKey: z.string().min(16),
});

/** ROUTING.md §7: what every marketplace adapter produces. */
export const OrderLine = z.object({
  sku: z.string().min(1),
  qty: PositiveInt,
  unitPrice: Money.optional(),
});
export const CanonicalOrder = z.object({
  orderId: z.string().min(1).max(200),
  sellerId: z.string().min(1),
  marketplace: z.string().min(1),
  externalId: z.string().min(1),
  /**
   * The number the merchant sees in the platform's admin, when it differs from the id: Shopify's
   * `name` ("#1042", order_number with the shop's prefix and suffix), WooCommerce's `number`
   * (the id unless a plugin numbers orders). Shown on every surface; absent → the external id.
   */
  orderNumber: z.string().trim().min(1).max(100).optional(),
  placedAt: IsoDateTime,
  currency: CurrencyCode.optional(),
  shipTo: z.object({ country: CountryCode, postalCode: z.string().optional() }),
  lines: z.array(OrderLine).min(1).max(100),
  deliverBy: IsoDate.optional(),
  serviceLevel: ServiceLevel.optional(),
});

/**
 * How an order is named to people (emails, digest, CLI): the platform's order number, else the
 * external id; a bare number gets the "#" the admins show ("#10502"), a name with its own prefix
 * ("#1042", "SO-2026-000731", "TM1042") is shown as written.
 * @example orderLabel({ externalId: '5820012349001', orderNumber: '#1042' }) // '#1042'
 * @example orderLabel({ externalId: '10502' }) // '#10502'
 */
export function orderLabel(order: { readonly externalId: string; readonly orderNumber?: string | undefined }): string {
  const name = (order.orderNumber ?? order.externalId).trim();
  return /^\d+$/.test(name) ? `#${name}` : name;
}

/** The data directory, file by file. `connections.json` is optional for quote and validate. */
export const NETWORK_FILES = {
  'sellers.json': z.array(Seller),
  'skus.json': z.array(Sku),
  'parcel-services.json': z.array(ParcelService),
  'rail-lanes.json': z.array(RailLane),
  'warehouses.json': z.array(Warehouse),
  'stock.json': z.array(StockRecord),
  'duties.json': Duties,
  'fx.json': Fx,
  'connections.json': z.array(Connection),
} as const;
export type NetworkFileName = keyof typeof NETWORK_FILES;

export type Seller = z.infer<typeof Seller>;
export type Sku = z.infer<typeof Sku>;
export type ParcelService = z.infer<typeof ParcelService>;
export type ParcelRate = z.infer<typeof ParcelRate>;
export type RailLane = z.infer<typeof RailLane>;
export type RailSchedule = z.infer<typeof RailSchedule>;
export type Departure = z.infer<typeof Departure>;
export type Warehouse = z.infer<typeof Warehouse>;
export type LastMile = z.infer<typeof LastMile>;
export type StockRecord = z.infer<typeof StockRecord>;
export type Duties = z.infer<typeof Duties>;
export type CountryDuty = z.infer<typeof CountryDuty>;
export type Fx = z.infer<typeof Fx>;
export type Connection = z.infer<typeof Connection>;
export type Platform = z.infer<typeof Platform>;
export type CanonicalOrder = z.infer<typeof CanonicalOrder>;
export type OrderLine = z.infer<typeof OrderLine>;
