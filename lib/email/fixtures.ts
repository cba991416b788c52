/**
 * Realistic email scenarios for the rendering tests and the preview script (lib/email/preview.ts):
 * a small Yiwu network as of Sunday 22 Nov 2026, 10:00 Beijing time, and one decision per kind
 * (direct parcel, warehouse, rail, split, unroutable) in either language. Not used in production.
 *
 * Decisions are written in EUR with components that add up, and converted to CNY component by
 * component (in minor units) for a Chinese seller, so totals always equal the sum of their parts.
 */
import { Decision as DecisionSchema, routeIds } from '#routing/decision.ts';
import type { Candidate, Cost, Decision, Eta, Reason, ReasonCode, ReasonParamsOf, RoutePart, Shipment } from '#routing/decision.ts';
import { reasonMessage } from '#routing/reasons.ts';
import { route } from '#routing/route.ts';
import type { CanonicalOrder, Seller } from '#network/schemas.ts';
import type { NetworkSnapshot, ResolvedDeparture } from '#network/types.ts';
import type { OrderRecord } from '#store/order-record.ts';
import type { Language } from './labels.ts';
import type { RenderInput } from './render.ts';

export const NOW = new Date('2026-11-22T02:00:00.000Z');
/** When the scenarios' decisions were made: half a minute before the email. */
const DECIDED_AT = new Date('2026-11-22T01:59:30.000Z');
const EUR_CNY = 8.2;

function departure(laneId: string, date: string, transitDays: number, remainingLitres = 64_000): ResolvedDeparture {
  // 10:00 Beijing = 02:00 UTC; cut-off the day before at 18:00 Beijing = 10:00 UTC.
  const departsAt = `${date}T02:00:00.000Z`;
  const cutoffAt = new Date(Date.parse(departsAt) - 16 * 3_600_000).toISOString();
  return { id: `${laneId}-${date}`, departsAt, cutoffAt, transitDays, capacityLitres: 64_000, laneId, remainingLitres };
}

const lastMile = (carrier: string, days: [number, number], prices: [number, number, number]) => ({
  carrier,
  transitDays: days,
  bands: [
    { maxWeightG: 1000, price: prices[0] },
    { maxWeightG: 2000, price: prices[1] },
    { maxWeightG: 5000, price: prices[2] },
  ],
});

const battery = { contained: { allowed: false }, standalone: { allowed: false } };

