/**
 * The planning commands of the CLI — `plan`, `report`, `simulate` (issue 13) — kept out of
 * main.ts so that file only wires them. Reading and writing files happens here; everything
 * else is the pure code of lib/planning.
 */
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import * as z from 'zod';
import { jsonSyntaxIssue, zodIssues } from '#network/issues.ts';
import { loadNetworkDir } from '#network/load.ts';
import { StockRecord } from '#network/schemas.ts';
import { ValidationError, type Issue } from '#shared/errors.ts';
import { savingsChart } from '#planning/chart.ts';
import { formatPlanTable, formatReportTable } from '#planning/format.ts';
import { formatHistoryLine, parseHistoryLine, type HistoryEntry } from '#planning/history.ts';
import { plan, type InboundLot, type RouteFn } from '#planning/plan.ts';
import { report } from '#planning/report.ts';
import { simulate } from '#planning/simulate.ts';
import { humanIssue } from '#shared/zod-messages.ts';

type Values = Record<string, string | boolean | undefined>;

export interface PlanningIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly route?: RouteFn;
}

/** At most this many bad history lines are listed; the count says how many more there were. */
const MAX_LISTED = 20;

/**
 * Read a history file (one `{"order", "decision"}` JSON per line). Throws ValidationError
 * naming the file, line and field of every bad line (the first MAX_LISTED).
 */
export async function readHistoryFile(file: string): Promise<HistoryEntry[]> {
  const out: HistoryEntry[] = [];
  const issues: Issue[] = [];
  let bad = 0;
  let n = 0;
  const stream = createReadStream(file, { encoding: 'utf8' });
  try {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    for await (const text of lines) {
      n++;
      const parsed = parseHistoryLine(n === 1 ? text.replace(/^\uFEFF/, '') : text, n);
      if (parsed === undefined) continue;
      if (Array.isArray(parsed)) {
        bad++;
        if (issues.length < MAX_LISTED) issues.push(...parsed.map((i) => ({ file, path: `line ${i.line}${i.path === '' ? '' : `: ${i.path}`}`, message: i.message })));
        continue;
      }
      out.push(parsed);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ValidationError([{ file, path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}` }], { cause: err });
  }
  if (bad > 0) {
    if (bad > MAX_LISTED) issues.push({ file, path: '', message: `${bad} bad lines in all` });
    throw new ValidationError(issues);
  }
  return out;
}

const InboundFile = z.array(
  z.object({
    sellerId: z.string().min(1).optional(),
    warehouseId: z.string().min(1),
    sku: z.string().min(1),
    units: z.number().int().nonnegative(),
    arrivesOn: z.iso.date(),
  }),
);

async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ValidationError([{ file, path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}` }], { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ValidationError([jsonSyntaxIssue(file, text, err)], { cause: err });
  }
  const result = schema.safeParse(raw, { error: humanIssue });
  if (!result.success) throw new ValidationError(zodIssues(result.error, file));
  return result.data;
}

function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function need(command: string, values: Values, name: string): string {
  const v = str(values, name);
  if (v === undefined || v === '') throw new ValidationError([{ path: '', message: `missing --${name} (see "silkroute ${command} --help")` }]);
  return v;
}

function num(values: Values, name: string, check: (n: number) => boolean, expected: string): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !check(n)) throw new ValidationError([{ path: `--${name}`, message: `expected ${expected}, got "${v}"` }]);
  return n;
}

function format<T extends string>(values: Values, allowed: readonly T[], fallback: T): T {
  const v = str(values, 'format') ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new ValidationError([{ path: '--format', message: `expected one of ${allowed.join(', ')}, got "${v}"` }]);
  return v as T;
}

