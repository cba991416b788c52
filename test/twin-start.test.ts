import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { holdPort, type HeldPort } from './helpers/ports.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const stateDirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'silkroute-twin-start-'));
  stateDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of stateDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `npm start` as a child process (the same Node 24 that runs vitest), with ports from env. */
function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['infra/local/start.ts'], {
    cwd: ROOT,
    // Each run its own state directory: a test never reads (or leaves) the developer's .twin/.
    env: { ...process.env, SILKROUTE_TWIN_DIR: stateDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  return run;
}

async function until(run: Run, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = run.stdout.match(pattern);
    if (match !== null) return match;
    if (run.child.exitCode !== null) throw new Error(`exited ${run.child.exitCode} before ${pattern}:\n${run.stdout}\n${run.stderr}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${run.stdout}\n${run.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start', () => {
  const runs: Run[] = [];
  afterEach(() => {
    // Never leave a twin running if an assertion failed half-way.
    for (const run of runs.splice(0)) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  });

  it('routes the sample webhooks, emails each decision, prints one ready line with the actual ports, and exits 0 with everything closed on SIGINT', async () => {
    const run = start({ PORT: '0', SES_PORT: '0' });
    runs.push(run);
    const [, api, inbox] = await until(run, /^ready: api (http:\/\/127\.0\.0\.1:\d+) inbox (http:\/\/127\.0\.0\.1:\d+)$/m, 90_000);
    expect(run.stdout.match(/^ready:/gm)).toHaveLength(1);

    const missing = await fetch(`${api}/no/such/route`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not-found', message: 'No route for GET /no/such/route' } });
    const page = await fetch(inbox!);
    expect(page.status).toBe(200);

    // The demo pipeline ran through the twin: webhooks → queue → router → queue → email.
    const table = run.stdout.slice(run.stdout.indexOf('replayed'), run.stdout.indexOf('endpoints:'));
    // sample, the shop's order number (#1042, SO-…), then the id the API takes.
    const rows = table.split('\n').filter((line) => /^\S+\s+\S+\s+ord_/.test(line));
    expect(rows.length).toBeGreaterThan(0);
    expect(table).toMatch(/^shopify-orders-create\s+#1042\s+ord_/m);
    for (const row of rows) expect(row).toMatch(/\s(routed|unroutable)\s/);
    // Plus the stock demo's order promised from stock still on a train (issue 12).
    expect(run.stdout).toMatch(/^promised from stock still on a train: order ord_\w+ .*→ warehouse:WH-DUI, 2 BLOCKS-500 from lot demo-po-blocks arriving \d{4}-\d{2}-\d{2}$/m);
    expect(run.stdout).toMatch(/^ {2}its email: Stock arrives on /m);
    const decided = rows.length + 1;
    let emails: unknown[] = [];
    for (let i = 0; i < 150 && emails.length < decided; i++) {
      emails = ((await (await fetch(`${inbox}/store`)).json()) as { emails: unknown[] }).emails;
      if (emails.length < decided) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(emails).toHaveLength(decided);

    run.child.kill('SIGINT');
    // start.ts does not call process.exit on the happy path: exit code 0 means the event loop
    // emptied, i.e. every server, socket and timer was closed (a leak exits 1 naming it).
    const exit = await run.exited;
    expect(run.stderr).not.toMatch(/still open after stop/);
    expect(exit).toEqual({ code: 0, signal: null });
  });

  describe('with a port already taken', () => {
    let held: HeldPort;
    let port: number;
    beforeAll(async () => {
      held = await holdPort();
      port = held.port;
    });
    afterAll(() => held.release());

    it('exits 1 with an error naming the port and PORT', async () => {
      const run = start({ PORT: String(port), SES_PORT: '0' });
      runs.push(run);
      expect((await run.exited).code).toBe(1);
      expect(run.stderr).toContain(`port ${port} is already in use`);
      expect(run.stderr).toContain(`set PORT`);
      expect(run.stdout).not.toMatch(/^ready:/m);
    });

    it('exits 1 with an error naming the port and SES_PORT', async () => {
      const run = start({ PORT: '0', SES_PORT: String(port) });
      runs.push(run);
      expect((await run.exited).code).toBe(1);
      expect(run.stderr).toContain(`port ${port} is already in use`);
      expect(run.stderr).toContain(`set SES_PORT`);
    });
  });
});