export const NETWORK: NetworkSnapshot = {
  asOf: NOW.toISOString(),
  sellers: [
    {
      id: 'tianmen-garments',
      name: '天门锦绣服饰有限公司',
      email: 'orders@tianmen-garments.example',
      language: 'zh-CN',
      reportCurrency: 'CNY',
      origin: 'CN-YIW',
    },
    {
      id: 'yiwu-goods',
      name: 'Yiwu Bright Goods Trading Co.',
      email: 'ops@yiwu-goods.example',
      language: 'en',
      reportCurrency: 'EUR',
      origin: 'CN-YIW',
      serviceLevels: { economy: 30, standard: 20, express: 7 },
    },
  ],
  skus: [
    sku('tianmen-garments', 'TEE-COT', 'Cotton T-shirt, white', '610910', 200, [28, 22, 2], 1.71),
    sku('tianmen-garments', 'HOODIE', '纯棉连帽卫衣 Cotton hoodie', '611020', 650, [35, 30, 8], 6.71),
    sku('yiwu-goods', 'CLIPS-6', 'Hair clips, 6 pieces', '961519', 90, [15, 10, 4], 0.61),
    sku('yiwu-goods', 'BAUBLES-12', 'Christmas baubles, box of 12', '950510', 400, [30, 20, 10], 1.1),
    sku('yiwu-goods', 'UMB-GOLF', 'Golf umbrella 130 cm', '660199', 750, [100, 8, 8], 2.68),
    { ...sku('yiwu-goods', 'PWR-10K', 'Power bank 10000 mAh (37 Wh)', '850760', 250, [15, 8, 3], 4.63), battery: 'standalone' },
  ],
  parcelServices: [
    parcel('CN-STD', 'Cainiao', 'Cainiao Standard', 8000, [8, 15]),
    parcel('YUN-DDP', 'YunExpress', 'YunExpress DDP Line', 8000, [6, 10]),
    parcel('CP-EPK', 'China Post', 'ePacket', null, [10, 20]),
    parcel('DHL-EXP', 'DHL', 'DHL Express Worldwide', 5000, [3, 6]),
  ],
  railLanes: [
    {
      id: 'R1',
      name: "Yixin'ou Yiwu → Madrid",
      origin: 'CN-YIW',
      warehouseId: 'WH-MAD',
      currency: 'EUR',
      perCbm: 150,
      kgPerCbm: 500,
      customsFreightShare: 0.75,
      departures: [departure('R1', '2026-11-24', 17, 12_500), departure('R1', '2026-11-27', 17)],
    },
    {
      id: 'R2',
      name: "Yixin'ou Yiwu → Duisburg",
      origin: 'CN-YIW',
      warehouseId: 'WH-DUI',
      currency: 'EUR',
      perCbm: 130,
      kgPerCbm: 500,
      customsFreightShare: 0.85,
      departures: [departure('R2', '2026-11-23', 16), departure('R2', '2026-11-25', 16), departure('R2', '2026-11-28', 16)],
    },
  ],
  warehouses: [
    {
      id: 'WH-MAD',
      name: 'Madrid',
      country: 'ES',
      currency: 'EUR',
      processingDays: 1,
      inboundDays: 2,
      fees: { inboundPerUnit: 0.02, storagePerCbmDay: 0.35, expectedDwellDays: 60, pickPackFirstItem: 1.2, pickPackExtraItem: 0.25, packaging: 0.08 },
      lastMile: {
        ES: lastMile('Correos Express', [1, 2], [3.6, 4.2, 5.4]),
        DE: lastMile('GLS', [3, 5], [8.9, 9.6, 11.5]),
        PL: lastMile('GLS', [4, 6], [10.5, 11.2, 13.5]),
      },
    },
    {
      id: 'WH-DUI',
      name: 'Duisburg',
      country: 'DE',
      currency: 'EUR',
      processingDays: 1,
      inboundDays: 2,
      fees: { inboundPerUnit: 0.02, storagePerCbmDay: 0.4, expectedDwellDays: 60, pickPackFirstItem: 1.5, pickPackExtraItem: 0.3, packaging: 0.08 },
      lastMile: {
        DE: lastMile('DHL Paket', [1, 1], [4.1, 4.6, 5.5]),
        ES: lastMile('GLS', [3, 5], [8.9, 9.6, 11.5]),
        PL: lastMile('DPD', [2, 4], [6.9, 7.5, 9.2]),
      },
    },
  ],
  stock: [
    { sellerId: 'tianmen-garments', warehouseId: 'WH-DUI', sku: 'TEE-COT', available: 8 },
    { sellerId: 'tianmen-garments', warehouseId: 'WH-DUI', sku: 'HOODIE', available: 0 },
    { sellerId: 'tianmen-garments', warehouseId: 'WH-MAD', sku: 'TEE-COT', available: 0 },
    { sellerId: 'tianmen-garments', warehouseId: 'WH-MAD', sku: 'HOODIE', available: 140 },
    { sellerId: 'yiwu-goods', warehouseId: 'WH-DUI', sku: 'CLIPS-6', available: 0 },
    { sellerId: 'yiwu-goods', warehouseId: 'WH-MAD', sku: 'BAUBLES-12', available: 0 },
    { sellerId: 'yiwu-goods', warehouseId: 'WH-MAD', sku: 'PWR-10K', available: 0 },
    { sellerId: 'yiwu-goods', warehouseId: 'WH-DUI', sku: 'PWR-10K', available: 1 },
    { sellerId: 'yiwu-goods', warehouseId: 'WH-MAD', sku: 'UMB-GOLF', available: 60 },
  ],
  duties: {
    countries: {
      DE: { union: 'EU', vatRate: 0.19, vatOnDuty: true, brokerageFeeEur: 0 },
      ES: { union: 'EU', vatRate: 0.21, vatOnDuty: true, brokerageFeeEur: 0 },
      PL: { union: 'EU', vatRate: 0.23, vatOnDuty: true, brokerageFeeEur: 0 },
    },
    unions: {
      EU: {
        tariffRates: { '61': 0.12, '6601': 0.047, '9505': 0.027, '9615': 0.027, '850760': 0.027 },
        defaultTariffRate: 0.04,
        lowValue: [
          { from: '2021-07-01', until: '2026-07-01', threshold: { amount: 150, currency: 'EUR' }, scope: 'all', duty: { perTariffLine: 0 } },
          { from: '2026-07-01', until: '2028-07-01', threshold: { amount: 150, currency: 'EUR' }, scope: 'ioss-or-postal', duty: { perTariffLine: 3 } },
        ],
      },
    },
  },
  fx: { base: 'EUR', asOf: '2026-11-20', rates: { CNY: EUR_CNY, USD: 1.17 } },
};

