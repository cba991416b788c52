/**
 * Why a route could not take the order, said in the reader's language from the reason's code
 * and params (ROUTING.md §5) — never from the router's English sentence, so a Chinese email
 * carries no English reason. Places, services and lanes are named as the rest of the email
 * names them; SKUs and ids stay as they are.
 *
 * English is written from the params too, with the same names and dates as the rest of the email
 * (the router's own sentence, lib/routing/reasons.ts, names ids and ISO dates for operators).
 *
 * A decision stored before reasons had params (ADR 0009) has only the sentence: English
 * readers get it as it is, Chinese readers a plain statement of the code.
 */
import type { Reason, ReasonCode, ReasonParamsOf } from '#routing/decision.ts';
import { reasonMessage } from '#routing/reasons.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { countryName, formatDate, formatKg } from './format.ts';
import type { Language } from './labels.ts';
import { laneName, serviceName, warehouseName } from './routes.ts';

/** What the Chinese wording needs besides the reason: names from the network, and the reader's year. */
export interface ReasonContext {
  readonly network: NetworkSnapshot;
  readonly now: Date;
}

/** The Chinese of a code when the stored reason has no params to say more. */
const ZH_WITHOUT_PARAMS: Record<ReasonCode, string> = {
  'no-rate': '该渠道没有发往目的国的运价',
  overweight: '包裹超过重量上限',
  oversize: '商品超过渠道的尺寸限制',
  battery: '该渠道不接受此类带电商品',
  'no-stock': '海外仓库存不足',
  'missed-deadline': '预计送达晚于承诺送达日',
  'no-departure': '截单前已没有可赶上的班次',
  'no-capacity': '班列舱位不足',
  'no-last-mile': '海外仓没有到目的国的尾程派送',
  'unknown-sku': '商品库中没有订单里的 SKU',
  'marketplace-rule': '订单所在平台不允许用该渠道发货',
};

/** What a marketplace rule allows: its services by name, then its carriers as written. */
function allowedOf(r: ReasonParamsOf<'marketplace-rule'>, service: (id: string) => string): string[] {
  return [...r.allowedServices.map(service), ...r.allowedCarriers];
}

const cbm = (litres: number): string => `${Number((litres / 1000).toFixed(3))} m³`;

function zh<C extends ReasonCode>(code: C, p: ReasonParamsOf<C>, ctx: ReasonContext): string {
  const service = (id: string) => {
    const s = ctx.network.parcelServices.find((x) => x.id === id);
    return s === undefined ? id : serviceName(s, 'zh-CN');
  };
  const warehouse = (id: string) => warehouseName(ctx.network.warehouses.find((w) => w.id === id), id, 'zh-CN', { short: true });
  const country = (cc: string) => countryName(cc, 'zh-CN');
  const date = (iso: string) => formatDate(iso, 'zh-CN', ctx.now);
  const list = (xs: readonly string[]) => xs.join('、');
  // One case per code; `p` is narrowed by hand because TypeScript does not narrow a generic by `code`.
  switch (code) {
    case 'no-rate': {
      const r = p as ReasonParamsOf<'no-rate'>;
      return `${service(r.serviceId)} 没有发往${country(r.country)}的运价`;
    }
    case 'overweight': {
      const r = p as ReasonParamsOf<'overweight'>;
      if (r.serviceId !== undefined) return `${service(r.serviceId)} 每个包裹最重 ${formatKg(r.maxWeightG)}，本包裹重 ${formatKg(r.weightG)}`;
      return `${warehouse(r.warehouseId ?? '')}到${country(r.country ?? '')}的尾程派送最重 ${formatKg(r.maxWeightG)}，本包裹重 ${formatKg(r.weightG)}`;
    }
    case 'oversize': {
      const r = p as ReasonParamsOf<'oversize'>;
      if (r.limit === 'longest-side') {
        return `${list(r.items.map((i) => `${i.sku} 最长边 ${i.cm} cm`))}；${service(r.serviceId)} 最长边不超过 ${r.maxCm} cm`;
      }
      return `${list(r.items.map((i) => `${i.sku} 长宽高之和 ${i.cm} cm`))}；${service(r.serviceId)} 长宽高之和不超过 ${r.maxCm} cm`;
    }
    case 'battery': {
      const r = p as ReasonParamsOf<'battery'>;
      return r.battery === 'contained'
        ? `${service(r.serviceId)} 不收内置电池的商品（${list(r.skus)}）`
        : `${service(r.serviceId)} 不收独立电池（${list(r.skus)}）`;
    }
    case 'no-stock': {
      const r = p as ReasonParamsOf<'no-stock'>;
      return `${warehouse(r.warehouseId)}的 ${r.sku} 现有 ${r.available} 件，需要 ${r.needed} 件`;
    }
    case 'missed-deadline': {
      const r = p as ReasonParamsOf<'missed-deadline'>;
      return `最晚 ${date(r.latestEta)} 送达，晚于承诺送达日 ${date(r.deadline)}`;
    }
    case 'no-departure': {
      const r = p as ReasonParamsOf<'no-departure'>;
      return `${laneName(ctx.network.railLanes.find((l) => l.id === r.laneId), r.laneId, 'zh-CN')}在截单前已没有可赶上的班次`;
    }
    case 'no-capacity': {
      const r = p as ReasonParamsOf<'no-capacity'>;
      return `${r.departureId} 班次只剩 ${cbm(r.remainingLitres)} 舱位，本单需要 ${cbm(r.neededLitres)}`;
    }
    case 'no-last-mile': {
      const r = p as ReasonParamsOf<'no-last-mile'>;
      return `${warehouse(r.warehouseId)}没有到${country(r.country)}的尾程派送`;
    }
    case 'unknown-sku': {
      const r = p as ReasonParamsOf<'unknown-sku'>;
      return `商品库中没有 ${list(r.skus)}`;
    }
    case 'marketplace-rule': {
      const r = p as ReasonParamsOf<'marketplace-rule'>;
      const route = r.serviceId !== undefined ? service(r.serviceId) : `${warehouse(r.warehouseId ?? '')}到${country(r.country ?? '')}的尾程派送（${r.carrier ?? ''}）`;
      return `${r.marketplace} 不允许用${route}发货；平台只允许：${list(allowedOf(r, service))}`;
    }
  }
  return ZH_WITHOUT_PARAMS[code];
}

