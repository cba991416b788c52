/**
 * The routes of a decision (shipments, candidates, a split's parts) resolved against the
 * network by the ids the decision carries (`serviceId`, `warehouseId`, `laneId`,
 * `departureId`), and named the way each reader says them. No route id is parsed here: an old
 * decision without ids gets them from lib/routing/decision.ts, which owns the id grammar.
 */
import { partsOf as partsOfRoute, targetOf, type Reason, type RoutePart } from '#routing/decision.ts';
import type { ParcelService, Warehouse } from '#network/schemas.ts';
import type { NetworkSnapshot, ResolvedDeparture, ResolvedRailLane } from '#network/types.ts';
import { beijingDate } from './format.ts';
import { type Language, zhNames } from './labels.ts';

export type RouteRef =
  | { readonly mode: 'direct-parcel'; readonly id: string; readonly serviceId: string; readonly service?: ParcelService }
  | { readonly mode: 'overseas-warehouse'; readonly id: string; readonly warehouseId: string; readonly warehouse?: Warehouse }
  | {
      readonly mode: 'rail-to-warehouse';
      readonly id: string;
      /** The departure's id, else the lane's (a lane with no departure to name). */
      readonly departureId: string;
      readonly lane?: ResolvedRailLane;
      /** Undefined when the train has left since the decision (the snapshot only keeps future ones). */
      readonly departure?: ResolvedDeparture;
      readonly warehouseId?: string;
      readonly warehouse?: Warehouse;
    }
  | { readonly mode: 'split'; readonly id: string; readonly parts: readonly RouteRef[] }
  /** A route this renderer cannot name (no ids): shown by its route id. */
  | { readonly mode: 'unknown'; readonly id: string };

/** What a route entry of a decision may carry: a shipment, a candidate, a split's part. */
export type RouteEntry = RoutePart & { readonly parts?: readonly RoutePart[] | undefined; readonly reasons?: readonly Reason[] | undefined };

/** Resolves a decision's route against the network by its ids; never throws (an unknown one renders as its id). */
export function resolveRoute(entry: RouteEntry, network: NetworkSnapshot): RouteRef {
  if (entry.mode === 'split') {
    return { mode: 'split', id: entry.routeId, parts: partsOfRoute(entry).map((part) => resolveRoute(part, network)) };
  }
  const t = targetOf(entry);
  if (t.mode === 'direct-parcel' && t.serviceId !== undefined) {
    const service = network.parcelServices.find((s) => s.id === t.serviceId);
    return { mode: 'direct-parcel', id: t.routeId, serviceId: t.serviceId, ...(service && { service }) };
  }
  if (t.mode === 'overseas-warehouse' && t.warehouseId !== undefined) {
    const warehouse = network.warehouses.find((w) => w.id === t.warehouseId);
    return { mode: 'overseas-warehouse', id: t.routeId, warehouseId: t.warehouseId, ...(warehouse && { warehouse }) };
  }
  if (t.mode === 'rail-to-warehouse' && (t.departureId !== undefined || t.laneId !== undefined)) {
    const lane =
      (t.laneId === undefined ? undefined : network.railLanes.find((l) => l.id === t.laneId)) ??
      network.railLanes.find((l) => l.departures.some((d) => d.id === t.departureId));
    const departure = t.departureId === undefined ? undefined : lane?.departures.find((d) => d.id === t.departureId);
    const warehouseId = t.warehouseId ?? lane?.warehouseId;
    const warehouse = warehouseId === undefined ? undefined : network.warehouses.find((w) => w.id === warehouseId);
    return {
      mode: 'rail-to-warehouse',
      id: t.routeId,
      departureId: t.departureId ?? t.laneId!,
      ...(lane && { lane }),
      ...(departure && { departure }),
      ...(warehouseId !== undefined && { warehouseId }),
      ...(warehouse && { warehouse }),
    };
  }
  return { mode: 'unknown', id: entry.routeId };
}

/**
 * "China Post ePacket" / "中国邮政 ePacket", "Cainiao Standard" / "菜鸟 Cainiao Standard": a zh
 * reader gets the carrier's Chinese name in front, and the product name stays as the carrier
 * prints it on the label.
 */
