/**
 * The cost and feasibility rules of ROUTING.md §2–5, one by one, on the test network. Every
 * expected figure is worked out by hand in the comment next to it (CNY at 8.2 per euro).
 */
import { describe, expect, it } from 'vitest';
import type { NetworkSnapshot } from '#network/types.ts';
import { ValidationError } from '#shared/errors.ts';
import { Decision as DecisionSchema, partsOf, targetOf, type Candidate, type Decision } from './decision.ts';
import { reservationsOf, route } from './route.ts';
import { comparePlans, type Plan } from './choosing.ts';
import { departure, fixtureNetwork, NOW, order } from './test-fixtures.ts';

function candidate(d: Decision, routeId: string): Candidate {
  const c = d.candidates.find((x) => x.routeId === routeId);
  if (c === undefined) throw new Error(`no candidate ${routeId} among ${d.candidates.map((x) => x.routeId).join(', ')}`);
  return c;
}
function amounts(c: Candidate): Record<string, number> {
  expect(c.feasible, `${c.routeId} should be feasible: ${JSON.stringify(c.reasons)}`).toBe(true);
  return Object.fromEntries(c.cost!.components.map((x) => [x.name, x.amount]));
}
const codes = (c: Candidate) => (c.reasons ?? []).map((r) => r.code);
const messages = (c: Candidate) => (c.reasons ?? []).map((r) => r.message);
function service(n: NetworkSnapshot, id: string) {
  return n.parcelServices.find((s) => s.id === id)!;
}
function sku(n: NetworkSnapshot, code: string) {
  return n.skus.find((s) => s.sku === code)!;
}
function setStock(n: NetworkSnapshot, sellerId: string, warehouseId: string, code: string, available: number) {
  const r = n.stock.find((s) => s.sellerId === sellerId && s.warehouseId === warehouseId && s.sku === code);
  if (r !== undefined) r.available = available;
  else (n.stock as { sellerId: string; warehouseId: string; sku: string; available: number }[]).push({ sellerId, warehouseId, sku: code, available });
}
const JUNE = new Date('2026-06-15T08:00:00Z');
const FAR = { deliverBy: '2027-01-31' };

describe('the worked example of the reference figures (one TEE-COT to Germany)', () => {
  it('prefers the Duisburg warehouse after the July 2026 duty reform', () => {
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]]), fixtureNetwork(), NOW);
    expect(d.status).toBe('routed');
    expect(d.chosen?.routeId).toBe('warehouse:WH-DUI');
    // pick&pack 1.50 + packaging 0.08 + last mile ≤1 kg 4.10
    // + linehaul 130 €/m³ × 0.001232 m³ = 16.016 c → 0.16
    // + bulk duty 12 % × (171 c + 0.85 × 16.016 c) = 22.15 c → 0.22
    // + inbound 0.02 + storage 40 c × 0.001232 × 60 = 2.96 c → 0.03   = 6.11
    expect(d.chosen?.cost).toEqual({
      total: 6.11,
      currency: 'EUR',
      components: [
        { name: 'pick-pack', amount: 1.5 },
        { name: 'packaging', amount: 0.08 },
        { name: 'last-mile', amount: 4.1 },
        { name: 'linehaul', amount: 0.16 },
        { name: 'bulk-duty', amount: 0.22 },
        { name: 'inbound', amount: 0.02 },
        { name: 'storage', amount: 0.03 },
      ],
    });
    // now 2026-11-23 + processing 1 + last mile DE 1 day
    expect(d.chosen?.eta).toEqual({ earliest: '2026-11-25', latest: '2026-11-25' });
    // CN-STD: ¥17 + ¥58 × 0.2 kg = ¥28.60 → 348.8 c → 3.49; flat duty 3.00; VAT 19 % of it 0.57
    expect(candidate(d, 'direct:CN-STD').cost?.total).toBe(7.06);
    expect(amounts(candidate(d, 'direct:CN-STD'))).toEqual({ freight: 3.49, duty: 3, 'vat-on-duty': 0.57 });
    // 7.06 − 6.11
    expect(d.savingsVsDirect).toEqual({ amount: 0.95, currency: 'EUR' });
    expect(d.chosen?.shipments).toEqual([
      {
        routeId: 'warehouse:WH-DUI',
        mode: 'overseas-warehouse',
        from: 'WH-DUI',
        warehouseId: 'WH-DUI',
        lines: [{ sku: 'TEE-COT', qty: 1 }],
        cost: d.chosen?.cost,
        eta: d.chosen?.eta,
      },
    ]);
    expect(DecisionSchema.parse(d)).toEqual(d);
  });

  it('goes direct before 2026-07-01, when the €150 relief still applies', () => {
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]], { placedAt: JUNE.toISOString() }), fixtureNetwork(), JUNE);
    expect(d.chosen?.routeId).toBe('direct:CN-STD');
    // freight only: ¥28.60 → 3.49
    expect(d.chosen?.cost.components).toEqual([{ name: 'freight', amount: 3.49 }]);
    expect(d.chosen?.cost.total).toBe(3.49);
    expect(candidate(d, 'warehouse:WH-DUI').cost?.total).toBe(6.11);
    expect(d.savingsVsDirect).toEqual({ amount: 0, currency: 'EUR' });
  });

  it('adds the proposed EU handling fee (€2 per tariff line) when the union sets one (≈ €9.06)', () => {
    const n = fixtureNetwork();
    n.duties.unions.EU!.fees = [{ name: 'handling-fee', amountEur: 2, per: 'tariff-line' }];
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]]), n, NOW);
    expect(amounts(candidate(d, 'direct:CN-STD'))).toEqual({ freight: 3.49, duty: 3, 'vat-on-duty': 0.57, 'handling-fee': 2 });
    expect(candidate(d, 'direct:CN-STD').cost?.total).toBe(9.06);
    // the warehouse route imports in bulk: no parcel fees
    expect(d.chosen?.cost.total).toBe(6.11);
    expect(d.savingsVsDirect?.amount).toBe(2.95);
  });
});