function sku(sellerId: string, code: string, title: string, hsCode: string, weightG: number, dimsCm: number[], value: number) {
  return { sellerId, sku: code, title, hsCode, weightG, dimsCm, customsValue: { amount: value, currency: 'EUR' }, battery: 'none' as const };
}

function parcel(id: string, carrier: string, name: string, divisor: number | null, days: [number, number]) {
  const rate = { perParcel: 17, perKg: 58, transitDays: days };
  return {
    id,
    carrier,
    name,
    origin: 'CN-YIW',
    currency: 'CNY',
    volumetricDivisor: divisor,
    minChargeableG: 50,
    weightStepG: 1,
    maxWeightG: id === 'DHL-EXP' ? 30_000 : 2000,
    handlingDays: 1,
    battery,
    rates: { DE: rate, ES: rate, PL: rate },
  };
}

// ---------------------------------------------------------------------------------------------
// Decisions, written in EUR

type Components = Readonly<Record<string, number>>;

function cost(components: Components): Cost {
  const list = Object.entries(components).map(([name, amount]) => ({ name, amount }));
  const minor = list.reduce((sum, c) => sum + Math.round(c.amount * 100), 0);
  return { total: minor / 100, currency: 'EUR', components: list };
}

const eta = (earliest: string, latest: string): Eta => ({ earliest, latest });
/** A reason as the router writes it: its params, and the sentence written from them. */
const reason = <C extends ReasonCode>(code: C, params: ReasonParamsOf<C>): Reason => ({ code, message: reasonMessage(code, params), params }) as Reason;

const WAREHOUSE_OF_LANE: Record<string, string> = { R1: 'WH-MAD', R2: 'WH-DUI' };
const viaDirect = (serviceId: string): RoutePart => ({ routeId: routeIds.direct(serviceId), mode: 'direct-parcel', serviceId });
const viaWarehouse = (warehouseId: string): RoutePart => ({ routeId: routeIds.warehouse(warehouseId), mode: 'overseas-warehouse', warehouseId });
const viaRail = (laneId: string, date: string): RoutePart => {
  const departureId = `${laneId}-${date}`;
  return { routeId: routeIds.rail(departureId), mode: 'rail-to-warehouse', departureId, laneId, warehouseId: WAREHOUSE_OF_LANE[laneId]! };
};

function ok(route: RoutePart, components: Components, e: Eta): Candidate {
  return { ...route, feasible: true, cost: cost(components), eta: e };
}

function no(route: RoutePart, reasons: Reason[], e?: Eta): Candidate {
  return { ...route, feasible: false, reasons, ...(e && { eta: e }) };
}

function shipment(route: RoutePart, from: string, lines: { sku: string; qty: number }[], components: Components, e: Eta): Shipment {
  const { routeId, mode, ...ids } = route;
  return { routeId, mode, from, ...ids, lines, cost: cost(components), eta: e };
}

