/**
 * The savings chart: hand-written SVG (a few rects and texts need no charting library, and the
 * same string goes into an email, an HTML page or a file without a browser). Per seller, one
 * bar per figure — all direct, warehouse when in stock, what it cost, and what it would have
 * cost with the stock that was short — on a common scale; then the orders by mode.
 */
import { money } from './money-format.ts';
import type { SavingsReport } from './report.ts';
import type { PlanLanguage } from './why.ts';
import { toMinor } from '#routing/money.ts';

const W = 720;
const BAR_H = 22;
const LABEL_W = 230;
const COLORS = { allDirect: '#b0b7c3', inStock: '#7d8ca3', spend: '#2f6fb3', ideal: '#3a9d5d' } as const;
const MODE_COLORS: Readonly<Record<string, string>> = {
  'direct-parcel': '#b0b7c3',
  'overseas-warehouse': '#2f6fb3',
  'rail-to-warehouse': '#e0a030',
  split: '#8a5fb0',
  unroutable: '#c0392b',
};

/** The chart's words in each language (modes by the names the decision email gives them). */
export const CHART_LABELS = {
  en: {
    title: 'Shipping spend',
    allDirect: 'all direct from China',
    inStock: 'warehouse when in stock',
    spend: 'what it cost',
    ideal: 'with the stock that was short',
    byMode: (n: number) => `${n} orders by mode`,
    aria: 'Shipping spend against the baselines',
    modes: { 'direct-parcel': 'direct-parcel', 'overseas-warehouse': 'overseas-warehouse', 'rail-to-warehouse': 'rail-to-warehouse', split: 'split', unroutable: 'unroutable' } as Record<string, string>,
  },
  'zh-CN': {
    title: '运费支出',
    allDirect: '全部从中国直发小包',
    inStock: '有现货时走海外仓',
    spend: '实际运费',
    ideal: '缺的库存若都在仓',
    byMode: (n: number) => `按渠道：共 ${n} 单`,
    aria: '运费支出与两种基准对比',
    modes: { 'direct-parcel': '直发小包', 'overseas-warehouse': '海外仓发货', 'rail-to-warehouse': '班列头程', split: '拆单发货', unroutable: '无法发货' } as Record<string, string>,
  },
} as const satisfies Record<PlanLanguage, unknown>;

/**
 * The chart as an SVG document (UTF-8 text, deterministic), in English unless told otherwise.
 * @example writeFileSync('savings.svg', savingsChart(report({ history, network }), 'zh-CN'))
 */
export function savingsChart(r: SavingsReport, language: PlanLanguage = 'en'): string {
  const t = CHART_LABELS[language];
  const parts: string[] = [];
  let y = 36;
  parts.push(text(16, 24, `${t.title} ${r.from?.slice(0, 10) ?? ''}${r.to === null ? '' : ` – ${r.to.slice(0, 10)}`}`, 16, 'bold'));
  for (const s of r.sellers) {
    y += 14;
    parts.push(text(16, y + 4, `${s.sellerId} (${s.currency})`, 13, 'bold'));
    y += 12;
    const ideal = s.missedForStock.amount === null ? null : s.spend.amount - s.missedForStock.amount;
    const bars: [string, number, string][] = [
      [t.allDirect, s.baselines.allDirect.amount, COLORS.allDirect],
      [t.inStock, s.baselines.warehouseWhenInStock.amount, COLORS.inStock],
      [t.spend, s.spend.amount, COLORS.spend],
      ...(ideal === null ? [] : ([[t.ideal, ideal, COLORS.ideal]] as [string, number, string][])),
    ];
    const max = Math.max(1e-9, ...bars.map((b) => b[1]));
    for (const [label, amount, color] of bars) {
      const width = Math.max(1, Math.round(((W - LABEL_W - 120) * amount) / max));
      parts.push(text(16, y + 15, label, 12));
      parts.push(`<rect x="${LABEL_W}" y="${y}" width="${width}" height="${BAR_H - 6}" fill="${color}"/>`);
      parts.push(text(LABEL_W + width + 6, y + 13, money(toMinor(amount, s.currency), s.currency), 12));
      y += BAR_H;
    }
    // Orders by mode: one stacked bar, widths by share.
    const total = Math.max(1, s.orders.total);
    let x = LABEL_W;
    parts.push(text(16, y + 15, t.byMode(s.orders.total), 12));
    const legend: string[] = [];
    for (const [mode, n] of Object.entries(s.orders.byMode)) {
      const width = ((W - LABEL_W - 120) * n) / total;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR_H - 6}" fill="${MODE_COLORS[mode] ?? '#999'}"><title>${esc(`${t.modes[mode] ?? mode}: ${n}`)}</title></rect>`);
      x += width;
      legend.push(`${t.modes[mode] ?? mode} ${n}`);
    }
    y += BAR_H;
    parts.push(text(LABEL_W, y + 8, legend.join(' · '), 11));
    y += 16;
  }
  const h = y + 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" font-family="Helvetica, Arial, 'PingFang SC', sans-serif" role="img" aria-label="${esc(t.aria)}">`,
    `<rect width="${W}" height="${h}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function text(x: number, y: number, content: string, size: number, weight?: string): string {
  return `<text x="${x}" y="${y}" font-size="${size}"${weight === undefined ? '' : ` font-weight="${weight}"`} fill="#1d2330">${esc(content)}</text>`;
}

/** XML text escaping: seller ids and labels may carry &, < or quotes. */
export function esc(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}
