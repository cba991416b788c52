/**
 * The readable tables of `silkroute plan` and `silkroute report`: pure, plan or report in, text
 * out, so the CLI and (later) the cut-off email print the same rows.
 */
import { toMinor } from '#routing/money.ts';
import { fmtCbm, money, type LoadPlan } from './plan.ts';
import type { SavingsReport } from './report.ts';
import { CHART_LABELS } from './chart.ts';
import type { PlanLanguage } from './why.ts';

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

const REPORT_WORDS = {
  en: {
    head: (from: string | null, to: string | null) => `savings report ${from ?? 'from the first decision'} .. ${to ?? 'the last'}`,
    empty: 'no decisions in this period',
    orders: (n: number, modes: string) => `${n} orders: ${modes}`,
    spend: 'spend',
    allDirect: 'baseline: all direct',
    inStock: 'baseline: warehouse when in stock',
    missed: 'missed for lack of stock',
    amount: 'amount',
    saved: (m: string) => `saved ${m}`,
    noDirect: (n: number) => ` (${plural(n, 'order')} had no direct parcel)`,
    missedOrders: (n: number, unroutable: number) => `${plural(n, 'order')}${unroutable > 0 ? `, ${unroutable} of them not routable at all` : ''}`,
    mode: (m: string) => m,
  },
  'zh-CN': {
    head: (from: string | null, to: string | null) => `节省报告 ${from ?? '第一单起'} 至 ${to ?? '最后一单'}`,
    empty: '此期间没有订单',
    orders: (n: number, modes: string) => `共 ${n} 单：${modes}`,
    spend: '实际运费',
    allDirect: '基准：全部直发小包',
    inStock: '基准：有现货时走海外仓',
    missed: '因缺货多花的运费',
    amount: '金额',
    saved: (m: string) => `节省 ${m}`,
    noDirect: (n: number) => `（${n} 单没有小包渠道）`,
    missedOrders: (n: number, unroutable: number) => `${n} 单${unroutable > 0 ? `，其中 ${unroutable} 单完全无法发货` : ''}`,
    mode: (m: string) => CHART_LABELS['zh-CN'].modes[m] ?? m,
  },
} as const;

/**
 * Per seller: orders by mode, spend, the two baselines and the saving missed for lack of stock.
 * @example formatReportTable(report({ history, network }))
 */
export function formatReportTable(r: SavingsReport, language: PlanLanguage = 'en'): string {
  const w = REPORT_WORDS[language];
  const out: string[] = [w.head(r.from, r.to)];
  if (r.sellers.length === 0) out.push('', w.empty);
  for (const s of r.sellers) {
    const m = (amount: number) => money(toMinor(amount, s.currency), s.currency);
    const modes = Object.entries(s.orders.byMode).map(([k, v]) => `${w.mode(k)} ${v}`).join(language === 'zh-CN' ? '，' : ', ');
    const rows: string[][] = [
      [w.spend, m(s.spend.amount), ''],
      [w.allDirect, m(s.baselines.allDirect.amount), `${w.saved(m(s.baselines.allDirect.saved))}${s.baselines.allDirect.ordersWithoutDirect > 0 ? w.noDirect(s.baselines.allDirect.ordersWithoutDirect) : ''}`],
      [w.inStock, m(s.baselines.warehouseWhenInStock.amount), w.saved(m(s.baselines.warehouseWhenInStock.saved))],
      [w.missed, s.missedForStock.amount === null ? (language === 'zh-CN' ? '—' : 'n/a') : m(s.missedForStock.amount), w.missedOrders(s.missedForStock.orders, s.missedForStock.unroutable)],
    ];
    out.push('', `${s.sellerId} (${s.currency})`, `  ${w.orders(s.orders.total, modes)}`, ...table(['', w.amount, ''], rows, [false, true, false]).slice(1).map((x) => `  ${x}`));
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
