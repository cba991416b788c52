/**
 * ROUTING.md §6 (the network data) made ready for §3 (the cost model): the snapshot compiled
 * once into indexed structures for the router — Maps by id, prices in integer minor units
 * (prices per quantity exact, see rateToMinor), dates as UTC day numbers, volumes in exact and
 * whole cm³, capacity in whole litres, and per-SKU replenishment costs per rail lane
 * precomputed (warehouse.ts's `unitLanded`). Cached per snapshot object (a WeakMap), so routing many orders against
 * one snapshot pays for this once — which is why a snapshot must not be changed after its first
 * use (build a new one instead, as buildSnapshot does). Pure: no I/O, no clock.
 */
import type { Duties, Fee, ParcelService, Seller, Sku, Warehouse } from '#network/schemas.ts';
import type { NetworkSnapshot, ResolvedRailLane } from '#network/types.ts';
import { routeIds } from './decision.ts';
import { dayOf } from './eta.ts';
import { fxFactor, rateToMinor, toMinor } from './money.ts';
import { tariffRateLookup } from './import-rules.ts';
import { BASE_COMPONENTS, C } from './shipment.ts';
import { stockKey, unitLanded } from './warehouse.ts';

export const BATTERY_CONTAINED = 1;
export const BATTERY_STANDALONE = 2;

export interface CompiledSku {
  readonly sku: string;
  readonly hs6: string;
  readonly weightG: number;
  /** Box volume l×w×h of one unit, cm³ (exact: for prices). */
  readonly cm3: number;
  /** The same volume in whole cm³ (nearest): what rail capacity counts (ADR 0010). */
  readonly wholeCm3: number;
  readonly longestCm: number;
  readonly sumSidesCm: number;
  /** BATTERY_CONTAINED | BATTERY_STANDALONE bit, 0 for none. */
  readonly battery: number;
  /** Customs value of one unit in EUR minor units, exact (unrounded): the bulk customs value. */
  readonly valueEur: number;
  /** The unit's intrinsic value for a parcel when the order line has no unitPrice: retailPrice, else customsValue (EUR minor, exact). */
  readonly saleEur: number;
  /** Tariff rate of the SKU's HS code in each customs union, by union index (longest prefix, else the default). */
  readonly tariffRates: Float64Array;
  /** Replenishment of one unit per rail lane from the seller's origin, by lane id. */
  readonly landed: ReadonlyMap<string, UnitLanded>;
  /** The lane each warehouse is replenished by for this SKU (cheapest landed cost), by warehouse id. */
  readonly cheapestLane: ReadonlyMap<string, UnitLanded>;
}

/** Replenishment cost of one unit on one lane: linehaul in the lane's currency, bulk duty in EUR. */
export interface UnitLanded {
  readonly laneId: string;
  readonly currency: string;
  /** perCbm × max(unit m³, unit kg / kgPerCbm), lane-currency minor units, exact. */
  readonly linehaul: number;
  /** rate × (customs value + customsFreightShare × linehaul), EUR minor units, exact. */
  readonly bulkDutyEur: number;
}

export interface CompiledRate {
  /** The country of import: the rate's entryCountry, else the destination. */
  readonly importCode: string;
  /** Its import rules (for its fees), undefined when it has none. */
  readonly importCountry: CompiledCountry | undefined;
  readonly perParcel: number;
  readonly perKg: number;
  readonly minCharge: number;
  readonly transitMin: number;
  readonly transitMax: number;
}

export interface CompiledService {
  readonly id: string;
  readonly routeId: string;
  readonly currency: string;
  readonly divisor: number | null;
  readonly minChargeableG: number;
  readonly weightStepG: number;
  readonly maxWeightG: number;
  readonly maxLongestCm: number;
  readonly maxSumSidesCm: number;
  readonly handlingDays: number;
  readonly postal: boolean;
  /** Service currency → EUR minor units (the freight in a parcel's CIF value). */
  readonly fEur: number;
  readonly containedAllowed: boolean;
  readonly containedSurcharge: number;
  readonly standaloneAllowed: boolean;
  readonly standaloneSurcharge: number;
  readonly rates: ReadonlyMap<string, CompiledRate>;
}

export interface CompiledLastMile {
  readonly transitMin: number;
  readonly transitMax: number;
  /** Ascending by maxWeightG; price in the warehouse's minor units. */
  readonly bands: readonly { readonly maxWeightG: number; readonly price: number }[];
}

