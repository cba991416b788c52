/**
 * The cut-off email of the load plan (issue 13 item 3, ADR 0042): some hours before a
 * departure's cut-off, the seller gets the plan for that train in its language — what to load,
 * how much space it takes, what it saves and why each line is there — with a one-click link to
 * book it. Rendered from the plan's data (every `why` from its `reason`), through the same
 * EmailModel → HTML / text builders as the decision email, so no English sentence reaches a
 * Chinese reader.
 */
import type { Seller } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { fmtCbm } from '#planning/money-format.ts';
import { CHART_LABELS } from '#planning/chart.ts';
import type { DeparturePlan } from '#planning/plan.ts';
import type { SellerSavings } from '#planning/report.ts';
import { lineWhy, notPlannedWhy } from '#planning/why.ts';
import { formatBeijingDateTime, formatBeijingShort, formatDate, formatMoney } from './format.ts';
import { toHtml } from './html.ts';
import type { Language } from './labels.ts';
import type { Block, EmailModel } from './model.ts';
import { laneName, warehouseName } from './routes.ts';
import type { EmailSender } from './ses.ts';
import { toText } from './text.ts';

export interface PlanEmail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly language: Language;
}

export interface PlanEmailInput {
  readonly plan: DeparturePlan;
  readonly seller: Seller;
  readonly network: NetworkSnapshot;
  readonly now: Date;
  /** The signed one-click link to the accept confirmation (expires at the cut-off). */
  readonly acceptUrl: string;
  /** The seller's savings report over the same history: drawn as bars, the plan's case at a glance. */
  readonly savings?: SellerSavings;
}

const T = {
  'zh-CN': {
    subject: (dep: string, cutoff: string, saving: string) => `【Silkroute】${dep} 截单前装柜建议（${cutoff} 截单）：预计节省 ${saving}`,
    banner: '班列装柜建议',
    greeting: (name: string) => `${name}，您好：`,
    intro: (lane: string, dep: string, cutoff: string) => `${lane} ${dep} 班次将于北京时间 ${cutoff} 截单。根据最近的订单需求，建议这趟班列装运以下货物：`,
    departure: '班次',
    warehouse: '目的海外仓',
    cutoff: '截单时间（北京时间）',
    arrives: '预计入仓可售',
    space: '舱位',
    spaceValue: (used: string, cap: string) => `${used} m³ / 可用 ${cap} m³`,
    saving: '预计节省',
    table: ['SKU', '件数', 'm³', '每件节省', '原因'],
    accept: '一键确认订舱',
    acceptNote: '点击后会先打开确认页面，确认后才会订舱；链接在截单时失效，只能为本班次订舱一次。',
    notPlanned: '未列入计划的商品',
    chart: (orders: number) => `近期 ${orders} 单的运费：实际支出与两种基准对比`,
    footer: '此建议根据路由历史、现有库存和在途货物计算；截单前的需求变化会在确认页面上重新计算。',
  },
  en: {
    subject: (dep: string, cutoff: string, saving: string) => `[Silkroute] Load plan for ${dep} (cut-off ${cutoff}): ${saving} expected saving`,
    banner: 'Load plan for the next train',
    greeting: (name: string) => `Hello ${name},`,
    intro: (lane: string, dep: string, cutoff: string) => `Departure ${dep} on ${lane} closes for loading at ${cutoff} Beijing time. From your recent orders, this is what to put on it:`,
    departure: 'Departure',
    warehouse: 'Warehouse',
    cutoff: 'Cut-off (Beijing time)',
    arrives: 'In stock at the warehouse',
    space: 'Space',
    spaceValue: (used: string, cap: string) => `${used} m³ of ${cap} m³ available`,
    saving: 'Expected saving',
    table: ['SKU', 'Units', 'm³', 'Saved/unit', 'Why'],
    accept: 'Book this plan',
    acceptNote: 'The link opens a confirmation first; nothing is booked until you confirm. It expires at the cut-off and books this departure once.',
    notPlanned: 'Not on the plan',
    chart: (orders: number) => `Shipping spend on your last ${orders} orders, against the baselines`,
    footer: 'Computed from your routing history, stock and inbound lots; the confirmation page recomputes it with the orders since.',
  },
} as const satisfies Record<Language, unknown>;

