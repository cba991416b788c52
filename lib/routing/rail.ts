/**
 * ROUTING.md §3, "rail-to-warehouse on departure D" (lane L, its warehouse W): the goods ride
 * the consolidated container to W, then take W's last mile.
 *
 * - cost: as overseas-warehouse (warehouse.ts), with lane L's linehaul for the replenishment;
 * - feasible only if now ≤ D.cutoffAt, D has room left for the order, and the ETA (eta.ts:
 *   departure + transit + W.inboundDays + last mile) meets the deadline; the first such
 *   departure is taken;
 * - room is counted in whole litres (ADR 0010): the shipment needs ⌈Σ qty × unit cm³ / 1000⌉
 *   litres, where a unit's volume is its box in whole cm³; the snapshot gives each departure's
 *   remaining litres; reservations take exactly what the check compared;
 * - reported: under the earliest departure not yet cut off (`rail:<departureId>`, with
 *   `no-capacity` and/or `missed-deadline`), or under the lane (`rail:<laneId>`,
 *   `no-departure`) when no departure is open (ADR 0007). A missing or too-light last mile is
 *   reported as for a warehouse.
 */
import type { CompiledDeparture, CompiledLane, CompiledLastMile, CompiledNetwork, CompiledWarehouse } from './compile.ts';
import { routeIds } from './decision.ts';
import { meetsDeadline, railEtaDay } from './eta.ts';
import { fail, failDeadline, sumComps, type CtxLine, type Explain, type OrderCtx, type Part, type Quote } from './shipment.ts';
import { lastMile, leavesUnion, replenishment, warehouseComps } from './warehouse.ts';

/** A departure that is open (before cut-off), with its ETA. */
interface DepartureOption {
  readonly dep: CompiledDeparture;
  readonly etaLo: number;
  readonly etaHi: number;
}

export interface RailSource {
  readonly kind: 'rail';
  readonly mode: 'rail-to-warehouse';
  /** `rail:<laneId>`: what the candidate is called when no departure can be named. */
  readonly routeId: string;
  readonly from: string;
  readonly lane: CompiledLane;
  readonly wh: CompiledWarehouse;
  readonly lm: CompiledLastMile | undefined;
  readonly f: number;
  /** The destination lies outside the warehouse's customs union (warehouse.ts leavesUnion). */
  readonly leaves: boolean;
  /** Open departures whose ETA meets the deadline, in departure order. */
  readonly options: readonly DepartureOption[];
  /** The earliest departure not yet cut off, whatever its room or ETA. */
  readonly firstOpen: DepartureOption | undefined;
  readonly lineCosts: Float64Array;
}

/** A departure takes goods until its cut-off, inclusive (`now ≤ D.cutoffAt`). */
export function departureOpen(cutoffMs: number, nowMs: number): boolean {
  return nowMs <= cutoffMs;
}

/** Whole litres a shipment of `wholeCm3` takes in a container (rounded up, as reservations count). */
export function litresOf(wholeCm3: number): number {
  return Math.ceil(wholeCm3 / 1000);
}

export function railSource(
  net: CompiledNetwork,
  lane: CompiledLane,
  lines: readonly CtxLine[],
  report: string,
  country: string,
  nowMs: number,
  deadlineDay: number,
  origin: string,
): RailSource {
  const wh = lane.warehouse;
  const lm = wh.lastMile.get(country);
  const options: DepartureOption[] = [];
  let firstOpen: DepartureOption | undefined;
  for (const dep of lane.departures) {
    if (!departureOpen(dep.cutoffMs, nowMs)) continue;
    const option = {
      dep,
      etaLo: railEtaDay(dep.departDay, dep.transitDays, wh.inboundDays, lm?.transitMin ?? 0),
      etaHi: railEtaDay(dep.departDay, dep.transitDays, wh.inboundDays, lm?.transitMax ?? 0),
    };
    firstOpen ??= option;
    if (lm !== undefined && meetsDeadline(option.etaHi, deadlineDay)) options.push(option);
  }
  return {
    kind: 'rail',
    mode: 'rail-to-warehouse',
    routeId: routeIds.rail(lane.id),
    from: origin,
    lane,
    wh,
    lm,
    f: net.factor(wh.currency, report),
    leaves: leavesUnion(net, wh, country),
    options,
    firstOpen,
    lineCosts: replenishment(net, wh, lines, report, (sku) => sku.landed.get(lane.id)),
  };
}

/** Price `part` on the first departure of `src` that takes it, or undefined when none does. */
export function evaluateRail(ctx: OrderCtx, src: RailSource, part: Part, why: Explain | null): Quote | undefined {
  const price = lastMile(ctx, src.wh, src.lm, part, why);
  if (price === undefined && why === null) return undefined;
  const litres = litresOf(part.wholeCm3);
  let pick: DepartureOption | undefined;
  for (const o of src.options) {
    if (o.dep.remainingLitres >= litres) {
      pick = o;
      break;
    }
  }
  if (pick === undefined || price === undefined) {
    if (why === null) return undefined;
    const first = src.firstOpen;
    if (first === undefined) {
      why.routeId = src.routeId;
      fail(why, 'no-departure', { laneId: src.lane.id });
      return undefined;
    }
    why.routeId = first.dep.routeId;
    why.departureId = first.dep.id;
    if (pick === undefined) {
      const remaining = first.dep.remainingLitres;
      if (remaining < litres) {
        fail(why, 'no-capacity', { departureId: first.dep.id, laneId: src.lane.id, remainingLitres: remaining, neededLitres: litres });
      }
      // (When it has room and meets the deadline it is itself an option, so one of these holds.)
      if (src.lm !== undefined && !meetsDeadline(first.etaHi, ctx.deadlineDay)) failDeadline(why, ctx, first.etaHi);
    }
    return undefined;
  }
  const comps = warehouseComps(ctx, src, price, part, pick.etaLo);
  return {
    src,
    routeId: pick.dep.routeId,
    part,
    total: sumComps(comps),
    comps,
    etaLo: pick.etaLo,
    etaHi: pick.etaHi,
    departure: pick.dep,
  };
}
