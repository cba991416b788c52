/**
 * Import rules v2 (ROUTING.md §3 "Import rules", §5 `customs`): one hand-worked example per
 * bullet of issue 11 — each one a way the v1 model got the law wrong and flipped routes. The
 * test network is the demo's (test-fixtures.ts): EU rows relief < 2026-07-01 ≤ €3 per tariff
 * line (IOSS or postal) < 2028-07-01 ≤ tariff; FR €2 per tariff line since 2026-03-01; IT €2 per
 * consignment since 2026-10-01; GB its own union with relief up to £135 (0.87 GBP per euro);
 * every seller reports EUR; CNY at 8.2 per euro.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { Decision as DecisionSchema, type Candidate, type Decision } from './decision.ts';
import { route } from './route.ts';
import { fixtureNetwork, NOW, order } from './test-fixtures.ts';

function candidate(d: Decision, routeId: string): Candidate {
  const c = d.candidates.find((x) => x.routeId === routeId);
  if (c === undefined) throw new Error(`no candidate ${routeId} among ${d.candidates.map((x) => x.routeId).join(', ')}`);
  return c;
}
function amounts(c: Candidate): Record<string, number> {
  expect(c.feasible, `${c.routeId} should be feasible: ${JSON.stringify(c.reasons)}`).toBe(true);
  return Object.fromEntries(c.cost!.components.map((x) => [x.name, x.amount]));
}
/** Lines as [sku, qty, unit price in EUR]. */
function priced(sellerId: string, country: string, lines: [string, number, number][], extra: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return {
    ...order(sellerId, country, [], extra),
    lines: lines.map(([sku, qty, price]) => ({ sku, qty, unitPrice: { amount: price, currency: 'EUR' } })),
  };
}
/** Only the parcel services: no warehouse, no rail (so the chosen route shows a parcel's customs). */
function directOnly(n: NetworkSnapshot): NetworkSnapshot {
  return { ...n, warehouses: [], railLanes: [], stock: [] };
}
function setStock(n: NetworkSnapshot, sellerId: string, warehouseId: string, sku: string, available: number): void {
  const r = n.stock.find((s) => s.sellerId === sellerId && s.warehouseId === warehouseId && s.sku === sku);
  if (r !== undefined) r.available = available;
  else (n.stock as { sellerId: string; warehouseId: string; sku: string; available: number }[]).push({ sellerId, warehouseId, sku, available });
}
const at = (iso: string) => ({ now: new Date(iso), extra: { placedAt: iso } });

describe('bullet 1: the €150 test uses the sale price, not the export price', () => {
  it('prices 20 hoodies sold at €34.99 (€699.80) to France at tariff duty on about €700 plus brokerage, not as a low-value parcel', () => {
    const d = route(priced('tianmen', 'FR', [['HOODIE', 20, 34.99]]), fixtureNetwork(), NOW);
    // Only DHL takes 13 kg. Volumetric 20 × 8400 cm³ / 5 = 33.6 kg → 34 kg: ¥131 + ¥108 × 34 = ¥3803 = €463.7805.
    // Tariff duty 12 % (HS 61) × (699.80 + 463.7805) = 139.6297 → 139.63; VAT 20 % → 27.93; brokerage 8;
    // France's €2 per tariff line × 1. (v1: customs value 20 × €6.71 = €134.20 ≤ 150 → €3 + €0.60 + €2.)
    const dhl = candidate(d, 'direct:DHL-EXP');
    expect(amounts(dhl)).toEqual({ freight: 463.78, duty: 139.63, 'vat-on-duty': 27.93, brokerage: 8, 'national-fee': 2 });
    expect(dhl.cost?.total).toBe(641.34);
    expect(d.chosen?.shipments[0]?.customs).toEqual({
      union: 'EU',
      importCountry: 'FR',
      importDate: '2026-11-27', // now + 1 handling + 3 transit days
      regime: 'above-threshold',
      consignmentValueEur: 699.8,
      tariffLines: 1,
    });
    expect(DecisionSchema.parse(d)).toEqual(d);
  });

  it('takes the SKU retailPrice when the line has no unitPrice, and the customsValue only when there is neither', () => {
    const n = fixtureNetwork();
    n.skus.find((s) => s.sku === 'HOODIE')!.retailPrice = { amount: 34.99, currency: 'EUR' };
    const d = route(order('tianmen', 'FR', [['HOODIE', 20]]), n, NOW);
    expect(amounts(candidate(d, 'direct:DHL-EXP'))).toMatchObject({ duty: 139.63, brokerage: 8 });
    // without a retail price: 20 × €6.71 = €134.20 ≤ 150 → the €3 per tariff line (an IOSS seller)
    const plain = route(order('tianmen', 'FR', [['HOODIE', 20]]), fixtureNetwork(), NOW);
    expect(amounts(candidate(plain, 'direct:DHL-EXP'))).toEqual({ freight: 463.78, duty: 3, 'vat-on-duty': 0.6, 'national-fee': 2 });
  });
});