function routed(order: CanonicalOrder, chosenId: string, candidates: Candidate[], shipments?: Shipment[]): Decision {
  const chosen = candidates.find((c) => c.routeId === chosenId)!;
  const directs = candidates.filter((c) => c.mode === 'direct-parcel' && c.feasible).map((c) => Math.round(c.cost!.total * 100));
  const decision: Decision = {
    orderId: order.orderId,
    sellerId: order.sellerId,
    decidedAt: '2026-11-22T01:59:30.000Z',
    status: 'routed',
    chosen: {
      routeId: chosenId,
      mode: chosen.mode,
      cost: chosen.cost!,
      eta: chosen.eta!,
      shipments: shipments ?? [
        {
          routeId: chosenId,
          mode: chosen.mode,
          from: chosen.mode === 'overseas-warehouse' ? chosen.warehouseId! : 'CN-YIW',
          ...(chosen.serviceId !== undefined && { serviceId: chosen.serviceId }),
          ...(chosen.warehouseId !== undefined && { warehouseId: chosen.warehouseId }),
          ...(chosen.departureId !== undefined && { departureId: chosen.departureId }),
          ...(chosen.laneId !== undefined && { laneId: chosen.laneId }),
          lines: order.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
          cost: chosen.cost!,
          eta: chosen.eta!,
        },
      ],
    },
    candidates,
  };
  if (directs.length > 0) {
    decision.savingsVsDirect = { amount: (Math.min(...directs) - Math.round(chosen.cost!.total * 100)) / 100, currency: 'EUR' };
  }
  return decision;
}

/** The decision with `customs` on its shipment `i` (ROUTING.md §5), as the router writes it for an import. */
function withCustoms(i: number, customs: NonNullable<Shipment['customs']>, decision: Decision): Decision {
  decision.chosen!.shipments[i] = { ...decision.chosen!.shipments[i]!, customs };
  return decision;
}

/**
 * An order as its adapter records it: a Shopify order under its numeric id with its name
 * ("#1042") as the order number, a WooCommerce one under its id with the same number.
 */
function order(sellerId: string, number: string, country: string, lines: { sku: string; qty: number }[], extra: Partial<CanonicalOrder> = {}): CanonicalOrder {
  const marketplace = extra.marketplace ?? 'shopify';
  return {
    orderId: `ord_${sellerId}_${number}`,
    sellerId,
    marketplace,
    externalId: marketplace === 'shopify' ? `58200123${number.padStart(5, '0')}` : number,
    orderNumber: marketplace === 'shopify' ? `#${number}` : number,
    placedAt: '2026-11-22T01:30:00.000Z',
    shipTo: { country, postalCode: { DE: '47051', ES: '28013', PL: '00-950' }[country] ?? '' },
    lines,
    ...extra,
  };
}

export type ScenarioName = 'warehouse' | 'direct' | 'rail' | 'split' | 'unroutable' | 'unknown-sku';
export const SCENARIOS: readonly ScenarioName[] = ['warehouse', 'direct', 'rail', 'split', 'unroutable', 'unknown-sku'];

