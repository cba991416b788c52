/**
 * A marketplace's shipping rules as a routing constraint (issue 16, ADR 0044). Amazon wants
 * direct-from-China merchant-fulfilled orders shipped with approved carriers; a TikTok Shop may
 * ship only with the platform's own logistics. The order carries its connection's rules
 * (`shippingRules`, set at intake); a source whose shipment would travel by a service or carrier
 * the rules do not list is barred before anything is priced, so neither a single route nor any
 * part of a split can use it. It is reported as an infeasible candidate with the
 * `marketplace-rule` reason.
 *
 * What carries a shipment: a direct parcel its parcel service (allowed by id or by carrier); a
 * warehouse or rail-to-warehouse route the warehouse's last mile to the destination (allowed by
 * carrier: the rail leg is the seller's inbound freight, not the buyer's shipment). A warehouse
 * with no last mile to the destination is left to its own rule (`no-last-mile`).
 */
import type { CanonicalOrder, ShippingRules } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import type { ReasonParamsOf } from './decision.ts';
import type { Source } from './shipment.ts';

/** How a marketplace is named in a reason: the platform's own spelling. */
const MARKETPLACE_NAMES: Readonly<Record<string, string>> = {
  amazon: 'Amazon',
  'tiktok-shop': 'TikTok Shop',
  shopify: 'Shopify',
  woocommerce: 'WooCommerce',
};

export type RuleParams = ReasonParamsOf<'marketplace-rule'>;

/**
 * The sources the order's rules bar, each with the reason's params; empty without rules.
 * @example barredSources(order, network, sources).get('direct:CN-STD')?.allowedCarriers // ['Cainiao']
 */
export function barredSources(order: CanonicalOrder, network: NetworkSnapshot, sources: readonly Source[]): Map<string, RuleParams> {
  const barred = new Map<string, RuleParams>();
  const rules = order.shippingRules;
  if (rules === undefined) return barred;
  const services = new Set(rules.services ?? []);
  const carriers = new Set(rules.carriers ?? []);
  const country = order.shipTo.country;
  const base = {
    marketplace: MARKETPLACE_NAMES[order.marketplace] ?? order.marketplace,
    allowedServices: [...services].sort(),
    allowedCarriers: [...carriers].sort(),
  };
  const serviceCarrier = new Map(network.parcelServices.map((s) => [s.id, s.carrier]));
  const lastMileCarrier = (warehouseId: string): string | undefined =>
    network.warehouses.find((w) => w.id === warehouseId)?.lastMile[country]?.carrier;

  for (const src of sources) {
    if (src.kind === 'direct') {
      const carrier = serviceCarrier.get(src.svc.id);
      if (services.has(src.svc.id) || (carrier !== undefined && carriers.has(carrier))) continue;
      barred.set(src.routeId, { ...base, serviceId: src.svc.id, ...(carrier === undefined ? {} : { carrier }) });
    } else {
      const carrier = lastMileCarrier(src.wh.id);
      if (carrier === undefined || carriers.has(carrier)) continue;
      barred.set(src.routeId, { ...base, warehouseId: src.wh.id, country, carrier });
    }
  }
  return barred;
}

/** True when the rules allow a shipment carried by this service (by id or carrier) — for readers outside the core. */
export function allowsService(rules: ShippingRules | undefined, service: { readonly id: string; readonly carrier: string }): boolean {
  if (rules === undefined) return true;
  return (rules.services ?? []).includes(service.id) || (rules.carriers ?? []).includes(service.carrier);
}
