/**
 * From validated data files to the NetworkSnapshot the routing core decides on: rail schedules
 * expanded into dated departures relative to `now`, explicit departures merged, remaining
 * capacity applied, and the cross-file references checked. Pure: no I/O, no clock.
 */
import type { Issue } from '#shared/errors.ts';
import { ValidationError } from '#shared/errors.ts';
import { dutiesIssues, type Departure, type RailLane, type RailSchedule } from './schemas.ts';
import type { NetworkFiles, NetworkSnapshot, ResolvedDeparture, ResolvedRailLane } from './types.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const WEEKDAY_INDEX = { MON: 0, TUE: 1, WED: 2, THU: 3, FRI: 4, SAT: 5, SUN: 6 } as const;

export interface BuildSnapshotOptions {
  /** Capacity still free per departure id, whole litres, e.g. after reservations; default: its capacity. */
  readonly remainingLitres?: ReadonlyMap<string, number>;
}

/** m³ as written in the data files → whole litres, the one unit of rail capacity (ADR 0010). */
export function cbmToLitres(cbm: number): number {
  return Math.round(cbm * 1000);
}

/**
 * Build the snapshot the router uses, as of `now`. Throws ValidationError when the files
 * refer to each other wrongly (see checkReferences).
 * @example buildSnapshot(files, new Date('2026-11-23T01:00:00Z')).railLanes[0].departures[0].id === 'R1-2026-11-24'
 */
export function buildSnapshot(files: NetworkFiles, now: Date, options: BuildSnapshotOptions = {}): NetworkSnapshot {
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new TypeError('buildSnapshot: now is an invalid Date');
  const issues = checkReferences(files);
  if (issues.length > 0) throw new ValidationError(issues);
  return {
    asOf: now.toISOString(),
    sellers: files.sellers,
    skus: files.skus,
    parcelServices: files.parcelServices,
    railLanes: files.railLanes.map((lane) => resolveLane(lane, nowMs, options.remainingLitres)),
    warehouses: files.warehouses,
    stock: files.stock,
    duties: files.duties,
    fx: files.fx,
  };
}