function build(name: ScenarioName): { order: CanonicalOrder; decision: Decision } {
  switch (name) {
    case 'warehouse': {
      const o = order('tianmen-garments', '1042', 'DE', [{ sku: 'TEE-COT', qty: 1 }]);
      const wh = { 'pick-pack': 1.5, packaging: 0.08, 'last-mile': 4.1, linehaul: 0.16, 'bulk-duty': 0.22, inbound: 0.02, storage: 0.03 };
      return {
        order: o,
        decision: routed(o, 'warehouse:WH-DUI', [
          ok(viaWarehouse('WH-DUI'), wh, eta('2026-11-24', '2026-11-26')),
          ok(viaDirect('CN-STD'), { freight: 3.49, duty: 3, 'vat-on-duty': 0.57 }, eta('2026-12-01', '2026-12-08')),
          ok(viaDirect('CP-EPK'), { freight: 3.76, duty: 3, 'vat-on-duty': 0.57 }, eta('2026-12-03', '2026-12-13')),
          ok(viaDirect('YUN-DDP'), { freight: 4.22, duty: 3, 'vat-on-duty': 0.57 }, eta('2026-11-29', '2026-12-03')),
          ok(viaDirect('DHL-EXP'), { freight: 22.2, duty: 3, 'vat-on-duty': 0.57 }, eta('2026-11-26', '2026-11-29')),
          ok(viaRail('R2', '2026-11-23'), { ...wh, storage: 0.05 }, eta('2026-12-12', '2026-12-12')),
          no(viaWarehouse('WH-MAD'), [reason('no-stock', { warehouseId: 'WH-MAD', sku: 'TEE-COT', available: 0, needed: 1 })]),
        ]),
      };
    }
    case 'direct': {
      const o = order('yiwu-goods', '2087', 'PL', [{ sku: 'CLIPS-6', qty: 2 }], { marketplace: 'woocommerce', serviceLevel: 'standard' });
      return {
        order: o,
        decision: withCustoms(0, { union: 'EU', importCountry: 'PL', importDate: '2026-12-01', regime: 'low-value', consignmentValueEur: 1.22, tariffLines: 1 }, routed(o, 'direct:CN-STD', [
          ok(viaDirect('CN-STD'), { freight: 2.88, duty: 3, 'vat-on-duty': 0.69 }, eta('2026-12-01', '2026-12-08')),
          ok(viaDirect('CP-EPK'), { freight: 3.11, duty: 3, 'vat-on-duty': 0.69 }, eta('2026-12-03', '2026-12-13')),
          ok(viaDirect('YUN-DDP'), { freight: 3.52, duty: 3, 'vat-on-duty': 0.69 }, eta('2026-11-29', '2026-12-03')),
          ok(viaDirect('DHL-EXP'), { freight: 21.95, duty: 3, 'vat-on-duty': 0.69 }, eta('2026-11-26', '2026-11-29')),
          ok(viaRail('R2', '2026-11-23'), { linehaul: 0.06, 'bulk-duty': 0.04, inbound: 0.04, storage: 0.01, 'pick-pack': 1.8, packaging: 0.08, 'last-mile': 6.9 }, eta('2026-12-13', '2026-12-15')),
          no(viaWarehouse('WH-DUI'), [reason('no-stock', { warehouseId: 'WH-DUI', sku: 'CLIPS-6', available: 0, needed: 2 })]),
          no(viaWarehouse('WH-MAD'), [reason('no-stock', { warehouseId: 'WH-MAD', sku: 'CLIPS-6', available: 0, needed: 2 })]),
        ])),
      };
    }
    case 'rail': {
      const o = order('yiwu-goods', '2090', 'ES', [{ sku: 'BAUBLES-12', qty: 3 }], { deliverBy: '2026-12-24' });
      const rail = { linehaul: 2.7, 'bulk-duty': 0.14, inbound: 0.06, storage: 0.38, 'pick-pack': 1.7, packaging: 0.08, 'last-mile': 4.2 };
      return {
        order: o,
        decision: routed(o, 'rail:R1-2026-11-24', [
          ok(viaRail('R1', '2026-11-24'), rail, eta('2026-12-14', '2026-12-15')),
          ok(viaRail('R1', '2026-11-27'), rail, eta('2026-12-17', '2026-12-18')),
          ok(viaRail('R2', '2026-11-23'), { ...rail, linehaul: 2.34, 'bulk-duty': 0.13, storage: 0.43, 'pick-pack': 2.1, 'last-mile': 9.6 }, eta('2026-12-14', '2026-12-17')),
          no(viaDirect('CN-STD'), [reason('overweight', { serviceId: 'CN-STD', weightG: 2250, maxWeightG: 2000 })]),
          ok(viaDirect('DHL-EXP'), { freight: 41.5, duty: 3, 'vat-on-duty': 0.63 }, eta('2026-11-26', '2026-11-29')),
          no(viaWarehouse('WH-MAD'), [reason('no-stock', { warehouseId: 'WH-MAD', sku: 'BAUBLES-12', available: 0, needed: 3 })]),
          no(viaWarehouse('WH-DUI'), [reason('no-stock', { warehouseId: 'WH-DUI', sku: 'BAUBLES-12', available: 0, needed: 3 })]),
        ]),
      };
    }
    case 'split': {
      const o = order('tianmen-garments', '1050', 'DE', [
        { sku: 'TEE-COT', qty: 2 },
        { sku: 'HOODIE', qty: 1 },
      ]);
      const tee = { 'pick-pack': 1.8, packaging: 0.08, 'last-mile': 4.1, linehaul: 0.32, 'bulk-duty': 0.44, inbound: 0.04, storage: 0.06 };
      const hoodie = { freight: 6.67, duty: 3, 'vat-on-duty': 0.57 };
      const both = Object.fromEntries(
        [...new Set([...Object.keys(tee), ...Object.keys(hoodie)])].map((k) => [k, Math.round(((tee as Components)[k] ?? 0) * 100 + ((hoodie as Components)[k] ?? 0) * 100) / 100]),
      );
      const splitId = routeIds.split([viaDirect('CN-STD').routeId, viaWarehouse('WH-DUI').routeId]);
      const split: RoutePart = { routeId: splitId, mode: 'split' };
      return {
        order: o,
        decision: routed(
          o,
          splitId,
          [
            { ...ok(split, both, eta('2026-11-24', '2026-12-08')), parts: [viaDirect('CN-STD'), viaWarehouse('WH-DUI')] },
            ok(viaDirect('CN-STD'), { freight: 10.56, duty: 6, 'vat-on-duty': 1.14 }, eta('2026-12-01', '2026-12-08')),
            ok(viaWarehouse('WH-MAD'), { 'pick-pack': 1.7, packaging: 0.08, 'last-mile': 11.5, linehaul: 2.1, 'bulk-duty': 1.35, inbound: 0.06, storage: 0.62 }, eta('2026-11-26', '2026-11-28')),
            no(viaWarehouse('WH-DUI'), [reason('no-stock', { warehouseId: 'WH-DUI', sku: 'HOODIE', available: 0, needed: 1 })]),
          ],
          [
            {
              ...shipment(viaDirect('CN-STD'), 'CN-YIW', [{ sku: 'HOODIE', qty: 1 }], hoodie, eta('2026-12-01', '2026-12-08')),
              customs: { union: 'EU', importCountry: 'DE', importDate: '2026-12-01', regime: 'low-value', consignmentValueEur: 34.99, tariffLines: 1 },
            },
            shipment(viaWarehouse('WH-DUI'), 'WH-DUI', [{ sku: 'TEE-COT', qty: 2 }], tee, eta('2026-11-24', '2026-11-26')),
          ],
        ),
      };
    }
    case 'unroutable': {
      // Routed for real (lib/routing/route.ts) on this network, so the email shows what the router says.
      const o = order(
        'yiwu-goods',
        '2093',
        'ES',
        [
          { sku: 'PWR-10K', qty: 2 },
          { sku: 'UMB-GOLF', qty: 1 },
        ],
        { deliverBy: '2026-11-28' },
      );
      return { order: o, decision: route(o, NETWORK, DECIDED_AT) };
    }
    case 'unknown-sku': {
      // One reason blocks every candidate: the email says it once, on top.
      const o = order('yiwu-goods', '2094', 'ES', [
        { sku: 'CLIPS-6', qty: 2 },
        { sku: 'MYSTERY-1', qty: 1 },
      ]);
      return { order: o, decision: route(o, NETWORK, DECIDED_AT) };
    }
  }
}

