/**
 * Reading and validating a network data directory (ROUTING.md §6). Every file is checked and
 * every issue of every file is reported at once, so a seller fixes their data in one pass.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Issue } from '#shared/errors.ts';
import { ValidationError } from '#shared/errors.ts';
import { jsonSyntaxIssue, zodIssues } from './issues.ts';
import type { Connection, NetworkFileName } from './schemas.ts';
import { NETWORK_FILES } from './schemas.ts';
import { buildSnapshot, checkReferences } from './snapshot.ts';
import type { NetworkFiles, NetworkSnapshot } from './types.ts';
import { humanIssue } from '#shared/zod-messages.ts';

export { formatPath, zodIssues } from './issues.ts';

/** Spreadsheet files `loadNetworkDir` takes in place of a directory (lib/network/sheets). */
const SHEET_FILE = /\.(xlsx|xlsm)$/i;

/** The file names of a data directory, in a stable order (connections.json last). */
export const NETWORK_FILE_NAMES = Object.keys(NETWORK_FILES) as NetworkFileName[];

export interface ParseOptions {
  /** When true a missing connections.json is an issue; otherwise it reads as `[]`. */
  readonly requireConnections?: boolean;
}

export interface ParsedNetwork {
  readonly files: NetworkFiles;
  readonly connections: Connection[];
}

/**
 * Validate raw (already JSON-parsed) file contents, keyed by file name; a key that is absent
 * or `undefined` is a missing file. Throws ValidationError listing every issue, cross-file
 * references included.
 * @example parseNetworkFiles({ 'sellers.json': [...], 'skus.json': [...], ... })
 */
export function parseNetworkFiles(
  raw: Partial<Record<NetworkFileName, unknown>>,
  options: ParseOptions = {},
): ParsedNetwork {
  const { issues, parsed } = validateRaw(raw, options);
  if (issues.length > 0) throw new ValidationError(issues);
  return parsed!;
}

function validateRaw(
  raw: Partial<Record<NetworkFileName, unknown>>,
  options: ParseOptions,
): { issues: Issue[]; parsed?: ParsedNetwork } {
  const issues: Issue[] = [];
  const ok: Partial<Record<NetworkFileName, unknown>> = {};
  /** Files with schema errors, as read. */
  const broken = new Map<NetworkFileName, unknown>();
  for (const name of NETWORK_FILE_NAMES) {
    const value = raw[name];
    if (value === undefined) {
      if (name === 'connections.json' && options.requireConnections !== true) ok[name] = [];
      else issues.push({ file: name, path: '', message: 'file is missing' });
      continue;
    }
    const result = NETWORK_FILES[name].safeParse(value, { error: humanIssue });
    if (result.success) ok[name] = result.data;
    else {
      issues.push(...zodIssues(result.error, name));
      broken.set(name, value);
      ok[name] = recordsThatParse(name, value);
    }
  }
  // References are checked on what parsed, so one run reports them with the schema errors; a file
  // that is missing or could not be read whole (fx.json, duties.json) leaves nothing to check against.
  if (NETWORK_FILE_NAMES.some((name) => ok[name] === undefined)) return { issues };
  const files: NetworkFiles = {
    sellers: ok['sellers.json'] as NetworkFiles['sellers'],
    skus: ok['skus.json'] as NetworkFiles['skus'],
    parcelServices: ok['parcel-services.json'] as NetworkFiles['parcelServices'],
    railLanes: ok['rail-lanes.json'] as NetworkFiles['railLanes'],
    warehouses: ok['warehouses.json'] as NetworkFiles['warehouses'],
    stock: ok['stock.json'] as NetworkFiles['stock'],
    duties: ok['duties.json'] as NetworkFiles['duties'],
    fx: ok['fx.json'] as NetworkFiles['fx'],
  };
  const connections = ok['connections.json'] as Connection[];
  const references = [...checkReferences(files), ...checkConnections(connections, files)];
  issues.push(...references.filter((issue) => !namesBrokenRecord(issue, broken)));
  return issues.length > 0 ? { issues } : { issues, parsed: { files, connections } };
}

/** The records of a list file that parse on their own (undefined when the file is not a list of them). */
function recordsThatParse(name: NetworkFileName, value: unknown): unknown[] | undefined {
  const schema = NETWORK_FILES[name] as unknown as { element?: { safeParse(v: unknown): { success: boolean; data?: unknown } } };
  if (schema.element === undefined || !Array.isArray(value)) return undefined;
  return value.flatMap((record) => {
    const result = schema.element!.safeParse(record);
    return result.success ? [result.data] : [];
  });
}

/**
 * A reference to a file with schema errors (`unknown seller "x" (not in sellers.json)`) whose id
 * is written in that file: the record is there, only broken, and its own error says so.
 */
function namesBrokenRecord(issue: Issue, broken: ReadonlyMap<string, unknown>): boolean {
  for (const [name, raw] of broken) {
    if (!issue.message.includes(name)) continue;
    const id = /"([^"]+)"/.exec(issue.message)?.[1];
    if (id === undefined || JSON.stringify(raw).includes(JSON.stringify(id))) return true;
  }
  return false;
}

