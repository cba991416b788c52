/**
 * The pages the one-click accept link of the cut-off email opens (issue 13, ADR 0042): the
 * confirmation (GET: nothing changes — mail scanners prefetch links) with the plan as it stands
 * now, the result of its POST, and the refusals — expired, tampered, already accepted, cut off,
 * no room on the train, nothing to load — in the seller's language, or in both when the link
 * cannot be trusted to say whose it is. Every sentence from data; no English in the Chinese page.
 */
import type { DeparturePlan } from '#planning/plan.ts';
import { fmtCbm, money } from '#planning/money-format.ts';
import { lineWhy, type PlanLanguage } from '#planning/why.ts';
import { toMinor } from '#routing/money.ts';

export type PlanLinkPage =
  | { readonly kind: 'confirm'; readonly plan: DeparturePlan; readonly token: string; readonly postUrl: string }
  | { readonly kind: 'accepted'; readonly departureId: string; readonly lotId: string; readonly litres: number; readonly arrivesOn: string; readonly units: number }
  | { readonly kind: 'already-accepted'; readonly departureId: string; readonly lotId: string; readonly bookedAt: string }
  | { readonly kind: 'expired'; readonly departureId: string }
  | { readonly kind: 'cut-off'; readonly departureId: string; readonly cutoffAt: string }
  | { readonly kind: 'no-capacity'; readonly departureId: string; readonly litres: number }
  | { readonly kind: 'nothing-to-load'; readonly departureId: string }
  | { readonly kind: 'invalid' };

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const e = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

