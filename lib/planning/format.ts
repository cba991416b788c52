/**
 * The readable tables of `silkroute plan` and `silkroute report`: pure, plan or report in, text
 * out, so the CLI and (later) the cut-off email print the same rows.
 */
import { toMinor } from '#routing/money.ts';
import { fmtCbm, money, type LoadPlan } from './plan.ts';
import type { SavingsReport } from './report.ts';

/**
 * One block per departure and seller: the header, then a row per line with its reason.
 * @example formatPlanTable(plan({ history, network, now }))
 */
export function formatPlanTable(p: LoadPlan): string {
  const out: string[] = [`load plan as of ${p.asOf} · service level ${Math.round(p.serviceLevel * 1000) / 10} % · demand over ${p.windowDays} days`];
  if (p.departures.length === 0) out.push('', 'no departure open for loading (every cut-off has passed)');
  for (const d of p.departures) {
    const cur = d.expectedSaving.currency;
    out.push(
      '',
      `${d.departureId} · ${d.laneId} → ${d.warehouseId} · ${d.sellerId}`,
      `  cut-off ${d.cutoffAt} · arrives ${d.arrivesOn} · covers until ${d.coversUntil}`,
      `  capacity ${d.capacityCbm.toFixed(2)} m³ · planned ${d.usedCbm.toFixed(2)} m³ · expected saving ${money(toMinor(d.expectedSaving.amount, cur), cur)}`,
    );
    if (d.lines.length === 0) out.push('  nothing to load');
    else {
      const rows = d.lines.map((l) => [l.sku, String(l.units), fmtCbm(l.cbm), money(toMinor(l.savingPerUnit.amount, cur), cur), l.why]);
      out.push(...table(['sku', 'units', 'm³', 'saved/unit', 'why'], rows, [false, true, true, true, false]).map((r) => `  ${r}`));
    }
    for (const n of d.notPlanned) out.push(`  not planned: ${n.why}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Per seller: orders by mode, spend, the two baselines and the saving missed for lack of stock.
 * @example formatReportTable(report({ history, network }))
 */
export function formatReportTable(r: SavingsReport): string {
  const out: string[] = [`savings report ${r.from ?? 'from the first decision'} .. ${r.to ?? 'the last'}`];
  if (r.sellers.length === 0) out.push('', 'no decisions in this period');
  for (const s of r.sellers) {
    const m = (amount: number) => money(toMinor(amount, s.currency), s.currency);
    const modes = Object.entries(s.orders.byMode).map(([k, v]) => `${k} ${v}`).join(', ');
    const rows: string[][] = [
      ['spend', m(s.spend.amount), ''],
      ['baseline: all direct', m(s.baselines.allDirect.amount), `saved ${m(s.baselines.allDirect.saved)}${s.baselines.allDirect.ordersWithoutDirect > 0 ? ` (${plural(s.baselines.allDirect.ordersWithoutDirect, 'order')} had no direct parcel)` : ''}`],
      ['baseline: warehouse when in stock', m(s.baselines.warehouseWhenInStock.amount), `saved ${m(s.baselines.warehouseWhenInStock.saved)}`],
      [
        'missed for lack of stock',
        s.missedForStock.amount === null ? 'n/a' : m(s.missedForStock.amount),
        `${plural(s.missedForStock.orders, 'order')}${s.missedForStock.unroutable > 0 ? `, ${s.missedForStock.unroutable} of them not routable at all` : ''}`,
      ],
    ];
    out.push('', `${s.sellerId} (${s.currency})`, `  ${s.orders.total} orders: ${modes}`, ...table(['', 'amount', ''], rows, [false, true, false]).slice(1).map((x) => `  ${x}`));
  }
  return `${out.join('\n')}\n`;
}

function plural(n: number, one: string): string {
  return `${n} ${n === 1 ? one : `${one}s`}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]): string[] {
  const width = head.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const cell = (text: string, i: number) => {
    const pad = ' '.repeat(width[i]! - [...text].length);
    return right[i] ? pad + text : text + pad;
  };
  const fmt = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : cell(c, i))).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)];
}
