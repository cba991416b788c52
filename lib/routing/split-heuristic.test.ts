/**
 * The split heuristic beyond eight lines (ROUTING.md §3, issue 11 item 2, ADR 0033), on a
 * realistic 100-SKU network (test-network-100.ts): it finds a feasible route whenever each line
 * alone has one (before: 97 % of such orders routed at 9 lines, 85 % at 16, 48 % at 32 on this
 * network), and where the exhaustive search also runs (≤ 8 lines, the heuristic forced) it
 * stays within 1 % of the optimum.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalOrder } from '#network/schemas.ts';
import type { Plan } from './choosing.ts';
import { compile } from './compile.ts';
import { route } from './route.ts';
import { createContext } from './sources.ts';
import { bestSplit, MAX_EXACT_LINES } from './split.ts';
import { COUNTRIES_100, network100, order100, SELLER_100 } from './test-network-100.ts';
import { fixtureNetwork, NOW, order } from './test-fixtures.ts';

const NETWORK = network100();
const COMPILED = compile(NETWORK);

const orderArb = (minLines: number, maxLines: number) =>
  fc
    .record({
      lines: fc.array(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 3 })), { minLength: minLines, maxLength: maxLines }),
      country: fc.constantFrom(...COUNTRIES_100),
      serviceLevel: fc.option(fc.constantFrom('economy', 'standard', 'express') as fc.Arbitrary<'economy' | 'standard' | 'express'>, { nil: undefined }),
    })
    .map(({ lines, country, serviceLevel }) => order100(country, lines, serviceLevel === undefined ? {} : { serviceLevel }));

const eachLineAloneRoutes = (o: CanonicalOrder) => o.lines.every((l) => route({ ...o, lines: [l] }, NETWORK, NOW).status === 'routed');

function splits(o: CanonicalOrder): { exact: Plan | undefined; heuristic: Plan | undefined } {
  const ctx = createContext(COMPILED, COMPILED.sellers.get(SELLER_100)!, o, COMPILED.skus.get(SELLER_100)!, NOW);
  return { exact: bestSplit(ctx), heuristic: bestSplit(ctx, { heuristic: true }) };
}

describe('the split heuristic beyond eight lines', () => {
  it('routes every order of 9–40 lines whose lines each have a route alone', () => {
    fc.assert(
      fc.property(orderArb(MAX_EXACT_LINES + 1, 40), (o) => {
        fc.pre(eachLineAloneRoutes(o));
        const d = route(o, NETWORK, NOW);
        expect(d.status).toBe('routed');
        // every line shipped once, and no warehouse or departure carrying two parts
        const shipped = d.chosen!.shipments.flatMap((s) => s.lines.map((l) => `${l.sku}×${l.qty}`)).sort();
        expect(shipped).toEqual(o.lines.map((l) => `${l.sku}×${l.qty}`).sort());
        const once = d.chosen!.shipments.map((s) => s.routeId).filter((id) => !id.startsWith('direct:'));
        expect(new Set(once).size).toBe(once.length);
      }),
      { numRuns: 60, seed: 20261202 },
    );
  });

  it('stays within 1 % of the exhaustive optimum where both run (≤ 8 lines, heuristic forced)', () => {
    const sample = fc.sample(orderArb(2, MAX_EXACT_LINES), { numRuns: 240, seed: 11 });
    let exactSum = 0;
    let heuristicSum = 0;
    let compared = 0;
    for (const o of sample) {
      const { exact, heuristic } = splits(o);
      // the guarantee: a split whenever the exhaustive search finds one; and never below the optimum
      expect(heuristic === undefined).toBe(exact === undefined);
      if (exact === undefined || heuristic === undefined) continue;
      expect(heuristic.total).toBeGreaterThanOrEqual(exact.total);
      exactSum += exact.total;
      heuristicSum += heuristic.total;
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
    expect(heuristicSum / exactSum - 1).toBeLessThanOrEqual(0.01);
  });

  it('routes lines no parcel service carries (power banks) exactly first, then the rest around them', () => {
    // 10 lines: two of power banks (standalone batteries: no parcel service, only WH-DUI holds
    // them) and eight of socks and clips
    const lines: [string, number][] = [['PWR-10K', 2], ['PWR-10K', 3]];
    for (let i = 0; i < 8; i++) lines.push([i % 2 === 0 ? 'SOCKS-5' : 'CLIPS-6', 1 + (i % 3)]);
    const d = route(order('yiwu', 'FR', lines), fixtureNetwork(), NOW);
    expect(d.status).toBe('routed');
    const withBatteries = d.chosen!.shipments.filter((s) => s.lines.some((l) => l.sku === 'PWR-10K'));
    expect(withBatteries.map((s) => s.routeId)).toEqual(['warehouse:WH-DUI']);
    expect(withBatteries[0]!.lines.filter((l) => l.sku === 'PWR-10K')).toEqual([{ sku: 'PWR-10K', qty: 2 }, { sku: 'PWR-10K', qty: 3 }]);
  });

  it('cannot route lines that each fit a warehouse alone but not together — no route exists then', () => {
    // The guarantee's limit: 8 + 8 power banks (2 kg each, 4 kg together: within the last mile's
    // 5 kg band), 10 in WH-DUI, no parcel service takes them.
    // Each line alone routes; together no split exists (a warehouse ships one part), exhaustively.
    const n = fixtureNetwork();
    n.stock.find((s) => s.warehouseId === 'WH-DUI' && s.sku === 'PWR-10K')!.available = 10;
    const o = order('yiwu', 'DE', [['PWR-10K', 8], ['PWR-10K', 8]]);
    expect(o.lines.every((l) => route({ ...o, lines: [l] }, n, NOW).status === 'routed')).toBe(true);
    expect(route(o, n, NOW).status).toBe('unroutable');
  });

  it('decides large orders the same way every time', () => {
    const [o] = fc.sample(orderArb(30, 30), { numRuns: 1, seed: 3 });
    const first = JSON.stringify(route(o!, NETWORK, NOW));
    expect(JSON.stringify(route(structuredClone(o!), network100(), new Date(NOW.getTime())))).toBe(first);
  });
});