export interface CompiledWarehouse {
  readonly id: string;
  readonly routeId: string;
  readonly currency: string;
  readonly processingDays: number;
  readonly inboundDays: number;
  readonly inboundPerUnit: number;
  /** storagePerCbmDay × expectedDwellDays, minor units per m³. */
  readonly storagePerCbm: number;
  readonly pickPackFirst: number;
  readonly pickPackExtra: number;
  readonly packaging: number;
  readonly lastMile: ReadonlyMap<string, CompiledLastMile>;
  /** The customs union of the warehouse's country (bulk duty; a shipment to another union imports). */
  readonly union: CompiledUnion | undefined;
  /** Warehouse currency → EUR minor units (the last mile in the CIF value of an import). */
  readonly fEur: number;
}

export interface CompiledDeparture {
  readonly id: string;
  /** `rail:<id>`: the route id of a shipment on this departure. */
  readonly routeId: string;
  readonly laneId: string;
  readonly cutoffMs: number;
  readonly departDay: number;
  readonly transitDays: number;
  /** Whole litres still free, as the snapshot gives them (ADR 0010). */
  readonly remainingLitres: number;
}

export interface CompiledLane {
  readonly id: string;
  readonly origin: string;
  readonly warehouse: CompiledWarehouse;
  readonly currency: string;
  readonly perCbm: number;
  readonly kgPerCbm: number;
  readonly customsFreightShare: number;
  /** Sorted by departure time (as the snapshot gives them). */
  readonly departures: readonly CompiledDeparture[];
}

/** A low-value row of a union (`[fromDay, untilDay)` UTC day numbers). */
export interface CompiledRow {
  readonly fromDay: number;
  readonly untilDay: number;
  /** The threshold in EUR minor units (converted at fx.json once). */
  readonly thresholdEur: number;
  /** Scope `all` (else `ioss-or-postal`). */
  readonly all: boolean;
  /** EUR minor per tariff line, or -1 for `"tariff"`. */
  readonly perTariffLineEur: number;
}

/** A fee of a union or a country, with the cost component slot it is added to. */
export interface CompiledFee {
  readonly name: string;
  readonly slot: number;
  readonly amountEur: number;
  readonly perTariffLine: boolean;
  readonly fromDay: number;
  readonly untilDay: number;
  readonly lowValueOnly: boolean;
}

export interface CompiledUnion {
  readonly id: string;
  /** Index into CompiledSku.tariffRates. */
  readonly index: number;
  /** Sorted by fromDay; they do not overlap (schema). */
  readonly rows: readonly CompiledRow[];
  readonly fees: readonly CompiledFee[];
}

export interface CompiledCountry {
  readonly code: string;
  readonly union: CompiledUnion;
  readonly vatRate: number;
  readonly vatOnDuty: boolean;
  /** EUR minor units. */
  readonly brokerageEur: number;
  /** The country's own fees, charged when it is the country of import. */
  readonly fees: readonly CompiledFee[];
}

export interface CompiledNetwork {
  readonly snapshot: NetworkSnapshot;
  readonly sellers: ReadonlyMap<string, Seller>;
  /** By seller id, then SKU. */
  readonly skus: ReadonlyMap<string, ReadonlyMap<string, CompiledSku>>;
  readonly servicesByOrigin: ReadonlyMap<string, readonly CompiledService[]>;
  /** Sorted by id. */
  readonly warehouses: readonly CompiledWarehouse[];
  readonly lanesByOrigin: ReadonlyMap<string, readonly CompiledLane[]>;
  readonly departures: ReadonlyMap<string, CompiledDeparture>;
  /** Key `${sellerId}\0${warehouseId}\0${sku}`. */
  readonly stock: ReadonlyMap<string, number>;
  /** Same key: the inbound lots with units left, earliest arrival first (then lot id). */
  readonly inbound: ReadonlyMap<string, readonly CompiledLot[]>;
  /** Countries with import rules, by ISO code. */
  readonly countries: ReadonlyMap<string, CompiledCountry>;
  readonly unions: readonly CompiledUnion[];
  /** Cost component names by slot: the base components (shipment.ts C), then one per fee name. */
  readonly componentNames: readonly string[];
  /** The slots in the order a decision lists components (ROUTING.md §5: fees after brokerage). */
  readonly componentOrder: readonly number[];
  /** Multiplier from one currency's minor units to another's (memoised). */
  factor(from: string, to: string): number;
}

