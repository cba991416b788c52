/**
 * A realistic 100-SKU network for the split search's tests (issue 11): the test network's
 * parcel services, rail lanes, warehouses, duties and FX (test-fixtures.ts, from the reference
 * figures), plus one seller, `hundred`, with 100 generated SKUs — garments, socks, umbrellas,
 * toys, decorations, hair clips, bags, jewellery and power banks, 40 g to 1.5 kg, mostly without
 * batteries, some with contained ones and a few standalone — about half of them stocked in each
 * warehouse. Deterministic (a fixed seed), so a failing case can be replayed.
 */
import type { CanonicalOrder, Seller, Sku, StockRecord } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { fixtureNetwork, NOW } from './test-fixtures.ts';

export const SELLER_100 = 'hundred';
export const COUNTRIES_100 = ['ES', 'DE', 'FR', 'PL', 'IT', 'NL'] as const;

/** mulberry32: a small deterministic generator. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Kinds of goods: HS code, weight range (g), box (cm, min–max per side), value range (EUR), battery share. */
const KINDS: readonly { hs: string; g: [number, number]; dims: [[number, number], [number, number], [number, number]]; eur: [number, number]; battery?: Sku['battery'] }[] = [
  { hs: '610910', g: [150, 300], dims: [[25, 32], [20, 26], [2, 4]], eur: [1.5, 3] },
  { hs: '620443', g: [250, 500], dims: [[28, 36], [22, 28], [3, 6]], eur: [3, 8] },
  { hs: '611020', g: [500, 900], dims: [[32, 40], [28, 34], [6, 10]], eur: [5, 10] },
  { hs: '611595', g: [60, 150], dims: [[15, 22], [10, 16], [2, 4]], eur: [0.6, 1.5] },
  { hs: '660191', g: [250, 450], dims: [[25, 32], [6, 9], [6, 9]], eur: [1, 2.5] },
  { hs: '950300', g: [200, 1500], dims: [[15, 45], [12, 35], [5, 15]], eur: [1.5, 9] },
  { hs: '950510', g: [150, 600], dims: [[20, 35], [15, 25], [8, 12]], eur: [0.8, 3] },
  { hs: '961519', g: [40, 120], dims: [[10, 16], [6, 12], [2, 5]], eur: [0.3, 1] },
  { hs: '420222', g: [300, 1200], dims: [[30, 45], [25, 35], [5, 15]], eur: [3, 12] },
  { hs: '711719', g: [40, 100], dims: [[8, 12], [6, 10], [3, 5]], eur: [0.5, 3] },
  { hs: '851310', g: [100, 400], dims: [[12, 25], [6, 12], [4, 8]], eur: [1, 5], battery: 'contained' },
  { hs: '850760', g: [200, 350], dims: [[12, 16], [7, 9], [2, 4]], eur: [3, 6], battery: 'standalone' },
];
/** How often each kind occurs among the 100 SKUs (standalone batteries: 3 in 100). */
const WEIGHTS = [14, 12, 8, 10, 6, 12, 8, 8, 7, 5, 7, 3];

/** The test network with the `hundred` seller and its 100 SKUs and stock added. */
export function network100(): NetworkSnapshot {
  const base = fixtureNetwork();
  const next = random(100_2026);
  const between = ([lo, hi]: [number, number]) => lo + next() * (hi - lo);
  const totalWeight = WEIGHTS.reduce((s, w) => s + w, 0);
  const skus: Sku[] = [];
  const stock: StockRecord[] = [];
  for (let i = 0; i < 100; i++) {
    let r = next() * totalWeight;
    let k = 0;
    while (r >= WEIGHTS[k]!) r -= WEIGHTS[k++]!;
    const kind = KINDS[k]!;
    const code = `H${String(i).padStart(3, '0')}`;
    skus.push({
      sellerId: SELLER_100,
      sku: code,
      title: code,
      hsCode: kind.hs,
      weightG: Math.round(between(kind.g)),
      dimsCm: kind.dims.map((d) => Math.round(between(d))) as [number, number, number],
      customsValue: { amount: Math.round(between(kind.eur) * 100) / 100, currency: 'EUR' },
      battery: kind.battery ?? 'none',
    });
    for (const warehouseId of ['WH-DUI', 'WH-MAD']) {
      if (next() < 0.5) stock.push({ sellerId: SELLER_100, warehouseId, sku: code, available: Math.floor(next() * 300) });
    }
  }
  const seller: Seller = { id: SELLER_100, name: 'Hundred SKUs Trading', email: 'ops@hundred.example', language: 'en', reportCurrency: 'EUR', origin: 'CN-YIW' };
  return { ...base, sellers: [...base.sellers, seller], skus: [...base.skus, ...skus], stock: [...base.stock, ...stock] };
}

/** An order of the `hundred` seller; `lines` as [SKU index 0–99, qty] pairs. */
export function order100(country: string, lines: readonly (readonly [number, number])[], extra: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return {
    orderId: 'ord-100',
    sellerId: SELLER_100,
    marketplace: 'test',
    externalId: 'ext-100',
    placedAt: NOW.toISOString(),
    shipTo: { country },
    lines: lines.map(([i, qty]) => ({ sku: `H${String(i).padStart(3, '0')}`, qty })),
    ...extra,
  };
}