describe('bullet 2: above the threshold the customs value includes the freight (CIF)', () => {
  it('spreads the freight over the lines by value and charges each line its own rate', () => {
    // 8 SOCKS-5 at €20 (HS 61: 12 %) + 1 UMB-3F at €20 (6601: 4.7 %) = €180 to Germany by DHL:
    // 1290 g, (7200 + 1372) cm³ / 5 = 1714.4 g → 2000 g → ¥128 + ¥104 × 2 = ¥336 = €40.9756.
    // Duty = (160 × 12 % + 20 × 4.7 %) × (180 + 40.9756) / 180 = 20.14 × 1.22764 = 24.7247 → 24.72; VAT 19 % 4.6977 → 4.70
    const d = route(priced('yiwu', 'DE', [['SOCKS-5', 8, 20], ['UMB-3F', 1, 20]]), fixtureNetwork(), NOW);
    expect(amounts(candidate(d, 'direct:DHL-EXP'))).toEqual({ freight: 40.98, duty: 24.72, 'vat-on-duty': 4.7, brokerage: 8 });
  });
});

describe('bullet 3: the regime of the import date, and the €3 ends on 2028-07-01', () => {
  it('charges the €3 to an order of 2026-06-25 whose parcel arrives in July, and nothing to one that arrives in June', () => {
    const { now, extra } = at('2026-06-25T08:00:00Z');
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]], extra), directOnly(fixtureNetwork()), now);
    // CN-STD: imported 06-25 + 1 + 8 = 07-04 → €3 + VAT 19 % 0.57 (v1 looked at the decision date: nothing)
    expect(amounts(candidate(d, 'direct:CN-STD'))).toEqual({ freight: 3.49, duty: 3, 'vat-on-duty': 0.57 });
    // YunExpress: imported 06-25 + 1 + 6 = 07-02 → €3 too; DHL: 06-25 + 1 + 3 = 06-29 → the old relief
    expect(amounts(candidate(d, 'direct:YUN-DDP')).duty).toBe(3);
    expect(amounts(candidate(d, 'direct:DHL-EXP')).duty).toBeUndefined();
  });

  it('charges tariff duty (no brokerage) on low-value parcels imported from 2028-07-01, the €3 before', () => {
    const { now, extra } = at('2028-06-25T08:00:00Z');
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]], extra), directOnly(fixtureNetwork()), now);
    // CN-STD imported 2028-07-04: 12 % × (1.71 + 3.4878 freight) = 0.6237 → 0.62; VAT 19 % 0.1185 → 0.12
    expect(amounts(candidate(d, 'direct:CN-STD'))).toEqual({ freight: 3.49, duty: 0.62, 'vat-on-duty': 0.12 });
    // DHL imported 2028-06-29: still the €3
    expect(amounts(candidate(d, 'direct:DHL-EXP'))).toMatchObject({ duty: 3, 'vat-on-duty': 0.57 });
    expect(d.chosen?.shipments[0]?.customs).toMatchObject({ importDate: '2028-07-04', regime: 'low-value' });
  });
});

