/**
 * The daily digest's content (issue 14 item 5), computed from a period's decisions and the
 * seller's network: counts by route mode, spend, savings against the cheapest direct parcel,
 * the exceptions with their reasons, stock running low and the next rail cut-offs. Pure; the
 * use case (lib/orders/digest.ts) reads the orders, lib/email/digest.ts renders it.
 */
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision, Mode, Reason } from './decision.ts';

/** One order of the period as the digest sees it. */
export interface DigestEntry {
  readonly orderId: string;
  /** How people know the order (orderLabel: "#1042"); the digest shows it, else `#<orderId>`. */
  readonly orderNumber?: string;
  /** routed, unroutable or failed (routing gave up; `note` says why). */
  readonly status: string;
  readonly decision?: Decision;
  readonly note?: string;
}

export interface DigestException {
  readonly orderId: string;
  readonly orderNumber?: string;
  readonly status: 'unroutable' | 'failed';
  /** The first infeasibility reason of each candidate, deduplicated by code (empty for failed). */
  readonly reasons: readonly Reason[];
  readonly note?: string;
}

export interface DigestSummary {
  readonly sellerId: string;
  /** [start, end) of the period, ISO-8601. */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly total: number;
  readonly byMode: Readonly<Partial<Record<Mode, number>>>;
  /** Total of the chosen routes' costs, per currency (normally one: the report currency). */
  readonly spend: readonly { readonly amount: number; readonly currency: string }[];
  readonly savings: readonly { readonly amount: number; readonly currency: string }[];
  readonly exceptions: readonly DigestException[];
  readonly lowStock: readonly { readonly warehouseId: string; readonly sku: string; readonly available: number }[];
  readonly nextCutoffs: readonly { readonly laneId: string; readonly laneName: string; readonly departureId: string; readonly cutoffAt: string }[];
}

/** Stock at or below this many units counts as running low. */
export const LOW_STOCK_UNITS = 5;
/** Cut-offs listed in a digest. */
export const DIGEST_CUTOFFS = 3;

function addTo(totals: Map<string, number>, currency: string, amount: number): void {
  totals.set(currency, Math.round(((totals.get(currency) ?? 0) + amount) * 100) / 100);
}

function sums(totals: Map<string, number>): { amount: number; currency: string }[] {
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ amount, currency }));
}

export function summarizeDigest(
  sellerId: string,
  period: { start: Date; end: Date },
  entries: readonly DigestEntry[],
  network: NetworkSnapshot,
): DigestSummary {
  const byMode: Partial<Record<Mode, number>> = {};
  const spend = new Map<string, number>();
  const savings = new Map<string, number>();
  const exceptions: DigestException[] = [];
  for (const entry of entries) {
    const decision = entry.decision;
    if (entry.status === 'failed') {
      exceptions.push({ orderId: entry.orderId, ...(entry.orderNumber !== undefined && { orderNumber: entry.orderNumber }), status: 'failed', reasons: [], ...(entry.note !== undefined && { note: entry.note }) });
      continue;
    }
    if (decision === undefined) continue;
    if (decision.status === 'routed' && decision.chosen !== undefined) {
      byMode[decision.chosen.mode] = (byMode[decision.chosen.mode] ?? 0) + 1;
      addTo(spend, decision.chosen.cost.currency, decision.chosen.cost.total);
      if (decision.savingsVsDirect !== undefined) addTo(savings, decision.savingsVsDirect.currency, decision.savingsVsDirect.amount);
    } else {
      const seen = new Set<string>();
      const reasons: Reason[] = [];
      for (const candidate of decision.candidates) {
        for (const reason of candidate.reasons ?? []) {
          if (seen.has(reason.code)) continue;
          seen.add(reason.code);
          reasons.push(reason);
        }
      }
      exceptions.push({ orderId: entry.orderId, ...(entry.orderNumber !== undefined && { orderNumber: entry.orderNumber }), status: 'unroutable', reasons });
    }
  }
  const skus = new Set(network.skus.filter((s) => s.sellerId === sellerId).map((s) => s.sku));
  const lowStock = network.stock
    .filter((s) => s.sellerId === sellerId && skus.has(s.sku) && s.available <= LOW_STOCK_UNITS)
    .map((s) => ({ warehouseId: s.warehouseId, sku: s.sku, available: s.available }))
    .sort((a, b) => a.available - b.available || a.sku.localeCompare(b.sku) || a.warehouseId.localeCompare(b.warehouseId));
  const nextCutoffs = network.railLanes
    .flatMap((lane) =>
      lane.departures
        .filter((d) => Date.parse(d.cutoffAt) > period.end.getTime() && d.remainingLitres > 0)
        .map((d) => ({ laneId: lane.id, laneName: lane.name, departureId: d.id, cutoffAt: d.cutoffAt })),
    )
    .sort((a, b) => Date.parse(a.cutoffAt) - Date.parse(b.cutoffAt) || a.laneId.localeCompare(b.laneId))
    .slice(0, DIGEST_CUTOFFS);
  return {
    sellerId,
    periodStart: period.start.toISOString(),
    periodEnd: period.end.toISOString(),
    total: entries.length,
    byMode,
    spend: sums(spend),
    savings: sums(savings),
    exceptions,
    lowStock,
    nextCutoffs,
  };
}