/** An inbound lot's offer of one SKU (ADR 0032). */
export interface CompiledLot {
  readonly lotId: string;
  readonly remaining: number;
  readonly arrivesDay: number;
  readonly arrivesOn: string;
}

const cache = new WeakMap<NetworkSnapshot, CompiledNetwork>();

/** The compiled form of a snapshot, built on first use and cached for that snapshot object. */
export function compile(snapshot: NetworkSnapshot): CompiledNetwork {
  let compiled = cache.get(snapshot);
  if (compiled === undefined) {
    compiled = build(snapshot);
    cache.set(snapshot, compiled);
  }
  return compiled;
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function build(snapshot: NetworkSnapshot): CompiledNetwork {
  const fx = snapshot.fx;
  const factors = new Map<string, number>();
  const factor = (from: string, to: string): number => {
    const key = `${from}>${to}`;
    let f = factors.get(key);
    if (f === undefined) {
      f = fxFactor(fx, from, to);
      factors.set(key, f);
    }
    return f;
  };

  const { countries, unions, componentNames, componentOrder } = compileDuties(snapshot.duties, factor);
  const warehouses = snapshot.warehouses.map((w) => compileWarehouse(w, countries.get(w.country)?.union, factor(w.currency, 'EUR'))).sort(byId);
  const warehouseById = new Map(warehouses.map((w) => [w.id, w]));

  const servicesByOrigin = new Map<string, CompiledService[]>();
  for (const s of [...snapshot.parcelServices].sort(byId)) {
    const list = servicesByOrigin.get(s.origin) ?? [];
    list.push(compileService(s, countries, factor(s.currency, 'EUR')));
    servicesByOrigin.set(s.origin, list);
  }

  const lanesByOrigin = new Map<string, CompiledLane[]>();
  const departures = new Map<string, CompiledDeparture>();
  for (const lane of [...snapshot.railLanes].sort(byId)) {
    const warehouse = warehouseById.get(lane.warehouseId);
    // The snapshot builder rejects unknown warehouses; a lane without one could not deliver anyway.
    if (warehouse === undefined) continue;
    const compiled = compileLane(lane, warehouse);
    for (const d of compiled.departures) departures.set(d.id, d);
    const list = lanesByOrigin.get(lane.origin) ?? [];
    list.push(compiled);
    lanesByOrigin.set(lane.origin, list);
  }

  const sellers = new Map(snapshot.sellers.map((s) => [s.id, s]));
  const rateOf = unions.map((u) => tariffRateLookup(snapshot.duties.unions[u.id]!));
  const skus = new Map<string, Map<string, CompiledSku>>();
  for (const sku of snapshot.skus) {
    const seller = sellers.get(sku.sellerId);
    const lanes = seller === undefined ? [] : (lanesByOrigin.get(seller.origin) ?? []);
    const bySku = skus.get(sku.sellerId) ?? new Map<string, CompiledSku>();
    const tariffRates = Float64Array.from(rateOf, (rate) => rate(sku.hsCode));
    bySku.set(sku.sku, compileSku(sku, tariffRates, lanes, factor));
    skus.set(sku.sellerId, bySku);
  }

  const stock = new Map<string, number>();
  for (const r of snapshot.stock) stock.set(stockKey(r.sellerId, r.warehouseId, r.sku), r.available);

  const inbound = new Map<string, CompiledLot[]>();
  for (const r of snapshot.inbound ?? []) {
    if (r.remaining <= 0) continue;
    const key = stockKey(r.sellerId, r.warehouseId, r.sku);
    const list = inbound.get(key) ?? [];
    list.push({ lotId: r.lotId, remaining: r.remaining, arrivesDay: dayOf(Date.parse(r.arrivesOn)), arrivesOn: r.arrivesOn });
    inbound.set(key, list);
  }
  for (const list of inbound.values()) list.sort((a, b) => a.arrivesDay - b.arrivesDay || (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0));

  return { snapshot, sellers, skus, servicesByOrigin, warehouses, lanesByOrigin, departures, stock, inbound, countries, unions, componentNames, componentOrder, factor };
}

const NO_END = Infinity;
const dayOrNone = (date: string | undefined, none: number): number => (date === undefined ? none : dayOf(Date.parse(date)));

/**
 * duties.json v2 compiled: unions (rows sorted, thresholds in EUR minor units), countries with
 * their union, and one cost component slot per distinct fee name (after the base components).
 */
function compileDuties(
  duties: Duties,
  factor: (from: string, to: string) => number,
): { countries: Map<string, CompiledCountry>; unions: CompiledUnion[]; componentNames: string[]; componentOrder: number[] } {
  const componentNames: string[] = [...BASE_COMPONENTS];
  const slots = new Map<string, number>();
  const slotOf = (name: string): number => {
    let slot = slots.get(name);
    if (slot === undefined) {
      slot = componentNames.length;
      componentNames.push(name);
      slots.set(name, slot);
    }
    return slot;
  };
  const fee = (f: Fee): CompiledFee => ({
    name: f.name,
    slot: slotOf(f.name),
    amountEur: toMinor(f.amountEur, 'EUR'),
    perTariffLine: f.per === 'tariff-line',
    fromDay: dayOrNone(f.from, -Infinity),
    untilDay: dayOrNone(f.until, NO_END),
    lowValueOnly: f.lowValueOnly === true,
  });
  const unionIds = Object.keys(duties.unions).sort();
  const unions: CompiledUnion[] = unionIds.map((id, index) => {
    const u = duties.unions[id]!;
    const rows = u.lowValue
      .map((r): CompiledRow => ({
        fromDay: dayOf(Date.parse(r.from)),
        untilDay: dayOrNone(r.until, NO_END),
        thresholdEur: toMinor(r.threshold.amount, r.threshold.currency) * factor(r.threshold.currency, 'EUR'),
        all: r.scope === 'all',
        perTariffLineEur: r.duty === 'tariff' ? -1 : toMinor(r.duty.perTariffLine, 'EUR'),
      }))
      .sort((a, b) => a.fromDay - b.fromDay);
    return { id, index, rows, fees: (u.fees ?? []).map(fee) };
  });
  const unionById = new Map(unions.map((u) => [u.id, u]));
  const countries = new Map<string, CompiledCountry>();
  for (const code of Object.keys(duties.countries).sort()) {
    const c = duties.countries[code]!;
    const union = unionById.get(c.union);
    // The schema rejects a country of an unknown union.
    if (union === undefined) continue;
    countries.set(code, { code, union, vatRate: c.vatRate, vatOnDuty: c.vatOnDuty, brokerageEur: toMinor(c.brokerageFeeEur, 'EUR'), fees: (c.fees ?? []).map(fee) });
  }
  // Fees are listed after brokerage, in the order their names first appear (unions by id, then countries by code).
  const fees = componentNames.map((_, i) => i).slice(BASE_COMPONENTS.length);
  const componentOrder = [C.FREIGHT, C.BATTERY, C.DUTY, C.VAT_ON_DUTY, C.BROKERAGE, ...fees, C.PICK_PACK, C.PACKAGING, C.LAST_MILE, C.LINEHAUL, C.BULK_DUTY, C.INBOUND, C.STORAGE];
  return { countries, unions, componentNames, componentOrder };
}

function compileService(s: ParcelService, countries: ReadonlyMap<string, CompiledCountry>, fEur: number): CompiledService {
  const cur = s.currency;
  const rates = new Map<string, CompiledRate>();
  for (const [country, r] of Object.entries(s.rates)) {
    rates.set(country, {
      importCode: r.entryCountry ?? country,
      importCountry: countries.get(r.entryCountry ?? country),
      perParcel: toMinor(r.perParcel, cur),
      perKg: rateToMinor(r.perKg, cur),
      minCharge: toMinor(r.minCharge ?? 0, cur),
      transitMin: r.transitDays[0],
      transitMax: r.transitDays[1],
    });
  }
  return {
    id: s.id,
    routeId: routeIds.direct(s.id),
    currency: cur,
    divisor: s.volumetricDivisor,
    minChargeableG: s.minChargeableG,
    weightStepG: s.weightStepG,
    maxWeightG: s.maxWeightG,
    maxLongestCm: s.maxLongestSideCm ?? Infinity,
    maxSumSidesCm: s.maxSumOfSidesCm ?? Infinity,
    handlingDays: s.handlingDays,
    postal: s.postal === true,
    fEur,
    containedAllowed: s.battery.contained.allowed,
    containedSurcharge: toMinor(s.battery.contained.surchargePerParcel ?? 0, cur),
    standaloneAllowed: s.battery.standalone.allowed,
    standaloneSurcharge: toMinor(s.battery.standalone.surchargePerParcel ?? 0, cur),
    rates,
  };
}

function compileWarehouse(w: Warehouse, union: CompiledUnion | undefined, fEur: number): CompiledWarehouse {
  const cur = w.currency;
  const lastMile = new Map<string, CompiledLastMile>();
  for (const [country, lm] of Object.entries(w.lastMile)) {
    lastMile.set(country, {
      transitMin: lm.transitDays[0],
      transitMax: lm.transitDays[1],
      bands: lm.bands.map((b) => ({ maxWeightG: b.maxWeightG, price: toMinor(b.price, cur) })),
    });
  }
  return {
    id: w.id,
    routeId: routeIds.warehouse(w.id),
    currency: cur,
    processingDays: w.processingDays,
    inboundDays: w.inboundDays,
    inboundPerUnit: rateToMinor(w.fees.inboundPerUnit, cur),
    storagePerCbm: rateToMinor(w.fees.storagePerCbmDay, cur) * w.fees.expectedDwellDays,
    pickPackFirst: toMinor(w.fees.pickPackFirstItem, cur),
    pickPackExtra: rateToMinor(w.fees.pickPackExtraItem, cur),
    packaging: toMinor(w.fees.packaging, cur),
    lastMile,
    union,
    fEur,
  };
}

function compileLane(lane: ResolvedRailLane, warehouse: CompiledWarehouse): CompiledLane {
  return {
    id: lane.id,
    origin: lane.origin,
    warehouse,
    currency: lane.currency,
    perCbm: rateToMinor(lane.perCbm, lane.currency),
    kgPerCbm: lane.kgPerCbm,
    customsFreightShare: lane.customsFreightShare,
    departures: lane.departures.map((d) => {
      const departsMs = Date.parse(d.departsAt);
      return {
        id: d.id,
        routeId: routeIds.rail(d.id),
        laneId: lane.id,
        cutoffMs: Date.parse(d.cutoffAt),
        departDay: dayOf(departsMs),
        transitDays: d.transitDays,
        remainingLitres: d.remainingLitres,
      };
    }),
  };
}

function compileSku(
  sku: Sku,
  tariffRates: Float64Array,
  lanes: readonly CompiledLane[],
  factor: (from: string, to: string) => number,
): CompiledSku {
  const [l, w, h] = sku.dimsCm as [number, number, number];
  const cm3 = l * w * h;
  const valueEur = toMinor(sku.customsValue.amount, sku.customsValue.currency) * factor(sku.customsValue.currency, 'EUR');
  const sale = sku.retailPrice;
  const saleEur = sale === undefined ? valueEur : toMinor(sale.amount, sale.currency) * factor(sale.currency, 'EUR');
  const landed = new Map<string, UnitLanded>();
  const cheapestLane = new Map<string, UnitLanded>();
  const cheapestEur = new Map<string, number>();
  for (const lane of lanes) {
    // Bulk duty at the tariff of the warehouse's union; a warehouse outside every union pays none.
    const union = lane.warehouse.union;
    const bulkRate = union === undefined ? 0 : tariffRates[union.index]!;
    const unit = unitLanded(lane, { cm3, weightG: sku.weightG, valueEur, bulkRate }, factor(lane.currency, 'EUR'));
    landed.set(lane.id, unit);
    // Lanes come sorted by id, so on a tie the first (lowest id) stays.
    const whId = lane.warehouse.id;
    const best = cheapestEur.get(whId);
    if (best === undefined || unit.eur < best - 1e-9) {
      cheapestEur.set(whId, unit.eur);
      cheapestLane.set(whId, unit);
    }
  }
  return {
    sku: sku.sku,
    hs6: sku.hsCode.slice(0, 6),
    weightG: sku.weightG,
    cm3,
    wholeCm3: Math.round(cm3),
    longestCm: Math.max(l, w, h),
    // 32.2 + 32.1 + 25.7 is 90.00000000000001 in binary floats: snap the noise away so a box
    // of exactly the carrier's limit is accepted, and messages print 90, not 90.00000000000001.
    sumSidesCm: Math.round((l + w + h) * 1e9) / 1e9,
    battery: sku.battery === 'contained' ? BATTERY_CONTAINED : sku.battery === 'standalone' ? BATTERY_STANDALONE : 0,
    valueEur,
    saleEur,
    tariffRates,
    landed,
    cheapestLane,
  };
}
