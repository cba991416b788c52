import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadPlan } from '#planning/plan.ts';
import type { SavingsReport } from '#planning/report.ts';
import type { CliIo } from './main.ts';
import { runCli } from './main.ts';

const DATA = fileURLToPath(new URL('../../data/demo', import.meta.url));
const NOW = '2026-12-01T00:00:00Z';

async function run(argv: string[], over: Partial<CliIo> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), clock: () => new Date('2030-01-01T00:00:00Z'), env: {}, ...over });
  return { code, stdout, stderr };
}

let tmp: string;
let history: string;
let stock: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'silkroute-plan-'));
  history = join(tmp, 'decisions.jsonl');
  stock = join(tmp, 'stock-left.json');
  const r = await run(['simulate', '--data', DATA, '--days', '14', '--seed', '5', '--now', NOW, '--out', history, '--stock-out', stock]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('silkroute simulate', () => {
  it('writes one decision a line and says what it wrote', async () => {
    const text = await readFile(history, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(500);
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['order', 'decision']);
    const again = join(tmp, 'again.jsonl');
    const r = await run(['simulate', '--data', DATA, '--days', '14', '--seed', '5', '--now', NOW, '--out', again]);
    expect(r.stdout).toMatch(new RegExp(`^simulated 14 days to 2026-12-01T00:00:00.000Z \\(seed 5\\): ${lines.length} decisions \\(direct-parcel \\d+, overseas-warehouse \\d+`));
    expect(await readFile(again, 'utf8')).toBe(text);
  });
  it('loads each train with its plan under --follow-plan', async () => {
    const out = join(tmp, 'followed.jsonl');
    const r = await run(['simulate', '--data', DATA, '--days', '6', '--seed', '5', '--now', NOW, '--out', out, '--follow-plan']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/, \d+ planned loads; history written to /);
  });
  it('needs --out', async () => {
    const r = await run(['simulate', '--data', DATA]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing --out');
  });
});

describe('silkroute plan', () => {
  it('prints at least the JSON the issue gives, the same bytes for the same --now', async () => {
    const argv = ['plan', '--data', DATA, '--history', history, '--stock', stock, '--now', NOW, '--format', 'json'];
    const a = await run(argv);
    const b = await run(argv);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const p = JSON.parse(a.stdout) as LoadPlan;
    expect(p.departures.length).toBe(4); // two lanes × two sellers
    const d = p.departures.find((x) => x.lines.length > 0)!;
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['laneId', 'departureId', 'cutoffAt', 'capacityCbm', 'usedCbm', 'lines', 'expectedSaving']));
    expect(Object.keys(d.lines[0]!)).toEqual(expect.arrayContaining(['sku', 'units', 'cbm', 'why']));
    expect(d.expectedSaving.currency).toMatch(/^(EUR|CNY)$/);
    expect(Date.parse(d.cutoffAt)).toBeGreaterThan(Date.parse(NOW));
  });
  it('reads as a table by default, with a reason on every line', async () => {
    const r = await run(['plan', '--data', DATA, '--history', history, '--stock', stock, '--now', NOW, '--lane', 'R2', '--seller', 'yiwu-goods']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^load plan as of 2026-12-01T00:00:00.000Z · service level 95 % · demand over 28 days\n\nR2-2026-12-02 · R2 → WH-DUI · yiwu-goods\n/);
    expect(r.stdout).toMatch(/ {2}sku +units +m³ +saved\/unit +why\n/);
    expect(r.stdout).toMatch(/×\d+ \(\d+\.\d+ m³\): .* saved each/);
    expect(r.stdout).not.toContain('tianmen');
  });
  it('keeps within --capacity', async () => {
    const r = await run(['plan', '--data', DATA, '--history', history, '--stock', stock, '--now', NOW, '--capacity', '0.1', '--format', 'json']);
    const p = JSON.parse(r.stdout) as LoadPlan;
    for (const d of p.departures) {
      expect(d.capacityCbm).toBe(0.1);
      expect(d.usedCbm).toBeLessThanOrEqual(0.1);
    }
  });
  it('names the file, line and field of a bad history line, and a bad option', async () => {
    const bad = join(tmp, 'bad.jsonl');
    const good = (await readFile(history, 'utf8')).split('\n')[0]!;
    await writeFile(bad, `${good}\n\n{"order": {"orderId": "x"}, "decision": {}}\nnot json\n`);
    const r = await run(['plan', '--data', DATA, '--history', bad, '--now', NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: line 3: order.sellerId:`);
    expect(r.stderr).toContain(`${bad}: line 4: not JSON`);
    const c = await run(['plan', '--data', DATA, '--history', history, '--capacity', 'lots']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--capacity: expected m³ ≥ 0 such as 2.5, got "lots"');
    const m = await run(['plan', '--data', DATA, '--history', join(tmp, 'missing.jsonl')]);
    expect(m.stderr).toContain('missing.jsonl: file not found');
  });
});

describe('silkroute report', () => {
  it('gives the figures as JSON, a table or an SVG chart', async () => {
    const base = ['report', '--data', DATA, '--history', history, '--now', NOW];
    const json = JSON.parse((await run([...base, '--format', 'json'])).stdout) as SavingsReport;
    expect(json.sellers.map((s) => s.sellerId)).toEqual(['tianmen-garments', 'yiwu-goods']);
    for (const s of json.sellers) expect(s.spend.amount).toBeLessThanOrEqual(s.baselines.allDirect.amount);
    const table = await run(base);
    expect(table.stdout).toContain('baseline: warehouse when in stock');
    const svg = await run([...base, '--format', 'svg']);
    expect(svg.stdout.startsWith('<svg')).toBe(true);
    const period = JSON.parse((await run([...base, '--format', 'json', '--from', '2026-11-30T00:00:00Z'])).stdout) as SavingsReport;
    expect(period.sellers[0]!.orders.total).toBeLessThan(json.sellers[0]!.orders.total);
    expect((await run([...base, '--format', 'pdf'])).stderr).toContain('--format: expected one of table, json, svg, got "pdf"');
  });
});
