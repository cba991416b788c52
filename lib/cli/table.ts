/**
 * The demo's readable summary: one row per quoted order with the chosen route, its total, the
 * runner-up and the saving against the cheapest direct parcel. Pure: decisions in, text out.
 */
import type { Candidate, Decision } from '#routing/decision.ts';

export interface DemoRow {
  /** What the row is called: the sample file's name. */
  readonly label: string;
  readonly decision: Decision;
}

const DASH = '—';
const money = (amount: number, currency: string) => `${amount.toFixed(2)} ${currency}`;

/**
 * The saving against the cheapest direct parcel as a difference, never as a bare amount that
 * reads like a price: "saves 0.96 EUR", "costs 1.20 EUR more", "same cost".
 */
export function savingText(saving: { readonly amount: number; readonly currency: string } | undefined, none = DASH): string {
  if (saving === undefined) return none;
  const cents = Math.round(saving.amount * 100);
  if (cents === 0) return 'same cost';
  return cents > 0 ? `saves ${money(saving.amount, saving.currency)}` : `costs ${money(-saving.amount, saving.currency)} more`;
}

/**
 * The best feasible candidate other than the chosen route, ranked as ROUTING.md §4 ranks:
 * cheapest, then earlier latest ETA, then fewer shipments (a split has several), then route id.
 */
export function runnerUp(decision: Decision): Candidate | undefined {
  const chosen = decision.chosen?.routeId;
  const shipments = (c: Candidate) => (c.mode === 'split' ? 2 : 1);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return decision.candidates
    .filter((c) => c.feasible && c.cost !== undefined && c.routeId !== chosen)
    .sort(
      (a, b) =>
        a.cost!.total - b.cost!.total ||
        cmp(a.eta?.latest ?? '', b.eta?.latest ?? '') ||
        shipments(a) - shipments(b) ||
        cmp(a.routeId, b.routeId),
    )[0];
}

/** The table as text, columns padded, then for each unroutable order every route and why it failed. */
export function formatDemoTable(rows: readonly DemoRow[]): string {
  const header = ['order', 'mode', 'chosen route', 'total', 'eta (latest)', 'runner-up', 'vs cheapest direct parcel'];
  const body = rows.map(({ label, decision }) => {
    const c = decision.chosen;
    if (decision.status !== 'routed' || c === undefined) return [label, 'unroutable', DASH, DASH, DASH, DASH, DASH];
    const next = runnerUp(decision);
    const nextText = next === undefined ? DASH : `${next.routeId} ${money(next.cost!.total, next.cost!.currency)}`;
    const saving = decision.savingsVsDirect;
    return [
      label,
      c.mode,
      c.routeId,
      money(c.cost.total, c.cost.currency),
      c.eta.latest,
      nextText,
      savingText(saving),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  for (const { label, decision } of rows) {
    if (decision.status === 'routed') continue;
    out.push('', `${label} is unroutable:`);
    for (const c of decision.candidates) {
      const reasons = (c.reasons ?? []).map((r) => r.message);
      if (reasons.length > 0) out.push(`  - ${c.routeId}: ${reasons.join('; ')}`);
    }
  }
  return out.join('\n') + '\n';
}
