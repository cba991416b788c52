/**
 * The exporter email: one per routing decision, in the seller's language, explaining what was
 * chosen, what it costs, what else was possible and why it lost, and what to do next. Pure: no
 * I/O, no clock — the same order, decision, network and `now` always give the same email.
 */
import type { Candidate, Decision, Eta, Reason, ReasonCode, ReasonParamsOf, Shipment } from '#routing/decision.ts';
import { dayOf, deadlineOf, formatDay } from '#routing/eta.ts';
import { toMinor } from '#routing/money.ts';
import { departureOpen } from '#routing/rail.ts';
import { NO_SKU_PREFIX, orderLabel, type CanonicalOrder, type Seller, type Sku } from '#network/schemas.ts';
import { customsSentence } from './customs.ts';
import type { NetworkSnapshot, ResolvedRailLane } from '#network/types.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { SilkrouteError } from '#shared/errors.ts';
import {
  beijingDate,
  countryName,
  formatBeijingDateTime,
  formatBeijingShort,
  formatDate,
  formatDateRange,
  formatKg,
  formatMinor,
  formatShortRange,
} from './format.ts';
import { COMPONENT_LABELS, type Language, MODE_LABELS, REASON_LABELS, marketplaceName, originName, zhNames } from './labels.ts';
import type { Block, EmailModel, Fact, Item } from './model.ts';
import { reasonText } from './reasons.ts';
import { laterDateAdvice, restockTrain, stockAdvice, type RoutedAs, type StockAdvice } from './advice.ts';
import {
  type RouteEntry,
  type RouteRef,
  departureDate,
  directKind,
  isExpress,
  laneName,
  partsOf,
  resolveRoute,
  serviceName,
  warehouseName,
  warehouseOf,
} from './routes.ts';
import { toHtml } from './html.ts';
import { toText } from './text.ts';

/** Stock at or below this many units at the shipping warehouse earns a restock warning. */
export const LOW_STOCK_UNITS = 20;

export interface RenderInput {
  readonly order: OrderRecord;
  readonly decision: Decision;
  /** The seller's network now: names, stock left, next departures. */
  readonly network: NetworkSnapshot;
  readonly now: Date;
  /** A signed one-click link that reroutes the order (issue 14 item 6), when the sender has one to give. */
  readonly rerouteUrl?: string;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly to: string;
  readonly language: Language;
}

/** The email cannot be written from what it was given (a seller missing from the network, a routed decision without a route). */
export class EmailRenderError extends SilkrouteError {
  override readonly name: string = 'EmailRenderError';
}

/**
 * The email for one decision, in the seller's language, to the seller's address.
 * @example renderDecisionEmail({ order, decision, network, now }).subject
 *   // "【Silkroute】订单 #1042 → 杜伊斯堡海外仓 ¥50.02，预计 11月24–26日送达"
 */
export function renderDecisionEmail(input: RenderInput): RenderedEmail {
  const model = buildDecisionEmail(input);
  const seller = findSeller(input);
  return { subject: model.subject, html: toHtml(model), text: toText(model), to: seller.email, language: model.language };
}

interface Ctx {
  readonly lang: Language;
  readonly now: Date;
  readonly record: OrderRecord;
  readonly order: CanonicalOrder;
  readonly decision: Decision;
  readonly network: NetworkSnapshot;
  readonly seller: Seller;
  readonly skus: ReadonlyMap<string, Sku>;
  /** Stock worth adding, computed with the routing core (./advice.ts). */
  readonly advice: readonly StockAdvice[];
  readonly rerouteUrl?: string;
  /** Chooses the Chinese or the English wording. */
  readonly t: (zh: string, en: string) => string;
}

function findSeller(input: RenderInput): Seller {
  const sellerId = input.order.sellerId;
  const seller = input.network.sellers.find((s) => s.id === sellerId);
  if (seller === undefined) throw new EmailRenderError(`seller ${sellerId} is not in the network snapshot`);
  return seller;
}

/** The structured email (the model both bodies render from); exported for tests and the preview script. */
export function buildDecisionEmail(input: RenderInput): EmailModel {
  const seller = findSeller(input);
  const lang = seller.language;
  const ctx: Ctx = {
    lang,
    now: input.now,
    record: input.order,
    order: input.order.order,
    decision: input.decision,
    network: input.network,
    seller,
    skus: new Map(input.network.skus.filter((s) => s.sellerId === seller.id).map((s) => [s.sku, s])),
    advice: adviceFor(input),
    ...(input.rerouteUrl !== undefined && { rerouteUrl: input.rerouteUrl }),
    t: (zh, en) => (lang === 'zh-CN' ? zh : en),
  };
  return input.decision.status === 'routed' ? routedEmail(ctx) : unroutableEmail(ctx);
}

/**
 * The stock advice for this order. Advice is a courtesy: when the network cannot be routed
 * against (a seller whose origin has no sources, a snapshot the router refuses), the email goes
 * out without it rather than not at all.
 */
