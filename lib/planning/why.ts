/**
 * Why a plan loads a SKU, or leaves it out, as data (`reason` on every plan line and on every
 * SKU not planned) and as a sentence in the seller's language rendered from that data. The
 * English sentence is the plan's `why` (the CLI's table and JSON); the cut-off email and the HTML
 * views render the same data in Chinese, so no English sentence reaches a Chinese reader.
 */
import { toMinor } from '#routing/money.ts';
import { fmtCbm, money } from './money-format.ts';

export type PlanLanguage = 'zh-CN' | 'en';

type Money = { readonly amount: number; readonly currency: string };

interface LineHead {
  readonly sku: string;
  readonly units: number;
  readonly cbm: number;
  /** Units the demand asked for; more than `units` when the train had no room for them all. */
  readonly wanted: number;
  /** Saving (or, with `margin`, the sale's margin) per unit after holding cost. */
  readonly each: Money;
  /** No direct parcel takes the SKU: a unit is worth its margin, not a shipping saving. */
  readonly margin: boolean;
}

/** Why a line is on the plan. */
export type LineReason =
  /** Orders that went direct (or could not be routed) because the warehouse had none. */
  | (LineHead & { readonly kind: 'lost-for-stock'; readonly ordersPerWeek: number; readonly countries: readonly string[]; readonly went: 'direct' | 'unroutable' })
  /** Plain demand from the warehouse's destinations, net of what will be on the shelf. */
  | (LineHead & { readonly kind: 'demand'; readonly unitsPerWeek: number; readonly countries: readonly string[]; readonly atArrival: number });

/** Why a SKU with demand is not on the plan. */
export type NotPlannedReason =
  | { readonly kind: 'no-room'; readonly sku: string; readonly wanted: number; readonly departureId: string; readonly capacityCbm: number }
  | {
      readonly kind: 'not-better';
      readonly sku: string;
      /** Destinations the direct parcel serves more cheaply. */
      readonly directCheaper: readonly string[];
      /** Destinations no parcel reaches, with no sale price in the history to value a unit by. */
      readonly unpriced: readonly string[];
      /** Destinations served better from another warehouse. */
      readonly elsewhere: readonly { readonly country: string; readonly warehouseId: string }[];
    }
  | { readonly kind: 'covered'; readonly sku: string; readonly atArrival: number; readonly needed: number; readonly until: string }
  | { readonly kind: 'storage'; readonly sku: string; readonly dwellDays: number; readonly savedPerUnit: Money };

const fmt = (m: Money) => money(toMinor(m.amount, m.currency), m.currency);

