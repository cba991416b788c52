/**
 * The decision of ROUTING.md §5: the same JSON from the CLI, the API and in storage.
 * Amounts are decimal numbers in major units (2 decimals) in the seller's report currency.
 *
 * What the router writes carries every fact a reader needs as data: the service, warehouse,
 * departure and lane of each shipment and candidate, and `params` on every reason, so that no
 * reader parses a route id or an English sentence.
 *
 * Stored decisions written before those fields existed still read (ADR 0009, a tolerant
 * reader): the schema accepts a reason without `params` and an entry without ids, and
 * `targetOf` / `partsOf` below derive the ids of such an entry from its route id — the route-id
 * grammar lives here, next to the code that writes it, and nowhere else.
 */
import * as z from 'zod';

export const Mode = z.enum(['direct-parcel', 'overseas-warehouse', 'rail-to-warehouse', 'split']);
export const ReasonCode = z.enum([
  'no-rate',
  'overweight',
  'oversize',
  'battery',
  'no-stock',
  'missed-deadline',
  'no-departure',
  'no-capacity',
  'no-last-mile',
  'unknown-sku',
  'marketplace-rule',
]);

const IsoDate = z.iso.date();
const Grams = z.number().nonnegative();
const Litres = z.number().int().nonnegative();

/**
 * The facts of each reason code, as data (ROUTING.md §5). A direct-parcel reason names the
 * `serviceId`, a warehouse or last-mile one the `warehouseId`, a rail one the `departureId` or
 * `laneId`. Dates are UTC calendar dates, weights grams, volumes whole litres (ADR 0010).
 */
export const ReasonParams = {
  'no-rate': z.object({ serviceId: z.string(), country: z.string() }),
  /** A parcel service's weight limit (`serviceId`), or a last mile's heaviest band (`warehouseId`, `country`). */
  overweight: z.object({
    serviceId: z.string().optional(),
    warehouseId: z.string().optional(),
    country: z.string().optional(),
    weightG: Grams,
    maxWeightG: Grams,
  }),
  /** `limit`: which of the service's limits; `items`: each SKU above it with its measure in cm. */
  oversize: z.object({
    serviceId: z.string(),
    limit: z.enum(['longest-side', 'sum-of-sides']),
    maxCm: z.number().nonnegative(),
    items: z.array(z.object({ sku: z.string(), cm: z.number().nonnegative() })),
  }),
  battery: z.object({ serviceId: z.string(), battery: z.enum(['contained', 'standalone']), skus: z.array(z.string()) }),
  'no-stock': z.object({ warehouseId: z.string(), sku: z.string(), available: z.number().int(), needed: z.number().int().positive() }),
  'missed-deadline': z.object({ latestEta: IsoDate, deadline: IsoDate }),
  'no-departure': z.object({ laneId: z.string() }),
  'no-capacity': z.object({ departureId: z.string(), laneId: z.string(), remainingLitres: Litres, neededLitres: Litres }),
  'no-last-mile': z.object({ warehouseId: z.string(), country: z.string() }),
  'unknown-sku': z.object({ sellerId: z.string(), skus: z.array(z.string()).min(1) }),
  /**
   * The order's marketplace does not allow this route (ADR 0044): the parcel service (`serviceId`)
   * or the warehouse's last-mile carrier to `country` (`warehouseId`) is not among `allowedServices`
   * / `allowedCarriers`; `carrier` is the route's carrier when it has one.
   */
  'marketplace-rule': z.object({
    marketplace: z.string(),
    serviceId: z.string().optional(),
    warehouseId: z.string().optional(),
    country: z.string().optional(),
    carrier: z.string().optional(),
    allowedServices: z.array(z.string()),
    allowedCarriers: z.array(z.string()),
  }),
} as const satisfies Record<z.infer<typeof ReasonCode>, z.ZodType>;