describe('direct parcel: chargeable weight and freight', () => {
  it('charges the volumetric weight when it exceeds the actual weight', () => {
    // BAUBLES-12: 30×20×10 = 6000 cm³ × 1000 / 8000 = 750 g > 400 g actual.
    // CN-STD DE: ¥17 + ¥58 × 0.75 = ¥60.50 → 737.8 c → 7.38
    const d = route(order('yiwu', 'DE', [['BAUBLES-12', 1]]), fixtureNetwork(), NOW);
    expect(amounts(candidate(d, 'direct:CN-STD')).freight).toBe(7.38);
  });

  it('charges the actual weight when it exceeds the volumetric weight', () => {
    // TEE-COT: 1232 cm³ / 8 = 154 g < 200 g actual → ¥17 + ¥58 × 0.2 = ¥28.60 → 3.49
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]]), fixtureNetwork(), NOW);
    expect(amounts(candidate(d, 'direct:CN-STD')).freight).toBe(3.49);
  });

  it('rounds the chargeable weight up to the weight step', () => {
    const n = fixtureNetwork();
    service(n, 'CN-STD').weightStepG = 100;
    // 750 g → 800 g: ¥17 + ¥58 × 0.8 = ¥63.40 → 773.2 c → 7.73
    const d = route(order('yiwu', 'DE', [['BAUBLES-12', 1]]), n, NOW);
    expect(amounts(candidate(d, 'direct:CN-STD')).freight).toBe(7.73);
  });

  it('charges at least the minimum chargeable weight', () => {
    const n = fixtureNetwork();
    service(n, 'YUN-DDP').minChargeableG = 300;
    // TEE-COT 200 g → 300 g: ¥21 + ¥60 × 0.3 = ¥39 → 475.6 c → 4.76
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]]), n, NOW);
    expect(amounts(candidate(d, 'direct:YUN-DDP')).freight).toBe(4.76);
  });

  it('charges at least the minimum charge', () => {
    const n = fixtureNetwork();
    service(n, 'CN-STD').rates.DE!.minCharge = 40;
    // formula ¥28.60 < minimum ¥40 → 487.8 c → 4.88
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]]), n, NOW);
    expect(amounts(candidate(d, 'direct:CN-STD')).freight).toBe(4.88);
  });

  it('reproduces DHL first 0.5 kg / each extra 0.5 kg pricing with perParcel 135, perKg 110, min 190, step and minimum 500 g', () => {
    const n = fixtureNetwork();
    const dhl = service(n, 'DHL-EXP');
    expect(dhl.rates.ES).toMatchObject({ perParcel: 135, perKg: 110, minCharge: 190 });
    expect(dhl).toMatchObject({ weightStepG: 500, minChargeableG: 500, volumetricDivisor: 5000 });
    const freight = (lines: [string, number][]) => amounts(candidate(route(order('tianmen', 'ES', lines), n, NOW), 'direct:DHL-EXP')).freight;
    // 1 TEE: 200 g, 246.4 g volumetric → minimum 500 g → ¥135 + ¥110 × 0.5 = ¥190 (the first 0.5 kg) → 23.17
    expect(freight([['TEE-COT', 1]])).toBe(23.17);
    // 3 TEE: 600 g, 739.2 g volumetric → 1000 g → ¥245 = ¥190 + ¥55 → 29.88
    expect(freight([['TEE-COT', 3]])).toBe(29.88);
    // 2 HOODIE: 1300 g, 2 × 8400 cm³ / 5 = 3360 g → 3500 g → ¥135 + ¥385 = ¥520 = ¥190 + 6 × ¥55 → 63.41
    expect(freight([['HOODIE', 2]])).toBe(63.41);
  });

  it('prices the ETA as now + handling + transit days and checks the weight limit on the actual weight', () => {
    // 3 BAUBLES-12: 1200 g actual ≤ 2 kg, 2250 g volumetric: allowed, charged 2250 g
    // ¥17 + ¥58 × 2.25 = ¥147.50 → 1798.8 c → 17.99
    const d = route(order('yiwu', 'DE', [['BAUBLES-12', 3]]), fixtureNetwork(), NOW);
    const c = candidate(d, 'direct:CN-STD');
    expect(amounts(c).freight).toBe(17.99);
    // 2026-11-23 + 1 + [8, 15]
    expect(c.eta).toEqual({ earliest: '2026-12-02', latest: '2026-12-09' });
  });
});

describe('direct parcel: what a service refuses', () => {
  it('refuses a parcel whose actual weight is above maxWeightG', () => {
    // 4 HOODIE = 2600 g > 2000 g
    const d = route(order('tianmen', 'DE', [['HOODIE', 4]]), fixtureNetwork(), NOW);
    for (const id of ['direct:CN-STD', 'direct:YUN-DDP', 'direct:CP-EPK']) {
      const c = candidate(d, id);
      expect(c.feasible).toBe(false);
      expect(codes(c)).toContain('overweight');
      expect(c.cost).toBeUndefined();
    }
    expect(messages(candidate(d, 'direct:CN-STD'))).toContain('CN-STD takes at most 2 kg; the parcel weighs 2.6 kg');
    expect(candidate(d, 'direct:DHL-EXP').feasible).toBe(true);
  });

  it('refuses an item longer than the longest side or larger than the sum of sides', () => {
    // UMB-GOLF 100×8×8: longest 100 > 60, sum 116 > 90 (ePacket); economy level so the deadline is not in the way
    const d = route(order('yiwu', 'ES', [['UMB-GOLF', 1]], { serviceLevel: 'economy' }), fixtureNetwork(), NOW);
    const c = candidate(d, 'direct:CP-EPK');
    expect(codes(c)).toEqual(['oversize', 'oversize']);
    expect(messages(c)).toEqual([
      'UMB-GOLF is 100 cm long; CP-EPK takes at most 60 cm on the longest side',
      'UMB-GOLF measures 116 cm in length + width + height; CP-EPK takes at most 90 cm',
    ]);
    // Cainiao sets no size limit here
    expect(candidate(d, 'direct:CN-STD').feasible).toBe(true);
  });

  it('accepts a parcel of exactly maxWeightG, and prices it in the band it fills exactly, whatever the float noise', () => {
    const n = fixtureNetwork();
    // 3 × 341.6 g + 975.2 g = 2000.0 g (binary floats: 2000.0000000000002)
    sku(n, 'TEE-COT').weightG = 341.6;
    sku(n, 'DRESS-PLY').weightG = 975.2;
    const d = route(order('tianmen', 'DE', [['TEE-COT', 3], ['DRESS-PLY', 1]]), n, NOW);
    // CN-STD takes ≤ 2 kg: 2000 g > (3 × 1232 + 3200) cm³ / 8 = 862 g → ¥17 + ¥58 × 2 = ¥133 → 1622.0 c → 16.22
    expect(amounts(candidate(d, 'direct:CN-STD')).freight).toBe(16.22);
    // WH-DUI → DE, the ≤ 2 kg band (inclusive): 4.60, not the ≤ 5 kg band's 5.50
    expect(amounts(candidate(d, 'warehouse:WH-DUI'))['last-mile']).toBe(4.6);
  });

  it('accepts an item whose sides add up to exactly the limit, though binary floats make 90.00000000000001 of them', () => {
    const n = fixtureNetwork();
    // 32.2 + 32.1 + 25.7 = 90.0 cm, exactly ePacket's L+W+H limit: the carrier takes it.
    sku(n, 'UMB-3F').dimsCm = [32.2, 32.1, 25.7];
    const d = route(order('yiwu', 'ES', [['UMB-3F', 1]], { serviceLevel: 'economy' }), n, NOW);
    // ePacket ES, no divisor, 330 g: ¥13 + ¥90 × 0.33 = ¥42.70 → 520.7 c → 5.21; duty 3; VAT 21 % 0.63 = 8.84
    expect(candidate(d, 'direct:CP-EPK').cost?.total).toBe(8.84);
    // 25.8 instead of 25.7 is 90.1 cm: refused, and the message prints the sum as a person would
    const n2 = fixtureNetwork();
    sku(n2, 'UMB-3F').dimsCm = [32.2, 32.1, 25.8];
    const over = route(order('yiwu', 'ES', [['UMB-3F', 1]], { serviceLevel: 'economy' }), n2, NOW);
    expect(messages(candidate(over, 'direct:CP-EPK'))).toEqual(['UMB-3F measures 90.1 cm in length + width + height; CP-EPK takes at most 90 cm']);
  });

  it('refuses standalone batteries where the service says so', () => {
    // economy: ePacket's 21 days would otherwise also miss the deadline
    const d = route(order('yiwu', 'DE', [['PWR-10K', 1]], { serviceLevel: 'economy' }), fixtureNetwork(), NOW);
    for (const id of ['direct:CN-STD', 'direct:YUN-DDP', 'direct:CP-EPK', 'direct:DHL-EXP']) {
      expect(codes(candidate(d, id))).toEqual(['battery']);
    }
    expect(messages(candidate(d, 'direct:DHL-EXP'))).toEqual(['DHL-EXP refuses standalone batteries (PWR-10K)']);
    // the warehouse ships it domestically
    expect(d.chosen?.routeId).toBe('warehouse:WH-DUI');
    expect(d.savingsVsDirect).toBeUndefined();
  });

  it('adds the per-parcel surcharge for contained batteries, or refuses them', () => {
    const n = fixtureNetwork();
    sku(n, 'CLIPS-6').battery = 'contained';
    // 2 CLIPS-6 and 1 SOCKS-5: the surcharge is per parcel, not per item
    const d = route(order('yiwu', 'DE', [['CLIPS-6', 2], ['SOCKS-5', 1]]), n, NOW);
    // CN-STD: 300 g actual, (1200 + 900) cm³ / 8 = 262.5 g → ¥17 + ¥58 × 0.3 = ¥34.40 → 419.5 c → 4.20; ¥3 → 36.6 c → 0.37
    expect(amounts(candidate(d, 'direct:CN-STD'))).toMatchObject({ freight: 4.2, 'battery-surcharge': 0.37 });
    // YUN-DDP: ¥21 + ¥60 × 0.3 = ¥39 → 4.76; ¥4 → 0.49
    expect(amounts(candidate(d, 'direct:YUN-DDP'))).toMatchObject({ freight: 4.76, 'battery-surcharge': 0.49 });
    expect(amounts(candidate(d, 'direct:DHL-EXP'))['battery-surcharge']).toBeUndefined();
    expect(messages(candidate(d, 'direct:CP-EPK'))).toContain('CP-EPK refuses goods with batteries inside (CLIPS-6)');
  });

  it('reports no-rate for a destination the service does not serve', () => {
    const d = route(order('tianmen', 'US', [['TEE-COT', 1]]), fixtureNetwork(), NOW);
    expect(messages(candidate(d, 'direct:CN-STD'))).toEqual(['CN-STD has no rate to US']);
  });
});

