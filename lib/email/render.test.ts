import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadNetworkDir } from '#network/load.ts';
import type { CanonicalOrder } from '#network/schemas.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import { Decision as DecisionSchema, type Candidate, type Decision } from '#routing/decision.ts';
import { route } from '#routing/route.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { onTrainScenario, scenario } from './fixtures.ts';
import type { Language } from './labels.ts';
import { buildDecisionEmail, EmailRenderError, renderDecisionEmail, type RenderInput, type RenderedEmail } from './render.ts';
import { reasonText } from './reasons.ts';

/** Monday 23 Nov 2026, 16:00 in Yiwu. */
const NOW = new Date('2026-11-23T08:00:00Z');
const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

let demo: NetworkSnapshot;
beforeAll(async () => {
  demo = (await loadNetworkDir('data/demo', { now: NOW })).snapshot;
});

// ---------------------------------------------------------------------------------------------
// Helpers that know nothing of the renderer

/** The names a reader knows each source of the demo network by: literal, per language. */
const NAMES: Record<Language, Record<string, string>> = {
  en: {
    'CP-EPK': 'China Post ePacket',
    'CN-STD': 'Cainiao Standard',
    'YUN-DDP': 'YunExpress DDP',
    'DHL-EXP': 'DHL Express Worldwide',
    'WH-MAD': 'Madrid overseas warehouse',
    'WH-DUI': 'Duisburg overseas warehouse',
    R1: "Yixin'ou Yiwu → Madrid",
    R2: "Yixin'ou Yiwu → Duisburg",
  },
  'zh-CN': {
    'CP-EPK': '中国邮政 ePacket',
    'CN-STD': '菜鸟 Cainiao Standard',
    'YUN-DDP': '云途 YunExpress DDP',
    'DHL-EXP': 'DHL Express Worldwide',
    'WH-MAD': '马德里海外仓',
    'WH-DUI': '杜伊斯堡海外仓',
    R1: '义新欧班列（义乌 → 马德里）',
    R2: '义新欧班列（义乌 → 杜伊斯堡）',
  },
};

/** The sources a route id is made of: `rail:R1-2026-11-24` → R1, `split:a+b` → both parts. */
function sourcesOf(routeId: string): string[] {
  if (routeId.startsWith('split:')) return routeId.slice(6).split('+').flatMap(sourcesOf);
  const id = routeId.slice(routeId.indexOf(':') + 1);
  return routeId.startsWith('rail:') ? [id.replace(/-\d{4}-\d{2}-\d{2}$/, '')] : [id];
}

function namesOf(routeId: string, language: Language): string[] {
  return sourcesOf(routeId).map((source) => {
    const name = NAMES[language][source];
    if (name === undefined) throw new Error(`no expected name for ${source}`);
    return name;
  });
}