/** The email for one departure's plan, in the seller's language. */
export function renderPlanEmail(input: PlanEmailInput): PlanEmail {
  const { plan, seller, network, now } = input;
  const language: Language = seller.language;
  const t = T[language];
  const lane = network.railLanes.find((l) => l.id === plan.laneId);
  const laneText = laneName(lane, plan.laneId, language);
  const warehouse = warehouseName(network.warehouses.find((w) => w.id === plan.warehouseId), plan.warehouseId, language);
  const cur = plan.expectedSaving.currency;
  const saving = formatMoney(plan.expectedSaving.amount, cur, language);
  const blocks: Block[] = [
    { kind: 'paragraph', text: t.intro(laneText, plan.departureId, formatBeijingDateTime(plan.cutoffAt, language, now)) },
    {
      kind: 'summary',
      tone: 'good',
      rows: [
        { label: t.saving, value: saving },
        { label: t.space, value: t.spaceValue(plan.usedCbm.toFixed(2), plan.capacityCbm.toFixed(2)) },
      ],
    },
    {
      kind: 'table',
      columns: t.table.map((title, i) => ({ title, align: i === 1 || i === 2 || i === 3 ? 'right' : 'left' })),
      rows: plan.lines.map((l) => [l.sku, String(l.units), fmtCbm(l.cbm), formatMoney(l.savingPerUnit.amount, l.savingPerUnit.currency, language), lineWhy(l.reason, language, { head: false })]),
    },
    { kind: 'button', label: t.accept, url: input.acceptUrl },
    { kind: 'paragraph', text: t.acceptNote, tone: 'muted' },
    {
      kind: 'facts',
      rows: [
        { label: t.departure, value: `${plan.departureId} · ${laneText}` },
        { label: t.warehouse, value: warehouse },
        { label: t.cutoff, value: formatBeijingDateTime(plan.cutoffAt, language, now), strong: true },
        { label: t.arrives, value: formatDate(plan.arrivesOn, language, now) },
      ],
    },
  ];
  if (input.savings !== undefined && input.savings.orders.total > 0) blocks.push(savingsBars(input.savings, language, t.chart(input.savings.orders.total)));
  if (plan.notPlanned.length > 0) {
    blocks.push({ kind: 'heading', text: t.notPlanned });
    blocks.push({ kind: 'items', tone: 'muted', items: plan.notPlanned.map((n) => ({ title: n.sku, details: [notPlannedWhy(n.reason, language)] })) });
  }
  const model: EmailModel = {
    language,
    subject: t.subject(plan.departureId, formatBeijingShort(plan.cutoffAt, language), saving),
    preheader: t.intro(laneText, plan.departureId, formatBeijingDateTime(plan.cutoffAt, language, now)),
    banner: t.banner,
    bannerTone: 'normal',
    greeting: t.greeting(seller.name),
    blocks,
    footer: [t.footer],
  };
  return { to: seller.email, subject: model.subject, html: toHtml(model), text: toText(model), language };
}

/**
 * What the orders cost against always-direct and warehouse-when-in-stock, and what the stock that
 * was short would have saved: the savings chart of the report (lib/planning/chart.ts), as bars.
 */
export function savingsBars(s: SellerSavings, language: Language, caption: string): Extract<Block, { kind: 'bars' }> {
  const t = CHART_LABELS[language];
  const ideal = s.missedForStock.amount === null ? null : s.spend.amount - s.missedForStock.amount;
  const figures: [string, number, 'muted' | 'normal' | 'good'][] = [
    [t.allDirect, s.baselines.allDirect.amount, 'muted'],
    [t.inStock, s.baselines.warehouseWhenInStock.amount, 'muted'],
    [t.spend, s.spend.amount, 'normal'],
    ...(ideal === null ? [] : ([[t.ideal, ideal, 'good']] as [string, number, 'good'][])),
  ];
  const max = Math.max(1e-9, ...figures.map((f) => f[1]));
  return {
    kind: 'bars',
    caption,
    rows: figures.map(([label, amount, tone]) => ({ label, value: formatMoney(amount, s.currency, language), share: amount / max, tone })),
  };
}

/** The plan mailer port (lib/planning/cutoff-emails.ts): render, send, answer the provider's message id. */
export function createPlanMailer(sendEmail: EmailSender): { send(input: PlanEmailInput): Promise<{ messageId: string; to: string; subject: string }> } {
  return {
    async send(input) {
      const email = renderPlanEmail(input);
      return { messageId: await sendEmail(email), to: email.to, subject: email.subject };
    },
  };
}