// `params` is optional on read only: decisions stored before it existed have none (ADR 0009).
export const Reason = z.discriminatedUnion('code', [
  z.object({ code: z.literal('no-rate'), message: z.string(), params: ReasonParams['no-rate'].optional() }),
  z.object({ code: z.literal('overweight'), message: z.string(), params: ReasonParams.overweight.optional() }),
  z.object({ code: z.literal('oversize'), message: z.string(), params: ReasonParams.oversize.optional() }),
  z.object({ code: z.literal('battery'), message: z.string(), params: ReasonParams.battery.optional() }),
  z.object({ code: z.literal('no-stock'), message: z.string(), params: ReasonParams['no-stock'].optional() }),
  z.object({ code: z.literal('missed-deadline'), message: z.string(), params: ReasonParams['missed-deadline'].optional() }),
  z.object({ code: z.literal('no-departure'), message: z.string(), params: ReasonParams['no-departure'].optional() }),
  z.object({ code: z.literal('no-capacity'), message: z.string(), params: ReasonParams['no-capacity'].optional() }),
  z.object({ code: z.literal('no-last-mile'), message: z.string(), params: ReasonParams['no-last-mile'].optional() }),
  z.object({ code: z.literal('unknown-sku'), message: z.string(), params: ReasonParams['unknown-sku'].optional() }),
  z.object({ code: z.literal('marketplace-rule'), message: z.string(), params: ReasonParams['marketplace-rule'].optional() }),
]);

export const CostComponent = z.object({ name: z.string(), amount: z.number() });
export const Cost = z.object({
  total: z.number(),
  currency: z.string(),
  components: z.array(CostComponent),
});
export const Eta = z.object({ earliest: IsoDate, latest: IsoDate });
export const ShipmentLine = z.object({ sku: z.string(), qty: z.number().int().positive() });

/**
 * What a route runs on: `serviceId` for a direct parcel, `warehouseId` for a warehouse, and for
 * rail the `laneId`, the lane's `warehouseId` and the `departureId` (absent only when the lane
 * has no departure to name). Optional in the schema so that old decisions read; `targetOf`
 * fills them in.
 */
const TargetFields = {
  serviceId: z.string().optional(),
  warehouseId: z.string().optional(),
  departureId: z.string().optional(),
  laneId: z.string().optional(),
};
export const RoutePart = z.object({ routeId: z.string(), mode: Mode, ...TargetFields });

/**
 * Units of a warehouse shipment promised from an inbound lot still on a train (ADR 0032): the
 * lot, the SKU, how many and the day the lot is stock at the warehouse. Optional and additive:
 * a shipment served from the shelf alone has none.
 */
export const InboundDraw = z.object({ lotId: z.string(), sku: z.string(), qty: z.number().int().positive(), arrivesOn: IsoDate });

/**
 * What the import rules applied to a shipment that enters a customs union from outside
 * (ROUTING.md §3 "Import rules", §5): the union, where and when it is imported (the earliest
 * ETA date), the regime, the consignment value in EUR and the tariff lines (distinct 6-digit HS
 * codes). Absent on shipments that import nothing (inside a warehouse's union, or a destination
 * without rules) and on decisions stored before import rules v2.
 */
export const Customs = z.object({
  union: z.string(),
  importCountry: z.string(),
  importDate: IsoDate,
  regime: z.enum(['low-value', 'above-threshold', 'out-of-scope', 'no-regime']),
  consignmentValueEur: z.number().nonnegative(),
  tariffLines: z.number().int().nonnegative(),
});

export const Shipment = z.object({
  routeId: z.string(),
  mode: Mode,
  /** Where the goods leave from: the origin (direct, rail) or the warehouse id. */
  from: z.string(),
  ...TargetFields,
  lines: z.array(ShipmentLine),
  cost: Cost,
  eta: Eta,
  customs: Customs.optional(),
  inbound: z.array(InboundDraw).optional(),
});
export const Candidate = z.object({
  routeId: z.string(),
  mode: Mode,
  ...TargetFields,
  /** A split's shipments, each with its ids. */
  parts: z.array(RoutePart).optional(),
  feasible: z.boolean(),
  cost: Cost.optional(),
  eta: Eta.optional(),
  reasons: z.array(Reason).optional(),
});
export const Decision = z.object({
  orderId: z.string(),
  sellerId: z.string(),
  decidedAt: z.iso.datetime({ offset: true }),
  status: z.enum(['routed', 'unroutable']),
  chosen: z
    .object({
      routeId: z.string(),
      mode: Mode,
      cost: Cost,
      eta: Eta,
      shipments: z.array(Shipment),
    })
    .optional(),
  candidates: z.array(Candidate),
  savingsVsDirect: z.object({ amount: z.number(), currency: z.string() }).optional(),
});

