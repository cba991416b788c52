/**
 * Issue 16's "Done when": a marketplace that allows only certain services never gets a route
 * through another one — single routes and every part of a split — whatever the order, the rules
 * and the stock; and rules that allow everything change nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalOrder, ShippingRules } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { partsOf, type Decision, type RoutePart } from './decision.ts';
import { route } from './route.ts';
import { fixtureNetwork, NOW, order } from './test-fixtures.ts';

/** The fixture network with Madrid's last mile run by another carrier, so carriers differ between warehouses. */
function network(): NetworkSnapshot {
  const base = fixtureNetwork();
  return {
    ...base,
    warehouses: base.warehouses.map((w) =>
      w.id !== 'WH-MAD' ? w : { ...w, lastMile: Object.fromEntries(Object.entries(w.lastMile).map(([cc, lm]) => [cc, { ...lm, carrier: 'Correos Express' }])) },
    ),
  };
}

const NET = network();
const SERVICES = NET.parcelServices.map((s) => s.id);
const CARRIERS = [...new Set([...NET.parcelServices.map((s) => s.carrier), ...NET.warehouses.flatMap((w) => Object.values(w.lastMile).map((lm) => lm.carrier))])];
const SKUS = { tianmen: ['TEE-COT', 'DRESS-PLY', 'HOODIE'], yiwu: ['SOCKS-5', 'UMB-3F', 'BLOCKS-500', 'CLIPS-6', 'PWR-10K'] } as const;

/** Does the rule allow this shipment? Written from the ADR's words, not from the code under test. */
function allowed(rules: ShippingRules, part: RoutePart, country: string): boolean {
  if (part.mode === 'direct-parcel') {
    const svc = NET.parcelServices.find((s) => s.id === part.serviceId)!;
    return (rules.services ?? []).includes(svc.id) || (rules.carriers ?? []).includes(svc.carrier);
  }
  const carrier = NET.warehouses.find((w) => w.id === part.warehouseId)!.lastMile[country]!.carrier;
  return (rules.carriers ?? []).includes(carrier);
}

const rulesArb: fc.Arbitrary<ShippingRules> = fc
  .record({ services: fc.subarray(SERVICES), carriers: fc.subarray(CARRIERS) })
  .filter((r) => r.services.length + r.carriers.length > 0)
  .map((r) => ({ ...(r.services.length > 0 ? { services: r.services } : {}), ...(r.carriers.length > 0 ? { carriers: r.carriers } : {}) }));

const orderArb: fc.Arbitrary<CanonicalOrder> = fc
  .record({
    seller: fc.constantFrom('tianmen', 'yiwu') as fc.Arbitrary<keyof typeof SKUS>,
    country: fc.constantFrom('DE', 'ES', 'FR', 'PL', 'IT', 'NL'),
    picks: fc.array(fc.record({ i: fc.nat(), qty: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ seller, country, picks }) => {
    const lines = new Map<string, number>();
    for (const p of picks) {
      const sku = SKUS[seller][p.i % SKUS[seller].length]!;
      lines.set(sku, (lines.get(sku) ?? 0) + p.qty);
    }
    return order(seller, country, [...lines]);
  });

const chosenParts = (d: Decision): RoutePart[] => (d.chosen === undefined ? [] : d.chosen.shipments.map((s) => s));

describe('marketplace shipping rules as a routing constraint', () => {
  it('never routes any shipment of an order through a service or carrier its marketplace does not allow', () => {
    fc.assert(
      fc.property(orderArb, rulesArb, (o, rules) => {
        const decision = route({ ...o, marketplace: 'amazon', shippingRules: rules }, NET, NOW);
        for (const part of chosenParts(decision)) expect(allowed(rules, part, o.shipTo.country)).toBe(true);
        // Every feasible candidate, splits included, is allowed too: the email's alternatives never suggest a barred route.
        for (const c of decision.candidates.filter((x) => x.feasible)) {
          for (const part of partsOf(c)) expect(allowed(rules, part, o.shipTo.country)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reports each barred route as infeasible with the marketplace-rule reason naming what is allowed', () => {
    fc.assert(
      fc.property(orderArb, rulesArb, (o, rules) => {
        const decision = route({ ...o, marketplace: 'tiktok-shop', shippingRules: rules }, NET, NOW);
        for (const c of decision.candidates) {
          const rule = c.reasons?.find((r) => r.code === 'marketplace-rule');
          if (rule === undefined || rule.code !== 'marketplace-rule') continue;
          expect(c.feasible).toBe(false);
          expect(rule.params?.marketplace).toBe('TikTok Shop');
          expect(rule.params?.allowedServices).toEqual([...(rules.services ?? [])].sort());
          expect(rule.params?.allowedCarriers).toEqual([...(rules.carriers ?? [])].sort());
        }
      }),
      { numRuns: 100 },
    );
  });

  it('with rules that allow every service and carrier, decides exactly as without rules', () => {
    fc.assert(
      fc.property(orderArb, (o) => {
        const free = route(o, NET, NOW);
        const everything = route({ ...o, shippingRules: { services: SERVICES, carriers: CARRIERS } }, NET, NOW);
        expect(everything).toEqual(free);
      }),
      { numRuns: 100 },
    );
  });

  it('never makes an order cheaper: the restricted choice costs at least the free one', () => {
    fc.assert(
      fc.property(orderArb, rulesArb, (o, rules) => {
        const free = route(o, NET, NOW);
        const restricted = route({ ...o, shippingRules: rules }, NET, NOW);
        if (restricted.chosen !== undefined) {
          expect(free.chosen).toBeDefined();
          expect(restricted.chosen.cost.total).toBeGreaterThanOrEqual(free.chosen!.cost.total);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('an Amazon order allowed only YunExpress', () => {
  it('goes YunExpress although Cainiao is cheaper, and says why Cainiao was not taken', () => {
    const o = order('yiwu', 'DE', [['UMB-3F', 1]]);
    const free = route(o, NET, NOW);
    const restricted = route({ ...o, marketplace: 'amazon', shippingRules: { carriers: ['YunExpress'] } }, NET, NOW);
    expect(free.chosen?.routeId).not.toBe('direct:YUN-DDP');
    expect(restricted.chosen?.routeId).toBe('direct:YUN-DDP');
    const cainiao = restricted.candidates.find((c) => c.routeId === 'direct:CN-STD')!;
    expect(cainiao.feasible).toBe(false);
    expect(cainiao.reasons).toEqual([
      {
        code: 'marketplace-rule',
        message: 'Amazon does not allow CN-STD (Cainiao); it allows only YunExpress',
        params: { marketplace: 'Amazon', serviceId: 'CN-STD', carrier: 'Cainiao', allowedServices: [], allowedCarriers: ['YunExpress'] },
      },
    ]);
    const duisburg = restricted.candidates.find((c) => c.routeId === 'warehouse:WH-DUI')!;
    expect(duisburg.reasons?.[0]?.params).toMatchObject({ warehouseId: 'WH-DUI', country: 'DE', carrier: 'DHL Paket' });
  });
});
