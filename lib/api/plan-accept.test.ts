/**
 * POST /v1/plans/{departureId}/accept and the one-click accept link over the real store
 * (dynalite): the plan of a departure becomes the inbound lot `plan-<departureId>`, its capacity
 * booked atomically through bookInbound; accepting twice books once; the refusals say what is
 * wrong. The link opens a confirmation (GET changes nothing), its POST accepts, and an expired,
 * tampered or reused link gets a page, never an action.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { loadNetworkDir } from '#network/load.ts';
import type { HistoryEntry } from '#planning/history.ts';
import { simulate } from '#planning/simulate.ts';
import { signPlanActionLink } from '#shared/action-link.ts';
import { createApiKeyStore } from '#store/api-keys.ts';
import type { StoreContext } from '#store/batch.ts';
import { importNetworkDir } from '#store/import.ts';
import { bookInbound, readLot, readLots } from '#store/inbound.ts';
import { createHistoryReader, writeDecidedOrders, type StoredHistoryEntry } from '#store/planning.ts';
import { setDepartureCapacity } from '#store/reference.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';
import { freshTable } from '#store/test-fixtures.ts';
import { createPlanningHandlers, type PlanningDeps, type PlanningEvent } from './planning.ts';

const DATA = fileURLToPath(new URL('../../data/demo', import.meta.url));
const NOW = new Date('2026-12-01T06:00:00Z');
const KEY = 'demo-key-tianmen-garments-0001';
const SELLER = 'tianmen-garments';
const SECRET = 's'.repeat(48);

let dynalite: DynaliteHandle;
let ctx: StoreContext;
let history: HistoryEntry[];
let deps: PlanningDeps;
let handlers: ReturnType<typeof createPlanningHandlers>;

function post(departureId: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }): PlanningEvent {
  const path = `/v1/plans/${departureId}/accept`;
  return {
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', path } },
    rawPath: path,
    pathParameters: { departureId },
  };
}

function linkGet(token: string): PlanningEvent {
  const path = '/v1/plans/accept-link';
  return { headers: {}, body: undefined, isBase64Encoded: false, requestContext: { http: { method: 'GET', path } }, rawPath: path, queryStringParameters: { t: token } };
}

function linkPost(token: string): PlanningEvent {
  const path = '/v1/plans/accept-link';
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ t: token }).toString(),
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', path } },
    rawPath: path,
  };
}

async function departures() {
  return (await createSnapshotLoader({ ...ctx, ttlSeconds: 0 }).load(SELLER, NOW)).railLanes.flatMap((l) => l.departures.map((d) => ({ ...d, laneId: l.id })));
}

beforeAll(async () => {
  dynalite = await startDynalite();
  ctx = await freshTable(dynalite.endpoint);
  await importNetworkDir(DATA, { tableName: ctx.tableName, now: NOW, doc: ctx.doc, demo: true });
  const loaded = await loadNetworkDir(DATA, { now: NOW });
  history = simulate({ files: loaded.files, days: 30, now: NOW, seed: 7 }).history;
  await writeDecidedOrders(ctx, history as unknown as StoredHistoryEntry[], { platform: 'simulated', shop: 'demo' });
  deps = {
    apiKeys: createApiKeyStore(ctx),
    history: createHistoryReader(ctx),
    snapshots: createSnapshotLoader({ ...ctx, ttlSeconds: 0 }),
    clock: () => NOW,
    inbound: { bookInbound: (input) => bookInbound(ctx, input), readLot: (seller, lot) => readLot(ctx, seller, lot) },
    linkSecret: async () => SECRET,
  };
  handlers = createPlanningHandlers(deps);
}, 120_000);
afterAll(async () => dynalite.stop());

/** The plan GET /v1/plans answers for one departure. */
async function planOf(departureId: string, capacity?: string) {
  const path = '/v1/plans';
  const res = await handlers.getPlans({
    headers: { authorization: `Bearer ${KEY}` },
    body: undefined,
    isBase64Encoded: false,
    requestContext: { http: { method: 'GET', path } },
    rawPath: path,
    queryStringParameters: { departure: departureId, ...(capacity === undefined ? {} : { capacity }) },
  });
  return JSON.parse(String(res.body)).departures[0] as { departureId: string; laneId: string; warehouseId: string; lines: { sku: string; units: number }[]; usedCbm: number; arrivesOn: string };
}