describe('bullet 4: fees per tariff line, of the country of import, with dates', () => {
  const three: [string, number][] = [['TEE-COT', 2], ['DRESS-PLY', 1], ['HOODIE', 1]];

  it("charges France's €2 per tariff line: 3 lines, €6", () => {
    // CN-STD FR: 1650 g, (2464 + 3200 + 8400) / 8 = 1758 g → ¥18 + ¥60 × 1.758 = ¥123.48 → 15.06; €3 × 3; VAT 20 % 1.80
    const d = route(order('tianmen', 'FR', three), fixtureNetwork(), NOW);
    expect(amounts(candidate(d, 'direct:CN-STD'))).toEqual({ freight: 15.06, duty: 9, 'vat-on-duty': 1.8, 'national-fee': 6 });
  });

  it('charges no French fee to a Cainiao parcel cleared in Liège (entryCountry BE), and says where it was imported', () => {
    const n = directOnly(fixtureNetwork());
    n.parcelServices.find((s) => s.id === 'CN-STD')!.rates.FR!.entryCountry = 'BE';
    const d = route(order('tianmen', 'FR', three), n, NOW);
    // duty and VAT stay those of the destination (France, 20 %)
    expect(amounts(candidate(d, 'direct:CN-STD'))).toEqual({ freight: 15.06, duty: 9, 'vat-on-duty': 1.8 });
    expect(amounts(candidate(d, 'direct:YUN-DDP'))['national-fee']).toBe(6);
    expect(d.chosen?.routeId).toBe('direct:CN-STD');
    expect(d.chosen?.shipments[0]?.customs).toEqual({
      union: 'EU',
      importCountry: 'BE',
      importDate: '2026-12-02', // now + 1 + 8
      regime: 'low-value',
      consignmentValueEur: 14.76, // customs values: 2 × 1.71 + 4.63 + 6.71 (no sale price given)
      tariffLines: 3,
    });
  });

  it("charges Italy's €2 per consignment only to parcels imported from 2026-10-01", () => {
    const cn = (iso: string) => {
      const { now, extra } = at(iso);
      return amounts(candidate(route(order('tianmen', 'IT', three, extra), fixtureNetwork(), now), 'direct:CN-STD'));
    };
    // imported 09-15 + 9 = 09-24: no fee; 09-25 + 9 = 10-04: €2 once for 3 tariff lines
    expect(cn('2026-09-15T08:00:00Z')['national-fee']).toBeUndefined();
    expect(cn('2026-09-25T08:00:00Z')['national-fee']).toBe(2);
  });
});

describe('bullet 5: the €3 is for IOSS or postal parcels', () => {
  it('charges a non-IOSS seller tariff duty by courier (no brokerage) and the €3 by ePacket, a postal service', () => {
    const n = directOnly(fixtureNetwork());
    n.sellers.find((s) => s.id === 'tianmen')!.iossRegistered = false;
    const d = route(priced('tianmen', 'DE', [['TEE-COT', 1, 12.99]], { serviceLevel: 'economy' }), n, NOW);
    // CN-STD: 12 % × (12.99 + 3.4878) = 1.9773 → 1.98; VAT 19 % 0.3757 → 0.38
    expect(amounts(candidate(d, 'direct:CN-STD'))).toEqual({ freight: 3.49, duty: 1.98, 'vat-on-duty': 0.38 });
    // CP-EPK (postal): ¥12 + ¥82 × 0.2 = ¥28.40 → 3.46; €3; 0.57
    expect(amounts(candidate(d, 'direct:CP-EPK'))).toEqual({ freight: 3.46, duty: 3, 'vat-on-duty': 0.57 });
    expect(d.chosen?.routeId).toBe('direct:CN-STD');
    expect(d.chosen?.shipments[0]?.customs?.regime).toBe('out-of-scope');
    // the same seller registered for IOSS (the default) pays the €3 by courier too
    n.sellers.find((s) => s.id === 'tianmen')!.iossRegistered = undefined;
    const ioss = route(priced('tianmen', 'DE', [['TEE-COT', 1, 12.99]], { serviceLevel: 'economy' }), n, NOW);
    expect(amounts(candidate(ioss, 'direct:CN-STD')).duty).toBe(3);
  });
});