describe('direct parcel: EU duties', () => {
  it('charges no duty for parcels imported before 2026-07-01 and the flat duty for those imported from that UTC date on', () => {
    const n = fixtureNetwork();
    const at = (iso: string) => {
      const now = new Date(iso);
      return amounts(candidate(route(order('tianmen', 'DE', [['TEE-COT', 1]], { placedAt: iso }), n, now), 'direct:CN-STD'));
    };
    // CN-STD: imported now + 1 handling + 8 transit days. 2026-06-21 → 06-30 (relief); 06-22 → 07-01 (€3)
    expect(at('2026-06-21T23:59:59Z').duty).toBeUndefined();
    expect(at('2026-06-22T00:00:00Z')).toMatchObject({ duty: 3, 'vat-on-duty': 0.57 });
  });

  it('charges the flat duty once per distinct 6-digit HS code', () => {
    // TEE 610910, DRESS 620443, HOODIE 611020: 3 × €3 = 9; VAT 19 % = 1.71
    const d = route(order('tianmen', 'DE', [['TEE-COT', 2], ['DRESS-PLY', 1], ['HOODIE', 1]]), fixtureNetwork(), NOW);
    expect(amounts(candidate(d, 'direct:CN-STD'))).toMatchObject({ duty: 9, 'vat-on-duty': 1.71 });
    // the same 6-digit subheading under a longer national code counts once: 610910 twice + 611020 → €6
    const n = fixtureNetwork();
    sku(n, 'DRESS-PLY').hsCode = '6109100010';
    const d2 = route(order('tianmen', 'DE', [['TEE-COT', 2], ['DRESS-PLY', 1], ['HOODIE', 1]]), n, NOW);
    expect(amounts(candidate(d2, 'direct:CN-STD'))).toMatchObject({ duty: 6, 'vat-on-duty': 1.14 });
  });

  it('charges tariff duty on the CIF value and brokerage above the €150 threshold, whatever the date', () => {
    const n = fixtureNetwork();
    sku(n, 'TEE-COT').customsValue.amount = 15;
    const dhl = (qty: number, now: Date) =>
      amounts(candidate(route(order('tianmen', 'DE', [['TEE-COT', qty]], { placedAt: now.toISOString() }), n, now), 'direct:DHL-EXP'));
    // 10 × €15 = €150: not above the threshold → flat €3 + VAT 0.57
    expect(dhl(10, NOW)).toMatchObject({ duty: 3, 'vat-on-duty': 0.57 });
    expect(dhl(10, NOW).brokerage).toBeUndefined();
    // 11 × €15 = €165 > 150. DHL DE: 2200 g, 11 × 1232 cm³ / 5 = 2710.4 g → 3000 g → ¥128 + ¥104 × 3 = ¥440 = €53.6585.
    // Tariff duty on CIF: 12 % (HS 61) × (165 + 53.6585) = 26.239 → 26.24; brokerage 8; VAT 19 % × 26.239 = 4.985 → 4.99
    expect(dhl(11, NOW)).toMatchObject({ freight: 53.66, duty: 26.24, brokerage: 8, 'vat-on-duty': 4.99 });
    // in June (imported 06-19, relief row in force) the order is above its threshold all the same
    expect(dhl(11, JUNE)).toMatchObject({ duty: 26.24, brokerage: 8, 'vat-on-duty': 4.99 });
  });

  it('uses the longest matching HS prefix for the tariff rate, else the default rate', () => {
    const n = fixtureNetwork();
    n.duties.unions.EU!.tariffRates['6109'] = 0.1;
    sku(n, 'TEE-COT').customsValue.amount = 20;
    sku(n, 'SOCKS-5').customsValue.amount = 20;
    sku(n, 'SOCKS-5').hsCode = '420222'; // no prefix listed → default 4 %
    sku(n, 'SOCKS-5').sellerId = 'tianmen';
    // 8 TEE × €20 = €160 at 10 % (6109 beats 61) = 16.00; + 1 SOCKS €20 × 4 % = 0.80 → 16.80 before freight.
    // DHL DE: 1720 g, (9856 + 900) cm³ / 5 = 2151.2 g → 2500 g → ¥128 + ¥104 × 2.5 = ¥388 = €47.317.
    // CIF: 16.80 × (180 + 47.317) / 180 = 21.216 → 21.22; VAT 19 % = 4.031 → 4.03
    const d = route(order('tianmen', 'DE', [['TEE-COT', 8], ['SOCKS-5', 1]]), n, NOW);
    expect(amounts(candidate(d, 'direct:DHL-EXP'))).toMatchObject({ freight: 47.32, duty: 21.22, 'vat-on-duty': 4.03, brokerage: 8 });
  });

  it('charges VAT on the duty only where the country says so, at its rate', () => {
    // Poland 23 %: 3 × 0.23 = 0.69
    const pl = route(order('tianmen', 'PL', [['TEE-COT', 1]]), fixtureNetwork(), NOW);
    expect(amounts(candidate(pl, 'direct:CN-STD'))).toMatchObject({ duty: 3, 'vat-on-duty': 0.69 });
    const n = fixtureNetwork();
    n.duties.countries.DE!.vatOnDuty = false;
    const de = route(order('tianmen', 'DE', [['TEE-COT', 1]]), n, NOW);
    expect(amounts(candidate(de, 'direct:CN-STD'))['vat-on-duty']).toBeUndefined();
  });

  it('adds national fees per consignment (France)', () => {
    // CN-STD FR: ¥18 + ¥60 × 0.2 = ¥30 → 365.9 c → 3.66; duty 3; VAT 20 % 0.60; national fee 2 → 9.26
    const d = route(order('tianmen', 'FR', [['TEE-COT', 1]]), fixtureNetwork(), NOW);
    const c = candidate(d, 'direct:CN-STD');
    expect(amounts(c)).toEqual({ freight: 3.66, duty: 3, 'vat-on-duty': 0.6, 'national-fee': 2 });
    expect(c.cost?.total).toBe(9.26);
  });

  it('charges no duty to a country without rules', () => {
    const n = fixtureNetwork();
    delete n.duties.countries.DE;
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]]), n, NOW);
    expect(amounts(candidate(d, 'direct:CN-STD'))).toEqual({ freight: 3.49 });
  });
});