describe('POST /v1/plans/{departureId}/accept', () => {
  it('books the plan as lot plan-<departureId>, taking its litres off the departure, and books nothing twice', async () => {
    const all = await departures();
    const target = all[0]!;
    const planned = await planOf(target.id);
    expect(planned.lines.length).toBeGreaterThan(0);
    const res = await handlers.acceptPlan(post(target.id));
    expect(res.statusCode).toBe(201);
    const body = JSON.parse(String(res.body));
    expect(body).toMatchObject({ lotId: `plan-${target.id}`, status: 'booked', departureId: target.id, warehouseId: planned.warehouseId, arrivesOn: planned.arrivesOn });
    expect(body.lines).toEqual(planned.lines.map((l) => ({ sku: l.sku, qty: l.units })));
    // Sized as POST /v1/inbound sizes a lot: whole litres, never less than the plan's m³.
    expect(body.litres).toBeGreaterThanOrEqual(Math.floor(planned.usedCbm * 1000));
    expect(body.litres).toBeLessThanOrEqual(Math.ceil(planned.usedCbm * 1000) + planned.lines.length);
    const after = (await departures()).find((d) => d.id === target.id)!;
    expect(after.remainingLitres).toBe(target.remainingLitres - body.litres);

    const again = await handlers.acceptPlan(post(target.id));
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(String(again.body))).toMatchObject({ lotId: `plan-${target.id}`, status: 'already-booked', litres: body.litres, bookedAt: body.bookedAt });
    expect((await departures()).find((d) => d.id === target.id)!.remainingLitres).toBe(after.remainingLitres);
    expect((await readLots(ctx, SELLER)).filter((l) => l.lotId === `plan-${target.id}`)).toHaveLength(1);
  });

  it('books once when two accepts race: one booked, the other already-booked, the litres taken once', async () => {
    const target = (await departures())[7]!;
    const [a, b] = await Promise.all([handlers.acceptPlan(post(target.id)), handlers.acceptPlan(post(target.id))]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    const lot = (await readLot(ctx, SELLER, `plan-${target.id}`))!;
    expect((await departures()).find((d) => d.id === target.id)!.remainingLitres).toBe(target.remainingLitres - lot.litres);
  });

  it('honours the capacity the seller booked ({ "capacityCbm" })', async () => {
    const target = (await departures())[1]!;
    const res = await handlers.acceptPlan(post(target.id, { capacityCbm: 0.2 }));
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(String(res.body)).litres).toBeLessThanOrEqual(200 + 10);
  });

  it('answers 409 no-capacity when the train has no room for the plan, and books nothing', async () => {
    const target = (await departures())[2]!;
    await setDepartureCapacity(ctx, { departureId: target.id, laneId: target.laneId, capacityLitres: 5 });
    const error = await handlers.acceptPlan(post(target.id, { capacityCbm: 3 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, code: 'no-capacity' });
    expect((error as Error).message).toContain(target.id);
    expect(await readLot(ctx, SELLER, `plan-${target.id}`)).toBeUndefined();
  });

  it('answers 409 nothing-to-load for a plan without lines', async () => {
    const target = (await departures())[3]!;
    await expect(handlers.acceptPlan(post(target.id, { capacityCbm: 0 }))).rejects.toMatchObject({ status: 409, code: 'nothing-to-load' });
    expect(await readLot(ctx, SELLER, `plan-${target.id}`)).toBeUndefined();
  });

  it('answers 409 cut-off-passed after the cut-off and 400 for a departure it does not know', async () => {
    const target = (await departures())[4]!;
    const late = createPlanningHandlers({ ...deps, clock: () => new Date(Date.parse(target.cutoffAt) + 60_000) });
    const error = await late.acceptPlan(post(target.id)).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, code: 'cut-off-passed' });
    expect((error as Error).message).toBe(`Departure ${target.id} was cut off at ${target.cutoffAt}: nothing more can be loaded.`);
    await expect(handlers.acceptPlan(post('NO-SUCH-TRAIN'))).rejects.toMatchObject({ status: 400, code: 'unknown-departure' });
  });

  it('names a bad body, and refuses a request without a known key', async () => {
    const target = (await departures())[5]!;
    await expect(handlers.acceptPlan(post(target.id, { capacityCbm: -1 }))).rejects.toMatchObject({ status: 400, details: [{ path: 'capacityCbm' }] });
    await expect(handlers.acceptPlan(post(target.id, { capacity: 2 }))).rejects.toMatchObject({ status: 400 });
    await expect(handlers.acceptPlan(post(target.id, undefined, {}))).rejects.toMatchObject({ status: 401 });
  });
});

