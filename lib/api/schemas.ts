/**
 * The API's request and response schemas, built from the contracts (CanonicalOrder, Decision).
 * They validate requests and generate GET /openapi.json: one definition, no hand-kept copy.
 */
// A namespace import lets esbuild drop what is unused (the named `z` drags in all of zod and its locales).
import * as z from 'zod';
import { CanonicalOrder } from '#network/schemas.ts';
import { Decision } from '#routing/decision.ts';

/**
 * POST /v1/quotes: a canonical order; the ids are optional (sellerId always comes from the API
 * key), and so are the marketplace, the external id and placedAt (default: now).
 */
export const QuoteRequest = CanonicalOrder.extend({
  orderId: CanonicalOrder.shape.orderId.optional(),
  sellerId: CanonicalOrder.shape.sellerId.optional(),
  marketplace: CanonicalOrder.shape.marketplace.optional(),
  externalId: CanonicalOrder.shape.externalId.optional(),
  placedAt: CanonicalOrder.shape.placedAt.optional(),
});
export type QuoteRequest = z.infer<typeof QuoteRequest>;

export const OrderStatus = z.enum(['pending', 'received', 'routed', 'unroutable', 'failed', 'cancelled']);

/** GET /v1/orders/{orderId}. */
export const OrderView = z.object({
  orderId: z.string(),
  status: OrderStatus,
  order: CanonicalOrder,
  decision: Decision.optional(),
  /** Why the order is pending or failed, in plain words. */
  note: z.string().optional(),
});
export type OrderView = z.infer<typeof OrderView>;

/** POST /v1/orders/{orderId}/reroute → 202. */
export const RerouteAccepted = z.object({ orderId: z.string(), status: z.literal('rerouting') });

/** Every error body. `details` lists failing paths for a 400. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

/** What a webhook answers with a 200. */
export const WebhookAnswer = z.union([
  z.object({ orderId: z.string(), status: z.enum(['accepted', 'duplicate', 'cancelled']) }),
  z.object({ status: z.literal('ignored'), message: z.string() }),
  z.object({ status: z.literal('ok') }),
]);

/** PUT /v1/stock: on-hand levels as the warehouse counted them, each with the time of its count. */
export const StockReport = z.object({
  reports: z
    .array(
      z.object({
        warehouseId: z.string().min(1),
        sku: z.string().min(1).max(200),
        onHand: z.number().int().min(0),
        asOf: z.iso.datetime({ offset: true }),
        safetyStock: z.number().int().min(0).optional(),
      }),
    )
    .min(1)
    .max(500),
});
export const StockReportAnswer = z.object({
  applied: z.number().int(),
  /** Reports not newer than the stored count: nothing changed for them. */
  stale: z.number().int(),
  /** Units of these SKUs held by open orders (untouched by the report). */
  reserved: z.number().int(),
  /**
   * SKUs whose count came in under what open orders hold (the shelf lost units): their available
   * reads 0 and `shortBy` units of the held orders are not on the shelf. Absent when none.
   */
  short: z
    .array(z.object({ warehouseId: z.string(), sku: z.string(), onHand: z.number().int(), reserved: z.number().int(), shortBy: z.number().int().positive() }))
    .optional(),
});

/** POST /v1/orders/{orderId}/shipments/{n}/shipped. */
export const ShipmentShipped = z.object({ trackingNumber: z.string().min(1).max(200), carrier: z.string().min(1).max(100).optional() });

/** What shipped and cancel answer. */
export const FulfilmentAnswer = z.object({ orderId: z.string(), status: z.enum(['shipped', 'already-shipped', 'cancelled', 'already-cancelled']) });

/** POST /v1/inbound: a replenishment lot on a rail departure (idempotent per lotId). */
export const InboundRequest = z.object({
  lotId: z.string().min(1).max(100),
  departureId: z.string().min(1),
  warehouseId: z.string().min(1),
  lines: z.array(z.object({ sku: z.string().min(1).max(200), qty: z.number().int().positive() })).min(1).max(200),
});
export const InboundAnswer = z.object({
  lotId: z.string(),
  status: z.enum(['booked', 'already-booked']),
  departureId: z.string(),
  litres: z.number().int(),
  /** The day the lot is stock at the warehouse: departure + transit + inbound days. */
  arrivesOn: z.string(),
});