function adviceFor(input: RenderInput): readonly StockAdvice[] {
  try {
    return stockAdvice(input.order.order, input.network, input.now);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** The order as the merchant knows it: the platform's order number ("#1042"), else the external id. */
function orderNumber(ctx: Ctx): string {
  return orderLabel(ctx.order);
}

function destination(ctx: Ctx): string {
  return countryName(ctx.order.shipTo.country, ctx.lang);
}

function money(ctx: Ctx, amount: number, currency: string): string {
  return formatMinor(toMinor(amount, currency), currency, ctx.lang);
}

function etaRange(ctx: Ctx, eta: Eta): string {
  return formatDateRange(eta.earliest, eta.latest, ctx.lang, ctx.now);
}

/** Subject lines are single-line headers: no control characters from a marketplace. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** The date the order was promised for, by the router's own deadline rule (lib/routing/eta.ts), and what it rests on. */
function promised(ctx: Ctx): { date: string; basis: string } {
  const { t } = ctx;
  const deadline = deadlineOf(ctx.order, ctx.seller);
  const date = formatDay(deadline.day);
  if (deadline.basis === 'deliver-by') return { date, basis: t('买家指定', 'set by the buyer') };
  const levelName = { economy: t('经济', 'economy'), standard: t('标准', 'standard'), express: t('快速', 'express') }[deadline.level];
  return { date, basis: t(`${levelName}时效 ${deadline.days} 天`, `${levelName}, ${deadline.days} days`) };
}

/** A route of the decision, resolved against the network by its ids. */
function refOf(ctx: Ctx, entry: RouteEntry): RouteRef {
  return resolveRoute(entry, ctx.network);
}

/** A reason in the reader's language, from its code and params. */
function reasonSentence(ctx: Ctx, reason: Reason): string {
  return reasonText(reason, ctx.lang, ctx);
}

/** A route as one short line: for subject lines, alternatives and split parts. */
function routeLabel(ctx: Ctx, ref: RouteRef): string {
  const { lang, t } = ctx;
  switch (ref.mode) {
    case 'direct-parcel':
      return t(
        `${directKind(ref.service, lang)} ${ref.service ? serviceName(ref.service, lang) : ref.serviceId}`,
        `${directKind(ref.service, lang)}, ${ref.service ? serviceName(ref.service, lang) : ref.serviceId}`,
      );
    case 'overseas-warehouse':
      return warehouseName(ref.warehouse, ref.warehouseId, lang, { short: true });
    case 'rail-to-warehouse': {
      const date = departureDate(ref);
      const lane = laneName(ref.lane, ref.departureId, lang);
      if (date === undefined) return t(lane, `Rail, ${lane}`);
      const when = formatDate(date, lang, ctx.now);
      return t(`${lane}，${when} 发车`, `Rail, ${lane} (departs ${when})`);
    }
    case 'split':
      return `${t('拆单：', 'Split: ')}${ref.parts.map((p) => routeLabel(ctx, p)).join(' + ')}`;
    case 'unknown':
      return ref.id;
  }
}

function lineSummary(ctx: Ctx, lines: readonly { sku: string; qty: number }[]): string {
  return lines.map((l) => `${l.sku} ×${l.qty}`).join(ctx.t('、', ', '));
}

function lastMileFact(ctx: Ctx, ref: RouteRef): Fact | undefined {
  const wh = warehouseOf(ref);
  const lm = wh?.warehouse?.lastMile[ctx.order.shipTo.country];
  if (lm === undefined) return undefined;
  const [min, max] = lm.transitDays;
  const days = min === max ? `${min}` : `${min}–${max}`;
  return {
    label: ctx.t('尾程派送', 'Last mile'),
    value: ctx.t(`${lm.carrier}，${destination(ctx)}境内 ${days} 天`, `${lm.carrier} within ${destination(ctx)}, ${days} day${max === 1 ? '' : 's'}`),
  };
}

function cutoffText(ctx: Ctx, iso: string): string {
  return ctx.t(`${formatBeijingDateTime(iso, ctx.lang, ctx.now)}（北京时间）`, `${formatBeijingDateTime(iso, ctx.lang, ctx.now)} (Beijing time)`);
}

/** The calendar day `days` after the decision's day, as the router counts days (lib/routing/eta.ts). */
function daysAfterDecision(ctx: Ctx, days: number): string {
  return formatDay(dayOf(Date.parse(ctx.decision.decidedAt)) + days);
}

/** How one part of a route travels, as label/value rows: with the day its goods are handed over or shipped. */
function partFacts(ctx: Ctx, ref: RouteRef, shipment?: Shipment): Fact[] {
  const { lang, t } = ctx;
  const origin = originName(ctx.seller.origin, lang);
  const facts: Fact[] = [];
  switch (ref.mode) {
    case 'direct-parcel':
      facts.push({ label: t('发货方式', 'How'), value: t(`${directKind(ref.service, lang)}，从${origin}发出`, `${directKind(ref.service, lang)} from ${origin}`) });
      facts.push({ label: t('渠道', 'Service'), value: ref.service ? serviceName(ref.service, lang) : ref.serviceId, strong: true });
      if (ref.service !== undefined) {
        // The router's parcel ETA starts on the decision day and adds the service's handling days.
        const today = formatDate(daysAfterDecision(ctx, 0), lang, ctx.now);
        const leaves = formatDate(daysAfterDecision(ctx, ref.service.handlingDays), lang, ctx.now);
        const carrier = lang === 'zh-CN' ? zhNames(ref.service.carrier) : ref.service.carrier;
        facts.push({
          label: t('交寄', 'Hand over'),
          value: t(`${today} 交给${carrier}揽收，约 ${leaves} 发出`, `${today} to ${carrier}; it leaves about ${leaves}`),
          strong: true,
        });
      }
      break;
    case 'overseas-warehouse':
      facts.push({ label: t('发货方式', 'How'), value: t('海外仓现货发货', 'From stock in the EU warehouse') });
      facts.push({
        label: t('发货仓', 'Warehouse'),
        value: `${warehouseName(ref.warehouse, ref.warehouseId, lang)} (${ref.warehouseId})`,
        strong: true,
      });
      if (ref.warehouse !== undefined) {
        // Units still on a train: the warehouse ships from the last lot's arrival, as the router counts it.
        const lastLot = (shipment?.inbound ?? []).map((d) => dayOf(Date.parse(d.arrivesOn))).reduce((a, b) => Math.max(a, b), -Infinity);
        const wait = Math.max(0, lastLot - dayOf(Date.parse(ctx.decision.decidedAt)));
        const ships = formatDate(daysAfterDecision(ctx, wait + ref.warehouse.processingDays), lang, ctx.now);
        facts.push({ label: t('出库', 'Ships'), value: t(`约 ${ships}`, `about ${ships}`), strong: true });
      }
      break;
    case 'rail-to-warehouse': {
      facts.push({ label: t('发货方式', 'How'), value: MODE_LABELS['rail-to-warehouse'][lang] });
      facts.push({ label: t('头程班列', 'Train'), value: laneName(ref.lane, ref.departureId, lang), strong: true });
      const date = departureDate(ref);
      if (date !== undefined) facts.push({ label: t('发车', 'Departs'), value: formatDate(date, lang, ctx.now) });
      if (ref.departure !== undefined) {
        facts.push({ label: t('截单时间', 'Cut-off'), value: cutoffText(ctx, ref.departure.cutoffAt), strong: true });
        facts.push({
          label: t('到仓', 'Into'),
          value: t(
            `${warehouseName(ref.warehouse, ref.lane?.warehouseId ?? '', lang)}，班列运行约 ${ref.departure.transitDays} 天`,
            `${warehouseName(ref.warehouse, ref.lane?.warehouseId ?? '', lang)}, about ${ref.departure.transitDays} days by rail`,
          ),
        });
      }
      break;
    }
    case 'split':
    case 'unknown':
      facts.push({ label: t('线路', 'Route'), value: routeLabel(ctx, ref) });
      break;
  }
  const lastMile = lastMileFact(ctx, ref);
  if (lastMile !== undefined) facts.push(lastMile);
  return facts;
}

function orderSection(ctx: Ctx): Block[] {
  const { order, t, lang } = ctx;
  const where = `${order.shipTo.country}${order.shipTo.postalCode === undefined ? '' : ` ${order.shipTo.postalCode}`}`;
  const promise = promised(ctx);
  const notInCatalogue = t('（商品库中没有）', '(not in the catalogue)');
  return [
    { kind: 'heading', text: t('订单信息', 'Order') },
    {
      kind: 'facts',
      rows: [
        { label: t('平台', 'Marketplace'), value: `${marketplaceName(order.marketplace)} · ${ctx.record.source.shop}` },
        { label: t('订单号', 'Order number'), value: orderNumber(ctx), strong: true },
        { label: t('目的国', 'Destination'), value: t(`${destination(ctx)}（${where}）`, `${destination(ctx)} (${where})`) },
        { label: t('下单时间', 'Placed'), value: cutoffText(ctx, order.placedAt) },
        {
          label: t('承诺送达', 'Promised by'),
          value: t(`${formatDate(promise.date, lang, ctx.now)}（${promise.basis}）`, `${formatDate(promise.date, lang, ctx.now)} (${promise.basis})`),
        },
      ],
    },
    {
      kind: 'table',
      columns: [
        { title: 'SKU', align: 'left' },
        { title: t('品名', 'Item'), align: 'left' },
        { title: t('数量', 'Qty'), align: 'right' },
      ],
      rows: order.lines.map((l) => [l.sku, ctx.skus.get(l.sku)?.title ?? notInCatalogue, `×${l.qty}`]),
    },
  ];
}

function reasonLine(ctx: Ctx, r: Reason): string {
  return `${REASON_LABELS[r.code]?.[ctx.lang] ?? r.code}${ctx.t('：', ': ')}${reasonSentence(ctx, r)}`;
}

function reasonLines(ctx: Ctx, candidate: Candidate, except: ReadonlySet<string> = new Set()): string[] {
  const reasons = candidate.reasons ?? [];
  if (reasons.length === 0) return [ctx.t('（路由没有给出原因）', '(no reason given)')];
  return reasons.map((r) => reasonLine(ctx, r)).filter((line) => !except.has(line));
}

/** The reason lines every one of `candidates` carries (an unknown SKU blocks them all): said once, not under each. */
function commonReasonLines(ctx: Ctx, candidates: readonly Candidate[]): string[] {
  if (candidates.length < 2) return [];
  const [first, ...rest] = candidates.map((c) => new Set((c.reasons ?? []).map((r) => reasonLine(ctx, r))));
  return [...first!].filter((line) => rest.every((set) => set.has(line)));
}

/** Every candidate but the chosen one: feasible ones by price, then the infeasible ones with their reasons. */
function alternativesSection(ctx: Ctx, chosenRouteId: string | undefined, chosenTotal?: { minor: number; currency: string }): Block[] {
  const { t, lang } = ctx;
  const others = ctx.decision.candidates.filter((c) => c.routeId !== chosenRouteId);
  const feasible = others
    .filter((c) => c.feasible)
    .map((c) => ({ c, minor: c.cost === undefined ? Number.POSITIVE_INFINITY : toMinor(c.cost.total, c.cost.currency) }))
    .sort((a, b) => a.minor - b.minor || (a.c.routeId < b.c.routeId ? -1 : a.c.routeId > b.c.routeId ? 1 : 0));
  const infeasible = others.filter((c) => !c.feasible);
  // The same reason under every option is one summary on top, not N copies.
  const common = feasible.length === 0 && chosenRouteId === undefined ? commonReasonLines(ctx, infeasible) : [];
  const commonSet = new Set(common);
  const items: Item[] = [];
  const onlyCommon: Candidate[] = [];
  for (const { c, minor } of feasible) {
    const details: string[] = [];
    if (c.eta !== undefined) details.push(t(`预计 ${etaRange(ctx, c.eta)} 送达`, `Arrives ${etaRange(ctx, c.eta)}`));
    if (c.cost !== undefined && chosenTotal !== undefined && c.cost.currency === chosenTotal.currency) {
      const diff = minor - chosenTotal.minor;
      const abs = formatMinor(Math.abs(diff), chosenTotal.currency, lang);
      if (diff > 0) details.push(t(`比所选方案贵 ${abs}`, `${abs} more than the chosen route`));
      else if (diff < 0) details.push(t(`比所选方案便宜 ${abs}，但送达更晚或票数更多`, `${abs} less than the chosen route, but later or in more shipments`));
      else details.push(t('与所选方案同价，但送达更晚或票数更多', 'Same cost as the chosen route, but later or in more shipments'));
    }
    items.push({
      title: routeLabel(ctx, refOf(ctx, c)),
      aside: c.cost === undefined ? '—' : money(ctx, c.cost.total, c.cost.currency),
      details,
    });
  }
  for (const c of infeasible) {
    const details = reasonLines(ctx, c, commonSet);
    if (details.length === 0) {
      onlyCommon.push(c);
      continue;
    }
    items.push({ title: routeLabel(ctx, refOf(ctx, c)), aside: t('不可行', 'Not possible'), details, tone: 'muted' });
  }
  const heading: Block = { kind: 'heading', text: chosenRouteId === undefined ? t('各方案不可行的原因', 'Why each option failed') : t('其他方案对比', 'Other options considered') };
  const blocks: Block[] = [heading];
  if (common.length > 0) {
    blocks.push({
      kind: 'items',
      tone: 'bad',
      items: [
        {
          title: t(`全部 ${infeasible.length} 个方案都因同一原因不可行`, `All ${infeasible.length} options fail for the same reason`),
          details: common,
        },
      ],
    });
    if (onlyCommon.length > 0) {
      const names = onlyCommon.map((c) => routeLabel(ctx, refOf(ctx, c))).join(t('、', '; '));
      blocks.push({
        kind: 'paragraph',
        tone: 'muted',
        text: items.length === 0 ? t(`评估过的方案：${names}。`, `Options considered: ${names}.`) : t(`只因此不可行的方案：${names}。`, `Held back by that alone: ${names}.`),
      });
    }
  }
  if (items.length > 0) blocks.push({ kind: 'items', items });
  if (blocks.length === 1) blocks.push({ kind: 'paragraph', text: t('没有其他可选方案。', 'There was no other option.'), tone: 'muted' });
  return blocks;
}

/** The next departure of a lane that can still take goods: open by the router's rule (lib/routing/rail.ts), with room left. */
function nextOpenDeparture(lane: ResolvedRailLane, now: Date) {
  return lane.departures.find((d) => departureOpen(Date.parse(d.cutoffAt), now.getTime()) && d.remainingLitres > 0);
}

function lanesFrom(ctx: Ctx): readonly ResolvedRailLane[] {
  return ctx.network.railLanes.filter((l) => l.origin === ctx.seller.origin);
}

/**
 * "by 义新欧班列 义乌 → 杜伊斯堡, cut-off …, in the warehouse about …": how to refill a warehouse,
 * when a lane feeds it, with the day the goods are there, so it cannot read as a way to ship an
 * order that is due before then. `tooLateFor` adds that it is too late for this order.
 */
function restockHint(ctx: Ctx, warehouseId: string, options: { tooLateForThisOrder?: boolean } = {}): string | undefined {
  const train = restockTrain(ctx.network, ctx.seller.origin, warehouseId, ctx.now);
  if (train === undefined) return undefined;
  const lane = laneName(train.lane, train.lane.id, ctx.lang);
  const cutoff = cutoffText(ctx, train.departure.cutoffAt);
  const there = formatDate(train.inWarehouse, ctx.lang, ctx.now);
  if (options.tooLateForThisOrder === true) {
    return ctx.t(
      `补货可走${lane}，截单 ${cutoff}，约 ${there} 到仓：本单等不及，之后的订单都能用上。`,
      `Restock by ${lane}: cut-off ${cutoff}, in the warehouse about ${there} (too late for this order, in time for the next ones).`,
    );
  }
  return ctx.t(`补货可走${lane}，截单 ${cutoff}，约 ${there} 到仓。`, `Restock by ${lane}: cut-off ${cutoff}, in the warehouse about ${there}.`);
}

/** "DHL Paket" is a brand; a route the advice found is named like every other route of the email. */
function routedAsLabel(ctx: Ctx, r: RoutedAs): string {
  return routeLabel(ctx, resolveRoute(r.entry, ctx.network));
}

/** One piece of stock advice as an item: what to stock where, what the next order like this would then cost, and the train that gets it there. */
function stockAdviceItem(ctx: Ctx, a: StockAdvice, routable: boolean): Item {
  const { t, lang } = ctx;
  const wh = warehouseName(ctx.network.warehouses.find((w) => w.id === a.warehouseId), a.warehouseId, lang, { short: true });
  const what = a.adds.map((x) => t(`${x.qty} 件 ${x.sku}`, `${x.qty} × ${x.sku}`)).join(t('、', ', '));
  const cost = money(ctx, a.routed.total, a.routed.currency);
  const details: string[] = [];
  if (routable && a.now !== undefined && a.savingMinor !== undefined && a.savingMinor > 0) {
    details.push(
      t(
        `以后同样的订单可从${wh}发货，每单 ${cost}（现在的方案 ${money(ctx, a.now.total, a.now.currency)}）。`,
        `The next order like this would ship from there for ${cost} instead of ${money(ctx, a.now.total, a.now.currency)} today.`,
      ),
    );
  } else {
    details.push(t(`以后同样的订单就能从${wh}发货，每单 ${cost}。`, `The next order like this would then ship from there for ${cost}.`));
  }
  const hint = restockHint(ctx, a.warehouseId, { tooLateForThisOrder: !routable });
  if (hint !== undefined) details.push(hint);
  const saves = a.savingMinor !== undefined && a.savingMinor > 0 ? formatMinor(a.savingMinor, a.routed.currency, lang) : undefined;
  return {
    title:
      saves === undefined
        ? t(`在${wh}备货：${what}`, `Stock ${what} in the ${wh}`)
        : t(`在${wh}备货：${what}，同样的订单每单省 ${saves}`, `Stock ${what} in the ${wh}: the next order like this saves ${saves}`),
    details,
    // Beside the other fixes of an unroutable order it takes their colour; in a routed email it is a warning.
    ...(routable && { tone: 'warn' as const }),
  };
}

function stockAt(ctx: Ctx, warehouseId: string, sku: string): number {
  return ctx.network.stock.find((s) => s.sellerId === ctx.seller.id && s.warehouseId === warehouseId && s.sku === sku)?.available ?? 0;
}

/**
 * Worth acting on, for this order only: stock nearly out where it shipped from (with the train
 * that can refill it), and stock that would make the next order like it cheaper (computed, see
 * ./advice.ts). No list of every lane's cut-off: the same lines in every email get skipped.
 */
function warningsSection(ctx: Ctx, shippedFrom: readonly { ref: RouteRef; lines: readonly { sku: string }[] }[]): Block[] {
  const { t, lang } = ctx;
  const items: Item[] = [];
  const seen = new Set<string>();
  for (const { ref, lines } of shippedFrom) {
    if (ref.mode !== 'overseas-warehouse') continue;
    const whName = warehouseName(ref.warehouse, ref.warehouseId, lang, { short: true });
    for (const { sku } of lines) {
      const key = `${ref.warehouseId}|${sku}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const left = stockAt(ctx, ref.warehouseId, sku);
      if (left > LOW_STOCK_UNITS) continue;
      const details = [ctx.skus.get(sku)?.title ?? sku];
      details.push(t(`库存低于 ${LOW_STOCK_UNITS} 件，建议尽快补货。`, `That is at or below ${LOW_STOCK_UNITS} units: restock soon.`));
      const hint = restockHint(ctx, ref.warehouseId);
      if (hint !== undefined) details.push(hint);
      items.push({
        title: t(`${sku} 在${whName}只剩 ${left} 件`, `${sku}: ${left} unit${left === 1 ? '' : 's'} left in the ${whName}`),
        details,
        tone: 'warn',
      });
    }
  }
  if (ctx.decision.status === 'routed') {
    // The one that saves most: a second warehouse saving less says nothing new.
    for (const a of ctx.advice.slice(0, 1)) items.push(stockAdviceItem(ctx, a, true));
  }
  if (items.length === 0) return [];
  return [{ kind: 'heading', text: t('需要留意', 'Worth acting on') }, { kind: 'items', items }];
}

function footer(ctx: Ctx): string[] {
  const when = formatBeijingDateTime(ctx.decision.decidedAt, ctx.lang, ctx.now);
  const currency = ctx.decision.chosen?.cost.currency ?? ctx.decision.candidates.find((c) => c.cost !== undefined)?.cost?.currency ?? ctx.seller.reportCurrency;
  return [
    ctx.t(
      `本邮件由 Silkroute 根据 ${when}（北京时间）的路由结果自动发送：订单 ${ctx.record.orderId}，第 ${ctx.record.decisionVersion} 版决策。`,
      `Sent by Silkroute for the routing decision of ${when} (Beijing time): order ${ctx.record.orderId}, decision v${ctx.record.decisionVersion}.`,
    ),
    ctx.t(`金额币种为 ${currency}。`, `Amounts in ${currency}.`),
  ];
}

// ---------------------------------------------------------------------------------------------
// Routed

function routedEmail(ctx: Ctx): EmailModel {
  const { decision, t, lang } = ctx;
  const chosen = decision.chosen;
  if (chosen === undefined) throw new EmailRenderError(`decision for order ${decision.orderId} is routed but has no chosen route`);
  // The chosen route is its shipments: one, or a split's parts (named in the order its id lists them).
  const total = money(ctx, chosen.cost.total, chosen.cost.currency);
  const range = etaRange(ctx, chosen.eta);
  const num = orderNumber(ctx);
  const origin = originName(ctx.seller.origin, lang);
  const shipments: readonly Shipment[] =
    chosen.shipments.length > 0
      ? chosen.shipments
      : [{ routeId: chosen.routeId, mode: chosen.mode, from: '', lines: ctx.order.lines.map((l) => ({ sku: l.sku, qty: l.qty })), cost: chosen.cost, eta: chosen.eta }];
  const shipmentRefs = shipments.map((s) => ({ shipment: s, ref: refOf(ctx, s) }));
  const ref: RouteRef =
    chosen.mode === 'split'
      ? { mode: 'split', id: chosen.routeId, parts: shipmentRefs.map((x) => x.ref).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) }
      : shipmentRefs[0]!.ref;

  // The subject: order, where it goes, how much, when — scannable in an inbox list.
  const short = shortRouteForSubject(ctx, ref);
  const when = formatShortRange(chosen.eta.earliest, chosen.eta.latest, lang);
  const subject = oneLine(
    t(`【Silkroute】订单 ${num} → ${short} ${total}，预计 ${when}送达`, `[Silkroute] ${num} → ${short}, ${total}, arrives ${when}`),
  );

  const how = (() => {
    switch (ref.mode) {
      case 'direct-parcel':
        return isExpress(ref.service)
          ? t(`从${origin}发国际快递，走 ${serviceName(ref.service!, lang)}`, `international express from ${origin} with ${serviceName(ref.service!, lang)}`)
          : t(`从${origin}直发小包，走 ${ref.service ? serviceName(ref.service, lang) : ref.serviceId}`, `a direct parcel from ${origin} with ${ref.service ? serviceName(ref.service, lang) : ref.serviceId}`);
      case 'overseas-warehouse':
        return t(
          `从${warehouseName(ref.warehouse, ref.warehouseId, lang, { short: true })}现货发货`,
          `shipped from stock in the ${warehouseName(ref.warehouse, ref.warehouseId, lang, { short: true })}`,
        );
      case 'rail-to-warehouse':
        return t(
          `走${laneName(ref.lane, ref.departureId, lang)}头程到${warehouseName(ref.warehouse, ref.lane?.warehouseId ?? '', lang, { short: true })}，再尾程派送`,
          `by rail (${laneName(ref.lane, ref.departureId, lang)}) to the ${warehouseName(ref.warehouse, ref.lane?.warehouseId ?? '', lang, { short: true })}, then last mile`,
        );
      case 'split':
        return t(`拆成 ${shipments.length} 票发货`, `split into ${shipments.length} shipments`);
      case 'unknown':
        return ref.id;
    }
  })();
  const intro = t(
    `订单 ${num}（${marketplaceName(ctx.order.marketplace)}，发往${destination(ctx)}）已排好线路：${how}。`,
    `Order ${num} (${marketplaceName(ctx.order.marketplace)}, to ${destination(ctx)}) is routed: ${how}.`,
  );
  // The inbox preview line carries the whole answer: route, cost, delivery.
  const preheader = t(`${intro}总成本 ${total}，预计 ${range} 送达。`, `${intro} Total cost ${total}; estimated delivery ${range}.`);

  const blocks: Block[] = [
    { kind: 'paragraph', text: intro },
    {
      kind: 'summary',
      tone: 'good',
      rows: [
        { label: t('发货线路', 'Route'), value: routeLabel(ctx, ref) },
        { label: t('总成本', 'Total cost'), value: total },
        { label: t('预计送达', 'Estimated delivery'), value: range },
      ],
    },
  ];
  for (const { ref: part } of shipmentRefs) {
    if (part.mode === 'rail-to-warehouse' && part.departure !== undefined) {
      blocks.push({
        kind: 'paragraph',
        tone: 'warn',
        text: t(
          `请在截单前交货：${cutoffText(ctx, part.departure.cutoffAt)}。错过截单就赶不上这一班，需要重新路由。`,
          `Hand the goods over before the cut-off, ${cutoffText(ctx, part.departure.cutoffAt)}. After that this train cannot take them and the order must be rerouted.`,
        ),
      });
    }
  }

  blocks.push(...onTrainParagraphs(ctx, shipmentRefs));

  blocks.push({ kind: 'heading', text: t('发货方案', 'How it ships') });
  if (ref.mode === 'split' || shipments.length > 1) {
    blocks.push({
      kind: 'facts',
      rows: [
        { label: t('发货方式', 'How'), value: t(`拆单，共 ${shipments.length} 票`, `Split into ${shipments.length} shipments`) },
        { label: t('全部送达', 'All delivered'), value: range, strong: true },
      ],
    });
    blocks.push({
      kind: 'items',
      items: shipmentRefs.map(({ shipment, ref: part }, i) => ({
        title: t(`第 ${i + 1} 票：${routeLabel(ctx, part)}`, `Shipment ${i + 1}: ${routeLabel(ctx, part)}`),
        aside: money(ctx, shipment.cost.total, shipment.cost.currency),
        details: [
          `${t('商品', 'Items')}${t('：', ': ')}${lineSummary(ctx, shipment.lines)}`,
          ...partFacts(ctx, part, shipment)
            .slice(1)
            .map((f) => `${f.label}${t('：', ': ')}${f.value}`),
          `${t('预计送达', 'Arrives')}${t('：', ': ')}${etaRange(ctx, shipment.eta)}`,
          ...(shipment.customs === undefined ? [] : [`${t('进口清关', 'Customs')}${t('：', ': ')}${customsSentence(shipment.customs, ctx.network.duties, lang)}`]),
        ],
      })),
    });
  } else {
    const customs = shipments[0]?.customs;
    blocks.push({
      kind: 'facts',
      rows: [
        ...partFacts(ctx, ref, shipments[0]),
        { label: t('预计送达', 'Estimated delivery'), value: range, strong: true },
        ...(customs === undefined ? [] : [{ label: t('进口清关', 'Customs'), value: customsSentence(customs, ctx.network.duties, lang) }]),
      ],
    });
  }

  blocks.push({ kind: 'heading', text: t('费用明细', 'Cost breakdown') });
  const componentRows = (cost: { components: readonly { name: string; amount: number }[]; currency: string }) =>
    cost.components.map((c) => [COMPONENT_LABELS[c.name]?.[lang] ?? c.name, money(ctx, c.amount, cost.currency)]);
  if (shipmentRefs.length > 1) {
    // A split: one table per shipment (each is paid and handed over on its own), then the total.
    shipmentRefs.forEach(({ shipment, ref: part }, i) => {
      blocks.push({
        kind: 'table',
        caption: t(`第 ${i + 1} 票：${routeLabel(ctx, part)}`, `Shipment ${i + 1}: ${routeLabel(ctx, part)}`),
        columns: [
          { title: t('费用项目', 'Item'), align: 'left' },
          { title: t('金额', 'Amount'), align: 'right' },
        ],
        rows: componentRows(shipment.cost),
        footer: [t('小计', 'Subtotal'), money(ctx, shipment.cost.total, shipment.cost.currency)],
      });
    });
    blocks.push({
      kind: 'table',
      caption: t(`${shipmentRefs.length} 票合计`, `All ${shipmentRefs.length} shipments`),
      columns: [
        { title: t('票', 'Shipment'), align: 'left' },
        { title: t('金额', 'Amount'), align: 'right' },
      ],
      rows: shipmentRefs.map(({ shipment }, i) => [t(`第 ${i + 1} 票`, `Shipment ${i + 1}`), money(ctx, shipment.cost.total, shipment.cost.currency)]),
      footer: [t('合计', 'Total'), total],
    });
  } else {
    blocks.push({
      kind: 'table',
      columns: [
        { title: t('费用项目', 'Item'), align: 'left' },
        { title: t('金额', 'Amount'), align: 'right' },
      ],
      rows: componentRows(chosen.cost),
      footer: [t('合计', 'Total'), total],
    });
  }
  blocks.push(savingParagraph(ctx, chosen.mode));

  const chosenMinor = { minor: toMinor(chosen.cost.total, chosen.cost.currency), currency: chosen.cost.currency };
  blocks.push(...alternativesSection(ctx, chosen.routeId, chosenMinor));
  blocks.push(...warningsSection(ctx, shipmentRefs.flatMap(({ shipment, ref: r }) => partsOf(r).map((p) => ({ ref: p, lines: shipment.lines })))));
  // A reroute helps where something can change under the order: a train's cut-off to miss, stock worth adding.
  const byRail = shipmentRefs.some(({ ref: r }) => partsOf(r).some((p) => p.mode === 'rail-to-warehouse'));
  if (ctx.rerouteUrl !== undefined && (byRail || ctx.advice.length > 0)) {
    blocks.push({
      kind: 'paragraph',
      text: t(
        '补了货、错过了截单，或运价有变？可以按最新的库存、舱位和运价重新选路（会先打开确认页面；链接 7 天内有效，只能用一次）。',
        'Restocked, missed the cut-off, or rates changed? Route this order again on the current stock, capacity and rates (it opens a confirmation page first; the link works once, for 7 days).',
      ),
    });
    blocks.push({ kind: 'button', label: t('重新选路', 'Reroute this order'), url: ctx.rerouteUrl });
  }
  blocks.push(...orderSection(ctx));

  return {
    language: lang,
    subject,
    preheader,
    banner: t('路由结果', 'Routing decision'),
    bannerTone: 'good',
    greeting: t(`${ctx.seller.name}，您好：`, `Hello ${ctx.seller.name},`),
    blocks,
    footer: footer(ctx),
  };
}

/**
 * A warehouse shipment promised from stock still on a train (ADR 0032): when that stock arrives
 * at the warehouse, per arrival day, so the seller knows why the delivery date is later.
 */
function onTrainParagraphs(ctx: Ctx, shipmentRefs: readonly { shipment: Shipment; ref: RouteRef }[]): Block[] {
  const { t, lang } = ctx;
  const blocks: Block[] = [];
  for (const { shipment, ref } of shipmentRefs) {
    const draws = shipment.inbound ?? [];
    if (draws.length === 0) continue;
    const where = ref.mode === 'overseas-warehouse' ? warehouseName(ref.warehouse, ref.warehouseId, lang, { short: true }) : shipment.from;
    const days = [...new Set(draws.map((d) => d.arrivesOn))].sort();
    for (const day of days) {
      const lines = lineSummary(ctx, draws.filter((d) => d.arrivesOn === day).map((d) => ({ sku: d.sku, qty: d.qty })));
      const date = formatDate(day, lang, ctx.now);
      blocks.push({
        kind: 'paragraph',
        tone: 'warn',
        text: t(
          `部分库存还在班列上：${lines} 预计 ${date} 到达${where}入库，到货后发货，送达日期已按此计算。`,
          `Stock arrives on ${date}: ${lines} are still on a train to the ${where}; the shipment leaves once they are in, and the delivery date counts from then.`,
        ),
      });
    }
  }
  return blocks;
}

function shortRouteForSubject(ctx: Ctx, ref: RouteRef): string {
  const { t, lang } = ctx;
  switch (ref.mode) {
    case 'direct-parcel': {
      const name = ref.service ? serviceName(ref.service, lang) : ref.serviceId;
      return t(`${directKind(ref.service, lang)} ${name}`, isExpress(ref.service) ? `${name} (express)` : `${name} (direct)`);
    }
    case 'overseas-warehouse':
      return warehouseName(ref.warehouse, ref.warehouseId, lang, { short: true });
    case 'rail-to-warehouse': {
      const lane = laneName(ref.lane, ref.departureId, lang);
      if (ref.departure === undefined) return t(lane, `rail ${lane}`);
      const cutoff = formatBeijingShort(ref.departure.cutoffAt, lang);
      return t(`${lane}，${cutoff}截单`, `rail ${lane} (cut-off ${cutoff} Beijing)`);
    }
    case 'split':
      return `${t('拆单 ', 'split: ')}${ref.parts.map((p) => shortRouteForSubject(ctx, p)).join(' + ')}`;
    case 'unknown':
      return ref.id;
  }
}

function savingParagraph(ctx: Ctx, chosenMode: string): Block {
  const { decision, t, lang } = ctx;
  const saving = decision.savingsVsDirect;
  const cheapestDirect = decision.candidates
    .filter((c) => c.mode === 'direct-parcel' && c.feasible && c.cost !== undefined)
    .sort((a, b) => a.cost!.total - b.cost!.total || (a.routeId < b.routeId ? -1 : 1))[0];
  if (saving === undefined) {
    return {
      kind: 'paragraph',
      tone: 'muted',
      text: t('本单没有能走的直发小包，所以没有直发价格可比。', 'No direct parcel could take this order, so there is no direct price to compare.'),
    };
  }
  const minor = toMinor(saving.amount, saving.currency);
  const amount = formatMinor(Math.abs(minor), saving.currency, lang);
  const directRef = cheapestDirect === undefined ? undefined : refOf(ctx, cheapestDirect);
  const express = directRef?.mode === 'direct-parcel' && isExpress(directRef.service);
  const which =
    cheapestDirect === undefined || directRef === undefined
      ? ''
      : (() => {
          const name = directRef.mode === 'direct-parcel' && directRef.service ? serviceName(directRef.service, lang) : cheapestDirect.routeId;
          const kind = express ? t('国际快递 ', 'international express, ') : '';
          return `${kind}${name}${t('，', ', ')}${money(ctx, cheapestDirect.cost!.total, cheapestDirect.cost!.currency)}`;
        })();
  // "the cheapest direct parcel" unless it is express, then "the cheapest direct shipment (international express …)".
  const direct = express ? t('直发方案', 'direct shipment') : t('直发小包', 'direct parcel');
  const paren = (s: string) => (s === '' ? '' : t(`（${s}）`, ` (${s})`));
  if (minor > 0) {
    return {
      kind: 'paragraph',
      tone: 'good',
      text: t(`比最便宜的${direct}${paren(which)}省 ${amount}。`, `That is ${amount} less than the cheapest ${direct}${paren(which)}.`),
    };
  }
  if (minor === 0 && chosenMode === 'direct-parcel') {
    return { kind: 'paragraph', tone: 'good', text: t('直发小包就是本单最省钱的方案。', 'A direct parcel is the cheapest way to ship this order.') };
  }
  if (minor === 0) {
    return {
      kind: 'paragraph',
      tone: 'muted',
      text: t(`与最便宜的${direct}${paren(which)}同价，选它是因为送达更快或票数更少。`, `Same cost as the cheapest ${direct}${paren(which)}; chosen for earlier delivery or fewer shipments.`),
    };
  }
  return {
    kind: 'paragraph',
    tone: 'muted',
    text: t(`比最便宜的${direct}${paren(which)}贵 ${amount}。`, `That is ${amount} more than the cheapest ${direct}${paren(which)}.`),
  };
}

// ---------------------------------------------------------------------------------------------
// Unroutable

/** The order fixes are listed in: what blocks every route first, then what opens one route. */
const FIX_ORDER: readonly ReasonCode[] = [
  'unknown-sku',
  'marketplace-rule',
  'no-stock',
  'battery',
  'oversize',
  'overweight',
  'no-rate',
  'no-last-mile',
  'no-departure',
  'no-capacity',
  'missed-deadline',
];

function unroutableEmail(ctx: Ctx): EmailModel {
  const { decision, t, lang } = ctx;
  const num = orderNumber(ctx);
  const n = decision.candidates.length;
  const subject = oneLine(t(`【Silkroute】需处理：订单 ${num} 无可用线路`, `[Silkroute] Action needed: ${num} cannot be routed`));
  const lead = t(
    `订单 ${num}（${marketplaceName(ctx.order.marketplace)}，发往${destination(ctx)}）目前发不出去：评估了 ${n} 个方案，没有一个可行。按下面的提示处理后，重新路由即可。`,
    `Order ${num} (${marketplaceName(ctx.order.marketplace)}, to ${destination(ctx)}) cannot be routed: none of the ${n} options considered can take it as it stands. Fix the points below, then route it again.`,
  );
  const fixes = fixItems(ctx);
  const blocks: Block[] = [
    { kind: 'paragraph', text: lead },
    { kind: 'heading', text: t('需要您处理', 'What to fix') },
    fixes.length > 0
      ? { kind: 'items', numbered: true, tone: 'bad', items: fixes }
      : { kind: 'paragraph', tone: 'bad', text: t('路由没有给出具体原因，请检查订单和商品资料。', 'The router gave no reason; check the order and the catalogue.') },
    ctx.rerouteUrl === undefined
      ? {
          kind: 'paragraph',
          text: t('改好后，这张订单需要重新路由；重新路由后系统会再发一封邮件告诉您结果。', 'Once fixed, the order needs routing again; a new email will tell you the result.'),
        }
      : {
          kind: 'paragraph',
          text: t(
            '改好后点下面的按钮重新选路（会先打开确认页面；链接 7 天内有效，只能用一次）。系统会再发一封邮件告诉您结果。',
            'Once fixed, press the button to route it again (it opens a confirmation page first; the link works once, for 7 days). A new email will tell you the result.',
          ),
        },
    ...(ctx.rerouteUrl === undefined ? [] : [{ kind: 'button' as const, label: t('重新选路', 'Reroute this order'), url: ctx.rerouteUrl }]),
    ...orderSection(ctx),
    ...alternativesSection(ctx, undefined),
    ...warningsSection(ctx, []),
  ];
  return {
    language: lang,
    subject,
    preheader: lead,
    banner: t('需处理：订单无法发货', 'Action needed: order cannot be routed'),
    bannerTone: 'bad',
    greeting: t(`${ctx.seller.name}，您好：`, `Hello ${ctx.seller.name},`),
    blocks,
    footer: footer(ctx),
  };
}

/** One fix per reason code met, each saying exactly what to change, with the SKUs and numbers involved. */
function fixItems(ctx: Ctx): Item[] {
  const { decision, order, t, lang } = ctx;
  const byCode = new Map<ReasonCode, { candidate: Candidate; reason: Reason }[]>();
  for (const candidate of decision.candidates) {
    for (const reason of candidate.reasons ?? []) {
      const list = byCode.get(reason.code) ?? [];
      list.push({ candidate, reason });
      byCode.set(reason.code, list);
    }
  }
  const sep = t('、', ', ');
  const country = destination(ctx);
  const cc = order.shipTo.country;
  /** The reasons of a code, each said once in the reader's language. */
  const sentencesOf = (code: ReasonCode) => [...new Set((byCode.get(code) ?? []).map((r) => reasonSentence(ctx, r.reason)))];
  /** The params of a code's reasons (none for a decision stored before params existed). */
  const paramsOf = <C extends ReasonCode>(code: C): ReasonParamsOf<C>[] =>
    (byCode.get(code) ?? []).flatMap((r) => (r.reason.params === undefined ? [] : [r.reason.params as ReasonParamsOf<C>]));
  const skuTitle = (sku: string) => ctx.skus.get(sku)?.title;
  const items: Item[] = [];

  for (const code of FIX_ORDER) {
    const hits = byCode.get(code);
    if (hits === undefined) continue;
    switch (code) {
      case 'unknown-sku': {
        const unknown = [...new Set(order.lines.filter((l) => !ctx.skus.has(l.sku)).map((l) => l.sku))];
        // A line that came from the shop without a SKU is stored under a placeholder: the fix is in
        // the shop, not the catalogue (lib/marketplaces/line-items.ts).
        const placeholders = unknown.filter((sku) => sku.startsWith(NO_SKU_PREFIX));
        const missing = unknown.filter((sku) => !sku.startsWith(NO_SKU_PREFIX));
        if (placeholders.length > 0) {
          const lineIds = placeholders.map((sku) => sku.slice(NO_SKU_PREFIX.length)).join(sep);
          items.push({
            title: t(`订单中有商品在店铺里没有填写 SKU（订单行 ${lineIds}）`, `A line of this order has no SKU in your shop (line item ${lineIds})`),
            details: [
              t(
                '请在店铺后台给该商品填写 SKU，并与 Silkroute 商品库保持一致，以后的订单就能自动路由。',
                'Give that product a SKU in your shop, the same as in the Silkroute catalogue, so that later orders route by themselves.',
              ),
              t(
                `本单已按占位 SKU ${placeholders.join(sep)} 保存：可在商品库中临时添加该 SKU 后重新路由，或手动安排发货。`,
                `This order is stored with the placeholder ${placeholders.join(sep)}: add it to the catalogue and reroute, or ship this order by hand.`,
              ),
            ],
          });
        }
        if (missing.length === 0 && placeholders.length > 0) break;
        items.push({
          title: missing.length > 0 ? t(`在商品库中添加 SKU：${missing.join(sep)}`, `Add SKU ${missing.join(sep)} to the catalogue`) : t('补全商品库中的 SKU', 'Complete the SKUs in the catalogue'),
          details: [
            t('请补齐品名、HS 编码、重量、包装尺寸、申报价值和带电情况，系统才能算运费和关税。', 'With title, HS code, weight, packed dimensions, customs value and battery type, so that freight and duty can be priced.'),
            ...(missing.length > 0 ? [] : sentencesOf(code)),
          ],
        });
        break;
      }
      case 'marketplace-rule': {
        const rule = paramsOf('marketplace-rule')[0];
        const market = rule?.marketplace ?? marketplaceName(order.marketplace);
        items.push({
          title: t(`${market} 只允许指定的物流渠道`, `${market} allows only certain shipping services`),
          details: [
            ...sentencesOf(code).slice(0, 3),
            t(
              '请在小包渠道资料里开通平台允许的渠道，或核对该店铺在 Silkroute 里登记的平台发货规则。',
              "Add a parcel service the marketplace allows to your network, or check the shipping rules recorded for this shop (connections.json).",
            ),
          ],
        });
        break;
      }
      case 'no-stock': {
        // Only stock that would let the order route, computed by routing it again with the stock
        // in place (./advice.ts); a warehouse short of stock that would still not take the order
        // (no last mile to the country, too heavy) is not worth stocking for it.
        for (const a of ctx.advice.slice(0, 2)) items.push(stockAdviceItem(ctx, a, false));
        break;
      }
      case 'battery': {
        const battery = order.lines.map((l) => ctx.skus.get(l.sku)).filter((s): s is Sku => s !== undefined && s.battery !== 'none');
        const details = battery.map((s) =>
          s.battery === 'standalone'
            ? t(`${s.sku}（${s.title}）是独立锂电池（充电宝类），邮政和经济小包渠道一律拒收。`, `${s.sku} (${s.title}) is a standalone lithium battery, which postal and economy parcel services refuse.`)
            : t(`${s.sku}（${s.title}）内置电池，只能走接受带电货的渠道。`, `${s.sku} (${s.title}) contains a battery and needs a service that accepts batteries.`),
        );
        details.push(t('需要开通接受该类电池的小包渠道。', 'It needs a parcel service that accepts this battery type.'));
        items.push({
          title: battery.length > 0 ? t(`带电产品：${battery.map((s) => s.sku).join(sep)}`, `Battery goods: ${battery.map((s) => s.sku).join(sep)}`) : t('带电限制', 'Battery restrictions'),
          details: battery.length > 0 ? details : [...sentencesOf(code), details[details.length - 1]!],
        });
        break;
      }
      case 'oversize': {
        const oversized = new Set(paramsOf('oversize').flatMap((p) => p.items.map((i) => i.sku)));
        const known = order.lines.map((l) => ctx.skus.get(l.sku)).filter((s): s is Sku => s !== undefined);
        let big = known.filter((s) => oversized.has(s.sku));
        if (big.length === 0) big = [...known].sort((a, b) => Math.max(...b.dimsCm) - Math.max(...a.dimsCm)).slice(0, 1);
        items.push({
          title: big.length > 0 ? t(`超尺寸：${big.map((s) => s.sku).join(sep)}`, `Too large for parcel services: ${big.map((s) => s.sku).join(sep)}`) : t('超尺寸', 'Too large'),
          details: [
            ...big.map((s) => {
              const dims = s.dimsCm.join('×');
              return t(`${s.sku} 包装尺寸 ${dims} cm，超出小包渠道的尺寸限制。`, `${s.sku} is packed at ${dims} cm, beyond the parcel services' size limits.`);
            }),
            t('请核对商品库里的包装尺寸是否准确。', 'Check that the packed dimensions in the catalogue are right.'),
          ],
        });
        break;
      }
      case 'overweight': {
        const grams = order.lines.reduce((sum, l) => sum + (ctx.skus.get(l.sku)?.weightG ?? 0) * l.qty, 0);
        items.push({
          title: t(`整单超重：${formatKg(grams)}`, `Too heavy for parcel services: ${formatKg(grams)}`),
          details: [t('请核对商品库里的重量是否准确。', 'Check that the weights in the catalogue are right.')],
        });
        break;
      }
      case 'no-rate':
        items.push({
          title: t(`小包渠道没有发往${country}的运价`, `No parcel service has a rate to ${country}`),
          details: [t(`在小包渠道资料里补上${country}（${cc}）的运价。`, `Add a ${country} (${cc}) rate to a parcel service.`)],
        });
        break;
      case 'no-last-mile':
        items.push({
          title: t(`海外仓没有到${country}的尾程派送`, `No last-mile delivery from the warehouse to ${country}`),
          details: [t(`在仓库资料里补上到${country}（${cc}）的尾程报价。`, `Add a last-mile rate to ${country} (${cc}) to the warehouse.`)],
        });
        break;
      case 'no-departure':
        items.push({
          title: t('没有赶得上的班列班次', 'No rail departure is open'),
          details: [t('截单已过或还没排班：请在班列资料里补充班期。', 'The cut-offs have passed or none is scheduled: add the departures to the rail lanes.')],
        });
        break;
      case 'no-capacity':
        items.push({
          title: t('班列舱位已满', 'The trains are full'),
          details: [t('请等下一班，或联系班列公司加舱。', 'Wait for the next departure, or ask the rail operator for more space.')],
        });
        break;
      case 'missed-deadline': {
        const promise = promised(ctx);
        // Only a route held back by the date alone would go once the date moves.
        const fastest = hits
          .filter((h) => (h.candidate.reasons ?? []).every((r) => r.code === 'missed-deadline'))
          .map((h) => ({ candidate: h.candidate, by: h.candidate.eta?.latest ?? (h.reason.code === 'missed-deadline' ? h.reason.params?.latestEta : undefined) }))
          .filter((x): x is { candidate: Candidate; by: string } => x.by !== undefined)
          .sort((a, b) => (a.by < b.by ? -1 : a.by > b.by ? 1 : 0))[0];
        const details: string[] = [];
        // The answer is the router's: the order routed again with the later date (./advice.ts).
        const later = fastest === undefined ? undefined : laterDateAdvice(order, ctx.network, ctx.now, fastest.by);
        if (later !== undefined) {
          const by = formatDate(later.deliverBy, lang, ctx.now);
          const label = routedAsLabel(ctx, later.routed);
          const cost = money(ctx, later.routed.total, later.routed.currency);
          details.push(
            t(
              `如果买家同意延到 ${by} 前送达，本单可走${label}，${cost}。`,
              `If the buyer accepts delivery by ${by}, this order can go ${label.replace(/^(Rail|Direct parcel|International express|Split)\b/, (m) => m.toLowerCase())}, for ${cost}.`,
            ),
          );
        } else {
          details.push(t('没有线路只差时效：改了日期也发不出去，请先处理上面几项。', 'No route is held back by the date alone: a later date would not help until the points above are fixed.'));
        }
        items.push({
          title: t(
            `没有线路能在承诺送达日 ${formatDate(promise.date, lang, ctx.now)} 前送到`,
            `No route meets the promised date of ${formatDate(promise.date, lang, ctx.now)}`,
          ),
          details,
        });
        break;
      }
    }
  }
  return items;
}
