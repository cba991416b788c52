/**
 * The words of the exporter email in both languages. Chinese is written the way a logistics
 * manager in Yiwu talks to a seller (海外仓, 头程, 尾程派送, 截单); English is plain and
 * professional. Names from the catalogue and the network stay as the seller wrote them, except
 * for a short glossary of places and carriers every Chinese exporter knows by their Chinese name.
 */
import type { Mode, ReasonCode } from '#routing/decision.ts';

export type Language = 'zh-CN' | 'en';

/** Cost component ids of the router → labels. Unknown ids are shown as they are. */
export const COMPONENT_LABELS: Record<string, Record<Language, string>> = {
  freight: { 'zh-CN': '小包运费', en: 'Parcel freight' },
  'battery-surcharge': { 'zh-CN': '带电附加费', en: 'Battery surcharge' },
  duty: { 'zh-CN': '进口关税', en: 'Import duty' },
  'vat-on-duty': { 'zh-CN': '关税部分的增值税', en: 'VAT on duty' },
  brokerage: { 'zh-CN': '清关代理费', en: 'Customs brokerage' },
  'handling-fee': { 'zh-CN': '欧盟包裹处理费', en: 'EU handling fee' },
  'national-fee': { 'zh-CN': '进口国附加费', en: 'National fee (country of import)' },
  'pick-pack': { 'zh-CN': '海外仓拣货打包费', en: 'Pick & pack' },
  packaging: { 'zh-CN': '包材费', en: 'Packaging' },
  'last-mile': { 'zh-CN': '尾程派送费', en: 'Last-mile delivery' },
  linehaul: { 'zh-CN': '头程运费（班列）', en: 'Rail linehaul' },
  'bulk-duty': { 'zh-CN': '头程大货进口关税', en: 'Import duty on rail stock' },
  inbound: { 'zh-CN': '入仓费', en: 'Warehouse inbound' },
  storage: { 'zh-CN': '仓储费', en: 'Storage' },
};

/** Short names of the reason codes, put in front of the router's own message. */
export const REASON_LABELS: Record<ReasonCode, Record<Language, string>> = {
  'no-rate': { 'zh-CN': '无该国运价', en: 'No rate to this country' },
  overweight: { 'zh-CN': '超重', en: 'Overweight' },
  oversize: { 'zh-CN': '超尺寸', en: 'Oversize' },
  battery: { 'zh-CN': '带电受限', en: 'Battery' },
  'no-stock': { 'zh-CN': '库存不足', en: 'Not in stock' },
  'missed-deadline': { 'zh-CN': '赶不上承诺时效', en: 'Misses the promised date' },
  'no-departure': { 'zh-CN': '无可赶上的班次', en: 'No departure' },
  'no-capacity': { 'zh-CN': '班列舱位已满', en: 'Train full' },
  'no-last-mile': { 'zh-CN': '无尾程派送', en: 'No last mile' },
  'unknown-sku': { 'zh-CN': '商品库无此 SKU', en: 'Unknown SKU' },
  'marketplace-rule': { 'zh-CN': '平台不允许该渠道', en: 'Not allowed by the marketplace' },
};

export const MODE_LABELS: Record<Mode, Record<Language, string>> = {
  'direct-parcel': { 'zh-CN': '直发小包', en: 'Direct parcel' },
  'overseas-warehouse': { 'zh-CN': '海外仓发货', en: 'Ship from EU warehouse stock' },
  'rail-to-warehouse': { 'zh-CN': '班列头程 + 海外仓尾程派送', en: 'Rail to the EU warehouse, then last mile' },
  split: { 'zh-CN': '拆单发货', en: 'Split shipment' },
};

const MARKETPLACES: Record<string, string> = {
  shopify: 'Shopify',
  woocommerce: 'WooCommerce',
  standard: 'API',
  amazon: 'Amazon',
  temu: 'Temu',
  aliexpress: 'AliExpress',
  shein: 'SHEIN',
  tiktok: 'TikTok Shop',
  'tiktok-shop': 'TikTok Shop',
};

/** A marketplace id as people write it (shopify → Shopify); unknown ids as they are. */
export function marketplaceName(id: string): string {
  return MARKETPLACES[id.toLowerCase()] ?? id;
}

/**
 * Places and carriers a Chinese exporter calls by their Chinese name. Matched as whole words
 * (not inside a longer word), longest name first, so "Xi'an" is not hit by a shorter key.
 */
const ZH_NAMES: ReadonlyMap<string, string> = new Map(
  [
    ["Yixin'ou", '义新欧'],
    ['Yixinou', '义新欧'],
    ['Yiwu', '义乌'],
    ['Tianmen', '天门'],
    ['Madrid', '马德里'],
    ['Duisburg', '杜伊斯堡'],
    ['Hamburg', '汉堡'],
    ['Warsaw', '华沙'],
    ['Małaszewicze', '马拉舍维奇'],
    ['Malaszewicze', '马拉舍维奇'],
    ['Łódź', '罗兹'],
    ['Lodz', '罗兹'],
    ['Liège', '列日'],
    ['Liege', '列日'],
    ['Prague', '布拉格'],
    ['Budapest', '布达佩斯'],
    ['Rotterdam', '鹿特丹'],
    ['Barcelona', '巴塞罗那'],
    ['Paris', '巴黎'],
    ['Milan', '米兰'],
    ['Frankfurt', '法兰克福'],
    ['Berlin', '柏林'],
    ["Xi'an", '西安'],
    ['Chongqing', '重庆'],
    ['Chengdu', '成都'],
    ['Wuhan', '武汉'],
    ['China Post', '中国邮政'],
    ['Cainiao', '菜鸟'],
    ['YunExpress', '云途'],
    ['Yanwen', '燕文'],
    ['4PX', '递四方'],
  ] as const,
);

/**
 * One alternation for every name, compiled on first use. One pattern, not one per name: V8
 * compiles each regular expression on its first run, and forty Unicode patterns with
 * look-behind cost the first email ~25 ms of a cold start for a few microseconds of matching.
 */
let zhNamePattern: RegExp | undefined;
function namePattern(): RegExp {
  if (zhNamePattern !== undefined) return zhNamePattern;
  const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const names = [...ZH_NAMES.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return (zhNamePattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${names.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'gu'));
}

/** Replaces well-known place and carrier names by their Chinese names: "Yixin'ou Yiwu → Madrid" → "义新欧 义乌 → 马德里". */
export function zhNames(text: string): string {
  return text.replace(namePattern(), (name) => ZH_NAMES.get(name) ?? name);
}

/** Origins (seller.origin) as people say them. */
const ORIGINS: Record<string, Record<Language, string>> = {
  'CN-YIW': { 'zh-CN': '义乌', en: 'Yiwu' },
  'CN-TMN': { 'zh-CN': '天门', en: 'Tianmen' },
};

/** CN-YIW → 义乌 / Yiwu; unknown codes as they are. */
export function originName(code: string, language: Language): string {
  return ORIGINS[code]?.[language] ?? code;
}
