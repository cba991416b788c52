/**
 * The planning routes of the seller API (issue 13): `GET /v1/plans` — the load plan of the
 * key's seller from its stored decisions, the same JSON as `silkroute plan --format json` —
 * and `GET /v1/reports/savings` — the savings report as JSON, or an HTML page with the chart
 * for a browser (`Accept: text/html` or `?format=html`). Both wrap the pure calls of
 * lib/planning; the handlers take their dependencies, so tests run them without AWS.
 */
import type { NetworkSnapshot } from '#network/types.ts';
import { z } from 'zod';
import { savingsChart } from '#planning/chart.ts';
import { formatReportTable } from '#planning/format.ts';
import type { HistoryEntry } from '#planning/history.ts';
import { plan, type DeparturePlan, type RouteFn } from '#planning/plan.ts';
import { report } from '#planning/report.ts';
import type { PlanLanguage } from '#planning/why.ts';
import { HttpError } from '#http/errors.ts';
import { invalidPayload, json, lowerHeaders, mediaType, parseJson, rawBody, requireJson, validate, type HttpEvent, type HttpResult } from '#http/http.ts';
import { verifyPlanActionLink } from '#shared/action-link.ts';
import { PLANNING, routesOf, type Operation } from '#shared/definitions.ts';
import { ValidationError } from '#shared/errors.ts';
import { resolveInboundLot, type BookInboundInput, type BookInboundOutcome, type InboundLot } from '#store/inbound.ts';
import { PAGE_STATUS, renderPlanLinkPage, type PlanLinkPage } from './plan-link-pages.ts';
import { authenticate } from './routes.ts';

const DAY_MS = 86_400_000;

export interface PlanningDeps {
  readonly apiKeys: { sellerFor(apiKey: string): Promise<string | undefined> };
  /** The seller's decided orders placed in [placedFrom, placedTo) (lib/store/planning.ts). */
  readonly history: { history(sellerId: string, period: { placedFrom: string; placedTo: string }): Promise<readonly HistoryEntry[]> };
  readonly snapshots: { load(sellerId: string, now: Date): Promise<NetworkSnapshot> };
  readonly route?: RouteFn;
  readonly clock?: () => Date;
  /** Accepting a plan (lib/store/inbound.ts): the lot and the capacity in one transaction, and the lot as stored. */
  readonly inbound?: {
    bookInbound(input: BookInboundInput): Promise<BookInboundOutcome>;
    readLot(sellerId: string, lotId: string): Promise<InboundLot | undefined>;
  };
  /** The one-click links' signing key (Secrets Manager), for the accept links of the cut-off email. */
  readonly linkSecret?: () => Promise<string>;
}

/** The lot a departure's accepted plan becomes: derived, so accepting twice books once (ADR 0035). */
export function planLotId(departureId: string): string {
  return `plan-${departureId}`;
}

/** What accepting a departure's plan came to (the API answers it as JSON, the link as a page). */
export type AcceptOutcome =
  | { readonly kind: 'booked' | 'already-booked'; readonly lot: InboundLot }
  | { readonly kind: 'unknown-departure'; readonly departureId: string }
  | { readonly kind: 'cut-off'; readonly departureId: string; readonly cutoffAt: string }
  | { readonly kind: 'nothing-to-load'; readonly departureId: string }
  | { readonly kind: 'no-capacity'; readonly departureId: string; readonly litres: number };

const AcceptBody = z.object({ capacityCbm: z.number().nonnegative('expected m³ ≥ 0 such as 2.5').optional() }).strict();

export type PlanningEvent = HttpEvent & { readonly queryStringParameters?: Record<string, string | undefined> };
export type PlanningHandler = (event: PlanningEvent) => Promise<HttpResult>;

export interface PlanningRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly operation: Operation<'planning'>;
  readonly handler: PlanningHandler;
}

