/**
 * The twin survives a crash: `npm start` keeps DynamoDB (LevelDB), the webhook secrets and the
 * inbox under its state directory; after `kill -9` while orders are still in flight and a
 * restart, every order whose webhook was answered 200 is decided — the sweep queues again what
 * the in-memory SQS lost — and the emails of the first run are still in the inbox.
 * `--fresh` starts over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { wooCommerceOrderCreatedHeaders } from '../infra/local/sign.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHOP = 'https://shop.yiwu-goods.example';
const SECRET = 'demo-woocommerce-secret-yiwu-2026-not-for-production';
const KEY = 'demo-key-yiwu-goods-woo-0002';

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<unknown>;
}

const runs: Run[] = [];
const stateDir = mkdtempSync(join(tmpdir(), 'silkroute-twin-state-'));

function start(args: string[] = []): Run {
  const child = spawn(process.execPath, ['infra/local/start.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', SES_PORT: '0', SILKROUTE_TWIN_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = { child, stdout: '', stderr: '', exited: new Promise((r) => child.once('exit', r)) };
  child.stdout!.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  runs.push(run);
  return run;
}

async function ready(run: Run): Promise<{ api: string; inbox: string }> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const match = run.stdout.match(/^ready: api (\S+) inbox (\S+)$/m);
    if (match !== null) return { api: match[1]!, inbox: match[2]! };
    if (run.child.exitCode !== null) throw new Error(`exited ${run.child.exitCode}:\n${run.stdout}\n${run.stderr}`);
    if (Date.now() > deadline) throw new Error(`not ready:\n${run.stdout}\n${run.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function wooOrder(n: number): string {
  return JSON.stringify({
    id: 70_000 + n,
    number: String(70_000 + n),
    status: 'processing',
    currency: 'EUR',
    date_created_gmt: '2026-11-23T02:40:00',
    total: '13.90',
    shipping: { first_name: 'Ana', last_name: 'Ruiz', address_1: 'Calle Mayor 1', city: 'Madrid', country: 'ES', postcode: '28013' },
    line_items: [{ id: 1, name: 'Umbrella', product_id: 88, sku: 'UMB-3F', quantity: 1, price: 6.95, subtotal: '6.95' }],
  });
}

async function sendOrder(api: string, n: number): Promise<string> {
  const body = wooOrder(n);
  const response = await fetch(`${api}/webhooks/woocommerce`, {
    method: 'POST',
    headers: wooCommerceOrderCreatedHeaders(body, SECRET, { source: `${SHOP}/`, deliveryId: String(900_000 + n) }),
    body,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { orderId: string }).orderId;
}

async function statusOf(api: string, orderId: string): Promise<string> {
  const response = await fetch(`${api}/v1/orders/${orderId}`, { headers: { authorization: `Bearer ${KEY}` } });
  if (response.status !== 200) return `http ${response.status}`;
  return ((await response.json()) as { status: string }).status;
}

async function emails(inbox: string): Promise<unknown[]> {
  return ((await (await fetch(`${inbox}/store`)).json()) as { emails: unknown[] }).emails;
}
const emailCount = async (inbox: string) => (await emails(inbox)).length;

afterEach(() => {
  for (const run of runs.splice(0)) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
});
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('npm start after kill -9', () => {
  it('decides every acknowledged order, keeps the inbox, and --fresh starts over', async () => {
    const first = start(['--fresh']);
    const one = await ready(first);
    // The 3 sample webhooks, the Amazon and TikTok Shop samples and the demo's order promised from a train were routed and emailed; wait for their emails.
    let before = 0;
    for (let i = 0; i < 150 && before < 6; i++) {
      before = await emailCount(one.inbox);
      if (before < 6) await new Promise((r) => setTimeout(r, 100));
    }
    expect(before).toBe(6);
    const firstEmails = await emails(one.inbox);

    // 16 acknowledged orders, then the process dies before the router (batching window 1 s) is done.
    const acknowledged: string[] = [];
    for (let n = 0; n < 16; n++) acknowledged.push(await sendOrder(one.api, n));
    first.child.kill('SIGKILL');
    await first.exited;

    const second = start();
    const two = await ready(second);
    expect(second.stdout).toMatch(/kept the data in .* from the last run/);
    const requeued = Number(second.stdout.match(/sweep: queued (\d+) undecided orders again after the restart/)?.[1]);
    expect(requeued).toBeGreaterThan(0);
    // The inbox of the first run, email for email, before anything new.
    expect((await emails(two.inbox)).slice(0, before)).toEqual(firstEmails);

    const deadline = Date.now() + 30_000;
    let statuses: string[] = [];
    for (;;) {
      statuses = await Promise.all(acknowledged.map((id) => statusOf(two.api, id)));
      if (statuses.every((s) => s === 'routed' || s === 'unroutable') || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(statuses.filter((s) => s !== 'routed' && s !== 'unroutable')).toEqual([]);
    second.child.kill('SIGINT');
    await second.exited;

    // --fresh: nothing kept, the demo is imported again and the acknowledged orders are gone.
    const third = start(['--fresh']);
    const three = await ready(third);
    expect(third.stdout).not.toMatch(/kept the data/);
    expect(third.stdout).toMatch(/^importing data\/demo$/m);
    expect(await statusOf(three.api, acknowledged[0]!)).toBe('http 404');
    third.child.kill('SIGINT');
    await third.exited;
  }, 240_000);
});