function money(amount: number, currency: string, language: Language): string {
  return new Intl.NumberFormat(language === 'zh-CN' ? 'zh-CN' : 'en-GB', { style: 'currency', currency }).format(amount);
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** How a reader sees a calendar date at least: "11月24日" / "24 Nov". */
function dayOf(isoDate: string, language: Language): string {
  const [, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return language === 'zh-CN' ? `${month}月${day}日` : `${day} ${EN_MONTHS[month - 1]}`;
}

/** What a person reads in the HTML: no head, no tags, entities decoded, spaces collapsed. */
function readHtml(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

/** The facts worth comparing between the two bodies: every amount and every calendar day. */
function keyFacts(text: string): Set<string> {
  const amounts = text.match(/(?:CN¥|¥|€|US\$)[\d,]+\.\d{2}/g) ?? [];
  const days = text.match(/\d{1,2}月\d{1,2}日|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/g) ?? [];
  return new Set([...amounts, ...days]);
}

/** The item lines of the text section under `heading` (up to the next blank line). */
function sectionItems(text: string, heading: string): string[][] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no section ${heading}`);
  const items: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    if (/^(- |\d+\. )/.test(line)) items.push([line]);
    else items[items.length - 1]?.push(line.trim());
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Orders on the demo network, one per kind of decision

type Kind = 'warehouse' | 'direct' | 'rail' | 'split' | 'unroutable';

const base = { marketplace: 'shopify', placedAt: '2026-11-23T07:30:00Z' } as const;
const ORDERS: Record<Kind, CanonicalOrder> = {
  warehouse: { ...base, orderId: 'o-wh', sellerId: 'tianmen-garments', externalId: '1042', shipTo: { country: 'DE', postalCode: '47051' }, lines: [{ sku: 'TEE-COT', qty: 1 }] },
  direct: { ...base, orderId: 'o-dp', sellerId: 'yiwu-goods', externalId: '2001', shipTo: { country: 'ES' }, lines: [{ sku: 'UMB-GOLF', qty: 1 }] },
  rail: { ...base, orderId: 'o-rail', sellerId: 'yiwu-goods', externalId: '2002', shipTo: { country: 'ES' }, lines: [{ sku: 'BLOCKS-500', qty: 2 }], serviceLevel: 'economy' },
  split: {
    ...base,
    orderId: 'o-split',
    sellerId: 'yiwu-goods',
    externalId: '2003',
    shipTo: { country: 'DE' },
    lines: [
      { sku: 'PWR-10K', qty: 1 },
      { sku: 'UMB-GOLF', qty: 1 },
    ],
  },
  unroutable: {
    ...base,
    orderId: 'o-none',
    sellerId: 'yiwu-goods',
    externalId: '2004',
    shipTo: { country: 'ES' },
    lines: [
      { sku: 'PWR-10K', qty: 5 },
      { sku: 'UMB-GOLF', qty: 1 },
    ],
    deliverBy: '2026-11-27',
  },
};
const MODES: Record<Kind, string | undefined> = {
  warehouse: 'overseas-warehouse',
  direct: 'direct-parcel',
  rail: 'rail-to-warehouse',
  split: 'split',
  unroutable: undefined,
};

function record(order: CanonicalOrder, decision: Decision): OrderRecord {
  return {
    orderId: order.orderId,
    sellerId: order.sellerId,
    status: decision.status,
    order,
    source: { platform: order.marketplace, shop: 'demo-shop' },
    receivedAt: order.placedAt,
    updatedAt: decision.decidedAt,
    decisionVersion: 1,
    decision,
  };
}

/** The demo network with the order's seller writing `language` (and reporting in CNY for zh-CN, EUR for en). */
function networkFor(sellerId: string, language: Language): NetworkSnapshot {
  const reportCurrency = language === 'zh-CN' ? 'CNY' : 'EUR';
  return { ...demo, sellers: demo.sellers.map((s) => (s.id === sellerId ? { ...s, language, reportCurrency } : s)) };
}

function routed(order: CanonicalOrder, language: Language): { input: RenderInput; email: RenderedEmail } {
  const network = networkFor(order.sellerId, language);
  const decision = route(order, network, NOW);
  const input = { order: record(order, decision), decision, network, now: NOW };
  return { input, email: renderDecisionEmail(input) };
}

// ---------------------------------------------------------------------------------------------

describe.each(LANGUAGES)('the %s email', (language) => {
  const notPossible = language === 'zh-CN' ? '不可行' : 'Not possible';
  const alternativesHeading = language === 'zh-CN' ? '【其他方案对比】' : 'OTHER OPTIONS CONSIDERED';
  const failedHeading = language === 'zh-CN' ? '【各方案不可行的原因】' : 'WHY EACH OPTION FAILED';

  describe.each(['warehouse', 'direct', 'rail', 'split', 'unroutable'] as const)('for a %s decision', (kind) => {
    let input: RenderInput;
    let email: RenderedEmail;
    let decision: Decision;
    beforeAll(() => {
      ({ input, email } = routed(ORDERS[kind], language));
      decision = input.decision;
    });

    it('is the decision the scenario is about, addressed to the seller in their language', () => {
      expect(DecisionSchema.safeParse(decision).success).toBe(true);
      expect(decision.chosen?.mode).toBe(MODES[kind]);
      const seller = demo.sellers.find((s) => s.id === ORDERS[kind].sellerId)!;
      expect(email.to).toBe(seller.email);
      expect(email.language).toBe(language);
      expect(email.html).toContain(`<html lang="${language}"`);
      expect(email.subject).toContain(`#${ORDERS[kind].externalId}`);
    });

    it('names the chosen route, its total, each cost and the delivery date in subject, HTML and text', () => {
      const chosen = decision.chosen;
      if (chosen === undefined) {
        expect(email.subject).toBe(
          language === 'zh-CN' ? `【Silkroute】需处理：订单 #${ORDERS[kind].externalId} 无可用线路` : `[Silkroute] Action needed: #${ORDERS[kind].externalId} cannot be routed`,
        );
        return;
      }
      const total = money(chosen.cost.total, chosen.cost.currency, language);
      const html = readHtml(email.html);
      expect(email.subject).toContain(total);
      expect(email.subject).toContain(dayOf(chosen.eta.latest, language).replace(/^\d+月/, ''));
      for (const name of namesOf(chosen.routeId, language)) {
        expect(html).toContain(name);
        expect(email.text).toContain(name);
      }
      for (const body of [html, email.text]) {
        expect(body).toContain(total);
        expect(body).toContain(dayOf(chosen.eta.latest, language));
        for (const component of chosen.cost.components) expect(body).toContain(money(component.amount, chosen.cost.currency, language));
      }
      for (const shipment of chosen.shipments) {
        for (const { sku, qty } of shipment.lines) {
          expect(email.text.split('\n').some((l) => l.includes(sku) && l.includes(`×${qty}`))).toBe(true);
        }
      }
    });

    it('lists every other candidate once, with its total or every reason it was infeasible', () => {
      const others = decision.candidates.filter((c) => c.routeId !== decision.chosen?.routeId);
      const items = sectionItems(email.text, decision.chosen === undefined ? failedHeading : alternativesHeading);
      expect(items).toHaveLength(others.length);
      const html = readHtml(email.html);
      for (const candidate of others) {
        const names = namesOf(candidate.routeId, language);
        const item = items.find(([title]) => names.every((n) => title!.includes(n)) && title!.includes(candidate.feasible ? money(candidate.cost!.total, candidate.cost!.currency, language) : notPossible));
        expect(item, `${candidate.routeId} in the text`).toBeDefined();
        if (candidate.feasible) {
          expect(html).toContain(money(candidate.cost!.total, candidate.cost!.currency, language));
          continue;
        }
        expect(candidate.reasons?.length).toBeGreaterThan(0);
        for (const reason of candidate.reasons!) {
          // Said from the reason's code and params in the reader's language, never the router's English in Chinese.
          const said = reasonText(reason, language, input);
          expect(item!.some((line) => line.endsWith(said))).toBe(true);
          expect(html).toContain(said);
          if (language === 'zh-CN') expect(email.text).not.toContain(reason.message);
        }
      }
    });

    it('carries the same facts in the plain text as in the HTML', () => {
      expect(keyFacts(flat(email.text))).toEqual(keyFacts(readHtml(email.html)));
      const messages = decision.candidates.flatMap((c: Candidate) => c.reasons ?? []).map((r) => reasonText(r, language, input));
      const names = decision.candidates.flatMap((c) => namesOf(c.routeId, language));
      for (const fact of [...messages, ...names]) {
        expect(readHtml(email.html).includes(fact)).toBe(flat(email.text).includes(fact));
      }
    });
  });

  it('says exactly what to fix when no route can take the order', () => {
    const { input, email } = routed(ORDERS.unroutable, language);
    const codes = new Set(input.decision.candidates.flatMap((c) => c.reasons ?? []).map((r) => r.code));
    expect([...codes].sort()).toEqual(['battery', 'missed-deadline', 'no-stock', 'oversize']);
    const stockOf = (warehouseId: string, sku: string) => demo.stock.find((s) => s.sellerId === 'yiwu-goods' && s.warehouseId === warehouseId && s.sku === sku)?.available ?? 0;
    const fixes = sectionItems(email.text, language === 'zh-CN' ? '【需要您处理】' : 'WHAT TO FIX').map((lines) => lines.join('\n'));
    expect(fixes).toHaveLength(4);
    const [restock, battery, oversize, deadline] = fixes;
    // The stock fix is what the router says with that stock in Madrid: the order then ships from there, at that cost.
    const stocked = {
      ...input.network,
      stock: [
        ...input.network.stock.filter((s) => !(s.sellerId === 'yiwu-goods' && s.warehouseId === 'WH-MAD')),
        { sellerId: 'yiwu-goods', warehouseId: 'WH-MAD', sku: 'PWR-10K', available: 5 },
        { sellerId: 'yiwu-goods', warehouseId: 'WH-MAD', sku: 'UMB-GOLF', available: 1 },
      ],
    };
    const withStock = route(ORDERS.unroutable, stocked, NOW).chosen!;
    expect(withStock.routeId).toBe('warehouse:WH-MAD');
    const need = (sku: string, qty: number) => qty - stockOf('WH-MAD', sku);
    // And a later date is what the router says with that date.
    const later = '2026-12-15';
    const movedDate = route({ ...ORDERS.unroutable, deliverBy: later }, input.network, NOW).chosen!;
    if (language === 'zh-CN') {
      expect(restock).toContain(`在马德里海外仓备货：${need('PWR-10K', 5)} 件 PWR-10K、${need('UMB-GOLF', 1)} 件 UMB-GOLF`);
      expect(restock).toContain(`以后同样的订单就能从马德里海外仓发货，每单 ${money(withStock.cost.total, 'CNY', language)}`);
      expect(restock).toContain('约 12月13日 周日 到仓：本单等不及');
      expect(battery).toContain('带电产品：PWR-10K');
      expect(oversize).toContain('超尺寸：UMB-GOLF');
      expect(oversize).toContain('100×8×8 cm');
      expect(deadline).toContain('没有线路能在承诺送达日 11月27日 周五 前送到');
      expect(deadline).toContain(`如果买家同意延到 ${dayOf(later, language)}`);
    } else {
      expect(restock).toContain(`Stock ${need('PWR-10K', 5)} × PWR-10K, ${need('UMB-GOLF', 1)} × UMB-GOLF in the Madrid overseas warehouse`);
      expect(restock).toContain(`The next order like this would then ship from there for ${money(withStock.cost.total, 'EUR', language)}.`);
      expect(restock).toContain('too late for this order');
      expect(battery).toContain('Battery goods: PWR-10K');
      expect(oversize).toContain('Too large for parcel services: UMB-GOLF');
      expect(deadline).toContain('No route meets the promised date of Fri 27 Nov 2026');
      expect(deadline).toContain('If the buyer accepts delivery by Tue 15 Dec 2026');
    }
    expect(deadline).toContain(money(movedDate.cost.total, language === 'zh-CN' ? 'CNY' : 'EUR', language));
    expect(fixes.join('\n')).not.toMatch(/Duisburg|杜伊斯堡/); // stocking Duisburg would not route this order: not advised
    // No API call an exporter cannot make.
    expect(email.text).not.toContain('/reroute');
    expect(email.text).not.toContain('POST');
  });

  it('asks for the missing SKU when the catalogue does not know it', () => {
    const order: CanonicalOrder = { ...ORDERS.direct, orderId: 'o-sku', lines: [{ sku: 'UMB-3F', qty: 1 }, { sku: 'NOPE-9', qty: 2 }] };
    const { email } = routed(order, language);
    const [fix] = sectionItems(email.text, language === 'zh-CN' ? '【需要您处理】' : 'WHAT TO FIX');
    expect(fix![0]).toBe(language === 'zh-CN' ? '1. 在商品库中添加 SKU：NOPE-9' : '1. Add SKU NOPE-9 to the catalogue');
  });
});

