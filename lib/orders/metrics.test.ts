import { describe, expect, it } from 'vitest';
import type { Decision } from '#routing/decision.ts';
import { METRICS } from '#shared/metrics.ts';
import type { MetricSink } from './ports.ts';
import { recordDecisionMetrics } from './route-order.ts';

const fx = { base: 'EUR' as const, asOf: '2026-01-05', rates: { CNY: 8.2 } };

function collect() {
  const points: { name: string; unit: string; value: number; dimensions?: Record<string, string> }[] = [];
  const sink: MetricSink = { put: (name, unit, value, dimensions) => points.push({ name, unit, value, ...(dimensions ? { dimensions } : {}) }) };
  return { sink, points };
}

const routed: Decision = {
  orderId: 'ord_1',
  sellerId: 'tianmen',
  decidedAt: '2026-11-22T08:00:02.500Z',
  status: 'routed',
  chosen: {
    routeId: 'warehouse:WH-DUI',
    mode: 'overseas-warehouse',
    cost: { total: 50.02, currency: 'CNY', components: [] },
    eta: { earliest: '2026-11-24', latest: '2026-11-24' },
    shipments: [],
  },
  candidates: [],
  savingsVsDirect: { amount: 8.2, currency: 'CNY' },
};

describe('decision metrics', () => {
  it('counts a routed order by mode, converts the saving to EUR and measures latency from receipt', () => {
    const { sink, points } = collect();
    recordDecisionMetrics(sink, routed, '2026-11-22T08:00:00.000Z', fx, false);
    expect(points).toEqual([
      { name: METRICS.ordersRouted, unit: 'Count', value: 1, dimensions: { mode: 'overseas-warehouse' } },
      { name: METRICS.savingsVsDirectEur, unit: 'None', value: 1 },
      { name: METRICS.decisionLatencyMs, unit: 'Milliseconds', value: 2500 },
    ]);
  });

  it('counts an unroutable order and a contention reroute, and no saving without a direct parcel', () => {
    const { sink, points } = collect();
    const unroutable: Decision = { ...routed, status: 'unroutable', candidates: [] };
    delete (unroutable as { chosen?: unknown }).chosen;
    delete (unroutable as { savingsVsDirect?: unknown }).savingsVsDirect;
    recordDecisionMetrics(sink, unroutable, '2026-11-22T08:00:00.000Z', fx, true);
    expect(points.map((p) => p.name)).toEqual([METRICS.ordersUnroutable, METRICS.decisionLatencyMs, METRICS.reroutesOnContention]);
  });
});