/** The English of a reason for an exporter: places and services by name, dates as the rest of the email writes them. */
function en<C extends ReasonCode>(code: C, p: ReasonParamsOf<C>, ctx: ReasonContext): string {
  const service = (id: string) => {
    const s = ctx.network.parcelServices.find((x) => x.id === id);
    return s === undefined ? id : serviceName(s, 'en');
  };
  const warehouse = (id: string) => warehouseName(ctx.network.warehouses.find((w) => w.id === id), id, 'en', { short: true });
  const country = (cc: string) => countryName(cc, 'en');
  const date = (iso: string) => formatDate(iso, 'en', ctx.now);
  const list = (xs: readonly string[]) => xs.join(', ');
  switch (code) {
    case 'no-rate': {
      const r = p as ReasonParamsOf<'no-rate'>;
      return `${service(r.serviceId)} has no rate to ${country(r.country)}`;
    }
    case 'overweight': {
      const r = p as ReasonParamsOf<'overweight'>;
      if (r.serviceId !== undefined) return `${service(r.serviceId)} takes parcels up to ${formatKg(r.maxWeightG)}; this one weighs ${formatKg(r.weightG)}`;
      return `the ${warehouse(r.warehouseId ?? '')}'s last mile to ${country(r.country ?? '')} takes up to ${formatKg(r.maxWeightG)}; this parcel weighs ${formatKg(r.weightG)}`;
    }
    case 'oversize': {
      const r = p as ReasonParamsOf<'oversize'>;
      if (r.limit === 'longest-side') {
        return `${list(r.items.map((i) => `${i.sku} is ${i.cm} cm long`))}; ${service(r.serviceId)} takes at most ${r.maxCm} cm on the longest side`;
      }
      return `${list(r.items.map((i) => `${i.sku} measures ${i.cm} cm in length + width + height`))}; ${service(r.serviceId)} takes at most ${r.maxCm} cm`;
    }
    case 'battery': {
      const r = p as ReasonParamsOf<'battery'>;
      return r.battery === 'contained'
        ? `${service(r.serviceId)} refuses goods with batteries inside (${list(r.skus)})`
        : `${service(r.serviceId)} refuses standalone batteries (${list(r.skus)})`;
    }
    case 'no-stock': {
      const r = p as ReasonParamsOf<'no-stock'>;
      return `the ${warehouse(r.warehouseId)} has ${r.available} of ${r.sku}, this order needs ${r.needed}`;
    }
    case 'missed-deadline': {
      const r = p as ReasonParamsOf<'missed-deadline'>;
      return `arrives by ${date(r.latestEta)} at the latest, after the promised ${date(r.deadline)}`;
    }
    case 'no-departure': {
      const r = p as ReasonParamsOf<'no-departure'>;
      return `${laneName(ctx.network.railLanes.find((l) => l.id === r.laneId), r.laneId, 'en')} has no departure left before its cut-off`;
    }
    case 'no-capacity': {
      const r = p as ReasonParamsOf<'no-capacity'>;
      return `train ${r.departureId} has ${cbm(r.remainingLitres)} of space left, this order needs ${cbm(r.neededLitres)}`;
    }
    case 'no-last-mile': {
      const r = p as ReasonParamsOf<'no-last-mile'>;
      return `the ${warehouse(r.warehouseId)} has no last-mile delivery to ${country(r.country)}`;
    }
    case 'unknown-sku': {
      const r = p as ReasonParamsOf<'unknown-sku'>;
      return `${list(r.skus)} ${r.skus.length === 1 ? 'is' : 'are'} not in your catalogue`;
    }
    case 'marketplace-rule': {
      const r = p as ReasonParamsOf<'marketplace-rule'>;
      const route = r.serviceId !== undefined ? service(r.serviceId) : `the ${warehouse(r.warehouseId ?? '')}'s last mile to ${country(r.country ?? '')} (${r.carrier ?? ''})`;
      return `${r.marketplace} does not allow shipping with ${route}; it allows only ${list(allowedOf(r, service))}`;
    }
  }
  return reasonMessage(code, p);
}

/**
 * One reason in the reader's words.
 * @example reasonText({ code: 'no-stock', message: '…', params: { warehouseId: 'WH-MAD', sku: 'UMB-3F', available: 0, needed: 2 } }, 'zh-CN', ctx)
 *   // '马德里海外仓的 UMB-3F 现有 0 件，需要 2 件'
 */
export function reasonText(reason: Reason, language: Language, ctx: ReasonContext): string {
  if (reason.params === undefined) return language === 'en' ? reason.message : ZH_WITHOUT_PARAMS[reason.code];
  if (language === 'en') return en(reason.code, reason.params as never, ctx);
  return zh(reason.code, reason.params as never, ctx);
}
