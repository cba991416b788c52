/**
 * The decision of ROUTING.md §5: the same JSON from the CLI, the API and in storage.
 * Amounts are decimal numbers in major units (2 decimals) in the seller's report currency.
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
]);
export const Reason = z.object({ code: ReasonCode, message: z.string() });
export const CostComponent = z.object({ name: z.string(), amount: z.number() });
export const Cost = z.object({
  total: z.number(),
  currency: z.string(),
  components: z.array(CostComponent),
});
export const Eta = z.object({ earliest: z.iso.date(), latest: z.iso.date() });
export const ShipmentLine = z.object({ sku: z.string(), qty: z.number().int().positive() });
export const Shipment = z.object({
  routeId: z.string(),
  mode: Mode,
  /** Where the goods leave from: the origin (direct, rail) or the warehouse id. */
  from: z.string(),
  lines: z.array(ShipmentLine),
  cost: Cost,
  eta: Eta,
});
export const Candidate = z.object({
  routeId: z.string(),
  mode: Mode,
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
export type Cost = z.infer<typeof Cost>;
export type Eta = z.infer<typeof Eta>;
export type Shipment = z.infer<typeof Shipment>;
export type Candidate = z.infer<typeof Candidate>;
export type Decision = z.infer<typeof Decision>;

/**
 * What committing a decision takes from the network: stock units per warehouse and SKU, and
 * rail capacity per departure in whole litres (1 m³ = 1000 L, rounded up per order) so that
 * DynamoDB conditions compare integers.
 */
export interface Reservations {
  readonly stock: readonly { warehouseId: string; sku: string; qty: number }[];
  readonly capacity: readonly { departureId: string; laneId: string; litres: number }[];
}
