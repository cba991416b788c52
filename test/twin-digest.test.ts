/**
 * Issue 14's "Done when", on the twin: a seller on `digest` gets one digest and no per-order
 * emails, however often the digest runs.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '../infra/local/start.ts';

let twin: Twin;
let dir: string;

async function emails(): Promise<{ subject: string; destination: { to: string[] } }[]> {
  return ((await (await fetch(`${twin.inboxUrl}/store`)).json()) as { emails: { subject: string; destination: { to: string[] } }[] }).emails;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'silkroute-twin-digest-'));
  cpSync('data/demo', join(dir, 'data'), { recursive: true });
  const file = join(dir, 'data', 'sellers.json');
  const sellers = JSON.parse(readFileSync(file, 'utf8')) as { id: string }[];
  writeFileSync(file, JSON.stringify(sellers.map((s) => ({ ...s, notifications: { mode: 'digest', digestHour: 9, timeZone: 'Asia/Shanghai' } }))));
  twin = await startTwin({ port: 0, sesPort: 0, dataDir: join(dir, 'data'), out: () => {}, err: () => {} });
}, 120_000);

afterAll(async () => {
  await twin?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('a seller on digest, on the twin', () => {
  it('gets no per-order email for the replayed orders, then exactly one digest however often it runs', async () => {
    // The sample webhooks were replayed and routed at start; give the email queue time to drain.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await emails()).toEqual([]);
    // As of a day later, the period holding today's orders has ended.
    const now = new Date(Date.now() + 86_400_000).toISOString();
    const first = (await twin.runSchedule('digest', { now, force: true })) as { kind: string; orders?: number }[];
    const sent = first.filter((o) => o.kind === 'sent');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.some((o) => (o.orders ?? 0) > 0)).toBe(true);
    const again = (await twin.runSchedule('digest', { now, force: true })) as { kind: string }[];
    expect(again.map((o) => o.kind)).toEqual(first.map((o) => (o.kind === 'sent' ? 'already-sent' : o.kind)));
    const inbox = await emails();
    expect(inbox).toHaveLength(sent.length);
    for (const email of inbox) expect(email.subject).toMatch(/日报|Digest/);
  });
});
