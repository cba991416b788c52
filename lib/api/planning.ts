/**
 * The planning routes of the seller API (issue 13): `GET /v1/plans` — the load plan of the
 * key's seller from its stored decisions, the same JSON as `silkroute plan --format json` —
 * and `GET /v1/reports/savings` — the savings report as JSON, or an HTML page with the chart
 * for a browser (`Accept: text/html` or `?format=html`). Both wrap the pure calls of
 * lib/planning; the handlers take their dependencies, so tests run them without AWS.
 */
import type { NetworkSnapshot } from '#network/types.ts';
import { savingsChart } from '#planning/chart.ts';
import { formatReportTable } from '#planning/format.ts';
import type { HistoryEntry } from '#planning/history.ts';
import { plan, type RouteFn } from '#planning/plan.ts';
import { report } from '#planning/report.ts';
import { HttpError } from '#http/errors.ts';
import { invalidPayload, json, lowerHeaders, type HttpEvent, type HttpResult } from '#http/http.ts';
import { PLANNING, routesOf, type Operation } from '#shared/definitions.ts';
import { ValidationError } from '#shared/errors.ts';
import { authenticate } from './routes.ts';

const DAY_MS = 86_400_000;

export interface PlanningDeps {
  readonly apiKeys: { sellerFor(apiKey: string): Promise<string | undefined> };
  /** The seller's decided orders placed in [placedFrom, placedTo) (lib/store/planning.ts). */
  readonly history: { history(sellerId: string, period: { placedFrom: string; placedTo: string }): Promise<readonly HistoryEntry[]> };
  readonly snapshots: { load(sellerId: string, now: Date): Promise<NetworkSnapshot> };
  readonly route?: RouteFn;
  readonly clock?: () => Date;
}

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

export function createPlanningHandlers(deps: PlanningDeps): Record<Operation<'planning'>, PlanningHandler> {
  const clock = deps.clock ?? (() => new Date());
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
      const [network, history] = await Promise.all([
        snapshotOf(deps, sellerId, now),
        deps.history.history(sellerId, {
          placedFrom: new Date(now.getTime() - PLANNING.historyDays * DAY_MS).toISOString(),
          placedTo: now.toISOString(),
        }),
      ]);
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
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        body: reportPage(formatReportTable(result), savingsChart(result)),
      };
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The HTML view: the chart (inline SVG) above the same table `silkroute report` prints. */
function reportPage(table: string, svg: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Silkroute savings report</title></head>',
    '<body style="margin:24px;font-family:-apple-system,Segoe UI,Roboto,Arial,sans-serif;color:#1d2330;">',
    '<h1 style="font-size:20px;">Silkroute savings report</h1>',
    svg.replace(/^<\?xml[^>]*>\s*/, ''),
    `<pre style="font-size:13px;line-height:1.5;">${escapeHtml(table)}</pre>`,
    '</body></html>',
    '',
  ].join('\n');
}