describe('overseas warehouse', () => {
  it('charges pick & pack per extra unit and the replenishment per unit', () => {
    // 3 TEE from WH-DUI: pick&pack 1.50 + 2 × 0.30 = 2.10; packaging 0.08; 600 g → 4.10;
    // linehaul 3 × 16.016 c = 48.05 c → 0.48; bulk duty 3 × 22.1536 c = 66.46 c → 0.66;
    // inbound 0.06; storage 3 × 2.9568 c = 8.87 c → 0.09                          = 7.57
    const d = route(order('tianmen', 'DE', [['TEE-COT', 3]]), fixtureNetwork(), NOW);
    const c = candidate(d, 'warehouse:WH-DUI');
    expect(amounts(c)).toEqual({ 'pick-pack': 2.1, packaging: 0.08, 'last-mile': 4.1, linehaul: 0.48, 'bulk-duty': 0.66, inbound: 0.06, storage: 0.09 });
    expect(c.cost?.total).toBe(7.57);
  });

  it('keeps per-unit and per-m³·day fees exact to the tenth of a cent, rounding only the component', () => {
    const n = fixtureNetwork();
    const dui = n.warehouses.find((w) => w.id === 'WH-DUI')!;
    dui.fees.inboundPerUnit = 0.015;
    dui.fees.pickPackExtraItem = 0.255;
    dui.fees.storagePerCbmDay = 0.355;
    // 10 TEE from WH-DUI to DE:
    // pick & pack 150 + 9 × 25.5 = 379.5 c → 3.80 (not 9 × 26: 3.84); packaging 0.08; 2000 g → ≤ 2 kg band 4.60;
    // linehaul 10 × 16.016 c = 160.16 c → 1.60; bulk duty 10 × 12 % × (171 + 0.85 × 16.016) = 221.54 c → 2.22;
    // inbound 10 × 1.5 c = 15 c → 0.15 (not 10 × 2 c: 0.20);
    // storage 10 × 35.5 c × 0.001232 m³ × 60 days = 26.24 c → 0.26 (not 36 c: 0.27)            = 12.71
    const c = candidate(route(order('tianmen', 'DE', [['TEE-COT', 10]]), n, NOW), 'warehouse:WH-DUI');
    expect(amounts(c)).toEqual({ 'pick-pack': 3.8, packaging: 0.08, 'last-mile': 4.6, linehaul: 1.6, 'bulk-duty': 2.22, inbound: 0.15, storage: 0.26 });
    expect(c.cost?.total).toBe(12.71);
  });

  it('bills linehaul by weight when 1 m³ = 500 kg weighs more than the volume', () => {
    // PWR-10K: 360 cm³ = 0.00036 m³ < 0.25 kg / 500 = 0.0005 m³ → 130 € × 0.0005 = 6.5 c → 0.07 (half-up)
    // bulk duty 2.7 % (850760) × (463 c + 0.85 × 6.5 c) = 12.65 c → 0.13; storage 40 × 0.00036 × 60 = 0.86 c → 0.01
    const d = route(order('yiwu', 'DE', [['PWR-10K', 1]]), fixtureNetwork(), NOW);
    expect(amounts(candidate(d, 'warehouse:WH-DUI'))).toEqual({
      'pick-pack': 1.5, packaging: 0.08, 'last-mile': 4.1, linehaul: 0.07, 'bulk-duty': 0.13, inbound: 0.02, storage: 0.01,
    });
  });

  it('replenishes by the cheapest lane feeding the warehouse', () => {
    const n = fixtureNetwork();
    const r2 = n.railLanes.find((l) => l.id === 'R2')!;
    const withLane = (perCbm: number): NetworkSnapshot => ({
      ...n,
      railLanes: [...n.railLanes, { ...r2, id: 'R3', perCbm, departures: [] }],
    });
    const linehaul = (net: NetworkSnapshot) => amounts(candidate(route(order('tianmen', 'DE', [['TEE-COT', 1]]), net, NOW), 'warehouse:WH-DUI')).linehaul;
    // R3 at 200 €/m³ is dearer than R2's 130: still 0.16
    expect(linehaul(withLane(200))).toBe(0.16);
    // R3 at 100 €/m³: 100 × 0.001232 = 12.32 c → 0.12
    expect(linehaul(withLane(100))).toBe(0.12);
  });

  it('says which SKU is short, by how much', () => {
    const d = route(order('yiwu', 'ES', [['UMB-3F', 2]]), fixtureNetwork(), NOW);
    expect(codes(candidate(d, 'warehouse:WH-MAD'))).toEqual(['no-stock']);
    expect(messages(candidate(d, 'warehouse:WH-MAD'))).toEqual(['WH-MAD has 0 of UMB-3F, needs 2']);
    // a SKU without a stock record counts as 0
    const d2 = route(order('yiwu', 'ES', [['UMB-GOLF', 1]]), fixtureNetwork(), NOW);
    expect(messages(candidate(d2, 'warehouse:WH-DUI'))).toEqual(['WH-DUI has 0 of UMB-GOLF, needs 1']);
  });

  it('counts lines of the same SKU together against the stock', () => {
    const n = fixtureNetwork();
    setStock(n, 'yiwu', 'WH-DUI', 'CLIPS-6', 20);
    const d = route(order('yiwu', 'DE', [['CLIPS-6', 15], ['CLIPS-6', 10]]), n, NOW);
    expect(messages(candidate(d, 'warehouse:WH-DUI'))).toEqual(['WH-DUI has 20 of CLIPS-6, needs 25']);
    const taken = reservationsOf(d, n).stock.filter((s) => s.warehouseId === 'WH-DUI' && s.sku === 'CLIPS-6');
    expect(taken.reduce((a, s) => a + s.qty, 0)).toBeLessThanOrEqual(20);
  });

  it('needs a last mile to the destination and a weight band for the parcel', () => {
    const d = route(order('tianmen', 'US', [['TEE-COT', 1]]), fixtureNetwork(), NOW);
    expect(messages(candidate(d, 'warehouse:WH-DUI'))).toEqual(['WH-DUI has no last mile to US']);
    // 10 BLOCKS-500 = 5.5 kg, heaviest band 5 kg
    const d2 = route(order('yiwu', 'DE', [['BLOCKS-500', 10]]), fixtureNetwork(), NOW);
    expect(codes(candidate(d2, 'warehouse:WH-DUI'))).toEqual(['overweight']);
    expect(messages(candidate(d2, 'warehouse:WH-DUI'))).toEqual(["WH-DUI's last mile to DE takes at most 5 kg; the parcel weighs 5.5 kg"]);
  });

  it('reports a missed deadline beside an overweight parcel: every reason, not the first', () => {
    // 10 BLOCKS-500 = 5.5 kg > WH-DUI's heaviest band to DE (5 kg): overweight.
    // ETA 2026-11-23 + 1 processing + 1 day last mile = 2026-11-25 > deliverBy 2026-11-24: late too.
    const d = route(order('yiwu', 'DE', [['BLOCKS-500', 10]], { deliverBy: '2026-11-24' }), fixtureNetwork(), NOW);
    expect(candidate(d, 'warehouse:WH-DUI').reasons).toEqual([
      {
        code: 'overweight',
        message: "WH-DUI's last mile to DE takes at most 5 kg; the parcel weighs 5.5 kg",
        params: { warehouseId: 'WH-DUI', country: 'DE', weightG: 5500, maxWeightG: 5000 },
      },
      {
        code: 'missed-deadline',
        message: 'arrives by 2026-11-25 at the latest, after the deadline 2026-11-24',
        params: { latestEta: '2026-11-25', deadline: '2026-11-24' },
      },
    ]);
  });

  it('picks the weight band by actual weight and prices the ETA as now + processing + last mile', () => {
    // 4 DRESS-PLY = 1.4 kg → the ≤ 2 kg band 9.60 (WH-DUI → ES, 3–5 days)
    const d = route(order('tianmen', 'ES', [['DRESS-PLY', 4]]), fixtureNetwork(), NOW);
    const c = candidate(d, 'warehouse:WH-DUI');
    expect(amounts(c)['last-mile']).toBe(9.6);
    expect(c.eta).toEqual({ earliest: '2026-11-27', latest: '2026-11-29' });
  });
});