export function serviceName(service: ParcelService, language: Language): string {
  const name = service.name.toLowerCase().includes(service.carrier.toLowerCase())
    ? service.name
    : `${service.carrier} ${service.name}`;
  if (language === 'en') return name;
  const carrierZh = zhNames(service.carrier);
  if (carrierZh === service.carrier) return name;
  return `${carrierZh} ${service.name}`;
}

/**
 * "Duisburg warehouse" / "杜伊斯堡海外仓". `short` drops a trailing note such as "(logport)" for
 * subject lines and running sentences; the full name stays in the detail rows.
 */
export function warehouseName(warehouse: Warehouse | undefined, id: string, language: Language, options: { short?: boolean } = {}): string {
  if (warehouse === undefined) return id;
  let name = warehouse.name.trim();
  if (options.short === true) name = name.replace(/\s*[（(][^()（）]*[)）]\s*$/, '') || name;
  if (language === 'en') return /warehouse/i.test(name) ? name : `${name} warehouse`;
  const zh = zhNames(name);
  if (/仓/.test(zh)) return zh;
  // "Madrid overseas warehouse (Coslada)" → "马德里海外仓 (Coslada)"
  const replaced = zh.replace(/\s*(overseas\s+)?warehouse\b\s*/i, '海外仓 ').trim();
  return replaced.includes('海外仓') ? replaced : `${zh}海外仓`;
}

/**
 * "Yixin'ou Yiwu → Madrid" / "义新欧班列（义乌 → 马德里）": Yiwu's lines are the 义新欧, every
 * other China–Europe line is a 中欧班列.
 */
export function laneName(lane: ResolvedRailLane | undefined, fallbackId: string, language: Language): string {
  if (lane === undefined) return fallbackId;
  if (language === 'en') return lane.name;
  const zh = zhNames(lane.name);
  if (zh.includes('班列')) return zh;
  const prefix = zh.includes('义新欧') || lane.origin === 'CN-YIW' ? '义新欧班列' : '中欧班列';
  const rest = zh.replace('义新欧', '').trim();
  return rest === '' ? prefix : `${prefix}（${rest}）`;
}

/** The Beijing date of a departure, when the snapshot still has it (a train that has left is gone). */
export function departureDate(ref: Extract<RouteRef, { mode: 'rail-to-warehouse' }>): string | undefined {
  return ref.departure === undefined ? undefined : beijingDate(ref.departure.departsAt);
}

/** The parts of a route: itself, or each part of a split. */
export function partsOf(ref: RouteRef): readonly RouteRef[] {
  return ref.mode === 'split' ? ref.parts.flatMap(partsOf) : [ref];
}

/** The warehouse a part ships from or to (none for a direct parcel). */
export function warehouseOf(ref: RouteRef): { id: string; warehouse?: Warehouse } | undefined {
  if (ref.mode === 'overseas-warehouse') return { id: ref.warehouseId, ...(ref.warehouse && { warehouse: ref.warehouse }) };
  if (ref.mode === 'rail-to-warehouse' && ref.warehouseId !== undefined) {
    return { id: ref.warehouseId, ...(ref.warehouse && { warehouse: ref.warehouse }) };
  }
  return undefined;
}

/**
 * Integrators whose products go door to door by air as express: a Chinese manager calls them
 * 国际快递, not 直发小包 (a postal or line parcel). Their e-commerce parcel products stay parcels.
 */
const EXPRESS_CARRIERS = ['dhl', 'fedex', 'ups', 'tnt', 'aramex', 'sf express', '顺丰'];

/** Whether a parcel service is international express (DHL Express Worldwide) rather than a parcel (ePacket). */
export function isExpress(service: ParcelService | undefined): boolean {
  if (service === undefined) return false;
  const carrier = service.carrier.trim().toLowerCase();
  return EXPRESS_CARRIERS.includes(carrier) && !/e-?commerce|packet|paket|parcel/i.test(service.name);
}

/** What a direct route is called: 直发小包 / Direct parcel, or 国际快递 / International express. */
export function directKind(service: ParcelService | undefined, language: Language): string {
  if (isExpress(service)) return language === 'zh-CN' ? '国际快递' : 'International express';
  return language === 'zh-CN' ? '直发小包' : 'Direct parcel';
}
