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
  /** Registered for the EU's Import One-Stop Shop (IOSS); absent means true (ROUTING.md §6). */
  iossRegistered: z.boolean().optional(),
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
  /** The usual sale price of one unit excluding VAT: the consignment value when an order line has no unitPrice. */
  retailPrice: Money.optional(),
  battery: BatteryKind,
});

const BatteryRule = z.object({ allowed: z.boolean(), surchargePerParcel: Amount.optional() });
export const ParcelRate = z.object({
  perParcel: Amount,
  perKg: Amount,
  minCharge: Amount.optional(),
  transitDays: TransitDays,
  /** The country where the parcel is cleared into the destination's union (e.g. BE for Liège), if not the destination. */
  entryCountry: CountryCode.optional(),
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
  /** A postal service (e.g. ePacket): in the scope of an `ioss-or-postal` low-value row. */
  postal: z.boolean().optional(),
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

/**
 * duties.json v2 (ROUTING.md §3 "Import rules", §6): countries belong to customs unions; a union
 * has tariff rates by HS prefix, dated low-value rows and fees; a country has VAT, brokerage and
 * its own fees (charged when it is the country of import).
 */
export const Fee = z.object({
  /** The cost component this fee appears as (ROUTING.md §5), e.g. `national-fee`. */
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a component name in lower case with dashes, such as "national-fee"'),
  amountEur: Amount,
  per: z.enum(['consignment', 'tariff-line']),
  from: IsoDate.optional(),
  until: IsoDate.optional(),
  /** Only when a low-value row is in force and the order's value is within its threshold. */
  lowValueOnly: z.boolean().optional(),
});
export const LowValueRow = z.object({
  from: IsoDate,
  until: IsoDate.optional(),
  threshold: Money,
  scope: z.enum(['all', 'ioss-or-postal']),
  duty: z.union([z.object({ perTariffLine: Amount }), z.literal('tariff')]),
});
export const CountryDuty = z.object({
  union: z.string().min(1),
  vatRate: z.number().min(0).max(1),
  vatOnDuty: z.boolean(),
  brokerageFeeEur: Amount,
  fees: z.array(Fee).optional(),
});
export const CustomsUnion = z.object({
  tariffRates: z.record(
    z.string().regex(/^\d{2,10}$/, 'expected an HS prefix of 2 to 10 digits'),
    z.number().min(0).max(1),
  ),
  defaultTariffRate: z.number().min(0).max(1),
  lowValue: z.array(LowValueRow),
  fees: z.array(Fee).optional(),
});

/** The cost components of ROUTING.md §5 other than fees (lib/routing/shipment.ts BASE_COMPONENTS). */
const RESERVED_COMPONENTS = new Set(['freight', 'battery-surcharge', 'duty', 'vat-on-duty', 'brokerage', 'pick-pack', 'packaging', 'last-mile', 'linehaul', 'bulk-duty', 'inbound', 'storage']);

/** `[from, until)` as comparable strings (ISO dates sort as text); an open end is far away. */
const periodOf = (x: { from?: string | undefined; until?: string | undefined }): [string, string] => [x.from ?? '0000-01-01', x.until ?? '9999-12-31'];
const overlaps = (a: [string, string], b: [string, string]): boolean => a[0] < b[1] && b[0] < a[1];
const periodText = (x: { from?: string | undefined; until?: string | undefined }): string => `[${x.from ?? '…'}, ${x.until ?? '…'})`;

export const Duties = z.object({
  countries: z.record(CountryCode, CountryDuty),
  unions: z.record(z.string().min(1), CustomsUnion),
});

/**
 * The checks of duties.json v2 that span records (run with the cross-file checks, snapshot.ts
 * checkReferences, so schema-driven generators need not meet them): a country's union exists;
 * `until` after `from`; low-value rows of one union do not overlap in time; no two fees of one
 * name are in force at once where both could apply (a union's, and a union's with one of its
 * countries'). Every issue names both records.
 */
export function dutiesIssues(d: z.infer<typeof Duties>): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const add = (path: (string | number)[], message: string) => out.push({ path: formatPath(path), message });
  for (const [code, c] of Object.entries(d.countries)) {
    if (d.unions[c.union] === undefined) add(['countries', code, 'union'], `unknown customs union "${c.union}" (not in unions)`);
  }
  const checkPeriod = (x: { from?: string | undefined; until?: string | undefined }, path: (string | number)[]) => {
    if (x.from !== undefined && x.until !== undefined && x.until <= x.from) add([...path, 'until'], `until ${x.until} must be after from ${x.from}`);
  };
  // Pairs (i, k) with i < k and k ≥ from: the fees from `from` on are new to the list.
  const feeClash = (fees: readonly { fee: z.infer<typeof Fee>; path: (string | number)[] }[], from = 0) => {
    for (let k = Math.max(from, 1); k < fees.length; k++) {
      for (let i = 0; i < k; i++) {
        const a = fees[i]!;
        const b = fees[k]!;
        if (a.fee.name === b.fee.name && overlaps(periodOf(a.fee), periodOf(b.fee))) {
          add(b.path, `fee "${b.fee.name}" ${periodText(b.fee)} is in force at the same time as ${formatPath(a.path)} ${periodText(a.fee)}: two fees of one name`);
        }
      }
    }
  };
  for (const [name, u] of Object.entries(d.unions)) {
    u.lowValue.forEach((row, i) => checkPeriod(row, ['unions', name, 'lowValue', i]));
    (u.fees ?? []).forEach((fee, i) => checkPeriod(fee, ['unions', name, 'fees', i]));
    for (let k = 1; k < u.lowValue.length; k++) {
      for (let i = 0; i < k; i++) {
        const a = u.lowValue[i]!;
        const b = u.lowValue[k]!;
        if (overlaps(periodOf(a), periodOf(b))) {
          add(['unions', name, 'lowValue', k], `low-value row ${periodText(b)} overlaps unions.${name}.lowValue[${i}] ${periodText(a)}: rows of one union may not overlap`);
        }
      }
    }
    const unionFees = (u.fees ?? []).map((fee, i) => ({ fee, path: ['unions', name, 'fees', i] }));
    feeClash(unionFees);
    for (const [code, c] of Object.entries(d.countries)) {
      if (c.union !== name) continue;
      feeClash([...unionFees, ...(c.fees ?? []).map((fee, i) => ({ fee, path: ['countries', code, 'fees', i] }))], unionFees.length);
    }
  }
  for (const [code, c] of Object.entries(d.countries)) (c.fees ?? []).forEach((fee, i) => checkPeriod(fee, ['countries', code, 'fees', i]));
  // A fee is its own cost component: it may not take the name of one the router writes.
  const reserved = (fee: z.infer<typeof Fee>, path: (string | number)[]) => {
    if (RESERVED_COMPONENTS.has(fee.name)) add([...path, 'name'], `"${fee.name}" is a cost component of its own; name the fee differently, e.g. "${fee.name}-fee"`);
  };
  for (const [name, u] of Object.entries(d.unions)) (u.fees ?? []).forEach((fee, i) => reserved(fee, ['unions', name, 'fees', i]));
  for (const [code, c] of Object.entries(d.countries)) (c.fees ?? []).forEach((fee, i) => reserved(fee, ['countries', code, 'fees', i]));
  return out;
}

/** `unions.EU.fees[0]`: a path as the loader prints it. */
function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export const Fx = z.object({
  base: z.literal('EUR'),
  asOf: z.union([IsoDate, IsoDateTime]),
  rates: z.record(CurrencyCode, z.number().positive().finite()),
});

export const Platform = z.enum(['shopify', 'woocommerce', 'standard', 'amazon', 'tiktok-shop']);

// A list cell of the spreadsheet splits at commas and semicolons (either width) and trims: a name holds none of them.
const ServiceName = z
  .string()
  .max(100)
  .regex(/^[^,，、;；\s](?:[^,，、;；]*[^,，、;；\s])?$/, 'a service id or carrier name without commas, semicolons or surrounding spaces');
/**
 * What a marketplace lets an order ship with (issue 16, ADR 0044): parcel services by id and
 * carriers by name (a parcel service's `carrier`, a warehouse last mile's `carrier`). A route is
 * allowed when every shipment of it is carried by something listed; a connection without rules
 * restricts nothing. "Platform logistics only" is a list naming the platform's own service.
 */
export const ShippingRules = z
  .object({
    /** Parcel service ids the marketplace accepts for a direct parcel. */
    services: z.array(ServiceName).min(1).max(100).optional(),
    /** Carriers the marketplace accepts, for direct parcels and warehouse last miles alike. */
    carriers: z.array(ServiceName).min(1).max(100).optional(),
    /** Why, in the seller's words (shown in the email): "Amazon approved carriers for direct-from-China orders". */
    note: z.string().min(1).max(200).optional(),
  })
  .refine((r) => (r.services?.length ?? 0) + (r.carriers?.length ?? 0) > 0, {
    message: 'shipping rules need at least one allowed service or carrier (leave "shipping" out to allow every one)',
  });

/**
 * What a connection needs besides its secret to fetch orders from a platform that sends thin
 * notifications (ADR 0043): Amazon's Login with Amazon app credentials (the secret is the seller's
 * refresh token), TikTok Shop's app key, shop cipher and shop access token (the secret is the app secret).
 */
export const ConnectionCredentials = z.object({
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  appKey: z.string().min(1).optional(),
  shopCipher: z.string().min(1).optional(),
  accessToken: z.string().min(1).optional(),
});

/** A marketplace shop and the seller it belongs to (demo credentials only; see SERVICE.md). */
export const Connection = z.object({
  platform: Platform,
  shop: z.string().min(1),
  sellerId: z.string().min(1),
  secret: z.string().min(1),
  /** The secret being rotated out; still accepted until removed. */
  previousSecret: z.string().min(1).optional(),
  apiKey: z.string().min(16),
  /** Kept with the secret in Secrets Manager, never in the table. */
  credentials: ConnectionCredentials.optional(),
  /** The marketplace's shipping rules: enforced by the routing core on every order of this shop. */
  shipping: ShippingRules.optional(),
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
  /** The marketplace's shipping rules, set at intake from the order's connection (never by the payload). */
  shippingRules: ShippingRules.optional(),
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
export type CustomsUnion = z.infer<typeof CustomsUnion>;
export type LowValueRow = z.infer<typeof LowValueRow>;
export type Fee = z.infer<typeof Fee>;
export type Fx = z.infer<typeof Fx>;
export type Connection = z.infer<typeof Connection>;
export type Platform = z.infer<typeof Platform>;
export type ShippingRules = z.infer<typeof ShippingRules>;
export type ConnectionCredentials = z.infer<typeof ConnectionCredentials>;
export type CanonicalOrder = z.infer<typeof CanonicalOrder>;
export type OrderLine = z.infer<typeof OrderLine>;