const regionNames = new Map<PlanLanguage, Intl.DisplayNames>();
/** DE → 德国 for a Chinese reader; the code itself in English (as the CLI has always printed it). */
function country(code: string, language: PlanLanguage): string {
  if (language === 'en') return code;
  let names = regionNames.get(language);
  if (names === undefined) {
    names = new Intl.DisplayNames(['zh-CN'], { type: 'region', fallback: 'code' });
    regionNames.set(language, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

function list(items: readonly string[], language: PlanLanguage): string {
  const top = items.slice(0, 3).map((c) => country(c, language));
  if (language === 'zh-CN') return top.join('、');
  return top.length <= 1 ? (top[0] ?? '') : `${top.slice(0, -1).join(', ')} and ${top.at(-1)}`;
}

/**
 * The sentence for a plan line.
 * @example lineWhy(reason, 'en') // 'TEE-COT ×420 (0.52 m³): 41 orders a week to DE went direct for lack of stock, €0.95 saved each'
 */
export function lineWhy(r: LineReason, language: PlanLanguage, options: { readonly head?: boolean } = {}): string {
  const each = fmt(r.each);
  // Without the head (`TEE-COT ×420 (0.52 m³): `) in a table whose columns already say it.
  if (options.head === false) {
    const full = lineWhy(r, language);
    const sep = language === 'zh-CN' ? '）：' : '): ';
    return full.slice(full.indexOf(sep) + sep.length);
  }
  if (language === 'zh-CN') {
    const head = `${r.sku} ×${r.units}（${fmtCbm(r.cbm)} m³）`;
    const worth = r.margin ? `每件毛利 ${each}（没有小包渠道承运）` : `每件节省 ${each}`;
    const capped = r.units < r.wanted ? `；舱位只够装 ${r.units} 件（需要 ${r.wanted} 件）` : '';
    if (r.kind === 'lost-for-stock') {
      const went = r.went === 'unroutable' ? '因缺货无法发货' : '因缺货改走直发小包';
      return `${head}：每周有 ${r.ordersPerWeek} 单发往${list(r.countries, language)}的订单${went}，${worth}${capped}`;
    }
    return `${head}：每周发往${list(r.countries, language)} ${r.unitsPerWeek} 件，到仓时现货及在途 ${r.atArrival} 件，${worth}${capped}`;
  }
  const head = `${r.sku} ×${r.units} (${fmtCbm(r.cbm)} m³)`;
  const worth = r.margin ? `${each} margin each (no direct parcel takes it)` : `${each} saved each`;
  const capped = r.units < r.wanted ? `; room for ${r.units} of the ${r.wanted} wanted` : '';
  if (r.kind === 'lost-for-stock') {
    const went = r.went === 'unroutable' ? 'could not be routed' : 'went direct';
    return `${head}: ${r.ordersPerWeek} ${r.ordersPerWeek === 1 ? 'order' : 'orders'} a week to ${list(r.countries, language)} ${went} for lack of stock, ${worth}${capped}`;
  }
  return `${head}: ${r.unitsPerWeek} ${r.unitsPerWeek === 1 ? 'unit' : 'units'} a week to ${list(r.countries, language)}, ${r.atArrival} on hand or inbound at arrival, ${worth}${capped}`;
}

/**
 * The sentence for a SKU left out.
 * @example notPlannedWhy({ kind: 'covered', sku: 'TEE-COT', atArrival: 300, needed: 30, until: '2026-12-16' }, 'zh-CN')
 *   // 'TEE-COT：现货及在途（到仓时 300 件）已足够覆盖到 2026-12-16 所需的 30 件'
 */
export function notPlannedWhy(r: NotPlannedReason, language: PlanLanguage): string {
  const zh = language === 'zh-CN';
  switch (r.kind) {
    case 'no-room':
      return zh
        ? `${r.sku}：需要 ${r.wanted} 件，但 ${r.departureId} 已没有舱位（${fmtCbm(r.capacityCbm)} m³）`
        : `${r.sku}: ${r.wanted} wanted, no room left on ${r.departureId} (${fmtCbm(r.capacityCbm)} m³) for it`;
    case 'not-better': {
      const all = (items: readonly string[]) => items.map((c) => country(c, language)).join(zh ? '、' : ', ');
      const parts: string[] = [];
      if (r.directCheaper.length > 0) parts.push(zh ? `发往${all(r.directCheaper)}直发小包更便宜` : `the direct parcel is cheaper to ${all(r.directCheaper)}`);
      if (r.unpriced.length > 0) {
        parts.push(
          zh
            ? `没有小包渠道发往${all(r.unpriced)}，历史订单中也没有售价可估算单件价值，请手动规划`
            : `no direct parcel to ${all(r.unpriced)} and no sale price in the history to value a unit by — plan it by hand`,
        );
      }
      if (r.elsewhere.length > 0) {
        const where = r.elsewhere.map((e) => (zh ? `${country(e.country, language)}（${e.warehouseId}）` : `${e.country} (${e.warehouseId})`)).join(zh ? '、' : ', ');
        parts.push(zh ? `从其他海外仓发往${where}更划算` : `served better from ${where}`);
      }
      return `${r.sku}${zh ? '：' : ': '}${parts.join(zh ? '；' : '; ')}`;
    }
    case 'covered':
      return zh
        ? `${r.sku}：现货及在途（到仓时 ${r.atArrival} 件）已足够覆盖到 ${r.until} 所需的 ${r.needed} 件`
        : `${r.sku}: on hand and inbound (${r.atArrival} at arrival) cover the ${r.needed} needed until ${r.until}`;
    case 'storage':
      return zh
        ? `${r.sku}：需存放 ${r.dwellDays} 天，仓储费会吃掉每件节省的 ${fmt(r.savedPerUnit)}`
        : `${r.sku}: storage for ${r.dwellDays} days eats the ${fmt(r.savedPerUnit)} saved per unit`;
  }
}