describe.each(LANGUAGES)('the %s email for a shop line without a SKU', (language) => {
  it('sends the seller to the shop to set the SKU, not to the catalogue for the placeholder', () => {
    const order: CanonicalOrder = { ...ORDERS.direct, orderId: 'o-nosku', lines: [{ sku: 'UMB-3F', qty: 1 }, { sku: 'no-sku:14004', qty: 1 }] };
    const { email } = routed(order, language);
    const [fix, ...rest] = sectionItems(email.text, language === 'zh-CN' ? '【需要您处理】' : 'WHAT TO FIX').map((lines) => lines.join('\n'));
    expect(rest).toEqual([]);
    if (language === 'zh-CN') {
      expect(fix).toContain('订单中有商品在店铺里没有填写 SKU（订单行 14004）');
      expect(fix).toContain('请在店铺后台给该商品填写 SKU');
    } else {
      expect(fix).toContain('A line of this order has no SKU in your shop (line item 14004)');
      expect(fix).toContain('Give that product a SKU in your shop');
    }
    expect(fix).toContain('no-sku:14004');
    expect(email.text).not.toContain(language === 'zh-CN' ? '在商品库中添加 SKU：no-sku' : 'Add SKU no-sku');
  });
});

describe('hand-made scenarios (network and decisions fixed in lib/email/fixtures.ts)', () => {
  it('writes subject lines an exporter can scan in an inbox list', () => {
    expect(renderDecisionEmail(scenario('warehouse', 'zh-CN')).subject).toBe('【Silkroute】订单 #1042 → 杜伊斯堡海外仓 ¥50.10，预计 11月24–26日送达');
    expect(renderDecisionEmail(scenario('warehouse', 'en')).subject).toBe('[Silkroute] #1042 → Duisburg warehouse, €6.11, arrives 24–26 Nov');
    expect(renderDecisionEmail(scenario('rail', 'en')).subject).toBe(
      "[Silkroute] #2090 → rail Yixin'ou Yiwu → Madrid (cut-off 23 Nov 18:00 Beijing), €9.26, arrives 14–15 Dec",
    );
    expect(renderDecisionEmail(scenario('unroutable', 'en')).subject).toBe('[Silkroute] Action needed: #2093 cannot be routed');
  });

  it('shows the saving against the cheapest direct parcel', () => {
    expect(renderDecisionEmail(scenario('warehouse', 'en')).text).toContain('That is €0.95 less than the cheapest direct parcel (Cainiao Standard, €7.06).');
    expect(renderDecisionEmail(scenario('warehouse', 'zh-CN')).text).toContain('比最便宜的直发小包（菜鸟 Cainiao Standard，¥57.89）省 ¥7.79。');
    expect(renderDecisionEmail(scenario('direct', 'en')).text).toContain('A direct parcel is the cheapest way to ship this order.');
  });

  it('warns when stock at the shipping warehouse is nearly out, and not when it is plentiful', () => {
    const input = scenario('warehouse', 'en');
    expect(renderDecisionEmail(input).text).toContain('TEE-COT: 8 units left in the Duisburg warehouse');
    expect(renderDecisionEmail(scenario('warehouse', 'zh-CN')).text).toContain('TEE-COT 在杜伊斯堡海外仓只剩 8 件');
    const plenty = { ...input.network, stock: input.network.stock.map((s) => (s.sku === 'TEE-COT' ? { ...s, available: 21 } : s)) };
    expect(renderDecisionEmail({ ...input, network: plenty }).text).not.toContain('units left');
  });

  it('names a cut-off only where it is worth acting on, skipping departures whose cut-off has passed', () => {
    // A direct parcel with stock nowhere near: no list of every lane's next cut-off.
    const direct = renderDecisionEmail(scenario('direct', 'en')).text;
    expect(direct).not.toMatch(/Next .* cut-off/);
    expect(renderDecisionEmail(scenario('direct', 'zh-CN')).text).not.toContain('下一班截单');
    // Low stock where the order shipped from: the train that refills it, with the day it is in the warehouse.
    const input = scenario('warehouse', 'en');
    const text = renderDecisionEmail(input).text;
    expect(text).toContain("Restock by Yixin'ou Yiwu → Duisburg: cut-off Sun 22 Nov 18:00 (Beijing time), in the warehouse about");
    expect(text).not.toContain('Yiwu → Madrid: cut-off');
    // An hour after the Sunday cut-off, Monday's Duisburg train is closed: the next is Wednesday's.
    const later = renderDecisionEmail({ ...input, now: new Date('2026-11-22T11:00:00Z') }).text;
    expect(later).toContain("Restock by Yixin'ou Yiwu → Duisburg: cut-off Tue 24 Nov 18:00 (Beijing time)");
    expect(renderDecisionEmail(scenario('warehouse', 'zh-CN')).text).toContain('补货可走义新欧班列（义乌 → 杜伊斯堡），截单 11月22日 周日 18:00（北京时间），约');
  });

  it('gives a split one cost table per shipment, each adding up, and each leg its hand-over or ship date', () => {
    for (const language of LANGUAGES) {
      const input = scenario('split', language);
      const { text } = renderDecisionEmail(input);
      const shipments = input.decision.chosen!.shipments;
      expect(shipments).toHaveLength(2);
      const [parcel, stock] = shipments.map((s) => money(s.cost.total, s.cost.currency, language));
      const sub = language === 'zh-CN' ? '小计：' : 'Subtotal: ';
      // Each shipment's components, then its own subtotal; no merged table.
      const breakdown = text.slice(text.indexOf(language === 'zh-CN' ? '【费用明细】' : 'COST BREAKDOWN'));
      for (const s of shipments) {
        const at = breakdown.indexOf(`${sub}${money(s.cost.total, s.cost.currency, language)}`);
        expect(at).toBeGreaterThan(0);
        const sum = s.cost.components.reduce((n, c) => n + Math.round(c.amount * 100), 0);
        expect(sum).toBe(Math.round(s.cost.total * 100));
      }
      expect(breakdown.indexOf(`${sub}${parcel}`)).toBeLessThan(breakdown.indexOf(`${sub}${stock}`));
      const total = money(input.decision.chosen!.cost.total, input.decision.chosen!.cost.currency, language);
      expect(breakdown).toContain(
        language === 'zh-CN' ? `2 票合计\n第 1 票：${parcel}\n第 2 票：${stock}\n合计：${total}` : `All 2 shipments\nShipment 1: ${parcel}\nShipment 2: ${stock}\nTotal: ${total}`,
      );
      // The parcel leg is handed over on the decision day and leaves after the service's handling day; the warehouse ships after its processing day.
      if (language === 'zh-CN') {
        expect(text).toContain('交寄：11月22日 周日 交给菜鸟揽收，约 11月23日 周一 发出');
        expect(text).toContain('出库：约 11月23日 周一');
      } else {
        expect(text).toContain('Hand over: Sun 22 Nov 2026 to Cainiao; it leaves about Mon 23 Nov 2026');
        expect(text).toContain('Ships: about Mon 23 Nov 2026');
      }
    }
  });

  it('calls DHL Express international express (国际快递), not a direct parcel', () => {
    const zh = renderDecisionEmail(scenario('warehouse', 'zh-CN')).text;
    expect(zh).toContain('国际快递 DHL Express Worldwide');
    expect(zh).not.toContain('直发小包 DHL');
    expect(zh).toContain('直发小包 菜鸟 Cainiao Standard');
    expect(renderDecisionEmail(scenario('warehouse', 'en')).text).toContain('International express, DHL Express Worldwide');
    // The rail email's cheapest direct option is DHL: the saving names it as express.
    expect(renderDecisionEmail(scenario('rail', 'zh-CN')).text).toMatch(/比最便宜的直发方案（国际快递 DHL Express Worldwide，¥[\d.,]+）省/);
  });

  it('writes the footer without jargon: amounts in the report currency, no calendar-day rule', () => {
    for (const language of LANGUAGES) {
      const { text } = renderDecisionEmail(scenario('warehouse', language));
      expect(text).not.toMatch(/UTC/);
      expect(text).toContain(language === 'zh-CN' ? '金额币种为 CNY。' : 'Amounts in EUR.');
    }
  });

  it('says a reason that blocks every option once, on top, instead of under each', () => {
    for (const language of LANGUAGES) {
      const input = scenario('unknown-sku', language);
      expect(input.decision.candidates.length).toBeGreaterThan(4);
      expect(input.decision.candidates.every((c) => c.reasons?.length === 1 && c.reasons[0]!.code === 'unknown-sku')).toBe(true);
      const { text } = renderDecisionEmail(input);
      const sentence = language === 'zh-CN' ? '商品库中没有 MYSTERY-1' : 'MYSTERY-1 is not in';
      const failed = text.slice(text.indexOf(language === 'zh-CN' ? '【各方案不可行的原因】' : 'WHY EACH OPTION FAILED'));
      expect(failed.split(sentence)).toHaveLength(2);
      expect(failed).toContain(language === 'zh-CN' ? `全部 ${input.decision.candidates.length} 个方案都因同一原因不可行` : `All ${input.decision.candidates.length} options fail for the same reason`);
      // Every option is still named.
      for (const name of language === 'zh-CN' ? ['菜鸟 Cainiao Standard', '马德里海外仓', '杜伊斯堡海外仓'] : ['Cainiao Standard', 'Madrid warehouse', 'Duisburg warehouse']) expect(failed).toContain(name);
    }
    // Options that fail for other reasons too keep their own list, without the common one.
    const { text } = renderDecisionEmail(scenario('unroutable', 'en'));
    expect(text).not.toContain('fail for the same reason');
  });

  it('explains a rail route with its departure and cut-off, and urges handing over before it', () => {
    const text = renderDecisionEmail(scenario('rail', 'zh-CN')).text;
    expect(text).toContain('头程班列：义新欧班列（义乌 → 马德里）');
    expect(text).toContain('发车：11月24日 周二');
    expect(text).toContain('截单时间：11月23日 周一 18:00（北京时间）');
    expect(text).toContain('请在截单前交货');
  });

  it('escapes everything that comes from a marketplace or the catalogue in the HTML, and keeps it verbatim in the text', () => {
    const input = scenario('warehouse', 'en');
    const hostile = '<script>alert(1)</script>';
    const network = {
      ...input.network,
      skus: input.network.skus.map((s) => (s.sku === 'TEE-COT' ? { ...s, title: hostile } : s)),
      sellers: input.network.sellers.map((s) => (s.id === 'tianmen-garments' ? { ...s, name: 'Jinxiu & "Sons" <Ltd>' } : s)),
    };
    const order = { ...input.order, order: { ...input.order.order, orderNumber: '<img src=x onerror=alert(2)>' }, source: { platform: 'shopify', shop: "o'neil<shop>" } };
    const email = renderDecisionEmail({ ...input, network, order });
    expect(email.html).not.toContain('<script');
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain("o'neil<shop>");
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('Jinxiu &amp; &quot;Sons&quot; &lt;Ltd&gt;');
    expect(email.text).toContain(hostile);
    expect(email.subject).toContain('<img src=x onerror=alert(2)>');
    expect(email.text).toContain('Order <img src=x onerror=alert(2)> (Shopify');
  });

  it('keeps subject lines on one line whatever a marketplace sends', () => {
    const input = scenario('warehouse', 'en');
    for (const field of ['orderNumber', 'externalId'] as const) {
      const { orderNumber: _, ...bare } = input.order.order;
      const order = { ...input.order, order: { ...bare, [field]: '1042\r\nBcc: victim@example.com' } };
      expect(renderDecisionEmail({ ...input, order }).subject, field).toMatch(/^\[Silkroute\] 1042 Bcc: victim@example\.com → /);
    }
  });

  it("names the order by the platform's order number (Shopify's #1042), never its numeric id, in subject and body; else by the external id (issue 14 item 2)", () => {
    for (const name of ['warehouse', 'unroutable'] as const) {
      for (const language of ['zh-CN', 'en'] as const) {
        const input = scenario(name, language);
        const { orderNumber, externalId } = input.order.order;
        expect(orderNumber).toMatch(/^#\d+$/);
        const email = renderDecisionEmail(input);
        for (const [part, body] of Object.entries({ subject: email.subject, text: email.text, html: email.html })) {
          expect(body, `${name} ${language} ${part}`).toContain(orderNumber);
          if (input.order.order.marketplace === 'shopify') expect(body, `${name} ${language} ${part}`).not.toContain(externalId);
        }
        // No order number (a generic sender that gave none): the external id, with the # a bare number gets.
        const { orderNumber: _, ...bare } = input.order.order;
        const fallback = renderDecisionEmail({ ...input, order: { ...input.order, order: { ...bare, externalId: '5820012349001' } } });
        expect(fallback.subject).toContain('#5820012349001');
        const erp = renderDecisionEmail({ ...input, order: { ...input.order, order: { ...bare, externalId: 'SO-2026-000731' } } });
        expect(erp.subject).toContain(' SO-2026-000731');
        expect(erp.subject).not.toContain('#SO-');
      }
    }
  });

  it('labels known cost components in both languages and shows an unknown one as it is', () => {
    const input = scenario('direct', 'zh-CN');
    const chosen = input.decision.chosen!;
    const decision = { ...input.decision, chosen: { ...chosen, cost: { ...chosen.cost, components: [...chosen.cost.components, { name: 'carbon-offset', amount: 0 }] } } };
    const text = renderDecisionEmail({ ...input, decision }).text;
    expect(text).toContain('小包运费：');
    expect(text).toContain('关税部分的增值税：');
    expect(text).toContain('carbon-offset：¥0.00');
  });

  it('is deterministic and reads no clock: the same input gives the same email at any wall time', () => {
    const input = scenario('split', 'zh-CN');
    const first = renderDecisionEmail(input);
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date('2031-05-05T00:00:00Z'));
      expect(renderDecisionEmail(input)).toEqual(first);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses to write an email for a seller the network does not know', () => {
    const input = scenario('direct', 'en');
    const network = { ...input.network, sellers: [] };
    expect(() => renderDecisionEmail({ ...input, network })).toThrow(EmailRenderError);
  });
});