describe('the one-click accept link', () => {
  it('opens a confirmation that changes nothing; its POST accepts once; a second click says already accepted', async () => {
    const target = (await departures()).at(-1)!;
    const token = signPlanActionLink({ action: 'accept-plan', sellerId: SELLER, departureId: target.id, exp: Math.floor(Date.parse(target.cutoffAt) / 1000) }, SECRET);
    const confirm = await handlers.acceptLinkPage(linkGet(token));
    expect(confirm.statusCode).toBe(200);
    expect(confirm.headers?.['content-type']).toBe('text/html; charset=utf-8');
    const html = String(confirm.body);
    // Tianmen reads Chinese: the page, the plan table and its reasons are in Chinese.
    expect(html).toContain('确认订舱');
    expect(html).toContain('<form method="post" action="/v1/plans/accept-link">');
    expect(html).toContain(`value="${token}"`);
    expect(await readLot(ctx, SELLER, `plan-${target.id}`)).toBeUndefined();

    const accepted = await handlers.acceptLinkConfirm(linkPost(token));
    expect(accepted.statusCode).toBe(201);
    expect(String(accepted.body)).toContain('已订舱');
    const lot = await readLot(ctx, SELLER, `plan-${target.id}`);
    expect(lot).toBeDefined();
    expect((await departures()).find((d) => d.id === target.id)!.remainingLitres).toBe(target.remainingLitres - lot!.litres);

    const again = await handlers.acceptLinkConfirm(linkPost(token));
    expect(again.statusCode).toBe(200);
    expect(String(again.body)).toContain('已经确认过');
    expect((await handlers.acceptLinkPage(linkGet(token))).body).toContain('已经确认过');
    expect((await departures()).find((d) => d.id === target.id)!.remainingLitres).toBe(target.remainingLitres - lot!.litres);
  });

  it('refuses a tampered link in both languages and an expired one in the seller\'s, acting on neither', async () => {
    const target = (await departures())[6]!;
    const token = signPlanActionLink({ action: 'accept-plan', sellerId: SELLER, departureId: target.id, exp: Math.floor(NOW.getTime() / 1000) - 1 }, SECRET);
    const expired = await handlers.acceptLinkConfirm(linkPost(token));
    expect(expired.statusCode).toBe(410);
    expect(String(expired.body)).toContain('已过期');
    const forged = signPlanActionLink({ action: 'accept-plan', sellerId: SELLER, departureId: target.id, exp: Math.floor(NOW.getTime() / 1000) + 3600 }, 'x'.repeat(48));
    for (const res of [await handlers.acceptLinkConfirm(linkPost(forged)), await handlers.acceptLinkPage(linkGet(forged)), await handlers.acceptLinkPage(linkGet('garbage'))]) {
      expect(res.statusCode).toBe(400);
      expect(String(res.body)).toContain('这个链接无效');
      expect(String(res.body)).toContain('This link is not valid');
    }
    expect(await readLot(ctx, SELLER, `plan-${target.id}`)).toBeUndefined();
  });
});