/** An instant as Beijing wall-clock time (the timetable's time): 2026-12-05 18:00. */
function beijing(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const TEXT = {
  'zh-CN': {
    title: 'Silkroute 装柜计划',
    confirm: (d: string, cutoff: string) => `确认按下面的计划为班次 ${d} 订舱？截单时间：北京时间 ${cutoff}。确认后舱位即被占用，货物作为在途库存记入海外仓。`,
    head: ['SKU', '件数', 'm³', '原因'],
    total: (cbm: string, saving: string) => `合计 ${cbm} m³，预计节省 ${saving}`,
    button: '确认订舱',
    accepted: (d: string, units: number, litres: number, arrives: string) => `已订舱：班次 ${d}，共 ${units} 件、${litres} 升，预计 ${arrives} 入仓可售。`,
    already: (d: string, at: string) => `班次 ${d} 的计划已经确认过（北京时间 ${at}），没有重复订舱。`,
    expired: (d: string) => `这个链接已过期，班次 ${d} 没有订舱。`,
    cutoff: (d: string, at: string) => `班次 ${d} 已于北京时间 ${at} 截单，无法再订舱。`,
    full: (d: string, litres: number) => `班次 ${d} 的舱位已不足 ${litres} 升，没有订舱。请在系统中按剩余舱位重新生成计划。`,
    nothing: (d: string) => `按目前的库存和需求，班次 ${d} 没有需要装柜的货物，没有订舱。`,
    invalid: '这个链接无效（可能被改动或复制不完整），没有做任何操作。',
  },
  en: {
    title: 'Silkroute load plan',
    confirm: (d: string, cutoff: string) => `Book departure ${d} with the plan below? Cut-off: ${cutoff} Beijing time. Booking takes the space on the train and records the goods as inbound stock.`,
    head: ['SKU', 'Units', 'm³', 'Why'],
    total: (cbm: string, saving: string) => `Total ${cbm} m³, expected saving ${saving}`,
    button: 'Book this plan',
    accepted: (d: string, units: number, litres: number, arrives: string) => `Booked: departure ${d}, ${units} units in ${litres} litres, in stock at the warehouse on ${arrives}.`,
    already: (d: string, at: string) => `The plan for departure ${d} was already accepted (${at} Beijing time); nothing was booked twice.`,
    expired: (d: string) => `This link has expired; nothing was booked on departure ${d}.`,
    cutoff: (d: string, at: string) => `Departure ${d} was cut off at ${at} Beijing time; nothing more can be booked on it.`,
    full: (d: string, litres: number) => `Departure ${d} no longer has ${litres} litres free; nothing was booked. Ask for a new plan for the space that is left.`,
    nothing: (d: string) => `With the stock and demand as they are now there is nothing to load on departure ${d}; nothing was booked.`,
    invalid: 'This link is not valid (changed or cut short); nothing was done.',
  },
} as const satisfies Record<PlanLanguage, unknown>;

function planTable(plan: DeparturePlan, language: PlanLanguage): string {
  const t = TEXT[language];
  const cur = plan.expectedSaving.currency;
  const th = t.head.map((h, i) => `<th style="text-align:${i === 1 || i === 2 ? 'right' : 'left'};padding:4px 8px;border-bottom:1px solid #ccc">${e(h)}</th>`).join('');
  const rows = plan.lines
    .map(
      (l) =>
        `<tr><td style="padding:4px 8px">${e(l.sku)}</td><td style="padding:4px 8px;text-align:right">${l.units}</td><td style="padding:4px 8px;text-align:right">${e(fmtCbm(l.cbm))}</td><td style="padding:4px 8px">${e(lineWhy(l.reason, language, { head: false }))}</td></tr>`,
    )
    .join('');
  const total = t.total(plan.usedCbm.toFixed(2), money(toMinor(plan.expectedSaving.amount, cur), cur));
  return `<table style="border-collapse:collapse;font-size:14px"><thead><tr>${th}</tr></thead><tbody>${rows}</tbody></table><p><strong>${e(total)}</strong></p>`;
}

function body(page: PlanLinkPage, language: PlanLanguage): string {
  const t = TEXT[language];
  switch (page.kind) {
    case 'confirm':
      return (
        `<p>${e(t.confirm(page.plan.departureId, beijing(page.plan.cutoffAt)))}</p>${planTable(page.plan, language)}` +
        `<form method="post" action="${e(page.postUrl)}"><input type="hidden" name="t" value="${e(page.token)}"><button type="submit" style="font-size:16px;padding:10px 18px">${e(t.button)}</button></form>`
      );
    case 'accepted':
      return `<p>${e(t.accepted(page.departureId, page.units, page.litres, page.arrivesOn))}</p>`;
    case 'already-accepted':
      return `<p>${e(t.already(page.departureId, beijing(page.bookedAt)))}</p>`;
    case 'expired':
      return `<p>${e(t.expired(page.departureId))}</p>`;
    case 'cut-off':
      return `<p>${e(t.cutoff(page.departureId, beijing(page.cutoffAt)))}</p>`;
    case 'no-capacity':
      return `<p>${e(t.full(page.departureId, page.litres))}</p>`;
    case 'nothing-to-load':
      return `<p>${e(t.nothing(page.departureId))}</p>`;
    case 'invalid':
      return `<p>${e(t.invalid)}</p>`;
  }
}

/** The page as HTML; `language` undefined (a link that cannot be trusted) renders Chinese and English. */
export function renderPlanLinkPage(page: PlanLinkPage, language: PlanLanguage | undefined): string {
  const languages: PlanLanguage[] = language === undefined ? ['zh-CN', 'en'] : [language];
  const sections = languages.map((l) => `<section lang="${l}"><h1 style="font-size:20px">${e(TEXT[l].title)}</h1>${body(page, l)}</section>`).join('<hr>');
  return `<!DOCTYPE html><html lang="${languages[0]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${e(TEXT[languages[0]!].title)}</title></head><body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;max-width:720px;margin:24px auto;padding:0 16px;line-height:1.6">${sections}</body></html>`;
}

/** The HTTP status of each page: the confirmation and the outcomes 200, a refusal says what kind it is. */
export const PAGE_STATUS: Record<PlanLinkPage['kind'], number> = {
  confirm: 200,
  accepted: 201,
  'already-accepted': 200,
  expired: 410,
  'cut-off': 409,
  'no-capacity': 409,
  'nothing-to-load': 409,
  invalid: 400,
};
