/**
 * The daily digest email (issue 14 item 5), in the seller's language, through the same EmailModel
 * → HTML / text builders as the decision email: counts by route, spend, savings against the
 * cheapest direct parcel, exceptions with what to fix, stock running low and the next cut-offs.
 */
import type { Seller } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import type { Mode } from '#routing/decision.ts';
import type { DigestSummary } from '#routing/digest-summary.ts';
import { formatBeijingDateTime, formatMoney } from './format.ts';
import { toHtml } from './html.ts';
import { MODE_LABELS, type Language } from './labels.ts';
import type { Block, EmailModel } from './model.ts';
import { reasonText } from './reasons.ts';
import { laneName, warehouseName } from './routes.ts';
import type { EmailSender } from './ses.ts';
import { toText } from './text.ts';

export interface DigestEmail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly language: Language;
}

const T = {
  'zh-CN': {
    subject: (date: string, n: number, x: number) => `【Silkroute】${date} 日报：${n} 单，${x} 单需处理`,
    banner: '每日订单日报',
    greeting: (name: string) => `${name}，您好：`,
    intro: (n: number) => `过去 24 小时共处理 ${n} 单。`,
    byMode: '按渠道统计',
    mode: '渠道',
    count: '单数',
    spend: '运费合计',
    savings: '比直发小包节省',
    exceptions: '需要处理的订单',
    none: '无',
    failed: '路由失败',
    unroutable: '无法路由',
    lowStock: '库存告急',
    units: (n: number) => `剩 ${n} 件`,
    cutoffs: '接下来的截单时间',
    footer: '如需改为逐单通知或仅异常通知，请修改卖家资料中的通知方式。',
  },
  en: {
    subject: (date: string, n: number, x: number) => `[Silkroute] Digest ${date}: ${n} orders, ${x} need you`,
    banner: 'Daily order digest',
    greeting: (name: string) => `Hello ${name},`,
    intro: (n: number) => `${n} orders were handled in the last 24 hours.`,
    byMode: 'By route',
    mode: 'Route',
    count: 'Orders',
    spend: 'Shipping spend',
    savings: 'Saved against direct parcel',
    exceptions: 'Orders that need you',
    none: 'None',
    failed: 'Routing failed',
    unroutable: 'Unroutable',
    lowStock: 'Stock running low',
    units: (n: number) => `${n} left`,
    cutoffs: 'Next cut-offs',
    footer: 'To get an email per order or only exceptions, change the notification mode in your seller record.',
  },
} as const;

export function renderDigest(summary: DigestSummary, seller: Seller, network: NetworkSnapshot, now: Date, date: string): DigestEmail {
  const language: Language = seller.language;
  const t = T[language];
  const money = (list: readonly { amount: number; currency: string }[]) =>
    list.length === 0 ? t.none : list.map((m) => formatMoney(m.amount, m.currency, language)).join(' + ');
  const blocks: Block[] = [{ kind: 'paragraph', text: t.intro(summary.total) }];
  const modes = Object.entries(summary.byMode) as [Mode, number][];
  blocks.push({ kind: 'heading', text: t.byMode });
  blocks.push({
    kind: 'table',
    columns: [
      { title: t.mode, align: 'left' },
      { title: t.count, align: 'right' },
    ],
    rows: modes.map(([mode, n]) => [MODE_LABELS[mode][language], String(n)]),
  });
  blocks.push({ kind: 'facts', rows: [{ label: t.spend, value: money(summary.spend), strong: true }, { label: t.savings, value: money(summary.savings) }] });
  blocks.push({ kind: 'heading', text: t.exceptions });
  if (summary.exceptions.length === 0) blocks.push({ kind: 'paragraph', text: t.none, tone: 'muted' });
  else {
    blocks.push({
      kind: 'items',
      tone: 'bad',
      items: summary.exceptions.map((x) => ({
        title: x.orderNumber ?? `#${x.orderId}`,
        aside: x.status === 'failed' ? t.failed : t.unroutable,
        // A failed order's note is the operator's English; the Chinese reader gets the status only.
        details: x.reasons.map((r) => reasonText(r, language, { network, now })).concat(language === 'en' && x.note !== undefined ? [x.note] : []),
      })),
    });
  }
  if (summary.lowStock.length > 0) {
    blocks.push({ kind: 'heading', text: t.lowStock });
    // Warehouses and lanes by the names the decision email gives them (a Chinese reader gets 杜伊斯堡海外仓, 义新欧班列).
    const warehouse = (id: string) => warehouseName(network.warehouses.find((w) => w.id === id), id, language, { short: true });
    blocks.push({ kind: 'items', tone: 'warn', items: summary.lowStock.map((s) => ({ title: `${s.sku} · ${warehouse(s.warehouseId)}`, aside: t.units(s.available), details: [] })) });
  }
  if (summary.nextCutoffs.length > 0) {
    blocks.push({ kind: 'heading', text: t.cutoffs });
    blocks.push({
      kind: 'items',
      items: summary.nextCutoffs.map((c) => ({
        title: laneName(network.railLanes.find((l) => l.id === c.laneId), c.laneName, language),
        aside: formatBeijingDateTime(c.cutoffAt, language, now),
        details: [c.departureId],
      })),
    });
  }
  const model: EmailModel = {
    language,
    subject: t.subject(date, summary.total, summary.exceptions.length),
    preheader: t.intro(summary.total),
    banner: t.banner,
    bannerTone: summary.exceptions.length > 0 ? 'warn' : 'good',
    greeting: t.greeting(seller.name),
    blocks,
    footer: [t.footer],
  };
  return { to: seller.email, subject: model.subject, html: toHtml(model), text: toText(model), language };
}

/** The DigestMailer port (lib/orders/digest.ts): render the digest, send it, answer the provider's message id. */
export function createDigestMailer(sendEmail: EmailSender): {
  send(input: { summary: DigestSummary; seller: Seller; network: NetworkSnapshot; now: Date; date: string }): Promise<{ messageId: string; to: string; subject: string }>;
} {
  return {
    async send({ summary, seller, network, now, date }) {
      const email = renderDigest(summary, seller, network, now, date);
      return { messageId: await sendEmail(email), to: email.to, subject: email.subject };
    },
  };
}
