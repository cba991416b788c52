/**
 * The pages a one-click action link opens (issue 14 item 6, ADR 0041): the confirmation (GET:
 * nothing changes, mail scanners prefetch links), the result of its POST, and the refusals — an
 * expired, already used or tampered link — each in the seller's language, or both when the link
 * cannot be trusted to say which.
 */
import { orderLabel, type Seller } from '#network/schemas.ts';

type Language = Seller['language'];

export type ActionPage =
  | { readonly kind: 'confirm'; readonly orderName: string; readonly postUrl: string }
  | { readonly kind: 'done'; readonly orderName: string }
  | { readonly kind: 'already-used'; readonly orderName: string; readonly usedAt: string }
  | { readonly kind: 'expired'; readonly orderName: string }
  | { readonly kind: 'stale'; readonly orderName: string }
  | { readonly kind: 'invalid' };

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const e = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

const TEXT = {
  'zh-CN': {
    title: 'Silkroute 订单操作',
    confirm: (o: string) => `重新为订单 ${o} 选择发货路线？系统会按最新的库存、舱位和运价重新计算一次。`,
    button: '确认重新选路',
    done: (o: string) => `已提交：订单 ${o} 正在重新选路，结果会另行发邮件通知。`,
    used: (o: string, at: string) => `这个链接已经用过（${at}），订单 ${o} 不会再次重新选路。`,
    expired: (o: string) => `这个链接已过期，订单 ${o} 未做任何改动。请使用最新邮件中的链接。`,
    stale: (o: string) => `订单 ${o} 已有更新的选路结果，这个链接已失效。请查看最新邮件。`,
    invalid: '这个链接无效（可能被改动或复制不完整），未做任何操作。',
  },
  en: {
    title: 'Silkroute order action',
    confirm: (o: string) => `Route order ${o} again? It is priced once more against the current stock, capacity and rates.`,
    button: 'Confirm reroute',
    done: (o: string) => `Done: order ${o} is being rerouted; the result follows by email.`,
    used: (o: string, at: string) => `This link was already used (${at}); order ${o} is not rerouted again.`,
    expired: (o: string) => `This link has expired; nothing was changed on order ${o}. Use the link in the latest email.`,
    stale: (o: string) => `Order ${o} has a newer routing decision, so this link no longer applies. See the latest email.`,
    invalid: 'This link is not valid (changed or cut short); nothing was done.',
  },
} as const;

function body(page: ActionPage, language: Language): string {
  const t = TEXT[language];
  switch (page.kind) {
    case 'confirm':
      return `<p>${e(t.confirm(page.orderName))}</p><form method="post" action="${e(page.postUrl)}"><button type="submit" style="font-size:16px;padding:10px 18px">${e(t.button)}</button></form>`;
    case 'done':
      return `<p>${e(t.done(page.orderName))}</p>`;
    case 'already-used':
      return `<p>${e(t.used(page.orderName, page.usedAt))}</p>`;
    case 'expired':
      return `<p>${e(t.expired(page.orderName))}</p>`;
    case 'stale':
      return `<p>${e(t.stale(page.orderName))}</p>`;
    case 'invalid':
      return `<p>${e(t.invalid)}</p>`;
  }
}

/** The page as HTML; `language` undefined (an untrusted link) renders Chinese and English. */
export function renderActionPage(page: ActionPage, language: Language | undefined): string {
  const languages: Language[] = language === undefined ? ['zh-CN', 'en'] : [language];
  const sections = languages.map((l) => `<section lang="${l}"><h1 style="font-size:20px">${e(TEXT[l].title)}</h1>${body(page, l)}</section>`).join('<hr>');
  return `<!DOCTYPE html><html lang="${languages[0]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${e(TEXT[languages[0]!].title)}</title></head><body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;max-width:560px;margin:24px auto;padding:0 16px;line-height:1.6">${sections}</body></html>`;
}

/** What the use case (lib/orders/act.ts) answers, as this layer reads it. */
interface ActedOrder {
  readonly sellerId: string;
  readonly order: { readonly externalId: string; readonly orderNumber?: string | undefined };
}
export type ActionOutcome =
  | { readonly kind: 'confirm' | 'done' | 'expired' | 'stale'; readonly order: ActedOrder }
  | { readonly kind: 'already-used'; readonly order: ActedOrder; readonly usedAt: string }
  | { readonly kind: 'invalid' };

/** HTTP status of each page: a browser shows the page whatever it is; a script can tell them apart. */
export const ACTION_STATUS: Record<ActionOutcome['kind'], number> = { confirm: 200, done: 200, 'already-used': 409, stale: 409, expired: 410, invalid: 400 };

/** When the link was used, as the reader reads time: Beijing time in Chinese, UTC in English. */
export function usedAtText(iso: string, language: Language | undefined): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (language === 'zh-CN') return `北京时间 ${stamp(new Date(at.getTime() + 8 * 3_600_000))}`;
  return `${stamp(at)} UTC`;
}

/** The page for an outcome; `postUrl` is where the confirmation's button posts (the link itself). */
export function actionPageOf(outcome: ActionOutcome, postUrl: string, language: Language | undefined): ActionPage {
  if (outcome.kind === 'invalid') return { kind: 'invalid' };
  const orderName = orderLabel(outcome.order.order);
  switch (outcome.kind) {
    case 'confirm':
      return { kind: 'confirm', orderName, postUrl };
    case 'already-used':
      return { kind: 'already-used', orderName, usedAt: usedAtText(outcome.usedAt, language) };
    default:
      return { kind: outcome.kind, orderName };
  }
}