describe('rail to warehouse', () => {
  it('takes the earliest departure that is not cut off, priced like the warehouse with the lane linehaul', () => {
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]], FAR), fixtureNetwork(), NOW);
    // R2-2026-11-23 was cut off on 2026-11-22; R2-2026-11-25 departs 02:00 UTC that day:
    // 2026-11-25 + 16 transit + 2 inbound + 1 last mile = 2026-12-14
    const r2 = candidate(d, 'rail:R2-2026-11-25');
    expect(r2.eta).toEqual({ earliest: '2026-12-14', latest: '2026-12-14' });
    expect(r2.cost?.total).toBe(6.11);
    // R1 (Madrid): 1.20 + 0.08 + 8.90 + linehaul 150 × 0.001232 = 18.48 c → 0.18
    // + bulk 12 % × (171 + 0.75 × 18.48) = 22.18 c → 0.22 + 0.02 + storage 35 × 0.001232 × 60 = 2.59 c → 0.03 = 10.63
    const r1 = candidate(d, 'rail:R1-2026-11-24');
    expect(amounts(r1)).toEqual({ 'pick-pack': 1.2, packaging: 0.08, 'last-mile': 8.9, linehaul: 0.18, 'bulk-duty': 0.22, inbound: 0.02, storage: 0.03 });
    // 2026-11-24 + 17 + 2 = 2026-12-13, + [3, 5] days to Germany
    expect(r1.eta).toEqual({ earliest: '2026-12-16', latest: '2026-12-18' });
  });

  it('keeps a departure open until its cut-off, inclusive', () => {
    const n = fixtureNetwork();
    const at = (iso: string) => route(order('tianmen', 'DE', [['TEE-COT', 1]], FAR), n, new Date(iso)).candidates.map((c) => c.routeId);
    // R1-2026-11-24 cut-off: 2026-11-23 18:00 Beijing = 10:00 UTC
    expect(at('2026-11-23T10:00:00Z')).toContain('rail:R1-2026-11-24');
    expect(at('2026-11-23T10:00:01Z')).toContain('rail:R1-2026-11-27');
  });

  it('needs capacity in whole litres: the order rounded up, against the whole litres the snapshot says are left', () => {
    // 12 BAUBLES-12 = 72 000 cm³ = 72 L, 4.8 kg (≤ 5 kg band); yiwu → ES by R1 (Madrid)
    const run = (remaining: number) => {
      const n = fixtureNetwork();
      const lane = n.railLanes.find((l) => l.id === 'R1')!;
      (n as { railLanes: unknown }).railLanes = [
        { ...lane, departures: lane.departures.map((dep) => (dep.id === 'R1-2026-11-24' ? { ...dep, remainingLitres: remaining } : dep)) },
        ...n.railLanes.filter((l) => l.id !== 'R1'),
      ];
      return route(order('yiwu', 'ES', [['BAUBLES-12', 12]], FAR), n, NOW);
    };
    expect(candidate(run(72), 'rail:R1-2026-11-24').feasible).toBe(true);
    // 71 L < 72 L: the next departure
    expect(candidate(run(71), 'rail:R1-2026-11-27').feasible).toBe(true);
    expect(reservationsOf(run(71), fixtureNetwork()).capacity).toEqual([]);
  });

  it('counts a box in whole cm³, so float noise in its sides never costs a litre', () => {
    // 2.2 × 50 × 50 cm is 5500.000000000001 cm³ in binary floats; two of them are exactly 11 L.
    const n = fixtureNetwork();
    (n as { skus: unknown }).skus = [
      ...n.skus,
      { sellerId: 'yiwu', sku: 'PANEL', title: 'Panel', hsCode: '950510', weightG: 500, dimsCm: [2.2, 50, 50], customsValue: { amount: 1, currency: 'EUR' }, battery: 'none' },
    ];
    const lane = n.railLanes.find((l) => l.id === 'R1')!;
    (n as { railLanes: unknown }).railLanes = [
      { ...lane, departures: lane.departures.map((dep) => ({ ...dep, remainingLitres: 11 })) },
      ...n.railLanes.filter((l) => l.id !== 'R1'),
    ];
    const d = route(order('yiwu', 'ES', [['PANEL', 2]], FAR), n, NOW);
    const rail = candidate(d, 'rail:R1-2026-11-24');
    expect(rail.feasible).toBe(true);
    const shipment = { routeId: rail.routeId, mode: rail.mode, from: 'CN-YIW', departureId: rail.departureId, laneId: 'R1', lines: [{ sku: 'PANEL', qty: 2 }], cost: rail.cost!, eta: rail.eta! };
    const onRail = { ...d, chosen: { ...d.chosen!, shipments: [shipment] } };
    expect(reservationsOf(onRail, n).capacity).toEqual([{ departureId: 'R1-2026-11-24', laneId: 'R1', litres: 11 }]);
  });

  it('reports the earliest open departure with no-capacity when none has room', () => {
    const n = fixtureNetwork();
    const lane = n.railLanes.find((l) => l.id === 'R1')!;
    (n as { railLanes: unknown }).railLanes = [{ ...lane, departures: lane.departures.map((dep) => ({ ...dep, remainingLitres: 70 })) }];
    const d = route(order('yiwu', 'ES', [['BAUBLES-12', 12]], FAR), n, NOW);
    const c = candidate(d, 'rail:R1-2026-11-24');
    expect(c.feasible).toBe(false);
    expect(c.reasons).toEqual([
      {
        code: 'no-capacity',
        message: 'R1-2026-11-24 has 0.07 m³ left, needs 0.072 m³',
        params: { departureId: 'R1-2026-11-24', laneId: 'R1', remainingLitres: 70, neededLitres: 72 },
      },
    ]);
    expect(c).toMatchObject({ departureId: 'R1-2026-11-24', laneId: 'R1', warehouseId: 'WH-MAD' });
  });

  it('skips departures that miss the deadline, and says so when all do', () => {
    const n = fixtureNetwork();
    // R1 → ES: 2026-11-24 + 17 + 2 + [1, 2] = 2026-12-14 … 2026-12-15
    const ok = route(order('yiwu', 'ES', [['BAUBLES-12', 1]], { deliverBy: '2026-12-15' }), n, NOW);
    expect(candidate(ok, 'rail:R1-2026-11-24').feasible).toBe(true);
    const late = route(order('yiwu', 'ES', [['BAUBLES-12', 1]], { deliverBy: '2026-12-14' }), n, NOW);
    expect(candidate(late, 'rail:R1-2026-11-24').reasons).toEqual([
      {
        code: 'missed-deadline',
        message: 'arrives by 2026-12-15 at the latest, after the deadline 2026-12-14',
        params: { latestEta: '2026-12-15', deadline: '2026-12-14' },
      },
    ]);
  });

  it('names the lane with no-departure when every departure is cut off', () => {
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]], FAR), fixtureNetwork(), new Date('2026-12-10T00:00:00Z'));
    expect(candidate(d, 'rail:R1').reasons).toEqual([
      { code: 'no-departure', message: 'R1 has no departure left before its cut-off', params: { laneId: 'R1' } },
    ]);
    // No departure to name: the lane and its warehouse only.
    const { departureId, laneId, warehouseId } = candidate(d, 'rail:R1');
    expect({ departureId, laneId, warehouseId }).toEqual({ departureId: undefined, laneId: 'R1', warehouseId: 'WH-MAD' });
    expect(codes(candidate(d, 'rail:R2'))).toEqual(['no-departure']);
  });
});