describe('bullet 6: GB is routable, and an EU warehouse shipping to GB imports', () => {
  it('routes a T-shirt to GB: relief up to £135 by parcel, and the warehouse pays GB import rules on top of its EU bulk duty', () => {
    const d = route(order('tianmen', 'GB', [['TEE-COT', 1]]), fixtureNetwork(), NOW);
    expect(d.status).toBe('routed');
    // CN-STD GB: ¥19 + ¥62 × 0.2 = ¥31.40 → 3.83, nothing else under £135
    expect(amounts(candidate(d, 'direct:CN-STD'))).toEqual({ freight: 3.83 });
    // WH-DUI → GB: the worked example's 1.50 + 0.08 + linehaul 0.16 + EU bulk duty 0.22 + 0.02 + 0.03, last mile 9.90; relief → no duty
    expect(amounts(candidate(d, 'warehouse:WH-DUI'))).toEqual({ 'pick-pack': 1.5, packaging: 0.08, 'last-mile': 9.9, linehaul: 0.16, 'bulk-duty': 0.22, inbound: 0.02, storage: 0.03 });
    expect(d.chosen?.routeId).toBe('direct:CN-STD');
    expect(d.chosen?.shipments[0]?.customs).toEqual({ union: 'GB', importCountry: 'GB', importDate: '2026-12-02', regime: 'low-value', consignmentValueEur: 1.71, tariffLines: 1 });
  });

  it('prices 4 dresses at €49.99 from Duisburg to GB above the £135 threshold: GB tariff duty on goods + last mile, VAT, brokerage', () => {
    const d = route(priced('tianmen', 'GB', [['DRESS-PLY', 4, 49.99]]), fixtureNetwork(), NOW);
    // €199.96 > £135 / 0.87 = €155.17. 1400 g → the ≤2 kg band 10.80.
    // GB duty 12 % × (199.96 + 10.80) = 25.2912 → 25.29; VAT 20 % 5.0582 → 5.06; brokerage 8.
    // Warehouse: pick & pack 1.50 + 3 × 0.30 = 2.40; packaging 0.08; linehaul 4 × 130 × 0.0032 = 1.664 → 1.66;
    // EU bulk duty 4 × 12 % × (4.63 + 0.85 × 0.416) = 2.3921 → 2.39; inbound 0.08; storage 4 × 0.40 × 0.0032 × 60 = 0.3072 → 0.31
    const wh = candidate(d, 'warehouse:WH-DUI');
    expect(amounts(wh)).toEqual({
      duty: 25.29, 'vat-on-duty': 5.06, brokerage: 8,
      'pick-pack': 2.4, packaging: 0.08, 'last-mile': 10.8, linehaul: 1.66, 'bulk-duty': 2.39, inbound: 0.08, storage: 0.31,
    });
    expect(wh.cost?.total).toBe(56.07);
    // by rail to Duisburg, then the same last mile to GB: the same GB import on top of R2's replenishment
    const rail = route(priced('tianmen', 'GB', [['DRESS-PLY', 4, 49.99]], { deliverBy: '2027-01-31' }), fixtureNetwork(), NOW);
    const r2 = rail.candidates.find((c) => c.routeId.startsWith('rail:R2-'))!;
    expect(amounts(r2)).toMatchObject({ duty: 25.29, 'vat-on-duty': 5.06, brokerage: 8, 'last-mile': 10.8 });
  });

  it('converts the £135 threshold at fx.json: €155.17 is within it, €155.18 above', () => {
    const cn = (price: number) => amounts(candidate(route(priced('tianmen', 'GB', [['TEE-COT', 1, price]]), fixtureNetwork(), NOW), 'direct:CN-STD'));
    expect(cn(155.17)).toEqual({ freight: 3.83 });
    // 12 % × (155.18 + 3.8293) = 19.0811 → 19.08; VAT 20 % 3.8162 → 3.82; brokerage 8
    expect(cn(155.18)).toEqual({ freight: 3.83, duty: 19.08, 'vat-on-duty': 3.82, brokerage: 8 });
  });
});

describe('bullet 7: splitting an order over €150 into parcels under it does not make it low-value', () => {
  it('charges the umbrella parcel of a €160 order tariff duty and brokerage, though it carries €60', () => {
    const n = fixtureNetwork();
    setStock(n, 'yiwu', 'WH-DUI', 'UMB-3F', 0);
    const d = route(priced('yiwu', 'DE', [['PWR-10K', 1, 100], ['UMB-3F', 2, 30]]), n, NOW);
    expect(d.chosen?.mode).toBe('split');
    const parcel = d.chosen!.shipments.find((s) => s.mode === 'direct-parcel')!;
    expect(parcel.routeId).toBe('direct:CN-STD');
    // 660 g (2 × 1372 cm³ / 8 = 343 g): ¥17 + ¥58 × 0.66 = ¥55.28 = €6.7415.
    // 4.7 % × (60 + 6.7415) = 3.1368 → 3.14; VAT 19 % 0.596 → 0.60; brokerage 8 (v1: €3 + €0.57)
    expect(Object.fromEntries(parcel.cost.components.map((c) => [c.name, c.amount]))).toEqual({ freight: 6.74, duty: 3.14, 'vat-on-duty': 0.6, brokerage: 8 });
    expect(parcel.customs).toEqual({ union: 'EU', importCountry: 'DE', importDate: '2026-12-02', regime: 'above-threshold', consignmentValueEur: 60, tariffLines: 1 });
    // the power bank leaves the Duisburg warehouse inside the EU: no import, no customs
    expect(d.chosen!.shipments.find((s) => s.mode === 'overseas-warehouse')!.customs).toBeUndefined();
  });
});