function resolveLane(
  lane: RailLane,
  nowMs: number,
  remaining: ReadonlyMap<string, number> | undefined,
): ResolvedRailLane {
  const { departures: explicit = [], schedule, ...rest } = lane;
  const offsetMin = schedule === undefined ? 0 : parseDepartureTime(schedule.departureTime).offsetMin;
  // Explicit departures win over scheduled ones on the same local date (in the schedule's offset).
  const explicitDates = new Set(explicit.map((d) => localDate(Date.parse(d.departsAt), offsetMin)));
  const scheduled = schedule === undefined ? [] : expandSchedule(lane.id, schedule, nowMs);
  const merged: Departure[] = [
    ...explicit,
    ...scheduled.filter((d) => !explicitDates.has(localDate(Date.parse(d.departsAt), offsetMin))),
  ];
  const departures: ResolvedDeparture[] = merged
    // A train that has left cannot take goods; one past its cut-off stays so the router can say why.
    .filter((d) => Date.parse(d.departsAt) > nowMs)
    .map((d) => ({
      id: d.id,
      departsAt: d.departsAt,
      cutoffAt: d.cutoffAt,
      transitDays: d.transitDays,
      laneId: lane.id,
      capacityLitres: cbmToLitres(d.capacityCbm),
      remainingLitres: Math.max(0, remaining?.get(d.id) ?? cbmToLitres(d.capacityCbm)),
    }))
    .sort((a, b) => Date.parse(a.departsAt) - Date.parse(b.departsAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...rest, departures };
}

/**
 * Departures of a weekly schedule, from the Monday of `now`'s week (in the schedule's own
 * offset) for `weeksAhead` weeks, not yet filtered for departed trains. The id is
 * `<laneId>-<YYYY-MM-DD>` with the departure's local date in that offset, i.e. the date a
 * Yiwu dispatcher reads on the timetable, which may differ from the UTC date.
 */
export function expandSchedule(laneId: string, schedule: RailSchedule, nowMs: number): Departure[] {
  const { hour, minute, offsetMin, offsetText } = parseDepartureTime(schedule.departureTime);
  const offsetMs = offsetMin * 60_000;
  const localNow = new Date(nowMs + offsetMs);
  const localMidnight = Date.UTC(localNow.getUTCFullYear(), localNow.getUTCMonth(), localNow.getUTCDate());
  const mondayMidnight = localMidnight - ((localNow.getUTCDay() + 6) % 7) * DAY_MS;
  const weekdays = [...new Set(schedule.weekdays)].map((w) => WEEKDAY_INDEX[w]).sort((a, b) => a - b);
  const out: Departure[] = [];
  for (let week = 0; week < schedule.weeksAhead; week++) {
    for (const day of weekdays) {
      // Local wall-clock time expressed as if it were UTC; subtracting the offset gives the instant.
      const localDeparture = mondayMidnight + (week * 7 + day) * DAY_MS + (hour * 60 + minute) * 60_000;
      const departsMs = localDeparture - offsetMs;
      const cutoffMs = departsMs - schedule.cutoffHoursBefore * HOUR_MS;
      out.push({
        id: `${laneId}-${localDate(departsMs, offsetMin)}`,
        departsAt: formatInOffset(departsMs, offsetMin, offsetText),
        cutoffAt: formatInOffset(cutoffMs, offsetMin, offsetText),
        transitDays: schedule.transitDays,
        capacityCbm: schedule.capacityCbm,
      });
    }
  }
  return out;
}

function parseDepartureTime(text: string): { hour: number; minute: number; offsetMin: number; offsetText: string } {
  const m = /^(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$/.exec(text);
  if (m === null) throw new TypeError(`departureTime "${text}" is not HH:MM±HH:MM`);
  const sign = m[3] === '-' ? -1 : 1;
  const offsetMin = sign * (Number(m[4]) * 60 + Number(m[5]));
  return { hour: Number(m[1]), minute: Number(m[2]), offsetMin, offsetText: `${m[3]}${m[4]}:${m[5]}` };
}

/** The calendar date (YYYY-MM-DD) of an instant at a UTC offset. */
function localDate(ms: number, offsetMin: number): string {
  return new Date(ms + offsetMin * 60_000).toISOString().slice(0, 10);
}

/** `2026-11-24T10:00:00+08:00`: the timetable's own wall-clock time, still an exact instant. */
function formatInOffset(ms: number, offsetMin: number, offsetText: string): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
  return `${local}${offsetMin === 0 ? 'Z' : offsetText}`;
}

/**
 * Cross-file checks the per-file schemas cannot make: duplicate ids, references to unknown
 * sellers / warehouses / SKUs, duties.json's checks across records (schemas.ts dutiesIssues:
 * unknown unions, overlapping low-value rows, two fees of one name in force at once), and an
 * FX rate for every currency in use (low-value thresholds included). Returns every issue.
 * Deliberately not checked: a seller whose origin no service or lane serves, a country without
 * duty rules or without last mile — legal data whose orders the router reports as unroutable.
 */
export function checkReferences(files: NetworkFiles): Issue[] {
  const issues: Issue[] = [];
  const add = (file: string, path: string, message: string) => issues.push({ file, path, message });

  const sellerIds = uniqueIds(files.sellers, (s) => s.id, 'sellers.json', 'id', 'seller id', add);
  uniqueIds(files.parcelServices, (s) => s.id, 'parcel-services.json', 'id', 'parcel service id', add);
  uniqueIds(files.railLanes, (l) => l.id, 'rail-lanes.json', 'id', 'rail lane id', add);
  const warehouseIds = uniqueIds(files.warehouses, (w) => w.id, 'warehouses.json', 'id', 'warehouse id', add);

  const skuKeys = new Set<string>();
  files.skus.forEach((s, i) => {
    if (!sellerIds.has(s.sellerId)) add('skus.json', `[${i}].sellerId`, `unknown seller "${s.sellerId}" (not in sellers.json)`);
    const key = `${s.sellerId}\u0000${s.sku}`;
    if (skuKeys.has(key)) add('skus.json', `[${i}].sku`, `duplicate SKU "${s.sku}" for seller "${s.sellerId}"`);
    skuKeys.add(key);
  });

  const departureIds = new Set<string>();
  files.railLanes.forEach((l, i) => {
    if (!warehouseIds.has(l.warehouseId)) {
      add('rail-lanes.json', `[${i}].warehouseId`, `unknown warehouse "${l.warehouseId}" (not in warehouses.json)`);
    }
    (l.departures ?? []).forEach((d, k) => {
      if (departureIds.has(d.id)) add('rail-lanes.json', `[${i}].departures[${k}].id`, `duplicate departure id "${d.id}"`);
      departureIds.add(d.id);
    });
  });

  const stockKeys = new Set<string>();
  files.stock.forEach((r, i) => {
    const at = `[${i}]`;
    if (!sellerIds.has(r.sellerId)) add('stock.json', `${at}.sellerId`, `unknown seller "${r.sellerId}" (not in sellers.json)`);
    if (!warehouseIds.has(r.warehouseId)) {
      add('stock.json', `${at}.warehouseId`, `unknown warehouse "${r.warehouseId}" (not in warehouses.json)`);
    }
    if (sellerIds.has(r.sellerId) && !skuKeys.has(`${r.sellerId}\u0000${r.sku}`)) {
      add('stock.json', `${at}.sku`, `unknown SKU "${r.sku}" for seller "${r.sellerId}" (not in skus.json)`);
    }
    const key = `${r.sellerId}\u0000${r.warehouseId}\u0000${r.sku}`;
    if (stockKeys.has(key)) add('stock.json', `${at}`, `duplicate stock record for ${r.sellerId} / ${r.warehouseId} / ${r.sku}`);
    stockKeys.add(key);
  });

  for (const { path, message } of dutiesIssues(files.duties)) add('duties.json', path, message);

  // Every amount is converted through fx.json; a currency without a rate would fail mid-decision.
  const known = new Set([files.fx.base, ...Object.keys(files.fx.rates)]);
  const needFx = (file: string, path: string, currency: string) => {
    if (!known.has(currency)) add(file, path, `no FX rate for "${currency}" in fx.json`);
  };
  files.sellers.forEach((s, i) => needFx('sellers.json', `[${i}].reportCurrency`, s.reportCurrency));
  files.skus.forEach((s, i) => needFx('skus.json', `[${i}].customsValue.currency`, s.customsValue.currency));
  files.skus.forEach((s, i) => {
    if (s.retailPrice !== undefined) needFx('skus.json', `[${i}].retailPrice.currency`, s.retailPrice.currency);
  });
  for (const [union, u] of Object.entries(files.duties.unions)) {
    u.lowValue.forEach((row, i) => needFx('duties.json', `unions.${union}.lowValue[${i}].threshold.currency`, row.threshold.currency));
  }
  files.parcelServices.forEach((s, i) => needFx('parcel-services.json', `[${i}].currency`, s.currency));
  files.railLanes.forEach((l, i) => needFx('rail-lanes.json', `[${i}].currency`, l.currency));
  files.warehouses.forEach((w, i) => needFx('warehouses.json', `[${i}].currency`, w.currency));
  return issues;
}

function uniqueIds<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  file: string,
  field: string,
  what: string,
  add: (file: string, path: string, message: string) => void,
): Set<string> {
  const firstAt = new Map<string, number>();
  items.forEach((item, i) => {
    const id = idOf(item);
    const first = firstAt.get(id);
    if (first === undefined) firstAt.set(id, i);
    else add(file, `[${i}].${field}`, `duplicate ${what} "${id}" (first at [${first}])`);
  });
  return new Set(firstAt.keys());
}