describe('deadlines and service levels', () => {
  // Tianmen has no serviceLevels: economy 30, standard 20, express 7 days from placedAt.
  it('uses standard (20 days) without a service level: ePacket (1 + 10–20 days) misses it', () => {
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]]), fixtureNetwork(), NOW);
    // 2026-11-23 + 1 + 20 = 2026-12-14 > 2026-11-23 + 20
    expect(candidate(d, 'direct:CP-EPK').reasons).toEqual([
      {
        code: 'missed-deadline',
        message: 'arrives by 2026-12-14 at the latest, after the deadline 2026-12-13',
        params: { latestEta: '2026-12-14', deadline: '2026-12-13' },
      },
    ]);
  });

  it('allows 30 days for economy and 7 for express', () => {
    const eco = route(order('tianmen', 'DE', [['TEE-COT', 1]], { serviceLevel: 'economy' }), fixtureNetwork(), NOW);
    // ePacket ¥12 + ¥82 × 0.2 = ¥28.40 → 3.46 + 3 + 0.57 = 7.03
    expect(candidate(eco, 'direct:CP-EPK').cost?.total).toBe(7.03);
    const exp = route(order('tianmen', 'DE', [['TEE-COT', 1]], { serviceLevel: 'express' }), fixtureNetwork(), NOW);
    expect(codes(candidate(exp, 'direct:CN-STD'))).toEqual(['missed-deadline']); // 1 + 15 > 7
    expect(candidate(exp, 'direct:DHL-EXP').feasible).toBe(true); // 1 + 6 ≤ 7
  });

  it("uses the seller's own service levels when set", () => {
    const n = fixtureNetwork();
    n.sellers.find((s) => s.id === 'yiwu')!.serviceLevels = { economy: 30, standard: 20, express: 5 };
    const d = route(order('yiwu', 'DE', [['SOCKS-5', 1]], { serviceLevel: 'express' }), n, NOW);
    expect(codes(candidate(d, 'direct:DHL-EXP'))).toEqual(['missed-deadline']); // 7 > 5
    expect(d.chosen?.routeId).toBe('warehouse:WH-DUI'); // 2 days
  });

  it('lets deliverBy win over the service level, counted from placedAt', () => {
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]], { serviceLevel: 'express', deliverBy: '2026-12-09' }), fixtureNetwork(), NOW);
    expect(candidate(d, 'direct:CN-STD').feasible).toBe(true); // latest 2026-12-09
    const placedEarlier = order('tianmen', 'DE', [['TEE-COT', 1]], { placedAt: '2026-11-10T00:00:00Z' });
    // placed 2026-11-10 + 20 = 2026-11-30: CN-STD's 2026-12-09 is late, the warehouse's 2026-11-25 is not
    const d2 = route(placedEarlier, fixtureNetwork(), NOW);
    expect(codes(candidate(d2, 'direct:CN-STD'))).toEqual(['missed-deadline']);
    expect(d2.chosen?.routeId).toBe('warehouse:WH-DUI');
  });
});