/** Every amount of a cost in another currency, component by component in minor units, the total their sum. */
function convertCost(c: Cost, rate: number, currency: string): Cost {
  const components = c.components.map((x) => ({ name: x.name, amount: Math.round(x.amount * 100 * rate) / 100 }));
  const total = components.reduce((sum, x) => sum + Math.round(x.amount * 100), 0) / 100;
  return { total, currency, components };
}

function convertDecision(d: Decision, rate: number, currency: string): Decision {
  const conv = (c: Cost) => convertCost(c, rate, currency);
  const candidates = d.candidates.map((c) => (c.cost === undefined ? c : { ...c, cost: conv(c.cost) }));
  const out: Decision = { ...d, candidates };
  if (d.chosen !== undefined) {
    out.chosen = { ...d.chosen, cost: conv(d.chosen.cost), shipments: d.chosen.shipments.map((s) => ({ ...s, cost: conv(s.cost) })) };
    const directs = candidates.filter((c) => c.mode === 'direct-parcel' && c.feasible).map((c) => Math.round(c.cost!.total * 100));
    delete out.savingsVsDirect;
    if (directs.length > 0) {
      out.savingsVsDirect = { amount: (Math.min(...directs) - Math.round(out.chosen.cost.total * 100)) / 100, currency };
    }
  }
  return out;
}

/**
 * One scenario in one language: the seller of the order speaks `language` and reports in CNY
 * (zh-CN) or EUR (en). The decision validates against the Decision schema.
 */