/** `silkroute plan`: the load plan of each lane's next departure. */
export async function planCommand(values: Values, now: Date, io: PlanningIo): Promise<number> {
  const dataDir = need('plan', values, 'data');
  const historyFile = need('plan', values, 'history');
  const fmt = format(values, ['table', 'json'], 'table');
  const capacityCbm = num(values, 'capacity', (n) => n >= 0, 'm³ ≥ 0 such as 2.5');
  const serviceLevel = num(values, 'service-level', (n) => n > 0 && n < 100, 'a percentage such as 95');
  const windowDays = num(values, 'window', (n) => Number.isInteger(n) && n >= 1, 'whole days ≥ 1 such as 28');
  const perLane = num(values, 'departures', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  const stockFile = str(values, 'stock');
  const inboundFile = str(values, 'inbound');
  const [network, history, stock, inbound] = await settleAll([
    loadNetworkDir(dataDir, { now }),
    readHistoryFile(historyFile),
    stockFile === undefined ? Promise.resolve(undefined) : readJson(stockFile, z.array(StockRecord)),
    inboundFile === undefined ? Promise.resolve(undefined) : readJson(inboundFile, InboundFile) as Promise<InboundLot[]>,
  ] as const);
  const p = plan({
    history,
    network: network.snapshot,
    now,
    ...(stock === undefined ? {} : { onHand: stock.map((s) => ({ sellerId: s.sellerId, warehouseId: s.warehouseId, sku: s.sku, units: s.available })) }),
    ...(inbound === undefined ? {} : { inbound }),
    ...opt('laneId', str(values, 'lane')),
    ...opt('departureId', str(values, 'departure')),
    ...opt('sellerId', str(values, 'seller')),
    ...opt('capacityCbm', capacityCbm),
    ...opt('serviceLevel', serviceLevel === undefined ? undefined : serviceLevel / 100),
    ...opt('windowDays', windowDays),
    ...opt('departuresPerLane', perLane),
    ...opt('route', io.route),
  });
  io.stdout(fmt === 'json' ? `${JSON.stringify(p, null, 2)}\n` : formatPlanTable(p));
  return 0;
}

/** `silkroute report`: spend against the two baselines, and what short stock cost. */
export async function reportCommand(values: Values, now: Date, io: PlanningIo): Promise<number> {
  const dataDir = need('report', values, 'data');
  const historyFile = need('report', values, 'history');
  const fmt = format(values, ['table', 'json', 'svg'], 'table');
  const [network, history] = await settleAll([loadNetworkDir(dataDir, { now }), readHistoryFile(historyFile)] as const);
  const r = report({
    history,
    network: network.snapshot,
    ...opt('from', str(values, 'from')),
    ...opt('to', str(values, 'to')),
    ...opt('sellerId', str(values, 'seller')),
    ...opt('route', io.route),
  });
  io.stdout(fmt === 'json' ? `${JSON.stringify(r, null, 2)}\n` : fmt === 'svg' ? savingsChart(r) : formatReportTable(r));
  return 0;
}

/** `silkroute simulate`: a seeded month of demo orders, routed, written as history. */
export async function simulateCommand(values: Values, now: Date, io: PlanningIo): Promise<number> {
  const dataDir = need('simulate', values, 'data');
  const out = need('simulate', values, 'out');
  const days = num(values, 'days', (n) => Number.isInteger(n) && n >= 1 && n <= 366, 'whole days from 1 to 366') ?? 30;
  const seed = num(values, 'seed', (n) => Number.isInteger(n), 'a whole number') ?? 1;
  const { files } = await loadNetworkDir(dataDir, { now });
  const result = simulate({ files, days, now, seed, ...(values['follow-plan'] === true ? { followPlan: {} } : {}), ...opt('route', io.route) });
  await writeFile(out, result.history.map((h) => `${formatHistoryLine(h)}\n`).join(''));
  const stockOut = str(values, 'stock-out');
  if (stockOut !== undefined) await writeFile(stockOut, `${JSON.stringify(result.stock, null, 2)}\n`);
  const modes = new Map<string, number>();
  for (const h of result.history) modes.set(h.decision.chosen?.mode ?? 'unroutable', (modes.get(h.decision.chosen?.mode ?? 'unroutable') ?? 0) + 1);
  const summary = [...modes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([m, n]) => `${m} ${n}`).join(', ');
  io.stdout(`simulated ${days} days to ${now.toISOString()} (seed ${seed}): ${result.history.length} decisions (${summary})${result.loads.length > 0 ? `, ${result.loads.length} planned loads` : ''}; history written to ${out}${stockOut === undefined ? '' : `, stock left to ${stockOut}`}\n`);
  return 0;
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Await every input, then report every invalid one at once (as `quote` does). */
async function settleAll<T extends readonly Promise<unknown>[]>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  const issues = results.flatMap((r) => (r.status === 'rejected' && r.reason instanceof ValidationError ? r.reason.issues : []));
  if (issues.length > 0) throw new ValidationError(issues);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