describe('split shipments', () => {
  it('divides the lines among routes when that is cheapest, each part its own consignment', () => {
    // UMB-3F × 2 (only WH-DUI holds it) + BAUBLES-12 × 1 (only WH-MAD holds it), to Spain.
    // Direct CN-STD for both: 1093 g volumetric → ¥18 + ¥62 × 1.093 = ¥85.766 → 10.46 + 2 HS codes × 3 + VAT 21 % 1.26 = 17.72
    // Split: UMB-3F by CN-STD: 660 g → ¥18 + ¥62 × 0.66 = ¥58.92 → 7.19 + 3 + 0.63 = 10.82
    //        BAUBLES from WH-MAD: 1.20 + 0.08 + 3.60 + linehaul 150 × 0.006 = 0.90
    //          + bulk 2.7 % × (110 + 0.75 × 90) = 4.79 c → 0.05 + 0.02 + storage 35 × 0.006 × 60 = 12.6 c → 0.13 = 5.98
    //        total 16.80
    const d = route(order('yiwu', 'ES', [['UMB-3F', 2], ['BAUBLES-12', 1]]), fixtureNetwork(), NOW);
    expect(candidate(d, 'direct:CN-STD').cost?.total).toBe(17.72);
    expect(d.chosen?.routeId).toBe('split:direct:CN-STD+warehouse:WH-MAD');
    expect(d.chosen?.mode).toBe('split');
    expect(d.chosen?.cost.total).toBe(16.8);
    expect(d.chosen?.cost.components).toEqual([
      { name: 'freight', amount: 7.19 },
      { name: 'duty', amount: 3 },
      { name: 'vat-on-duty', amount: 0.63 },
      { name: 'pick-pack', amount: 1.2 },
      { name: 'packaging', amount: 0.08 },
      { name: 'last-mile', amount: 3.6 },
      { name: 'linehaul', amount: 0.9 },
      { name: 'bulk-duty', amount: 0.05 },
      { name: 'inbound', amount: 0.02 },
      { name: 'storage', amount: 0.13 },
    ]);
    const [direct, wh] = d.chosen!.shipments;
    expect(direct).toMatchObject({ routeId: 'direct:CN-STD', from: 'CN-YIW', lines: [{ sku: 'UMB-3F', qty: 2 }], cost: { total: 10.82 } });
    expect(wh).toMatchObject({ routeId: 'warehouse:WH-MAD', from: 'WH-MAD', lines: [{ sku: 'BAUBLES-12', qty: 1 }], cost: { total: 5.98 } });
    // ETA = the latest part: CN-STD 2026-12-02 … 2026-12-09 (WH-MAD arrives by 2026-11-26)
    expect(d.chosen?.eta).toEqual({ earliest: '2026-12-02', latest: '2026-12-09' });
    // only the best split is a candidate
    expect(d.candidates.filter((c) => c.mode === 'split')).toHaveLength(1);
    expect(d.savingsVsDirect?.amount).toBe(0.92); // 17.72 − 16.80
    expect(reservationsOf(d, fixtureNetwork())).toEqual({ stock: [{ warehouseId: 'WH-MAD', sku: 'BAUBLES-12', qty: 1 }], capacity: [] });
  });

  it('splits the lines of one SKU across warehouses when neither holds the whole quantity', () => {
    const n = fixtureNetwork();
    setStock(n, 'yiwu', 'WH-DUI', 'CLIPS-6', 20);
    setStock(n, 'yiwu', 'WH-MAD', 'CLIPS-6', 12);
    // 25 clips, 2.25 kg: too heavy for the postal lines, and express (7 days) rules them out for
    // a part too; DHL costs 57.23 for the lot
    const d = route(order('yiwu', 'DE', [['CLIPS-6', 15], ['CLIPS-6', 10]], { serviceLevel: 'express' }), n, NOW);
    expect(messages(candidate(d, 'warehouse:WH-DUI'))).toEqual(['WH-DUI has 20 of CLIPS-6, needs 25']);
    expect(messages(candidate(d, 'warehouse:WH-MAD'))).toEqual(['WH-MAD has 12 of CLIPS-6, needs 25']);
    expect(d.chosen?.routeId).toBe('split:warehouse:WH-DUI+warehouse:WH-MAD');
    // 15 from WH-DUI: pick&pack 1.50 + 14 × 0.30 = 5.70; 0.08; 1.35 kg → 4.60;
    // linehaul 15 × 130 × 0.0006 m³ = 117 c → 1.17; bulk 15 × 2.7 % × (61 + 0.85 × 7.8) = 27.39 c → 0.27;
    // inbound 0.30; storage 15 × 40 × 0.0006 × 60 = 21.6 c → 0.22                              = 12.34
    expect(d.chosen?.shipments.map((s) => [s.routeId, s.lines, s.cost.total])).toEqual([
      ['warehouse:WH-DUI', [{ sku: 'CLIPS-6', qty: 15 }], 12.34],
      ['warehouse:WH-MAD', [{ sku: 'CLIPS-6', qty: 10 }], 13.84],
    ]);
    expect(reservationsOf(d, n).stock).toEqual([
      { warehouseId: 'WH-DUI', sku: 'CLIPS-6', qty: 15 },
      { warehouseId: 'WH-MAD', sku: 'CLIPS-6', qty: 10 },
    ]);
  });

  it('offers no split for a single line, and never two parts on one warehouse or departure', () => {
    const one = route(order('yiwu', 'ES', [['UMB-3F', 2]]), fixtureNetwork(), NOW);
    expect(one.candidates.some((c) => c.mode === 'split')).toBe(false);
    const d = route(order('yiwu', 'DE', [['SOCKS-5', 1], ['CLIPS-6', 1], ['UMB-3F', 1]]), fixtureNetwork(), NOW);
    for (const c of d.candidates.filter((x) => x.mode === 'split')) {
      const parts = c.routeId.slice('split:'.length).split('+');
      const once = parts.filter((p) => !p.startsWith('direct:')); // a parcel service may carry several parcels
      expect(new Set(once).size).toBe(once.length);
      expect(parts).toEqual([...parts].sort());
    }
  });

  it('splits orders beyond eight lines with the grouping heuristic', () => {
    // 5 lines of UMB-3F (only in WH-DUI) and 4 of BAUBLES-12 (only in WH-MAD), to Spain:
    // no warehouse holds everything, the 3.25 kg parcel is too heavy for the postal lines.
    const lines: [string, number][] = [];
    for (let i = 0; i < 9; i++) lines.push(i % 2 === 0 ? ['UMB-3F', 1] : ['BAUBLES-12', 1]);
    const d = route(order('yiwu', 'ES', lines), fixtureNetwork(), NOW);
    expect(d.chosen?.mode).toBe('split');
    const shipped = d.chosen!.shipments.flatMap((s) => s.lines.map((l) => l.sku)).sort();
    expect(shipped).toEqual(lines.map(([s]) => s).sort());
    expect(d.chosen!.cost.total).toBeLessThan(candidate(d, 'direct:DHL-EXP').cost!.total);
    expect(JSON.stringify(route(order('yiwu', 'ES', lines), fixtureNetwork(), NOW))).toBe(JSON.stringify(d));
  });
});

describe('choosing among equals', () => {
  it('breaks a price tie by the earlier latest ETA', () => {
    // WH-DUI and rail R2 both cost 6.11; the warehouse arrives 2026-11-25, the train 2026-12-14
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]], FAR), fixtureNetwork(), NOW);
    expect(d.candidates.slice(0, 2).map((c) => [c.routeId, c.cost?.total])).toEqual([
      ['warehouse:WH-DUI', 6.11],
      ['rail:R2-2026-11-25', 6.11],
    ]);
    expect(d.chosen?.routeId).toBe('warehouse:WH-DUI');
  });

  it('breaks a price and ETA tie by the route id', () => {
    const n = fixtureNetwork();
    (n as { parcelServices: unknown }).parcelServices = [...n.parcelServices, { ...service(n, 'CN-STD'), id: 'CN-ECO' }];
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]], { placedAt: JUNE.toISOString() }), n, JUNE);
    expect(d.candidates.slice(0, 2).map((c) => c.routeId)).toEqual(['direct:CN-ECO', 'direct:CN-STD']);
    expect(d.chosen?.routeId).toBe('direct:CN-ECO');
  });

  it('breaks a price and ETA tie by fewer shipments before the route id', () => {
    const plan = (routeId: string, parts: number): Plan => ({ routeId, parts: new Array(parts).fill(null) as never, total: 500, etaLo: 10, etaHi: 20 });
    const ranked = [plan('split:a+b', 2), plan('warehouse:Z', 1), plan('direct:A', 1), { ...plan('direct:B', 1), etaHi: 19 }].sort(comparePlans);
    expect(ranked.map((p) => p.routeId)).toEqual(['direct:B', 'direct:A', 'warehouse:Z', 'split:a+b']);
  });

  it('lists feasible candidates by rank, then the infeasible ones by route id', () => {
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]]), fixtureNetwork(), NOW);
    const feasible = d.candidates.filter((c) => c.feasible);
    expect(d.candidates.slice(0, feasible.length)).toEqual(feasible);
    const totals = feasible.map((c) => c.cost!.total);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    const rest = d.candidates.slice(feasible.length).map((c) => c.routeId);
    expect(rest).toEqual([...rest].sort());
  });
});

