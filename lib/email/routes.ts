/**
 * Route ids of a decision (`direct:CN-STD`, `warehouse:WH-DUI`, `rail:R2-2026-11-25`,
 * `split:a+b`) resolved against the network, and named the way each reader says them.
 */
import type { Mode } from '#routing/decision.ts';
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
      readonly departureId: string;
      readonly lane?: ResolvedRailLane;
      /** Undefined when the train has left since the decision (the snapshot only keeps future ones). */
      readonly departure?: ResolvedDeparture;
      readonly warehouse?: Warehouse;
    }
  | { readonly mode: 'split'; readonly id: string; readonly parts: readonly RouteRef[] }
  /** A route id this renderer does not know: shown as it is. */
  | { readonly mode: 'unknown'; readonly id: string };

/** Resolves a route id against the network; never throws (an unknown id renders as itself). */
export function resolveRoute(routeId: string, network: NetworkSnapshot, mode?: Mode): RouteRef {
  const colon = routeId.indexOf(':');
  const kind = colon < 0 ? '' : routeId.slice(0, colon);
  const rest = colon < 0 ? routeId : routeId.slice(colon + 1);
  if (kind === 'direct' || (kind === '' && mode === 'direct-parcel')) {
    const service = network.parcelServices.find((s) => s.id === rest);
    return { mode: 'direct-parcel', id: routeId, serviceId: rest, ...(service && { service }) };
  }
  if (kind === 'warehouse' || (kind === '' && mode === 'overseas-warehouse')) {
    const warehouse = network.warehouses.find((w) => w.id === rest);
    return { mode: 'overseas-warehouse', id: routeId, warehouseId: rest, ...(warehouse && { warehouse }) };
  }
  if (kind === 'rail' || (kind === '' && mode === 'rail-to-warehouse')) {
    let lane = network.railLanes.find((l) => l.departures.some((d) => d.id === rest));
    const departure = lane?.departures.find((d) => d.id === rest);
    // A departed train is gone from the snapshot; its id `<laneId>-<date>` still names the lane.
    lane ??= network.railLanes.find((l) => l.id === rest || rest.startsWith(`${l.id}-`));
    const warehouse = lane && network.warehouses.find((w) => w.id === lane.warehouseId);
    return {
      mode: 'rail-to-warehouse',
      id: routeId,
      departureId: rest,
      ...(lane && { lane }),
      ...(departure && { departure }),
      ...(warehouse && { warehouse }),
    };
  }
  if (kind === 'split') {
    return { mode: 'split', id: routeId, parts: rest.split('+').map((part) => resolveRoute(part, network)) };
  }
  return { mode: 'unknown', id: routeId };
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

/** The Beijing date of a departure, from the snapshot or else from its id `<laneId>-<YYYY-MM-DD>`. */
export function departureDate(ref: Extract<RouteRef, { mode: 'rail-to-warehouse' }>): string | undefined {
  if (ref.departure !== undefined) {
    return beijingDate(ref.departure.departsAt);
  }
  return /(\d{4}-\d{2}-\d{2})$/.exec(ref.departureId)?.[1];
}

/** The parts of a route: itself, or each part of a split. */
export function partsOf(ref: RouteRef): readonly RouteRef[] {
  return ref.mode === 'split' ? ref.parts.flatMap(partsOf) : [ref];
}

/** The warehouse a part ships from or to (none for a direct parcel). */
export function warehouseOf(ref: RouteRef): { id: string; warehouse?: Warehouse } | undefined {
  if (ref.mode === 'overseas-warehouse') return { id: ref.warehouseId, ...(ref.warehouse && { warehouse: ref.warehouse }) };
  if (ref.mode === 'rail-to-warehouse' && ref.lane !== undefined) {
    return { id: ref.lane.warehouseId, ...(ref.warehouse && { warehouse: ref.warehouse }) };
  }
  return undefined;
}