/** The routes of the planning function (method and path from ROUTES), for @middy/http-router. */
export function createPlanningRoutes(deps: PlanningDeps): PlanningRoute[] {
  const handlers = createPlanningHandlers(deps);
  return routesOf('planning').map((r) => ({ method: r.method, path: r.path, operation: r.operation, handler: handlers[r.operation] }));
}

/** A ValidationError of the planner (unknown lane, a departure cut off) as a 400 naming the parameter. */
function asBadRequest<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof ValidationError) throw invalidPayload(error.issues.map((i) => ({ path: i.path, message: i.message })));
    throw error;
  }
}

async function snapshotOf(deps: PlanningDeps, sellerId: string, now: Date): Promise<NetworkSnapshot> {
  try {
    return await deps.snapshots.load(sellerId, now);
  } catch (error) {
    if ((error as Error)?.name === 'MissingDataError') {
      throw new HttpError(409, 'no-network-data', `No network data is imported for seller ${sellerId}.`, { cause: error });
    }
    throw error;
  }
}

/** `2026-11-01` (midnight UTC) or a full ISO instant; undefined when absent. */
function instant(query: Record<string, string | undefined>, name: string): number | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw invalidPayload([{ path: name, message: `expected a date (2026-11-01) or an ISO date-time, got "${value}"` }]);
  return ms;
}

function wantsHtml(event: PlanningEvent, query: Record<string, string | undefined>): boolean {
  const format = query.format;
  if (format !== undefined && format !== 'html' && format !== 'json') throw invalidPayload([{ path: 'format', message: `expected html or json, got "${format}"` }]);
  if (format !== undefined) return format === 'html';
  return /\btext\/html\b/i.test(lowerHeaders(event.headers).get('accept') ?? '');
}

/** The plan history window before `now` (the demand window and a margin for late decisions). */
function historyPeriod(now: Date): { placedFrom: string; placedTo: string } {
  return { placedFrom: new Date(now.getTime() - PLANNING.historyDays * DAY_MS).toISOString(), placedTo: now.toISOString() };
}

/**
 * The plan of one departure for one seller as GET /v1/plans?departure= computes it, and the lot it
 * becomes. A departure already accepted answers its stored lot (even after the cut-off); otherwise
 * the plan is computed now and booked through bookInbound, sized as POST /v1/inbound sizes a lot.
 */