export function scenario(name: ScenarioName, language: Language): RenderInput {
  const { order: canonical, decision: eur } = build(name);
  const currency = language === 'zh-CN' ? 'CNY' : 'EUR';
  const decision = DecisionSchema.parse(currency === 'EUR' ? eur : convertDecision(eur, EUR_CNY, 'CNY'));
  const sellers: Seller[] = NETWORK.sellers.map((s) => (s.id === canonical.sellerId ? { ...s, language, reportCurrency: currency } : s));
  const record: OrderRecord = {
    orderId: canonical.orderId,
    sellerId: canonical.sellerId,
    status: decision.status,
    order: canonical,
    source: { platform: canonical.marketplace, shop: canonical.sellerId === 'yiwu-goods' ? 'yiwu-bright.myshopify.com' : 'jinxiu-apparel.myshopify.com' },
    receivedAt: '2026-11-22T01:30:02.000Z',
    updatedAt: decision.decidedAt,
    decisionVersion: 1,
    decision,
  };
  return { order: record, decision, network: { ...NETWORK, sellers }, now: NOW };
}

/** A reason as the router writes it: its English sentence from the same params. */
const written = <C extends ReasonCode>(code: C, params: ReasonParamsOf<C>): Reason => ({ code, message: reasonMessage(code, params), params }) as Reason;

/** One reason of every code, and of every variant a code has, as the router writes them. */
export const EVERY_REASON: readonly Reason[] = [
  written('no-rate', { serviceId: 'CP-EPK', country: 'NO' }),
  written('overweight', { serviceId: 'CN-STD', weightG: 2250, maxWeightG: 2000 }),
  written('overweight', { warehouseId: 'WH-DUI', country: 'DE', weightG: 5500, maxWeightG: 5000 }),
  written('oversize', { serviceId: 'CP-EPK', limit: 'longest-side', maxCm: 60, items: [{ sku: 'UMB-GOLF', cm: 100 }] }),
  written('oversize', { serviceId: 'CN-STD', limit: 'sum-of-sides', maxCm: 90, items: [{ sku: 'UMB-GOLF', cm: 116 }, { sku: 'TEE-COT', cm: 95 }] }),
  written('battery', { serviceId: 'CN-STD', battery: 'contained', skus: ['LAMP-1'] }),
  written('battery', { serviceId: 'CP-EPK', battery: 'standalone', skus: ['PWR-10K', 'PWR-20K'] }),
  written('no-stock', { warehouseId: 'WH-MAD', sku: 'UMB-3F', available: 0, needed: 2 }),
  written('missed-deadline', { latestEta: '2026-12-15', deadline: '2026-11-28' }),
  written('no-departure', { laneId: 'R1' }),
  written('no-capacity', { departureId: 'R1-2026-11-24', laneId: 'R1', remainingLitres: 70, neededLitres: 72 }),
  written('no-last-mile', { warehouseId: 'WH-MAD', country: 'GB' }),
  written('unknown-sku', { sellerId: 'yiwu-goods', skus: ['MYSTERY-1', 'no-sku:14004'] }),
  written('marketplace-rule', { marketplace: 'Amazon', serviceId: 'CN-STD', carrier: 'Cainiao', allowedServices: ['CP-EPK'], allowedCarriers: ['YunExpress'] }),
  written('marketplace-rule', { marketplace: 'TikTok Shop', warehouseId: 'WH-DUI', country: 'DE', carrier: 'DHL Paket', allowedServices: [], allowedCarriers: ['YunExpress'] }),
];


/** The warehouse scenario with its one unit promised from lot PO-118 still on a train (ADR 0032). */
export function onTrainScenario(language: Language): RenderInput {
  const input = scenario('warehouse', language);
  const chosen = input.decision.chosen!;
  const shipments = chosen.shipments.map((s, i) =>
    i === 0 ? { ...s, inbound: s.lines.map((l) => ({ lotId: 'PO-118', sku: l.sku, qty: l.qty, arrivesOn: '2026-12-09' })) } : s,
  );
  const decision = { ...input.decision, chosen: { ...chosen, shipments } };
  return { ...input, decision, order: { ...input.order, decision } };
}
