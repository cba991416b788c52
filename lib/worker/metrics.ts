/**
 * The business metrics of one committed decision (names in lib/shared/metrics.ts, graphed by the
 * CDK dashboard). Written against a minimal sink so the worker logic stays testable without EMF.
 */
import type { Decision } from '#routing/decision.ts';
import type { Fx } from '#network/schemas.ts';
import { fxRate } from '#routing/money.ts';
import { METRICS } from '#shared/metrics.ts';

export interface MetricSink {
  /** A count or measurement; `dimensions` set only on this data point. */
  put(name: string, unit: 'Count' | 'Milliseconds' | 'None', value: number, dimensions?: Record<string, string>): void;
}

/** Emits mode, savings (in EUR, so sellers reporting in CNY and EUR add up) and latency. */
export function recordDecisionMetrics(
  sink: MetricSink,
  decision: Decision,
  receivedAt: string,
  fx: Fx,
  rerouted: boolean,
): void {
  if (decision.status === 'routed' && decision.chosen !== undefined) {
    sink.put(METRICS.ordersRouted, 'Count', 1, { mode: decision.chosen.mode });
  } else {
    sink.put(METRICS.ordersUnroutable, 'Count', 1);
  }
  if (decision.savingsVsDirect !== undefined) {
    const eur = decision.savingsVsDirect.amount / fxRate(fx, decision.savingsVsDirect.currency);
    sink.put(METRICS.savingsVsDirectEur, 'None', Math.round(eur * 100) / 100);
  }
  const latency = Date.parse(decision.decidedAt) - Date.parse(receivedAt);
  if (Number.isFinite(latency) && latency >= 0) sink.put(METRICS.decisionLatencyMs, 'Milliseconds', latency);
  if (rerouted) sink.put(METRICS.reroutesOnContention, 'Count', 1);
}
