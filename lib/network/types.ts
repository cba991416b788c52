/**
 * The network snapshot: everything the routing core needs to decide, as of one moment.
 * Built by `buildSnapshot` (lib/network/snapshot.ts) from validated data files — whether
 * they came from a directory (CLI) or from DynamoDB (lib/store). Immutable by convention.
 */
import type {
  Departure,
  Duties,
  Fx,
  ParcelService,
  RailLane,
  Seller,
  Sku,
  StockRecord,
  Warehouse,
} from './schemas.ts';

/**
 * A concrete departure of a lane: explicit, or expanded from the lane's schedule. Capacity is
 * in whole litres from here on (ADR 0010): the data files write m³ for people, the snapshot
 * converts once (`cbmToLitres`), and the router, the store and the email count litres.
 */
export interface ResolvedDeparture extends Omit<Departure, 'capacityCbm'> {
  readonly laneId: string;
  /** The departure's capacity, whole litres. */
  readonly capacityLitres: number;
  /** Capacity still free, whole litres (equals capacityLitres until reservations are taken). */
  readonly remainingLitres: number;
}

export interface ResolvedRailLane extends Omit<RailLane, 'departures' | 'schedule'> {
  /** Departures sorted by departsAt, explicit ones winning over scheduled ones on the same date. */
  readonly departures: readonly ResolvedDeparture[];
}

export interface NetworkSnapshot {
  /** The `now` the schedules were expanded against (ISO-8601). */
  readonly asOf: string;
  readonly sellers: readonly Seller[];
  readonly skus: readonly Sku[];
  readonly parcelServices: readonly ParcelService[];
  readonly railLanes: readonly ResolvedRailLane[];
  readonly warehouses: readonly Warehouse[];
  readonly stock: readonly StockRecord[];
  /** Units on the way to a warehouse not yet promised (issue 12 item 3, ADR 0032); absent = none. */
  readonly inbound?: readonly InboundSupply[];
  readonly duties: Duties;
  readonly fx: Fx;
}

/** What one inbound lot still offers of one SKU: units not yet promised, and the day it is stock. */
export interface InboundSupply {
  readonly sellerId: string;
  readonly warehouseId: string;
  readonly sku: string;
  readonly lotId: string;
  readonly remaining: number;
  /** YYYY-MM-DD (UTC): departure + transit + the warehouse's inbound days. */
  readonly arrivesOn: string;
}

/** The validated contents of a data directory (ROUTING.md §6), before schedule expansion. */
export interface NetworkFiles {
  readonly sellers: readonly Seller[];
  readonly skus: readonly Sku[];
  readonly parcelServices: readonly ParcelService[];
  readonly railLanes: readonly RailLane[];
  readonly warehouses: readonly Warehouse[];
  readonly stock: readonly StockRecord[];
  readonly duties: Duties;
  readonly fx: Fx;
}
