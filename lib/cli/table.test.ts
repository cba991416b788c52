import { describe, expect, it } from 'vitest';
import type { Candidate, Decision } from '#routing/decision.ts';
import { formatDemoTable, runnerUp } from './table.ts';

const cost = (total: number) => ({ total, currency: 'EUR', components: [{ name: 'freight', amount: total }] });
const eta = { earliest: '2026-11-25', latest: '2026-11-26' };
const feasible = (routeId: string, total: number, mode: Candidate['mode'] = 'direct-parcel'): Candidate => ({
  routeId,
  mode,
  feasible: true,
  cost: cost(total),
  eta,
});
const routed = (candidates: Candidate[], chosenId: string, savings?: number): Decision => {
  const chosen = candidates.find((c) => c.routeId === chosenId)!;
  return {
    orderId: 'o-1',
    sellerId: 's',
    decidedAt: '2026-11-23T01:00:00.000Z',
    status: 'routed',
    chosen: { routeId: chosen.routeId, mode: chosen.mode, cost: chosen.cost!, eta, shipments: [] },
    candidates,
    ...(savings === undefined ? {} : { savingsVsDirect: { amount: savings, currency: 'EUR' } }),
  };
};

describe('runnerUp', () => {
  it('ranks equal totals by the earlier latest ETA, then fewer shipments', () => {
    const later = { ...feasible('rail:R2-2026-11-25', 18.33, 'rail-to-warehouse'), eta: { earliest: '2026-12-12', latest: '2026-12-20' } };
    const sooner = feasible('warehouse:WH-DUI', 18.33, 'overseas-warehouse');
    const split = feasible('split:direct:CN-STD+warehouse:WH-DUI', 18.33, 'split');
    const chosen = feasible('rail:R1-2026-11-24', 12.01, 'rail-to-warehouse');
    expect(runnerUp(routed([chosen, later, split, sooner], chosen.routeId))?.routeId).toBe('warehouse:WH-DUI');
    expect(runnerUp(routed([chosen, later, split], chosen.routeId))?.routeId).toBe('split:direct:CN-STD+warehouse:WH-DUI');
  });

  it('is the cheapest feasible candidate other than the chosen one, ties by route id', () => {
    const candidates = [
      feasible('warehouse:WH-DUI', 6.1, 'overseas-warehouse'),
      feasible('direct:YUN-DDP', 7.5),
      feasible('direct:CN-STD', 7.06),
      feasible('direct:CP-EPK', 7.06),
      { routeId: 'direct:DHL-EXP', mode: 'direct-parcel', feasible: false, reasons: [] } as Candidate,
    ];
    expect(runnerUp(routed(candidates, 'warehouse:WH-DUI'))?.routeId).toBe('direct:CN-STD');
    expect(runnerUp(routed([candidates[0]!], 'warehouse:WH-DUI'))).toBeUndefined();
  });
});

describe('formatDemoTable', () => {
  it('aligns one row per order and explains each unroutable order once per reason', () => {
    const candidates = [feasible('warehouse:WH-DUI', 6.1, 'overseas-warehouse'), feasible('direct:CN-STD', 7.06)];
    const unroutable: Decision = {
      orderId: 'o-2',
      sellerId: 's',
      decidedAt: '2026-11-23T01:00:00.000Z',
      status: 'unroutable',
      candidates: [
        { routeId: 'direct:CN-STD', mode: 'direct-parcel', feasible: false, reasons: [{ code: 'battery', message: 'CN-STD refuses standalone batteries' }] },
        { routeId: 'warehouse:WH-DUI', mode: 'overseas-warehouse', feasible: false, reasons: [{ code: 'no-stock', message: 'WH-DUI has 3 of PWR-10K, needs 5' }] },
        { routeId: 'direct:YUN-DDP', mode: 'direct-parcel', feasible: false, reasons: [{ code: 'battery', message: 'CN-STD refuses standalone batteries' }] },
      ],
    };
    const text = formatDemoTable([
      { label: 'overseas-warehouse', decision: routed(candidates, 'warehouse:WH-DUI', 0.96) },
      { label: 'unroutable', decision: unroutable },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^order +mode +chosen route +total +eta \(latest\) +runner-up +vs cheapest direct parcel$/);
    expect(lines[2]).toMatch(
      /^overseas-warehouse +overseas-warehouse +warehouse:WH-DUI +6\.10 EUR +2026-11-26 +direct:CN-STD 7\.06 EUR +saves 0\.96 EUR$/,
    );
    expect(lines[3]).toMatch(/^unroutable +unroutable( +—){5}$/);
    // Columns line up: every cell of a column starts at the header's offset.
    const col = lines[0]!.indexOf('chosen route');
    expect(lines[2]!.indexOf('warehouse:WH-DUI')).toBe(col);
    expect(text).toContain(
      'unroutable is unroutable:\n' +
        '  - direct:CN-STD: CN-STD refuses standalone batteries\n' +
        '  - warehouse:WH-DUI: WH-DUI has 3 of PWR-10K, needs 5\n' +
        '  - direct:YUN-DDP: CN-STD refuses standalone batteries\n',
    );
  });
});