/** A shop belongs to a known seller; a shop and an API key each identify one connection. */
function checkConnections(connections: readonly Connection[], files: NetworkFiles): Issue[] {
  const issues: Issue[] = [];
  const sellers = new Set(files.sellers.map((s) => s.id));
  const shops = new Set<string>();
  const keys = new Set<string>();
  connections.forEach((c, i) => {
    const add = (path: string, message: string) => issues.push({ file: 'connections.json', path: `[${i}]${path}`, message });
    if (!sellers.has(c.sellerId)) add('.sellerId', `unknown seller "${c.sellerId}" (not in sellers.json)`);
    const shop = `${c.platform}\u0000${c.shop}`;
    if (shops.has(shop)) add('.shop', `duplicate ${c.platform} shop "${c.shop}"`);
    shops.add(shop);
    if (keys.has(c.apiKey)) add('.apiKey', 'duplicate API key (each key maps to one seller)');
    keys.add(c.apiKey);
  });
  return issues;
}

/**
 * Read, validate and snapshot a data directory. Throws ValidationError with every issue of
 * every file (missing file, bad JSON with line and column, schema, cross-file references).
 * @example const { snapshot } = await loadNetworkDir('data/demo', { now: new Date() })
 */
export async function loadNetworkDir(
  dir: string,
  options: { now: Date; requireConnections?: boolean },
): Promise<{ snapshot: NetworkSnapshot; files: NetworkFiles; connections: Connection[] }> {
  const info = await stat(dir).catch(() => undefined);
  if (info?.isFile() === true && SHEET_FILE.test(dir)) {
    // A workbook instead of a directory (lib/network/sheets): loaded only when one is given.
    const { readNetworkWorkbook } = await import('./sheets/index.ts');
    const { files, connections } = await readNetworkWorkbook(dir, { requireConnections: options.requireConnections ?? false });
    return { snapshot: buildSnapshot(files, options.now), files, connections };
  }
  if (info?.isDirectory() !== true) {
    throw new ValidationError([{ path: '', message: `${SHEET_FILE.test(dir) ? 'workbook' : 'data directory'} "${dir}" does not exist` }]);
  }
  const issues: Issue[] = [];
  const raw: Partial<Record<NetworkFileName, unknown>> = {};
  const unreadable = new Set<NetworkFileName>();
  const absent: NetworkFileName[] = [];
  await Promise.all(
    NETWORK_FILE_NAMES.map(async (name) => {
      let text: string;
      try {
        text = await readFile(join(dir, name), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return void absent.push(name); // validateRaw says "missing" when required
        issues.push({ file: name, path: '', message: `cannot read: ${(err as Error).message}` });
        unreadable.add(name);
        return;
      }
      try {
        raw[name] = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch (err) {
        issues.push(jsonSyntaxIssue(name, text, err));
        unreadable.add(name);
      }
    }),
  );
  const csv = await csvInstead(dir, absent, raw, issues);
  const checked = validateRaw(raw, { requireConnections: options.requireConnections ?? false });
  // A file that could not be read or parsed was reported above; do not also call it missing.
  const fromFiles = checked.issues.filter((i) => !(i.path === '' && unreadable.has(i.file as NetworkFileName)));
  issues.push(...(csv === undefined ? fromFiles : csv.atCells(fromFiles)));
  if (issues.length > 0 || checked.parsed === undefined) {
    const order = (i: Issue) => NETWORK_FILE_NAMES.indexOf(i.file as NetworkFileName);
    // Promise.all finishes reads in any order; report file by file for a stable message.
    throw new ValidationError([...issues].sort((a, b) => order(a) - order(b)));
  }
  const { files, connections } = checked.parsed;
  return { snapshot: buildSnapshot(files, options.now), files, connections };
}

/**
 * CSV files standing in for the missing JSON files of a data directory (`skus.csv` for
 * skus.json, lib/network/sheets). Their contents go into `raw`; the returned function names
 * the validation issues of those files by cell. Undefined when the directory has no CSV.
 */
async function csvInstead(
  dir: string,
  absent: readonly NetworkFileName[],
  raw: Partial<Record<NetworkFileName, unknown>>,
  issues: Issue[],
): Promise<{ atCells: (found: readonly Issue[]) => Issue[] } | undefined> {
  const names = await readdir(dir);
  const csvNames = names.filter((n) => /\.csv$/i.test(n));
  if (csvNames.length === 0) return undefined;
  const sheets = await import('./sheets/index.ts');
  // A CSV of a file whose JSON is here would be ignored: say so rather than drop its rows.
  for (const csvName of csvNames) {
    const table = sheets.networkLayout().bySheet.get(csvName.replace(/\.csv$/i, ''));
    if (table !== undefined && !absent.includes(table.file)) {
      issues.push({ file: csvName, path: '', message: `both ${table.file} and ${csvName} are here: keep one` });
    }
  }
  const read = await sheets.readCsvFiles(dir, absent);
  issues.push(...read.issues);
  Object.assign(raw, read.raw);
  const fromCsv = new Set(read.sources.keys());
  const sheetNames = [...read.sources.values()].flat().map((n) => n.replace(/\.csv$/i, ''));
  return {
    atCells: (found) =>
      found.flatMap((i) => (i.file !== undefined && fromCsv.has(i.file as NetworkFileName) ? sheets.csvIssuesAtCells([i], read.positions, sheetNames) : [i])),
  };
}