export async function acceptDeparture(
  deps: PlanningDeps,
  input: { readonly sellerId: string; readonly departureId: string; readonly now: Date; readonly capacityCbm?: number },
): Promise<AcceptOutcome> {
  const inbound = deps.inbound;
  if (inbound === undefined) throw new Error('acceptDeparture needs deps.inbound');
  const { sellerId, departureId, now } = input;
  const lotId = planLotId(departureId);
  const stored = await inbound.readLot(sellerId, lotId);
  if (stored !== undefined) return { kind: 'already-booked', lot: stored };
  const network = await snapshotOf(deps, sellerId, now);
  const departure = network.railLanes.flatMap((l) => l.departures).find((d) => d.id === departureId);
  if (departure === undefined) return { kind: 'unknown-departure', departureId };
  if (Date.parse(departure.cutoffAt) <= now.getTime()) return { kind: 'cut-off', departureId, cutoffAt: departure.cutoffAt };
  const history = await deps.history.history(sellerId, historyPeriod(now));
  const planned = plan({
    history,
    network,
    now,
    sellerId,
    departureId,
    ...(input.capacityCbm === undefined ? {} : { capacityCbm: input.capacityCbm }),
    ...(deps.route === undefined ? {} : { route: deps.route }),
  }).departures.find((d) => d.sellerId === sellerId && d.departureId === departureId);
  if (planned === undefined || planned.lines.length === 0) return { kind: 'nothing-to-load', departureId };
  const resolved = resolveInboundLot(network, sellerId, { lotId, departureId, warehouseId: planned.warehouseId, lines: planned.lines.map((l) => ({ sku: l.sku, qty: l.units })) }, now);
  // The plan only names the seller's SKUs on this departure's lane: a refusal here is a bug, not the caller's.
  if (!resolved.ok) throw new Error(`the plan for ${departureId} does not resolve as a lot: ${resolved.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  try {
    return await inbound.bookInbound(resolved.input);
  } catch (error) {
    if ((error as Error)?.name === 'OutOfCapacityError') return { kind: 'no-capacity', departureId, litres: resolved.input.litres };
    throw error;
  }
}

function acceptAnswer(outcome: AcceptOutcome): HttpResult {
  switch (outcome.kind) {
    case 'booked':
    case 'already-booked': {
      const lot = outcome.lot;
      return json(outcome.kind === 'booked' ? 201 : 200, { lotId: lot.lotId, status: outcome.kind, departureId: lot.departureId, laneId: lot.laneId, warehouseId: lot.warehouseId, litres: lot.litres, arrivesOn: lot.arrivesOn, bookedAt: lot.bookedAt, lines: lot.lines });
    }
    case 'unknown-departure':
      throw new HttpError(400, 'unknown-departure', `Departure ${outcome.departureId} is not a departure of your network still to come.`);
    case 'cut-off':
      throw new HttpError(409, 'cut-off-passed', `Departure ${outcome.departureId} was cut off at ${outcome.cutoffAt}: nothing more can be loaded.`);
    case 'nothing-to-load':
      throw new HttpError(409, 'nothing-to-load', `The plan for departure ${outcome.departureId} has no lines: nothing needs loading, so nothing was booked.`);
    case 'no-capacity':
      throw new HttpError(409, 'no-capacity', `Departure ${outcome.departureId} has no room for ${outcome.litres} L; accept with {"capacityCbm": …} set to the space you booked or that is left.`);
  }
}

function page(p: PlanLinkPage, language: PlanLanguage | undefined): HttpResult {
  return {
    statusCode: PAGE_STATUS[p.kind],
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex' },
    body: renderPlanLinkPage(p, language),
  };
}

/** The token of a link request: `?t=` on the GET, the form field `t` on the POST. */
function tokenOf(event: PlanningEvent, fromBody: boolean): string {
  if (!fromBody) return event.queryStringParameters?.t ?? '';
  const type = mediaType(lowerHeaders(event.headers));
  const text = rawBody(event).toString('utf8');
  if (type === 'application/json') {
    try {
      const t = (JSON.parse(text) as { t?: unknown }).t;
      return typeof t === 'string' ? t : '';
    } catch {
      return '';
    }
  }
  return new URLSearchParams(text).get('t') ?? '';
}

export function createPlanningHandlers(deps: PlanningDeps): Record<Operation<'planning'>, PlanningHandler> {
  const clock = deps.clock ?? (() => new Date());

  /** A link's claims, or the page that refuses it (the seller's language once the signature is good). */
  async function linkOf(event: PlanningEvent, fromBody: boolean): Promise<{ ok: true; sellerId: string; departureId: string; language: PlanLanguage | undefined; token: string } | { ok: false; result: HttpResult }> {
    if (deps.linkSecret === undefined) throw new Error('accept links need deps.linkSecret');
    const token = tokenOf(event, fromBody);
    const now = clock();
    const checked = verifyPlanActionLink(token, await deps.linkSecret(), now);
    if (!checked.ok && checked.claims === undefined) return { ok: false, result: page({ kind: 'invalid' }, undefined) };
    const claims = checked.claims!;
    const language = await languageOf(claims.sellerId, now);
    if (!checked.ok) {
      // Expired, but genuine: an accepted plan still says so rather than "expired".
      const lot = await deps.inbound?.readLot(claims.sellerId, planLotId(claims.departureId));
      if (lot !== undefined) return { ok: false, result: page({ kind: 'already-accepted', departureId: claims.departureId, lotId: lot.lotId, bookedAt: lot.bookedAt }, language) };
      return { ok: false, result: page({ kind: 'expired', departureId: claims.departureId }, language) };
    }
    return { ok: true, sellerId: claims.sellerId, departureId: claims.departureId, language, token };
  }

  async function languageOf(sellerId: string, now: Date): Promise<PlanLanguage | undefined> {
    try {
      return (await deps.snapshots.load(sellerId, now)).sellers.find((s) => s.id === sellerId)?.language;
    } catch {
      return undefined;
    }
  }

  return {
    async getPlans(event) {
      const sellerId = await authenticate(event, deps);
      const query = event.queryStringParameters ?? {};
      const now = clock();
      const capacity = query.capacity;
      const capacityCbm = capacity === undefined || capacity === '' ? undefined : Number(capacity);
      if (capacityCbm !== undefined && !(Number.isFinite(capacityCbm) && capacityCbm >= 0)) {
        throw invalidPayload([{ path: 'capacity', message: `expected m³ ≥ 0 such as 2.5, got "${capacity}"` }]);
      }
      const [network, history] = await Promise.all([snapshotOf(deps, sellerId, now), deps.history.history(sellerId, historyPeriod(now))]);
      const lane = query.lane === '' ? undefined : query.lane;
      const departure = query.departure === '' ? undefined : query.departure;
      const result = asBadRequest(() =>
        plan({
          history,
          network,
          now,
          sellerId,
          ...(lane === undefined ? {} : { laneId: lane }),
          ...(departure === undefined ? {} : { departureId: departure }),
          ...(capacityCbm === undefined ? {} : { capacityCbm }),
          ...(deps.route === undefined ? {} : { route: deps.route }),
        }),
      );
      return json(200, result);
    },

    async getSavingsReport(event) {
      const sellerId = await authenticate(event, deps);
      const query = event.queryStringParameters ?? {};
      const html = wantsHtml(event, query);
      const now = clock();
      const lang = query.lang;
      if (lang !== undefined && lang !== '' && lang !== 'zh-CN' && lang !== 'en') throw invalidPayload([{ path: 'lang', message: `expected zh-CN or en, got "${lang}"` }]);
      const to = instant(query, 'to') ?? now.getTime();
      const from = instant(query, 'from') ?? to - 28 * DAY_MS;
      if (from >= to) throw invalidPayload([{ path: 'from', message: 'must be before "to"' }]);
      if (to - from > PLANNING.maxReportDays * DAY_MS) {
        throw invalidPayload([{ path: 'from', message: `a report spans at most ${PLANNING.maxReportDays} days; ask for several` }]);
      }
      const [network, history] = await Promise.all([
        snapshotOf(deps, sellerId, now),
        // An order is decided after it is placed (a reroute: days after): read a week before `from`.
        deps.history.history(sellerId, { placedFrom: new Date(from - 7 * DAY_MS).toISOString(), placedTo: new Date(to).toISOString() }),
      ]);
      const result = report({
        history,
        network,
        sellerId,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        ...(deps.route === undefined ? {} : { route: deps.route }),
      });
      if (!html) return json(200, result);
      // The seller's language unless ?lang= says otherwise.
      const language: PlanLanguage = lang === 'zh-CN' || lang === 'en' ? lang : (network.sellers.find((x) => x.id === sellerId)?.language ?? 'en');
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        body: reportPage(formatReportTable(result, language), savingsChart(result, language), language),
      };
    },

    async acceptPlan(event) {
      const sellerId = await authenticate(event, deps);
      const raw = rawBody(event);
      let capacityCbm: number | undefined;
      if (raw.toString('utf8').trim() !== '') {
        requireJson(lowerHeaders(event.headers));
        capacityCbm = validate(AcceptBody, parseJson(raw)).capacityCbm;
      }
      const encoded = event.pathParameters?.departureId ?? '';
      let departureId: string;
      try {
        departureId = decodeURIComponent(encoded);
      } catch {
        throw new HttpError(400, 'unknown-departure', 'The departure id in the path is not valid percent-encoding.');
      }
      if (departureId === '' || departureId.length > 200) throw new HttpError(400, 'unknown-departure', 'No departure id in the path.');
      return acceptAnswer(await acceptDeparture(deps, { sellerId, departureId, now: clock(), ...(capacityCbm === undefined ? {} : { capacityCbm }) }));
    },

    async acceptLinkPage(event) {
      const link = await linkOf(event, false);
      if (!link.ok) return link.result;
      const now = clock();
      const lot = await deps.inbound?.readLot(link.sellerId, planLotId(link.departureId));
      if (lot !== undefined) return page({ kind: 'already-accepted', departureId: link.departureId, lotId: lot.lotId, bookedAt: lot.bookedAt }, link.language);
      const network = await snapshotOf(deps, link.sellerId, now);
      const departure = network.railLanes.flatMap((l) => l.departures).find((d) => d.id === link.departureId);
      if (departure === undefined || Date.parse(departure.cutoffAt) <= now.getTime()) {
        return page({ kind: 'cut-off', departureId: link.departureId, cutoffAt: departure?.cutoffAt ?? now.toISOString() }, link.language);
      }
      const history = await deps.history.history(link.sellerId, historyPeriod(now));
      const planned: DeparturePlan | undefined = plan({ history, network, now, sellerId: link.sellerId, departureId: link.departureId, ...(deps.route === undefined ? {} : { route: deps.route }) }).departures[0];
      if (planned === undefined || planned.lines.length === 0) return page({ kind: 'nothing-to-load', departureId: link.departureId }, link.language);
      // The form posts to the page's own path: the same origin, whatever the gateway's base URL.
      return page({ kind: 'confirm', plan: planned, token: link.token, postUrl: event.rawPath ?? event.requestContext.http.path }, link.language);
    },

    async acceptLinkConfirm(event) {
      const link = await linkOf(event, true);
      if (!link.ok) return link.result;
      const outcome = await acceptDeparture(deps, { sellerId: link.sellerId, departureId: link.departureId, now: clock() });
      switch (outcome.kind) {
        case 'booked':
          return page({ kind: 'accepted', departureId: link.departureId, lotId: outcome.lot.lotId, litres: outcome.lot.litres, arrivesOn: outcome.lot.arrivesOn, units: outcome.lot.lines.reduce((n, l) => n + l.qty, 0) }, link.language);
        case 'already-booked':
          return page({ kind: 'already-accepted', departureId: link.departureId, lotId: outcome.lot.lotId, bookedAt: outcome.lot.bookedAt }, link.language);
        case 'unknown-departure':
          return page({ kind: 'cut-off', departureId: link.departureId, cutoffAt: clock().toISOString() }, link.language);
        case 'cut-off':
          return page({ kind: 'cut-off', departureId: link.departureId, cutoffAt: outcome.cutoffAt }, link.language);
        case 'nothing-to-load':
          return page({ kind: 'nothing-to-load', departureId: link.departureId }, link.language);
        case 'no-capacity':
          return page({ kind: 'no-capacity', departureId: link.departureId, litres: outcome.litres }, link.language);
      }
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The HTML view: the chart (inline SVG) above the same table `silkroute report` prints, in the reader's language. */
function reportPage(table: string, svg: string, language: PlanLanguage): string {
  const title = language === 'zh-CN' ? 'Silkroute 节省报告' : 'Silkroute savings report';
  return [
    '<!DOCTYPE html>',
    `<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${title}</title></head>`,
    "<body style=\"margin:24px;font-family:-apple-system,Segoe UI,Roboto,Arial,'PingFang SC',sans-serif;color:#1d2330;\">",
    `<h1 style="font-size:20px;">${title}</h1>`,
    svg.replace(/^<\?xml[^>]*>\s*/, ''),
    `<pre style="font-size:13px;line-height:1.5;">${escapeHtml(table)}</pre>`,
    '</body></html>',
    '',
  ].join('\n');
}
