/**
 * The sources an order can ship by (ROUTING.md §3): every parcel service from the seller's
 * origin, every rail lane from the origin, every warehouse — built once per order with what
 * does not depend on how the lines are divided — and the dispatch of a shipment to its rule
 * file (direct-parcel.ts, warehouse.ts, rail.ts).
 */
import type { CanonicalOrder, Seller } from '#network/schemas.ts';
import type { CompiledNetwork, CompiledSku } from './compile.ts';
import { directSource, evaluateDirect } from './direct-parcel.ts';
import { dayOf, deadlineOf } from './eta.ts';
import { toMinor } from './money.ts';
import { evaluateRail, railSource } from './rail.ts';
import type { CtxLine, Explain, OrderCtx, Part, Quote, Source } from './shipment.ts';
import { evaluateWarehouse, warehouseSource } from './warehouse.ts';

/** Build the order's context; every SKU of the order must be in `skus`. */
export function createContext(
  net: CompiledNetwork,
  seller: Seller,
  order: CanonicalOrder,
  skus: ReadonlyMap<string, CompiledSku>,
  now: Date,
): OrderCtx {
  const report = seller.reportCurrency;
  const country = order.shipTo.country;
  const nowMs = now.getTime();
  const nowDay = dayOf(nowMs);
  const deadlineDay = deadlineOf(order, seller).day;

  const dest = net.countries.get(country);
  const slotOf = new Map<string, number>();
  const hsOf = new Map<string, number>();
  let orderValueEur = 0;
  const lines: CtxLine[] = order.lines.map((l) => {
    const sku = skus.get(l.sku)!;
    let slot = slotOf.get(l.sku);
    if (slot === undefined) slotOf.set(l.sku, (slot = slotOf.size));
    let hsId = hsOf.get(sku.hs6);
    if (hsId === undefined) hsOf.set(sku.hs6, (hsId = hsOf.size));
    // The consignment value (ROUTING.md §3): the line's sale price, else the SKU's retail price, else its customs value.
    const unitEur = l.unitPrice === undefined ? sku.saleEur : toMinor(l.unitPrice.amount, l.unitPrice.currency) * net.factor(l.unitPrice.currency, 'EUR');
    const valueEur = l.qty * unitEur;
    orderValueEur += valueEur;
    const tariffEur = dest === undefined ? 0 : valueEur * sku.tariffRates[dest.union.index]!;
    return { sku, qty: l.qty, slot, hsId, valueEur, tariffEur };
  });

  const sources: Source[] = [];
  for (const svc of net.servicesByOrigin.get(seller.origin) ?? []) {
    sources.push(directSource(net, svc, seller.origin, country, report));
  }
  for (const lane of net.lanesByOrigin.get(seller.origin) ?? []) {
    sources.push(railSource(net, lane, lines, report, country, nowMs, deadlineDay, seller.origin));
  }
  for (const wh of net.warehouses) {
    sources.push(warehouseSource(net, wh, lines, seller.id, report, country, nowDay));
  }

  return {
    net,
    order,
    seller,
    report,
    country,
    nowMs,
    nowDay,
    deadlineDay,
    lines,
    distinctSkus: slotOf.size,
    distinctHs: hsOf.size,
    dest,
    orderValueEur,
    ioss: seller.iossRegistered !== false,
    compCount: net.componentNames.length,
    fEur: net.factor('EUR', report),
    sources,
  };
}

/**
 * Price `part` on `src`. Returns the quote, or undefined when infeasible; with `why`, every
 * failed rule is added to it (and rail names the departure it reports on).
 */
export function evaluate(ctx: OrderCtx, src: Source, part: Part, why: Explain | null): Quote | undefined {
  switch (src.kind) {
    case 'direct':
      return evaluateDirect(ctx, src, part, why);
    case 'warehouse':
      return evaluateWarehouse(ctx, src, part, why);
    case 'rail':
      return evaluateRail(ctx, src, part, why);
  }
}
