/**
 * The English sentence of each reason code (ROUTING.md §5: "plain sentences with the numbers
 * that matter"), written from the reason's params alone — so the params are the whole fact,
 * and every reader can say it in its own words instead (the email's Chinese is lib/email).
 * Used when the router writes a reason, and by English readers of decisions.
 */
import type { ReasonCode, ReasonParamsOf } from './decision.ts';

/** `1.2 kg`, as messages write weights. */
export const kg = (g: number): string => `${Number((g / 1000).toFixed(3))} kg`;
/** `0.07 m³` / `0.072 m³`, as messages write whole litres. */
export const m3 = (litres: number): string => `${(litres / 1000).toFixed(litres % 10 === 0 ? 2 : 3)} m³`;

const MESSAGES: { [C in ReasonCode]: (p: ReasonParamsOf<C>) => string } = {
  'no-rate': (p) => `${p.serviceId} has no rate to ${p.country}`,
  overweight: (p) =>
    p.serviceId !== undefined
      ? `${p.serviceId} takes at most ${kg(p.maxWeightG)}; the parcel weighs ${kg(p.weightG)}`
      : `${p.warehouseId}'s last mile to ${p.country} takes at most ${kg(p.maxWeightG)}; the parcel weighs ${kg(p.weightG)}`,
  oversize: (p) =>
    p.limit === 'longest-side'
      ? `${p.items.map((i) => `${i.sku} is ${i.cm} cm long`).join(', ')}; ${p.serviceId} takes at most ${p.maxCm} cm on the longest side`
      : `${p.items.map((i) => `${i.sku} measures ${i.cm} cm in length + width + height`).join(', ')}; ${p.serviceId} takes at most ${p.maxCm} cm`,
  battery: (p) =>
    p.battery === 'contained'
      ? `${p.serviceId} refuses goods with batteries inside (${p.skus.join(', ')})`
      : `${p.serviceId} refuses standalone batteries (${p.skus.join(', ')})`,
  'no-stock': (p) => `${p.warehouseId} has ${p.available} of ${p.sku}, needs ${p.needed}`,
  'missed-deadline': (p) => `arrives by ${p.latestEta} at the latest, after the deadline ${p.deadline}`,
  'no-departure': (p) => `${p.laneId} has no departure left before its cut-off`,
  'no-capacity': (p) => `${p.departureId} has ${m3(p.remainingLitres)} left, needs ${m3(p.neededLitres)}`,
  'no-last-mile': (p) => `${p.warehouseId} has no last mile to ${p.country}`,
  'unknown-sku': (p) => `${p.skus.join(', ')} ${p.skus.length === 1 ? 'is' : 'are'} not in ${p.sellerId}'s catalogue`,
  'marketplace-rule': (p) => {
    const route = p.serviceId ?? (p.carrier !== undefined ? `${p.warehouseId}'s last mile (${p.carrier})` : `${p.warehouseId}'s last mile`);
    const allowed = [...p.allowedServices, ...p.allowedCarriers];
    return `${p.marketplace} does not allow ${route}${p.serviceId !== undefined && p.carrier !== undefined ? ` (${p.carrier})` : ''}; it allows only ${allowed.join(', ')}`;
  },
};

/**
 * The English sentence of a reason, from its code and params.
 * @example reasonMessage('no-stock', { warehouseId: 'WH-MAD', sku: 'UMB-3F', available: 0, needed: 2 }) // 'WH-MAD has 0 of UMB-3F, needs 2'
 */
export function reasonMessage<C extends ReasonCode>(code: C, params: ReasonParamsOf<C>): string {
  return (MESSAGES[code] as (p: ReasonParamsOf<C>) => string)(params);
}