export type Mode = z.infer<typeof Mode>;
export type ReasonCode = z.infer<typeof ReasonCode>;
export type Reason = z.infer<typeof Reason>;
/** The params of one reason code. */
export type ReasonParamsOf<C extends ReasonCode> = z.infer<(typeof ReasonParams)[C]>;
/** A reason as the router writes it: params always present. */
export type WrittenReason = { [C in ReasonCode]: { code: C; message: string; params: ReasonParamsOf<C> } }[ReasonCode];
export type Cost = z.infer<typeof Cost>;
export type Eta = z.infer<typeof Eta>;
export type RoutePart = z.infer<typeof RoutePart>;
export type Shipment = z.infer<typeof Shipment>;
export type Customs = z.infer<typeof Customs>;
export type InboundDraw = z.infer<typeof InboundDraw>;
export type Candidate = z.infer<typeof Candidate>;
export type Decision = z.infer<typeof Decision>;

/**
 * What committing a decision takes from the network: stock units per warehouse and SKU, and
 * rail capacity per departure in whole litres (ADR 0010: rounded up per order) so that
 * DynamoDB conditions compare integers.
 */
export interface Reservations {
  readonly stock: readonly { warehouseId: string; sku: string; qty: number }[];
  readonly capacity: readonly { departureId: string; laneId: string; litres: number }[];
  /** Units promised from inbound lots still on a train (ADR 0032); absent = none. */
  readonly inbound?: readonly LotReservation[];
}

/** Units of one SKU promised from one inbound lot bound for `warehouseId`. */
export interface LotReservation {
  readonly lotId: string;
  readonly warehouseId: string;
  readonly sku: string;
  readonly qty: number;
}

// ---------------------------------------------------------------------------------------------
// The route-id grammar, written by the router and read back only here.

/** `direct:<serviceId>`, `warehouse:<warehouseId>`, `rail:<departureId>` or `rail:<laneId>`, `split:<id>+<id>`. */
export const routeIds = {
  direct: (serviceId: string) => `direct:${serviceId}`,
  warehouse: (warehouseId: string) => `warehouse:${warehouseId}`,
  rail: (departureOrLaneId: string) => `rail:${departureOrLaneId}`,
  split: (partIds: readonly string[]) => `split:${[...partIds].sort().join('+')}`,
} as const;

/** The ids of a route: the entry's own fields, else (a decision stored before they existed) derived from its route id. */
export function targetOf(entry: RoutePart & { reasons?: readonly Reason[] | undefined }): RoutePart {
  if (entry.serviceId !== undefined || entry.warehouseId !== undefined || entry.departureId !== undefined || entry.laneId !== undefined) {
    return entry;
  }
  const colon = entry.routeId.indexOf(':');
  const kind = entry.routeId.slice(0, colon);
  const rest = entry.routeId.slice(colon + 1);
  if (kind === 'direct') return { ...entry, mode: 'direct-parcel', serviceId: rest };
  if (kind === 'warehouse') return { ...entry, mode: 'overseas-warehouse', warehouseId: rest };
  if (kind === 'rail') {
    // An old candidate named after its lane said so with `no-departure`; otherwise the id is a departure's.
    const laneOnly = entry.reasons?.some((r) => r.code === 'no-departure') === true;
    return { ...entry, mode: 'rail-to-warehouse', ...(laneOnly ? { laneId: rest } : { departureId: rest }) };
  }
  return entry;
}

/** The parts of a route: a split's shipments (from `parts`, else from its id), or the route itself. */
export function partsOf(entry: RoutePart & { parts?: readonly RoutePart[] | undefined; reasons?: readonly Reason[] | undefined }): RoutePart[] {
  if (entry.mode !== 'split') return [targetOf(entry)];
  if (entry.parts !== undefined) return entry.parts.map(targetOf);
  const ids = entry.routeId.startsWith('split:') ? entry.routeId.slice('split:'.length).split('+') : [];
  return ids.map((routeId) => {
    const kind = routeId.slice(0, routeId.indexOf(':'));
    const mode: Mode = kind === 'direct' ? 'direct-parcel' : kind === 'warehouse' ? 'overseas-warehouse' : 'rail-to-warehouse';
    return targetOf({ routeId, mode });
  });
}
