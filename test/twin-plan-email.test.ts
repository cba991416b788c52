/**
 * Issue 13 item 3 end to end on the twin: the simulated month gives a plan; the scheduled
 * plan-email function sends the cut-off email once however often it runs; its one-click link
 * opens a confirmation that changes nothing; the confirmation's POST books the lot
 * `plan-<departureId>` and takes its litres off the train; a second click says already accepted.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLot } from '#store/inbound.ts';
import { keys } from '#store/keys.ts';
import { startTwin, type Twin } from '../infra/local/start.ts';
import { TWIN_CREDENTIALS, TWIN_REGION } from '../infra/local/env.ts';

const KEY = 'demo-key-tianmen-garments-0001';
const SELLER = 'tianmen-garments';

let twin: Twin;

interface InboxEmail {
  subject: string;
  destination: { to: string[] };
  body: { html?: string; text?: string };
}

async function emails(): Promise<InboxEmail[]> {
  return ((await (await fetch(`${twin.inboxUrl}/store`)).json()) as { emails: InboxEmail[] }).emails;
}

interface PlanBody {
  departures: { departureId: string; sellerId: string; cutoffAt: string; capacityCbm: number; lines: { sku: string; units: number }[] }[];
}

async function plans(query = ''): Promise<PlanBody> {
  const res = await fetch(`${twin.apiUrl}/v1/plans${query}`, { headers: { authorization: `Bearer ${KEY}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as PlanBody;
}

beforeAll(async () => {
  twin = await startTwin({ port: 0, sesPort: 0, eventsDir: false, simulatedDays: 30, out: () => {}, err: () => {} });
}, 180_000);

afterAll(async () => {
  await twin?.stop();
});

describe('the cut-off email on the twin', () => {
  it('goes once, and its link books the plan once', async () => {
    const before = await plans();
    const target = before.departures.find((d) => d.sellerId === SELLER && d.lines.length > 0);
    expect(target, 'the simulated month gives Tianmen something to load').toBeDefined();
    const dep = target!.departureId;
    // 23 hours before the cut-off: inside the default 24 h.
    const now = new Date(Date.parse(target!.cutoffAt) - 23 * 3_600_000).toISOString();

    const first = (await twin.runSchedule('planEmail', { now, sellerId: SELLER })) as { departureId: string; kind: string }[];
    expect(first.find((o) => o.departureId === dep)?.kind).toBe('sent');
    const again = (await twin.runSchedule('planEmail', { now, sellerId: SELLER })) as { departureId: string; kind: string }[];
    expect(again.find((o) => o.departureId === dep)?.kind).toBe('already-sent');
    const later = (await twin.runSchedule('planEmail', { now: new Date(Date.parse(now) + 3_600_000).toISOString(), sellerId: SELLER })) as { departureId: string; kind: string }[];
    expect(later.find((o) => o.departureId === dep)?.kind).toBe('already-sent');

    const mine = (await emails()).filter((e) => e.subject.includes(dep));
    expect(mine).toHaveLength(1);
    const email = mine[0]!;
    expect(email.destination.to).toEqual(['orders@tianmen-garments.example']);
    expect(email.subject).toContain('装柜建议');
    for (const line of target!.lines) expect(email.body.text).toContain(`- ${line.sku} · ${line.units} · `);
    const link = /(http:\/\/[^\s"<>]+\/v1\/plans\/accept-link\?t=[A-Za-z0-9_.-]+)/.exec(email.body.text ?? '')?.[1];
    expect(link).toBeDefined();
    expect(email.body.html).toContain(`href="${link}"`);

    // GET: a confirmation, nothing booked.
    const confirm = await fetch(link!);
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toContain('确认订舱');
    const action = /<form method="post" action="([^"]+)"><input type="hidden" name="t" value="([^"]+)">/.exec(page);
    expect(action).not.toBeNull();
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: TWIN_REGION, credentials: TWIN_CREDENTIALS, endpoint: twin.endpoints.dynamodb }));
    const store = { doc, tableName: twin.resources.tableName };
    expect(await readLot(store, SELLER, `plan-${dep}`)).toBeUndefined();

    // POST from the page: booked, the train has less room.
    const click = () =>
      fetch(new URL(action![1]!, twin.apiUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ t: action![2]! }).toString() });
    const booked = await click();
    expect(booked.status).toBe(201);
    expect(await booked.text()).toContain('已订舱');
    const lot = await readLot(store, SELLER, `plan-${dep}`);
    expect(lot).toMatchObject({ lotId: `plan-${dep}`, departureId: dep, sellerId: SELLER });
    expect(lot!.lines.length).toBeGreaterThan(0);
    // The departure's stored capacity (a warm planning container reuses its snapshot for a minute, so read the item).
    const capacity = async () => (await doc.send(new GetCommand({ TableName: store.tableName, Key: keys.departure(dep), ConsistentRead: true }))).Item as { freeLitres: number; usedLitres: number; capacityLitres: number };
    const after = await capacity();
    expect(after.freeLitres).toBe(Math.round(target!.capacityCbm * 1000) - lot!.litres);
    expect(after.usedLitres).toBe(lot!.litres);

    // A second click: already accepted, nothing more booked.
    const second = await click();
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('已经确认过');
    expect(await capacity()).toEqual(after);
    doc.destroy();
  }, 120_000);
});