describe('a decision stored before ids and reason params existed (ADR 0009)', () => {
  const oldShape = (d: Decision): Decision =>
    DecisionSchema.parse(
      JSON.parse(JSON.stringify(d, (key, value: unknown) => (['serviceId', 'warehouseId', 'departureId', 'laneId', 'params', 'parts'].includes(key) ? undefined : value))),
    );

  it.each(['warehouse', 'split', 'unroutable'] as const)('still renders the %s email, naming the same routes, with no English reason in Chinese', (kind) => {
    for (const language of LANGUAGES) {
      const { input, email } = routed(ORDERS[kind], language);
      const old = oldShape(input.decision);
      const again = renderDecisionEmail({ ...input, decision: old, order: { ...input.order, decision: old } });
      expect(again.subject).toBe(email.subject);
      for (const c of input.decision.candidates) for (const name of namesOf(c.routeId, language)) expect(again.text).toContain(name);
      if (language === 'zh-CN') {
        for (const r of input.decision.candidates.flatMap((c) => c.reasons ?? [])) expect(again.text).not.toContain(r.message);
      }
    }
  });
});

describe('one-click reroute links (issue 14 item 6)', () => {
  const URL_ = 'https://api.silkroute.example/actions/eyJhIjoicmVyb3V0ZSJ9.sig';

  it('an unroutable email offers the link as a button in HTML and the bare link in text, in either language', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const email = renderDecisionEmail({ ...scenario('unroutable', language), rerouteUrl: URL_ });
      expect(email.html).toContain(`<a href="${URL_}"`);
      expect(email.html).toContain(language === 'zh-CN' ? '>重新选路</a>' : '>Reroute this order</a>');
      expect(email.text).toContain(language === 'zh-CN' ? `重新选路：${URL_}` : `Reroute this order: ${URL_}`);
      expect(email.text).toContain(language === 'zh-CN' ? '只能用一次' : 'the link works once');
      // Without a link the email says what to do, and offers nothing to click.
      const plain = renderDecisionEmail(scenario('unroutable', language));
      expect(plain.html).not.toContain('/actions/');
      expect(plain.text).toContain(language === 'zh-CN' ? '这张订单需要重新路由' : 'the order needs routing again');
    }
  });

  it('a routed email offers it where a reroute can help (a train cut-off), not for a warehouse order with nothing to change', () => {
    const rail = renderDecisionEmail({ ...scenario('rail', 'en'), rerouteUrl: URL_ });
    expect(rail.text).toContain(`Reroute this order: ${URL_}`);
    expect(rail.text).toContain('missed the cut-off');
    const zhRail = renderDecisionEmail({ ...scenario('rail', 'zh-CN'), rerouteUrl: URL_ });
    expect(zhRail.text).toContain(`重新选路：${URL_}`);
    const warehouse = scenario('warehouse', 'en');
    const model = buildDecisionEmail({ ...warehouse, rerouteUrl: URL_ });
    const hasAdvice = model.blocks.some((b) => b.kind === 'button');
    // The warehouse fixture ships from stock with nothing to restock: no button.
    expect(hasAdvice).toBe(false);
    expect(renderDecisionEmail({ ...warehouse, rerouteUrl: URL_ }).html).not.toContain(URL_);
  });
});

describe('a shipment promised from stock still on a train', () => {
  it.each([
    ['en', 'Stock arrives on Wed 9 Dec 2026: TEE-COT ×1 are still on a train'],
    ['zh-CN', '部分库存还在班列上：TEE-COT ×1 预计 12月9日'],
  ] as const)('says in %s when the stock arrives', (language, sentence) => {
    const email = renderDecisionEmail(onTrainScenario(language));
    expect(email.text).toContain(sentence);
    expect(email.html).toContain(sentence.split('：')[0]!.split(':')[0]!);
    // The warehouse ships after the lot is in (9 Dec + 1 processing day), not on the decision day.
    expect(email.text).toContain(language === 'en' ? 'Ships: about Thu 10 Dec 2026' : '出库：约 12月10日');
    // Served from the shelf alone, the email says nothing of a train.
    expect(renderDecisionEmail(scenario('warehouse', language)).text).not.toContain(sentence);
  });
});