describe('unroutable orders', () => {
  it('reports an unknown SKU on every candidate', () => {
    // HOODIE belongs to tianmen, not yiwu
    const d = route(order('yiwu', 'DE', [['SOCKS-5', 1], ['NOPE', 1], ['HOODIE', 2]]), fixtureNetwork(), NOW);
    expect(d.status).toBe('unroutable');
    expect(d.chosen).toBeUndefined();
    expect(d.savingsVsDirect).toBeUndefined();
    expect(d.candidates.map((c) => c.routeId)).toEqual([
      'direct:CN-STD', 'direct:CP-EPK', 'direct:DHL-EXP', 'direct:YUN-DDP', 'rail:R1', 'rail:R2', 'warehouse:WH-DUI', 'warehouse:WH-MAD',
    ]);
    for (const c of d.candidates) {
      expect(c.feasible).toBe(false);
      expect(c.reasons).toEqual([
        { code: 'unknown-sku', message: "NOPE, HOODIE are not in yiwu's catalogue", params: { sellerId: 'yiwu', skus: ['NOPE', 'HOODIE'] } },
      ]);
    }
    expect(reservationsOf(d, fixtureNetwork())).toEqual({ stock: [], capacity: [] });
  });

  it('is unroutable with every reason when nothing can carry the order', () => {
    // a power bank to the US: no rates, no last mile, batteries refused
    const d = route(order('yiwu', 'US', [['PWR-10K', 1]]), fixtureNetwork(), NOW);
    expect(d.status).toBe('unroutable');
    expect(d.chosen).toBeUndefined();
    expect(codes(candidate(d, 'direct:CN-STD'))).toEqual(['no-rate', 'battery']);
    expect(codes(candidate(d, 'warehouse:WH-DUI'))).toEqual(['no-last-mile']);
    expect(codes(candidate(d, 'warehouse:WH-MAD'))).toEqual(['no-stock', 'no-last-mile']);
    expect(codes(candidate(d, 'rail:R1-2026-11-24'))).toEqual(['no-last-mile']);
    expect(DecisionSchema.parse(d)).toEqual(d);
  });

  it('rejects an order of a seller the network does not know', () => {
    expect(() => route(order('nobody', 'DE', [['TEE-COT', 1]]), fixtureNetwork(), NOW)).toThrow(ValidationError);
  });
});

describe('report currency and reservations', () => {
  it('prices in the seller report currency, components adding up exactly', () => {
    const n = fixtureNetwork();
    n.sellers.find((s) => s.id === 'tianmen')!.reportCurrency = 'CNY';
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]]), n, NOW);
    // CN-STD: ¥28.60; duty €3 × 8.2 = ¥24.60; VAT ¥4.674 → ¥4.67
    expect(amounts(candidate(d, 'direct:CN-STD'))).toEqual({ freight: 28.6, duty: 24.6, 'vat-on-duty': 4.67 });
    expect(candidate(d, 'direct:CN-STD').cost).toMatchObject({ total: 57.87, currency: 'CNY' });
    // WH-DUI: pick 1.50 × 8.2 = 12.30, packaging 0.656 → 0.66, last mile 33.62, linehaul 1.313 → 1.31,
    // bulk duty 1.8167 → 1.82, inbound 0.164 → 0.16, storage 0.2425 → 0.24 = 50.11
    expect(d.chosen?.cost).toMatchObject({ total: 50.11, currency: 'CNY' });
    expect(d.savingsVsDirect).toEqual({ amount: 7.76, currency: 'CNY' });
  });

  it('reserves stock for warehouse shipments and whole litres for rail shipments', () => {
    const wh = route(order('tianmen', 'DE', [['TEE-COT', 3]]), fixtureNetwork(), NOW);
    expect(reservationsOf(wh, fixtureNetwork())).toEqual({ stock: [{ warehouseId: 'WH-DUI', sku: 'TEE-COT', qty: 3 }], capacity: [] });
    const n = fixtureNetwork();
    setStock(n, 'tianmen', 'WH-DUI', 'TEE-COT', 0);
    // no stock in Duisburg: the R2 train (priced like WH-DUI: 7.57) beats CN-STD
    // (600 g: ¥17 + ¥58 × 0.6 = ¥51.80 → 6.32 + 3 + 0.57 = 9.89)
    const rail = route(order('tianmen', 'DE', [['TEE-COT', 3]], FAR), n, NOW);
    expect(rail.chosen?.routeId).toBe('rail:R2-2026-11-25');
    expect(rail.chosen?.cost.total).toBe(7.57);
    expect(candidate(rail, 'direct:CN-STD').cost?.total).toBe(9.89);
    // 3 × 1232 cm³ = 3.696 L → 4 L
    expect(reservationsOf(rail, n)).toEqual({ stock: [], capacity: [{ departureId: 'R2-2026-11-25', laneId: 'R2', litres: 4 }] });
  });
});

describe('stored decisions of the old shape (ADR 0009)', () => {
  /** A decision as stored before ids and params: strip them from what the router writes today. */
  const oldShape = (d: Decision): unknown =>
    JSON.parse(JSON.stringify(d, (key, value: unknown) => (['serviceId', 'warehouseId', 'departureId', 'laneId', 'params', 'parts'].includes(key) ? undefined : value)));

  it('still parse, and their ids are derived from the route ids they carry', () => {
    const n = fixtureNetwork();
    const fresh = route(order('yiwu', 'ES', [['BAUBLES-12', 3], ['UMB-3F', 2]], FAR), n, NOW);
    const old = DecisionSchema.parse(oldShape(fresh));
    expect(old.candidates.every((c) => c.serviceId === undefined && (c.reasons ?? []).every((r) => r.params === undefined))).toBe(true);
    for (const [now, then] of fresh.candidates.map((c, i) => [c, old.candidates[i]!] as const)) {
      // A rail route's warehouse and lane need the network; the id names the service, warehouse or departure.
      const ids = (e: Candidate) => ({ serviceId: e.serviceId, warehouseId: e.mode === 'overseas-warehouse' ? e.warehouseId : undefined, departureId: e.departureId });
      expect(ids({ ...then, ...targetOf(then) })).toEqual(ids(now));
      expect(partsOf(then).map((p) => p.routeId)).toEqual(partsOf(now).map((p) => p.routeId));
    }
    // What committing takes is the same, read from either shape.
    expect(reservationsOf(old, n)).toEqual(reservationsOf(fresh, n));
  });

  it('name the lane of an old rail candidate that had no departure', () => {
    const d = route(order('tianmen', 'DE', [['TEE-COT', 1]], FAR), fixtureNetwork(), new Date('2026-12-10T00:00:00Z'));
    const old = DecisionSchema.parse(oldShape(d));
    const { laneId, departureId } = targetOf(candidate(old, 'rail:R1'));
    expect({ laneId, departureId }).toEqual({ laneId: 'R1', departureId: undefined });
  });
});
