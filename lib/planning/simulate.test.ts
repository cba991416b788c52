import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNetworkDir } from '#network/load.ts';
import type { NetworkFiles, NetworkSnapshot } from '#network/types.ts';
import { formatHistoryLine, parseHistoryLine } from './history.ts';
import { report } from './report.ts';
import { simulate } from './simulate.ts';

const DATA = fileURLToPath(new URL('../../data/demo', import.meta.url));
const NOW = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;
let files: NetworkFiles;
let snapshot: NetworkSnapshot;
beforeAll(async () => {
  ({ files, snapshot } = await loadNetworkDir(DATA, { now: NOW }));
});

describe('a simulated month on the demo network', () => {
  it('is the same history for the same seed, and another for another seed', () => {
    const a = simulate({ files, days: 5, now: NOW, seed: 3 });
    const b = simulate({ files, days: 5, now: NOW, seed: 3 });
    const c = simulate({ files, days: 5, now: NOW, seed: 4 });
    expect(a.history.map(formatHistoryLine)).toEqual(b.history.map(formatHistoryLine));
    expect(c.history.map(formatHistoryLine)).not.toEqual(a.history.map(formatHistoryLine));
    expect(a.history.length).toBeGreaterThan(200);
  });

  it('writes lines the history reader takes back, ending at --now, in time order', () => {
    const { history } = simulate({ files, days: 3, now: NOW, seed: 1 });
    history.forEach((h, i) => {
      const back = parseHistoryLine(formatHistoryLine(h), i + 1);
      expect(Array.isArray(back)).toBe(false);
      expect(Date.parse(h.order.placedAt)).toBeLessThan(NOW.getTime());
      expect(Date.parse(h.order.placedAt)).toBeGreaterThanOrEqual(NOW.getTime() - 3 * DAY);
      if (i > 0) expect(h.order.placedAt >= history[i - 1]!.order.placedAt).toBe(true);
    });
  });

  it('draws stock down with every warehouse shipment and never below zero', () => {
    const { history, stock } = simulate({ files, days: 30, now: NOW, seed: 2 });
    const shipped = new Map<string, number>();
    for (const { decision } of history) {
      for (const s of decision.chosen?.shipments ?? []) {
        if (s.mode !== 'overseas-warehouse') continue;
        for (const l of s.lines) shipped.set(`${decision.sellerId}|${s.from}|${l.sku}`, (shipped.get(`${decision.sellerId}|${s.from}|${l.sku}`) ?? 0) + l.qty);
      }
    }
    for (const r of files.stock) {
      const left = stock.find((x) => x.sellerId === r.sellerId && x.warehouseId === r.warehouseId && x.sku === r.sku)!;
      expect(left.available).toBeGreaterThanOrEqual(0);
      expect(left.available).toBe(r.available - (shipped.get(`${r.sellerId}|${r.warehouseId}|${r.sku}`) ?? 0));
    }
    // The demo's stock runs out within the month: some orders are lost to it.
    expect(history.some((h) => h.decision.candidates.some((c) => c.reasons?.some((x) => x.code === 'no-stock')))).toBe(true);
  });

  it('following the plan beats both baselines', () => {
    // Eight weeks, the second four measured: the first trains planned need ~20 days to arrive.
    const from = new Date(NOW.getTime() - 28 * DAY).toISOString();
    const without = report({ history: simulate({ files, days: 56, now: NOW, seed: 1 }).history, network: snapshot, from });
    const followed = simulate({ files, days: 56, now: NOW, seed: 1, followPlan: {} });
    const withPlan = report({ history: followed.history, network: snapshot, from });
    expect(followed.loads.length).toBeGreaterThan(10);
    for (const s of withPlan.sellers) {
      const base = without.sellers.find((x) => x.sellerId === s.sellerId)!;
      // The same orders: the simulation's demand does not depend on the routes taken.
      expect(s.orders.total).toBe(base.orders.total);
      // Cheaper than sending everything direct…
      expect(s.spend.amount).toBeLessThan(s.baselines.allDirect.amount);
      // …and than the warehouse only when the stock someone imported happens to be there.
      expect(s.spend.amount).toBeLessThan(base.baselines.warehouseWhenInStock.amount);
      expect(s.spend.amount).toBeLessThan(base.spend.amount);
      // The plan is what recovers the saving missed for lack of stock.
      expect(s.missedForStock.amount!).toBeLessThan(base.missedForStock.amount!);
    }
  });
});
