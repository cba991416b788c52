/**
 * GET /v1/plans and GET /v1/reports/savings over the real store (dynalite): the demo network
 * imported, a simulated month written as decided orders, the demo API keys. The plan the API
 * answers is the plan `silkroute plan --format json` prints from the same decisions.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { loadNetworkDir } from '#network/load.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import type { HistoryEntry } from '#planning/history.ts';
import { plan } from '#planning/plan.ts';
import { report } from '#planning/report.ts';
import { simulate } from '#planning/simulate.ts';
import { createApiKeyStore } from '#store/api-keys.ts';
import { importNetworkDir } from '#store/import.ts';
import { createHistoryReader, writeDecidedOrders, type StoredHistoryEntry } from '#store/planning.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';
import { freshTable } from '#store/test-fixtures.ts';
import type { StoreContext } from '#store/batch.ts';
import { createPlanningHandlers, type PlanningEvent } from './planning.ts';

const DATA = fileURLToPath(new URL('../../data/demo', import.meta.url));
const NOW = new Date('2026-12-01T06:00:00Z');
const KEY = 'demo-key-tianmen-garments-0001';
const SELLER = 'tianmen-garments';

let dynalite: DynaliteHandle;
let ctx: StoreContext;
let history: HistoryEntry[];
let snapshot: NetworkSnapshot;
let handlers: ReturnType<typeof createPlanningHandlers>;

function event(path: string, query: Record<string, string> = {}, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }): PlanningEvent {
  return { headers, body: undefined, isBase64Encoded: false, requestContext: { http: { method: 'GET', path } }, rawPath: path, queryStringParameters: query };
}

beforeAll(async () => {
  dynalite = await startDynalite();
  ctx = await freshTable(dynalite.endpoint);
  await importNetworkDir(DATA, { tableName: ctx.tableName, now: NOW, doc: ctx.doc, demo: true });
  const loaded = await loadNetworkDir(DATA, { now: NOW });
  history = simulate({ files: loaded.files, days: 30, now: NOW, seed: 7 }).history;
  await writeDecidedOrders(ctx, history as unknown as StoredHistoryEntry[], { platform: 'simulated', shop: 'demo' });
  const snapshots = createSnapshotLoader({ ...ctx, ttlSeconds: 0 });
  snapshot = await snapshots.load(SELLER, NOW);
  handlers = createPlanningHandlers({ apiKeys: createApiKeyStore(ctx), history: createHistoryReader(ctx), snapshots, clock: () => NOW });
}, 120_000);
afterAll(async () => dynalite.stop());

describe('the history reader', () => {
  it('reads back every decided order of the seller placed in the period, and no other seller\'s', async () => {
    const from = new Date(NOW.getTime() - 10 * 86_400_000).toISOString();
    const read = await createHistoryReader(ctx).history(SELLER, { placedFrom: from, placedTo: NOW.toISOString() });
    const expected = history.filter((h) => h.order.sellerId === SELLER && h.order.placedAt >= from && h.order.placedAt < NOW.toISOString());
    expect(expected.length).toBeGreaterThan(50);
    expect(read.map((h) => h.order.orderId).sort()).toEqual(expected.map((h) => h.order.orderId).sort());
    expect(read.every((h) => h.decision.sellerId === SELLER)).toBe(true);
  });
});

describe('GET /v1/plans', () => {
  it('answers the plan silkroute plan computes from the same decisions, for the key\'s seller only', async () => {
    const res = await handlers.getPlans(event('/v1/plans'));
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(String(res.body));
    const expected = plan({ history: history.filter((h) => h.order.sellerId === SELLER), network: snapshot, now: NOW, sellerId: SELLER });
    expect(body).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(body.departures.length).toBeGreaterThan(0);
    expect(body.departures.every((d: { sellerId: string }) => d.sellerId === SELLER)).toBe(true);
    expect(body.departures.some((d: { lines: unknown[] }) => d.lines.length > 0)).toBe(true);
  });

  it('filters by lane and departure, and honours the booked capacity', async () => {
    const all = JSON.parse(String((await handlers.getPlans(event('/v1/plans'))).body));
    const first = all.departures[0];
    const one = JSON.parse(String((await handlers.getPlans(event('/v1/plans', { lane: first.laneId, departure: first.departureId, capacity: '0.5' }))).body));
    expect(one.departures).toHaveLength(1);
    expect(one.departures[0]).toMatchObject({ laneId: first.laneId, departureId: first.departureId, capacityCbm: 0.5 });
    expect(one.departures[0].usedCbm).toBeLessThanOrEqual(0.5);
  });

  it('says which parameter is wrong: an unknown lane, a bad capacity (400)', async () => {
    await expect(handlers.getPlans(event('/v1/plans', { lane: 'NO-SUCH-LANE' }))).rejects.toMatchObject({
      status: 400,
      details: [{ path: 'lane', message: 'unknown rail lane "NO-SUCH-LANE"' }],
    });
    await expect(handlers.getPlans(event('/v1/plans', { capacity: 'lots' }))).rejects.toMatchObject({ status: 400 });
  });

  it('refuses a request without a known API key (401)', async () => {
    await expect(handlers.getPlans(event('/v1/plans', {}, {}))).rejects.toMatchObject({ status: 401 });
    await expect(handlers.getPlans(event('/v1/plans', {}, { authorization: 'Bearer nope' }))).rejects.toMatchObject({ status: 401 });
  });
});

describe('GET /v1/reports/savings', () => {
  it('answers the report of the period as JSON, the same as silkroute report', async () => {
    const res = await handlers.getSavingsReport(event('/v1/reports/savings', { from: '2026-11-15', to: '2026-12-01' }));
    expect(res.statusCode).toBe(200);
    const expected = report({ history, network: snapshot, sellerId: SELLER, from: '2026-11-15T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    const body = JSON.parse(String(res.body));
    expect(body).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(body.sellers[0].orders.total).toBeGreaterThan(100);
  });

  it('is an HTML page with the SVG chart for a browser or ?format=html', async () => {
    for (const e of [
      event('/v1/reports/savings', {}, { authorization: `Bearer ${KEY}`, accept: 'text/html,application/xhtml+xml' }),
      event('/v1/reports/savings', { format: 'html' }),
    ]) {
      const res = await handlers.getSavingsReport(e);
      expect(res.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(String(res.body)).toMatch(/<svg[^>]*role="img"/);
      expect(String(res.body)).toContain(SELLER);
    }
  });

  it('speaks the seller\'s language on the HTML page unless ?lang= says otherwise', async () => {
    const zh = String((await handlers.getSavingsReport(event('/v1/reports/savings', { format: 'html' }))).body);
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('Silkroute 节省报告');
    expect(zh).toContain('全部从中国直发小包');
    expect(zh).toContain('基准：有现货时走海外仓');
    expect(zh).not.toContain('all direct from China');
    const en = String((await handlers.getSavingsReport(event('/v1/reports/savings', { format: 'html', lang: 'en' }))).body);
    expect(en).toContain('Silkroute savings report');
    expect(en).toContain('all direct from China');
    await expect(handlers.getSavingsReport(event('/v1/reports/savings', { format: 'html', lang: 'fr' }))).rejects.toMatchObject({ status: 400, details: [{ path: 'lang' }] });
  });

  it('refuses a bad period, naming it (400)', async () => {
    await expect(handlers.getSavingsReport(event('/v1/reports/savings', { from: 'yesterday' }))).rejects.toMatchObject({ status: 400 });
    await expect(handlers.getSavingsReport(event('/v1/reports/savings', { from: '2026-12-01', to: '2026-11-01' }))).rejects.toMatchObject({ status: 400 });
    await expect(handlers.getSavingsReport(event('/v1/reports/savings', { from: '2026-01-01', to: '2026-12-01' }))).rejects.toMatchObject({ status: 400 });
    await expect(handlers.getSavingsReport(event('/v1/reports/savings', { format: 'pdf' }))).rejects.toMatchObject({ status: 400 });
  });
});
